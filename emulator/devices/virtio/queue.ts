// Split virtqueue, device side (virtio 1.x §2.7: descriptor table, available ring, used
// ring). Guest data is untrusted: every structural mistake raises ChainError, which the
// transport turns into DEVICE_NEEDS_RESET (§2.1.2) instead of letting it escape.
import type { GuestMemory } from '../bus';

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/** The guest broke the virtqueue rules; the device must stop until reset. */
export class ChainError extends Error {}

export interface Segment {
  addr: number;
  len: number;
  write: boolean;
}

export interface Chain {
  head: number;
  /** Device-readable segments first, then device-writable ones (§2.7.4.2). */
  readable: Segment[];
  writable: Segment[];
  readLen: number;
  writeLen: number;
}

/** Joins two 32-bit halves; above 2^53 the result is inexact and fails the range checks. */
export function join64(lo: number, hi: number): number {
  return (hi >>> 0) * 0x1_0000_0000 + (lo >>> 0);
}

function readBytes(mem: GuestMemory, gpa: number, n: number, what: string): DataView {
  const buf = new Uint8Array(n);
  if (!Number.isSafeInteger(gpa + n) || !mem.read(gpa, buf)) {
    throw new ChainError(`${what} at 0x${gpa.toString(16)} is outside guest RAM`);
  }
  return new DataView(buf.buffer);
}

function writeBytes(mem: GuestMemory, gpa: number, bytes: Uint8Array, what: string): void {
  if (!Number.isSafeInteger(gpa + bytes.length) || !mem.write(gpa, bytes)) {
    throw new ChainError(`${what} at 0x${gpa.toString(16)} is outside guest RAM`);
  }
}

export class SplitQueue {
  num = 0;
  ready = false;
  descAddr = 0;
  driverAddr = 0; // available ring
  deviceAddr = 0; // used ring
  private lastAvail = 0;
  private usedIdx = 0;

  constructor(readonly maxSize: number) {}

  reset(): void {
    this.num = 0;
    this.ready = false;
    this.descAddr = this.driverAddr = this.deviceAddr = 0;
    this.lastAvail = this.usedIdx = 0;
  }

  /** Checks the layout when the driver sets QueueReady; returns why it is unusable. */
  validate(): string | undefined {
    const n = this.num;
    if (n < 1 || n > this.maxSize || (n & (n - 1)) !== 0) {
      return `queue size ${n} is not a power of 2 in 1..${this.maxSize} (§2.7)`;
    }
    // Alignment requirements of §2.7 (table "Virtqueue Part / Alignment").
    if (this.descAddr % 16) return 'descriptor table not 16-byte aligned';
    if (this.driverAddr % 2) return 'available ring not 2-byte aligned';
    if (this.deviceAddr % 4) return 'used ring not 4-byte aligned';
    return undefined;
  }

  /**
   * Next available chain, or undefined when the driver has published nothing new. On
   * running dry with EVENT_IDX, avail_event asks to be notified of the very next entry
   * (§2.7.10); written here rather than at completion, or a driver adding buffers while
   * requests are in flight would see a stale avail_event and never notify. The guest does
   * not run while this code does, so there is no window between the check and the write.
   */
  pop(mem: GuestMemory, indirectOk: boolean, eventIdx = false): Chain | undefined {
    const availIdx = readBytes(mem, this.driverAddr + 2, 2, 'avail.idx').getUint16(0, true);
    const pending = (availIdx - this.lastAvail) & 0xffff;
    if (pending === 0) {
      if (eventIdx) {
        writeBytes(mem, this.deviceAddr + 4 + 8 * this.num, u16(this.lastAvail), 'avail_event');
      }
      return undefined;
    }
    if (pending > this.num) {
      throw new ChainError(`avail.idx ran ${pending} entries ahead of a ${this.num}-entry ring`);
    }
    const slot = this.driverAddr + 4 + 2 * (this.lastAvail % this.num);
    const head = readBytes(mem, slot, 2, 'avail.ring').getUint16(0, true);
    if (head >= this.num)
      throw new ChainError(`avail ring names descriptor ${head} >= ${this.num}`);
    const chain = this.walk(mem, head, indirectOk);
    this.lastAvail = (this.lastAvail + 1) & 0xffff;
    return chain;
  }

  private walk(mem: GuestMemory, head: number, indirectOk: boolean): Chain {
    const chain: Chain = { head, readable: [], writable: [], readLen: 0, writeLen: 0 };
    let table = this.descAddr;
    let size = this.num;
    let idx = head;
    let seen = 0;
    let inIndirect = false;
    for (;;) {
      // A chain can visit each descriptor of its table at most once; more means a loop.
      if (++seen > size) throw new ChainError(`descriptor chain from ${head} loops or is too long`);
      const d = readBytes(mem, table + 16 * idx, 16, 'descriptor');
      const addr = join64(d.getUint32(0, true), d.getUint32(4, true));
      const len = d.getUint32(8, true);
      const flags = d.getUint16(12, true);
      const next = d.getUint16(14, true);
      if (flags & VIRTQ_DESC_F_INDIRECT) {
        // §2.7.5.3.1: only with the feature, never nested, never combined with NEXT, and
        // the table is a whole number of descriptors.
        if (!indirectOk) throw new ChainError('indirect descriptor without VIRTIO_F_INDIRECT_DESC');
        if (inIndirect) throw new ChainError('indirect descriptor inside an indirect table');
        if (flags & VIRTQ_DESC_F_NEXT) throw new ChainError('indirect descriptor with NEXT set');
        if (len === 0 || len % 16) throw new ChainError(`indirect table length ${len} invalid`);
        table = addr;
        size = len / 16;
        idx = 0;
        seen = 0;
        inIndirect = true;
        continue;
      }
      if (!Number.isSafeInteger(addr + len)) throw new ChainError('buffer address overflows');
      const write = (flags & VIRTQ_DESC_F_WRITE) !== 0;
      if (!write && chain.writable.length) {
        throw new ChainError('device-readable buffer after a device-writable one (§2.7.4.2)');
      }
      if (len) {
        if (write) {
          chain.writable.push({ addr, len, write });
          chain.writeLen += len;
        } else {
          chain.readable.push({ addr, len, write });
          chain.readLen += len;
        }
      }
      if (!(flags & VIRTQ_DESC_F_NEXT)) return chain;
      if (next >= size) throw new ChainError(`descriptor next ${next} outside table of ${size}`);
      idx = next;
    }
  }

  /** Returns a chain to the driver (§2.7.8); returns the used index before the push. */
  pushUsed(mem: GuestMemory, head: number, len: number): number {
    const old = this.usedIdx;
    const elem = new Uint8Array(8);
    const v = new DataView(elem.buffer);
    v.setUint32(0, head, true);
    v.setUint32(4, len, true);
    writeBytes(mem, this.deviceAddr + 4 + 8 * (old % this.num), elem, 'used.ring');
    this.usedIdx = (old + 1) & 0xffff;
    // The element is written before idx, so the driver never sees a stale entry.
    writeBytes(mem, this.deviceAddr + 2, u16(this.usedIdx), 'used.idx');
    return old;
  }

  /** Whether the driver wants an interrupt after the used index moved from `old` (§2.7.7.2). */
  needsInterrupt(mem: GuestMemory, old: number, eventIdx: boolean): boolean {
    if (!eventIdx) {
      const flags = readBytes(mem, this.driverAddr, 2, 'avail.flags').getUint16(0, true);
      return (flags & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
    }
    const at = this.driverAddr + 4 + 2 * this.num;
    const usedEvent = readBytes(mem, at, 2, 'used_event').getUint16(0, true);
    const now = this.usedIdx;
    return ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
  }
}

function u16(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, (v >> 8) & 0xff);
}

/** Copies `length` device-readable bytes starting `skip` bytes into the chain. */
export function gather(
  mem: GuestMemory,
  segs: Segment[],
  skip: number,
  length: number,
): Uint8Array {
  const out = new Uint8Array(length);
  let pos = 0;
  for (const s of segs) {
    if (pos >= length) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const n = Math.min(s.len - skip, length - pos);
    const addr = s.addr + skip;
    if (!mem.read(addr, out.subarray(pos, pos + n))) {
      throw new ChainError(`buffer at 0x${addr.toString(16)} is outside guest RAM`);
    }
    pos += n;
    skip = 0;
  }
  if (pos < length) throw new ChainError(`chain holds ${pos} readable bytes, ${length} needed`);
  return out;
}

/** Copies data into the device-writable segments starting `skip` bytes in. */
export function scatter(mem: GuestMemory, segs: Segment[], skip: number, data: Uint8Array): void {
  let pos = 0;
  for (const s of segs) {
    if (pos >= data.length) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const n = Math.min(s.len - skip, data.length - pos);
    writeBytes(mem, s.addr + skip, data.subarray(pos, pos + n), 'buffer');
    pos += n;
    skip = 0;
  }
  if (pos < data.length)
    throw new ChainError(`chain has room for ${pos} bytes, ${data.length} needed`);
}
