/**
 * Page-table entry formats (system.md §3.2). An entry is a 64-bit word handled as two
 * 32-bit halves (lo = bits 31:0, hi = bits 63:32); `decodePte` normalizes either format
 * into a small flag set plus the 48-bit physical frame address so the walker is
 * format-independent. CORE_MODE.pt_v6 (bit 5) selects the format.
 */

// Normalized flags (our own numbering, not a hardware layout).
export const F_P = 1;
export const F_W = 2;
export const F_VALID = 4;
export const F_PV = 8;
export const F_NX = 16;
export const F_HUGE = 32;
export const F_G = 64;
export const F_A = 128;
export const F_D = 256;
export const F_INT_PR = 512;

/** Legacy-format bit masks (full 64-bit positions split into halves). */
export const LEGACY = {
  P: 1 << 0,
  W: 1 << 1,
  PWT: 1 << 3,
  CD1: 1 << 4,
  A: 1 << 5,
  D: 1 << 6,
  HUGE: 1 << 7,
  G: 1 << 8,
  CD2: 1 << 9,
  NWA: 1 << 10,
  /** hi-half masks: VALID = bit 40, PV = 41, INT_PR = 42, NON_EX = 43. */
  HI_VALID: 1 << 8,
  HI_PV: 1 << 9,
  HI_INT_PR: 1 << 10,
  HI_NON_EX: 1 << 11,
  /** PFN is bits 39:12 → hi bits 7:0. */
  HI_PFN_MASK: 0xff,
} as const;

/** v6-format bit masks. */
export const V6 = {
  P: 1 << 0,
  W: 1 << 1,
  PV: 1 << 2,
  VALID: 1 << 3,
  INT_PR: 1 << 4,
  A: 1 << 5,
  D: 1 << 6,
  HUGE: 1 << 7,
  G: 1 << 8,
  NWA: 1 << 9,
  SW1: 1 << 10,
  SW2: 1 << 11,
  /** PFN is bits 47:12 → hi bits 15:0. */
  HI_PFN_MASK: 0xffff,
  /** MT bits 62:60 → hi bits 30:28. */
  HI_MT_SHIFT: 28,
  /** NON_EX bit 63 → hi bit 31. */
  HI_NON_EX: 1 << 31,
} as const;

export interface DecodedPte {
  flags: number;
  /** Physical address of the next table / page frame (bits 11:0 zero). */
  addr: number;
}

/** Decodes one entry; `out` is reused to keep the walk allocation-free. */
export function decodePte(lo: number, hi: number, v6: boolean, out: DecodedPte): DecodedPte {
  let f = 0;
  if (v6) {
    if (lo & V6.P) f |= F_P;
    if (lo & V6.W) f |= F_W;
    if (lo & V6.PV) f |= F_PV;
    if (lo & V6.VALID) f |= F_VALID;
    if (lo & V6.INT_PR) f |= F_INT_PR;
    if (lo & V6.A) f |= F_A;
    if (lo & V6.D) f |= F_D;
    if (lo & V6.HUGE) f |= F_HUGE;
    if (lo & V6.G) f |= F_G;
    if (hi & V6.HI_NON_EX) f |= F_NX;
    out.addr = (lo & 0xfffff000) >>> 0;
    out.addr += (hi & V6.HI_PFN_MASK) * 2 ** 32;
  } else {
    if (lo & LEGACY.P) f |= F_P;
    if (lo & LEGACY.W) f |= F_W;
    if (lo & LEGACY.A) f |= F_A;
    if (lo & LEGACY.D) f |= F_D;
    if (lo & LEGACY.HUGE) f |= F_HUGE;
    if (lo & LEGACY.G) f |= F_G;
    if (hi & LEGACY.HI_VALID) f |= F_VALID;
    if (hi & LEGACY.HI_PV) f |= F_PV;
    if (hi & LEGACY.HI_INT_PR) f |= F_INT_PR;
    if (hi & LEGACY.HI_NON_EX) f |= F_NX;
    out.addr = (lo & 0xfffff000) >>> 0;
    out.addr += (hi & LEGACY.HI_PFN_MASK) * 2 ** 32;
  }
  out.flags = f;
  return out;
}

/**
 * Encodes normalized flags + frame address in the chosen format (for page-table builders
 * and tests). Frame bits beyond the format's PFN width are dropped.
 */
export function encodePte(flags: number, addr: number, v6: boolean): { lo: number; hi: number } {
  let lo = ((addr % 2 ** 32) & 0xfffff000) >>> 0;
  const top = Math.floor(addr / 2 ** 32);
  let hi: number;
  if (v6) {
    hi = top & V6.HI_PFN_MASK;
    if (flags & F_P) lo |= V6.P;
    if (flags & F_W) lo |= V6.W;
    if (flags & F_PV) lo |= V6.PV;
    if (flags & F_VALID) lo |= V6.VALID;
    if (flags & F_INT_PR) lo |= V6.INT_PR;
    if (flags & F_A) lo |= V6.A;
    if (flags & F_D) lo |= V6.D;
    if (flags & F_HUGE) lo |= V6.HUGE;
    if (flags & F_G) lo |= V6.G;
    if (flags & F_NX) hi |= V6.HI_NON_EX;
  } else {
    hi = top & LEGACY.HI_PFN_MASK;
    if (flags & F_P) lo |= LEGACY.P;
    if (flags & F_W) lo |= LEGACY.W;
    if (flags & F_A) lo |= LEGACY.A;
    if (flags & F_D) lo |= LEGACY.D;
    if (flags & F_HUGE) lo |= LEGACY.HUGE;
    if (flags & F_G) lo |= LEGACY.G;
    if (flags & F_VALID) hi |= LEGACY.HI_VALID;
    if (flags & F_PV) hi |= LEGACY.HI_PV;
    if (flags & F_INT_PR) hi |= LEGACY.HI_INT_PR;
    if (flags & F_NX) hi |= LEGACY.HI_NON_EX;
  }
  return { lo: lo >>> 0, hi: hi >>> 0 };
}
