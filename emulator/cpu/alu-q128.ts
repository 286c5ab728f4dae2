/**
 * Shared helpers of the 128-bit operation modules (alu-qpx.ts integer lanes, alu-qpf.ts
 * floating point): a scratch latch to run 64-bit operations on register halves, and word /
 * lane views of 128-bit operands (lo = bits 63:0 in x.?Lo/?Hi, hi = x.?XLo/?XHi).
 */
import { Latch } from './operands';
import type { Impl } from './operands';

/** Scratch latch of run(); its rLo/rHi hold the last result. */
export const T = new Latch();
const t = T;

/** Runs the 64-bit op f on (a, b, c) in the scratch latch; the result is t.rLo/t.rHi. */
export function run(
  f: Impl,
  x: Latch,
  aLo: number,
  aHi: number,
  bLo: number,
  bHi: number,
  cLo = 0,
  cHi = 0,
): void {
  t.iset = x.iset;
  t.sm = x.sm;
  t.ip = x.ip;
  t.mrg = x.mrg;
  t.rTag = 0;
  t.aLo = aLo;
  t.aHi = aHi;
  t.bLo = bLo;
  t.bHi = bHi;
  t.cLo = cLo;
  t.cHi = cHi;
  f(t);
  x.rTag |= t.rTag;
}

/** The four 32-bit words (low first) of operand a, b or c. */
export function words(x: Latch, k: 'a' | 'b' | 'c'): number[] {
  if (k === 'a') return [x.aLo, x.aHi, x.aXLo, x.aXHi];
  if (k === 'b') return [x.bLo, x.bHi, x.bXLo, x.bXHi];
  return [x.cLo, x.cHi, x.cXLo, x.cXHi];
}

export function setWords(x: Latch, w: number[]): void {
  x.rLo = w[0] | 0;
  x.rHi = w[1] | 0;
  x.rXLo = w[2] | 0;
  x.rXHi = w[3] | 0;
}

/** Lanes of `bits` (8/16/32) of a word list, unsigned or signed. */
export function lanes(w: number[], bits: number, signed: boolean): number[] {
  const out: number[] = [];
  const n = 32 / bits;
  for (const word of w)
    for (let i = 0; i < n; i++) {
      const v = bits === 32 ? word : (word >>> (i * bits)) & ((1 << bits) - 1);
      out.push(signed ? (v << (32 - bits)) >> (32 - bits) : bits === 32 ? v >>> 0 : v);
    }
  return out;
}

export function fromLanes(l: number[], bits: number): number[] {
  const n = 32 / bits;
  const out: number[] = [];
  for (let k = 0; k < l.length / n; k++) {
    let v = 0;
    for (let i = 0; i < n; i++)
      v |= bits === 32 ? l[k * n + i] : (l[k * n + i] & ((1 << bits) - 1)) << (i * bits);
    out.push(v | 0);
  }
  return out;
}

/** Applies the 64-bit op to both halves (a, b, c halves in step). */
export function halves(f: Impl): Impl {
  return (x) => {
    const A = words(x, 'a');
    const B = words(x, 'b');
    const C = words(x, 'c');
    run(f, x, A[2], A[3], B[2], B[3], C[2], C[3]);
    const hLo = t.rLo;
    const hHi = t.rHi;
    run(f, x, A[0], A[1], B[0], B[1], C[0], C[1]);
    setWords(x, [t.rLo, t.rHi, hLo, hHi]);
  };
}
