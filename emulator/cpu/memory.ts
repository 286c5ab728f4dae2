/**
 * Guest memory: flat little-endian, sparse, 4 KiB pages backed by typed arrays, each with
 * read/write/execute permissions. Addresses are JS numbers (the user address space is
 * 48 bits, control-and-stacks.md §5.1/§6.1, so every address is an exact double).
 *
 * Faults are reported by throwing the single preallocated `MemFault` object; the CPU
 * catches it inside `step()` and turns it into an architectural exception, so it never
 * escapes the emulator. Each page also owns the decoded-bundle cache of the code on it
 * (`code`); any write to the page drops that cache (self-modifying code, loaders).
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
/** Highest user address + 1 (48-bit virtual addresses). */
export const ADDR_LIMIT = 2 ** 48;

/**
 * A page: its bytes are `bytes[off .. off + PAGE_SIZE)` of the three views (and likewise
 * `i32[off/4 ..]`, `u16[off/2 ..]`). A user-mode page owns its views (`off` = 0); a
 * physical page of the system-mode CPU shares its 64 MiB slab's views (emulator/memory/
 * phys.ts) — why: two typed-array views per 4 KiB page cost ≈ 190 bytes of V8 heap, 48 MiB
 * for a guest that touches 1 GiB. Every access adds `off`.
 */
export class Page {
  readonly bytes = new Uint8Array(PAGE_SIZE);
  readonly i32 = new Int32Array(this.bytes.buffer);
  readonly u16 = new Uint16Array(this.bytes.buffer);
  /** Byte offset of this page in its views. */
  readonly off: number = 0;
  /** Decoded bundles of this page indexed by (offset >> 3); null when none cached. */
  code: unknown[] | null = null;
  constructor(public prot: number) {}
}

export type AccessKind = 'read' | 'write' | 'exec';

/** Why an access failed; reused (one instance) to keep the fast paths allocation-free. */
export class MemFault {
  addr = 0;
  access: AccessKind = 'read';
  /** 'unmapped' (no page) or 'protection' (page lacks the permission). */
  reason: 'unmapped' | 'protection' = 'unmapped';
}

export class Memory {
  readonly pages = new Map<number, Page>();
  readonly fault = new MemFault();
  /** Second return value of read64 (high 32 bits). */
  hi = 0;
  // One-entry translation caches for reads and writes (the common case is a tight loop).
  private rKey = -1;
  private rPage: Page | null = null;
  private wKey = -1;
  private wPage: Page | null = null;

  private fail(addr: number, access: AccessKind, reason: 'unmapped' | 'protection'): never {
    this.fault.addr = addr;
    this.fault.access = access;
    this.fault.reason = reason;
    throw this.fault;
  }

  /**
   * Reserved ranges whose pages are created on first touch (zero-filled), so a 64 MiB stack
   * or a large anonymous mmap costs host memory only for the pages actually used.
   */
  private lazy: { first: number; last: number; prot: number }[] = [];

  private static range(addr: number, len: number): [number, number] {
    return [Math.floor(addr / PAGE_SIZE), Math.floor((addr + Math.max(len, 1) - 1) / PAGE_SIZE)];
  }

  /** Removes page numbers [first, last] from the lazy ranges (splitting them). */
  private carve(first: number, last: number): void {
    const out: { first: number; last: number; prot: number }[] = [];
    for (const r of this.lazy) {
      if (r.last < first || r.first > last) out.push(r);
      else {
        if (r.first < first) out.push({ first: r.first, last: first - 1, prot: r.prot });
        if (r.last > last) out.push({ first: last + 1, last: r.last, prot: r.prot });
      }
    }
    this.lazy = out;
  }

  private lazyProt(key: number): number {
    for (const r of this.lazy) if (key >= r.first && key <= r.last) return r.prot;
    return -1;
  }

  /** Maps [addr, addr+len) (page-rounded) with `prot`, zero-filled; replaces old pages. */
  map(addr: number, len: number, prot: number): void {
    const [first, last] = Memory.range(addr, len);
    for (let p = first; p <= last; p++) this.pages.delete(p);
    this.carve(first, last);
    this.lazy.push({ first, last, prot });
    this.flushTlb();
  }

  unmap(addr: number, len: number): void {
    const [first, last] = Memory.range(addr, len);
    for (let p = first; p <= last; p++) this.pages.delete(p);
    this.carve(first, last);
    this.flushTlb();
  }

  /** Changes permissions; returns false (and changes nothing) if part of the range is unmapped. */
  protect(addr: number, len: number, prot: number): boolean {
    const [first, last] = Memory.range(addr, len);
    for (let p = first; p <= last; p++) if (!this.isMappedPage(p)) return false;
    for (let p = first; p <= last; p++) {
      const pg = this.pages.get(p);
      if (pg) {
        pg.prot = prot;
        pg.code = null;
      }
    }
    const touched = this.lazy.filter((r) => !(r.last < first || r.first > last));
    this.carve(first, last);
    for (const r of touched)
      this.lazy.push({ first: Math.max(r.first, first), last: Math.min(r.last, last), prot });
    this.flushTlb();
    return true;
  }

  private isMappedPage(key: number): boolean {
    return this.pages.has(key) || this.lazyProt(key) >= 0;
  }

  isMapped(addr: number): boolean {
    return this.isMappedPage(Math.floor(addr / PAGE_SIZE));
  }

  /** Existing or lazily created page, or undefined when unmapped. */
  private getPage(key: number): Page | undefined {
    let pg = this.pages.get(key);
    if (pg) return pg;
    const prot = this.lazyProt(key);
    if (prot < 0) return undefined;
    pg = new Page(prot);
    this.pages.set(key, pg);
    return pg;
  }

  /**
   * The CPU calls this when it starts caching decoded bundles for a page: the write
   * translation cache must be refilled so the next write to that page drops the cache.
   */
  codeCached(): void {
    this.wKey = -1;
    this.wPage = null;
  }

  /** Bumped whenever mappings or permissions change (lets the CPU cache its fetch page). */
  gen = 0;

  private flushTlb(): void {
    this.gen++;
    this.rKey = this.wKey = -1;
    this.rPage = this.wPage = null;
  }

  /** Page for reading `addr` (throws MemFault). `access` distinguishes fetches. */
  pageFor(addr: number, access: AccessKind): Page {
    const key = Math.floor(addr / PAGE_SIZE);
    if (access === 'read' && key === this.rKey) return this.rPage!;
    if (access === 'write' && key === this.wKey) return this.wPage!;
    if (!(addr >= 0 && addr < ADDR_LIMIT)) this.fail(addr, access, 'unmapped');
    const pg = this.getPage(key);
    if (!pg) return this.fail(addr, access, 'unmapped');
    const need = access === 'read' ? PROT_READ : access === 'write' ? PROT_WRITE : PROT_EXEC;
    if ((pg.prot & need) === 0) this.fail(addr, access, 'protection');
    if (access === 'read') {
      this.rKey = key;
      this.rPage = pg;
    } else if (access === 'write') {
      this.wKey = key;
      this.wPage = pg;
      pg.code = null;
    }
    return pg;
  }

  /** Throws unless every byte of [addr, addr+size) is accessible for `access`. */
  probe(addr: number, size: number, access: AccessKind): void {
    this.pageFor(addr, access);
    if ((addr & PAGE_MASK) + size > PAGE_SIZE) this.pageFor(addr + size - 1, access);
  }

  read8(addr: number): number {
    const pg = this.pageFor(addr, 'read');
    return pg.bytes[pg.off + (addr & PAGE_MASK)];
  }

  read16(addr: number): number {
    const o = addr & PAGE_MASK;
    if ((o & 1) === 0) {
      const pg = this.pageFor(addr, 'read');
      return pg.u16[(pg.off + o) >> 1];
    }
    return this.read8(addr) | (this.read8(addr + 1) << 8);
  }

  /** Returns the 32-bit value as a signed int32. */
  read32(addr: number): number {
    const o = addr & PAGE_MASK;
    if ((o & 3) === 0) {
      const pg = this.pageFor(addr, 'read');
      return pg.i32[(pg.off + o) >> 2];
    }
    return this.read16(addr) | (this.read16(addr + 2) << 16);
  }

  /** Returns the low word; the high word is left in `this.hi`. */
  read64(addr: number): number {
    const o = addr & PAGE_MASK;
    if ((o & 7) === 0) {
      const pg = this.pageFor(addr, 'read');
      const k = (pg.off + o) >> 2;
      this.hi = pg.i32[k + 1];
      return pg.i32[k];
    }
    const lo = this.read32(addr);
    this.hi = this.read32(addr + 4);
    return lo;
  }

  write8(addr: number, v: number): void {
    const pg = this.pageFor(addr, 'write');
    pg.bytes[pg.off + (addr & PAGE_MASK)] = v;
  }

  write16(addr: number, v: number): void {
    const o = addr & PAGE_MASK;
    if ((o & 1) === 0) {
      const pg = this.pageFor(addr, 'write');
      pg.u16[(pg.off + o) >> 1] = v;
    } else {
      this.probe(addr, 2, 'write');
      this.write8(addr, v);
      this.write8(addr + 1, v >>> 8);
    }
  }

  write32(addr: number, v: number): void {
    const o = addr & PAGE_MASK;
    if ((o & 3) === 0) {
      const pg = this.pageFor(addr, 'write');
      pg.i32[(pg.off + o) >> 2] = v;
    } else {
      this.probe(addr, 4, 'write');
      this.write16(addr, v & 0xffff);
      this.write16(addr + 2, v >>> 16);
    }
  }

  write64(addr: number, lo: number, hi: number): void {
    const o = addr & PAGE_MASK;
    if ((o & 7) === 0) {
      const pg = this.pageFor(addr, 'write');
      const k = (pg.off + o) >> 2;
      pg.i32[k] = lo;
      pg.i32[k + 1] = hi;
    } else {
      this.probe(addr, 8, 'write');
      this.write32(addr, lo);
      this.write32(addr + 4, hi);
    }
  }

  /** Bulk copy into guest memory (loader, syscalls); checks write permission unless `force`. */
  writeBytes(addr: number, data: Uint8Array, force = false): void {
    let i = 0;
    while (i < data.length) {
      const a = addr + i;
      const key = Math.floor(a / PAGE_SIZE);
      const pg = force ? this.getPage(key) : this.pageFor(a, 'write');
      if (!pg) this.fail(a, 'write', 'unmapped');
      pg.code = null;
      const o = a & PAGE_MASK;
      const n = Math.min(PAGE_SIZE - o, data.length - i);
      pg.bytes.set(data.subarray(i, i + n), pg.off + o);
      i += n;
    }
  }

  /** Bulk copy out of guest memory (syscalls). `access` 'exec' is used for bundle fetch. */
  readBytes(addr: number, len: number, access: AccessKind = 'read'): Uint8Array {
    const out = new Uint8Array(len);
    let i = 0;
    while (i < len) {
      const a = addr + i;
      const pg = this.pageFor(a, access);
      const o = a & PAGE_MASK;
      const n = Math.min(PAGE_SIZE - o, len - i);
      out.set(pg.bytes.subarray(pg.off + o, pg.off + o + n), i);
      i += n;
    }
    return out;
  }

  /** NUL-terminated string (at most `max` bytes) as raw bytes. */
  readCString(addr: number, max = 4096): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.read8(addr + i);
      if (b === 0) break;
      out.push(b);
    }
    return Uint8Array.from(out);
  }
}
