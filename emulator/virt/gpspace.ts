/**
 * The VMM's view of one VM's guest-physical space: RAM slots backed lazily by host pages
 * through the GP tables, and MMIO windows (virtualization.md §4.3: a GPA that belongs to
 * no RAM slot is a device → MMIO emulation). `resolveFault` is what the VMM calls on an
 * IME_GPA_* intercept: it maps the missing RAM page (counted in `gpa.pages_mapped`) or
 * reports MMIO / invalid so the caller can emulate or fail the access.
 */
import type { PhysMemory } from '../memory/phys';
import { GpTables } from './gp';

export interface RamSlot {
  gpaBase: number;
  size: number;
  name: string;
}

/** Guest frames per chunk of the gfn → host PA table (16 MiB of guest RAM, 32 KiB of table). */
const CHUNK = 4096;

/**
 * gfn → host PA, in chunks of Float64Array created on first use. Why not a Map: host PAs of
 * allocator pages are above 2^32, so each Map entry would box its value (≈ 60 bytes of V8
 * heap per guest page, and more garbage when the table rehashes while a guest faults in
 * memory); a chunk costs 8 bytes per frame and is created once per 16 MiB touched.
 */
class FrameTable {
  private readonly chunks = new Map<number, Float64Array>();
  size = 0;

  get(gfn: number): number {
    const c = this.chunks.get(Math.floor(gfn / CHUNK));
    return c === undefined ? -1 : c[gfn % CHUNK];
  }

  set(gfn: number, pa: number): void {
    const k = Math.floor(gfn / CHUNK);
    let c = this.chunks.get(k);
    if (c === undefined) this.chunks.set(k, (c = new Float64Array(CHUNK).fill(-1)));
    if (c[gfn % CHUNK] < 0) this.size++;
    c[gfn % CHUNK] = pa;
  }
}

export type GpaFaultOutcome = 'mapped' | 'mmio' | 'unbacked' | 'write_protect' | 'no_memory';

export class GpSpace {
  readonly gp: GpTables;
  readonly slots: RamSlot[] = [];
  readonly mmio: { gpaBase: number; size: number; name: string }[] = [];
  /** Host pages backing guest RAM (gfn → host PA). */
  private readonly backing = new FrameTable();
  /** Guest frames kept read-only (write-tracked), see `protect`. */
  private readonly readOnly = new Set<number>();
  faults = 0;
  mmioFaults = 0;

  constructor(private readonly mem: PhysMemory) {
    this.gp = new GpTables(mem);
  }

  /** GP_PPTB value for this VM. */
  get root(): number {
    return this.gp.root;
  }

  get pagesMapped(): number {
    return this.backing.size;
  }

  addRam(gpaBase: number, size: number, name = 'ram'): void {
    this.slots.push({ gpaBase, size, name });
  }

  addMmio(gpaBase: number, size: number, name: string): void {
    this.mmio.push({ gpaBase, size, name });
  }

  slotOf(gpa: number): RamSlot | undefined {
    return this.slots.find((s) => gpa >= s.gpaBase && gpa < s.gpaBase + s.size);
  }

  mmioOf(gpa: number): { gpaBase: number; size: number; name: string } | undefined {
    return this.mmio.find((s) => gpa >= s.gpaBase && gpa < s.gpaBase + s.size);
  }

  /** Host PA backing `gpa` if its page is already populated, else -1 (no allocation). */
  hostAddr(gpa: number): number {
    const pa = this.backing.get(Math.floor(gpa / 4096));
    return pa < 0 ? -1 : pa + (gpa % 4096);
  }

  /** Populates (allocates + maps) the RAM page containing `gpa`; returns its host PA. */
  populate(gpa: number): number {
    const gfn = Math.floor(gpa / 4096);
    const have = this.backing.get(gfn);
    if (have >= 0) return have;
    if (!this.slotOf(gpa)) return -1;
    const pa = this.mem.allocPage();
    if (pa < 0) return -1;
    if (!this.gp.map(gfn * 4096, pa, { write: !this.readOnly.has(gfn) })) {
      this.mem.freePage(pa);
      return -1;
    }
    this.backing.set(gfn, pa);
    return pa;
  }

  /** Write-tracks a guest frame (e.g. a guest page-table page): stores then intercept. */
  protect(gpa: number, readOnly: boolean): void {
    const gfn = Math.floor(gpa / 4096);
    if (readOnly) this.readOnly.add(gfn);
    else this.readOnly.delete(gfn);
    const pa = this.backing.get(gfn);
    if (pa >= 0) this.gp.map(gfn * 4096, pa, { write: !readOnly });
  }

  /** Handles an IME_GPA_* intercept for `gpa`. */
  resolveFault(gpa: number, write: boolean): GpaFaultOutcome {
    this.faults++;
    const gfn = Math.floor(gpa / 4096);
    if (this.slotOf(gpa)) {
      if (this.backing.get(gfn) >= 0)
        return write && this.readOnly.has(gfn) ? 'write_protect' : 'mapped';
      return this.populate(gpa) < 0 ? 'no_memory' : 'mapped';
    }
    if (this.mmioOf(gpa)) {
      this.mmioFaults++;
      return 'mmio';
    }
    return 'unbacked';
  }

  /** Copies bytes into guest RAM (loader), populating pages as needed. */
  writeGuest(gpa: number, data: Uint8Array): boolean {
    for (let i = 0; i < data.length; i++) {
      const pa = this.populate(gpa + i);
      if (pa < 0) return false;
      this.mem.write8(pa + ((gpa + i) % 4096), data[i]);
    }
    return true;
  }

  /** Coverage summary for the monitor's memory panel (§7.5). */
  snapshot(): object {
    return {
      root: this.root,
      pagesMapped: this.pagesMapped,
      gpTablePages: this.gp.tablePages,
      faults: this.faults,
      mmioFaults: this.mmioFaults,
      slots: this.slots.map((s) => ({ ...s })),
      mmio: this.mmio.map((s) => ({ ...s })),
    };
  }
}
