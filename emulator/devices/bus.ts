// The small interfaces that connect board devices to the rest of the machine. Devices know
// nothing about the CPU, MMU or VMM: the VMM decodes an INTC_INFO_MU record for an MMIO
// address (virtualization.md §3.5) into a `read`/`write` call on the device that owns the
// address, and completes the record with the value returned.

/** Access widths a device register can see. 8-byte accesses are split by `readWide`. */
export type MmioWidth = 1 | 2 | 4;

/**
 * A memory-mapped device. `offset` is relative to the device's base; values are unsigned
 * and at most 32 bits wide. Reads and writes never throw for any offset/width/value: a
 * guest can issue anything, and real hardware answers (usually with zero) instead of
 * crashing the board.
 */
export interface MmioDevice {
  readonly name: string;
  /** Size of the register window in bytes. */
  readonly size: number;
  read(offset: number, width: MmioWidth): number;
  write(offset: number, width: MmioWidth, value: number): void;
  /** Power-on / board reset state. */
  reset(): void;
}

/**
 * 64-bit guest accesses (ldd/std) are delivered as two 32-bit accesses, low half first,
 * little-endian. This is also how virtio-mmio defines its 64-bit fields (virtio 1.x
 * §4.2.2: "64-bit fields ... as two 32-bit fields"), and the RTC latches its 64-bit value
 * on the low-half read, so no device needs a native 8-byte path.
 */
export function readWide(
  dev: MmioDevice,
  offset: number,
  width: MmioWidth | 8,
): { lo: number; hi: number } {
  if (width !== 8) return { lo: dev.read(offset, width) >>> 0, hi: 0 };
  const lo = dev.read(offset, 4) >>> 0;
  const hi = dev.read(offset + 4, 4) >>> 0;
  return { lo, hi };
}

export function writeWide(
  dev: MmioDevice,
  offset: number,
  width: MmioWidth | 8,
  lo: number,
  hi = 0,
): void {
  if (width !== 8) {
    dev.write(offset, width, lo >>> 0);
    return;
  }
  dev.write(offset, 4, lo >>> 0);
  dev.write(offset + 4, 4, hi >>> 0);
}

/**
 * Adapter for buses that pass any width as a number and 8-byte values as one number
 * (exact up to 2^53), like emulator/memory/mmio.ts: 8-byte accesses become two 4-byte
 * ones, and widths other than 1/2/4/8 read 0 and write nothing.
 */
export function numberAccess(dev: MmioDevice): {
  read(offset: number, width: number): number;
  write(offset: number, width: number, value: number): void;
} {
  return {
    read(offset, width) {
      if (width === 8) {
        const { lo, hi } = readWide(dev, offset, 8);
        return hi * 0x1_0000_0000 + lo;
      }
      return width === 1 || width === 2 || width === 4 ? dev.read(offset, width) : 0;
    },
    write(offset, width, value) {
      if (width === 8) {
        writeWide(dev, offset, 8, value % 0x1_0000_0000, Math.floor(value / 0x1_0000_0000));
      } else if (width === 1 || width === 2 || width === 4) {
        dev.write(offset, width, value);
      }
    },
  };
}

/** A level-triggered interrupt line; wired by the VMM to a virtual CEPIC input. */
export interface IrqLine {
  setLevel(level: boolean): void;
}

/** An IrqLine that remembers its level (tests, or a VMM polling the line). */
export class LatchedIrq implements IrqLine {
  level = false;
  edges = 0;
  setLevel(level: boolean): void {
    if (level && !this.level) this.edges++;
    this.level = level;
  }
}

/** Guest-physical memory as seen by a DMA-capable device. false = outside guest RAM. */
export interface GuestMemory {
  read(gpa: number, dst: Uint8Array): boolean;
  write(gpa: number, src: Uint8Array): boolean;
}

/**
 * Time source. `nowNs` is wall-clock nanoseconds since the Unix epoch. As a double it has
 * ~256 ns resolution at today's dates, far finer than anything a device here needs.
 */
export interface Clock {
  nowNs(): number;
}

/** Diagnostic sink; devices report guest mistakes here instead of throwing. */
export type DeviceLog = (message: string) => void;

/** A set of devices at guest-physical bases; what the VMM consults for an MMIO record. */
export class MmioBus {
  private readonly slots: { base: number; dev: MmioDevice }[] = [];

  map(base: number, dev: MmioDevice): void {
    for (const s of this.slots) {
      if (base < s.base + s.dev.size && s.base < base + dev.size) {
        throw new Error(`${dev.name} at 0x${base.toString(16)} overlaps ${s.dev.name}`);
      }
    }
    this.slots.push({ base, dev });
  }

  find(gpa: number): { dev: MmioDevice; offset: number } | undefined {
    for (const s of this.slots) {
      if (gpa >= s.base && gpa < s.base + s.dev.size) return { dev: s.dev, offset: gpa - s.base };
    }
    return undefined;
  }

  /** Returns undefined when no device claims the address (the VMM decides what that means). */
  read(gpa: number, width: MmioWidth | 8): { lo: number; hi: number } | undefined {
    const hit = this.find(gpa);
    return hit ? readWide(hit.dev, hit.offset, width) : undefined;
  }

  write(gpa: number, width: MmioWidth | 8, lo: number, hi = 0): boolean {
    const hit = this.find(gpa);
    if (!hit) return false;
    writeWide(hit.dev, hit.offset, width, lo, hi);
    return true;
  }

  reset(): void {
    for (const s of this.slots) s.dev.reset();
  }
}
