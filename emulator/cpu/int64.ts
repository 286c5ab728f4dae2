/**
 * 64-bit integer helpers on (lo, hi) int32 pairs, so the hot paths need no BigInt.
 * Functions that return a pair leave the high word in `H.hi`.
 */
export const H = { hi: 0 };

/** Unsigned compare of two 64-bit values: -1, 0, 1. */
export function cmpU64(alo: number, ahi: number, blo: number, bhi: number): number {
  const a = ahi >>> 0;
  const b = bhi >>> 0;
  if (a !== b) return a < b ? -1 : 1;
  const c = alo >>> 0;
  const d = blo >>> 0;
  return c === d ? 0 : c < d ? -1 : 1;
}

export function cmpS64(alo: number, ahi: number, blo: number, bhi: number): number {
  if ((ahi | 0) !== (bhi | 0)) return (ahi | 0) < (bhi | 0) ? -1 : 1;
  const c = alo >>> 0;
  const d = blo >>> 0;
  return c === d ? 0 : c < d ? -1 : 1;
}

export function add64(alo: number, ahi: number, blo: number, bhi: number): number {
  const lo = (alo >>> 0) + (blo >>> 0);
  H.hi = (ahi + bhi + (lo > 0xffffffff ? 1 : 0)) | 0;
  return lo | 0;
}

export function sub64(alo: number, ahi: number, blo: number, bhi: number): number {
  const lo = (alo >>> 0) - (blo >>> 0);
  H.hi = (ahi - bhi - (lo < 0 ? 1 : 0)) | 0;
  return lo | 0;
}

/** Unsigned 32×32 → 64. */
export function mulU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  H.hi = (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
  return (mid << 16) | (p00 & 0xffff) | 0;
}

/** Low 64 bits of a 64×64 product. */
export function mul64(alo: number, ahi: number, blo: number, bhi: number): number {
  const lo = mulU32(alo, blo);
  H.hi = (H.hi + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
  return lo;
}

export function shl64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) {
    H.hi = hi;
    return lo;
  }
  if (n >= 32) {
    H.hi = lo << (n - 32);
    return 0;
  }
  H.hi = (hi << n) | (lo >>> (32 - n));
  return lo << n;
}

export function shr64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) {
    H.hi = hi;
    return lo;
  }
  if (n >= 32) {
    H.hi = 0;
    return (hi >>> (n - 32)) | 0;
  }
  H.hi = (hi >>> n) | 0;
  return (lo >>> n) | (hi << (32 - n)) | 0;
}

export function sar64(lo: number, hi: number, n: number): number {
  n &= 63;
  if (n === 0) {
    H.hi = hi;
    return lo;
  }
  if (n >= 32) {
    H.hi = hi >> 31;
    return hi >> (n - 32);
  }
  H.hi = hi >> n;
  return (lo >>> n) | (hi << (32 - n)) | 0;
}

export function toBig(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

export function toBigS(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, toBig(lo, hi));
}

/** Sets the pair from a bigint (two's complement, 64 bits). */
export function fromBig(v: bigint): number {
  const u = BigInt.asUintN(64, v);
  H.hi = Number(u >> 32n) | 0;
  return Number(u & 0xffffffffn) | 0;
}

/** 64-bit value as a JS number (exact below 2^53; addresses are 48-bit). */
export function toNum(lo: number, hi: number): number {
  return (hi >>> 0) * 4294967296 + (lo >>> 0);
}

export function popcnt32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function bitrev32(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return (v >>> 16) | (v << 16) | 0;
}
