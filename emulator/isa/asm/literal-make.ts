/**
 * Literal candidates for a src2 value (encoding.md §15 step 5): size from the explicit
 * prefix or from the value and operand width, and the ordered list of places to try.
 */
import { BundleError } from '../bundle-api';
import type { Literal } from './literals';
import { ALL16, ALL32, ALL64, D64, H16, W32 } from './literals';

/** Automatically sized literals may also go into wider places, in this order. */
const AUTO16 = [...ALL16, ...ALL32, ...ALL64];
const AUTO32 = [...ALL32, ...ALL64];
import type { Src } from './operands';

/** Builds a literal for a src2 value (encoding.md §15 step 5). */
export function makeLiteral(s: Src & { t: 'val' }, wide: boolean, order: number): Literal {
  const spec = s.spec;
  const v = s.value ?? 0n;
  const sym = s.symbol !== null;
  let size = spec.size;
  const lit: Literal = { lo: 0, hi: 0, candidates: [], size: 16, order, place: null };
  if (spec.half && size !== 0 && size !== 16) {
    throw new BundleError('Invalid combination of literal format and location');
  }
  if (size === 0) {
    if (spec.half) size = 16;
    else if (sym)
      size = 64; // a symbol address is 64-bit in 64-bit mode (encoding.md §15)
    else if (v >= -32768n && v <= 32767n) size = 16;
    else if (!wide || (v >= -0x80000000n && v < 0x80000000n)) size = 32;
    else size = 64;
    // Auto-sized literals may fall back to wider places.
    if (size === 16) {
      set64(lit, v);
      lit.candidates = spec.lts >= 0 ? placesAt(16, spec.lts, spec.half) : AUTO16;
      lit.size = 16;
      return lit;
    }
    if (size === 32) {
      set64(lit, BigInt.asIntN(32, v));
      if (wide && !sym) set64(lit, v);
      lit.candidates = spec.lts >= 0 ? placesAt(32, spec.lts, null) : AUTO32;
      lit.size = 32;
      return lit;
    }
  }
  lit.size = size as 16 | 32 | 64;
  if (size === 16) {
    set64(lit, BigInt.asIntN(16, v));
    lit.lo &= 0xffff;
    lit.candidates = spec.lts >= 0 ? placesAt(16, spec.lts, spec.half) : ALL16;
  } else if (size === 32) {
    set64(lit, BigInt.asIntN(32, v));
    lit.candidates = spec.lts >= 0 ? placesAt(32, spec.lts, null) : ALL32;
  } else {
    set64(lit, v);
    lit.candidates = spec.lts >= 0 ? placesAt(64, spec.lts, null) : ALL64;
  }
  return lit;
}

/** Sets the literal's value bits from a (sign- or zero-extended) 64-bit value. */
function set64(lit: Literal, x: bigint): void {
  if (x >= -0x80000000n && x <= 0x7fffffffn) {
    // Small values (almost all literals): no 64-bit BigInt arithmetic.
    const n = Number(x);
    lit.lo = n >>> 0;
    lit.hi = n < 0 ? 0xffffffff : 0;
    return;
  }
  const u = BigInt.asUintN(64, x);
  lit.lo = Number(u & 0xffffffffn);
  lit.hi = Number(u >> 32n);
}

function placesAt(size: 16 | 32 | 64, lts: number, half: 'lo' | 'hi' | null) {
  if (size === 16) {
    if (lts > 1) throw new BundleError('Invalid combination of literal format and location');
    return half === 'lo'
      ? [H16(lts, false)]
      : half === 'hi'
        ? [H16(lts, true)]
        : [H16(lts, true), H16(lts, false)];
  }
  if (size === 32) return [W32(lts)];
  if (lts > 2) throw new BundleError('Invalid combination of literal format and location');
  return [D64(lts)];
}
