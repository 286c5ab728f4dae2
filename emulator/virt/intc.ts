/**
 * Interception records (virtualization.md §3): INTC_INFO_CU (2-word header + up to 2
 * entries of 2 words) and INTC_INFO_MU (up to 11 records of 7 words), with encoders to and
 * decoders from the register word streams (what INTC_INFO_xx reads return / what the
 * hypervisor writes back), and a readable form for the monitor.
 * Words are U64 halves; MU data words additionally carry their e2k tag.
 */
import { FT_SHIFT } from '../mmu/fault';
import { bits, u64, u64FromNumber, u64ToNumber, type U64 } from './u64';

// --- CU -----------------------------------------------------------------------------

/** CU header word 0 bit names (§3.2); index = bit number. */
export const CU_HDR_BITS: readonly (string | null)[] = [
  'rr_idr', 'rr_clkr', 'rr_sclkr', 'rr_dbg', 'rw_core_mode', 'rw_clkr', 'rw_sclkr',
  'rw_sclkm3', 'rw_dbg', 'hcem', 'virt', 'stop', 'hret_last_wish', null, null, null,
  'exc_instr_debug', 'exc_data_debug', 'exc_instr_page', 'exc_data_page', 'exc_mova',
  'exc_interrupt', 'exc_nm_interrupt', null,
  'hv_int', 'hv_nm_int', 'g_tmr', 'rr', 'rw', 'exc_mem_error', 'wait_trap', 'dbg',
  'tir_fz',
]; // prettier-ignore

// Unconditional event bits (hdr.lo 31:24).
export const HDR_HV_INT = 1 << 24;
export const HDR_HV_NM_INT = 1 << 25;
export const HDR_G_TMR = 1 << 26;
export const HDR_RR = 1 << 27;
export const HDR_RW = 1 << 28;
export const HDR_EXC_MEM_ERROR = 1 << 29;
export const HDR_WAIT_TRAP = 1 << 30;
export const HDR_DBG = 1 << 31;

export const ICE_FORCED = 0;
export const ICE_READ_CU = 1;
export const ICE_WRITE_CU = 2;
export const ICE_MASKED_HCALL = 3;
export const ICE_GLAUNCH = 4;
export const ICE_HRET = 5;
export const ICE_NAMES = ['FORCED', 'READ_CU', 'WRITE_CU', 'MASKED_HCALL', 'GLAUNCH', 'HRET'];

export interface CuEntry {
  code: number; // 7:0
  ch: number; // 11:8 (uncertain)
  regNum: number; // 19:12
  dst: number; // 27:20 (uncertain)
  vmDst: number; // 30:28 (uncertain)
  data: U64; // entry word 1
}

export interface CuRecord {
  /** evn_c 15:0. */
  evnC: number;
  /** exc_c 23:16 (as an 8-bit field). */
  excC: number;
  /** Unconditional events 31:24 (as an 8-bit field). */
  evnU: number;
  tirFz: boolean;
  /** Header word 1: no documented layout (uncertain: union of TIR exception bits). */
  hdrHi: U64;
  entries: CuEntry[];
}

export const CU_MAX_ENTRIES = 2;

export function emptyCu(): CuRecord {
  return { evnC: 0, excC: 0, evnU: 0, tirFz: false, hdrHi: u64(), entries: [] };
}

export function encodeCuHeader(r: CuRecord): U64 {
  const lo = (r.evnC & 0xffff) | ((r.excC & 0xff) << 16) | ((r.evnU & 0xff) << 24);
  return u64(lo, r.tirFz ? 1 : 0);
}

export function encodeCuEntry(e: CuEntry): U64 {
  const lo =
    (e.code & 0xff) |
    ((e.ch & 0xf) << 8) |
    ((e.regNum & 0xff) << 12) |
    ((e.dst & 0xff) << 20) |
    ((e.vmDst & 7) << 28);
  return u64(lo, 0);
}

/** Word stream of INTC_INFO_CU; INTC_PTR_CU = its length (2 + 2·entries). */
export function encodeCu(r: CuRecord): U64[] {
  const w = [encodeCuHeader(r), u64(r.hdrHi.lo, r.hdrHi.hi)];
  for (const e of r.entries.slice(0, CU_MAX_ENTRIES))
    w.push(encodeCuEntry(e), u64(e.data.lo, e.data.hi));
  return w;
}

/** Decodes a word stream; null for an empty stream (pointer 0 = no record). */
export function decodeCu(words: readonly U64[]): CuRecord | null {
  if (words.length < 2) return null;
  const h = words[0];
  const r: CuRecord = {
    evnC: bits(h, 15, 0),
    excC: bits(h, 23, 16),
    evnU: bits(h, 31, 24),
    tirFz: bits(h, 32, 32) === 1,
    hdrHi: u64(words[1].lo, words[1].hi),
    entries: [],
  };
  for (let i = 2; i + 1 < words.length && r.entries.length < CU_MAX_ENTRIES; i += 2) {
    const e = words[i];
    r.entries.push({
      code: bits(e, 7, 0),
      ch: bits(e, 11, 8),
      regNum: bits(e, 19, 12),
      dst: bits(e, 27, 20),
      vmDst: bits(e, 30, 28),
      data: u64(words[i + 1].lo, words[i + 1].hi),
    });
  }
  return r;
}

/** Names of all cause bits set in a CU header. */
export function cuCauses(r: CuRecord): string[] {
  const h = encodeCuHeader(r);
  const out: string[] = [];
  for (let b = 0; b < 33; b++) if (bits(h, b, b) && CU_HDR_BITS[b]) out.push(CU_HDR_BITS[b]!);
  return out;
}

// --- MU -----------------------------------------------------------------------------

export const IME_FORCED = 0;
export const IME_FORCED_GVA = 1;
export const IME_SHADOW_DATA = 2;
export const IME_GPA_DATA = 3;
export const IME_GPA_INSTR = 4;
export const IME_GPA_AINSTR = 5;
export const IME_MAS_IOADDR = 8;
export const IME_READ_MU = 9;
export const IME_WRITE_MU = 10;
export const IME_CACHE_FLUSH = 11;
export const IME_CACHE_LINE_FLUSH = 12;
export const IME_ICACHE_FLUSH = 13;
export const IME_ICACHE_LINE_FLUSH_USER = 14;
export const IME_ICACHE_LINE_FLUSH_SYSTEM = 15;
export const IME_TLB_FLUSH = 16;
export const IME_TLB_PAGE_FLUSH_LAST = 17;
export const IME_TLB_PAGE_FLUSH_UPPER = 18;
export const IME_TLB_ENTRY_PROBE = 19;

export const IME_NAMES: Readonly<Record<number, string>> = {
  0: 'FORCED', 1: 'FORCED_GVA', 2: 'SHADOW_DATA', 3: 'GPA_DATA', 4: 'GPA_INSTR',
  5: 'GPA_AINSTR', 8: 'MAS_IOADDR', 9: 'READ_MU', 10: 'WRITE_MU', 11: 'CACHE_FLUSH',
  12: 'CACHE_LINE_FLUSH', 13: 'ICACHE_FLUSH', 14: 'ICACHE_LINE_FLUSH_USER',
  15: 'ICACHE_LINE_FLUSH_SYSTEM', 16: 'TLB_FLUSH', 17: 'TLB_PAGE_FLUSH_LAST',
  18: 'TLB_PAGE_FLUSH_UPPER', 19: 'TLB_ENTRY_PROBE',
}; // prettier-ignore

export interface TaggedU64 extends U64 {
  tag: number;
}

export interface MuRecord {
  code: number; // hdr 7:0
  ptLevFin: boolean; // hdr 8
  ptLev: number; // hdr 11:9
  ignoreWrRights: boolean; // hdr 12
  gpa: number; // word 1
  /** word 2: GVA, or the MMU register address (reg << 4) / flush address. */
  gva: number;
  data: TaggedU64; // word 3
  condition: U64; // word 4 (Appendix C)
  dataExt: TaggedU64; // word 5
  mask: U64; // word 6
}

export const MU_WORDS = 7;
export const MU_MAX_RECORDS = 11;

export function muRecord(p: Partial<MuRecord> & { code: number }): MuRecord {
  return {
    ptLevFin: false,
    ptLev: 0,
    ignoreWrRights: false,
    gpa: 0,
    gva: 0,
    data: { lo: 0, hi: 0, tag: 0 },
    condition: u64(),
    dataExt: { lo: 0, hi: 0, tag: 0 },
    mask: u64(),
    ...p,
  };
}

/** Word stream of INTC_INFO_MU (7 words per record; tags kept on data words). */
export function encodeMu(recs: readonly MuRecord[]): TaggedU64[] {
  const out: TaggedU64[] = [];
  const t = (w: U64, tag = 0): TaggedU64 => ({ lo: w.lo >>> 0, hi: w.hi >>> 0, tag });
  for (const r of recs.slice(0, MU_MAX_RECORDS)) {
    const hdr =
      (r.code & 0xff) |
      (r.ptLevFin ? 1 << 8 : 0) |
      ((r.ptLev & 7) << 9) |
      (r.ignoreWrRights ? 1 << 12 : 0);
    out.push(
      t(u64(hdr, 0)),
      t(u64FromNumber(r.gpa)),
      t(u64FromNumber(r.gva)),
      t(r.data, r.data.tag),
      t(r.condition),
      t(r.dataExt, r.dataExt.tag),
      t(r.mask),
    );
  }
  return out;
}

/** Decodes whole 7-word records (a trailing partial record is ignored). */
export function decodeMu(words: readonly (U64 & { tag?: number })[]): MuRecord[] {
  const out: MuRecord[] = [];
  for (let i = 0; i + MU_WORDS <= words.length && out.length < MU_MAX_RECORDS; i += MU_WORDS) {
    const h = words[i];
    const tg = (w: U64 & { tag?: number }): TaggedU64 => ({
      lo: w.lo >>> 0,
      hi: w.hi >>> 0,
      tag: w.tag ?? 0,
    });
    out.push({
      code: bits(h, 7, 0),
      ptLevFin: bits(h, 8, 8) === 1,
      ptLev: bits(h, 11, 9),
      ignoreWrRights: bits(h, 12, 12) === 1,
      gpa: u64ToNumber(words[i + 1]),
      gva: u64ToNumber(words[i + 2]),
      data: tg(words[i + 3]),
      condition: u64(words[i + 4].lo, words[i + 4].hi),
      dataExt: tg(words[i + 5]),
      mask: u64(words[i + 6].lo, words[i + 6].hi),
    });
  }
  return out;
}

/** Condition-word fields of Appendix C used for display. */
export function decodeCondition(c: U64): {
  dst: number; fmt: number; store: boolean; mas: number; spec: boolean; pm: boolean;
  chan: number; faultType: number; missLvl: number;
} {
  return {
    dst: bits(c, 9, 0),
    fmt: bits(c, 12, 10),
    store: bits(c, 17, 17) === 1,
    mas: bits(c, 26, 20),
    spec: bits(c, 30, 30) === 1,
    pm: bits(c, 31, 31) === 1,
    chan: bits(c, 33, 32),
    faultType: bits(c, 47, FT_SHIFT),
    missLvl: bits(c, 49, 48),
  };
} // prettier-ignore

/** Copies `src` into `dst` in place (dst's entry objects are reused; the VMM's exit log). */
export function copyCu(dst: CuRecord, src: CuRecord): void {
  dst.evnC = src.evnC;
  dst.excC = src.excC;
  dst.evnU = src.evnU;
  dst.tirFz = src.tirFz;
  dst.hdrHi.lo = src.hdrHi.lo;
  dst.hdrHi.hi = src.hdrHi.hi;
  const n = Math.min(src.entries.length, CU_MAX_ENTRIES);
  while (dst.entries.length > n) dst.entries.pop();
  for (let i = 0; i < n; i++) {
    const s = src.entries[i];
    let d = dst.entries[i];
    if (d === undefined) {
      d = { code: 0, ch: 0, regNum: 0, dst: 0, vmDst: 0, data: u64() };
      dst.entries.push(d);
    }
    d.code = s.code;
    d.ch = s.ch;
    d.regNum = s.regNum;
    d.dst = s.dst;
    d.vmDst = s.vmDst;
    d.data.lo = s.data.lo;
    d.data.hi = s.data.hi;
  }
}

/** Copies `src` into `dst` in place. */
export function copyMu(dst: MuRecord, src: MuRecord): void {
  dst.code = src.code;
  dst.ptLevFin = src.ptLevFin;
  dst.ptLev = src.ptLev;
  dst.ignoreWrRights = src.ignoreWrRights;
  dst.gpa = src.gpa;
  dst.gva = src.gva;
  dst.data.lo = src.data.lo;
  dst.data.hi = src.data.hi;
  dst.data.tag = src.data.tag;
  dst.condition.lo = src.condition.lo;
  dst.condition.hi = src.condition.hi;
  dst.dataExt.lo = src.dataExt.lo;
  dst.dataExt.hi = src.dataExt.hi;
  dst.dataExt.tag = src.dataExt.tag;
  dst.mask.lo = src.mask.lo;
  dst.mask.hi = src.mask.hi;
}
