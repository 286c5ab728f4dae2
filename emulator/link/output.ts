/** Output writers of the linker: ELF64 ET_EXEC with PT_LOAD segments, or a raw binary image. */
import type { ElfSegment, ElfSymbol } from '../elf/types';
import {
  EHDR_SIZE,
  elfFlagsForIset,
  EM_MCST_ELBRUS,
  ET_EXEC,
  PF_R,
  PF_W,
  PF_X,
  PHDR_SIZE,
  PT_LOAD,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHT_NOBITS,
} from '../elf/types';
import { writeElf } from '../elf/writer';
import type { SectionInput } from '../elf/writer';
import type { OutputSection } from './layout';
import { PAGE } from './layout';

const segFlags = (o: OutputSection) =>
  PF_R | ((o.flags & SHF_WRITE) !== 0n ? PF_W : 0) | ((o.flags & SHF_EXECINSTR) !== 0n ? PF_X : 0);

/**
 * Groups address-ordered output sections into segments: a new segment starts when the
 * permissions change, when a section does not follow closely (gap of a page or more, or the
 * load address is not contiguous), or when file-backed data follows a NOBITS section.
 */
function segments(outs: OutputSection[]): OutputSection[][] {
  const sorted = outs
    .filter((o) => o.size > 0n)
    .sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  const groups: OutputSection[][] = [];
  for (const o of sorted) {
    const g = groups[groups.length - 1];
    const last = g?.[g.length - 1];
    const contiguous =
      last &&
      o.addr >= last.addr + last.size &&
      o.addr - (last.addr + last.size) < PAGE &&
      o.lma - o.addr === g[0].lma - g[0].addr;
    if (
      g &&
      contiguous &&
      segFlags(last) === segFlags(o) &&
      !(last.type === SHT_NOBITS && o.type !== SHT_NOBITS)
    )
      g.push(o);
    else groups.push([o]);
  }
  return groups;
}

export function writeExecutable(
  outs: OutputSection[],
  entry: bigint,
  iset: number,
  symbols: ElfSymbol[],
): Uint8Array {
  const groups = segments(outs);
  const segs: ElfSegment[] = [];
  const fileOffset = new Map<OutputSection, bigint>();
  let pos = BigInt(EHDR_SIZE + groups.length * PHDR_SIZE);
  for (const g of groups) {
    const start = g[0].addr;
    // p_offset ≡ p_vaddr (mod page) so the segment can be mapped directly.
    const off = pos + ((((start - pos) % PAGE) + PAGE) % PAGE);
    const fileBacked = g.filter((o) => o.type !== SHT_NOBITS);
    const fileEnd = fileBacked.length
      ? fileBacked[fileBacked.length - 1].addr + fileBacked[fileBacked.length - 1].size
      : start;
    const end = g[g.length - 1].addr + g[g.length - 1].size;
    for (const o of g) fileOffset.set(o, off + (o.addr - start));
    segs.push({
      type: PT_LOAD,
      flags: segFlags(g[0]),
      offset: off,
      vaddr: start,
      paddr: g[0].lma,
      filesz: fileEnd - start,
      memsz: end - start,
      align: PAGE,
    });
    pos = off + (fileEnd - start);
  }
  // Section headers in address order; symbols' shndx refer to `outs` order, so keep that order.
  const sections: SectionInput[] = outs.map((o) => ({
    name: o.name,
    type: o.type,
    flags: o.flags,
    addr: o.addr,
    data: o.data,
    size: o.size,
    addralign: o.align,
    fileOffset: o.type !== SHT_NOBITS && o.size > 0n ? fileOffset.get(o) : undefined,
  }));
  const sorted = [...sections].sort((a, b) =>
    (a.fileOffset ?? 1n << 62n) < (b.fileOffset ?? 1n << 62n) ? -1 : 1,
  );
  const remap = sections.map((s) => sorted.indexOf(s) + 1);
  const syms = symbols.map((s) =>
    s.shndx > 0 && s.shndx < 0xff00 ? { ...s, shndx: remap[s.shndx - 1] } : s,
  );
  return writeElf({
    type: ET_EXEC,
    machine: EM_MCST_ELBRUS,
    flags: elfFlagsForIset(iset),
    entry,
    sections: sorted,
    segments: segs,
    symbols: syms,
  });
}

/** Raw image from the lowest to the highest load address of file-backed data; gaps are zero. */
export function writeBinary(outs: OutputSection[]): Uint8Array {
  const data = outs.filter((o) => o.type !== SHT_NOBITS && o.size > 0n);
  if (!data.length) return new Uint8Array(0);
  const lo = data.reduce((m, o) => (o.lma < m ? o.lma : m), data[0].lma);
  const hi = data.reduce((m, o) => (o.lma + o.size > m ? o.lma + o.size : m), 0n);
  if (hi - lo > 1n << 30n)
    throw new RangeError(
      `binary image would be ${hi - lo} bytes (sections from 0x${lo.toString(16)} to 0x${hi.toString(16)})`,
    );
  const img = new Uint8Array(Number(hi - lo));
  for (const o of data) img.set(o.data, Number(o.lma - lo));
  return img;
}
