/** Assembler directives (asm-syntax.md §12) other than conditionals and macro/rept collection. */
import { utf8Decode } from '../elf/utf8';
import type { Assembler } from './assembler';
import { AsmError } from './diagnostics';
import type { Stmt } from './lexer';
import { checkSyntax, ExprError } from './expr';
import { parseMacroHeader } from './macros';
import { parseStrings, rewriteLocalRefs, splitArgs } from './text';

const DATA_WIDTH: Record<string, number> = {
  '.byte': 1,
  '.hword': 2,
  '.short': 2,
  '.half': 2,
  '.2byte': 2,
  '.uahalf': 2,
  '.word': 4,
  '.int': 4,
  '.long': 4,
  '.4byte': 4,
  '.uaword': 4,
  '.dword': 8,
  '.quad': 8,
  '.8byte': 8,
  '.uadword': 8,
  '.ptr': 16,
};

/** Accepted and ignored: debugging info, listing control, attributes. */
const IGNORED = new Set([
  '.file',
  '.ident',
  '.loc',
  '.nolist',
  '.list',
  '.title',
  '.sbttl',
  '.eject',
  '.psize',
  '.gnu_attribute',
  '.version',
  '.lflags',
  '.mptr64',
  '.align_label',
  '.stabs',
  '.stabn',
  '.stabd',
]);

/** Largest single data directive (256 MiB): keeps a typo from exhausting memory. */
const MAX_BYTES = 1n << 28n;

const isPow2 = (n: bigint) => n > 0n && (n & (n - 1n)) === 0n;

function symbolName(s: string): string {
  const n = s.trim().replace(/^\$/, '');
  if (!/^[A-Za-z_.][\w.$]*$/.test(n)) throw new AsmError(`bad symbol name '${s.trim()}'`);
  return n;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1) : t;
}

export function directive(
  a: Assembler,
  name: string,
  args: string,
  argCol: number,
  body?: Stmt[],
): void {
  if (IGNORED.has(name) || name.startsWith('.cfi_')) return;
  const width = DATA_WIDTH[name];
  if (width !== undefined) {
    for (const arg of splitArgs(args, argCol)) {
      if (!arg.text) throw new AsmError(`missing value in '${name}'`, arg.col);
      try {
        checkSyntax(arg.text);
      } catch (e) {
        if (e instanceof ExprError) throw new AsmError(e.message, arg.col + e.column);
        throw e;
      }
      a.addItem({
        kind: 'data',
        loc: a.loc,
        offset: 0,
        width,
        expr: rewriteLocalRefs(arg.text, localCountsOf(a)),
        col: arg.col,
      });
    }
    return;
  }
  switch (name) {
    case '.text':
    case '.data':
    case '.bss':
    case '.rodata':
      return a.switchSection(name);
    case '.section':
    case '.pushsection': {
      const parts = splitArgs(args);
      if (!parts.length) throw new AsmError(`${name} needs a section name`);
      if (name === '.pushsection') a.sectionStack.push([a.cur, a.prev]);
      const flags = parts[1] ? unquote(parts[1].text) : undefined;
      if (flags !== undefined && !/^[awxMSGTo?]*$/.test(flags))
        throw new AsmError(`bad section flags "${flags}"`, parts[1].col + argCol);
      return a.switchSection(unquote(parts[0].text), flags, parts[2]?.text);
    }
    case '.popsection': {
      const top = a.sectionStack.pop();
      if (!top) throw new AsmError('.popsection without .pushsection');
      [a.cur, a.prev] = top;
      return;
    }
    case '.previous':
      [a.cur, a.prev] = [a.prev, a.cur];
      return;
    case '.global':
    case '.globl':
    case '.local':
    case '.weak':
    case '.hidden':
    case '.protected':
    case '.internal':
      for (const arg of splitArgs(args, argCol)) {
        const d = a.symbol(symbolName(arg.text));
        if (name === '.local') d.global = false;
        else if (name === '.weak') [d.global, d.weak] = [true, true];
        else if (name === '.global' || name === '.globl') d.global = true;
        else d.visibility = name === '.hidden' ? 2 : name === '.protected' ? 3 : 1;
      }
      return;
    case '.type': {
      const m = /^([^,\s]+)\s*,?\s*["@%#]?(\w+)"?$/.exec(args);
      if (!m) throw new AsmError(".type needs 'symbol, @function' or 'symbol, @object'", argCol);
      const kind = m[2].toLowerCase();
      const type =
        kind === 'function' || kind === 'stt_func'
          ? 2
          : kind === 'object' || kind === 'stt_object'
            ? 1
            : kind === 'notype'
              ? 0
              : -1;
      if (type < 0) throw new AsmError(`unknown symbol type '${m[2]}'`, argCol);
      a.symbol(symbolName(m[1])).type = type;
      return;
    }
    case '.size': {
      const parts = splitArgs(args, argCol);
      if (parts.length !== 2) throw new AsmError('.size needs a symbol and an expression', argCol);
      a.symbol(symbolName(parts[0].text)).sizeExpr = {
        expr: parts[1].text,
        section: a.cur,
        itemIndex: a.cur.items.length,
        loc: a.loc,
      };
      return;
    }
    case '.set':
    case '.equ':
    case '.equiv':
    case '.eqv': {
      const parts = splitArgs(args, argCol);
      if (parts.length < 2) throw new AsmError(`${name} needs a symbol and an expression`, argCol);
      const sym = symbolName(parts[0].text);
      if (name === '.equiv' && a.symbols.get(sym) && a.symbols.get(sym)!.kind !== 'undef')
        throw new AsmError(`symbol '${sym}' is already defined`);
      a.defineEqu(
        sym,
        rewriteLocalRefs(args.slice(args.indexOf(',') + 1).trim(), localCountsOf(a)),
      );
      return;
    }
    case '.align':
    case '.balign':
    case '.p2align': {
      const parts = splitArgs(args, argCol);
      if (!parts.length) throw new AsmError(`${name} needs an alignment`, argCol);
      let n = a.absolute(parts[0].text, 'alignment');
      if (name === '.p2align') {
        if (n < 0n || n > 16n)
          throw new AsmError(`.p2align ${n} out of range (0…16)`, parts[0].col);
        n = 1n << n;
      }
      if (!isPow2(n) || n > 65536n)
        throw new AsmError(
          `alignment ${n} is not a power of two up to 65536 (.align takes a byte count on e2k)`,
          parts[0].col,
        );
      const fill = parts[1]?.text
        ? Number(BigInt.asUintN(8, a.absolute(parts[1].text, 'fill value')))
        : 0;
      const max = parts[2]?.text ? Number(a.absolute(parts[2].text, 'maximum skip')) : Number(n);
      a.cur.align = Math.max(a.cur.align, Number(n));
      const pad = (Number(n) - (a.cur.size % Number(n))) % Number(n);
      a.addItem({
        kind: 'align',
        loc: a.loc,
        offset: 0,
        align: Number(n),
        fill,
        max,
        size: pad <= max ? pad : 0,
        org: -1,
      });
      return;
    }
    case '.org': {
      // `.org EXPR[, FILL]`: EXPR is an offset in the current section (a number, `.`-based
      // or a label of this section).
      const parts = splitArgs(args, argCol);
      if (!parts.length) throw new AsmError('.org needs an offset', argCol);
      const v = a.eval(parts[0].text);
      const base =
        v.sym === null
          ? 0n
          : a.locate(v.sym)?.section === a.cur
            ? a.locate(v.sym)!.offset
            : undefined;
      if (base === undefined)
        throw new AsmError(`.org needs an offset in section '${a.cur.name}'`, parts[0].col);
      const target = base + v.add;
      if (target < 0n || target > MAX_BYTES)
        throw new AsmError(`.org offset ${target} out of range`, parts[0].col);
      if (target < BigInt(a.cur.size))
        throw new AsmError(
          `'.org 0x${target.toString(16)}' would move backwards (already at 0x${a.cur.size.toString(16)})`,
          parts[0].col,
        );
      const fill = parts[1]?.text
        ? Number(BigInt.asUintN(8, a.absolute(parts[1].text, 'fill value')))
        : 0;
      a.addItem({
        kind: 'align',
        loc: a.loc,
        offset: 0,
        align: 1,
        fill,
        max: Infinity,
        size: Number(target) - a.cur.size,
        org: Number(target),
      });
      return;
    }
    case '.ascii':
    case '.asciz':
    case '.string': {
      // Juxtaposed strings concatenate; comma-separated ones are terminated separately (.asciz).
      const bytes: number[] = [];
      for (const p of splitArgs(args, argCol)) {
        try {
          bytes.push(...parseStrings(p.text));
        } catch (e) {
          throw e instanceof AsmError ? new AsmError(e.message, p.col + (e.column ?? 0)) : e;
        }
        if (name !== '.ascii') bytes.push(0);
      }
      return addBytes(a, Uint8Array.from(bytes));
    }
    case '.fill': {
      const p = splitArgs(args, argCol);
      if (!p.length) throw new AsmError('.fill needs a repeat count', argCol);
      const count = a.absolute(p[0].text, '.fill count');
      const size = p[1]?.text ? a.absolute(p[1].text, '.fill size') : 1n;
      const value = p[2]?.text ? a.absolute(p[2].text, '.fill value') : 0n;
      if (count < 0n || count > 1n << 28n)
        throw new AsmError(`.fill count ${count} out of range`, p[0].col);
      if (size < 0n) throw new AsmError(`.fill size ${size} is negative`, p[1].col);
      if (count * size > MAX_BYTES)
        throw new AsmError(`.fill of ${count * size} bytes is too large`, p[0].col);
      const sz = Number(size > 8n ? 8n : size);
      if (value === 0n || sz === 0) return zeros(a, Number(count) * Number(size));
      const out = new Uint8Array(Number(count) * Number(size));
      for (let i = 0; i < Number(count); i++)
        for (let b = 0; b < sz; b++)
          out[i * Number(size) + b] = Number((BigInt.asUintN(64, value) >> BigInt(8 * b)) & 0xffn);
      return addBytes(a, out);
    }
    case '.skip':
    case '.space':
    case '.zero': {
      const p = splitArgs(args, argCol);
      if (!p.length) throw new AsmError(`${name} needs a size`, argCol);
      const n = a.absolute(p[0].text, `${name} size`);
      if (n < 0n || n > MAX_BYTES)
        throw new AsmError(`${name} size ${n} out of range (0…${MAX_BYTES})`, p[0].col);
      const v = p[1]?.text && name !== '.zero' ? a.absolute(p[1].text, 'fill value') : 0n;
      if (v === 0n) return zeros(a, Number(n));
      return addBytes(a, new Uint8Array(Number(n)).fill(Number(BigInt.asUintN(8, v))));
    }
    case '.comm':
    case '.lcomm': {
      const p = splitArgs(args, argCol);
      if (p.length < 2) throw new AsmError(`${name} needs a symbol and a size`, argCol);
      const sym = symbolName(p[0].text);
      const size = a.absolute(p[1].text, `${name} size`);
      const align = p[2] ? a.absolute(p[2].text, `${name} alignment`) : 8n;
      if (!isPow2(align))
        throw new AsmError(`${name} alignment ${align} is not a power of two`, p[2].col);
      const [cur, prev] = [a.cur, a.prev];
      a.switchSection('.bss');
      directive(a, '.balign', String(align), 0);
      a.defineLabel(sym);
      if (name === '.comm') a.symbol(sym).global = true;
      a.symbol(sym).type = 1;
      a.symbol(sym).sizeExpr = { expr: String(size), section: a.cur, itemIndex: 0, loc: a.loc };
      zeros(a, Number(size));
      [a.cur, a.prev] = [cur, prev];
      return;
    }
    case '.reg': {
      const m = /^%(?:d|x|q|qp)?(?:r(\d+)|[br]\[(\d+)\]|g(\d+))$/.exec(args.trim());
      if (!m)
        throw new AsmError(
          `.reg needs a register such as %r5, %b[3] or %g2, not '${args}'`,
          argCol,
        );
      const code =
        m[1] !== undefined
          ? Number(m[1])
          : m[2] !== undefined
            ? 0x80 + Number(m[2])
            : 0xe0 + Number(m[3]);
      if (
        (m[1] !== undefined && Number(m[1]) > 63) ||
        (m[2] !== undefined && Number(m[2]) > 127) ||
        (m[3] !== undefined && Number(m[3]) > 31)
      )
        throw new AsmError(`register '${args}' out of range`, argCol);
      return addBytes(a, Uint8Array.of(code));
    }
    case '.include': {
      const file = unquote(args);
      if (!file) throw new AsmError('.include needs a file name', argCol);
      const found = findInclude(a, file);
      if (!found) throw new AsmError(`cannot find include file '${file}'`, argCol);
      a.include(found.path, found.text);
      return;
    }
    case '.macro': {
      const h = parseMacroHeader(args);
      if (a.macros.has(h.name)) throw new AsmError(`macro '${h.name}' is already defined`);
      a.macros.set(h.name, { ...h, body: body ?? [] });
      return;
    }
    case '.purgem':
      if (!a.macros.delete(args.trim().toLowerCase()))
        throw new AsmError(`macro '${args.trim()}' is not defined`, argCol);
      return;
    case '.ignore':
    case '.accept': {
      const what = args.trim();
      if (what !== 'ld_st_style' && what !== 'strict_delay')
        throw new AsmError(`${name} takes 'ld_st_style' or 'strict_delay', not '${what}'`, argCol);
      if (what === 'strict_delay') a.strictDelay = name === '.accept';
      else a.valueLastStores = name === '.ignore';
      return;
    }
    case '.error':
    case '.err':
      throw new AsmError(args ? unquoteMessage(args) : '.error directive invoked in source file');
    case '.warning':
      a.warning(args ? unquoteMessage(args) : '.warning directive invoked in source file');
      return;
    case '.print':
      return;
    case '.end':
      a.stopped = true;
      return;
    case '.label':
      // gas's "internal label": allowed inside a bundle; it names the bundle's address.
      a.defineLabel(symbolName(args), true);
      return;
  }
  throw new AsmError(`unknown directive '${name}'`);
}

function unquoteMessage(s: string): string {
  try {
    return utf8Decode(parseStrings(s));
  } catch {
    return s;
  }
}

function localCountsOf(a: Assembler): Map<string, number> {
  return a.localCounts;
}

function addBytes(a: Assembler, data: Uint8Array): void {
  if (a.cur.nobits && data.some((b) => b !== 0))
    throw new AsmError(`non-zero data in NOBITS section '${a.cur.name}'`);
  a.addItem({ kind: 'bytes', loc: a.loc, offset: 0, data });
}

function zeros(a: Assembler, size: number): void {
  if (size > 0) a.addItem({ kind: 'zero', loc: a.loc, offset: 0, size });
}

function findInclude(a: Assembler, file: string): { path: string; text: string } | undefined {
  const read = a.opts.readFile;
  if (!read) return undefined;
  const dirOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  const join = (d: string, f: string) => (d ? `${d}/${f}` : f);
  const candidates = file.startsWith('/')
    ? [file]
    : [
        join(dirOf(a.loc.file), file),
        ...(a.opts.includeDirs ?? []).map((d) => join(d, file)),
        file,
      ];
  for (const c of candidates) {
    const text = read(c);
    if (text !== undefined) return { path: c, text };
  }
  return undefined;
}
