/**
 * The system-mode memory path (system.md §3, §6.4): virtual → physical through the MMU
 * (emulator/mmu) or, in guest mode, through the two-dimensional GVA → GPA → PA walk
 * (emulator/virt/tdp.ts, installed as `guest`), onto PhysMemory pages, with MMIO windows
 * dispatched to an MmioBus.
 *
 * It *is* a `Memory` (the user-mode page map of emulator/cpu/memory.ts), so the executor's
 * loads, stores, fetches and per-page decoded-bundle cache work unchanged: `pageFor`
 * returns the PhysPage (same shape as Page) and the decoded bundles live on the physical
 * page. One-entry caches per access kind (virtual page → physical page) are dropped by
 * `invalidate()` whenever a translation may change (MMU register writes, TLB flushes, PSR.pm
 * changes, guest/host switches); `gen` is bumped so the CPU's fetch cache revalidates.
 *
 * Faults throw the preallocated `SysFault` (a MemFault, so speculative loads still get the
 * diagnostic value): `kind` 'page' carries the TC fault_type, miss level and TIR exception
 * number; 'intercept' means the guest-mode translator produced an interception (GPA miss).
 * MMIO accesses never reach a page: reads/writes go to the bus; unclaimed physical
 * addresses read as all-ones and ignore writes (system.md §6.1), counted in `unclaimed`.
 */
import { MemFault, Memory, type AccessKind, type Page } from '../memory';
import type { MmioBus } from '../../memory/mmio';
import type { PhysMemory, PhysPage } from '../../memory/phys';
import { ACC_EXEC, ACC_READ, ACC_WRITE, FT_PH_BOUND, EXC_DATA_PAGE, EXC_INSTR_PAGE_PROT, type Access } from '../../mmu/fault'; // prettier-ignore
import type { Mmu } from '../../mmu/mmu';
import { WALK_OK, WalkResult } from '../../mmu/walk';

export class SysFault extends MemFault {
  kind: 'page' | 'intercept' = 'page';
  /** TC fault_type field value (bits 47:35 >> 35). */
  faultType = 0;
  missLevel = 0;
  /** TIR exception number (20/21 fetch, 29 data). */
  exc = EXC_DATA_PAGE;
}

/** Guest-mode translation (virt/guest-mmu.ts): GVA → host PA, or throws the SysFault. */
export interface GuestTranslator {
  /** Returns the host PA; on a guest fault or an interception fills `f` and throws it. */
  translate(va: number, acc: Access, pm: boolean, f: SysFault): number;
  /** Size of the guest page the last successful `translate` went through (4096 without paging). */
  readonly lastPageSize: number;
}

/** Entries per software-TLB table (direct-mapped; a power of two). */
const TLB_SIZE = 512;
/** Huge pages remembered for `invalidatePage` (more: any page flush drops everything). */
const HUGE_MAX = 8;

const ACC: Record<AccessKind, Access> = { read: ACC_READ, write: ACC_WRITE, exec: ACC_EXEC };

export class SystemMemory extends Memory {
  readonly sysFault = new SysFault();
  /** Privilege of the current access (PSR.pm of the running code); the CPU keeps it current. */
  pm = true;
  /**
   * Hardware access in progress (register spill/fill, chain frames): privileged regardless
   * of PSR.pm (system.md §1.6 — Linux maps hardware stacks PV). It uses the software TLB's
   * privileged entries, so a user access cannot reuse a translation checked with privilege.
   */
  hw = false;
  /** Set while the core runs a guest (glaunch): translation goes through it. */
  guest: GuestTranslator | null = null;
  /** Accesses to physical addresses no RAM page or device claims. */
  unclaimed = 0;
  /** Physical address of the last MMIO access found by `xpage` (valid when it returned null). */
  private mPa = 0;
  private readonly wr = new WalkResult();
  // Software TLB: direct-mapped, one table per access kind, VA page → RAM page. The tag is
  // page number · 4 + 2·guest + pm, so privileged and user translations (and host and
  // guest ones on a VcpuCore) never answer for each other; -1 = empty.
  private readonly rTag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly rPg: (PhysPage | null)[] = new Array<PhysPage | null>(TLB_SIZE).fill(null);
  private readonly wTag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly wPg: (PhysPage | null)[] = new Array<PhysPage | null>(TLB_SIZE).fill(null);
  private readonly xTag = new Float64Array(TLB_SIZE).fill(-1);
  private readonly xPg: (PhysPage | null)[] = new Array<PhysPage | null>(TLB_SIZE).fill(null);
  /** PhysMemory.gen the cached pages belong to (a freed/discarded page drops them all). */
  private pGen = -1;
  /** Software TLB hits / fills (monitor counters). */
  tlbHits = 0;
  tlbFills = 0;

  constructor(
    readonly phys: PhysMemory,
    readonly bus: MmioBus,
    readonly mmu: Mmu,
  ) {
    super();
  }

  /** Drops cached translations (call after anything that changes VA→PA or permissions). */
  invalidate(): void {
    this.rTag.fill(-1);
    this.wTag.fill(-1);
    this.xTag.fill(-1);
    this.nHuge = 0;
    this.pGen = this.phys.gen;
    this.gen++;
  }

  /**
   * Pages larger than 4 KiB that cached entries came from (base, size; up to HUGE_MAX, then
   * `nHuge` stays above it = unknown). The tables cache 4 KiB granules, so a one-page flush
   * inside a 2 MiB / 1 GiB page could leave its other granules behind: `invalidatePage`
   * then drops everything, as the hardware drops the whole entry. Kernels map themselves
   * with huge pages and flush user pages, so this list is short and rarely hit.
   */
  private readonly hugeBase = new Float64Array(HUGE_MAX);
  private readonly hugeSize = new Float64Array(HUGE_MAX);
  private nHuge = 0;

  private noteHuge(va: number, size: number): void {
    const base = va - (va % size);
    for (let i = 0; i < this.nHuge && i < HUGE_MAX; i++)
      if (this.hugeBase[i] === base && this.hugeSize[i] === size) return;
    if (this.nHuge < HUGE_MAX) {
      this.hugeBase[this.nHuge] = base;
      this.hugeSize[this.nHuge] = size;
    }
    this.nHuge++;
  }

  private inHuge(va: number): boolean {
    if (this.nHuge > HUGE_MAX) return true;
    for (let i = 0; i < this.nHuge; i++)
      if (va >= this.hugeBase[i] && va - this.hugeBase[i] < this.hugeSize[i]) return true;
    return false;
  }

  /**
   * TLB page flush (MAS 0x17, system.md §3.5): drops the cached translations of the 4 KiB
   * page holding `va` — every privilege and host/guest variant — instead of all 3 × 512
   * entries. Why: a kernel flushes one page after each PTE it changes (the demo OS on every
   * page it faults in), and the full drop cost one re-translation per page the guest
   * touched afterwards (≈ 18 per fault in the demo's `mem`).
   */
  invalidatePage(va: number): void {
    if (this.pGen !== this.phys.gen || this.inHuge(va)) return this.invalidate();
    const base = Math.floor(va / 4096) * 4;
    for (let k = 0; k < 4; k++) {
      const t = base + k;
      const i = t % TLB_SIZE;
      if (this.rTag[i] === t) this.rTag[i] = -1;
      if (this.wTag[i] === t) this.wTag[i] = -1;
      if (this.xTag[i] === t) this.xTag[i] = -1;
    }
    this.gen++; // the CPU's fetch-page cache revalidates
  }

  /**
   * PSR.pm changed: cached translations stay (the tag carries pm), but the CPU's fetch-page
   * cache must revalidate (a user fetch from a privileged-only page faults).
   */
  pmChanged(): void {
    this.gen++;
  }

  /** A page now caches decoded bundles: the next write to it must take the slow path. */
  override codeCached(): void {
    this.wTag.fill(-1);
  }

  /**
   * TLB tag of `va` for the current privilege / mode. A hardware access is privileged, so
   * it shares the privileged entries (each was checked with privilege) and never sees a
   * user one.
   */
  private tag(va: number): number {
    return Math.floor(va / 4096) * 4 + (this.guest !== null ? 2 : 0) + (this.pm || this.hw ? 1 : 0); // prettier-ignore
  }

  private sfail(va: number, access: AccessKind, ft: number, missLevel: number, exc: number): never {
    const f = this.sysFault;
    f.kind = 'page';
    f.addr = va;
    f.access = access;
    f.reason = 'unmapped';
    f.faultType = ft;
    f.missLevel = missLevel;
    f.exc = exc;
    throw f;
  }

  /** VA → PA for `access` (throws SysFault). */
  translate(va: number, access: AccessKind): number {
    const acc = ACC[access];
    const pm = this.pm || this.hw;
    if (this.guest !== null) {
      const f = this.sysFault;
      f.addr = va;
      f.access = access;
      const pa = this.guest.translate(va, acc, pm, f);
      if (this.guest.lastPageSize > 4096) this.noteHuge(va, this.guest.lastPageSize);
      return pa;
    }
    const r = this.mmu.translate(va, acc, pm, this.wr);
    if (r.status !== WALK_OK) this.sfail(va, access, r.faultType, r.missLevel, r.exc);
    if (r.pageSize > 4096) this.noteHuge(va, r.pageSize);
    return r.pa;
  }

  /**
   * RAM page for `va`, or null when the physical address is an MMIO window or outside RAM
   * (its PA is then in `mPa`).
   */
  private xpage(va: number, access: AccessKind): PhysPage | null {
    const pa = this.translate(va, access);
    if (this.bus.find(pa) !== null) {
      this.mPa = pa;
      return null;
    }
    const pg = this.phys.pageAt(pa, true);
    if (pg === undefined) {
      if (access === 'exec') this.sfail(va, access, FT_PH_BOUND, 0, EXC_INSTR_PAGE_PROT);
      this.mPa = pa;
      return null;
    }
    return pg;
  }

  /** Read page (cached), or null for MMIO. */
  private rp(va: number): PhysPage | null {
    const t = this.tag(va);
    const i = t % TLB_SIZE;
    if (this.rTag[i] === t && this.pGen === this.phys.gen) {
      this.tlbHits++;
      return this.rPg[i];
    }
    if (this.pGen !== this.phys.gen) this.invalidate();
    const pg = this.xpage(va, 'read');
    if (pg !== null && i >= 0) {
      this.tlbFills++;
      this.rTag[i] = t;
      this.rPg[i] = pg;
    }
    return pg;
  }

  private wp(va: number): PhysPage | null {
    const t = this.tag(va);
    const i = t % TLB_SIZE;
    if (this.wTag[i] === t && this.pGen === this.phys.gen) {
      this.tlbHits++;
      return this.wPg[i];
    }
    if (this.pGen !== this.phys.gen) this.invalidate();
    const pg = this.xpage(va, 'write');
    if (pg !== null) {
      pg.code = null; // writes through a cached entry skip this: codeCached() empties wTag
      if (i < 0) return pg;
      this.tlbFills++;
      this.wTag[i] = t;
      this.wPg[i] = pg;
    }
    return pg;
  }

  /** Fetch page (cached); MMIO / outside RAM fault inside xpage or return null. */
  private xp(va: number): PhysPage | null {
    const t = this.tag(va);
    const i = t % TLB_SIZE;
    if (this.xTag[i] === t && this.pGen === this.phys.gen) {
      this.tlbHits++;
      return this.xPg[i];
    }
    if (this.pGen !== this.phys.gen) this.invalidate();
    const pg = this.xpage(va, 'exec');
    if (pg !== null && i >= 0) {
      this.tlbFills++;
      this.xTag[i] = t;
      this.xPg[i] = pg;
    }
    return pg;
  }

  override pageFor(addr: number, access: AccessKind): Page {
    const pg = access === 'read' ? this.rp(addr) : access === 'write' ? this.wp(addr) : this.xp(addr); // prettier-ignore
    if (pg === null) {
      // Code or bulk access to an MMIO window: not executable / not addressable as a page.
      this.sfail(addr, access, FT_PH_BOUND, 0, access === 'exec' ? EXC_INSTR_PAGE_PROT : EXC_DATA_PAGE); // prettier-ignore
    }
    return pg as unknown as Page;
  }

  override isMapped(addr: number): boolean {
    try {
      this.xpage(addr, 'exec');
      return true;
    } catch {
      return false;
    }
  }

  /** Faults if `access` to [addr, addr+size) would (every staged store is probed first). */
  override probe(addr: number, size: number, access: AccessKind): void {
    const f = access === 'write' ? this.wpFn : access === 'read' ? this.rpFn : null;
    if (f === null) this.translate(addr, access);
    else f(addr); // through the software TLB (fills it; MMIO / outside RAM do not fault)
    if ((addr & 4095) + size > 4096) {
      if (f === null) this.translate(addr + size - 1, access);
      else f(addr + size - 1);
    }
  }

  private readonly wpFn = (va: number): unknown => this.wp(va);
  private readonly rpFn = (va: number): unknown => this.rp(va);

  // --- MMIO -------------------------------------------------------------------------------

  private mmioRead(width: number): number {
    const v = this.bus.read(this.mPa, width);
    if (v === undefined) {
      this.unclaimed++;
      return width === 8 ? -1 : width === 4 ? -1 : (1 << (width * 8)) - 1;
    }
    if (width === 8) {
      this.hi = Math.floor(v / 2 ** 32) | 0;
      return (v % 2 ** 32) | 0;
    }
    return width === 4 ? v | 0 : v;
  }

  private mmioWrite(width: number, lo: number, hi: number): void {
    const v = width === 8 ? (hi >>> 0) * 2 ** 32 + (lo >>> 0) : width === 4 ? lo >>> 0 : lo & ((1 << (width * 8)) - 1); // prettier-ignore
    if (!this.bus.write(this.mPa, width, v)) this.unclaimed++;
  }

  // --- accessors (RAM fast path, MMIO through the bus) ------------------------------------

  override read8(addr: number): number {
    const pg = this.rp(addr);
    return pg !== null ? pg.bytes[pg.off + (addr & 4095)] : this.mmioRead(1);
  }

  override read16(addr: number): number {
    const o = addr & 4095;
    if ((o & 1) === 0) {
      const pg = this.rp(addr);
      return pg !== null ? pg.u16[(pg.off + o) >> 1] : this.mmioRead(2);
    }
    return this.read8(addr) | (this.read8(addr + 1) << 8);
  }

  override read32(addr: number): number {
    const o = addr & 4095;
    if ((o & 3) === 0) {
      const pg = this.rp(addr);
      return pg !== null ? pg.i32[(pg.off + o) >> 2] : this.mmioRead(4);
    }
    return this.read16(addr) | (this.read16(addr + 2) << 16);
  }

  override read64(addr: number): number {
    const o = addr & 4095;
    if ((o & 7) === 0) {
      const pg = this.rp(addr);
      if (pg === null) {
        // 8-byte MMIO: the width-8 read sets `hi`
        const v = this.mmioRead(8);
        if (this.bus.find(this.mPa) === null) this.hi = -1;
        return v;
      }
      const k = (pg.off + o) >> 2;
      this.hi = pg.i32[k + 1];
      return pg.i32[k];
    }
    const lo = this.read32(addr);
    const hi = this.read32(addr + 4);
    this.hi = hi;
    return lo;
  }

  override write8(addr: number, v: number): void {
    const pg = this.wp(addr);
    if (pg !== null) pg.bytes[pg.off + (addr & 4095)] = v;
    else this.mmioWrite(1, v, 0);
  }

  override write16(addr: number, v: number): void {
    const o = addr & 4095;
    if ((o & 1) === 0) {
      const pg = this.wp(addr);
      if (pg !== null) pg.u16[(pg.off + o) >> 1] = v;
      else this.mmioWrite(2, v, 0);
      return;
    }
    this.probe(addr, 2, 'write');
    this.write8(addr, v);
    this.write8(addr + 1, v >>> 8);
  }

  override write32(addr: number, v: number): void {
    const o = addr & 4095;
    if ((o & 3) === 0) {
      const pg = this.wp(addr);
      if (pg !== null) pg.i32[(pg.off + o) >> 2] = v;
      else this.mmioWrite(4, v, 0);
      return;
    }
    this.probe(addr, 4, 'write');
    this.write16(addr, v & 0xffff);
    this.write16(addr + 2, v >>> 16);
  }

  override write64(addr: number, lo: number, hi: number): void {
    const o = addr & 4095;
    if ((o & 7) === 0) {
      const pg = this.wp(addr);
      if (pg !== null) {
        const k = (pg.off + o) >> 2;
        pg.i32[k] = lo;
        pg.i32[k + 1] = hi;
      } else this.mmioWrite(8, lo, hi);
      return;
    }
    this.probe(addr, 8, 'write');
    this.write32(addr, lo);
    this.write32(addr + 4, hi);
  }

  override writeBytes(addr: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.write8(addr + i, data[i]);
  }

  override readBytes(addr: number, len: number, access: AccessKind = 'read'): Uint8Array {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const a = addr + i;
      if (access === 'exec') {
        const pg = this.pageFor(a, 'exec');
        out[i] = pg.bytes[pg.off + (a & 4095)];
      } else out[i] = this.read8(a);
    }
    return out;
  }

  // --- physical access (MAS 1 / MAS 6), bypassing translation -----------------------------

  /** Physical read of `width` bytes (low half returned, high in `hi`). */
  physRead(pa: number, width: number): number {
    if (this.bus.find(pa) !== null || !this.phys.inRam(pa)) {
      this.mPa = pa;
      const v = this.mmioRead(width);
      if (width === 8 && this.bus.find(pa) === null) this.hi = -1;
      return v;
    }
    const p = this.phys;
    switch (width) {
      case 1:
        return p.read8(pa);
      case 2:
        return p.read16(pa);
      case 4:
        return p.read32(pa) | 0;
      default: {
        const lo = p.read64(pa) | 0;
        this.hi = p.hi | 0;
        return lo;
      }
    }
  }

  physWrite(pa: number, width: number, lo: number, hi: number): void {
    if (this.bus.find(pa) !== null || !this.phys.inRam(pa)) {
      this.mPa = pa;
      this.mmioWrite(width, lo, hi);
      return;
    }
    const p = this.phys;
    if (width === 1) p.write8(pa, lo);
    else if (width === 2) p.write16(pa, lo);
    else if (width === 4) p.write32(pa, lo >>> 0);
    else p.write64(pa, lo, hi);
  }
}
