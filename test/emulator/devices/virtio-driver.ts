// A minimal virtio-mmio driver over a fake guest RAM, for register-level device tests.
import type { GuestMemory, MmioDevice } from '../../../emulator/devices/bus';
import {
  F_VERSION_1,
  R,
  S_ACKNOWLEDGE,
  S_DRIVER,
  S_DRIVER_OK,
  S_FEATURES_OK,
} from '../../../emulator/devices/virtio/mmio';
import { VIRTQ_DESC_F_NEXT } from '../../../emulator/devices/virtio/queue';

export class FakeRam implements GuestMemory {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(size = 0x40000) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  read(gpa: number, dst: Uint8Array): boolean {
    if (gpa < 0 || gpa + dst.length > this.bytes.length) return false;
    dst.set(this.bytes.subarray(gpa, gpa + dst.length));
    return true;
  }
  write(gpa: number, src: Uint8Array): boolean {
    if (gpa < 0 || gpa + src.length > this.bytes.length) return false;
    this.bytes.set(src, gpa);
    return true;
  }
}

export const DESC = 0x1000;
export const AVAIL = 0x2000;
export const USED = 0x3000;
export const DATA = 0x8000;

export interface Desc {
  addr: number;
  len: number;
  flags?: number;
  next?: number;
}

export class Driver {
  private nextDesc = 0;
  private availIdx = 0;
  private usedSeen = 0;
  constructor(
    readonly dev: MmioDevice,
    readonly ram: FakeRam,
    readonly qsize = 16,
  ) {}

  r(off: number): number {
    return this.dev.read(off, 4);
  }
  w(off: number, v: number): void {
    this.dev.write(off, 4, v);
  }

  /** §3.1.1 initialisation; returns the final status. */
  init(extra0 = 0, extra1 = 0): number {
    this.w(R.Status, 0);
    this.w(R.Status, S_ACKNOWLEDGE);
    this.w(R.Status, S_ACKNOWLEDGE | S_DRIVER);
    this.w(R.DriverFeaturesSel, 0);
    this.w(R.DriverFeatures, extra0);
    this.w(R.DriverFeaturesSel, 1);
    this.w(R.DriverFeatures, (1 << (F_VERSION_1 - 32)) | extra1);
    this.w(R.Status, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
    this.w(R.QueueSel, 0);
    this.w(R.QueueNum, this.qsize);
    this.w(R.QueueDescLow, DESC);
    this.w(R.QueueDescHigh, 0);
    this.w(R.QueueDriverLow, AVAIL);
    this.w(R.QueueDriverHigh, 0);
    this.w(R.QueueDeviceLow, USED);
    this.w(R.QueueDeviceHigh, 0);
    this.w(R.QueueReady, 1);
    this.w(R.Status, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    return this.r(R.Status);
  }

  writeDesc(table: number, i: number, d: Desc): void {
    const v = this.ram.view;
    const at = table + 16 * i;
    v.setUint32(at, d.addr, true);
    v.setUint32(at + 4, 0, true);
    v.setUint32(at + 8, d.len, true);
    v.setUint16(at + 12, d.flags ?? 0, true);
    v.setUint16(at + 14, d.next ?? 0, true);
  }

  /** Queues a chain (NEXT links added) and notifies; returns its head index. */
  submit(descs: Desc[], notify = true): number {
    const head = this.nextDesc;
    descs.forEach((d, k) => {
      const i = (head + k) % this.qsize;
      const last = k === descs.length - 1;
      const flags = (d.flags ?? 0) | (last ? 0 : VIRTQ_DESC_F_NEXT);
      this.writeDesc(DESC, i, { ...d, flags, next: d.next ?? (i + 1) % this.qsize });
    });
    this.nextDesc = (head + descs.length) % this.qsize;
    return this.publish(head, notify);
  }

  publish(head: number, notify = true): number {
    const v = this.ram.view;
    v.setUint16(AVAIL + 4 + 2 * (this.availIdx % this.qsize), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    v.setUint16(AVAIL + 2, this.availIdx, true);
    if (notify) this.w(R.QueueNotify, 0);
    return head;
  }

  /** New used entries since the last call. */
  used(): { id: number; len: number }[] {
    const v = this.ram.view;
    const idx = v.getUint16(USED + 2, true);
    const out: { id: number; len: number }[] = [];
    while (this.usedSeen !== idx) {
      const at = USED + 4 + 8 * (this.usedSeen % this.qsize);
      out.push({ id: v.getUint32(at, true), len: v.getUint32(at + 4, true) });
      this.usedSeen = (this.usedSeen + 1) & 0xffff;
    }
    return out;
  }
}
