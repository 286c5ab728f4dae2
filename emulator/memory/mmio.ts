/**
 * MMIO bus: maps physical address ranges to device handlers. The handler interface is the
 * minimal `MmioDevice` shape (offset relative to the range base, width in bytes 1/2/4/8,
 * values as numbers — see `MmioDevice.read`), so a
 * board device from `emulator/devices/` can be attached directly or through a one-line
 * adapter once `devices/bus.ts` exists.
 *
 * Lookup is a sorted array + binary search: device windows are few (tens) and
 * non-overlapping, so this is both simple and fast.
 */

export interface MmioDevice {
  /**
   * Returns the value read at `offset` (width 1, 2, 4 or 8 bytes). 8-byte values are plain
   * numbers, exact up to 2^53; devices with full 64-bit registers should also accept two
   * 4-byte accesses (low half at +0, high at +4).
   */
  read(offset: number, width: number): number;
  write(offset: number, width: number, value: number): void;
}

export interface MmioRange {
  base: number;
  size: number;
  name: string;
  device: MmioDevice;
}

export class MmioBus {
  private ranges: MmioRange[] = [];

  /** Adds a window; returns false (and adds nothing) if it overlaps an existing one. */
  map(base: number, size: number, device: MmioDevice, name = 'mmio'): boolean {
    if (!(size > 0) || !(base >= 0)) return false;
    for (const r of this.ranges) if (base < r.base + r.size && r.base < base + size) return false;
    this.ranges.push({ base, size, name, device });
    this.ranges.sort((a, b) => a.base - b.base);
    return true;
  }

  unmap(base: number): boolean {
    const i = this.ranges.findIndex((r) => r.base === base);
    if (i < 0) return false;
    this.ranges.splice(i, 1);
    return true;
  }

  /** The window containing `addr`, or null. */
  find(addr: number): MmioRange | null {
    const rs = this.ranges;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid];
      if (addr < r.base) hi = mid - 1;
      else if (addr >= r.base + r.size) lo = mid + 1;
      else return r;
    }
    return null;
  }

  /** Reads through the bus; `undefined` when no device claims the address. */
  read(addr: number, width: number): number | undefined {
    const r = this.find(addr);
    return r ? r.device.read(addr - r.base, width) : undefined;
  }

  /** Writes through the bus; false when no device claims the address. */
  write(addr: number, width: number, value: number): boolean {
    const r = this.find(addr);
    if (!r) return false;
    r.device.write(addr - r.base, width, value);
    return true;
  }

  list(): readonly MmioRange[] {
    return this.ranges;
  }

  snapshot(): { base: number; size: number; name: string }[] {
    return this.ranges.map((r) => ({ base: r.base, size: r.size, name: r.name }));
  }
}
