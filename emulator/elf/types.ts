/**
 * In-memory model of an ELF64 little-endian file, shared by the writer, the strict reader,
 * the assembler (ET_REL output) and the linker (ET_EXEC output). Only what e2k tools need:
 * no dynamic linking, no 32-bit or big-endian files.
 */
import { utf8Encode } from './utf8';

export const ET_REL = 1;
export const ET_EXEC = 2;
/** EM_MCST_ELBRUS (control-and-stacks.md §10.1); 49 is the old number, still accepted on read. */
export const EM_MCST_ELBRUS = 175;
export const EM_MCST_ELBRUS_OLD = 49;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;

export const SHF_WRITE = 1n;
export const SHF_ALLOC = 2n;
export const SHF_EXECINSTR = 4n;
export const SHF_INFO_LINK = 0x40n;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;

export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;

export const PT_LOAD = 1;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const EHDR_SIZE = 64;
export const PHDR_SIZE = 56;
export const SHDR_SIZE = 64;
export const SYM_SIZE = 24;
export const RELA_SIZE = 24;

export interface ElfSection {
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  /** File contents; empty for SHT_NOBITS (whose size is `size`). */
  data: Uint8Array;
  /** sh_size: data.length except for SHT_NOBITS. */
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
  /** sh_offset as read, or as placed by the writer. */
  offset: bigint;
}

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  bind: number;
  type: number;
  other: number;
  /** Section index, or SHN_UNDEF / SHN_ABS / SHN_COMMON. */
  shndx: number;
}

export interface ElfReloc {
  offset: bigint;
  type: number;
  /** Index into the symbol table. */
  sym: number;
  addend: bigint;
}

export interface ElfSegment {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

export interface ElfFile {
  type: number;
  machine: number;
  flags: number;
  entry: bigint;
  /** All section headers, index 0 being the null section. */
  sections: ElfSection[];
  segments: ElfSegment[];
  /** Contents of .symtab (index 0 is the null symbol); empty if the file has none. */
  symbols: ElfSymbol[];
  /** Relocations by the index of the section they patch. */
  relocations: Map<number, ElfReloc[]>;
}

/** Every problem found while reading or writing ELF data. */
export class ElfError extends Error {
  constructor(
    message: string,
    /** File offset the problem was found at, when there is one. */
    public readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at offset 0x${offset.toString(16)})`);
    this.name = 'ElfError';
  }
}

/** e_flags[31:24] holds the target machine: 1…6 = elbrus-v1…v6 (control-and-stacks.md §10.1). */
export function elfFlagsForIset(iset: number): number {
  return (iset & 0xff) << 24;
}
export function isetFromElfFlags(flags: number): number {
  return (flags >>> 24) & 0xff;
}

export const RELOC_NAMES: Record<number, string> = {
  0: 'R_E2K_32_ABS',
  50: 'R_E2K_64_ABS',
  51: 'R_E2K_64_ABS_LIT',
  110: 'R_E2K_DISP',
};

/** Builds a string table; identical strings are stored once. */
export class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private readonly index = new Map<string, number>([['', 0]]);
  private length = 1;
  add(s: string): number {
    const known = this.index.get(s);
    if (known !== undefined) return known;
    const bytes = utf8Encode(s + '\0');
    const at = this.length;
    this.parts.push(bytes);
    this.length += bytes.length;
    this.index.set(s, at);
    return at;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let p = 0;
    for (const b of this.parts) {
      out.set(b, p);
      p += b.length;
    }
    return out;
  }
}
