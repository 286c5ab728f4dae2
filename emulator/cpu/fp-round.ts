/**
 * IEEE-754 rounding modes and exception flags for binary32/binary64 on top of the host's
 * round-to-nearest arithmetic (opcodes.md §7: %pfpfr rc 0 nearest-even, 1 down, 2 up,
 * 3 toward zero; flags bit 0 invalid, 2 divide-by-zero, 3 overflow, 4 underflow,
 * 5 inexact — the MXCSR-like layout of %pfpfr).
 *
 * Each operation computes the nearest result plus the sign of the exact error using
 * error-free transformations (TwoSum, Dekker's TwoProduct); the directed modes then step
 * one ulp toward the required side. Limitation: when an intermediate of the error term
 * under- or overflows (operands beyond about 2^±900, subnormal products/quotients) the
 * error sign may be lost and the nearest result is kept.
 */

export const FE_INVALID = 1;
export const FE_DIVZERO = 4;
export const FE_OVERFLOW = 8;
export const FE_UNDERFLOW = 16;
export const FE_INEXACT = 32;

/** Current rounding mode (set by the executor from %pfpfr) and sticky flags of the bundle. */
export const FPENV = { rc: 0, flags: 0 };

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const u32s = new Uint32Array(f32.buffer);

function step64(x: number, up: boolean): number {
  if (Number.isNaN(x) || x === (up ? Infinity : -Infinity)) return x;
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  f64[0] = x;
  const away = x > 0 === up;
  let lo = u32[0];
  let hi = u32[1];
  if (away) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  } else {
    if (lo === 0) hi = (hi - 1) >>> 0;
    lo = (lo - 1) >>> 0;
  }
  u32[0] = lo;
  u32[1] = hi;
  return f64[0];
}

function step32(x: number, up: boolean): number {
  if (Number.isNaN(x) || x === (up ? Infinity : -Infinity)) return x;
  if (x === 0) return up ? 2 ** -149 : -(2 ** -149);
  f32[0] = x;
  u32s[0] = x > 0 === up ? u32s[0] + 1 : u32s[0] - 1;
  return f32[0];
}

/** Applies the rounding mode to nearest result `r` whose exact error has sign `err`. */
function direct(r: number, err: number, single: boolean): number {
  if (err === 0) return r;
  FPENV.flags |= FE_INEXACT;
  const rc = FPENV.rc;
  if (rc === 0) return r;
  const step = single ? step32 : step64;
  if (rc === 1) return err < 0 ? step(r, false) : r;
  if (rc === 2) return err > 0 ? step(r, true) : r;
  if (err < 0 && r > 0) return step(r, false);
  if (err > 0 && r < 0) return step(r, true);
  return r;
}

/** Overflow/underflow flags and the directed-mode overflow results. */
function finish(r: number, single: boolean, inputsFinite: boolean, err: number): number {
  const max = single ? 3.4028234663852886e38 : Number.MAX_VALUE;
  if (!Number.isFinite(r) && !Number.isNaN(r) && inputsFinite) {
    FPENV.flags |= FE_OVERFLOW | FE_INEXACT;
    const rc = FPENV.rc;
    if (rc === 3 || (rc === 1 && r > 0) || (rc === 2 && r < 0)) return r > 0 ? max : -max;
    return r;
  }
  const tiny = single ? 2 ** -126 : 2 ** -1022;
  if (err !== 0 && Math.abs(r) < tiny) FPENV.flags |= FE_UNDERFLOW;
  return r;
}

const SPLIT = 134217729; // 2^27 + 1

/** Exact error of a*b relative to the rounded product p (0 if it cannot be computed). */
function mulErr(a: number, b: number, p: number): number {
  if (!Number.isFinite(p) || Math.abs(a) > 2 ** 996 || Math.abs(b) > 2 ** 996) return 0;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

function invalid(r: number, ...ins: number[]): number {
  if (Number.isNaN(r) && !ins.some(Number.isNaN)) FPENV.flags |= FE_INVALID;
  return r;
}

export type FpOp = 'add' | 'sub' | 'mul' | 'div' | 'sqrt';

/** a op b in double precision with the current rounding mode and flags. */
export function op64(op: FpOp, a: number, b: number): number {
  let r: number;
  let err = 0;
  if (op === 'sub') {
    b = -b;
    op = 'add';
  }
  switch (op) {
    case 'add': {
      r = a + b;
      if (Number.isFinite(r)) {
        const bb = r - a;
        err = a - (r - bb) + (b - bb);
      }
      break;
    }
    case 'mul':
      r = a * b;
      err = mulErr(a, b, r);
      break;
    case 'div': {
      r = a / b;
      if (b === 0 && a === a && a !== 0 && Number.isFinite(a)) FPENV.flags |= FE_DIVZERO;
      if (Number.isFinite(r) && r !== 0 && Number.isFinite(b)) {
        const res = a - r * b - mulErr(r, b, r * b);
        err = res === 0 ? 0 : Math.sign(res) * Math.sign(b);
      } else if (r === 0 && a !== 0 && Number.isFinite(b)) err = Math.sign(a) * Math.sign(b);
      break;
    }
    default: {
      r = Math.sqrt(a);
      if (Number.isFinite(r) && r > 0) err = a - r * r - mulErr(r, r, r * r);
    }
  }
  r = invalid(r, a, b);
  const fin = Number.isFinite(a) && Number.isFinite(b);
  r = direct(r, err, false);
  return finish(r, false, fin, err);
}

/** a op b in single precision (inputs are binary32 values held in doubles). */
export function op32(op: FpOp, a: number, b: number): number {
  // The double result plus its own error is the exact result for + - * of binary32 inputs;
  // for / and sqrt the double error sign decides only when the double is already a float.
  const saved = FPENV.rc;
  const savedFlags = FPENV.flags;
  FPENV.rc = 0;
  const d = op64(op, a, b);
  FPENV.rc = saved;
  let e = 0;
  if (op === 'add' || op === 'sub') {
    const bb = op === 'sub' ? -b : b;
    if (Number.isFinite(d)) {
      const t = d - a;
      e = a - (d - t) + (bb - t);
    }
  } else if (op === 'mul') e = mulErr(a, b, d);
  else if (op === 'div' && Number.isFinite(d) && d !== 0 && b !== 0 && Number.isFinite(b)) {
    const res = a - d * b - mulErr(d, b, d * b);
    e = res === 0 ? 0 : Math.sign(res) * Math.sign(b);
  } else if (op === 'sqrt' && Number.isFinite(d) && d > 0) e = a - d * d - mulErr(d, d, d * d);
  FPENV.flags = savedFlags | (FPENV.flags & (FE_INVALID | FE_DIVZERO));
  const f = Math.fround(d);
  if (!Number.isFinite(f) && Number.isFinite(d)) return finish(f, true, true, 1);
  const diff = d - f;
  const err = diff !== 0 ? diff : e;
  const fin = Number.isFinite(a) && Number.isFinite(b);
  return finish(direct(f, err, true), true, fin, err);
}

/** Float → integer with the current rounding mode (unless `trunc`). */
export function roundInt(v: number, trunc: boolean): number {
  if (!Number.isFinite(v)) return v;
  let r: number;
  const rc = trunc ? 3 : FPENV.rc;
  if (rc === 1) r = Math.floor(v);
  else if (rc === 2) r = Math.ceil(v);
  else if (rc === 3) r = Math.trunc(v);
  else {
    r = Math.round(v);
    if (r - v === 0.5 && r % 2 !== 0) r -= 1;
  }
  if (r !== v) FPENV.flags |= FE_INEXACT;
  return r;
}

/** Integer → float (the conversion can be inexact for |v| > 2^53 / 2^24). */
export function fromInt(v: number, single: boolean, exact?: bigint): number {
  const d = exact !== undefined ? Number(exact) : v;
  let err = exact !== undefined ? Number(exact - BigInt(d)) : 0;
  if (err === 0 && exact !== undefined && BigInt(d) !== exact) err = exact > BigInt(d) ? 1 : -1;
  if (!single) return direct(d, err, false);
  const f = Math.fround(d);
  return direct(f, d !== f ? d - f : err, true);
}

/** Rounding error of s = a + b (TwoSum; exact when s is finite). */
function sumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

const signBit = (v: number): boolean => v < 0 || Object.is(v, -0);

/** Sign of an exact zero sum p + c (IEEE 754 §6.3): −0 only for −0 + −0 or rounding down. */
function zeroSum(p: number, c: number): number {
  if (p === 0 && c === 0 && signBit(p) === signBit(c)) return p;
  return FPENV.rc === 1 ? -0 : 0;
}

/** Special operands (NaN, ∞): the unfused result is exact; invalid for ∞·0 and ∞ − ∞. */
function fmaSpecial(a: number, b: number, c: number, single: boolean): number {
  const r = a * b + c;
  if (Number.isNaN(r) && !Number.isNaN(a) && !Number.isNaN(b) && !Number.isNaN(c))
    FPENV.flags |= FE_INVALID;
  return single ? Math.fround(r) : r;
}

/**
 * Fused a·b + c for binary64 with one rounding (current mode, flags). The product is split
 * exactly (p + pe, Dekker) and the three-term sum rounded correctly with Boldo–Melquiond's
 * round-to-odd scheme: (th, tl) = TwoSum(c, p), v = RO(tl + pe), z = RN(th + v).
 * Limitation: operands beyond 2^996 or a product below 2^-969 (where the product's error
 * term is not representable) fall back to p + c with two roundings.
 */
export function fma64(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c))
    return fmaSpecial(a, b, c, false);
  const p = a * b;
  if (
    !Number.isFinite(p) ||
    Math.abs(a) > 2 ** 996 ||
    Math.abs(b) > 2 ** 996 ||
    (p !== 0 && Math.abs(p) < 2 ** -969)
  )
    return op64('add', p, c);
  const pe = mulErr(a, b, p);
  const th = p + c;
  if (!Number.isFinite(th)) return finish(th, false, true, th > 0 ? 1 : -1);
  const tl = sumErr(c, p, th);
  const q = tl + pe;
  const w = sumErr(tl, pe, q);
  let v = q;
  let r2 = w;
  if (w !== 0) {
    f64[0] = q;
    if ((u32[0] & 1) === 0) {
      v = step64(q, w > 0);
      r2 = -w;
    }
  }
  const z = th + v;
  const e1 = Number.isFinite(z) ? sumErr(th, v, z) : 0;
  const err = e1 !== 0 ? e1 : r2;
  if (z === 0 && err === 0) return zeroSum(p, c);
  return finish(direct(z, err, false), false, true, err);
}

/**
 * Fused a·b + c for binary32 (inputs are binary32 values held in doubles): the product is
 * exact in binary64; p + c is made round-to-odd in binary64 (TwoSum error as the sticky
 * bit), which a single rounding to binary32 then turns into the correctly rounded result.
 */
export function fma32(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c))
    return fmaSpecial(a, b, c, true);
  const p = a * b;
  let s = p + c;
  const t = sumErr(p, c, s);
  if (s === 0 && t === 0) return zeroSum(p, c);
  if (t !== 0) {
    f64[0] = s;
    if ((u32[0] & 1) === 0) s = step64(s, t > 0);
  }
  const f = Math.fround(s);
  if (!Number.isFinite(f)) return finish(f, true, true, f > 0 ? 1 : -1);
  const err = s - f;
  return finish(direct(f, err, true), true, true, err);
}
