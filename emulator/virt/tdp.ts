/**
 * Two-dimensional walk for TDP mode (virtualization.md §4.1, §4.3): the guest's own page
 * tables (roots and entries are GPAs, format from SH_CORE_MODE.pt_v6) are walked with the
 * ordinary walker, but every table-entry fetch and the final GPA go through the GP tables.
 *
 * Outcomes:
 * - TDP_OK: `pa` (host) and `gpa`;
 * - TDP_GUEST_FAULT: the guest's tables fail (missing/protected) → a guest exception
 *   (`guest.faultType`, `guest.exc`) delivered to the guest's trap handler unless
 *   VIRT_CTRL_CU exc_*_page says otherwise (caller's decision, see ctrl.ts);
 * - TDP_INTERCEPT: a GP miss/protection → an MU intercept record IME_GPA_DATA/INSTR/AINSTR
 *   with `gpa`, `gva`, the GP fault type and where in the walk it happened.
 *
 * guest_pt_lev / guest_pt_lev_fin (uncertain names, §3.3) are filled as: failure while
 * fetching the guest's level-L entry → ptLev = L, ptLevFin = false; failure on the final
 * data/instruction address → ptLev = 0, ptLevFin = true.
 * With the guest MMU off (SH_MMU_CR.tlb_en = 0) GVA = GPA (non-paging mode, §4.1).
 * Guest PT fetches are GP-translated as reads.
 */
import { ACC_EXEC, ACC_READ, ACC_WRITE, type Access } from '../mmu/fault';
import {
  FETCH_ABORT,
  FETCH_BUS_ERROR,
  FETCH_OK,
  walk,
  WALK_ABORTED,
  WALK_OK,
  WalkResult,
  type PhysReader,
  type PteFetcher,
} from '../mmu/walk';
import { GpResult, gpGen, gpWalk } from './gp';
import { IME_GPA_AINSTR, IME_GPA_DATA, IME_GPA_INSTR } from './intc';

export const TDP_OK = 0;
export const TDP_GUEST_FAULT = 1;
export const TDP_INTERCEPT = 2;

export interface GuestMmuState {
  /** SH_MMU_CR.tlb_en. */
  paging: boolean;
  /** Guest root table GPA (U_PPTB, or SH_OS_PPTB for kernel VAs in separate mode). */
  root: number;
  /** SH_CORE_MODE.pt_v6. */
  v6: boolean;
  /** Guest PSR.pm. */
  pm: boolean;
  allowHuge1G?: boolean;
}

export class TdpResult {
  status = TDP_OK;
  pa = 0;
  gpa = 0;
  /** Guest walk details (TDP_GUEST_FAULT: faultType, level, missLevel, exc). */
  readonly guest = new WalkResult();
  // TDP_INTERCEPT fields (an IME_GPA_* record):
  code = 0;
  ptLev = 0;
  ptLevFin = false;
  gpFaultType = 0;
  /** The final GP leaf carries the MMIO marker. */
  mmio = false;
}

/** Entries of the GPA → host page cache (direct-mapped by guest frame number). */
const GC_SIZE = 4096;
const GC_W = 1;
const GC_NX = 2;
const GC_MMIO = 4;

/**
 * Cache of successful GP walks, GPA frame → host page (4 KiB granularity, also for huge
 * leaves). Tagged by GP_PPTB, the GP-table generation (`gpGen`, bumped by every GpTables
 * edit) and the host memory generation (`gen` of PhysMemory: a freed/discarded page may
 * have held a GP table); any change empties it. Misses and faults are never cached, and a
 * hit that the access would fault on (store to W=0, fetch from NX) takes the full walk, so
 * the fault is reported exactly as without the cache.
 */
/**
 * Host memory with direct page access (PhysMemory): GP-translated guest page-table reads then
 * index the page's words instead of passing a host PA (≈ 2^47, a boxed double in V8) to
 * `inRam`/`read64` four times per guest walk.
 */
interface PagedReader extends PhysReader {
  gen?: number;
  pageAt?(addr: number, create: boolean): { i32: Int32Array; off: number } | undefined;
}

class GpCache {
  private readonly tag = new Float64Array(GC_SIZE).fill(-1);
  private readonly base = new Float64Array(GC_SIZE);
  private readonly flags = new Uint8Array(GC_SIZE);
  /** Backing page of each entry when it existed at fill time (pages only ever get dropped by
   * a `gen` bump, which empties the cache). */
  private readonly pages: ({ i32: Int32Array; off: number } | undefined)[] = new Array<{ i32: Int32Array; off: number } | undefined>(GC_SIZE).fill(undefined); // prettier-ignore
  /** Page of the last successful `lookup` (undefined: not known, use `out.pa`). */
  page: { i32: Int32Array; off: number } | undefined = undefined;
  private root = -1;
  private gen = -1;
  private memGen = -1;
  hits = 0;

  /**
   * `rootOf.gpRoot` = GP_PPTB: read from the walker rather than passed, since a host PA is a
   * boxed double in every call that is not inlined.
   */
  constructor(
    private readonly mem: PagedReader,
    private readonly rootOf: { readonly gpRoot: number },
  ) {}

  /** gpWalk with the cache in front. */
  lookup(gpa: number, access: Access, out: GpResult): GpResult {
    const root = this.rootOf.gpRoot;
    const g = gpGen();
    const mg = this.mem.gen ?? 0;
    if (g !== this.gen || root !== this.root || mg !== this.memGen) {
      this.tag.fill(-1);
      this.gen = g;
      this.root = root;
      this.memGen = mg;
    }
    const off = gpa % 4096;
    const pn = (gpa - off) / 4096;
    const i = pn % GC_SIZE;
    if (this.tag[i] === pn && off >= 0) {
      const f = this.flags[i];
      if (
        (access !== ACC_WRITE || (f & GC_W) !== 0) &&
        (access !== ACC_EXEC || (f & GC_NX) === 0)
      ) {
        this.hits++;
        out.ok = true;
        out.faultType = 0;
        out.pa = this.base[i] + off;
        out.mmio = (f & GC_MMIO) !== 0;
        out.writable = (f & GC_W) !== 0;
        out.level = 1;
        out.pageSize = 4096;
        this.page = this.pages[i];
        return out;
      }
    }
    this.page = undefined;
    gpWalk(gpa, access, root, this.mem, out);
    if (out.ok && off >= 0 && pn === Math.floor(pn)) {
      this.tag[i] = pn;
      this.base[i] = out.pa - off;
      const pg = this.mem.pageAt ? this.mem.pageAt(out.pa - off, false) : undefined;
      this.pages[i] = pg;
      this.page = pg;
      // NX is not in GpResult: a fetch that succeeded proves X; otherwise re-walk fetches
      this.flags[i] = (out.writable ? GC_W : 0) | (access === ACC_EXEC ? 0 : GC_NX) | (out.mmio ? GC_MMIO : 0); // prettier-ignore
    }
    return out;
  }
}

class GpFetcher implements PteFetcher {
  lo = 0;
  hi = 0;
  failed = false;
  failLevel = 0;
  readonly gp = new GpResult();
  constructor(
    private readonly mem: PhysReader,
    private readonly cache: GpCache,
  ) {}
  fetch(gpa: number, level: number): number {
    this.cache.lookup(gpa, ACC_READ, this.gp);
    if (!this.gp.ok) {
      this.failed = true;
      this.failLevel = level;
      return FETCH_ABORT;
    }
    const pg = this.cache.page;
    if (pg !== undefined && (gpa & 7) === 0) {
      // = read64(pa) on the backing page (entries are 8-aligned, so within the page)
      const o = (pg.off + (gpa & 4095)) >>> 2;
      this.lo = pg.i32[o] | 0;
      this.hi = pg.i32[o + 1] | 0;
      return FETCH_OK;
    }
    const pa = this.gp.pa;
    if (!this.mem.inRam(pa) || !this.mem.inRam(pa + 7)) return FETCH_BUS_ERROR;
    // signed halves (small integers, no heap numbers): the PTE decoder only masks them
    this.lo = this.mem.read64(pa) | 0;
    this.hi = this.mem.hi | 0;
    return FETCH_OK;
  }
}

export class TdpWalker {
  private readonly fetcher: GpFetcher;
  readonly gpCache: GpCache;
  private readonly gp = new GpResult();
  guestWalks = 0;
  gpaFaults = 0;
  guestFaults = 0;

  /** `gpRoot` = GP_PPTB; may be changed later (KVM reloads it when slots change). */
  constructor(
    private readonly mem: PhysReader,
    public gpRoot: number,
  ) {
    this.gpCache = new GpCache(mem, this);
    this.fetcher = new GpFetcher(mem, this.gpCache);
  }

  translate(
    gva: number,
    access: Access,
    g: GuestMmuState,
    prefetch = false,
    out: TdpResult = new TdpResult(),
  ): TdpResult {
    out.mmio = false;
    let gpa = gva;
    if (g.paging) {
      this.guestWalks++;
      const f = this.fetcher;
      f.failed = false;
      walk(gva, access, g, f, out.guest);
      if (out.guest.status === WALK_ABORTED) {
        const ft = f.gp.faultType; // read before lastFetchGpa reuses the fetcher
        const level = f.failLevel;
        out.gpa = this.lastFetchGpa(gva, g, level);
        return this.intercept(out, access, prefetch, level, false, ft);
      }
      if (out.guest.status !== WALK_OK) {
        this.guestFaults++;
        out.status = TDP_GUEST_FAULT;
        return out;
      }
      gpa = out.guest.pa;
    } else {
      out.guest.status = WALK_OK;
      out.guest.faultType = 0;
    }
    out.gpa = gpa;
    this.gpCache.lookup(gpa, access, this.gp);
    if (!this.gp.ok) return this.intercept(out, access, prefetch, 0, true, this.gp.faultType);
    out.status = TDP_OK;
    out.pa = this.gp.pa;
    out.mmio = this.gp.mmio;
    return out;
  }

  /**
   * GPA of the guest entry whose fetch failed: re-walks the guest levels above it (those
   * fetches succeeded, so this cannot abort earlier).
   */
  private lastFetchGpa(gva: number, g: GuestMmuState, level: number): number {
    let table = g.root - (g.root % 4096);
    for (let l = 4; l >= level; l--) {
      const a = table + (Math.floor(gva / 2 ** (12 + 9 * (l - 1))) & 511) * 8;
      if (l === level) return a;
      if (this.fetcher.fetch(a, l) !== FETCH_OK) return a;
      const lo = this.fetcher.lo;
      const hi = this.fetcher.hi;
      table = ((lo & 0xfffff000) >>> 0) + (hi & (g.v6 ? 0xffff : 0xff)) * 2 ** 32;
    }
    return table;
  }

  private intercept(
    out: TdpResult,
    access: Access,
    prefetch: boolean,
    ptLev: number,
    fin: boolean,
    ft: number,
  ): TdpResult {
    this.gpaFaults++;
    out.status = TDP_INTERCEPT;
    out.code = access !== ACC_EXEC ? IME_GPA_DATA : prefetch ? IME_GPA_AINSTR : IME_GPA_INSTR;
    out.ptLev = ptLev;
    out.ptLevFin = fin;
    out.gpFaultType = ft;
    return out;
  }
}
