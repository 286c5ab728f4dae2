/**
 * Fault vocabulary shared by the MMU walker, the trap cellar and the virtualization
 * records: TC `condition.fault_type` bits (system.md §2.6, absolute bits 47:35; here as the
 * 13-bit field value, i.e. shifted right by 35) and TIR exception numbers (§2.1).
 */

export const FT_SHIFT = 35;
export const FT_GLOBAL_SP = 1 << (35 - FT_SHIFT);
export const FT_PH_PR_PAGE = 1 << (38 - FT_SHIFT);
export const FT_IO_PAGE = 1 << (39 - FT_SHIFT);
export const FT_ISYS_PAGE = 1 << (40 - FT_SHIFT);
export const FT_PROT_PAGE = 1 << (41 - FT_SHIFT);
export const FT_PRIV_PAGE = 1 << (42 - FT_SHIFT);
export const FT_ILLEGAL_PAGE = 1 << (43 - FT_SHIFT);
export const FT_NWRITE_PAGE = 1 << (44 - FT_SHIFT);
export const FT_PAGE_MISS = 1 << (45 - FT_SHIFT);
export const FT_PH_BOUND = 1 << (46 - FT_SHIFT);
export const FT_INTL_RES_BITS = 1 << (47 - FT_SHIFT);

/** Display names of fault_type bits, indexed by absolute bit number. */
export const FAULT_TYPE_NAMES: Readonly<Record<number, string>> = {
  35: 'global_sp',
  36: 'exc_mem_lock',
  37: 'exc_mem_lock',
  38: 'ph_pr_page',
  39: 'io_page',
  40: 'isys_page',
  41: 'prot_page',
  42: 'priv_page',
  43: 'illegal_page',
  44: 'nwrite_page',
  45: 'page_miss',
  46: 'ph_bound',
  47: 'intl_res_bits',
};

export function faultTypeNames(ft: number): string[] {
  const out: string[] = [];
  for (let b = 0; b < 13; b++) if (ft & (1 << b)) out.push(FAULT_TYPE_NAMES[b + FT_SHIFT]);
  return [...new Set(out)];
}

// TIR exception numbers (system.md §2.1).
export const EXC_INSTR_PAGE_MISS = 20;
export const EXC_INSTR_PAGE_PROT = 21;
export const EXC_DATA_PAGE = 29;

/** Access kinds for the walkers. */
export const ACC_READ = 0;
export const ACC_WRITE = 1;
export const ACC_EXEC = 2;
export type Access = 0 | 1 | 2;

/**
 * Builds the 64-bit trap-cellar `condition` word (system.md §2.6) as halves. Only fields
 * the MMU knows are taken; the CPU fills dst/fmt/mas/chan for its operation.
 */
export function tcCondition(f: {
  dst?: number;
  fmt?: number;
  store?: boolean;
  mas?: number;
  spec?: boolean;
  pm?: boolean;
  chan?: number;
  faultType?: number;
  missLevel?: number;
}): { lo: number; hi: number } {
  let lo = (f.dst ?? 0) & 0xff;
  lo |= ((f.fmt ?? 0) & 7) << 10;
  if (f.store) lo |= 1 << 17;
  lo |= ((f.mas ?? 0) & 0x7f) << 20;
  if (f.spec) lo |= 1 << 30;
  if (f.pm) lo |= 1 << 31;
  let hi = (f.chan ?? 0) & 3;
  hi |= ((f.faultType ?? 0) & 0x1fff) << (FT_SHIFT - 32);
  hi |= ((f.missLevel ?? 0) & 3) << (48 - 32);
  return { lo: lo >>> 0, hi: hi >>> 0 };
}
