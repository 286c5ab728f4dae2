/**
 * Monitor counters with stable dotted names (virtualization.md §7.3-7.4) and a bounded
 * ring buffer of decoded intercept records. Everything is plain data via `snapshot()`.
 * Counter names and meanings are listed in emulator/virt/README.md; names are created on
 * first use, and the fixed set below always exists (value 0) so a GUI can lay out panels.
 */
import type { VirtualEpic } from './epic';
import type { GpSpace } from './gpspace';
import { CU_HDR_BITS, cuCauses, ICE_NAMES, IME_NAMES, type CuRecord, type MuRecord } from './intc';
import { describeIntercept, type DecodedIntercept } from './intc-text';

export const BASE_COUNTERS: readonly string[] = [
  'exits.total', 'exits.idr_read', 'exits.mmio', 'exits.quantum', 'exits.idle', 'exits.reset',
  'exits.hcall', 'exits.userspace', 'gpa.faults', 'gpa.faults.data', 'gpa.faults.instr',
  'gpa.faults.ainstr', 'gpa.faults.populated', 'gpa.faults.mmio', 'gpa.faults.retried',
  'gpa.pages_mapped', 'guest_page_faults_direct', 'shadow_faults', 'irq.injected',
  'irq.posted', 'irq.injected.tir', 'ipis.dat_hit', 'ipis.dat_miss', 'host_irq_exits.hv_int',
  'host_irq_exits.hv_nm_int', 'mu.replayed', 'mu.cancelled', 'mu.data_substituted',
  'cu.writes_ignored', 'hypercalls.masked', 'idle.wakeups.irq', 'idle.wakeups.timer',
  'time.guest_ms', 'time.vmm_ms',
]; // prettier-ignore

export class RingBuffer<T> {
  private readonly buf: T[] = [];
  private start = 0;
  /** Items ever pushed (so a reader can tell how many it missed). */
  total = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) this.capacity = 1;
  }

  push(x: T): void {
    this.total++;
    if (this.buf.length < this.capacity) this.buf.push(x);
    else {
      this.buf[this.start] = x;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  get length(): number {
    return this.buf.length;
  }

  /** Oldest first. */
  toArray(): T[] {
    return [...this.buf.slice(this.start), ...this.buf.slice(0, this.start)];
  }

  clear(): void {
    this.buf.length = 0;
    this.start = 0;
  }
}

export interface InterceptLogEntry extends DecodedIntercept {
  seq: number;
  vcpu: number;
  /** Guest time in ms at the exit (caller's clock). */
  timeMs: number;
  /** What the VMM did with it (filled in by the VMM after handling, e.g. "mapped page"). */
  action?: string;
}

export class Counters {
  private readonly c = new Map<string, number>();
  /** Entries-per-exit histograms (§7.4 records_cu_hist 0-2, records_mu_hist 0-11). */
  readonly cuHist = new Array<number>(3).fill(0);
  readonly muHist = new Array<number>(12).fill(0);
  readonly log: RingBuffer<InterceptLogEntry>;

  constructor(logCapacity = 256) {
    for (const n of BASE_COUNTERS) this.c.set(n, 0);
    this.log = new RingBuffer(logCapacity);
  }

  inc(name: string, n = 1): void {
    this.c.set(name, (this.c.get(name) ?? 0) + n);
  }

  set(name: string, v: number): void {
    this.c.set(name, v);
  }

  get(name: string): number {
    return this.c.get(name) ?? 0;
  }

  /**
   * Counts one interception (an exit once, causes per header bit / entry, §7.3) and logs
   * its decoded form. Derived counters (`exits.idr_read`, `exits.quantum`, `exits.idle`,
   * `exits.hcall`, `gpa.faults.*`, `host_irq_exits.*`) follow from the record.
   */
  recordIntercept(cu: CuRecord | null, mu: readonly MuRecord[], vcpu = 0, guestIp?: number, timeMs = 0): InterceptLogEntry {
    this.countIntercept(cu, mu);
    const d = describeIntercept(cu, mu, guestIp);
    const entry: InterceptLogEntry = { ...d, seq: this.log.total, vcpu, timeMs };
    this.log.push(entry);
    return entry;
  } // prettier-ignore

  /**
   * The counting half of `recordIntercept` (no decoding, no log entry): for callers that keep
   * raw records and decode them only when the monitor asks (the VMM's exit path).
   */
  countIntercept(cu: CuRecord | null, mu: readonly MuRecord[]): void {
    this.inc('exits.total');
    if (cu) for (const cause of cuCauses(cu)) this.inc(`exits.cause.${cause}`);
    for (const e of cu?.entries ?? []) {
      this.inc(`exits.cu.${ICE_NAMES[e.code] ?? e.code}`);
      if (e.code === 1 || e.code === 2)
        this.inc(`cu_reg_emulations.${e.code === 1 ? 'read' : 'write'}.0x${e.regNum.toString(16)}`);
      if (e.code === 3) this.inc('hypercalls.masked');
    }
    for (const r of mu) {
      this.inc(`exits.mu.${IME_NAMES[r.code] ?? r.code}`);
      if (r.code === 3) this.inc('gpa.faults.data');
      if (r.code === 4) this.inc('gpa.faults.instr');
      if (r.code === 5) this.inc('gpa.faults.ainstr');
      if (r.code >= 3 && r.code <= 5) this.inc('gpa.faults');
      if (r.code === 2) this.inc('shadow_faults');
      if (r.code === 9 || r.code === 10)
        this.inc(`mmu_reg_emulations.${r.code === 9 ? 'read' : 'write'}.0x${(r.gva >>> 4).toString(16)}`);
    }
    if (cu) {
      const idr = cu.entries.some((e) => e.code === 1 && e.regNum === 0x8a);
      if (idr) this.inc('exits.idr_read');
      if (cu.evnU & 0x04) this.inc('exits.quantum');
      if (cu.evnU & 0x40) this.inc('exits.idle');
      if (cu.evnU & 0x01) this.inc('host_irq_exits.hv_int');
      if (cu.evnU & 0x02) this.inc('host_irq_exits.hv_nm_int');
      if (cu.entries.some((e) => e.code === 3)) this.inc('exits.hcall');
    }
    this.cuHist[Math.min(cu?.entries.length ?? 0, 2)]++;
    this.muHist[Math.min(mu.length, 11)]++;
  } // prettier-ignore

  /** Copies gauges kept by the models themselves (pages mapped, DAT hits, injections). */
  syncVm(space: GpSpace | null, epic: VirtualEpic | null): void {
    if (space) this.set('gpa.pages_mapped', space.pagesMapped);
    if (!epic) return;
    this.set('ipis.dat_hit', epic.datHits);
    this.set('ipis.dat_miss', epic.datMisses);
    this.set(
      'irq.injected',
      epic.vcpus.reduce((n, c) => n + c.injected, 0),
    );
    this.set(
      'irq.posted',
      epic.vcpus.reduce((n, c) => n + c.posted, 0),
    );
  }

  /** All cause names of the CU header (for heat-map rows), in bit order. */
  static cuCauseNames(): string[] {
    return CU_HDR_BITS.filter((n): n is string => n !== null);
  }

  snapshot(): { counters: Record<string, number>; cuHist: number[]; muHist: number[]; log: InterceptLogEntry[]; logTotal: number } {
    const counters: Record<string, number> = {};
    for (const k of [...this.c.keys()].sort()) counters[k] = this.c.get(k)!;
    return { counters, cuHist: [...this.cuHist], muHist: [...this.muHist], log: this.log.toArray(), logTotal: this.log.total };
  } // prettier-ignore
}
