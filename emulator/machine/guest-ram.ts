/**
 * Guest RAM as the board's DMA devices see it (devices/bus.ts `GuestMemory`): guest-physical
 * addresses inside a RAM slot of the VM's GpSpace, backed lazily by host pages. Anything
 * outside the RAM banks — device windows, the ROM, holes — answers false, so a virtqueue
 * pointing there marks its device broken instead of touching host memory.
 *
 * Reads of never-touched pages return zeros without allocating (as the CPU would see
 * them); writes populate the page, exactly like a guest store through a GPA fault.
 */
import type { GuestMemory } from '../devices/bus';
import type { PhysMemory } from '../memory/phys';
import type { GpSpace } from '../virt/gpspace';
import type { RamBank } from './board';

export class GuestRam implements GuestMemory {
  constructor(
    private space: GpSpace,
    private mem: PhysMemory,
    private readonly banks: readonly RamBank[],
  ) {}

  /** After a cold reset the machine has new memory (devices keep this object). */
  rebind(space: GpSpace, mem: PhysMemory): void {
    this.space = space;
    this.mem = mem;
  }

  /** Whether [gpa, gpa+len) lies inside one RAM bank. */
  contains(gpa: number, len: number): boolean {
    if (!(gpa >= 0) || !(len >= 0)) return false;
    return this.banks.some((b) => gpa >= b.base && gpa + len <= b.base + b.size);
  }

  read(gpa: number, dst: Uint8Array): boolean {
    if (!this.contains(gpa, dst.length)) return false;
    let i = 0;
    while (i < dst.length) {
      const a = gpa + i;
      const n = Math.min(dst.length - i, 4096 - (a % 4096));
      const pa = this.space.hostAddr(a);
      const page = pa < 0 ? undefined : this.mem.pageAt(pa, false);
      if (!page) dst.fill(0, i, i + n);
      else dst.set(page.bytes.subarray(page.off + (pa % 4096), page.off + (pa % 4096) + n), i);
      i += n;
    }
    return true;
  }

  write(gpa: number, src: Uint8Array): boolean {
    if (!this.contains(gpa, src.length)) return false;
    let i = 0;
    while (i < src.length) {
      const a = gpa + i;
      const n = Math.min(src.length - i, 4096 - (a % 4096));
      const page = this.space.populate(a);
      if (page < 0) return false; // host page pool exhausted: the device reports it
      const host = this.mem.pageAt(page, true)!;
      host.bytes.set(src.subarray(i, i + n), host.off + (a % 4096));
      host.code = null; // the CPU's decoded bundles of this page are stale (DMA of code)
      i += n;
    }
    return true;
  }
}
