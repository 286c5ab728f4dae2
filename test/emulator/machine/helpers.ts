// Shared helpers for machine tests: a Vmm that runs no guest code (board plumbing tests
// drive the devices through the bus themselves, as the VMM would on MMIO intercepts), and
// a small virtio driver working in the machine's guest RAM.
import type { MachineConfig } from '../../../emulator/machine/api';
import { GlaunchVirtMachine } from '../../../emulator/machine/machine';
import type { MachineOptions } from '../../../emulator/machine/machine';
import type { BootState, Vmm, VmmPort } from '../../../emulator/machine/vmm-port';
import {
  R,
  S_ACKNOWLEDGE,
  S_DRIVER,
  S_DRIVER_OK,
  S_FEATURES_OK,
  F_VERSION_1,
} from '../../../emulator/devices/virtio/mmio';
import { VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from '../../../emulator/devices/virtio/queue';

/**
 * Records resets and lets a test run code "inside" a slice. The machine builds a fresh Vmm
 * at every reset, so the state a test looks at lives in a shared control object.
 */
export class VmmControl {
  boots: BootState[] = [];
  step: ((port: VmmPort) => void) | null = null;
  instances = 0;
}

export class BoardOnlyVmm implements Vmm {
  constructor(
    readonly port: VmmPort,
    readonly ctl = new VmmControl(),
  ) {
    ctl.instances++;
  }
  get boots(): BootState[] {
    return this.ctl.boots;
  }
  reset(boot: BootState): void {
    this.ctl.boots.push(boot);
  }
  run(): { idleMs: number } {
    this.ctl.step?.(this.port);
    return { idleMs: 5 };
  }
  counters(): Record<string, number> {
    return { 'exits.total': 0 };
  }
  vcpuStats() {
    return [{ id: 0, state: 'idle', counters: {} }];
  }
  recentIntercepts(): unknown[] {
    return [];
  }
  registers(): Record<string, string>[] {
    return [{ ip: '0x0' }];
  }
}

export const baseConfig = (over: Partial<MachineConfig> = {}): MachineConfig => ({
  cpuModel: 'e16c',
  vcpus: 1,
  memoryMiB: 64,
  serialPorts: 2,
  bootOrder: ['disk'],
  ...over,
});

export function makeMachine(
  over: Partial<MachineConfig> = {},
  res: Partial<MachineOptions> = {},
): { m: GlaunchVirtMachine; vmm: VmmControl } {
  const ctl = new VmmControl();
  const m = new GlaunchVirtMachine(baseConfig(over), {
    rom: new Uint8Array([1, 2, 3, 4]),
    ...res,
    vmm: (p) => new BoardOnlyVmm(p, ctl),
  });
  return { m, vmm: ctl };
}

/** Minimal virtio-mmio driver over the machine bus and guest RAM (one queue). */
export class BusDriver {
  private nextDesc = 0;
  private availIdx = 0;
  private usedSeen = 0;
  constructor(
    readonly m: GlaunchVirtMachine,
    readonly base: number,
    readonly ring = 0x20_0000,
    readonly qsize = 16,
  ) {}
  get desc(): number {
    return this.ring;
  }
  get avail(): number {
    return this.ring + 0x1000;
  }
  get used(): number {
    return this.ring + 0x2000;
  }
  r(off: number): number {
    return this.m.devices.bus.read(this.base + off, 4)!.lo;
  }
  w(off: number, v: number): void {
    this.m.devices.bus.write(this.base + off, 4, v >>> 0);
  }
  put(gpa: number, bytes: Uint8Array): void {
    if (!this.m.ram.write(gpa, bytes)) throw new Error(`test: write at ${gpa} outside RAM`);
  }
  get(gpa: number, len: number): Uint8Array {
    const b = new Uint8Array(len);
    if (!this.m.ram.read(gpa, b)) throw new Error(`test: read at ${gpa} outside RAM`);
    return b;
  }
  u16(gpa: number, v: number): void {
    this.put(gpa, Uint8Array.of(v & 0xff, v >>> 8));
  }
  init(): number {
    this.w(R.Status, 0);
    this.w(R.Status, S_ACKNOWLEDGE | S_DRIVER);
    this.w(R.DriverFeaturesSel, 1);
    this.w(R.DriverFeatures, 1 << (F_VERSION_1 - 32));
    this.w(R.Status, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    this.w(R.QueueSel, 0);
    this.w(R.QueueNum, this.qsize);
    this.w(R.QueueDescLow, this.desc);
    this.w(R.QueueDriverLow, this.avail);
    this.w(R.QueueDeviceLow, this.used);
    this.w(R.QueueReady, 1);
    this.w(R.Status, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    return this.r(R.Status);
  }
  /** Descriptors: [addr, len, writable]; chained with NEXT; published and notified. */
  submit(
    descs: [number, number, boolean][],
    raw?: (i: number) => Partial<{ next: number; flags: number; addr: number }>,
  ): number {
    const head = this.nextDesc;
    descs.forEach(([addr, len, wr], k) => {
      const i = (head + k) % this.qsize;
      const last = k === descs.length - 1;
      const o = raw?.(k) ?? {};
      const b = new Uint8Array(16);
      const v = new DataView(b.buffer);
      v.setUint32(0, o.addr ?? addr, true);
      v.setUint32(4, Math.floor((o.addr ?? addr) / 2 ** 32), true);
      v.setUint32(8, len, true);
      v.setUint16(
        12,
        o.flags ?? (last ? 0 : VIRTQ_DESC_F_NEXT) | (wr ? VIRTQ_DESC_F_WRITE : 0),
        true,
      );
      v.setUint16(14, o.next ?? (i + 1) % this.qsize, true);
      this.put(this.desc + 16 * i, b);
    });
    this.nextDesc = (head + descs.length) % this.qsize;
    this.u16(this.avail + 4 + 2 * (this.availIdx % this.qsize), head);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.u16(this.avail + 2, this.availIdx);
    this.w(R.QueueNotify, 0);
    return head;
  }
  usedEntries(): { id: number; len: number }[] {
    const v = new DataView(this.get(this.used, 4 + 8 * this.qsize).buffer);
    const idx = v.getUint16(2, true);
    const out: { id: number; len: number }[] = [];
    while (this.usedSeen !== idx) {
      const at = 4 + 8 * (this.usedSeen % this.qsize);
      out.push({ id: v.getUint32(at, true), len: v.getUint32(at + 4, true) });
      this.usedSeen = (this.usedSeen + 1) & 0xffff;
    }
    return out;
  }
}

export function blkHeader(type: number, sector: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, true);
  v.setUint32(8, sector, true);
  return b;
}

/** A minimal ELF64 e2k executable with the given PT_LOAD segments. */
export function tinyElf(
  segs: { paddr: number; data: Uint8Array; memsz?: number }[],
  machine = 175,
): Uint8Array {
  const phoff = 64;
  const dataOff = phoff + 56 * segs.length;
  const total = dataOff + segs.reduce((n, s) => n + s.data.length, 0);
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, machine, true);
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(segs[0]?.paddr ?? 0), true);
  v.setBigUint64(32, BigInt(phoff), true);
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, segs.length, true);
  v.setUint16(58, 64, true);
  let off = dataOff;
  segs.forEach((s, i) => {
    const p = phoff + 56 * i;
    v.setUint32(p, 1, true); // PT_LOAD
    v.setUint32(p + 4, 5, true);
    v.setBigUint64(p + 8, BigInt(off), true);
    v.setBigUint64(p + 16, BigInt(s.paddr), true);
    v.setBigUint64(p + 24, BigInt(s.paddr), true);
    v.setBigUint64(p + 32, BigInt(s.data.length), true);
    v.setBigUint64(p + 40, BigInt(s.memsz ?? s.data.length), true);
    v.setBigUint64(p + 48, 4096n, true);
    b.set(s.data, off);
    off += s.data.length;
  });
  return b;
}
