/** 64-bit words as two unsigned 32-bit halves (no BigInt on hot paths). */
export interface U64 {
  lo: number;
  hi: number;
}

export const u64 = (lo = 0, hi = 0): U64 => ({ lo: lo >>> 0, hi: hi >>> 0 });

/** From a non-negative safe integer (addresses ≤ 2^53). */
export function u64FromNumber(v: number): U64 {
  if (!(v >= 0)) return u64();
  return u64(v % 2 ** 32, Math.floor(v / 2 ** 32));
}

/** To a number; exact while hi < 2^21 (i.e. values below 2^53). */
export const u64ToNumber = (w: U64): number => w.lo + w.hi * 2 ** 32;

export const u64Hex = (w: U64): string =>
  '0x' + (w.hi >>> 0).toString(16).padStart(8, '0') + (w.lo >>> 0).toString(16).padStart(8, '0');

export function u64FromHex(s: string): U64 {
  const t = s.replace(/^0x/i, '').padStart(16, '0');
  if (!/^[0-9a-f]{16}$/i.test(t)) return u64();
  return u64(parseInt(t.slice(8), 16), parseInt(t.slice(0, 8), 16));
}

/** Extracts bits [hi:lo] (width ≤ 32) of a 64-bit word. */
export function bits(w: U64, hiBit: number, loBit: number): number {
  const width = hiBit - loBit + 1;
  const mask = width >= 32 ? 0xffffffff : (1 << width) - 1;
  let v: number;
  if (loBit >= 32) v = w.hi >>> (loBit - 32);
  else if (loBit === 0) v = w.lo;
  else v = (w.lo >>> loBit) | (w.hi << (32 - loBit));
  return (v & mask) >>> 0;
}
