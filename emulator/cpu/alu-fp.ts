/**
 * Floating-point operations on binary32/binary64 values held in integer registers
 * (opcodes.md §7). + - * / sqrt and conversions honour the %pfpfr rounding mode and raise
 * the IEEE flags through fp-round.ts; min/max and compares are exact. Fused multiply-add
 * (fma*, v6) rounds once (fp-round.ts fma32/fma64).
 */
import { Latch } from './operands';
import type { Impl } from './operands';
import { fromBig, H } from './int64';
import { fma32, fma64, FPENV, fromInt, op32, op64, roundInt } from './fp-round';
import type { FpOp } from './fp-round';

const HI = H;

const buf = new ArrayBuffer(8);
const f64 = new Float64Array(buf);
const f32 = new Float32Array(buf);
const i32 = new Int32Array(buf);

export function asF32(w: number): number {
  i32[0] = w;
  return f32[0];
}

export function asF64(lo: number, hi: number): number {
  i32[0] = lo;
  i32[1] = hi;
  return f64[0];
}

function setF32(x: Latch, v: number): void {
  f32[0] = v;
  x.rLo = i32[0];
  x.rHi = 0;
}

function setF64(x: Latch, v: number): void {
  f64[0] = v;
  x.rLo = i32[0];
  x.rHi = i32[1];
}

/** Sticky FP flags of the bundle and the rounding mode (fp-round.ts), merged by the executor. */
export const FP = FPENV;

const f32op =
  (op: FpOp): Impl =>
  (x) =>
    setF32(x, op32(op, asF32(x.aLo), asF32(x.bLo)));
const f64op =
  (op: FpOp): Impl =>
  (x) =>
    setF64(x, op64(op, asF64(x.aLo, x.aHi), asF64(x.bLo, x.bHi)));

const fs2 =
  (f: (a: number, b: number) => number): Impl =>
  (x) => {
    const a = asF32(x.aLo);
    const b = asF32(x.bLo);
    const r = f(a, b);
    if (Number.isNaN(r) && !Number.isNaN(a) && !Number.isNaN(b)) FP.flags |= 1;
    setF32(x, r);
  };
const fd2 =
  (f: (a: number, b: number) => number): Impl =>
  (x) => {
    const a = asF64(x.aLo, x.aHi);
    const b = asF64(x.bLo, x.bHi);
    const r = f(a, b);
    if (Number.isNaN(r) && !Number.isNaN(a) && !Number.isNaN(b)) FP.flags |= 1;
    setF64(x, r);
  };

/** float → integer with x86-like "integer indefinite" on NaN/overflow (opcodes.md §7.2). */
function toInt(v: number, bits: 32 | 64, trunc: boolean, x: Latch): void {
  const r = roundInt(v, trunc);
  const lim = bits === 32 ? 2 ** 31 : 2 ** 63;
  if (Number.isNaN(r) || r >= lim || r < -lim) {
    FP.flags |= 1;
    x.rLo = bits === 32 ? 0x80000000 | 0 : 0;
    x.rHi = bits === 32 ? 0 : 0x80000000 | 0;
    return;
  }
  if (bits === 32) {
    x.rLo = r | 0;
    x.rHi = 0;
  } else {
    x.rLo = fromBig(BigInt(r));
    x.rHi = HI.hi;
  }
}

function i64(x: Latch): bigint {
  return BigInt.asIntN(64, (BigInt(x.bHi >>> 0) << 32n) | BigInt(x.bLo >>> 0));
}

/** FP compare codes 0..7 (opcodes.md §5 FP table). */
export function fcmp(code: number, a: number, b: number): number {
  const un = Number.isNaN(a) || Number.isNaN(b);
  switch (code) {
    case 0:
      return !un && a === b ? 1 : 0;
    case 1:
      return !un && a < b ? 1 : 0;
    case 2:
      return !un && a <= b ? 1 : 0;
    case 3:
      return un ? 1 : 0;
    case 4:
      return un || a !== b ? 1 : 0;
    case 5:
      return un || !(a < b) ? 1 : 0;
    case 6:
      return un || !(a <= b) ? 1 : 0;
    default:
      return un ? 0 : 1;
  }
}

/** fcmp*sb / fcmp*db into a predicate. */
export function fpCompare(wide: boolean, code: number): Impl {
  return wide
    ? (x) => void ((x.rLo = fcmp(code, asF64(x.aLo, x.aHi), asF64(x.bLo, x.bHi))), (x.rHi = 0))
    : (x) => void ((x.rLo = fcmp(code, asF32(x.aLo), asF32(x.bLo))), (x.rHi = 0));
}

function fmin(a: number, b: number): number {
  return a < b ? a : b;
}
function fmax(a: number, b: number): number {
  return b < a ? a : b;
}

export const FP_OPS: Record<string, Impl> = {
  fadds: f32op('add'),
  faddd: f64op('add'),
  fsubs: f32op('sub'),
  fsubd: f64op('sub'),
  fmuls: f32op('mul'),
  fmuld: f64op('mul'),
  fdivs: f32op('div'),
  fdivd: f64op('div'),
  fmins: fs2(fmin),
  fmind: fd2(fmin),
  fmaxs: fs2(fmax),
  fmaxd: fd2(fmax),
  fsqrts: (x) => setF32(x, op32('sqrt', asF32(x.bLo), 0)),
  fsqrtid: (x) => void ((x.rLo = x.bLo), (x.rHi = x.bHi)),
  fsqrttd: (x) => setF64(x, op64('sqrt', asF64(x.aLo, x.aHi), 0)),
  frcps: (x) => setF32(x, 1 / asF32(x.bLo)),
  frsqrts: (x) => setF32(x, 1 / Math.sqrt(asF32(x.bLo))),
  fscales: (x) => setF32(x, asF32(x.aLo) * 2 ** (x.bLo | 0)),
  fscaled: (x) => setF64(x, asF64(x.aLo, x.aHi) * 2 ** (x.bLo | 0)),
  fstois: (x) => toInt(asF32(x.bLo), 32, false, x),
  fstoistr: (x) => toInt(asF32(x.bLo), 32, true, x),
  fstoid: (x) => toInt(asF32(x.bLo), 64, false, x),
  fstoidtr: (x) => toInt(asF32(x.bLo), 64, true, x),
  fdtois: (x) => toInt(asF64(x.bLo, x.bHi), 32, false, x),
  fdtoistr: (x) => toInt(asF64(x.bLo, x.bHi), 32, true, x),
  fdtoid: (x) => toInt(asF64(x.bLo, x.bHi), 64, false, x),
  fdtoidtr: (x) => toInt(asF64(x.bLo, x.bHi), 64, true, x),
  istofs: (x) => setF32(x, fromInt(x.bLo | 0, true)),
  istofd: (x) => setF64(x, x.bLo | 0),
  idtofs: (x) => setF32(x, fromInt(0, true, i64(x))),
  idtofd: (x) => setF64(x, fromInt(0, false, i64(x))),
  fstofd: (x) => setF64(x, asF32(x.bLo)),
  fdtofs: (x) => setF32(x, op32('add', asF64(x.bLo, x.bHi), 0)),
  fmas: (x) => setF32(x, fma32(asF32(x.aLo), asF32(x.bLo), asF32(x.cLo))),
  fmss: (x) => setF32(x, fma32(asF32(x.aLo), asF32(x.bLo), -asF32(x.cLo))),
  fnmas: (x) => setF32(x, fma32(-asF32(x.aLo), asF32(x.bLo), asF32(x.cLo))),
  fnmss: (x) => setF32(x, fma32(-asF32(x.aLo), asF32(x.bLo), -asF32(x.cLo))),
  fmad: (x) => setF64(x, fma64(asF64(x.aLo, x.aHi), asF64(x.bLo, x.bHi), asF64(x.cLo, x.cHi))),
  fmsd: (x) => setF64(x, fma64(asF64(x.aLo, x.aHi), asF64(x.bLo, x.bHi), -asF64(x.cLo, x.cHi))),
  fnmad: (x) => setF64(x, fma64(-asF64(x.aLo, x.aHi), asF64(x.bLo, x.bHi), asF64(x.cLo, x.cHi))),
  fnmsd: (x) => setF64(x, fma64(-asF64(x.aLo, x.aHi), asF64(x.bLo, x.bHi), -asF64(x.cLo, x.cHi))),
};

// FP compares producing a mask (opcodes.md §7.3): fcmp<cond>s / fcmp<cond>d.
const CODES = ['eq', 'lt', 'le', 'uod', 'neq', 'nlt', 'nle', 'od'];
CODES.forEach((c, code) => {
  FP_OPS[`fcmp${c}s`] = (x) => {
    x.rLo = fcmp(code, asF32(x.aLo), asF32(x.bLo)) ? -1 : 0;
    x.rHi = 0;
  };
  FP_OPS[`fcmp${c}d`] = (x) => {
    x.rLo = fcmp(code, asF64(x.aLo, x.aHi), asF64(x.bLo, x.bHi)) ? -1 : 0;
    x.rHi = x.rLo;
  };
});

/**
 * fcmp{od,ud}{s,d}f (opcodes.md §7.3): compare to an x86-style flag word — 0x45 unordered,
 * 0x40 equal, 0x01 less, 0x00 greater (ZF 0x40, PF 0x04, CF 0x01). The `od` (ordered)
 * form raises invalid for any NaN operand, `ud` only for a signalling NaN (as x86
 * comiss/ucomiss).
 */
function flagCompare(a: number, b: number, ordered: boolean, snan: boolean): number {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    if (ordered || snan) FP.flags |= 1;
    return 0x45;
  }
  return a === b ? 0x40 : a < b ? 0x01 : 0;
}
const snan32 = (w: number): boolean => (w & 0x7fc00000) === 0x7f800000 && (w & 0x3fffff) !== 0;
const snan64 = (hi: number, lo: number): boolean =>
  (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x7ffff) !== 0 || lo !== 0);
for (const [k, ordered] of [
  ['od', true],
  ['ud', false],
] as const) {
  FP_OPS[`fcmp${k}sf`] = (x) => {
    x.rLo = flagCompare(asF32(x.aLo), asF32(x.bLo), ordered, snan32(x.aLo) || snan32(x.bLo));
    x.rHi = 0;
  };
  FP_OPS[`fcmp${k}df`] = (x) => {
    x.rLo = flagCompare(
      asF64(x.aLo, x.aHi),
      asF64(x.bLo, x.bHi),
      ordered,
      snan64(x.aHi, x.aLo) || snan64(x.bHi, x.bLo),
    );
    x.rHi = 0;
  };
}

// Packed conversions (opcodes.md appendix): the two-lane forms convert each 32-bit lane
// with the current rounding mode (`…tr` truncates; NaN/overflow give 0x80000000 and
// invalid); the forms whose operands are a single value (pfdtois, pfstofd, pfdtofs,
// pfsqrts, pfsqrttd) are the scalar conversions of that value.
function lanes2(f: (w: number) => number): Impl {
  return (x) => {
    const hi = f(x.bHi);
    x.rLo = f(x.bLo);
    x.rHi = hi;
  };
}
const cvt = new Latch();
const f32ToI32 =
  (trunc: boolean) =>
  (w: number): number => {
    toInt(asF32(w), 32, trunc, cvt);
    return cvt.rLo;
  };
FP_OPS.pfstois = lanes2(f32ToI32(false));
FP_OPS.pfstoistr = lanes2(f32ToI32(true));
FP_OPS.pistofs = lanes2((w) => {
  f32[0] = fromInt(w | 0, true);
  return i32[0];
});
FP_OPS.pfdtois = FP_OPS.fdtois;
FP_OPS.pfdtoistr = FP_OPS.fdtoistr;
FP_OPS.pfstofd = FP_OPS.fstofd;
FP_OPS.pfdtofs = FP_OPS.fdtofs;
FP_OPS.pfsqrts = FP_OPS.fsqrts;
FP_OPS.pfsqrttd = FP_OPS.fsqrttd;

/**
 * fstoifs/fdtoifd (v3): round src2 to an integral value in its own format; src1 selects
 * the rounding — bit 2 set: the current %pfpfr mode, else mode src1[1:0] (0 nearest-even,
 * 1 down, 2 up, 3 toward zero); bit 3 suppresses the inexact flag (QEMU helper_fpu.c).
 */
function toIntegral(v: number, ctl: number): number {
  const saved = FP.flags;
  const rc = FP.rc;
  if ((ctl & 4) === 0) FP.rc = ctl & 3;
  const r = Number.isNaN(v) ? v : roundInt(v, false);
  FP.rc = rc;
  if (ctl & 8) FP.flags = (FP.flags & ~32) | (saved & 32);
  return r;
}
FP_OPS.fstoifs = (x) => setF32(x, toIntegral(asF32(x.bLo), x.aLo));
FP_OPS.fdtoifd = (x) => setF64(x, toIntegral(asF64(x.bLo, x.bHi), x.aLo));
// the packed-double form has a single lane: the scalar operation
FP_OPS.pfdtoifd = FP_OPS.fdtoifd;
