/**
 * Literal (LTS) placement exactly like gas (encoding.md §15 step 5): every long literal has
 * an ordered list of candidate places; all combinations are tried and the one with the
 * smallest occupancy mask wins (low LTS numbers and high halves first), ties keep the first
 * combination found. Identical contents may share a half or word.
 */
import { BundleError } from '../bundle-api';

/** A place: 16-bit half (k, hi/lo), 32-bit word k, or 64-bit pair k:k+1. */
export interface Place {
  size: 16 | 32 | 64;
  lts: number;
  hi: boolean;
}

export interface Literal {
  /** Value bits: lo = low 32 bits, hi = high 32 bits (64-bit form). */
  lo: number;
  hi: number;
  candidates: Place[];
  /** Explicitly sized (sorting tie-break: larger first). */
  size: 16 | 32 | 64;
  order: number;
  /**
   * Symbolic literals (value filled in by a relocation): `type:symbol+addend`. They share a
   * place only with the same key (same symbol, addend and relocation type), never with a
   * constant that happens to have the same bits (`lo`/`hi` of a symbolic literal hold only
   * its addend, not its value).
   */
  key?: string;
  /** Result. */
  place: Place | null;
}

const H16 = (lts: number, hi: boolean): Place => ({ size: 16, lts, hi });
const W32 = (lts: number): Place => ({ size: 32, lts, hi: false });
const D64 = (lts: number): Place => ({ size: 64, lts, hi: false });

export const ALL16: Place[] = [H16(0, true), H16(0, false), H16(1, true), H16(1, false)];
export const ALL32: Place[] = [W32(0), W32(1), W32(2), W32(3)];
export const ALL64: Place[] = [D64(0), D64(1), D64(2)];
export { H16, W32, D64 };

/** src2 operand code referring to a place (encoding.md §7.2). */
export function placeCode(p: Place): number {
  if (p.size === 16) return (p.hi ? 0xd4 : 0xd0) | p.lts;
  if (p.size === 32) return 0xd8 | p.lts;
  return 0xdc + p.lts;
}

/**
 * Halves (index 2k = LTSk lo, 2k+1 = LTSk hi) and their contents for a place: the 16 value
 * bits, or for a symbolic literal a negative tag unique to its key (`tag` ≥ 0).
 */
function halves(l: Literal, p: Place, tag: number): [number, number][] {
  const v = (j: number, bits: number) => (tag >= 0 ? -(16 + tag * 4 + j) : bits);
  if (p.size === 16) return [[2 * p.lts + (p.hi ? 1 : 0), v(0, l.lo & 0xffff)]];
  const out: [number, number][] = [
    [2 * p.lts, v(0, l.lo & 0xffff)],
    [2 * p.lts + 1, v(1, l.lo >>> 16)],
  ];
  if (p.size === 64)
    out.push([2 * p.lts + 2, v(2, l.hi & 0xffff)], [2 * p.lts + 3, v(3, l.hi >>> 16)]);
  return out;
}

/** Occupancy bit of a half: high halves and low LTS numbers are preferred. */
function maskBit(half: number): number {
  const k = half >> 1;
  return 1 << (2 * k + 1 - (half & 1));
}

/**
 * Places all literals (sets `place`), or throws "literals cannot be packed". `reserved`
 * halves (e.g. LTS0 of setwd) are unavailable.
 */
export function placeLiterals(lits: Literal[], reservedHalves: number): void {
  if (lits.length === 0) return;
  if (lits.length === 1 && reservedHalves === 0) {
    // Candidates are listed in increasing mask order: the first one is the best.
    lits[0].place = lits[0].candidates[0];
    return;
  }
  const sorted = [...lits].sort(
    (a, b) => a.candidates.length - b.candidates.length || b.size - a.size || a.order - b.order,
  );
  const keys: string[] = [];
  const tags = sorted.map((l) => {
    if (l.key === undefined) return -1;
    if (!keys.includes(l.key)) keys.push(l.key);
    return keys.indexOf(l.key);
  });
  const content = new Int32Array(8).fill(-1);
  for (let h = 0; h < 8; h++) if (reservedHalves & (1 << h)) content[h] = -2;
  const choice: (Place | null)[] = new Array(sorted.length).fill(null);
  let best: Place[] | null = null;
  let bestMask = Infinity;
  const rec = (i: number, mask: number): void => {
    if (mask > bestMask) return;
    if (i === sorted.length) {
      if (mask < bestMask) {
        bestMask = mask;
        best = choice.slice() as Place[];
      }
      return;
    }
    const l = sorted[i];
    for (const p of l.candidates) {
      const hs = halves(l, p, tags[i]);
      let ok = true;
      for (const [h, v] of hs) {
        if (h >= 8 || (content[h] !== -1 && content[h] !== v)) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      const saved = hs.map(([h]) => content[h]);
      let m = mask;
      for (const [h, v] of hs) {
        content[h] = v;
        m |= maskBit(h);
      }
      choice[i] = p;
      rec(i + 1, m);
      hs.forEach(([h], j) => (content[h] = saved[j]));
    }
  };
  rec(0, 0);
  if (!best) throw new BundleError('literals cannot be packed into a wide command');
  const chosen: Place[] = best;
  sorted.forEach((l, i) => (l.place = chosen[i]));
}

/** Writes placed literals into LTS words (lts[k] as unsigned 32-bit). Returns LTS count. */
export function fillLts(lits: Literal[], lts: number[]): number {
  let count = 0;
  for (const l of lits) {
    const p = l.place!;
    if (p.size === 16) {
      const w = lts[p.lts] ?? 0;
      lts[p.lts] =
        (p.hi ? (w & 0xffff) | ((l.lo & 0xffff) << 16) : (w & 0xffff0000) | (l.lo & 0xffff)) >>> 0;
      count = Math.max(count, p.lts + 1);
    } else {
      lts[p.lts] = l.lo >>> 0;
      count = Math.max(count, p.lts + 1);
      if (p.size === 64) {
        lts[p.lts + 1] = l.hi >>> 0;
        count = Math.max(count, p.lts + 2);
      }
    }
  }
  return count;
}
