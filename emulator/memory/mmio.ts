/**
 * MMIO bus: maps physical address ranges to device handlers. The handler interface is the
 * minimal `MmioDevice` shape (offset relative to the range base, width in bytes 1/2/4/8,
 * values as numbers — see `MmioDevice.read`), so a
 * board device from `emulator/devices/` can be attached directly or through a one-line
 * adapter (`numberAccess` in `devices/bus.ts`); devices that also have `name`/`size` can be
 * mapped with `mapDevice`.
 *
 * Lookup is a sorted array + binary search: device windows are few (tens) and
 * non-overlapping, so this is both simple and fast.
 */

export interface MmioDevice {
  /**
   * true: 8-byte accesses reach the device as one call (value exact to 2^53). Otherwise
   * the bus splits them into two 4-byte accesses, low half first — the convention of
   * emulator/devices/bus.ts (`readWide`/`writeWide`), so board devices plug in directly.
   */
  readonly native64?: boolean;
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

  /** Maps a device that knows its own name and window size (devices/bus.ts shape). */
  mapDevice(base: number, device: MmioDevice & { name: string; size: number }): boolean {
    return this.map(base, device.size, device, device.name);
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
    if (!r) return undefined;
    const d = r.device;
    const off = addr - r.base;
    if (width !== 8 || d.native64) return d.read(off, width);
    const lo = d.read(off, 4) >>> 0;
    return (d.read(off + 4, 4) >>> 0) * 2 ** 32 + lo;
  }

  /** Writes through the bus; false when no device claims the address. */
  write(addr: number, width: number, value: number): boolean {
    const r = this.find(addr);
    if (!r) return false;
    const d = r.device;
    const off = addr - r.base;
    if (width !== 8 || d.native64) d.write(off, width, value);
    else {
      d.write(off, 4, (value % 2 ** 32) >>> 0);
      d.write(off + 4, 4, Math.floor(value / 2 ** 32) >>> 0);
    }
    return true;
  }

  list(): readonly MmioRange[] {
    return this.ranges;
  }

  snapshot(): { base: number; size: number; name: string }[] {
    return this.ranges.map((r) => ({ base: r.base, size: r.size, name: r.name }));
  }
}
