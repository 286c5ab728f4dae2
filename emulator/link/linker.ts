/**
 * Static linker for e2k ELF64 relocatable objects: places input sections into output
 * sections (default layout or a linker-script subset), resolves symbols (clear errors for
 * undefined and duplicate ones, naming the objects), applies relocations with overflow
 * checks and writes an ET_EXEC with one PT_LOAD per segment, or a raw binary image.
 *
 * R_E2K_DISP convention: P is the address of the patched field and the assembler put the
 * field's distance from the bundle start into the addend, so (S + A - P) is the distance
 * from the bundle; the bundle field itself is patched by the injected applyFixup.
 */
import { applyFixup as realApplyFixup, BundleError } from '../isa';
import type { ApplyFixupFn } from '../isa/bundle-api';
import { readElf } from '../elf/reader';
import type { ElfFile, ElfSection, ElfSymbol } from '../elf/types';
import {
  ElfError,
  EM_MCST_ELBRUS,
  EM_MCST_ELBRUS_OLD,
  ET_REL,
  RELOC_NAMES,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_NOBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_FILE,
  STT_SECTION,
  isetFromElfFlags,
} from '../elf/types';
import { layoutSections, type OutputSection } from './layout';
import { writeExecutable, writeBinary } from './output';
import { parseScript, ScriptError } from './script';

export interface LinkInput {
  name: string;
  bytes: Uint8Array;
}

export interface LinkOptions {
  entry?: string;
  textAddr?: bigint;
  dataAddr?: bigint;
  bssAddr?: bigint;
  /** Linker script text (`-T file`). */
  script?: string;
  oformat?: 'elf' | 'binary';
  applyFixup?: ApplyFixupFn;
}

export interface LinkResult {
  output?: Uint8Array;
  errors: string[];
  warnings: string[];
  /** Final symbol addresses (globals), for tests and maps. */
  symbols: Map<string, bigint>;
  entry?: bigint;
}

export interface InputSection {
  obj: ObjFile;
  index: number;
  sec: ElfSection;
  /** Final address, set by layout. */
  addr: bigint;
  out?: OutputSection;
}

export interface ObjFile {
  name: string;
  elf: ElfFile;
  sections: Map<number, InputSection>;
}

interface GlobalDef {
  obj: ObjFile;
  sym: ElfSymbol;
}

const hex = (v: bigint) => `0x${BigInt.asUintN(64, v).toString(16)}`;

export function link(inputs: LinkInput[], opts: LinkOptions = {}): LinkResult {
  const errors: string[] = [];
  const warnings: string[] = [];
  const result: LinkResult = { errors, warnings, symbols: new Map() };
  const apply = opts.applyFixup ?? realApplyFixup;

  // 1. Read inputs.
  const objs: ObjFile[] = [];
  for (const inp of inputs) {
    try {
      const elf = readElf(inp.bytes);
      if (elf.type !== ET_REL) throw new ElfError(`not a relocatable object (e_type ${elf.type})`);
      if (elf.machine !== EM_MCST_ELBRUS && elf.machine !== EM_MCST_ELBRUS_OLD)
        throw new ElfError(`not an e2k object (e_machine ${elf.machine})`);
      const o: ObjFile = { name: inp.name, elf, sections: new Map() };
      elf.sections.forEach((sec, index) => {
        if (index > 0 && (sec.flags & SHF_ALLOC) !== 0n)
          o.sections.set(index, { obj: o, index, sec, addr: 0n });
      });
      objs.push(o);
    } catch (e) {
      if (e instanceof ElfError) errors.push(`${inp.name}: ${e.message}`);
      else throw e;
    }
  }
  if (!inputs.length) errors.push('no input files');
  if (errors.length) return result;

  // 2. Global symbols: one definition each (weak yields to strong).
  const globals = new Map<string, GlobalDef>();
  const referencedBy = new Map<string, string>();
  for (const o of objs) {
    for (const s of o.elf.symbols) {
      if (s.bind === STB_LOCAL || !s.name) continue;
      if (s.shndx === SHN_UNDEF) {
        if (!referencedBy.has(s.name)) referencedBy.set(s.name, o.name);
        continue;
      }
      if (s.shndx === SHN_COMMON) {
        errors.push(`${o.name}: common symbol '${s.name}' is not supported (define it in .bss)`);
        continue;
      }
      const old = globals.get(s.name);
      if (!old || (old.sym.bind === STB_WEAK && s.bind === STB_GLOBAL))
        globals.set(s.name, { obj: o, sym: s });
      else if (s.bind === STB_GLOBAL && old.sym.bind === STB_GLOBAL)
        errors.push(`duplicate symbol '${s.name}': defined in ${old.obj.name} and in ${o.name}`);
    }
  }

  // 3. Layout.
  let script;
  try {
    script = opts.script !== undefined ? parseScript(opts.script) : undefined;
  } catch (e) {
    if (e instanceof ScriptError) {
      errors.push(e.message);
      return result;
    }
    throw e;
  }
  const symAddr = (name: string): bigint | undefined => {
    const g = globals.get(name);
    return g ? symbolAddress(g.obj, g.sym) : result.symbols.get(name);
  };
  let outs: OutputSection[];
  try {
    outs = layoutSections(objs, { ...opts, script }, result.symbols, symAddr, warnings);
  } catch (e) {
    if (e instanceof ScriptError) {
      errors.push(e.message);
      return result;
    }
    throw e;
  }

  for (const [name, g] of globals) result.symbols.set(name, symbolAddress(g.obj, g.sym));
  for (const [name, from] of referencedBy) {
    if (!result.symbols.has(name)) {
      const weakOnly = objs.every((o) =>
        o.elf.symbols.every((s) => s.name !== name || s.shndx !== SHN_UNDEF || s.bind === STB_WEAK),
      );
      if (weakOnly) result.symbols.set(name, 0n);
      else errors.push(`undefined symbol '${name}' (referenced from ${from})`);
    }
  }

  // 4. Relocations.
  for (const o of objs) {
    for (const [target, relocs] of o.elf.relocations) {
      const is = o.sections.get(target);
      if (!is || !is.out || is.sec.type === SHT_NOBITS) continue;
      const buf = is.out.data;
      const base = Number(is.addr - is.out.addr);
      for (const r of relocs) {
        const s = o.elf.symbols[r.sym];
        const where = `${o.name}: ${is.sec.name}+${hex(r.offset)}`;
        let S: bigint | undefined;
        if (s.type === STT_SECTION || s.bind === STB_LOCAL) S = symbolAddress(o, s);
        else S = result.symbols.get(s.name);
        if (S === undefined) continue; // already reported as undefined
        const value = BigInt.asIntN(64, S + r.addend);
        const P = is.addr + r.offset;
        const off = base + Number(r.offset);
        const name = RELOC_NAMES[r.type] ?? `type ${r.type}`;
        const against =
          s.type === STT_SECTION
            ? `section ${o.elf.sections[s.shndx]?.name ?? s.shndx}`
            : `'${s.name}'`;
        const need = r.type === 0 || r.type === 110 ? 4 : 8;
        if (off + need > buf.length) {
          errors.push(`${where}: relocation ${name} extends past the end of the section`);
          continue;
        }
        switch (r.type) {
          case 0: {
            if (value > 0xffffffffn || value < -0x80000000n) {
              errors.push(
                `${where}: relocation R_E2K_32_ABS overflow: value ${hex(value)} against ${against} does not fit in 32 bits`,
              );
              break;
            }
            put(buf, off, 4, value);
            break;
          }
          case 50:
            put(buf, off, 8, value);
            break;
          case 51:
            put(buf, off, 4, BigInt.asUintN(64, value) >> 32n);
            put(buf, off + 4, 4, value);
            break;
          case 110: {
            const d = value - P;
            if (d % 8n !== 0n)
              errors.push(
                `${where}: R_E2K_DISP displacement ${d} to ${against} is not a multiple of 8`,
              );
            else if (d / 8n >= 1n << 27n || d / 8n < -(1n << 27n))
              errors.push(
                `${where}: relocation R_E2K_DISP overflow: displacement ${d < 0n ? '-' : ''}0x${(d < 0n ? -d : d).toString(16)} to ${against} is out of the ±1 GiB range`,
              );
            else {
              try {
                apply(
                  buf,
                  off,
                  { offset: 0, type: 'R_E2K_DISP', symbol: s.name, addend: r.addend },
                  value,
                  P,
                );
              } catch (e) {
                if (!(e instanceof BundleError)) throw e;
                errors.push(`${where}: ${e.message}`);
              }
            }
            break;
          }
          default:
            errors.push(`${where}: unsupported relocation type ${r.type}`);
        }
      }
    }
  }

  const entryName = script?.entry ?? opts.entry ?? '_start';
  let entry = result.symbols.get(entryName);
  if (entry === undefined) {
    if (/^(0x[0-9a-f]+|\d+)$/i.test(entryName)) entry = BigInt(entryName);
    else {
      const text = outs.find((s) => (s.flags & SHF_EXECINSTR) !== 0n);
      entry = text?.addr ?? 0n;
      if (opts.entry !== undefined || script?.entry !== undefined)
        errors.push(`entry symbol '${entryName}' is not defined`);
      else warnings.push(`cannot find entry symbol '${entryName}'; defaulting to ${hex(entry)}`);
    }
  }
  result.entry = entry;
  if (errors.length) return result;

  const iset = Math.max(...objs.map((o) => isetFromElfFlags(o.elf.flags)));
  if (objs.some((o) => isetFromElfFlags(o.elf.flags) !== iset))
    warnings.push(
      `objects were assembled for different ISA levels; the output is marked elbrus-v${iset}`,
    );
  // Local symbols of the inputs (labels, not sections/files/.L) keep disassembly readable.
  const locals: ElfSymbol[] = [];
  for (const o of objs) {
    for (const sym of o.elf.symbols) {
      if (sym.bind !== STB_LOCAL || !sym.name || sym.type === STT_SECTION || sym.type === STT_FILE)
        continue;
      const is = o.sections.get(sym.shndx);
      const idx = is?.out ? outs.indexOf(is.out) : -1;
      if (idx < 0 && sym.shndx !== SHN_ABS) continue;
      locals.push({ ...sym, value: symbolAddress(o, sym), shndx: idx >= 0 ? idx + 1 : SHN_ABS });
    }
  }
  const globalSyms: ElfSymbol[] = [...result.symbols].map(([name, value]) => {
    const g = globals.get(name);
    const out = outs.findIndex((s) => value >= s.addr && value < s.addr + s.size);
    return {
      name,
      value,
      size: g?.sym.size ?? 0n,
      bind: g?.sym.bind === STB_WEAK ? STB_WEAK : STB_GLOBAL,
      type: g?.sym.type ?? 0,
      other: 0,
      shndx: g && g.sym.shndx !== SHN_ABS && out >= 0 ? out + 1 : SHN_ABS,
    };
  });
  try {
    result.output =
      opts.oformat === 'binary'
        ? writeBinary(outs)
        : writeExecutable(outs, entry, iset, [...locals, ...globalSyms]);
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof ElfError)) throw e;
    errors.push(e.message);
  }
  return result;
}

export function symbolAddress(o: ObjFile, s: ElfSymbol): bigint {
  if (s.shndx === SHN_ABS || s.shndx === SHN_UNDEF) return s.value;
  const is = o.sections.get(s.shndx);
  return (is?.addr ?? 0n) + s.value;
}

function put(buf: Uint8Array, off: number, n: number, v: bigint): void {
  let u = BigInt.asUintN(64, v);
  for (let i = 0; i < n; i++) {
    buf[off + i] = Number(u & 0xffn);
    u >>= 8n;
  }
}
