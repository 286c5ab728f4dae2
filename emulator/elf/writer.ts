/**
 * ELF64 little-endian writer. The caller supplies content sections, symbols and
 * relocations; the writer adds .rela.<name>, .symtab, .strtab and .shstrtab itself so the
 * assembler and the linker cannot get the bookkeeping (links, sh_info, string offsets) wrong.
 */
import type { ElfReloc, ElfSegment, ElfSymbol } from './types';
import {
  EHDR_SIZE,
  ElfError,
  PHDR_SIZE,
  RELA_SIZE,
  SHDR_SIZE,
  SHF_INFO_LINK,
  SHT_NOBITS,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_LOCAL,
  StringTable,
  SYM_SIZE,
} from './types';

export interface SectionInput {
  name: string;
  type: number;
  flags: bigint;
  addr?: bigint;
  data: Uint8Array;
  /** Only for SHT_NOBITS. */
  size?: bigint;
  addralign: bigint;
  entsize?: bigint;
  /** Fixed file offset (executables: must be congruent to addr modulo the page size). */
  fileOffset?: bigint;
}

export interface ElfWriteInput {
  type: number;
  machine: number;
  flags: number;
  entry?: bigint;
  /** Content sections; they get section indices 1…n in this order. */
  sections: SectionInput[];
  segments?: ElfSegment[];
  /** Symbols without the null entry; locals must come before globals. Omit for no .symtab. */
  symbols?: ElfSymbol[];
  /** Relocations keyed by the 1-based index of the section they patch; `sym` indices count the null symbol. */
  relocations?: Map<number, ElfReloc[]>;
}

interface Placed {
  name: number;
  type: number;
  flags: bigint;
  addr: bigint;
  data: Uint8Array;
  size: bigint;
  link: number;
  info: number;
  align: bigint;
  entsize: bigint;
  offset: bigint;
  fixed: boolean;
}

const alignUp = (v: bigint, a: bigint): bigint => (a > 1n ? ((v + a - 1n) / a) * a : v);

export function writeElf(input: ElfWriteInput): Uint8Array {
  const shstr = new StringTable();
  const placed: Placed[] = [];
  const push = (p: Omit<Placed, 'offset' | 'fixed'> & { offset?: bigint }) =>
    placed.push({ ...p, offset: p.offset ?? 0n, fixed: p.offset !== undefined });

  for (const s of input.sections) {
    push({
      name: shstr.add(s.name),
      type: s.type,
      flags: s.flags,
      addr: s.addr ?? 0n,
      data: s.type === SHT_NOBITS ? new Uint8Array(0) : s.data,
      size: s.type === SHT_NOBITS ? (s.size ?? 0n) : BigInt(s.data.length),
      link: 0,
      info: 0,
      align: s.addralign,
      entsize: s.entsize ?? 0n,
      offset: s.fileOffset,
    });
  }
  const nContent = placed.length;
  const symtabIndex = nContent + 1 + (input.symbols ? (input.relocations?.size ?? 0) : 0);
  if (input.symbols) {
    for (const [target, relocs] of [...(input.relocations ?? new Map<number, ElfReloc[]>())].sort(
      (a, b) => a[0] - b[0],
    )) {
      if (target < 1 || target > nContent)
        throw new ElfError(`relocations for unknown section index ${target}`);
      const data = new Uint8Array(relocs.length * RELA_SIZE);
      const dv = new DataView(data.buffer);
      relocs.forEach((r, i) => {
        dv.setBigUint64(i * RELA_SIZE, BigInt.asUintN(64, r.offset), true);
        dv.setBigUint64(i * RELA_SIZE + 8, (BigInt(r.sym) << 32n) | BigInt(r.type >>> 0), true);
        dv.setBigInt64(i * RELA_SIZE + 16, BigInt.asIntN(64, r.addend), true);
      });
      const name = input.sections[target - 1].name;
      push({
        name: shstr.add(`.rela${name}`),
        type: SHT_RELA,
        flags: SHF_INFO_LINK,
        addr: 0n,
        data,
        size: BigInt(data.length),
        link: symtabIndex,
        info: target,
        align: 8n,
        entsize: BigInt(RELA_SIZE),
      });
    }
    const strtab = new StringTable();
    const syms = input.symbols;
    const data = new Uint8Array((syms.length + 1) * SYM_SIZE);
    const dv = new DataView(data.buffer);
    let firstGlobal = syms.length + 1;
    syms.forEach((s, i) => {
      const o = (i + 1) * SYM_SIZE;
      if (s.bind !== STB_LOCAL && firstGlobal > syms.length) firstGlobal = i + 1;
      if (s.bind === STB_LOCAL && firstGlobal <= syms.length)
        throw new ElfError(`local symbol '${s.name}' after a global one`);
      dv.setUint32(o, s.name ? strtab.add(s.name) : 0, true);
      dv.setUint8(o + 4, ((s.bind & 0xf) << 4) | (s.type & 0xf));
      dv.setUint8(o + 5, s.other & 0xff);
      dv.setUint16(o + 6, s.shndx, true);
      dv.setBigUint64(o + 8, BigInt.asUintN(64, s.value), true);
      dv.setBigUint64(o + 16, BigInt.asUintN(64, s.size), true);
    });
    push({
      name: shstr.add('.symtab'),
      type: SHT_SYMTAB,
      flags: 0n,
      addr: 0n,
      data,
      size: BigInt(data.length),
      link: symtabIndex + 1,
      info: firstGlobal,
      align: 8n,
      entsize: BigInt(SYM_SIZE),
    });
    const strData = strtab.bytes();
    push({
      name: shstr.add('.strtab'),
      type: SHT_STRTAB,
      flags: 0n,
      addr: 0n,
      data: strData,
      size: BigInt(strData.length),
      link: 0,
      info: 0,
      align: 1n,
      entsize: 0n,
    });
  }
  const shstrName = shstr.add('.shstrtab');
  const shstrData = shstr.bytes();
  push({
    name: shstrName,
    type: SHT_STRTAB,
    flags: 0n,
    addr: 0n,
    data: shstrData,
    size: BigInt(shstrData.length),
    link: 0,
    info: 0,
    align: 1n,
    entsize: 0n,
  });

  // Layout: header, program headers, then sections (fixed offsets honoured), then the section header table.
  const segments = input.segments ?? [];
  let pos = BigInt(EHDR_SIZE + segments.length * PHDR_SIZE);
  for (const p of placed) {
    if (p.fixed) {
      if (p.offset < pos)
        throw new ElfError(`section contents overlap at file offset 0x${p.offset.toString(16)}`);
    } else {
      p.offset = alignUp(pos, p.type === SHT_NOBITS ? 1n : p.align || 1n);
    }
    if (p.type !== SHT_NOBITS) pos = p.offset + p.size;
  }
  const shoff = alignUp(pos, 8n);
  const total = Number(shoff) + (placed.length + 1) * SHDR_SIZE;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);

  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  dv.setUint16(16, input.type, true);
  dv.setUint16(18, input.machine, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, input.entry ?? 0n, true);
  dv.setBigUint64(32, segments.length ? BigInt(EHDR_SIZE) : 0n, true);
  dv.setBigUint64(40, shoff, true);
  dv.setUint32(48, input.flags >>> 0, true);
  dv.setUint16(52, EHDR_SIZE, true);
  dv.setUint16(54, segments.length ? PHDR_SIZE : 0, true);
  dv.setUint16(56, segments.length, true);
  dv.setUint16(58, SHDR_SIZE, true);
  dv.setUint16(60, placed.length + 1, true);
  dv.setUint16(62, placed.length, true);

  segments.forEach((s, i) => {
    const o = EHDR_SIZE + i * PHDR_SIZE;
    dv.setUint32(o, s.type, true);
    dv.setUint32(o + 4, s.flags, true);
    dv.setBigUint64(o + 8, s.offset, true);
    dv.setBigUint64(o + 16, s.vaddr, true);
    dv.setBigUint64(o + 24, s.paddr, true);
    dv.setBigUint64(o + 32, s.filesz, true);
    dv.setBigUint64(o + 40, s.memsz, true);
    dv.setBigUint64(o + 48, s.align, true);
  });
  placed.forEach((p, i) => {
    if (p.type !== SHT_NOBITS) out.set(p.data, Number(p.offset));
    const o = Number(shoff) + (i + 1) * SHDR_SIZE;
    dv.setUint32(o, p.name, true);
    dv.setUint32(o + 4, p.type, true);
    dv.setBigUint64(o + 8, p.flags, true);
    dv.setBigUint64(o + 16, BigInt.asUintN(64, p.addr), true);
    dv.setBigUint64(o + 24, p.offset, true);
    dv.setBigUint64(o + 32, p.size, true);
    dv.setUint32(o + 40, p.link, true);
    dv.setUint32(o + 44, p.info, true);
    dv.setBigUint64(o + 48, p.align, true);
    dv.setBigUint64(o + 56, p.entsize, true);
  });
  return out;
}
