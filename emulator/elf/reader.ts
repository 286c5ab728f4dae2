/**
 * Strict ELF64 little-endian reader. Every inconsistency (truncation, bounds, bad string
 * tables, dangling indices) becomes an ElfError naming the problem and its file offset; no
 * other exception can escape, whatever the input bytes (see the fuzz test).
 */
import { utf8Decode } from './utf8';
import type { ElfFile, ElfReloc, ElfSection, ElfSegment, ElfSymbol } from './types';
import {
  EHDR_SIZE,
  ElfError,
  PHDR_SIZE,
  RELA_SIZE,
  SHDR_SIZE,
  SHN_ABS,
  SHN_COMMON,
  SHT_NOBITS,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  SYM_SIZE,
} from './types';

export function readElf(bytes: Uint8Array): ElfFile {
  try {
    return parse(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw e;
    // A reader bug must still surface as an ElfError so callers only handle one kind.
    throw new ElfError(`malformed ELF file (${(e as Error).message})`);
  }
}

function parse(bytes: Uint8Array): ElfFile {
  const len = bytes.length;
  if (len < EHDR_SIZE)
    throw new ElfError(`file too short for an ELF header (${len} bytes, need ${EHDR_SIZE})`, 0);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    throw new ElfError('not an ELF file (bad magic)', 0);
  if (bytes[4] !== 2) throw new ElfError(`unsupported ELF class ${bytes[4]} (only ELF64)`, 4);
  if (bytes[5] !== 1)
    throw new ElfError(`unsupported data encoding ${bytes[5]} (only little-endian)`, 5);
  if (bytes[6] !== 1) throw new ElfError(`unsupported ELF version ${bytes[6]}`, 6);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);
  const u64 = (o: number) => dv.getBigUint64(o, true);

  const type = u16(16);
  const machine = u16(18);
  const entry = u64(24);
  const phoff = u64(32);
  const shoff = u64(40);
  const flags = u32(48);
  const phentsize = u16(54);
  const phnum = u16(56);
  const shentsize = u16(58);
  const shnum = u16(60);
  const shstrndx = u16(62);

  /** Checks that [off, off+size) lies inside the file and returns off as a number. */
  const range = (off: bigint, size: bigint, what: string, at: number): number => {
    if (off > BigInt(len) || size > BigInt(len) || off + size > BigInt(len)) {
      throw new ElfError(
        `${what} (offset 0x${off.toString(16)}, size 0x${size.toString(16)}) extends past the end of the file (${len} bytes)`,
        at,
      );
    }
    return Number(off);
  };

  const segments: ElfSegment[] = [];
  if (phnum > 0) {
    if (phentsize !== PHDR_SIZE)
      throw new ElfError(`bad e_phentsize ${phentsize} (expected ${PHDR_SIZE})`, 54);
    const base = range(phoff, BigInt(phnum * PHDR_SIZE), 'program header table', 32);
    for (let i = 0; i < phnum; i++) {
      const o = base + i * PHDR_SIZE;
      const seg: ElfSegment = {
        type: u32(o),
        flags: u32(o + 4),
        offset: u64(o + 8),
        vaddr: u64(o + 16),
        paddr: u64(o + 24),
        filesz: u64(o + 32),
        memsz: u64(o + 40),
        align: u64(o + 48),
      };
      if (seg.type === 1) {
        if (seg.filesz > 0n) range(seg.offset, seg.filesz, `segment ${i}`, o + 8);
        if (seg.memsz < seg.filesz)
          throw new ElfError(`segment ${i}: p_memsz is smaller than p_filesz`, o + 40);
      }
      segments.push(seg);
    }
  }

  const sections: ElfSection[] = [];
  if (shnum > 0) {
    if (shentsize !== SHDR_SIZE)
      throw new ElfError(`bad e_shentsize ${shentsize} (expected ${SHDR_SIZE})`, 58);
    const base = range(shoff, BigInt(shnum * SHDR_SIZE), 'section header table', 40);
    const nameOffs: number[] = [];
    for (let i = 0; i < shnum; i++) {
      const o = base + i * SHDR_SIZE;
      const sec: ElfSection = {
        name: '',
        type: u32(o + 4),
        flags: u64(o + 8),
        addr: u64(o + 16),
        offset: u64(o + 24),
        size: u64(o + 32),
        link: u32(o + 40),
        info: u32(o + 44),
        addralign: u64(o + 48),
        entsize: u64(o + 56),
        data: new Uint8Array(0),
      };
      nameOffs.push(u32(o));
      if (i > 0 && sec.type !== SHT_NOBITS && sec.type !== 0) {
        const start = range(sec.offset, sec.size, `section ${i} contents`, o + 24);
        sec.data = bytes.subarray(start, start + Number(sec.size));
      }
      if (sec.addralign > 1n && (sec.addralign & (sec.addralign - 1n)) !== 0n)
        throw new ElfError(
          `section ${i}: alignment ${sec.addralign} is not a power of two`,
          o + 48,
        );
      sections.push(sec);
    }
    if (shstrndx >= shnum)
      throw new ElfError(`e_shstrndx ${shstrndx} out of range (${shnum} sections)`, 62);
    if (shstrndx !== 0) {
      const strsec = sections[shstrndx];
      if (strsec.type !== SHT_STRTAB)
        throw new ElfError(
          `section name table (section ${shstrndx}) is not a string table`,
          base + shstrndx * SHDR_SIZE + 4,
        );
      sections.forEach(
        (s, i) => (s.name = i === 0 ? '' : cstring(strsec, nameOffs[i], `name of section ${i}`)),
      );
    }
  }

  // Symbol table (at most one .symtab in the files we deal with).
  let symbols: ElfSymbol[] = [];
  const symIdx = sections.findIndex((s) => s.type === SHT_SYMTAB);
  if (symIdx >= 0) symbols = readSymbols(sections, symIdx);

  const relocations = new Map<number, ElfReloc[]>();
  sections.forEach((s) => {
    if (s.type !== SHT_RELA) return;
    const at = Number(s.offset);
    if (s.entsize !== BigInt(RELA_SIZE))
      throw new ElfError(
        `relocation section '${s.name}': entry size ${s.entsize} (expected ${RELA_SIZE})`,
        at,
      );
    if (s.size % BigInt(RELA_SIZE) !== 0n)
      throw new ElfError(
        `relocation section '${s.name}': size is not a multiple of ${RELA_SIZE}`,
        at,
      );
    if (s.info === 0 || s.info >= sections.length)
      throw new ElfError(
        `relocation section '${s.name}' applies to nonexistent section ${s.info}`,
        at,
      );
    if (s.link !== symIdx)
      throw new ElfError(`relocation section '${s.name}' does not use the symbol table`, at);
    const target = sections[s.info];
    const rdv = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
    const list: ElfReloc[] = [];
    for (let o = 0; o < s.data.length; o += RELA_SIZE) {
      const info = rdv.getBigUint64(o + 8, true);
      const r: ElfReloc = {
        offset: rdv.getBigUint64(o, true),
        type: Number(info & 0xffffffffn),
        sym: Number(info >> 32n),
        addend: rdv.getBigInt64(o + 16, true),
      };
      if (r.sym >= symbols.length)
        throw new ElfError(
          `relocation ${o / RELA_SIZE} in '${s.name}' refers to symbol ${r.sym} (only ${symbols.length})`,
          at + o,
        );
      if (target.type !== SHT_NOBITS && r.offset >= target.size)
        throw new ElfError(
          `relocation ${o / RELA_SIZE} in '${s.name}' points outside section '${target.name}'`,
          at + o,
        );
      list.push(r);
    }
    relocations.set(s.info, [...(relocations.get(s.info) ?? []), ...list]);
  });

  return { type, machine, flags, entry, sections, segments, symbols, relocations };
}

function readSymbols(sections: ElfSection[], symIdx: number): ElfSymbol[] {
  const s = sections[symIdx];
  const at = Number(s.offset);
  if (s.entsize !== BigInt(SYM_SIZE))
    throw new ElfError(`symbol table: entry size ${s.entsize} (expected ${SYM_SIZE})`, at);
  if (s.size % BigInt(SYM_SIZE) !== 0n)
    throw new ElfError(`symbol table: size is not a multiple of ${SYM_SIZE}`, at);
  if (s.link === 0 || s.link >= sections.length || sections[s.link].type !== SHT_STRTAB)
    throw new ElfError(`symbol table: sh_link ${s.link} is not a string table`, at);
  const strtab = sections[s.link];
  const dv = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
  const out: ElfSymbol[] = [];
  for (let o = 0; o < s.data.length; o += SYM_SIZE) {
    const info = dv.getUint8(o + 4);
    const shndx = dv.getUint16(o + 6, true);
    if (shndx !== 0 && shndx < 0xff00 && shndx >= sections.length)
      throw new ElfError(`symbol ${o / SYM_SIZE} refers to nonexistent section ${shndx}`, at + o);
    if (shndx >= 0xff00 && shndx !== SHN_ABS && shndx !== SHN_COMMON)
      throw new ElfError(
        `symbol ${o / SYM_SIZE} has unsupported section index 0x${shndx.toString(16)}`,
        at + o,
      );
    out.push({
      name: cstring(strtab, dv.getUint32(o, true), `name of symbol ${o / SYM_SIZE}`),
      bind: info >> 4,
      type: info & 0xf,
      other: dv.getUint8(o + 5),
      shndx,
      value: dv.getBigUint64(o + 8, true),
      size: dv.getBigUint64(o + 16, true),
    });
  }
  return out;
}

function cstring(strtab: ElfSection, off: number, what: string): string {
  const d = strtab.data;
  if (off >= d.length) {
    if (off === 0) return '';
    throw new ElfError(
      `${what}: string offset ${off} outside string table '${strtab.name}' (${d.length} bytes)`,
      Number(strtab.offset),
    );
  }
  const end = d.indexOf(0, off);
  if (end < 0)
    throw new ElfError(
      `${what}: string at ${off} in '${strtab.name}' is not NUL-terminated`,
      Number(strtab.offset) + off,
    );
  return utf8Decode(d.subarray(off, end));
}
