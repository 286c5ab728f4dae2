/**
 * Privileged state registers of the system-mode CPU (system.md §1): numbers, bit layouts
 * of PSR/UPSR/CORE_MODE and the plain storage a kernel reads and writes with rrs/rrd/
 * rws/rwd. The executor-facing logic (privilege checks, side effects) is in syscpu.ts.
 */

/** State register numbers (system.md §1.2). */
export const SR = {
  PSR: 0x00, WD: 0x01, CORE_MODE: 0x04, CWD: 0x06, PSP_HI: 0x07, PSP_LO: 0x09, PSHTP: 0x0b,
  PCSP_HI: 0x0d, PCSP_LO: 0x0f, PCSHTP: 0x13, CTPR1: 0x15, CTPR2: 0x16, CTPR3: 0x17, SBR: 0x1e,
  CUTD: 0x21, EIR: 0x23, CUIR: 0x25, OSCUD_HI: 0x26, OSCUD_LO: 0x27, OSGD_HI: 0x28,
  OSGD_LO: 0x29, OSEM: 0x2a, USD_HI: 0x2c, USD_LO: 0x2d, OSR0: 0x2f, CUD_HI: 0x30, CUD_LO: 0x31,
  GD_HI: 0x32, GD_LO: 0x33, CR0_HI: 0x51, CR0_LO: 0x53, CR1_HI: 0x55, CR1_LO: 0x57,
  SCLKM1: 0x70, SCLKM2: 0x71, SCLKM3: 0x72, CU_HW0: 0x78, CU_HW1: 0x79, UPSR: 0x80, IP: 0x81,
  NIP: 0x82, IDR: 0x8a, CLKR: 0x90, RNDPR: 0x91, SCLKR: 0x92, TIR_HI: 0x9c, TIR_LO: 0x9d,
  RPR_LO: 0xa0, SBBP: 0xa1, RPR_HI: 0xa2, UPSRM: 0xc0,
} as const; // prettier-ignore

/** PSR bits (§1.3). */
export const PSR_PM = 1 << 0;
export const PSR_IE = 1 << 1;
export const PSR_SGE = 1 << 2;
export const PSR_LW = 1 << 3;
export const PSR_UIE = 1 << 4;
export const PSR_NMIE = 1 << 5;
export const PSR_UNMIE = 1 << 6;

/** UPSR bits (§1.4). */
export const UPSR_FE = 1 << 0;
export const UPSR_IE = 1 << 5;
export const UPSR_NMIE = 1 << 7;

/** CORE_MODE bits (§1.9). */
export const CORE_MODE_GMI = 1 << 3;
export const CORE_MODE_HCI = 1 << 4;

/** IDR fields (§1.9). */
export const IDR_HW_VIRT = 1 << 24;
export const IDR_HW_VIRT_VER_SHIFT = 25;

/**
 * IDR of the emulated host CPU: e16c-class v6 (mdl 0x0b, rev 2, wbl 3, system.md §0/§1.9)
 * with the virtualization extension (hw_virt = 1, hw_virt_ver = 1 — our choice).
 */
export const HOST_IDR = 0x0b | (2 << 8) | (3 << 12) | IDR_HW_VIRT | (1 << IDR_HW_VIRT_VER_SHIFT);

/**
 * Registers with no side effects in this model: written and read back as 64-bit storage
 * (descriptors whose bounds are not checked, OS scratch, debug/monitor registers, clock
 * modes; system.md §6.2 "stored and ignored").
 */
export const STORAGE_REGS: readonly number[] = [
  SR.CORE_MODE, SR.CWD, SR.CUTD, SR.EIR, SR.CUIR, SR.OSCUD_HI, SR.OSCUD_LO, SR.OSGD_HI, SR.OSGD_LO,
  SR.OSEM, SR.OSR0, SR.CUD_HI, SR.CUD_LO, SR.GD_HI, SR.GD_LO, SR.SCLKM2, SR.SCLKM3, SR.CU_HW0,
  SR.CU_HW1, SR.RNDPR, SR.RPR_LO, SR.SBBP, SR.RPR_HI, SR.UPSRM,
  0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, // x86 segments
  0x40, 0x41, 0x42, 0x43, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, // debug
]; // prettier-ignore

/** TIR exception numbers (system.md §2.1) used by the CPU. */
export const TEXC = {
  ILLEGAL_OPCODE: 0, PRIV_ACTION: 1, FP_DISABLED: 2, WINDOW_BOUNDS: 9, DIAG_OPERAND: 15,
  ARRAY_BOUNDS: 17, ADDR_NOT_ALIGNED: 19, INSTR_PAGE_MISS: 20, INSTR_PAGE_PROT: 21,
  DATA_PAGE: 29, INTERRUPT: 32, NM_INTERRUPT: 33, DIV: 34, FP: 35,
} as const; // prettier-ignore

export const TEXC_NAMES: Readonly<Record<number, string>> = {
  0: 'exc_illegal_opcode', 1: 'exc_priv_action', 2: 'exc_fp_disabled', 9: 'exc_window_bounds',
  15: 'exc_diag_operand', 17: 'exc_array_bounds', 19: 'exc_addr_not_aligned',
  20: 'exc_instr_page_miss', 21: 'exc_instr_page_prot', 29: 'exc_data_page',
  32: 'exc_interrupt', 33: 'exc_nm_interrupt', 34: 'exc_div', 35: 'exc_fp',
}; // prettier-ignore

/** Trap-table entry size (system.md §2.3). */
export const TTABLE_ENTRY = 0x800;
