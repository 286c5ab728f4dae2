/**
 * Integer ALU operations (opcodes.md §1-§5): logic, add/sub, shifts/rotates, bit fields,
 * sxt, multiply/divide, integer compares into predicates. 32-bit forms use the low word of
 * each source; 64-bit forms use (lo, hi) pairs. Division and the 128-bit multiply-high
 * forms use BigInt (rare operations, not in the hot loops); everything else is int32 math.
 */
import { Exc } from './exceptions';
import * as I64 from './int64';
import type { Impl, Latch } from './operands';

// Module-local aliases: imported bindings may be accessed through getters by some loaders
// (tsx in CommonJS mode), which costs a call per use on the hot path.
const {
  add64,
  bitrev32,
  cmpS64,
  cmpU64,
  fromBig,
  H,
  mul64,
  mulU32,
  popcnt32,
  sar64,
  shl64,
  shr64,
  sub64,
  toBig,
  toBigS,
} = I64;
const HI = H;

const s =
  (f: (a: number, b: number) => number): Impl =>
  (x) => {
    x.rLo = f(x.aLo, x.bLo) | 0;
    x.rHi = 0;
  };
const d =
  (f: (alo: number, ahi: number, blo: number, bhi: number) => number): Impl =>
  (x) => {
    x.rLo = f(x.aLo, x.aHi, x.bLo, x.bHi) | 0;
    x.rHi = HI.hi;
  };
const dl =
  (fl: (a: number, b: number) => number): Impl =>
  (x) => {
    x.rLo = fl(x.aLo, x.bLo) | 0;
    x.rHi = fl(x.aHi, x.bHi) | 0;
  };

function rotl64(lo: number, hi: number, n: number): number {
  n &= 63;
  const l1 = shl64(lo, hi, n);
  const h1 = HI.hi;
  const l2 = shr64(lo, hi, 64 - n);
  HI.hi = h1 | HI.hi;
  return n === 0 ? lo : l1 | l2;
}

function rotr64(lo: number, hi: number, n: number): number {
  return rotl64(lo, hi, (64 - (n & 63)) & 63);
}

/** getf (opcodes.md §2); `v5` selects the v5+ sign rule. */
function getf(x: Latch, wide: boolean, zero: boolean): void {
  const ctl = x.bLo;
  const off = wide ? ctl & 63 : ctl & 31;
  const len = wide ? (ctl >>> 6) & 63 : (ctl >>> 6) & 31;
  const sgn = (ctl >>> 12) & 1;
  const byte = wide ? (ctl >>> 13) & 7 : (ctl >>> 13) & 3;
  const bits = wide ? 64n : 32n;
  const mask = (1n << bits) - 1n;
  const src = wide ? toBig(x.aLo, x.aHi) : BigInt(x.aLo >>> 0);
  const o = BigInt(off);
  const rot = ((src >> o) | (src << (bits - o))) & mask;
  const fmask = len === 0 ? 0n : (1n << BigInt(len)) - 1n;
  let field = rot & fmask;
  if (sgn && len > 0) {
    const signBit =
      x.iset >= 5 || zero
        ? (field >> BigInt(len - 1)) & 1n
        : (src >> BigInt(byte * 8 + ((off + len - 1) & 7))) & 1n;
    if (signBit) field |= mask & ~fmask;
  }
  if (zero) field = (field >> BigInt(byte)) << BigInt(byte);
  x.rLo = fromBig(field & mask);
  x.rHi = wide ? HI.hi : 0;
}

function insf(x: Latch, wide: boolean): void {
  const ctl = x.bLo;
  const off = wide ? ctl & 63 : ctl & 31;
  const len = wide ? (ctl >>> 6) & 63 : (ctl >>> 6) & 31;
  const bits = wide ? 64n : 32n;
  const mask = (1n << bits) - 1n;
  const src = wide ? toBig(x.aLo, x.aHi) : BigInt(x.aLo >>> 0);
  const o = BigInt(off);
  const rot = ((src >> o) | (src << (bits - o))) & mask;
  const m = len === 0 ? 0n : (1n << BigInt(len)) - 1n;
  const s3 = wide ? toBig(x.cLo, x.cHi) : BigInt(x.cLo >>> 0);
  const r = (rot & ~m & mask) | (s3 & m);
  x.rLo = fromBig(r);
  x.rHi = wide ? HI.hi : 0;
}

function sxt(x: Latch): void {
  const ctl = x.aLo;
  const size = ctl & 3;
  const v = x.bLo;
  if (ctl & 4) {
    x.rLo = size === 0 ? v & 0xff : size === 1 ? v & 0xffff : v;
    x.rHi = 0;
  } else {
    x.rLo = size === 0 ? (v << 24) >> 24 : size === 1 ? (v << 16) >> 16 : v;
    x.rHi = x.rLo >> 31;
  }
}

function div(x: Latch, signed: boolean, wide: boolean, rem: boolean): void {
  const b = wide
    ? signed
      ? toBigS(x.bLo, x.bHi)
      : toBig(x.bLo, x.bHi)
    : signed
      ? BigInt(x.bLo | 0)
      : BigInt(x.bLo >>> 0);
  if (b === 0n) return x.fault(Exc.Div, 'integer division by zero');
  const a = wide
    ? signed
      ? toBigS(x.aLo, x.aHi)
      : toBig(x.aLo, x.aHi)
    : signed
      ? BigInt(x.aLo | 0)
      : BigInt(x.aLo >>> 0);
  let q = rem ? a % b : a / b;
  // sdiv of MIN by -1 yields MIN (opcodes.md §3, QEMU).
  if (!rem) q = wide ? BigInt.asIntN(64, q) : BigInt.asIntN(32, q);
  x.rLo = fromBig(q);
  x.rHi = wide ? HI.hi : 0;
}

/** udivx/sdivx/umodx/smodx: 64-bit dividend ÷ 32-bit divisor → 32-bit result (§3). */
function divx(x: Latch, signed: boolean, rem: boolean): void {
  const b = signed ? BigInt(x.bLo | 0) : BigInt(x.bLo >>> 0);
  if (b === 0n) return x.fault(Exc.Div, 'integer division by zero');
  const a = signed ? toBigS(x.aLo, x.aHi) : toBig(x.aLo, x.aHi);
  const q = a / b;
  const fits = signed ? q >= -(1n << 31n) && q < 1n << 31n : q < 1n << 32n;
  if (!fits) return x.fault(Exc.Div, 'quotient overflow');
  x.rLo = fromBig(rem ? a % b : q);
  x.rHi = 0;
}

function mulh(x: Latch, signed: boolean): void {
  const a = signed ? toBigS(x.aLo, x.aHi) : toBig(x.aLo, x.aHi);
  const b = signed ? toBigS(x.bLo, x.bHi) : toBig(x.bLo, x.bHi);
  x.rLo = fromBig((a * b) >> 64n);
  x.rHi = HI.hi;
}

/** Integer compare condition codes 0..7 (opcodes.md §5) on the difference src1 - src2. */
function cmpCode(code: number, wide: boolean, x: Latch): number {
  if (!wide) {
    const a = x.aLo | 0;
    const b = x.bLo | 0;
    const diff = (a - b) | 0;
    switch (code) {
      case 0:
        return ((a ^ b) & (a ^ diff)) < 0 ? 1 : 0;
      case 1:
        return a >>> 0 < b >>> 0 ? 1 : 0;
      case 2:
        return a === b ? 1 : 0;
      case 3:
        return a >>> 0 <= b >>> 0 ? 1 : 0;
      case 4:
        return diff < 0 ? 1 : 0;
      case 5:
        return popcnt32(diff & 0xff) & 1 ? 0 : 1;
      case 6:
        return a < b ? 1 : 0;
      default:
        return a <= b ? 1 : 0;
    }
  }
  const dl = sub64(x.aLo, x.aHi, x.bLo, x.bHi);
  const dh = HI.hi;
  switch (code) {
    case 0:
      return ((x.aHi ^ x.bHi) & (x.aHi ^ dh)) < 0 ? 1 : 0;
    case 1:
      return cmpU64(x.aLo, x.aHi, x.bLo, x.bHi) < 0 ? 1 : 0;
    case 2:
      return x.aLo === x.bLo && x.aHi === x.bHi ? 1 : 0;
    case 3:
      return cmpU64(x.aLo, x.aHi, x.bLo, x.bHi) <= 0 ? 1 : 0;
    case 4:
      return dh < 0 ? 1 : 0;
    case 5:
      return popcnt32(dl & 0xff) & 1 ? 0 : 1;
    case 6:
      return cmpS64(x.aLo, x.aHi, x.bLo, x.bHi) < 0 ? 1 : 0;
    default:
      return cmpS64(x.aLo, x.aHi, x.bLo, x.bHi) <= 0 ? 1 : 0;
  }
}

function cmpAnd(code: number, wide: boolean, x: Latch): number {
  const lo = x.aLo & x.bLo;
  const hi = wide ? x.aHi & x.bHi : 0;
  const neg = wide ? hi < 0 : lo < 0;
  const zero = lo === 0 && hi === 0;
  switch (code) {
    case 2:
      return zero ? 1 : 0;
    case 4:
      return neg ? 1 : 0;
    case 5:
      return popcnt32(lo & 0xff) & 1 ? 0 : 1;
    default:
      return zero || neg ? 1 : 0;
  }
}

/**
 * How cctop evaluates `l`/`le` (the docs do not say): 'x86' (default) the x86 conditions
 * SF≠OF / ZF∨(SF≠OF); 'mask' QEMU's gen_alf8 — any flag of SF|OF / ZF|SF|OF set. The other
 * six conditions are the same either way. Set before code is compiled.
 */
export const CCTOP = { mode: 'x86' as 'x86' | 'mask' };

/** cctop masks for QEMU's reading, by condition code. */
const CC_MASK = [0x800, 0x1, 0x40, 0x41, 0x80, 0x4, 0x880, 0x8c0];

/**
 * cctop<c> (ALOPF8, opcodes.md §5): tests condition `c` (codes as the integer compares:
 * o, b, e, be, s, p, l, le) on the x86-style condition-code word in src2 and writes a
 * predicate. The docs give no bit layout; we read the word as x86 EFLAGS (CF bit 0, PF
 * bit 2, ZF bit 6, SF bit 7, OF bit 11) — an assumption, see README.
 */
export function ccTest(code: number): Impl {
  if (CCTOP.mode === 'mask') {
    const m = CC_MASK[code];
    return (x) => void ((x.rLo = (x.bLo & m) !== 0 ? 1 : 0), (x.rHi = 0));
  }
  return (x) => {
    const f = x.bLo;
    const cf = f & 1;
    const pf = (f >>> 2) & 1;
    const zf = (f >>> 6) & 1;
    const sf = (f >>> 7) & 1;
    const of = (f >>> 11) & 1;
    const r = [of, cf, zf, cf | zf, sf, pf, sf ^ of, zf | (sf ^ of)][code];
    x.rLo = r;
    x.rHi = 0;
  };
}

/** Compare implementations, indexed by opc (0x20-0x23) * 8 + code. */
export function intCompare(opc: number, code: number): Impl {
  const wide = (opc & 1) === 1;
  if (opc >= 0x22) return (x) => void ((x.rLo = cmpAnd(code, wide, x)), (x.rHi = 0));
  // the common conditions without the difference (loop branches are hot in every program)
  if (wide) {
    switch (code) {
      case 1:
        return (x) => void ((x.rLo = cmpU64(x.aLo, x.aHi, x.bLo, x.bHi) < 0 ? 1 : 0), (x.rHi = 0));
      case 2:
        return (x) => void ((x.rLo = x.aLo === x.bLo && x.aHi === x.bHi ? 1 : 0), (x.rHi = 0));
      case 3:
        return (x) => void ((x.rLo = cmpU64(x.aLo, x.aHi, x.bLo, x.bHi) <= 0 ? 1 : 0), (x.rHi = 0));
      case 6:
        return (x) =>
          void (
            (x.rLo =
              (x.aHi | 0) < (x.bHi | 0) || (x.aHi === x.bHi && x.aLo >>> 0 < x.bLo >>> 0) ? 1 : 0),
            (x.rHi = 0)
          );
      case 7:
        return (x) =>
          void (
            (x.rLo =
              (x.aHi | 0) < (x.bHi | 0) || (x.aHi === x.bHi && x.aLo >>> 0 <= x.bLo >>> 0) ? 1 : 0),
            (x.rHi = 0)
          );
    }
  } else {
    switch (code) {
      case 2:
        return (x) => void ((x.rLo = x.aLo === x.bLo ? 1 : 0), (x.rHi = 0));
      case 6:
        return (x) => void ((x.rLo = (x.aLo | 0) < (x.bLo | 0) ? 1 : 0), (x.rHi = 0));
      case 7:
        return (x) => void ((x.rLo = (x.aLo | 0) <= (x.bLo | 0) ? 1 : 0), (x.rHi = 0));
    }
  }
  return (x) => void ((x.rLo = cmpCode(code, wide, x)), (x.rHi = 0));
}

function clz64(lo: number, hi: number): number {
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
}

export const INT_OPS: Record<string, Impl> = {
  ands: s((a, b) => a & b),
  andd: dl((a, b) => a & b),
  andns: s((a, b) => a & ~b),
  andnd: dl((a, b) => a & ~b),
  ors: s((a, b) => a | b),
  ord: dl((a, b) => a | b),
  orns: s((a, b) => a | ~b),
  ornd: dl((a, b) => a | ~b),
  xors: s((a, b) => a ^ b),
  xord: dl((a, b) => a ^ b),
  xorns: s((a, b) => a ^ ~b),
  xornd: dl((a, b) => a ^ ~b),
  adds: s((a, b) => a + b),
  addd: d(add64),
  subs: s((a, b) => a - b),
  subd: d(sub64),
  shls: s((a, b) => a << (b & 31)),
  shld: d((al, ah, bl) => shl64(al, ah, bl)),
  shrs: s((a, b) => a >>> (b & 31)),
  shrd: d((al, ah, bl) => shr64(al, ah, bl)),
  sars: s((a, b) => a >> (b & 31)),
  sard: d((al, ah, bl) => sar64(al, ah, bl)),
  scls: s((a, b) => (a << (b & 31)) | (a >>> ((32 - (b & 31)) & 31))),
  scld: d((al, ah, bl) => rotl64(al, ah, bl)),
  scrs: s((a, b) => (a >>> (b & 31)) | (a << ((32 - (b & 31)) & 31))),
  scrd: d((al, ah, bl) => rotr64(al, ah, bl)),
  getfs: (x) => getf(x, false, false),
  getfd: (x) => getf(x, true, false),
  getfzs: (x) => getf(x, false, true),
  getfzd: (x) => getf(x, true, true),
  insfs: (x) => insf(x, false),
  insfd: (x) => insf(x, true),
  sxt,
  muls: s((a, b) => Math.imul(a, b)),
  muld: d(mul64),
  umulx: (x) => {
    x.rLo = mulU32(x.aLo, x.bLo);
    x.rHi = HI.hi;
  },
  smulx: (x) => {
    x.rLo = mulU32(x.aLo, x.bLo);
    // signed correction of the unsigned product's high word
    x.rHi = (HI.hi - (x.aLo < 0 ? x.bLo : 0) - (x.bLo < 0 ? x.aLo : 0)) | 0;
  },
  umulhd: (x) => mulh(x, false),
  smulhd: (x) => mulh(x, true),
  udivs: (x) => div(x, false, false, false),
  udivd: (x) => div(x, false, true, false),
  sdivs: (x) => div(x, true, false, false),
  sdivd: (x) => div(x, true, true, false),
  udivx: (x) => divx(x, false, false),
  umodx: (x) => divx(x, false, true),
  sdivx: (x) => divx(x, true, false),
  smodx: (x) => divx(x, true, true),
  bitrevs: (x) => void ((x.rLo = bitrev32(x.bLo)), (x.rHi = 0)),
  bitrevd: (x) => void ((x.rLo = bitrev32(x.bHi)), (x.rHi = bitrev32(x.bLo))),
  lzcnts: (x) => void ((x.rLo = Math.clz32(x.bLo)), (x.rHi = 0)),
  lzcntd: (x) => void ((x.rLo = clz64(x.bLo, x.bHi)), (x.rHi = 0)),
  popcnts: (x) => void ((x.rLo = popcnt32(x.bLo)), (x.rHi = 0)),
  popcntd: (x) => void ((x.rLo = popcnt32(x.bLo) + popcnt32(x.bHi)), (x.rHi = 0)),
  addcd: (x) => {
    let lo = add64(x.aLo, x.aHi, x.bLo, x.bHi);
    const hi = HI.hi;
    lo = add64(lo, hi, x.cLo & 1, 0);
    x.rLo = lo;
    x.rHi = HI.hi;
  },
  addcd_c: (x) => {
    const sum = toBig(x.aLo, x.aHi) + toBig(x.bLo, x.bHi) + BigInt(x.cLo & 1);
    x.rLo = sum >> 64n ? 1 : 0;
    x.rHi = 0;
  },
  subcd: (x) => {
    let lo = sub64(x.aLo, x.aHi, x.bLo, x.bHi);
    const hi = HI.hi;
    lo = sub64(lo, hi, x.cLo & 1, 0);
    x.rLo = lo;
    x.rHi = HI.hi;
  },
  subcd_c: (x) => {
    const diff = toBig(x.aLo, x.aHi) - toBig(x.bLo, x.bHi) - BigInt(x.cLo & 1);
    x.rLo = diff < 0n ? 1 : 0;
    x.rHi = 0;
  },
};

/** Carry-less 64×64 → 128-bit product of a and b as four 32-bit words, low first. */
function clmul(x: Latch): [number, number, number, number] {
  let r0 = 0;
  let r1 = 0;
  let r2 = 0;
  let r3 = 0;
  for (let i = 0; i < 64; i++) {
    if ((((i < 32 ? x.bLo : x.bHi) >>> (i & 31)) & 1) === 0) continue;
    // a << i over 128 bits, xor-accumulated
    const s = i & 31;
    const w0 = s ? x.aLo << s : x.aLo;
    const w1 = s ? (x.aHi << s) | (x.aLo >>> (32 - s)) : x.aHi;
    const w2 = s ? x.aHi >>> (32 - s) : 0;
    if (i < 32) {
      r0 ^= w0;
      r1 ^= w1;
      r2 ^= w2;
    } else {
      r1 ^= w0;
      r2 ^= w1;
      r3 ^= w2;
    }
  }
  return [r0, r1, r2, r3];
}
INT_OPS.clmull = (x) => {
  const r = clmul(x);
  x.rLo = r[0];
  x.rHi = r[1];
};
INT_OPS.clmulh = (x) => {
  const r = clmul(x);
  x.rLo = r[2];
  x.rHi = r[3];
};
