/**
 * The flag-setting integer forms `<op>_f{b,h,w,d}` of x86 binary translation (optable
 * EXT 0x04…0x07 = byte/half/word/double width). Neither the docs (opcodes.md lists only the
 * encodings) nor QEMU (its tests mark them "TODO: binary translation for x86") define
 * what they compute, so this is a documented choice (README "flag-setting forms"):
 *
 * - the destination is an x86 condition-code word in the EFLAGS layout CF 0, PF 2, AF 4,
 *   ZF 6, SF 7, OF 11 — the layout `cctop<c>` reads and `fcmp…f` produce. That the result
 *   is the flag word, not the arithmetic value, follows from the operand sizes: the 64-bit
 *   `addd_fd` has 64-bit sources but a 32-bit destination; the value itself comes from the
 *   plain op in another channel of the same bundle;
 * - the operation works on the low 8/16/32/64 bits of the sources, with the x86 flag rules
 *   of the same operation (add/sub/and/or/xor, `andn`/`orn`/`xorn` invert src2 first,
 *   `umulx`/`smulx` = MUL/IMUL: CF = OF = the product does not fit the width);
 * - the four-operand forms (`inc`, `dec`, shifts, rotates) take the incoming flag word in
 *   src3: `inc/dec` compute src1 ± src2 and keep CF from src3 (as x86 INC/DEC); a shift or
 *   rotate by a zero count (after the x86 count mask: 5 bits, 6 for 64-bit) returns src3
 *   unchanged; rotates change only CF and OF and keep the other flags of src3.
 *
 * Flags x86 leaves undefined get a fixed value: AF = 0 after logic, multiplies, shifts; OF
 * of multi-bit shifts as for a 1-bit shift (shl: MSB ^ CF, shr: the source MSB, sar: 0);
 * SF/ZF/PF of multiplies from the low half of the product. BigInt is fine here: these are
 * not hot-path operations. When `FLAG_FORMS.enabled` is false they are illegal opcodes.
 */
import * as I64 from './int64';
import type { Impl } from './operands';

const { toBig } = I64;

/** Switch for the whole group (the semantics above are a reading, not documentation). */
export const FLAG_FORMS = { enabled: true };

const CF = 1;
const PF = 4;
const AF = 16;
const ZF = 64;
const SF = 128;
const OF = 2048;

const WIDTH: Record<string, number> = { b: 8, h: 16, w: 32, d: 64 };

function parityFlag(r: bigint): number {
  let v = Number(r & 0xffn);
  v ^= v >> 4;
  v ^= v >> 2;
  v ^= v >> 1;
  return v & 1 ? 0 : PF;
}

/** ZF, SF, PF of a W-bit result. */
function szp(r: bigint, w: number): number {
  return (r === 0n ? ZF : 0) | ((r >> BigInt(w - 1)) & 1n ? SF : 0) | parityFlag(r);
}

type FlagFn = (a: bigint, b: bigint, f: number, w: number) => number;

function addFlags(a: bigint, b: bigint, w: number, carryIn = 0n): number {
  const mask = (1n << BigInt(w)) - 1n;
  const sum = a + b + carryIn;
  const r = sum & mask;
  const top = BigInt(w - 1);
  return (
    (sum > mask ? CF : 0) |
    (((a ^ b ^ r) >> 4n) & 1n ? AF : 0) |
    ((((a ^ r) & (b ^ r)) >> top) & 1n ? OF : 0) |
    szp(r, w)
  );
}

function subFlags(a: bigint, b: bigint, w: number): number {
  const mask = (1n << BigInt(w)) - 1n;
  const r = (a - b) & mask;
  const top = BigInt(w - 1);
  return (
    (a < b ? CF : 0) |
    (((a ^ b ^ r) >> 4n) & 1n ? AF : 0) |
    ((((a ^ b) & (a ^ r)) >> top) & 1n ? OF : 0) |
    szp(r, w)
  );
}

const logic =
  (op: (a: bigint, b: bigint) => bigint): FlagFn =>
  (a, b, _f, w) =>
    szp(op(a, b) & ((1n << BigInt(w)) - 1n), w);

function signed(v: bigint, w: number): bigint {
  return BigInt.asIntN(w, v);
}

function shiftOrRotate(kind: string): FlagFn {
  return (a, b, f, w) => {
    const n = Number(b & (w === 64 ? 63n : 31n));
    if (n === 0) return f;
    const W = BigInt(w);
    const mask = (1n << W) - 1n;
    const msb = (v: bigint): number => Number((v >> (W - 1n)) & 1n);
    if (kind === 'scl' || kind === 'scr') {
      const k = BigInt(n % w);
      const r =
        kind === 'scl' ? ((a << k) | (a >> (W - k))) & mask : ((a >> k) | (a << (W - k))) & mask;
      const cf = kind === 'scl' ? Number(r & 1n) : msb(r);
      const of = kind === 'scl' ? msb(r) ^ cf : msb(r) ^ Number((r >> (W - 2n)) & 1n);
      return (f & ~(CF | OF)) | (cf ? CF : 0) | (of ? OF : 0);
    }
    const N = BigInt(n);
    let r: bigint;
    let cf: number;
    let of: number;
    if (kind === 'shl') {
      r = (a << N) & mask;
      cf = n <= w ? Number((a >> (W - N)) & 1n) : 0;
      of = msb(r) ^ cf;
    } else if (kind === 'shr') {
      r = a >> N;
      cf = Number((a >> (N - 1n)) & 1n);
      of = msb(a);
    } else {
      const s = signed(a, w);
      r = (s >> N) & mask;
      cf = Number((s >> (N - 1n)) & 1n);
      of = 0;
    }
    return (cf ? CF : 0) | (of ? OF : 0) | szp(r, w);
  };
}

const FN: Record<string, FlagFn> = {
  and: logic((a, b) => a & b),
  andn: logic((a, b) => a & ~b),
  or: logic((a, b) => a | b),
  orn: logic((a, b) => a | ~b),
  xor: logic((a, b) => a ^ b),
  xorn: logic((a, b) => a ^ ~b),
  add: (a, b, _f, w) => addFlags(a, b, w),
  sub: (a, b, _f, w) => subFlags(a, b, w),
  inc: (a, b, f, w) => (addFlags(a, b, w) & ~CF) | (f & CF),
  dec: (a, b, f, w) => (subFlags(a, b, w) & ~CF) | (f & CF),
  umulx: (a, b, _f, w) => {
    const p = a * b;
    const lo = p & ((1n << BigInt(w)) - 1n);
    return (p === lo ? 0 : CF | OF) | szp(lo, w);
  },
  smulx: (a, b, _f, w) => {
    const p = signed(a, w) * signed(b, w);
    const lo = p & ((1n << BigInt(w)) - 1n);
    return (signed(lo, w) === p ? 0 : CF | OF) | szp(lo, w);
  },
  shl: shiftOrRotate('shl'),
  shr: shiftOrRotate('shr'),
  sar: shiftOrRotate('sar'),
  scl: shiftOrRotate('scl'),
  scr: shiftOrRotate('scr'),
};

/** The implementation of `<op>{s,d}_f{b,h,w,d}`, or null for another name. */
export function flagOp(name: string): Impl | null {
  const m = /^([a-z]+?)(?:s|d|x)_f([bhwd])$/.exec(name);
  if (!m || !FLAG_FORMS.enabled) return null;
  const op = m[1] === 'umul' || m[1] === 'smul' ? m[1] + 'x' : m[1];
  const fn = FN[op];
  if (!fn) return null;
  const w = WIDTH[m[2]];
  const mask = (1n << BigInt(w)) - 1n;
  return (x) => {
    const a = toBig(x.aLo, x.aHi) & mask;
    const b = toBig(x.bLo, x.bHi) & mask;
    x.rLo = fn(a, b, x.cLo, w) | 0;
    x.rHi = 0;
  };
}
