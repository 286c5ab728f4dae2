/**
 * What the GUI knows about running VMs: the latest state of each (from vmState events and
 * the list) and a short history of monitor samples (vmStats events, every 200 ms), from
 * which the monitor's charts compute rates. One store per API object; components read it
 * with useSyncExternalStore.
 */
import type { GlaunchApi, VmState, VmStatsEvent } from '../../main/common/api';

/** 60 s of samples at 200 ms. */
export const HISTORY = 300;

export interface VmRuntime {
  state?: VmState;
  reason?: string;
  samples: VmStatsEvent[];
}

const EMPTY: VmRuntime = { samples: [] };

export class RuntimeStore {
  private readonly vms = new Map<string, VmRuntime>();
  private readonly listeners = new Set<() => void>();
  private offs: (() => void)[] = [];

  constructor(private readonly api: GlaunchApi) {}

  /** Subscribes to the API's events (idempotent; stop() undoes it). */
  start(): void {
    if (this.offs.length > 0) return;
    const api = this.api;
    this.offs = [
      api.onVmStats((e) => {
        const cur = this.vms.get(e.name) ?? EMPTY;
        const samples = [...cur.samples, e];
        if (samples.length > HISTORY) samples.splice(0, samples.length - HISTORY);
        this.set(e.name, { ...cur, samples });
      }),
      api.onVmState((e) => {
        const cur = this.vms.get(e.name) ?? EMPTY;
        // A new run starts with empty charts.
        const samples = e.state === 'starting' ? [] : cur.samples;
        this.set(e.name, { ...cur, state: e.state, reason: e.reason, samples });
      }),
    ];
  }

  private set(name: string, v: VmRuntime): void {
    this.vms.set(name, v);
    for (const l of [...this.listeners]) l();
  }

  get(name: string): VmRuntime {
    return this.vms.get(name) ?? EMPTY;
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => void this.listeners.delete(l);
  };

  stop(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }
}

export interface Series {
  label: string;
  data: (number | null)[];
}

/** Per-second rate of a counter between consecutive samples (null where it cannot be known). */
export function rate(samples: VmStatsEvent[], counter: string): (number | null)[] {
  return samples.map((s, i) => {
    if (i === 0) return null;
    const p = samples[i - 1];
    const dt = (s.atMs - p.atMs) / 1000;
    const a = p.stats.counters[counter];
    const b = s.stats.counters[counter];
    if (!(dt > 0) || a === undefined || b === undefined || b < a) return null;
    return (b - a) / dt;
  });
}

/** Share (0-100 %) of wall time a millisecond counter grew by between samples. */
export function share(samples: VmStatsEvent[], counter: string): (number | null)[] {
  return rate(samples, counter).map((r) => (r === null ? null : Math.min(100, r / 10)));
}

/**
 * The exit causes present in the samples ("exits.mmio" → "mmio"), busiest first. Only the
 * VMM's own classification (one word after "exits."): the per-record views (exits.cause.*,
 * exits.cu.*, exits.mu.*) count the same exits again by hardware record type.
 */
export function exitCauses(samples: VmStatsEvent[], max = 6): string[] {
  const last = samples.at(-1)?.stats.counters ?? {};
  return Object.keys(last)
    .filter(
      (k) => /^exits\.[a-z_]+$/.test(k) && k !== 'exits.total' && k !== 'exits.idr_substituted',
    )
    .sort((a, b) => (last[b] ?? 0) - (last[a] ?? 0))
    .slice(0, max)
    .map((k) => k.slice('exits.'.length));
}

/** Seconds since the first sample, for the x axis. */
export function timeAxis(samples: VmStatsEvent[]): number[] {
  const t0 = samples[0]?.atMs ?? 0;
  return samples.map((s) => (s.atMs - t0) / 1000);
}

export function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${h}:${pad(m)}:${pad(s % 60)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** base64 ↔ bytes without Node's Buffer (the renderer runs in a browser). */
export function fromBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
