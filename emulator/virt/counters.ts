/**
 * Monitor counters with stable dotted names (virtualization.md §7.3-7.4) and a bounded
 * ring buffer of decoded intercept records. Everything is plain data via `snapshot()`.
 * Counter names and meanings are listed in emulator/virt/README.md; names are created on
 * first use, and the fixed set below always exists (value 0) so a GUI can lay out panels.
 */
import type { VirtualEpic } from './epic';
import type { GpSpace } from './gpspace';
import { CU_HDR_BITS, ICE_NAMES, IME_NAMES, type CuRecord, type MuRecord } from './intc';
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

const NO_ENTRIES: readonly CuRecord['entries'][number][] = [];

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

/** Counter names built once per code / register (the exit path counts without building strings). */
const CAUSE_KEYS = CU_HDR_BITS.map((n) => (n === null ? null : `exits.cause.${n}`));
const K_CU = 0;
const K_CU_REG_R = 1;
const K_CU_REG_W = 2;
const K_MU = 3;
const K_MMU_REG_R = 4;
const K_MMU_REG_W = 5;
const keyCache = [K_CU, K_CU_REG_R, K_CU_REG_W, K_MU, K_MMU_REG_R, K_MMU_REG_W].map(() => new Map<number, string>()); // prettier-ignore
function key(kind: number, n: number): string {
  let s = keyCache[kind].get(n);
  if (s === undefined) {
    const rw = kind === K_CU_REG_R || kind === K_MMU_REG_R ? 'read' : 'write';
    if (kind === K_CU) s = `exits.cu.${ICE_NAMES[n] ?? n}`;
    else if (kind === K_MU) s = `exits.mu.${IME_NAMES[n] ?? n}`;
    else if (kind === K_CU_REG_R || kind === K_CU_REG_W)
      s = `cu_reg_emulations.${rw}.0x${n.toString(16)}`; // prettier-ignore
    else s = `mmu_reg_emulations.${rw}.0x${n.toString(16)}`;
    keyCache[kind].set(n, s);
  }
  return s;
}

export class Counters {
  /** Name → slot in `vals` (values as float64: no boxed number per update). */
  private readonly c = new Map<string, number>();
  private vals = new Float64Array(64);
  /** Entries-per-exit histograms (§7.4 records_cu_hist 0-2, records_mu_hist 0-11). */
  readonly cuHist = new Array<number>(3).fill(0);
  readonly muHist = new Array<number>(12).fill(0);
  readonly log: RingBuffer<InterceptLogEntry>;

  constructor(logCapacity = 256) {
    for (const n of BASE_COUNTERS) this.set(n, 0);
    this.log = new RingBuffer(logCapacity);
  }

  private slot(name: string): number {
    let i = this.c.get(name);
    if (i === undefined) {
      i = this.c.size;
      this.c.set(name, i);
      if (i >= this.vals.length) {
        const grown = new Float64Array(this.vals.length * 2);
        grown.set(this.vals);
        this.vals = grown;
      }
    }
    return i;
  }

  inc(name: string, n = 1): void {
    this.vals[this.slot(name)] += n;
  }

  set(name: string, v: number): void {
    this.vals[this.slot(name)] = v;
  }

  get(name: string): number {
    const i = this.c.get(name);
    return i === undefined ? 0 : this.vals[i];
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
    const entries = cu ? cu.entries : NO_ENTRIES;
    if (cu) {
      // = cuCauses(cu), bit order 0..32, without the name array
      const lo = ((cu.evnC & 0xffff) | ((cu.excC & 0xff) << 16) | ((cu.evnU & 0xff) << 24)) >>> 0;
      for (let b = 0; b < 32; b++) {
        const k = CAUSE_KEYS[b];
        if ((lo >>> b) & 1 && k) this.inc(k);
      }
      if (cu.tirFz && CAUSE_KEYS[32]) this.inc(CAUSE_KEYS[32]);
    }
    let idr = false;
    let hcall = false;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      const code = e.code;
      this.inc(key(K_CU, code));
      if (code === 1 || code === 2) this.inc(key(code === 1 ? K_CU_REG_R : K_CU_REG_W, e.regNum));
      if (code === 3) this.inc('hypercalls.masked');
      if (code === 1 && e.regNum === 0x8a) idr = true;
      if (code === 3) hcall = true;
    }
    for (let i = 0; i < mu.length; i++) {
      const r = mu[i];
      const code = r.code;
      this.inc(key(K_MU, code));
      if (code === 3) this.inc('gpa.faults.data');
      if (code === 4) this.inc('gpa.faults.instr');
      if (code === 5) this.inc('gpa.faults.ainstr');
      if (code >= 3 && code <= 5) this.inc('gpa.faults');
      if (code === 2) this.inc('shadow_faults');
      if (code === 9 || code === 10) this.inc(key(code === 9 ? K_MMU_REG_R : K_MMU_REG_W, r.gva >>> 4)); // prettier-ignore
    }
    if (cu) {
      if (idr) this.inc('exits.idr_read');
      if (cu.evnU & 0x04) this.inc('exits.quantum');
      if (cu.evnU & 0x40) this.inc('exits.idle');
      if (cu.evnU & 0x01) this.inc('host_irq_exits.hv_int');
      if (cu.evnU & 0x02) this.inc('host_irq_exits.hv_nm_int');
      if (hcall) this.inc('exits.hcall');
    }
    this.cuHist[Math.min(entries.length, 2)]++;
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
    for (const k of [...this.c.keys()].sort()) counters[k] = this.vals[this.c.get(k)!];
    return { counters, cuHist: [...this.cuHist], muHist: [...this.muHist], log: this.log.toArray(), logTotal: this.log.total };
  } // prettier-ignore
}
