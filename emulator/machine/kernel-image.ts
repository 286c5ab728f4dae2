/**
 * Kernel ELF for the direct boot path (system.md §6.6 step 1): the loadable segments go to
 * their physical addresses (p_paddr), the first one starts the image (kernel_base, where
 * the trap table is: OSCUD.base), and nothing may overlap the bootblock page or the
 * firmware area the entry state still runs on. Errors name the problem.
 */
import { readElf } from '../elf/reader';
import { ElfError, EM_MCST_ELBRUS, EM_MCST_ELBRUS_OLD, ET_EXEC, PT_LOAD } from '../elf/types';
import type { RamBank } from './board';
import { BOOTBLOCK_ADDR, FW_AREA_BASE, FW_AREA_SIZE } from './board';

export interface KernelSegment {
  paddr: number;
  data: Uint8Array;
  /** Bytes in memory (≥ data.length; the rest is zero, e.g. .bss). */
  memsz: number;
}

export interface KernelImage {
  segments: KernelSegment[];
  /** Physical start of the image = OSCUD.base (trap table). */
  base: number;
  /** Image size in bytes, from base to the end of the last segment, page-rounded. */
  size: number;
  /** e_entry (informational: the kernel is entered at base + 0x6000, entry 12). */
  entry: number;
  iset: number;
}

const overlaps = (a: number, al: number, b: number, bl: number): boolean =>
  a < b + bl && b < a + al;

export function parseKernel(bytes: Uint8Array, banks: RamBank[]): KernelImage {
  let elf;
  try {
    elf = readElf(bytes);
  } catch (e) {
    if (e instanceof ElfError)
      throw new Error(`kernel: not a valid ELF file: ${e.message}`, { cause: e });
    throw e;
  }
  if (elf.machine !== EM_MCST_ELBRUS && elf.machine !== EM_MCST_ELBRUS_OLD)
    throw new Error(`kernel: e_machine ${elf.machine} is not e2k (175)`);
  if (elf.type !== ET_EXEC) throw new Error(`kernel: not an executable (e_type ${elf.type})`);
  const loads = elf.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0n);
  if (!loads.length) throw new Error('kernel: no loadable segments');
  const segments: KernelSegment[] = [];
  for (const s of loads) {
    const paddr = Number(s.paddr);
    const memsz = Number(s.memsz);
    const off = Number(s.offset);
    const filesz = Number(s.filesz);
    const where = `segment at physical 0x${paddr.toString(16)} (+0x${memsz.toString(16)})`;
    if (!banks.some((b) => paddr >= b.base && paddr + memsz <= b.base + b.size))
      throw new Error(`kernel: ${where} is outside guest RAM`);
    if (
      overlaps(paddr, memsz, BOOTBLOCK_ADDR, 4096) ||
      overlaps(paddr, memsz, FW_AREA_BASE, FW_AREA_SIZE)
    )
      throw new Error(
        `kernel: ${where} overlaps the bootblock (0x1000) or the firmware area (0x100000-0x1fffff)`,
      );
    segments.push({ paddr, memsz, data: bytes.subarray(off, off + filesz) });
  }
  segments.sort((a, b) => a.paddr - b.paddr);
  const base = segments[0].paddr;
  if (base % 4096)
    throw new Error(`kernel: image start 0x${base.toString(16)} is not page aligned`);
  const last = segments[segments.length - 1];
  const size = Math.ceil((last.paddr + last.memsz - base) / 4096) * 4096;
  return { segments, base, size, entry: Number(elf.entry), iset: (elf.flags >>> 24) & 0xff };
}
