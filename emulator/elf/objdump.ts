/**
 * The library behind `e2k-objdump`: binutils-style dumps of an e2k ELF file. The bundle
 * disassembler is injected (the real one lives in emulator/isa); invalid bundles come back
 * from it as `.word` lines, so disassembly never fails on odd bytes.
 */
import type { DisassembleBundleFn, IsaLevel } from '../isa/bundle-api';
import { readElf } from './reader';
import type { ElfFile, ElfReloc, ElfSection, ElfSymbol } from './types';
import {
  ET_EXEC,
  ET_REL,
  isetFromElfFlags,
  RELOC_NAMES,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_NOBITS,
  SHT_RELA,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FILE,
  STT_FUNC,
  STT_OBJECT,
  STT_SECTION,
} from './types';

export interface ObjdumpOptions {
  /** Name printed in the header line. */
  fileName: string;
  disassemble?: boolean;
  headers?: boolean;
  syms?: boolean;
  relocs?: boolean;
  /** -x: file header, program headers, section headers, symbols, relocations. */
  all?: boolean;
  disassembler: DisassembleBundleFn;
}

const h16 = (v: bigint) => BigInt.asUintN(64, v).toString(16).padStart(16, '0');
const h8 = (v: bigint | number) => BigInt.asUintN(64, BigInt(v)).toString(16).padStart(8, '0');

/** Throws ElfError for malformed input (from the reader). */
export function objdump(bytes: Uint8Array, o: ObjdumpOptions): string {
  const elf = readElf(bytes);
  const parts: string[][] = [['', `${o.fileName}:     file format elf64-e2k`, '']];
  if (o.all) parts.push(fileHeader(elf), programHeaders(elf));
  if (o.headers || o.all) parts.push(sectionHeaders(elf));
  if (o.syms || o.all) parts.push(symbolTable(elf));
  // With -d, relocations (-r) are shown inline under the bundle they patch, as binutils does.
  if (o.disassemble) parts.push(disassemble(elf, o.disassembler, !!o.relocs));
  if (o.all || (o.relocs && !o.disassemble)) parts.push(relocations(elf));
  // concat, not push(...): a big object has more lines than a call may take arguments.
  const out = ([] as string[]).concat(...parts);
  return out.join('\n') + '\n';
}

function fileHeader(elf: ElfFile): string[] {
  const hasReloc = elf.relocations.size > 0;
  const hasSyms = elf.symbols.length > 1;
  const flags = (hasReloc ? 0x1 : 0) | (elf.type === ET_EXEC ? 0x102 : 0) | (hasSyms ? 0x10 : 0);
  const names = [
    hasReloc && 'HAS_RELOC',
    elf.type === ET_EXEC && 'EXEC_P',
    hasSyms && 'HAS_SYMS',
    elf.type === ET_EXEC && 'D_PAGED',
  ].filter(Boolean);
  const iset = isetFromElfFlags(elf.flags);
  return [
    `architecture: e2k${iset ? `:elbrus-v${iset}` : ''}, flags 0x${h8(flags)}:`,
    names.join(', '),
    `start address 0x${h16(elf.entry)}`,
    '',
  ];
}

function programHeaders(elf: ElfFile): string[] {
  if (!elf.segments.length) return [];
  const out = ['Program Header:'];
  for (const p of elf.segments) {
    const type = p.type === 1 ? 'LOAD' : `0x${h8(p.type)}`;
    const al = p.align > 0n ? `2**${p.align.toString(2).length - 1}` : '2**0';
    const fl = `${p.flags & 4 ? 'r' : '-'}${p.flags & 2 ? 'w' : '-'}${p.flags & 1 ? 'x' : '-'}`;
    out.push(
      `    ${type.padStart(4)} off    0x${h16(p.offset)} vaddr 0x${h16(p.vaddr)} paddr 0x${h16(p.paddr)} align ${al}`,
    );
    out.push(`         filesz 0x${h16(p.filesz)} memsz 0x${h16(p.memsz)} flags ${fl}`);
  }
  out.push('');
  return out;
}

const shown = (s: ElfSection) =>
  s.type !== SHT_SYMTAB && s.type !== 3 && s.type !== SHT_RELA && s.type !== 0;

function sectionHeaders(elf: ElfFile): string[] {
  const out = [
    'Sections:',
    'Idx Name          Size      VMA               LMA               File off  Algn',
  ];
  let idx = 0;
  elf.sections.forEach((s, i) => {
    if (!shown(s)) return;
    const lma = elf.segments.find(
      (p) => p.type === 1 && s.addr >= p.vaddr && s.addr < p.vaddr + p.memsz,
    );
    const al = s.addralign > 0n ? s.addralign.toString(2).length - 1 : 0;
    out.push(
      `${String(idx++).padStart(3)} ${s.name.padEnd(13)} ${h8(s.size)}  ${h16(s.addr)}  ${h16(lma ? s.addr - lma.vaddr + lma.paddr : s.addr)}  ${h8(s.offset)}  2**${al}`,
    );
    const f: string[] = [];
    if (s.type !== SHT_NOBITS) f.push('CONTENTS');
    if (s.flags & SHF_ALLOC) f.push('ALLOC');
    if (s.flags & SHF_ALLOC && s.type !== SHT_NOBITS) f.push('LOAD');
    if (elf.relocations.has(i)) f.push('RELOC');
    if (!(s.flags & SHF_WRITE) && s.type !== SHT_NOBITS) f.push('READONLY');
    if (s.flags & SHF_EXECINSTR) f.push('CODE');
    else if (s.type !== SHT_NOBITS && s.flags & SHF_ALLOC) f.push('DATA');
    out.push(`                  ${f.join(', ')}`);
  });
  out.push('');
  return out;
}

function sectionName(elf: ElfFile, shndx: number): string {
  if (shndx === SHN_UNDEF) return '*UND*';
  if (shndx === SHN_ABS) return '*ABS*';
  if (shndx === SHN_COMMON) return '*COM*';
  return elf.sections[shndx]?.name ?? `<section ${shndx}>`;
}

function symName(elf: ElfFile, s: ElfSymbol): string {
  return s.type === STT_SECTION ? sectionName(elf, s.shndx) : s.name;
}

function symbolTable(elf: ElfFile): string[] {
  if (elf.symbols.length <= 1) return ['SYMBOL TABLE:', 'no symbols', ''];
  const out = ['SYMBOL TABLE:'];
  for (const s of elf.symbols.slice(1)) {
    const bind =
      s.bind === STB_LOCAL ? 'l' : s.bind === STB_GLOBAL && s.shndx !== SHN_UNDEF ? 'g' : ' ';
    const weak = s.bind === STB_WEAK ? 'w' : ' ';
    const debug = s.type === STT_SECTION ? 'd' : ' ';
    const kind =
      s.type === STT_FUNC ? 'F' : s.type === STT_OBJECT ? 'O' : s.type === STT_FILE ? 'f' : ' ';
    out.push(
      `${h16(s.value)} ${bind}${weak}   ${debug}${kind} ${sectionName(elf, s.shndx)}\t${h16(s.size)} ${symName(elf, s)}`,
    );
  }
  out.push('');
  return out;
}

function relocTarget(elf: ElfFile, r: ElfReloc): string {
  const s = elf.symbols[r.sym];
  const name = s ? symName(elf, s) : `<symbol ${r.sym}>`;
  const add = r.addend === 0n ? '' : r.addend > 0n ? `+0x${h16(r.addend)}` : `-0x${h16(-r.addend)}`;
  return name + add;
}

const relocName = (t: number) => RELOC_NAMES[t] ?? `unknown ${t}`;

function relocations(elf: ElfFile): string[] {
  const out: string[] = [];
  for (const [idx, list] of [...elf.relocations].sort((a, b) => a[0] - b[0])) {
    out.push(
      `RELOCATION RECORDS FOR [${elf.sections[idx].name}]:`,
      'OFFSET           TYPE              VALUE',
    );
    for (const r of list)
      out.push(`${h16(r.offset)} ${relocName(r.type).padEnd(17)} ${relocTarget(elf, r)}`);
    out.push('');
  }
  return out;
}

function disassemble(elf: ElfFile, dis: DisassembleBundleFn, inlineRelocs: boolean): string[] {
  const out: string[] = [];
  const iset = Math.min(6, Math.max(2, isetFromElfFlags(elf.flags) || 2)) as IsaLevel;
  elf.sections.forEach((s, i) => {
    if (!(s.flags & SHF_EXECINSTR) || s.type === SHT_NOBITS) return;
    out.push(`Disassembly of section ${s.name}:`, '');
    // Labels: symbols of this section (functions and plain labels, not section symbols).
    const labels = new Map<bigint, string>();
    for (const sym of elf.symbols)
      if (sym.shndx === i && sym.type !== STT_SECTION && sym.name && !labels.has(sym.value))
        labels.set(sym.value, sym.name);
    const base = elf.type === ET_REL ? 0n : s.addr;
    // Sorted once and walked with a cursor: a check of every relocation at every bundle
    // made big objects quadratic.
    const relocs = [...(elf.relocations.get(i) ?? [])].sort((a, b) =>
      a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0,
    );
    let ri = 0;
    const d = s.data;
    let off = 0;
    if (!labels.has(base)) out.push(`${h16(base)} <${s.name}>:`);
    while (off < d.length) {
      const addr = base + BigInt(off);
      const label = labels.get(elf.type === ET_REL ? BigInt(off) : addr);
      if (label) out.push(...(off ? [''] : []), `${h16(addr)} <${label}>:`);
      let r;
      try {
        r = dis(d, off, addr, iset);
      } catch (e) {
        // A disassembler failure must not stop the dump: show the word as data.
        r = {
          length: 4,
          lines: [`.word 0x${word(d, off)} ! ${(e as Error).message}`],
          invalid: true,
        };
      }
      const len = Math.max(1, Math.min(r.length, d.length - off));
      const words: string[] = [];
      for (let k = 0; k < len; k += 4)
        words.push(
          k + 4 <= len
            ? word(d, off + k)
            : [...d.subarray(off + k, off + len)]
                .map((b) => b.toString(16).padStart(2, '0'))
                .join(''),
        );
      out.push(`${addr.toString(16).padStart(8)}:\t${words.join(' ')}`);
      for (const l of r.lines) out.push(`\t\t${l}`);
      if (inlineRelocs) {
        const lo = BigInt(off);
        const hi = BigInt(off + len);
        while (ri < relocs.length && relocs[ri].offset < lo) ri++; // before the section's code
        for (; ri < relocs.length && relocs[ri].offset < hi; ri++) {
          const rel = relocs[ri];
          out.push(
            `\t\t\t${rel.offset.toString(16)}: ${relocName(rel.type)}\t${relocTarget(elf, rel)}`,
          );
        }
      }
      off += len;
    }
    out.push('');
  });
  return out;
}

function word(d: Uint8Array, o: number): string {
  const v = (d[o] | (d[o + 1] << 8) | (d[o + 2] << 16) | (d[o + 3] << 24)) >>> 0;
  return v.toString(16).padStart(8, '0');
}
