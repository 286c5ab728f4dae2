/**
 * Translation cache. Entries are tagged with the 12-bit context (MMU CONT/PID, system.md
 * §3.3); G (global) entries match any context. Flush operations are the documented ones
 * (§3.5): whole TLB, one page in a context, and — for the VMM/OS convenience — all
 * non-global entries of one context.
 *
 * Layout: one Map per page size (4 KiB, 2 MiB, 1 GiB) keyed by `vpn * 4096 + ctx` (< 2^48,
 * an exact number) for non-global entries and by `vpn` in a separate map for globals.
 * GID tagging (virtualization.md §4.4, inferred) is modelled by giving each guest its own
 * Tlb instance. Capacity is bounded: when full, the whole TLB is dropped (simple, and
 * always correct for a cache).
 */
import { F_G } from './pte';

export interface TlbEntry {
  /** Physical base of the page. */
  base: number;
  flags: number;
  size: number;
}

const SHIFTS = [12, 21, 30];
const DIVS = [2 ** 12, 2 ** 21, 2 ** 30];
/** Direct-mapped front cache (by 4 KiB page number) so a hit costs one array probe. */
const FAST = 256;

export class Tlb {
  private readonly local = [new Map<number, TlbEntry>(), new Map(), new Map()];
  private readonly global = [new Map<number, TlbEntry>(), new Map(), new Map()];
  private count = 0;
  hits = 0;
  misses = 0;
  flushes = 0;
  private readonly fastVpn = new Float64Array(FAST).fill(-1);
  private readonly fastCtx = new Int32Array(FAST);
  private readonly fastEntry: (TlbEntry | null)[] = new Array<TlbEntry | null>(FAST).fill(null);

  constructor(readonly capacity = 4096) {}

  private clearFast(): void {
    this.fastVpn.fill(-1);
    this.fastEntry.fill(null);
  }

  get size(): number {
    return this.count;
  }

  /** Finds the entry for `va` in context `ctx`; null on miss. */
  lookup(va: number, ctx: number): TlbEntry | null {
    const vpn4 = Math.floor(va / 4096);
    const slot = vpn4 & (FAST - 1);
    if (this.fastVpn[slot] === vpn4 && this.fastCtx[slot] === ctx) {
      this.hits++;
      return this.fastEntry[slot];
    }
    for (let i = 0; i < 3; i++) {
      const vpn = i === 0 ? vpn4 : Math.floor(va / DIVS[i]);
      const e = this.global[i].get(vpn) ?? this.local[i].get(vpn * 4096 + ctx);
      if (e) {
        this.hits++;
        this.fastVpn[slot] = vpn4;
        this.fastCtx[slot] = ctx;
        this.fastEntry[slot] = e;
        return e;
      }
    }
    this.misses++;
    return null;
  }

  insert(va: number, ctx: number, base: number, flags: number, size: number): void {
    const i = size >= 2 ** 30 ? 2 : size >= 2 ** 21 ? 1 : 0;
    if (this.count >= this.capacity) this.flushAll();
    const vpn = Math.floor(va / 2 ** SHIFTS[i]);
    const m = flags & F_G ? this.global[i] : this.local[i];
    const key = flags & F_G ? vpn : vpn * 4096 + (ctx & 0xfff);
    if (!m.has(key)) this.count++;
    else this.clearFast(); // the replaced entry may be cached in front
    m.set(key, { base, flags, size });
    this.fastVpn[Math.floor(va / 4096) & (FAST - 1)] = -1; // lookup order may now differ
  }

  flushAll(): void {
    this.flushes++;
    // Empty already (no entry, so no fast-path slot either): Map.clear() still allocates a
    // new table, and a VcpuCore flushes at every glaunch/exit while its guest never fills
    // this TLB (guest translations go through the TDP walker).
    if (this.count === 0) return;
    for (let i = 0; i < 3; i++) {
      this.local[i].clear();
      this.global[i].clear();
    }
    this.clearFast();
    this.count = 0;
  }

  /**
   * Flush one page (MAS 0x17, address 1): drops the entry mapping `va` in context `ctx` of
   * any page size, and a global entry for `va` too (a page flush names a VA; we do not let
   * a stale global translation survive it — our choice).
   */
  flushPage(va: number, ctx: number): void {
    for (let i = 0; i < 3; i++) {
      const vpn = Math.floor(va / 2 ** SHIFTS[i]);
      if (this.local[i].delete(vpn * 4096 + (ctx & 0xfff))) this.count--;
      if (this.global[i].delete(vpn)) this.count--;
    }
    this.clearFast();
    this.flushes++;
  }

  /** Drops every non-global entry of context `ctx`. */
  flushContext(ctx: number): void {
    for (const m of this.local)
      for (const k of [...m.keys()])
        if (k % 4096 === (ctx & 0xfff)) {
          m.delete(k);
          this.count--;
        }
    this.clearFast();
    this.flushes++;
  }

  snapshot(): { size: number; capacity: number; hits: number; misses: number; flushes: number } {
    return {
      size: this.count,
      capacity: this.capacity,
      hits: this.hits,
      misses: this.misses,
      flushes: this.flushes,
    };
  }
}
