/**
 * Four-level page walk (system.md §3.1-3.2, §6.4). Pure: page-table words come from a
 * `PteFetcher`, so the same code serves the bare-metal MMU (fetch from host physical
 * memory) and the TDP two-dimensional walk (fetch through GP tables, see virt/tdp.ts),
 * where the fetcher may *abort* the walk (GP miss → intercept).
 *
 * Rules implemented:
 * - at every level VALID=0 → illegal_page, VALID=1 & P=0 → page_miss (§3.2 table);
 * - directory-level W/PV/NX do not restrict (inferred in §3.2: Linux writes permissive
 *   directory entries); permissions come from the leaf;
 * - HUGE at PMD = 2 MiB page; HUGE at PUD = 1 GiB page only if `allowHuge1G` (uncertain
 *   from which iset, §3.1), otherwise illegal_page; HUGE at PGD is reserved → illegal_page;
 *   HUGE is ignored in a level-1 PTE;
 * - leaf: store to W=0 → nwrite_page; PSR.pm=0 access to PV=1 → priv_page; fetch from
 *   NON_EX → prot_page;
 * - a PTE fetch the memory cannot satisfy (address outside RAM) → ph_bound (our choice; the
 *   docs do not say what a walk to a wild address does);
 * - VA ≥ 2^48 (or not an integer) → illegal_page at the root level (48-bit VA, no sign
 *   extension, §3.1).
 * TIR exception: data accesses → 29 exc_data_page; fetches → 20 instr_page_miss for
 * page_miss/illegal_page (not present), 21 instr_page_prot otherwise (our reading of §3.2).
 * `missLevel` = failing level − 1 (PTE 0 … PGD 3) for TC.miss_lvl (uncertain numbering).
 * A/D bits are never set by the walker (uncertain in the docs; Linux pre-sets them).
 */
import {
  ACC_EXEC,
  ACC_WRITE,
  EXC_DATA_PAGE,
  EXC_INSTR_PAGE_MISS,
  EXC_INSTR_PAGE_PROT,
  FT_ILLEGAL_PAGE,
  FT_NWRITE_PAGE,
  FT_PAGE_MISS,
  FT_PH_BOUND,
  FT_PRIV_PAGE,
  FT_PROT_PAGE,
  type Access,
} from './fault';
import { decodePte, F_HUGE, F_NX, F_P, F_PV, F_VALID, F_W, type DecodedPte } from './pte';

export const FETCH_OK = 0;
export const FETCH_BUS_ERROR = 1;
/** The fetcher recorded its own outcome (e.g. a GP intercept); the walk stops. */
export const FETCH_ABORT = 2;

export interface PteFetcher {
  /** Loads the 8-byte entry at table address `addr` into `lo`/`hi`; returns a FETCH_* code. */
  fetch(addr: number, level: number): number;
  lo: number;
  hi: number;
}

/** Minimal physical-memory shape needed to fetch entries (PhysMemory satisfies it). */
export interface PhysReader {
  read64(addr: number): number;
  hi: number;
  inRam(addr: number): boolean;
}

/** Fetches entries straight from physical memory (MMU in a bare machine). */
export class PhysPteFetcher implements PteFetcher {
  lo = 0;
  hi = 0;
  constructor(private readonly mem: PhysReader) {}
  fetch(addr: number): number {
    if (!this.mem.inRam(addr) || !this.mem.inRam(addr + 7)) return FETCH_BUS_ERROR;
    this.lo = this.mem.read64(addr);
    this.hi = this.mem.hi;
    return FETCH_OK;
  }
}

export const WALK_OK = 0;
export const WALK_FAULT = 1;
export const WALK_ABORTED = 2;

export class WalkResult {
  status = WALK_OK;
  /** Physical address (WALK_OK). */
  pa = 0;
  /** Normalized leaf flags (WALK_OK). */
  flags = 0;
  /** Page size in bytes: 4096, 2 MiB or 1 GiB (WALK_OK). */
  pageSize = 4096;
  /** Level of the leaf (WALK_OK) or of the failing entry (WALK_FAULT/ABORTED): 4..1. */
  level = 0;
  /** TC fault_type field (bits 47:35 >> 35). */
  faultType = 0;
  /** TC miss_lvl. */
  missLevel = 0;
  /** TIR exception number to raise. */
  exc = 0;
}

export interface WalkParams {
  root: number;
  v6: boolean;
  /** PSR.pm of the access. */
  pm: boolean;
  allowHuge1G?: boolean;
}

const LEVEL_SHIFT = [0, 12, 21, 30, 39];
const VA_LIMIT = 2 ** 48;

function fail(r: WalkResult, level: number, ft: number, access: Access): WalkResult {
  r.status = WALK_FAULT;
  r.level = level;
  r.faultType = ft;
  r.missLevel = level - 1;
  r.exc =
    access !== ACC_EXEC
      ? EXC_DATA_PAGE
      : ft & (FT_PAGE_MISS | FT_ILLEGAL_PAGE)
        ? EXC_INSTR_PAGE_MISS
        : EXC_INSTR_PAGE_PROT;
  return r;
}

const scratch: DecodedPte = { flags: 0, addr: 0 };

export function walk(
  va: number,
  access: Access,
  p: WalkParams,
  f: PteFetcher,
  r: WalkResult = new WalkResult(),
): WalkResult {
  r.faultType = 0;
  r.missLevel = 0;
  r.exc = 0;
  if (!(va >= 0 && va < VA_LIMIT) || va !== Math.floor(va))
    return fail(r, 4, FT_ILLEGAL_PAGE, access);
  let table = p.root - (p.root % 4096);
  const d = scratch;
  for (let level = 4; level >= 1; level--) {
    const shift = LEVEL_SHIFT[level];
    const idx = Math.floor(va / 2 ** shift) & 511;
    const st = f.fetch(table + idx * 8, level);
    if (st === FETCH_ABORT) {
      r.status = WALK_ABORTED;
      r.level = level;
      return r;
    }
    if (st !== FETCH_OK) return fail(r, level, FT_PH_BOUND, access);
    decodePte(f.lo, f.hi, p.v6, d);
    if (!(d.flags & F_VALID)) return fail(r, level, FT_ILLEGAL_PAGE, access);
    if (!(d.flags & F_P)) return fail(r, level, FT_PAGE_MISS, access);
    let leaf = level === 1;
    if (!leaf && d.flags & F_HUGE) {
      if (level === 2 || (level === 3 && p.allowHuge1G)) leaf = true;
      else return fail(r, level, FT_ILLEGAL_PAGE, access);
    }
    if (!leaf) {
      table = d.addr;
      continue;
    }
    const fl = d.flags;
    if (access === ACC_WRITE && !(fl & F_W)) return fail(r, level, FT_NWRITE_PAGE, access);
    if (!p.pm && fl & F_PV) return fail(r, level, FT_PRIV_PAGE, access);
    if (access === ACC_EXEC && fl & F_NX) return fail(r, level, FT_PROT_PAGE, access);
    const size = 2 ** shift;
    r.status = WALK_OK;
    r.level = level;
    r.flags = fl;
    r.pageSize = size;
    r.pa = d.addr - (d.addr % size) + (va % size);
    return r;
  }
  return fail(r, 1, FT_ILLEGAL_PAGE, access); // unreachable: level 1 is always a leaf
}
