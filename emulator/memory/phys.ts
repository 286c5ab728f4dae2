/**
 * Host physical memory of one VM (or of the bare machine): a sparse array of 4 KiB pages
 * created on first write, so a 4 GiB guest costs only what it touches. Physical addresses
 * are 48-bit (system.md §3.1) — plain numbers.
 *
 * Reads of never-written pages return 0 without allocating (zero-fill semantics); accesses
 * at or beyond `limit` are "outside RAM": reads return 0 and writes are dropped, and
 * `inRam()` lets callers (page walkers) turn that into the documented fault instead.
 *
 * 64-bit values use two 32-bit halves: `read64` returns the low half and leaves the high
 * half in `this.hi` (same convention as `emulator/cpu/memory.ts`).
 *
 * The page allocator (`allocPage`) hands out whole host pages for structures the VMM owns
 * (GP tables, CEPIC pages, guest RAM backing) from a bump pointer at the top of the
 * address space and a free list; `pagesInUse` / `rssBytes` feed the monitor counters.
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 4096;

/**
 * One backed 4 KiB page. Same shape as the CPU's user-mode `Page` (emulator/cpu/memory.ts),
 * so the system-mode CPU reads and writes RAM through the same typed-array views and keeps
 * its decoded-bundle cache (`code`) on the physical page; every write through PhysMemory
 * drops that cache (loaders, DMA, the VMM). The views are the whole slab's, shared by its
 * 16 384 pages; this page is `bytes[off .. off + 4096)` (a page object is ≈ 40 bytes of
 * heap instead of ≈ 230 with two views of its own).
 */
export class PhysPage {
  code: unknown[] | null = null;
  /** Read/write/exec; always 7 for physical pages (protection lives in the page tables). */
  prot = 7;
  constructor(
    readonly bytes: Uint8Array,
    readonly i32: Int32Array,
    readonly u16: Uint16Array,
    /** Byte offset of the page in the views. */
    readonly off: number,
  ) {}
}

/**
 * Pages per slab (64 MiB). One ArrayBuffer backs a whole aligned slab of the physical space,
 * created on the first page touched in it. Why: a separate 4 KiB ArrayBuffer per page costs
 * ≈ 0.5 KiB of V8/allocator bookkeeping on top of the page; a slab costs it once. Why
 * 64 MiB: above glibc's largest dynamic mmap threshold (32 MiB), so every slab is a fresh
 * anonymous mapping the kernel zero-fills lazily — untouched pages of a slab cost no RSS,
 * and dropping the slab (all its pages freed/discarded) unmaps it.
 */
export const SLAB_PAGES = 16384;

interface Slab {
  buf: ArrayBuffer;
  /** Views of the whole slab, shared by its pages. */
  bytes: Uint8Array;
  i32: Int32Array;
  u16: Uint16Array;
  /** Backed pages in this slab; the slab is dropped when it reaches 0. */
  live: number;
  /** Page objects by index in the slab (holes = not backed). */
  pages: (PhysPage | undefined)[];
  /** 1 where the page was handed out by `allocPage` (and not freed). */
  allocated: Uint8Array;
}

/**
 * Why per-slab arrays instead of one Map keyed by page number: the allocator's pages sit in
 * the upper half of a 48-bit space, so their page numbers (≈ 2^35) are not small integers
 * and every Map entry would hold a boxed number — ≈ 100 bytes of V8 heap per guest page on
 * top of the page object. A slab's array is found by one Map lookup per slab (cached).
 */
export class PhysMemory {
  private readonly slabs = new Map<number, Slab>();
  private resident = 0;
  private inUse = 0;
  /** Bumped when a page's backing is dropped, so cached page references can be revalidated. */
  gen = 0;
  /** High half of the last `read64`. */
  hi = 0;
  private readonly free: number[] = [];
  private bump: number;

  /**
   * @param limit size of the physical address space in bytes (addresses ≥ limit are
   *   outside RAM). Default 2^48.
   * @param allocBase first page number `allocPage` may hand out (pages below are left to the
   *   guest / loader). Default: the upper half of the space.
   */
  constructor(
    readonly limit = 2 ** 48,
    allocBase = Math.floor(limit / PAGE_SIZE / 2),
  ) {
    this.bump = allocBase;
  }

  inRam(addr: number): boolean {
    return addr >= 0 && addr < this.limit;
  }

  /** Number of backed 4 KiB pages (host RSS of guest memory). */
  get pagesResident(): number {
    return this.resident;
  }

  get rssBytes(): number {
    return this.resident * PAGE_SIZE;
  }

  get pagesInUse(): number {
    return this.inUse;
  }

  private lastSn = -1;
  private lastSlab: Slab | undefined = undefined;

  /** The slab holding page `pn` (created when `create`). */
  private slabOf(pn: number, create: boolean): Slab | undefined {
    const sn = Math.floor(pn / SLAB_PAGES);
    if (sn === this.lastSn) return this.lastSlab;
    let slab = this.slabs.get(sn);
    if (!slab) {
      if (!create) return undefined;
      const buf = new ArrayBuffer(SLAB_PAGES * PAGE_SIZE);
      slab = {
        buf,
        bytes: new Uint8Array(buf),
        i32: new Int32Array(buf),
        u16: new Uint16Array(buf),
        live: 0,
        pages: new Array<PhysPage | undefined>(SLAB_PAGES).fill(undefined), // packed, not a dictionary
        allocated: new Uint8Array(SLAB_PAGES),
      };
      this.slabs.set(sn, slab);
    }
    this.lastSn = sn;
    this.lastSlab = slab;
    return slab;
  }

  /** Creates the (zero) page `pn` inside its slab, creating the slab on first use. */
  private newPage(pn: number): PhysPage {
    const slab = this.slabOf(pn, true)!;
    const i = pn % SLAB_PAGES;
    slab.live++;
    this.resident++;
    const p = new PhysPage(slab.bytes, slab.i32, slab.u16, i * PAGE_SIZE);
    slab.pages[i] = p;
    return p;
  }

  /**
   * Drops page `pn`. The slab stays while other pages live in it, so the page's bytes are
   * zeroed (the next page created there must read 0); the last page drops the whole slab,
   * which returns its memory to the host once collected. Stale `PhysPage` references now
   * alias slab memory, which is why every drop bumps `gen` (callers revalidate).
   */
  private dropPage(pn: number): void {
    const slab = this.slabOf(pn, false);
    const i = pn % SLAB_PAGES;
    const p = slab?.pages[i];
    if (!slab || !p) return;
    slab.pages[i] = undefined;
    this.resident--;
    if (--slab.live === 0) {
      this.slabs.delete(Math.floor(pn / SLAB_PAGES));
      this.lastSn = -1;
      this.lastSlab = undefined;
    } else p.bytes.fill(0, p.off, p.off + PAGE_SIZE);
  }

  /** Slabs currently held (each one ArrayBuffer of SLAB_PAGES pages). */
  get slabCount(): number {
    return this.slabs.size;
  }

  /** Last page found (walkers and the VMM hit the same table page repeatedly). */
  private lastPn = -1;
  private lastPage: PhysPage | undefined = undefined;

  private page(addr: number, create: boolean): PhysPage | undefined {
    const pn = Math.floor(addr / PAGE_SIZE);
    if (pn === this.lastPn) return this.lastPage;
    let p = this.slabOf(pn, false)?.pages[pn % SLAB_PAGES];
    if (!p) {
      if (!create) return undefined;
      p = this.newPage(pn);
    }
    this.lastPn = pn;
    this.lastPage = p;
    return p;
  }

  /**
   * The page holding `addr` (created zero-filled when `create`), or undefined outside RAM
   * or when not backed. Used by the system-mode CPU for direct typed-array access.
   */
  pageAt(addr: number, create: boolean): PhysPage | undefined {
    if (!(addr >= 0 && addr < this.limit)) return undefined;
    return this.page(addr, create);
  }

  /** Whether a backing page exists for `addr` (i.e. it has been written or allocated). */
  isBacked(addr: number): boolean {
    const pn = Math.floor(addr / PAGE_SIZE);
    return this.slabOf(pn, false)?.pages[pn % SLAB_PAGES] !== undefined;
  }

  read32(addr: number): number {
    if (!(addr >= 0 && addr < this.limit)) return 0;
    if ((addr & 3) !== 0) return (this.read16(addr) | (this.read16(addr + 2) << 16)) >>> 0;
    const p = this.page(addr, false);
    return p ? p.i32[(p.off + (addr & 4095)) >>> 2] >>> 0 : 0;
  }

  write32(addr: number, v: number): void {
    if (!(addr >= 0 && addr < this.limit)) return;
    if ((addr & 3) !== 0) {
      this.write16(addr, v & 0xffff);
      this.write16(addr + 2, v >>> 16);
      return;
    }
    const p = this.page(addr, true)!;
    p.code = null;
    p.i32[(p.off + (addr & 4095)) >>> 2] = v;
  }

  read8(addr: number): number {
    const w = this.read32(addr - (addr & 3));
    return (w >>> ((addr & 3) * 8)) & 0xff;
  }

  write8(addr: number, v: number): void {
    if (!(addr >= 0 && addr < this.limit)) return;
    const a = addr - (addr & 3);
    const sh = (addr & 3) * 8;
    const w = this.read32(a);
    this.write32(a, ((w & ~(0xff << sh)) | ((v & 0xff) << sh)) >>> 0);
  }

  read16(addr: number): number {
    return this.read8(addr) | (this.read8(addr + 1) << 8);
  }

  write16(addr: number, v: number): void {
    this.write8(addr, v);
    this.write8(addr + 1, v >>> 8);
  }

  /** Low 32 bits; the high half is left in `this.hi`. */
  read64(addr: number): number {
    if ((addr & 7) === 0 && addr >= 0 && addr < this.limit) {
      const p = this.page(addr, false);
      if (p === undefined) return (this.hi = 0);
      const o = (p.off + (addr & 4095)) >>> 2;
      this.hi = p.i32[o + 1] >>> 0;
      return p.i32[o] >>> 0;
    }
    const lo = this.read32(addr);
    this.hi = this.read32(addr + 4);
    return lo;
  }

  write64(addr: number, lo: number, hi: number): void {
    this.write32(addr, lo >>> 0);
    this.write32(addr + 4, hi >>> 0);
  }

  readBytes(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = this.read8(addr + i);
    return out;
  }

  writeBytes(addr: number, data: Uint8Array): void {
    let i = 0;
    while (i < data.length) {
      const a = addr + i;
      const n = Math.min(PAGE_SIZE - (a & 4095), data.length - i);
      const p = this.pageAt(a, true);
      if (p) {
        p.code = null;
        p.bytes.set(data.subarray(i, i + n), p.off + (a & 4095));
      }
      i += n;
    }
  }

  /**
   * Allocates one zeroed host page and returns its physical address, or -1 when the space
   * above `allocBase` is exhausted.
   */
  allocPage(): number {
    let pn = this.free.pop();
    if (pn === undefined) {
      if ((this.bump + 1) * PAGE_SIZE > this.limit) return -1;
      pn = this.bump++;
    }
    this.newPage(pn);
    this.slabOf(pn, false)!.allocated[pn % SLAB_PAGES] = 1;
    this.inUse++;
    if (pn === this.lastPn) this.lastPn = -1;
    return pn * PAGE_SIZE;
  }

  /** Returns a page from `allocPage` to the pool and drops its backing. */
  freePage(addr: number): boolean {
    const pn = Math.floor(addr / PAGE_SIZE);
    const slab = this.slabOf(pn, false);
    if (!slab || slab.allocated[pn % SLAB_PAGES] === 0) return false;
    slab.allocated[pn % SLAB_PAGES] = 0;
    this.inUse--;
    this.dropPage(pn);
    this.gen++;
    this.lastPn = -1;
    this.free.push(pn);
    return true;
  }

  /** Drops the backing of a (non-allocator) page: it reads as zero again. */
  discard(addr: number): void {
    const pn = Math.floor(addr / PAGE_SIZE);
    const slab = this.slabOf(pn, false);
    const i = pn % SLAB_PAGES;
    if (slab && slab.allocated[i] === 0 && slab.pages[i] !== undefined) {
      this.dropPage(pn);
      this.gen++;
      this.lastPn = -1;
    }
  }

  snapshot(): { limit: number; pagesResident: number; pagesInUse: number; rssBytes: number } {
    return {
      limit: this.limit,
      pagesResident: this.pagesResident,
      pagesInUse: this.pagesInUse,
      rssBytes: this.rssBytes,
    };
  }
}
