/**
 * Builds the ELF64 relocatable object from the assembled sections: symbol table (file and
 * section symbols, local labels except `.L*`, then globals and referenced undefined symbols)
 * and RELA sections. Relocations against local labels use the section symbol plus offset, as
 * gas does, so `.L` labels never need to be in the symbol table.
 */
import { RELOC } from '../isa/bundle-api';
import type { ElfReloc, ElfSymbol } from '../elf/types';
import {
  elfFlagsForIset,
  EM_MCST_ELBRUS,
  ET_REL,
  SHN_ABS,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FILE,
  STT_SECTION,
} from '../elf/types';
import { writeElf } from '../elf/writer';
import type { Assembler } from './assembler';
import type { FinalSection } from './layout';

export function buildObject(a: Assembler, finals: FinalSection[]): Uint8Array {
  finals.forEach((f, i) => (f.section.index = i + 1));
  const locals: ElfSymbol[] = [];
  const globals: ElfSymbol[] = [];
  const base = a.mainFile.split('/').pop() ?? a.mainFile;
  locals.push({
    name: base,
    value: 0n,
    size: 0n,
    bind: STB_LOCAL,
    type: STT_FILE,
    other: 0,
    shndx: SHN_ABS,
  });
  const sectionSym = new Map<string, number>();
  for (const f of finals) {
    sectionSym.set(f.section.name, locals.length + 1);
    locals.push({
      name: '',
      value: 0n,
      size: 0n,
      bind: STB_LOCAL,
      type: STT_SECTION,
      other: 0,
      shndx: f.section.index,
    });
  }

  const globalNames: string[] = [];
  const symValue = (name: string): { shndx: number; value: bigint } | undefined => {
    const d = a.symbols.get(name)!;
    if (d.kind === 'undef') return undefined;
    const where = a.locate(name);
    if (where) return { shndx: where.section.index, value: where.offset };
    const v = a.lookup(name);
    if (v && v.sym === null) return { shndx: SHN_ABS, value: v.add };
    return undefined;
  };
  const sizeOf = (name: string): bigint => {
    const d = a.symbols.get(name)!;
    if (!d.sizeExpr) return 0n;
    try {
      const v = a.eval(d.sizeExpr.expr, d.sizeExpr.section, d.sizeExpr.itemIndex);
      if (v.sym === null) return BigInt.asUintN(64, v.add);
      a.error(`size of '${name}' is not a constant`, undefined, d.sizeExpr.loc);
    } catch (e) {
      a.error(
        `bad .size expression for '${name}': ${(e as Error).message}`,
        undefined,
        d.sizeExpr.loc,
      );
    }
    return 0n;
  };
  const entry = (name: string, bind: number): ElfSymbol => {
    const d = a.symbols.get(name)!;
    const v = symValue(name);
    return {
      name,
      value: v?.value ?? 0n,
      size: sizeOf(name),
      bind,
      type: d.type,
      other: d.visibility,
      shndx: v?.shndx ?? 0,
    };
  };

  for (const [name, d] of a.symbols) {
    if (a.sections.has(name) && d.kind === 'undef') continue;
    if (d.global) {
      globalNames.push(name);
    } else if (d.kind !== 'undef' && !name.startsWith('.L')) {
      const e = entry(name, STB_LOCAL);
      // Symbols with relocatable values that cannot be located (e.g. = undefined + 4) are left out.
      if (e.shndx !== 0) locals.push(e);
    }
  }

  // Relocations; undefined targets become global undefined symbols.
  const relocations = new Map<number, ElfReloc[]>();
  const globalIndex = new Map<string, number>();
  const pendingGlobals = [...globalNames];
  const relocTarget = (
    f: FinalSection,
    symbol: string,
    addend: bigint,
    loc: () => void,
  ): { sym: number | string; addend: bigint } | undefined => {
    const d = a.symbols.get(symbol);
    if (sectionSym.has(symbol) && (!d || d.kind === 'undef'))
      return { sym: sectionSym.get(symbol)!, addend };
    if (d?.global) return { sym: symbol, addend };
    const where = a.locate(symbol);
    if (where) return { sym: sectionSym.get(where.section.name)!, addend: addend + where.offset };
    if (symbol.startsWith('.L')) {
      loc();
      return undefined;
    }
    if (!pendingGlobals.includes(symbol)) pendingGlobals.push(symbol);
    void f;
    return { sym: symbol, addend };
  };
  const rawRelocs: {
    sec: number;
    offset: bigint;
    type: number;
    sym: number | string;
    addend: bigint;
  }[] = [];
  for (const f of finals) {
    for (const r of f.relocs) {
      const t = relocTarget(f, r.symbol, r.addend, () =>
        a.error(
          `undefined local symbol '${r.symbol.startsWith('.Lnum.') ? r.symbol.split('.')[2] + 'f' : r.symbol}'`,
          undefined,
          findLoc(a, f, r.offset),
        ),
      );
      if (t)
        rawRelocs.push({
          sec: f.section.index,
          offset: BigInt(r.offset),
          type: RELOC[r.type],
          sym: t.sym,
          addend: t.addend,
        });
    }
  }
  for (const name of pendingGlobals) {
    const d = a.symbol(name);
    globalIndex.set(name, locals.length + globals.length + 1);
    globals.push(entry(name, d.weak ? STB_WEAK : STB_GLOBAL));
  }
  for (const r of rawRelocs) {
    const sym = typeof r.sym === 'number' ? r.sym : globalIndex.get(r.sym)!;
    const list = relocations.get(r.sec) ?? [];
    list.push({ offset: r.offset, type: r.type, sym, addend: r.addend });
    relocations.set(r.sec, list);
  }

  return writeElf({
    type: ET_REL,
    machine: EM_MCST_ELBRUS,
    flags: elfFlagsForIset(a.iset),
    sections: finals.map((f) => ({
      name: f.section.name,
      type: f.section.type,
      flags: f.section.flags,
      data: f.bytes,
      size: BigInt(f.section.size),
      addralign: BigInt(f.section.align),
    })),
    symbols: [...locals, ...globals],
    relocations,
  });
}

function findLoc(a: Assembler, f: FinalSection, offset: number) {
  const it = [...f.section.items].reverse().find((i) => i.offset <= offset);
  return it?.loc ?? a.loc;
}
