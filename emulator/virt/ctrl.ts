/**
 * VIRT_CTRL_CU / VIRT_CTRL_MU / G_W_IMASK_MMU_CR (virtualization.md §1.1-1.3) and the
 * table-driven decision "does this guest action intercept?". Each rule names the control
 * bit it depends on; `decide*` functions return an `InterceptDecision` saying which header
 * bit / entry code / MU code the interception produces, or null when the guest proceeds.
 * Where the docs say (uncertain) the table holds our choice and `CtrlOptions` can change it.
 */
import { MAS_TLB_FLUSH, MAS_TLB_PAGE_FLUSH, MMU_CR } from '../mmu/regs';
import * as I from './intc';
import type { U64 } from './u64';

/** VIRT_CTRL_CU bit names (index = bit number; 12-15 and 23 reserved). */
export const VIRT_CTRL_CU_BITS: Readonly<Record<number, string>> = {
  0: 'rr_idr', 1: 'rr_clkr', 2: 'rr_sclkr', 3: 'rr_dbg', 4: 'rw_core_mode', 5: 'rw_clkr',
  6: 'rw_sclkr', 7: 'rw_sclkm3', 8: 'rw_dbg', 9: 'hcem', 10: 'virt', 11: 'stop',
  16: 'exc_instr_debug', 17: 'exc_data_debug', 18: 'exc_instr_page', 19: 'exc_data_page',
  20: 'exc_mova', 21: 'exc_interrupt', 22: 'exc_nm_interrupt', 24: 'g_th', 25: 'tir_fz',
  26: 'tir_rst', 27: 'sclk_v6',
}; // prettier-ignore

/** VIRT_CTRL_MU bit names (0-25 evn_c, 36 gp_pt_en, 37 sh_pt_en). */
export const VIRT_CTRL_MU_BITS: Readonly<Record<number, string>> = {
  0: 'rr_mmu_cr', 1: 'rr_pptb', 2: 'rr_vptb', 3: 'rr_apic_base', 4: 'rr_mtrr_pat',
  5: 'rr_ph_pci_b', 6: 'rr_dbg', 7: 'rr_dbg1', 8: 'rw_mmu_cr', 9: 'rw_pptb', 10: 'rw_vptb',
  11: 'rw_apic_base', 12: 'rw_mtrr_pat', 13: 'rw_ph_pci_b', 14: 'rw_dbg', 15: 'rw_dbg1',
  16: 'pma', 17: 'fl_dc', 18: 'fl_dcl', 19: 'fl_ic', 20: 'fl_icl_u', 21: 'fl_icl_p',
  22: 'fl_tlb', 23: 'fl_tlbpg', 24: 'fl_tlb2pg', 25: 'prb_entry', 36: 'gp_pt_en',
  37: 'sh_pt_en',
}; // prettier-ignore

const bitCache = new Map<Readonly<Record<number, string>>, Map<string, number>>();
/** Bit number of `name` in a control table (memoized: decisions run on every guest access). */
const bitOf = (tbl: Readonly<Record<number, string>>, name: string): number => {
  let m = bitCache.get(tbl);
  if (!m) {
    m = new Map(Object.entries(tbl).map(([b, n]) => [n, Number(b)]));
    bitCache.set(tbl, m);
  }
  const b = m.get(name);
  if (b === undefined) throw new Error(`unknown control bit '${name}'`); // programming error
  return b;
};
export const cuBit = (name: string): number => bitOf(VIRT_CTRL_CU_BITS, name);
export const muBit = (name: string): number => bitOf(VIRT_CTRL_MU_BITS, name);

export const isSet = (w: U64, bit: number): boolean =>
  bit < 32 ? ((w.lo >>> bit) & 1) === 1 : ((w.hi >>> (bit - 32)) & 1) === 1;

/** Builds a control word from bit names (tests, VMM defaults). */
export function ctrlWord(tbl: Readonly<Record<number, string>>, names: readonly string[]): U64 {
  const w = { lo: 0, hi: 0 };
  for (const n of names) {
    const b = bitOf(tbl, n);
    if (b < 32) w.lo = (w.lo | (1 << b)) >>> 0;
    else w.hi = (w.hi | (1 << (b - 32))) >>> 0;
  }
  return w;
}

/** KVM's default VIRT_CTRL_CU for a v6 host (§1.1). */
export const KVM_DEFAULT_CU = ctrlWord(VIRT_CTRL_CU_BITS, ['rr_idr', 'rw_sclkm3', 'virt', 'hcem', 'rw_sclkr', 'rr_sclkr']); // prettier-ignore
/** KVM's default VIRT_CTRL_MU in TDP mode (§1.2). */
export const KVM_DEFAULT_MU_TDP = ctrlWord(VIRT_CTRL_MU_BITS, ['gp_pt_en', 'rw_dbg1', 'rr_dbg1']); // prettier-ignore

export interface CtrlOptions {
  /** ISET of the CPU model: rw_sclkr (bit 6) exists only on v6 (reserved on v7). */
  iset?: number;
  /** Which read bit traps SCLKM1/SCLKM2 reads (uncertain; default rr_sclkr). */
  sclkmReadBit?: 'rr_sclkr' | null;
}

/**
 * A decision is immutable data, so each distinct one is built once and shared (the guest's
 * register accesses, MAS ops and exceptions decide on every occurrence; no object per call).
 */
export interface InterceptDecision {
  /** Control bit that caused it (VIRT_CTRL_CU/MU name), or 'unconditional'. */
  cause: string;
  /** Bits to OR into CU header word 0 (lo half). */
  hdr: number;
  /** CU entry code to add (ICE_*), if any. */
  cuCode?: number;
  /** MU record code to add (IME_*), if any. */
  muCode?: number;
}

/** Shared decisions, keyed per call site by a small integer (bit number, rule index). */
function memo(
  cache: (InterceptDecision | undefined)[],
  key: number,
  cause: string,
  hdr: number,
  cuCode?: number,
  muCode?: number,
): InterceptDecision {
  let d = cache[key];
  if (d === undefined) {
    d = { cause, hdr };
    if (cuCode !== undefined) d.cuCode = cuCode;
    if (muCode !== undefined) d.muCode = muCode;
    cache[key] = d;
  }
  return d;
}
const RR_DEC: (InterceptDecision | undefined)[] = [];
const RW_DEC: (InterceptDecision | undefined)[] = [];
const EXC_DEC: (InterceptDecision | undefined)[] = [];
const MISC_DEC: (InterceptDecision | undefined)[] = [];
const MU_DEC: (InterceptDecision | undefined)[] = [];

// --- CU register accesses (rrs/rrd/rws/rwd) -------------------------------------------

interface RegRule {
  bit: string;
  regs: readonly number[];
}
const DBG_REGS = Array.from({ length: 16 }, (_, i) => 0x40 + i); // 0x40-0x4f (uncertain set)
const CU_READ_RULES: readonly RegRule[] = [
  { bit: 'rr_idr', regs: [0x8a] },
  { bit: 'rr_clkr', regs: [0x90] },
  { bit: 'rr_sclkr', regs: [0x92] },
  { bit: 'rr_dbg', regs: DBG_REGS },
];
const CU_WRITE_RULES: readonly RegRule[] = [
  { bit: 'rw_core_mode', regs: [0x04] },
  { bit: 'rw_clkr', regs: [0x90] },
  { bit: 'rw_sclkr', regs: [0x92, 0x70, 0x71] },
  { bit: 'rw_sclkm3', regs: [0x72] },
  { bit: 'rw_dbg', regs: DBG_REGS },
];

function cuRule(rules: readonly RegRule[], reg: number): string | null {
  for (let i = 0; i < rules.length; i++) if (rules[i].regs.includes(reg)) return rules[i].bit;
  return null;
}

/** Guest read of CU state register `reg`. */
export function decideCuRead(
  reg: number,
  ctrl: U64,
  o: CtrlOptions = {},
): InterceptDecision | null {
  let bit = cuRule(CU_READ_RULES, reg);
  if (bit === null && (reg === 0x70 || reg === 0x71)) bit = o.sclkmReadBit === undefined ? 'rr_sclkr' : o.sclkmReadBit; // prettier-ignore
  if (bit === null) return null;
  const b = cuBit(bit);
  if (!isSet(ctrl, b)) return null;
  return memo(RR_DEC, b, bit, ((1 << b) | I.HDR_RR) >>> 0, I.ICE_READ_CU);
}

/** Guest write of CU state register `reg`. */
export function decideCuWrite(
  reg: number,
  ctrl: U64,
  o: CtrlOptions = {},
): InterceptDecision | null {
  const bit = cuRule(CU_WRITE_RULES, reg);
  if (bit === null) return null;
  if (bit === 'rw_sclkr' && (o.iset ?? 6) >= 7) return null; // reserved on v7 (§1.1)
  const b = cuBit(bit);
  if (!isSet(ctrl, b)) return null;
  return memo(RW_DEC, b, bit, ((1 << b) | I.HDR_RW) >>> 0, I.ICE_WRITE_CU);
}

// --- exceptions -------------------------------------------------------------------------

/** TIR exception number → exc_c control bit (§1.1; Appendix D numbers). */
const EXC_RULES: readonly { bit: string; exc: readonly number[] }[] = [
  { bit: 'exc_instr_debug', exc: [8] },
  { bit: 'exc_data_debug', exc: [28] },
  { bit: 'exc_instr_page', exc: [20, 21, 22, 23] },
  { bit: 'exc_data_page', exc: [29] },
  { bit: 'exc_mova', exc: [52, 53, 54, 55] },
  { bit: 'exc_interrupt', exc: [32] },
  { bit: 'exc_nm_interrupt', exc: [33] },
];

/** A guest exception: intercept (exc_c) or deliver to the guest (null). */
export function decideException(exc: number, ctrl: U64): InterceptDecision | null {
  for (let k = 0; k < EXC_RULES.length; k++) {
    const r = EXC_RULES[k];
    if (r.exc.includes(exc)) {
      const b = cuBit(r.bit);
      return isSet(ctrl, b) ? memo(EXC_DEC, k, r.bit, (1 << b) >>> 0) : null;
    }
  }
  return null;
}

// --- other CU events -----------------------------------------------------------------

/**
 * Guest `hcall N` (§1.4, §7.2 rule 4): allowed iff SH_CORE_MODE.hci and HCEM bit N;
 * otherwise an ICE_MASKED_HCALL intercept when VIRT_CTRL_CU.hcem is set. With hcem clear
 * we raise exc_illegal_opcode in the guest (our choice; the docs do not say).
 */
export function decideHcall(
  n: number,
  hcem: number,
  hci: boolean,
  ctrl: U64,
): 'enter' | 'illegal' | InterceptDecision {
  if (hci && n >= 0 && n < 32 && (hcem >>> n) & 1) return 'enter';
  const b = cuBit('hcem');
  return isSet(ctrl, b) ? memo(MISC_DEC, 0, 'hcem', 1 << b, I.ICE_MASKED_HCALL) : 'illegal';
}

/**
 * Guest access to virtualization resources (VIRT_CTRL_*, SH_*, GP_*, GID, INTC_*, HCEM/
 * HCEB) or glaunch/hret (§7.2 rule 1). With `virt` clear the guest gets exc_priv_action
 * (our choice; KVM always sets the bit).
 */
export function decideVirtAccess(op: 'reg' | 'glaunch' | 'hret', ctrl: U64): InterceptDecision | 'priv_action' {
  const b = cuBit('virt');
  if (!isSet(ctrl, b)) return 'priv_action';
  const cuCode = op === 'glaunch' ? I.ICE_GLAUNCH : op === 'hret' ? I.ICE_HRET : undefined;
  return memo(MISC_DEC, op === 'glaunch' ? 1 : op === 'hret' ? 2 : 3, 'virt', 1 << b, cuCode);
} // prettier-ignore

/** Guest halt-class operation (uncertain which ops; bit 11 `stop`). */
export function decideStop(ctrl: U64): InterceptDecision | null {
  const b = cuBit('stop');
  return isSet(ctrl, b) ? memo(MISC_DEC, 4, 'stop', 1 << b) : null;
}

const UNCONDITIONAL: Readonly<Record<'hv_int' | 'hv_nm_int' | 'g_tmr' | 'exc_mem_error' | 'wait_trap' | 'dbg', InterceptDecision>> = {
  hv_int: { cause: 'unconditional', hdr: I.HDR_HV_INT >>> 0 },
  hv_nm_int: { cause: 'unconditional', hdr: I.HDR_HV_NM_INT >>> 0 },
  g_tmr: { cause: 'unconditional', hdr: I.HDR_G_TMR >>> 0 },
  exc_mem_error: { cause: 'unconditional', hdr: I.HDR_EXC_MEM_ERROR >>> 0 },
  wait_trap: { cause: 'unconditional', hdr: I.HDR_WAIT_TRAP >>> 0 },
  dbg: { cause: 'unconditional', hdr: I.HDR_DBG >>> 0 },
}; // prettier-ignore

/** Unconditional events (§3.2 bits 31:24): always intercept. */
export function unconditional(ev: 'hv_int' | 'hv_nm_int' | 'g_tmr' | 'exc_mem_error' | 'wait_trap' | 'dbg'): InterceptDecision {
  return UNCONDITIONAL[ev];
} // prettier-ignore

// --- MMU side ------------------------------------------------------------------------------

/** MMU register number → (read bit, write bit) of VIRT_CTRL_MU (shared pairs, no array per access). */
const R_MMU_CR = ['rr_mmu_cr', 'rw_mmu_cr'] as const;
const R_PPTB = ['rr_pptb', 'rw_pptb'] as const;
const R_VPTB = ['rr_vptb', 'rw_vptb'] as const;
const R_APIC = ['rr_apic_base', 'rw_apic_base'] as const;
const R_MTRR = ['rr_mtrr_pat', 'rw_mtrr_pat'] as const;
const R_PCI = ['rr_ph_pci_b', 'rw_ph_pci_b'] as const;
function mmuRegRule(reg: number): readonly [string, string] | 'virt' | null {
  if (reg === MMU_CR) return R_MMU_CR;
  if (reg === 0x04 || reg === 0x35 || reg === 0x02) return R_PPTB; // U_PPTB, OS_PPTB, U2_PPTB (U2: our choice)
  if (reg === 0x03 || reg === 0x34) return R_VPTB;
  if (reg === 0x0d) return R_APIC;
  if (reg >= 0x10 && reg <= 0x31) return R_MTRR;
  if (reg === 0x08 || reg === 0x0a || reg === 0x32 || reg === 0x33) return R_PCI;
  if (reg >= 0x40 && reg <= 0x4a) return 'virt'; // hypervisor MMU registers
  return null;
} // prettier-ignore

/**
 * Guest MAS-0x47 access to MMU register `reg`. For writes, `oldLo/newLo` of MMU_CR let
 * G_W_IMASK_MMU_CR intercept writes that *change* a masked bit (§1.3, inferred).
 */
export function decideMmuReg(
  reg: number,
  write: boolean,
  mu: U64,
  cu: U64,
  mmuCr?: { oldLo: number; newLo: number; imaskLo: number },
): InterceptDecision | null {
  const rule = mmuRegRule(reg);
  if (rule === null) return null;
  if (rule === 'virt') {
    const d = decideVirtAccess('reg', cu);
    return d === 'priv_action' ? null : d;
  }
  const name = rule[write ? 1 : 0];
  const b = muBit(name);
  const code = write ? I.IME_WRITE_MU : I.IME_READ_MU;
  if (isSet(mu, b)) return memo(MU_DEC, b, name, 0, undefined, code);
  if (write && reg === MMU_CR && mmuCr && ((mmuCr.oldLo ^ mmuCr.newLo) & mmuCr.imaskLo) !== 0)
    return memo(MU_DEC, 64, 'g_w_imask_mmu_cr', 0, undefined, code);
  return null;
}

/**
 * Guest special-MAS operation (system.md §3.4-3.5): flushes, probes, diagnostic register
 * spaces and physical/IO MASes. `load` distinguishes probes/diagnostic reads from stores.
 */
export function decideMasOp(mas: number, addr: number, load: boolean, mu: U64): InterceptDecision | null {
  if (mas === 0x07 && addr === 1) return masRule('fl_dc', I.IME_CACHE_FLUSH, mu);
  if (mas === 0x0f) return masRule('fl_dcl', I.IME_CACHE_LINE_FLUSH, mu);
  if (mas === MAS_TLB_FLUSH) return addr === 1 ? masRule('fl_tlb', I.IME_TLB_FLUSH, mu) : masRule('fl_ic', I.IME_ICACHE_FLUSH, mu);
  if (mas === MAS_TLB_PAGE_FLUSH)
    return addr === 1 ? masRule('fl_tlbpg', I.IME_TLB_PAGE_FLUSH_LAST, mu)
      : addr === 3 ? masRule('fl_tlb2pg', I.IME_TLB_PAGE_FLUSH_UPPER, mu)
      : addr === 2 ? masRule('fl_icl_p', I.IME_ICACHE_LINE_FLUSH_SYSTEM, mu)
      : masRule('fl_icl_u', I.IME_ICACHE_LINE_FLUSH_USER, mu);
  if (mas === 0x37 && load) return masRule('prb_entry', I.IME_TLB_ENTRY_PROBE, mu);
  // Diagnostic register spaces (uncertain split): DAM/MLT/CLW (0x6f) → dbg1, DTLB/L1/L2/
  // icache registers (0x4f, 0x57, 0x5f, 0x67) → dbg.
  if (mas === 0x6f) return masRule(load ? 'rr_dbg1' : 'rw_dbg1', load ? I.IME_READ_MU : I.IME_WRITE_MU, mu);
  if (mas === 0x4f || mas === 0x57 || mas === 0x5f || mas === 0x67)
    return masRule(load ? 'rr_dbg' : 'rw_dbg', load ? I.IME_READ_MU : I.IME_WRITE_MU, mu);
  // Physical-address MASes (uncertain): pma → IME_MAS_IOADDR.
  if (mas === 0x01 || mas === 0x06) return masRule('pma', I.IME_MAS_IOADDR, mu);
  return null; // MAS_MMU_REG: use decideMmuReg; other MASes do not intercept
} // prettier-ignore

/** The MU decision of one special-MAS rule when its VIRT_CTRL_MU bit is set. */
function masRule(name: string, code: number, mu: U64): InterceptDecision | null {
  const b = muBit(name);
  return isSet(mu, b) ? memo(MU_DEC, b, name, 0, undefined, code) : null;
}

/** Translation modes from VIRT_CTRL_MU (§4.1). */
export function muModes(mu: U64): { gpPtEn: boolean; shPtEn: boolean } {
  return { gpPtEn: isSet(mu, 36), shPtEn: isSet(mu, 37) };
}

/** Decoded view for the monitor: names of all set bits. */
export function describeCtrl(tbl: Readonly<Record<number, string>>, w: U64): string[] {
  const out: string[] = [];
  for (const [b, n] of Object.entries(tbl)) if (isSet(w, Number(b))) out.push(n);
  return out;
}
