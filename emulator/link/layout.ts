/**
 * Placement of input sections into output sections and address assignment, either by the
 * default rules (.text, .rodata, .data, .bss; each group with different permissions starts
 * on a new 4 KiB page so it can get its own PT_LOAD) or by a linker script.
 */
import { evaluate, ExprError } from '../asm/expr';
import type { ElfSection } from '../elf/types';
import { SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHT_NOBITS, SHT_PROGBITS } from '../elf/types';
import type { InputSection, LinkOptions, ObjFile } from './linker';
import type { LinkerScript } from './script';
import { glob, ScriptError } from './script';

export const PAGE = 0x1000n;
export const DEFAULT_TEXT_ADDR = 0x10000n;

export interface OutputSection {
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  /** Load address (AT(...)), equal to addr unless the script says otherwise. */
  lma: bigint;
  size: bigint;
  align: bigint;
  data: Uint8Array;
  inputs: InputSection[];
}

const alignUp = (v: bigint, a: bigint) => (a > 1n ? ((v + a - 1n) / a) * a : v);
const DEFAULT_RULES: [string, string[]][] = [
  ['.text', ['.text', '.text.*']],
  ['.rodata', ['.rodata', '.rodata.*']],
  ['.data', ['.data', '.data.*']],
  ['.bss', ['.bss', '.bss.*']],
];

/** 0 = code, 1 = read-only data, 2 = writable data, 3 = zero-initialised. */
const flagClass = (s: ElfSection) =>
  (s.flags & SHF_EXECINSTR) !== 0n
    ? 0
    : (s.flags & SHF_WRITE) === 0n
      ? 1
      : s.type === SHT_NOBITS
        ? 3
        : 2;

function newOut(name: string): OutputSection {
  return {
    name,
    type: SHT_NOBITS,
    flags: SHF_ALLOC,
    addr: 0n,
    lma: 0n,
    size: 0n,
    align: 1n,
    data: new Uint8Array(0),
    inputs: [],
  };
}

function take(
  objs: ObjFile[],
  filePat: string,
  secPats: string[],
  out: OutputSection,
  used: Set<InputSection>,
): void {
  for (const o of objs) {
    if (!glob(filePat, o.name) && !glob(filePat, o.name.split('/').pop() ?? '')) continue;
    for (const is of o.sections.values()) {
      if (used.has(is) || !secPats.some((p) => glob(p, is.sec.name))) continue;
      used.add(is);
      out.inputs.push(is);
    }
  }
}

/** Assigns addresses to `out` and its inputs starting at `dot`; returns the new dot. */
function place(out: OutputSection, dot: bigint): bigint {
  for (const is of out.inputs) {
    out.align = out.align > is.sec.addralign ? out.align : is.sec.addralign || 1n;
    out.flags |= is.sec.flags & (SHF_WRITE | SHF_EXECINSTR);
    if (is.sec.type !== SHT_NOBITS) out.type = SHT_PROGBITS;
  }
  out.addr = alignUp(dot, out.align);
  let cur = out.addr;
  for (const is of out.inputs) {
    is.addr = alignUp(cur, is.sec.addralign || 1n);
    is.out = out;
    cur = is.addr + is.sec.size;
  }
  out.size = cur - out.addr;
  return cur;
}

function fill(out: OutputSection): void {
  if (out.type === SHT_NOBITS) return;
  out.data = new Uint8Array(Number(out.size));
  for (const is of out.inputs)
    if (is.sec.type !== SHT_NOBITS) out.data.set(is.sec.data, Number(is.addr - out.addr));
}

export function layoutSections(
  objs: ObjFile[],
  opts: Omit<LinkOptions, 'script'> & { script?: LinkerScript },
  scriptSymbols: Map<string, bigint>,
  symAddr: (name: string) => bigint | undefined,
  warnings: string[],
): OutputSection[] {
  const used = new Set<InputSection>();
  const outs: OutputSection[] = [];
  let dot = opts.textAddr ?? DEFAULT_TEXT_ADDR;

  const ev = (expr: string, line: number): bigint => {
    let e = expr.replace(
      /\b(\d+|0x[0-9a-fA-F]+)([KM])\b/g,
      (_, n: string, s: string) => `(${n} * ${s === 'K' ? 1024 : 1048576})`,
    );
    // ALIGN(n) is the location counter rounded up to n; innermost first.
    for (let guard = 0; /ALIGN\s*\(/.test(e) && guard < 20; guard++) {
      e = e.replace(/ALIGN\s*\(([^()]*)\)/, (_, inner: string) =>
        String(alignUp(dot, ev(inner, line))),
      );
    }
    try {
      const v = evaluate(e, {
        lookup: (n) => {
          const a = scriptSymbols.get(n) ?? symAddr(n);
          if (a === undefined) throw new ScriptError(`undefined symbol '${n}' in expression`, line);
          return { sym: null, add: a };
        },
        dot: () => ({ sym: null, add: dot }),
        difference: () => undefined,
      });
      return BigInt.asUintN(64, v.add);
    } catch (err) {
      if (err instanceof ExprError) throw new ScriptError(`${err.message} in '${expr}'`, line);
      throw err;
    }
  };

  if (opts.script) {
    for (const c of opts.script.commands) {
      if (c.kind === 'dot') {
        const v = ev(c.expr, c.line);
        if (v < dot && outs.length)
          warnings.push(`linker script line ${c.line}: location counter moves backwards`);
        dot = v;
      } else if (c.kind === 'assign') {
        if (!c.provide || symAddr(c.symbol) === undefined)
          scriptSymbols.set(c.symbol, ev(c.expr, c.line));
      } else {
        const out = newOut(c.name);
        if (c.addr) dot = ev(c.addr, c.line);
        for (const p of c.patterns)
          take(
            objs,
            p.file,
            p.sections.filter((s) => s !== 'COMMON'),
            out,
            used,
          );
        dot = place(out, dot);
        out.lma = c.lma ? ev(c.lma, c.line) : out.addr;
        outs.push(out);
      }
    }
  } else {
    for (const [name, pats] of DEFAULT_RULES) {
      const out = newOut(name);
      take(objs, '*', pats, out, used);
      if (out.inputs.length) outs.push(out);
    }
  }

  // Orphans: each remaining allocated section gets an output section of its own name, after
  // the last output section of the same kind.
  for (const o of objs) {
    for (const is of o.sections.values()) {
      if (used.has(is)) continue;
      let out = outs.find((s) => s.name === is.sec.name && !opts.script);
      if (!out) {
        out = newOut(is.sec.name);
        const cls = flagClass(is.sec);
        let at = outs.length;
        if (!opts.script) {
          const same = outs
            .map((s, i) => [s, i] as const)
            .filter(([s]) => s.inputs.length && flagClass(s.inputs[0].sec) <= cls);
          at = same.length ? same[same.length - 1][1] + 1 : 0;
        }
        outs.splice(at, 0, out);
      }
      used.add(is);
      out.inputs.push(is);
    }
  }

  if (!opts.script) {
    let prevClass = -1;
    for (const out of outs) {
      const cls = out.inputs.length ? flagClass(out.inputs[0].sec) : 1;
      if (cls === 2 && opts.dataAddr !== undefined && prevClass < 2) dot = opts.dataAddr;
      else if (cls === 3 && opts.bssAddr !== undefined && prevClass < 3) dot = opts.bssAddr;
      else if (prevClass >= 0 && cls !== prevClass && !(cls === 3 && prevClass === 2))
        dot = alignUp(dot, PAGE);
      dot = place(out, dot);
      out.lma = out.addr;
      prevClass = cls;
    }
  } else {
    for (const out of outs) {
      if (out.inputs.every((i) => i.out)) continue;
      dot = place(out, dot);
      out.lma = out.addr;
    }
  }
  outs.forEach(fill);

  const nonEmpty = outs.filter((o) => o.size > 0n).sort((x, y) => (x.addr < y.addr ? -1 : 1));
  for (let i = 1; i < nonEmpty.length; i++) {
    const a = nonEmpty[i - 1];
    const b = nonEmpty[i];
    if (a.addr + a.size > b.addr)
      throw new ScriptError(
        `output sections '${a.name}' and '${b.name}' overlap (0x${a.addr.toString(16)}+0x${a.size.toString(16)} > 0x${b.addr.toString(16)})`,
        0,
      );
  }
  return outs.filter((o) => o.inputs.length > 0 || o.size > 0n);
}
