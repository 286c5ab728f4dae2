/**
 * Bundle layout (encoding.md §2-§4, §14): where each syllable lives inside a wide
 * instruction. `unpackBundle` only splits the bytes into syllables; it does not interpret
 * ALU operations (see decode.ts). It is total: illegal layouts give `invalid` with a reason.
 */

/** HS bit positions (encoding.md §2). */
export const HS = {
  ALS0: 26, // ALS c present: bit 26 + c
  ALES0: 20, // ALES c present: bit 20 + c
  PL_SHIFT: 18,
  CD_SHIFT: 16,
  CS1: 15,
  CS0: 14,
  SET_MARK: 13,
  SS: 12,
  LOOP_MODE: 10,
  NOP_SHIFT: 7,
  LNG_SHIFT: 4,
} as const;

/** ALES value assumed for channels 2/5 when the HS bit is set but no word stores it. */
export const ALES_DEFAULT = 0x01c0;

/** Syllables of one bundle. Absent syllables are -1 (ALES/AAS halves, words). */
export interface BundleLayout {
  length: number;
  hs: number;
  ss: number;
  als: Int32Array; // 6
  ales: Int32Array; // 6, -1 when the HS bit is clear
  /** v4+ ALES2/ALES5 word present (gas emits it only when non-default). */
  alesWord: boolean;
  cs0: number;
  cs1: number;
  aas: Int32Array; // 6: AAS0..AAS5
  lts: Int32Array; // 4 (as signed 32-bit; use >>> 0 for unsigned)
  ltsCount: number;
  pls: Int32Array; // 3
  plsCount: number;
  cds: Int32Array; // 3
  cdsCount: number;
  invalid: string | null;
}

/**
 * A fresh layout. The six syllable arrays are views into one 28-word buffer: one
 * ArrayBuffer per layout instead of six (each costs a few hundred bytes of heap and malloc
 * bookkeeping, which adds up for callers that keep decoded bundles).
 */
export function newLayout(): BundleLayout {
  const w = new Int32Array(28);
  return {
    length: 0,
    hs: 0,
    ss: -1,
    als: w.subarray(0, 6),
    ales: w.subarray(6, 12),
    alesWord: false,
    cs0: -1,
    cs1: -1,
    aas: w.subarray(12, 18),
    lts: w.subarray(18, 22),
    ltsCount: 0,
    pls: w.subarray(22, 25),
    plsCount: 0,
    cds: w.subarray(25, 28),
    cdsCount: 0,
    invalid: null,
  };
}

export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** Byte offset of half-syllable k inside the half part (even k = high half). */
function halfOffset(k: number): number {
  return 2 * ((k & ~1) + 1 - (k & 1));
}

function readHalf(b: Uint8Array, o: number, end: number): number {
  return o + 2 <= end ? b[o] | (b[o + 1] << 8) : 0;
}

/**
 * Splits the bundle at `offset` into syllables (encoding.md §14). Reuses `out` to stay
 * allocation-free. Returns `out`; check `out.invalid`.
 */
export function unpackBundle(b: Uint8Array, offset: number, out: BundleLayout): BundleLayout {
  out.invalid = null;
  out.ss = out.cs0 = out.cs1 = -1;
  out.als.fill(-1);
  out.ales.fill(-1);
  out.aas.fill(-1);
  out.ltsCount = out.plsCount = out.cdsCount = 0;
  out.alesWord = false;
  if (offset + 8 > b.length) {
    out.length = Math.max(0, Math.min(8, b.length - offset)) & ~3;
    out.hs = out.length >= 4 ? u32(b, offset) : 0;
    out.invalid = 'truncated bundle';
    return out;
  }
  const hs = u32(b, offset);
  out.hs = hs;
  const len = (((hs >>> HS.LNG_SHIFT) & 7) + 1) * 8;
  out.length = len;
  if (offset + len > b.length) {
    out.length = 8;
    out.invalid = 'bundle runs past the end of the data';
    return out;
  }
  let pos = 4;
  if (hs & (1 << HS.SS)) {
    out.ss = u32(b, offset + pos) | 0;
    pos += 4;
  }
  for (let c = 0; c < 6; c++) {
    if (hs & (1 << (HS.ALS0 + c))) {
      out.als[c] = u32(b, offset + pos) | 0;
      pos += 4;
    }
  }
  if (hs & (1 << HS.CS0)) {
    out.cs0 = u32(b, offset + pos) | 0;
    pos += 4;
  }
  if (hs & (1 << (HS.ALES0 + 2))) out.ales[2] = ALES_DEFAULT;
  if (hs & (1 << (HS.ALES0 + 5))) out.ales[5] = ALES_DEFAULT;
  const front = ((hs & 15) + 1) * 4;
  const cs1 = (hs & (1 << HS.CS1)) !== 0;
  if (front === pos + (cs1 ? 8 : 4)) {
    const w = u32(b, offset + pos);
    pos += 4;
    out.alesWord = true;
    if (hs & (1 << (HS.ALES0 + 2))) out.ales[2] = w >>> 16;
    if (hs & (1 << (HS.ALES0 + 5))) out.ales[5] = w & 0xffff;
  }
  if (cs1) {
    out.cs1 = u32(b, offset + pos) | 0;
    pos += 4;
  }
  if (front !== pos || pos > len) {
    out.invalid = 'middle pointer does not match the syllables present';
    return out;
  }
  let k = 0;
  const end = offset + len;
  for (let c = 0; c < 6; c++) {
    if (c === 2 || c === 5 || (hs & (1 << (HS.ALES0 + c))) === 0) continue;
    out.ales[c] = readHalf(b, offset + pos + halfOffset(k++), end);
  }
  if (out.ss !== -1 && (out.ss & (1 << 20)) === 0) {
    let present = 0;
    for (let m = 0; m < 4; m++) {
      if (out.ss & (1 << (12 + m))) present |= (1 << (m >> 1)) | (1 << (2 + m));
    }
    for (let i = 0; i < 6; i++) {
      if (present & (1 << i)) out.aas[i] = readHalf(b, offset + pos + halfOffset(k++), end);
    }
  }
  k += k & 1;
  const gap = pos + 2 * k;
  let p = len - 4;
  const cd = (hs >>> HS.CD_SHIFT) & 3;
  const pl = (hs >>> HS.PL_SHIFT) & 3;
  for (let i = 0; i < cd; i++, p -= 4) out.cds[i] = u32(b, offset + p) | 0;
  out.cdsCount = cd;
  for (let i = 0; i < pl; i++, p -= 4) out.pls[i] = u32(b, offset + p) | 0;
  out.plsCount = pl;
  if (p < gap - 4) {
    out.invalid = 'PLS/CDS syllables overlap the half-syllable part';
    return out;
  }
  let i = 0;
  for (; i < 4 && p >= gap; i++, p -= 4) out.lts[i] = u32(b, offset + p) | 0;
  out.ltsCount = i;
  return out;
}
