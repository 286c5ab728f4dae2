/**
 * The 128-bit (v5+/v6) integer operations that are not "the 64-bit op on each half"
 * (alu-quad.ts covers those), plus the 64-bit relatives they are built from: packs,
 * shuffles and permutes across the whole register, horizontal adds, mask/sign conversions,
 * rotates, the packed predicate compares `(qp)pcmp…op/ap`. The floating-point ones are in
 * alu-qpf.ts, shared helpers in alu-q128.ts. Lane semantics follow QEMU
 * (target/e2k/helper_vec.c, translate.c gen_qp*) because the ISA docs only name them.
 * Register halves: lo = bits 63:0 (x.?Lo/?Hi), hi = bits 127:64 (x.?XLo/?XHi). *
 * Conventions (QEMU): `qppackdl src1, src2` gives hi = src1, lo = src2 (also qpcext: hi =
 * the constant byte repeated, lo = src2); the qpacks* pack src1's two halves into the high
 * half and src2's into the low one; the qphadd/hsub pairs span the register (low result
 * lanes from src1, high from src2).
 */
import { qpfOp } from './alu-qpf';
import { fromLanes, halves, lanes, run, setWords, T, words } from './alu-q128';
import { SHUFFLE_OPS } from './alu-shuffle';
import type { Impl } from './operands';

const t = T;

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

function revBits8(v: number): number {
  v = ((v & 0xf0) >>> 4) | ((v & 0x0f) << 4);
  v = ((v & 0xcc) >>> 2) | ((v & 0x33) << 2);
  return ((v & 0xaa) >>> 1) | ((v & 0x55) << 1);
}

/** Horizontal pairs across 128 bits: result lanes from src1's pairs, then src2's. */
function qhoriz(bits: 16 | 32, f: (p: number, q: number) => number): Impl {
  return (x) => {
    const a = lanes(words(x, 'a'), bits, true);
    const b = lanes(words(x, 'b'), bits, true);
    const r: number[] = [];
    for (const s of [a, b]) for (let i = 0; i < s.length; i += 2) r.push(f(s[i], s[i + 1]));
    setWords(x, fromLanes(r, bits));
  };
}

/** qpacks*: hi = pack(src1.hi, src1.lo), lo = pack(src2.hi, src2.lo) (64-bit pack op). */
function qpack(p: Impl): Impl {
  return (x) => {
    const A = words(x, 'a');
    const B = words(x, 'b');
    run(p, x, A[2], A[3], A[0], A[1]);
    const hLo = t.rLo;
    const hHi = t.rHi;
    run(p, x, B[2], B[3], B[0], B[1]);
    setWords(x, [t.rLo, t.rHi, hLo, hHi]);
  };
}

/** pmulhrsh lane: round((a · b) / 2^15) = ((a · b >> 14) + 1) >> 1. */
const pmulhrsh: Impl = (x) => {
  const a = lanes([x.aLo, x.aHi], 16, true);
  const b = lanes([x.bLo, x.bHi], 16, true);
  const r = fromLanes(
    a.map((v, i) => (((v * b[i]) >> 14) + 1) >> 1),
    16,
  );
  x.rLo = r[0];
  x.rHi = r[1];
};

/** mpsadbh: halfword i = Σk<4 |src1.ub[i + k] − src2.ub[k]|. */
const mpsadbh: Impl = (x) => {
  const a = lanes([x.aLo, x.aHi], 8, false);
  const b = lanes([x.bLo, x.bHi], 8, false);
  const r: number[] = [];
  for (let i = 0; i < 4; i++) {
    let s = 0;
    for (let k = 0; k < 4; k++) s += Math.abs(a[i + k] - b[k]);
    r.push(s);
  }
  const w = fromLanes(r, 16);
  x.rLo = w[0];
  x.rHi = w[1];
};

/** (qp)phminposuh: the smallest unsigned halfword of src1 then src2 (first wins) and its index. */
function hminpos(a: number[], b: number[]): [number, number] {
  let v = a[0];
  let p = 0;
  const all = a.concat(b);
  for (let i = 1; i < all.length; i++)
    if (all[i] < v) {
      v = all[i];
      p = i;
    }
  return [v, p];
}

/** pmerge: byte i = src3 byte i negative ? src2 : src1. */
function pmergeWords(a: number[], b: number[], c: number[]): number[] {
  const A = lanes(a, 8, false);
  const B = lanes(b, 8, false);
  const C = lanes(c, 8, true);
  return fromLanes(
    A.map((v, i) => (C[i] < 0 ? B[i] : v)),
    8,
  );
}

function ror32(v: number, n: number): number {
  n &= 31;
  return n === 0 ? v | 0 : (v >>> n) | (v << (32 - n)) | 0;
}

/** 64-bit rotate right of (lo, hi) by n mod 64 into t.rLo/t.rHi. */
function ror64(lo: number, hi: number, n: number): [number, number] {
  n &= 63;
  if (n >= 32) {
    [lo, hi] = [hi, lo];
    n -= 32;
  }
  if (n === 0) return [lo | 0, hi | 0];
  return [(lo >>> n) | (hi << (32 - n)) | 0, (hi >>> n) | (lo << (32 - n)) | 0];
}

/** Arithmetic shift right of a 64-bit value by min(n, 63). */
function sar64(lo: number, hi: number, n: number): [number, number] {
  if (n >= 32) return [hi >> (n - 32), hi >> 31];
  if (n === 0) return [lo, hi];
  return [(lo >>> n) | (hi << (32 - n)) | 0, hi >> n];
}

const PCMP: Record<string, [number, boolean]> = {
  eqb: [8, false],
  eqh: [16, false],
  eqw: [32, false],
  eqd: [64, false],
  gtb: [8, true],
  gth: [16, true],
  gtw: [32, true],
  gtd: [64, true],
};

/** Lane results (true/false) of a packed compare over word list pairs. */
function cmpLanes(a: number[], b: number[], bits: number, gt: boolean): boolean[] {
  if (bits === 64) {
    const out: boolean[] = [];
    for (let i = 0; i < a.length; i += 2) {
      if (!gt) out.push(a[i] === b[i] && a[i + 1] === b[i + 1]);
      else {
        const ah = a[i + 1] | 0;
        const bh = b[i + 1] | 0;
        out.push(ah > bh || (ah === bh && a[i] >>> 0 > b[i] >>> 0));
      }
    }
    return out;
  }
  const A = lanes(a, bits, true);
  const B = lanes(b, bits, true);
  return A.map((v, i) => (gt ? v > B[i] : v === B[i]));
}

/**
 * `(qp)pcmp{eq,gt}{b,h,w,d}{op,ap}` (v6, ALOPF7 opc2 2, opc 0x28 / 0x2c, variant in ALES[3:0]):
 * the predicate is 1 when any lane (op) / every lane (ap) compares true (QEMU gen_pcmp*op/ap:
 * packed compare then `!= 0` / `== -1`).
 */
export function packedPredCompare(variant: number, quad: boolean): Impl {
  const key = Object.keys(PCMP)[variant & 7];
  const [bits, gt] = PCMP[key];
  const all = (variant & 8) !== 0;
  return (x) => {
    const a = quad ? words(x, 'a') : [x.aLo, x.aHi];
    const b = quad ? words(x, 'b') : [x.bLo, x.bHi];
    const r = cmpLanes(a, b, bits, gt);
    x.rLo = (all ? r.every(Boolean) : r.some(Boolean)) ? 1 : 0;
    x.rHi = 0;
  };
}

const QPX: Record<string, Impl> = {
  qppackdl: (x) => setWords(x, [x.bLo, x.bHi, x.aLo, x.aHi]),
  qpswitchd: (x) => setWords(x, [x.bXLo, x.bXHi, x.bLo, x.bHi]),
  qpswitchw: (x) => setWords(x, [x.bHi, x.bLo, x.bXHi, x.bXLo]),
  qpsgn2mskb: (x) => {
    let m = 0;
    lanes(words(x, 'b'), 8, true).forEach((v, i) => (m |= v < 0 ? 1 << i : 0));
    x.rLo = m;
    x.rHi = 0;
  },
  qpmsk2sgnb: (x) => {
    const m = x.bLo;
    setWords(
      x,
      fromLanes(
        lanes(words(x, 'a'), 8, false).map((v, i) => ((m >>> i) & 1 ? v | 0x80 : v & 0x7f)),
        8,
      ),
    );
  },
  // byte i from selector src3.b[i]: (s & 0x10 ? src1 : src2).b[s & 15], then s & 0x20
  // inverts, s & 0x40 reverses the bits, s & 0x80 replaces it by its sign
  qppermb: (x) => {
    const a = lanes(words(x, 'a'), 8, false);
    const b = lanes(words(x, 'b'), 8, false);
    const c = lanes(words(x, 'c'), 8, false);
    const r = c.map((s) => {
      let v = s & 0x10 ? a[s & 15] : b[s & 15];
      if (s & 0x20) v = ~v & 0xff;
      if (s & 0x40) v = revBits8(v);
      if (s & 0x80) v = v & 0x80 ? 0xff : 0;
      return v;
    });
    setWords(x, fromLanes(r, 8));
  },
  // lo = pshufb(src2.hi, src2.lo, src3.lo), hi = pshufb(src1.hi, src1.lo, src3.hi)
  qpshufb: (x) => {
    const A = words(x, 'a');
    const B = words(x, 'b');
    const C = words(x, 'c');
    run(SHUFFLE_OPS.pshufb, x, B[2], B[3], B[0], B[1], C[0], C[1]);
    const lo = [t.rLo, t.rHi];
    run(SHUFFLE_OPS.pshufb, x, A[2], A[3], A[0], A[1], C[2], C[3]);
    setWords(x, [lo[0], lo[1], t.rLo, t.rHi]);
  },
  qpacksshb: qpack(SHUFFLE_OPS.packsshb),
  qpackushb: qpack(SHUFFLE_OPS.packushb),
  qpacksswh: qpack(SHUFFLE_OPS.packsswh),
  qpackuswh: qpack(SHUFFLE_OPS.packuswh),
  qphaddh: qhoriz(16, (p, q) => p + q),
  qphaddsh: qhoriz(16, (p, q) => clamp(p + q, -32768, 32767)),
  qphsubh: qhoriz(16, (p, q) => p - q),
  qphsubsh: qhoriz(16, (p, q) => clamp(p - q, -32768, 32767)),
  qphaddw: qhoriz(32, (p, q) => p + q),
  qphsubw: qhoriz(32, (p, q) => p - q),
  qpmaddh: halves(SHUFFLE_OPS.pmaddh),
  qpmaddubsh: halves(SHUFFLE_OPS.pmaddubsh),
  pmulhrsh,
  qpmulhrsh: halves(pmulhrsh),
  // lo = pmulubhh(src1 bytes 0-3, src2.lo), hi = pmulubhh(src1 bytes 4-7, src2.hi)
  qpmulubhh: (x) => {
    const B = words(x, 'b');
    run(SHUFFLE_OPS.pmulubhh, x, x.aHi, 0, B[2], B[3]);
    const h = [t.rLo, t.rHi];
    run(SHUFFLE_OPS.pmulubhh, x, x.aLo, x.aHi, B[0], B[1]);
    setWords(x, [t.rLo, t.rHi, h[0], h[1]]);
  },
  mpsadbh,
  qpmpsadbh: (x) => {
    const A = words(x, 'a');
    run(mpsadbh, x, A[2], A[3], x.bLo, 0);
    const h = [t.rLo, t.rHi];
    run(mpsadbh, x, A[0], A[1], x.bLo, 0);
    setWords(x, [t.rLo, t.rHi, h[0], h[1]]);
  },
  phminposuh: (x) => {
    const [v, p] = hminpos(lanes([x.aLo, x.aHi], 16, false), lanes([x.bLo, x.bHi], 16, false));
    x.rLo = v | (p << 16);
    x.rHi = 0;
  },
  qphminposuh: (x) => {
    const [v, p] = hminpos(lanes(words(x, 'a'), 16, false), lanes(words(x, 'b'), 16, false));
    x.rLo = v | (p << 16);
    x.rHi = 0;
  },
  pmerge: (x) => {
    const r = pmergeWords([x.aLo, x.aHi], [x.bLo, x.bHi], [x.cLo, x.cHi]);
    x.rLo = r[0];
    x.rHi = r[1];
  },
  qpmerge: (x) => setWords(x, pmergeWords(words(x, 'a'), words(x, 'b'), words(x, 'c'))),
  psrcw: (x) => {
    x.rLo = ror32(x.aLo, x.bLo);
    x.rHi = ror32(x.aHi, x.bLo);
  },
  psrcd: (x) => {
    [x.rLo, x.rHi] = ror64(x.aLo, x.aHi, x.bLo);
  },
  qpsrcw: (x) =>
    setWords(
      x,
      words(x, 'a').map((w) => ror32(w, x.bLo)),
    ),
  qpsrcd: (x) => setWords(x, [...ror64(x.aLo, x.aHi, x.bLo), ...ror64(x.aXLo, x.aXHi, x.bLo)]),
  // per 64-bit lane, shift count unsigned, at most 63
  qpsrad: (x) => {
    const n = x.bHi !== 0 || x.bLo >>> 0 > 63 ? 63 : x.bLo;
    setWords(x, [...sar64(x.aLo, x.aHi, n), ...sar64(x.aXLo, x.aXHi, n)]);
  },
  qpcext_0x00: (x) => setWords(x, [x.bLo, x.bHi, 0, 0]),
  qpcext_0x7f: (x) => setWords(x, [x.bLo, x.bHi, 0x7f7f7f7f, 0x7f7f7f7f]),
  qpcext_0x80: (x) => setWords(x, [x.bLo, x.bHi, 0x80808080, 0x80808080]),
  qpcext_0xff: (x) => setWords(x, [x.bLo, x.bHi, -1, -1]),
  // merged on a 128-bit register: the MRGC condition selects src2 (as pmrgp)
  qpmrgp: (x) => setWords(x, x.mrg ? words(x, 'b') : words(x, 'a')),
  // the tag is set by the executor (special 'puttag'); the value passes unchanged
  puttagqp: (x) => setWords(x, words(x, 'a')),
};

/**
 * Implementation by name from the 128-bit modules (this one and alu-qpf.ts), or null.
 * `perHalf` resolves the plain both-halves qp operations (alu-quad.ts) for the combined
 * forms.
 */
export function qpxOp(name: string, perHalf: (name: string) => Impl | null): Impl | null {
  return QPX[name] ?? qpfOp(name, perHalf);
}
