/**
 * Static ELF64 loader for e2k executables (control-and-stacks.md §10.1): EM_MCST_ELBRUS
 * (175, or the old 49), ET_EXEC, PT_LOAD segments mapped with their permissions. Dynamic
 * executables (PT_INTERP / PT_DYNAMIC) are refused with a clear message. Parsing and bounds
 * checks come from the project's strict ELF reader (emulator/elf).
 */
import { readElf } from '../elf/reader';
import {
  ElfError,
  EM_MCST_ELBRUS,
  EM_MCST_ELBRUS_OLD,
  ET_EXEC,
  PT_LOAD,
  PF_R,
  PF_W,
  PF_X,
} from '../elf/types';
import type { Memory } from '../cpu/memory';
import { PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory';

export class LoadError extends Error {
  override name = 'LoadError';
}

const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PT_PHDR = 6;

export interface LoadedImage {
  entry: number;
  /** First page after the highest segment: initial program break. */
  brk: number;
  /** Address of the program headers in memory (AT_PHDR), 0 if not loaded. */
  phdr: number;
  phnum: number;
  /** ISA level from e_flags[31:24] (1..6), 0 if unset. */
  iset: number;
}

export function loadElf(bytes: Uint8Array, mem: Memory): LoadedImage {
  let elf;
  try {
    elf = readElf(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw new LoadError(`not a valid ELF executable: ${e.message}`);
    throw e;
  }
  if (elf.machine !== EM_MCST_ELBRUS && elf.machine !== EM_MCST_ELBRUS_OLD)
    throw new LoadError(
      `wrong machine: e_machine ${elf.machine} is not e2k (EM_MCST_ELBRUS = 175)`,
    );
  if (elf.type !== ET_EXEC)
    throw new LoadError(
      elf.type === 3
        ? 'dynamic (ET_DYN/PIE) executables are not supported; link statically'
        : `not an executable (e_type ${elf.type})`,
    );
  if (elf.segments.some((s) => s.type === PT_INTERP || s.type === PT_DYNAMIC))
    throw new LoadError(
      'dynamically linked executables are not supported (PT_INTERP/PT_DYNAMIC present)',
    );
  if ((elf.flags & 32) !== 0) throw new LoadError('protected-mode executables are not supported');
  const loads = elf.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0n);
  if (loads.length === 0) throw new LoadError('no loadable segments');
  let brk = 0;
  let phdr = 0;
  const phoff = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(32, true));
  for (const s of loads) {
    const vaddr = Number(s.vaddr);
    const memsz = Number(s.memsz);
    if (vaddr + memsz > 2 ** 47)
      throw new LoadError(`segment at 0x${vaddr.toString(16)} is outside user space`);
    const prot =
      (s.flags & PF_R ? PROT_READ : 0) |
      (s.flags & PF_W ? PROT_WRITE : 0) |
      (s.flags & PF_X ? PROT_EXEC : 0);
    // Pages shared by two segments get the union of their permissions.
    const start = Math.floor(vaddr / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil((vaddr + memsz) / PAGE_SIZE) * PAGE_SIZE;
    for (let a = start; a < end; a += PAGE_SIZE) {
      const old = mem.isMapped(a) ? (mem.pages.get(a / PAGE_SIZE)?.prot ?? 0) : 0;
      if (!mem.isMapped(a)) mem.map(a, PAGE_SIZE, prot);
      else mem.protect(a, PAGE_SIZE, old | prot);
    }
    const off = Number(s.offset);
    const filesz = Number(s.filesz);
    mem.writeBytes(vaddr, bytes.subarray(off, off + filesz), true);
    if (phoff >= off && phoff < off + filesz) phdr = vaddr + (phoff - off);
    brk = Math.max(brk, end);
  }
  const ph = elf.segments.find((s) => s.type === PT_PHDR);
  if (ph) phdr = Number(ph.vaddr);
  return {
    entry: Number(elf.entry),
    brk,
    phdr,
    phnum: elf.segments.length,
    iset: (elf.flags >>> 24) & 0xff,
  };
}
