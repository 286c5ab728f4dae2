/**
 * GP (GPA→PA) page tables rooted at GP_PPTB (virtualization.md §4.2): four levels,
 * 512 × 8-byte entries, 48-bit physical addresses, huge pages allowed (2 MiB at level 2,
 * 1 GiB at level 3). Tables live in host physical memory (`PhysMemory`), exactly as the
 * hardware would walk them.
 *
 * GP PTE bits (§4.2): 0 P, 1 W, 5 A, 6 D, 7 HUGE, 9:8 MTCR, 10 SW1, 11 SW2, 47:12 PFN,
 * 59:58 KVM "MMIO" software marker, 62:60 MT, 63 NX. The table has no VALID bit, so only P
 * decides presence (our reading). Faults: P=0 → page_miss, store to W=0 → nwrite_page,
 * fetch from NX → prot_page, HUGE at level 4 → illegal_page, entry fetch outside RAM →
 * ph_bound, GPA ≥ 2^48 → illegal_page.
 */
import type { PhysMemory } from '../memory/phys';
import {
  ACC_EXEC,
  ACC_WRITE,
  FT_ILLEGAL_PAGE,
  FT_NWRITE_PAGE,
  FT_PAGE_MISS,
  FT_PH_BOUND,
  FT_PROT_PAGE,
  type Access,
} from '../mmu/fault';
import type { PhysReader } from '../mmu/walk';

export const GP_P = 1 << 0;
export const GP_W = 1 << 1;
export const GP_A = 1 << 5;
export const GP_D = 1 << 6;
export const GP_HUGE = 1 << 7;
export const GP_MTCR_SHIFT = 8;
/** hi-half bits: MMIO marker 59:58 → 27:26, MT 62:60 → 30:28, NX 63 → 31. */
export const GP_HI_MMIO = 3 << 26;
export const GP_HI_MT_SHIFT = 28;
export const GP_HI_NX = 1 << 31;

export class GpResult {
  ok = false;
  pa = 0;
  /** Level of the leaf or of the failing entry (4..1). */
  level = 0;
  pageSize = 4096;
  faultType = 0;
  /** The leaf carries the KVM MMIO marker (bits 59:58). */
  mmio = false;
  writable = false;
}

const SHIFT = [0, 12, 21, 30, 39];

/**
 * Generation of all GP tables: bumped by every GpTables edit that changes or removes a
 * present entry (remap, unmap, protect; adding a leaf where none was needs no bump), so
 * translation caches built from GP walks (TdpWalker's GPA cache, the vCPU's GVA→page
 * TLB) can tell that a cached result may be stale. GP tables are only edited through
 * GpTables (the VMM); a guest cannot reach them (they live above guest RAM).
 */
let gpGeneration = 0;
export const gpGen = (): number => gpGeneration;
/** For code that edits GP entries without GpTables (tests): cached translations drop. */
export const bumpGpGen = (): void => void gpGeneration++;

/** Host memory with direct page access (PhysMemory; `off` = the page's byte offset in i32). */
interface PagedMem extends PhysReader {
  gen?: number;
  pageAt?(addr: number, create: boolean): { i32: Int32Array; off: number } | undefined;
}

/**
 * Backing pages of recently walked GP tables, by table address (direct-mapped; a table
 * page only goes away with a `gen` bump of its memory, which empties this). The walk reads
 * entries from the page instead of passing each entry's host PA (≈ 2^47: a boxed double
 * per call that is not inlined) to `inRam` and `read64`.
 */
const TP_SIZE = 64;
const tpTag = new Float64Array(TP_SIZE).fill(-1);
const tpPage: ({ i32: Int32Array; off: number } | undefined)[] = new Array<{ i32: Int32Array; off: number } | undefined>(TP_SIZE).fill(undefined); // prettier-ignore
let tpMem: PagedMem | null = null;
let tpGen = -1;

/** Walks the GP tables for `gpa`. Never throws; `out` is reused. */
export function gpWalk(
  gpa: number,
  access: Access,
  root: number,
  mem: PagedMem,
  out: GpResult = new GpResult(),
): GpResult {
  out.ok = false;
  out.mmio = false;
  out.faultType = 0;
  if (!(gpa >= 0 && gpa < 2 ** 48) || gpa !== Math.floor(gpa)) {
    out.level = 4;
    out.faultType = FT_ILLEGAL_PAGE;
    return out;
  }
  const paged = mem.pageAt !== undefined;
  if (paged && (tpMem !== mem || tpGen !== mem.gen)) {
    tpTag.fill(-1);
    tpMem = mem;
    tpGen = mem.gen ?? 0;
  }
  let table = root - (root % 4096);
  for (let level = 4; level >= 1; level--) {
    out.level = level;
    const idx = Math.floor(gpa / 2 ** SHIFT[level]) & 511;
    let lo: number;
    let hi: number;
    const tpn = table / 4096;
    const k = tpn % TP_SIZE;
    let pg = paged && tpTag[k] === tpn ? tpPage[k] : undefined;
    if (pg === undefined && paged && table >= 0) {
      pg = mem.pageAt!(table, false);
      if (pg !== undefined && tpn === Math.floor(tpn)) {
        tpTag[k] = tpn;
        tpPage[k] = pg;
      }
    }
    if (pg !== undefined) {
      // = read64(table + idx·8): a backed page is in RAM, entries are 8-aligned
      const o = (pg.off >>> 2) + idx * 2;
      lo = pg.i32[o] >>> 0;
      hi = pg.i32[o + 1] >>> 0;
    } else {
      const a = table + idx * 8;
      if (!mem.inRam(a)) {
        out.faultType = FT_PH_BOUND;
        return out;
      }
      lo = mem.read64(a);
      hi = mem.hi;
    }
    if (!(lo & GP_P)) {
      out.faultType = FT_PAGE_MISS;
      return out;
    }
    const addr = ((lo & 0xfffff000) >>> 0) + (hi & 0xffff) * 2 ** 32;
    const huge = level > 1 && (lo & GP_HUGE) !== 0;
    if (huge && level === 4) {
      out.faultType = FT_ILLEGAL_PAGE;
      return out;
    }
    if (level > 1 && !huge) {
      table = addr;
      continue;
    }
    if (access === ACC_WRITE && !(lo & GP_W)) {
      out.faultType = FT_NWRITE_PAGE;
      return out;
    }
    if (access === ACC_EXEC && hi & GP_HI_NX) {
      out.faultType = FT_PROT_PAGE;
      return out;
    }
    const size = 2 ** SHIFT[level];
    out.ok = true;
    out.pageSize = size;
    out.pa = addr - (addr % size) + (gpa % size);
    out.mmio = (hi & GP_HI_MMIO) !== 0;
    out.writable = (lo & GP_W) !== 0;
    return out;
  }
  return out;
}

export interface GpMapFlags {
  write?: boolean;
  nx?: boolean;
  /** Sets the KVM MMIO software marker (an explicit "this GPA is a device" leaf). */
  mmio?: boolean;
  /** Memory type MT (62:60) and combination rule MTCR (9:8). */
  mt?: number;
  mtcr?: number;
  /** 4096 (default), 2 MiB or 1 GiB. */
  pageSize?: number;
}

/**
 * Builder/editor of one VM's GP tables. Intermediate tables are allocated from the host
 * page allocator; the root is allocated at construction (`root` = GP_PPTB value).
 */
export class GpTables {
  readonly root: number;
  tablePages = 1;
  mappedPages = 0;

  constructor(private readonly mem: PhysMemory) {
    const r = mem.allocPage();
    if (r < 0) throw new Error('GpTables: host page allocator exhausted'); // VMM setup bug
    this.root = r;
  }

  /**
   * The level-1 table of the last 2 MiB region `slot` walked to (lazy mapping maps
   * neighbouring pages one by one): its region number, host address and the generations it
   * was found under (a table pointer only changes with a `gpGen` bump — a huge leaf written
   * over it, an external edit — or a host page drop).
   */
  private leafKey = -1;
  private leafTable = 0;
  private leafGen = -1;
  private leafMemGen = -1;

  /** Entry address at `level` for `gpa`, creating tables on the way; -1 if out of pages. */
  private slot(gpa: number, level: number, create: boolean): number {
    const key = level === 1 ? Math.floor(gpa / 2 ** 21) : -1;
    if (
      key >= 0 &&
      key === this.leafKey &&
      this.leafGen === gpGeneration &&
      this.leafMemGen === this.mem.gen
    )
      return this.leafTable + (Math.floor(gpa / 4096) & 511) * 8;
    let table = this.root;
    for (let l = 4; l > level; l--) {
      const a = table + (Math.floor(gpa / 2 ** SHIFT[l]) & 511) * 8;
      let lo = this.mem.read64(a);
      let hi = this.mem.hi;
      if (!(lo & GP_P)) {
        if (!create) return -1;
        const t = this.mem.allocPage();
        if (t < 0) return -1;
        this.tablePages++;
        lo = ((t % 2 ** 32) | GP_P | GP_W | GP_A | GP_D) >>> 0;
        hi = Math.floor(t / 2 ** 32);
        this.mem.write64(a, lo, hi);
      } else if (lo & GP_HUGE) return -1; // a huge leaf covers this range
      table = ((lo & 0xfffff000) >>> 0) + (hi & 0xffff) * 2 ** 32;
    }
    if (key >= 0) {
      this.leafKey = key;
      this.leafTable = table;
      this.leafGen = gpGeneration;
      this.leafMemGen = this.mem.gen;
    }
    return table + (Math.floor(gpa / 2 ** SHIFT[level]) & 511) * 8;
  }

  /** Maps the page containing `gpa` to host `pa`. Returns false if it cannot. */
  map(gpa: number, pa: number, f: GpMapFlags = {}): boolean {
    const size = f.pageSize ?? 4096;
    const level = size === 2 ** 30 ? 3 : size === 2 ** 21 ? 2 : 1;
    if (!(gpa >= 0 && gpa < 2 ** 48) || pa % size !== 0) return false;
    const a = this.slot(gpa, level, true);
    if (a < 0) return false;
    const was = this.mem.read64(a) & GP_P;
    let lo = (pa % 2 ** 32) | GP_P | GP_A;
    if (f.write !== false) lo |= GP_W | GP_D;
    if (level > 1) lo |= GP_HUGE;
    lo |= ((f.mtcr ?? 0) & 3) << GP_MTCR_SHIFT;
    let hi = Math.floor(pa / 2 ** 32) & 0xffff;
    hi |= ((f.mt ?? 0) & 7) << GP_HI_MT_SHIFT;
    if (f.mmio) hi |= GP_HI_MMIO;
    if (f.nx) hi |= GP_HI_NX;
    this.mem.write64(a, lo >>> 0, hi >>> 0);
    // a new leaf where nothing was present cannot make a cached (successful) walk stale
    if (was) gpGeneration++;
    if (!was) this.mappedPages += size / 4096;
    return true;
  }

  /** Removes the 4 KiB mapping of `gpa` (or the huge leaf covering it). */
  unmap(gpa: number): boolean {
    for (let level = 1; level <= 3; level++) {
      const a = this.slot(gpa, level, false);
      if (a < 0) continue;
      const lo = this.mem.read64(a);
      if (!(lo & GP_P) || (level > 1 && !(lo & GP_HUGE))) continue;
      this.mem.write64(a, 0, 0);
      gpGeneration++;
      this.mappedPages -= 2 ** SHIFT[level] / 4096;
      return true;
    }
    return false;
  }

  lookup(gpa: number, access: Access = 0): GpResult {
    return gpWalk(gpa, access, this.root, this.mem);
  }
}
