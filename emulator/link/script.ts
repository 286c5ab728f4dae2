/**
 * A small subset of GNU ld linker scripts, enough for firmware and kernels at fixed
 * addresses:
 *
 *   ENTRY(_start)
 *   SECTIONS {
 *     . = 0x10000;
 *     .text : { *(.text*) }
 *     . = ALIGN(0x1000);
 *     .data 0x200000 : AT(0x8000) { *(.data .data.*) }
 *     .bss : { *(.bss*) *(COMMON) }
 *     _end = .;
 *   }
 *
 * Commands: ENTRY(sym), `. = expr;`, `sym = expr;` / PROVIDE(sym = expr);, output sections
 * `NAME [addr] : [AT(lma)] { [file](patterns) KEEP(...) }`. Expressions: numbers (K/M
 * suffixes), `.`, symbols, ALIGN(n), + - * / % & | << >> and parentheses.
 */
export class ScriptError extends Error {
  constructor(
    message: string,
    public readonly line: number,
  ) {
    super(line > 0 ? `linker script line ${line}: ${message}` : message);
    this.name = 'ScriptError';
  }
}

export interface InputPattern {
  /** Glob on the object file name ('*' = any). */
  file: string;
  /** Globs on input section names. */
  sections: string[];
}

export type ScriptCommand =
  | { kind: 'dot'; expr: string; line: number }
  | { kind: 'assign'; symbol: string; expr: string; provide: boolean; line: number }
  | {
      kind: 'section';
      name: string;
      addr?: string;
      lma?: string;
      patterns: InputPattern[];
      line: number;
    };

export interface LinkerScript {
  entry?: string;
  commands: ScriptCommand[];
}

interface Tok {
  v: string;
  line: number;
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') line++;
    if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith('/*', i)) {
      const e = src.indexOf('*/', i + 2);
      if (e < 0) throw new ScriptError('unterminated comment', line);
      line += (src.slice(i, e).match(/\n/g) ?? []).length;
      i = e + 2;
    } else if (/[{}();:=,]/.test(c)) {
      out.push({ v: c, line });
      i++;
    } else {
      // A word: names, globs, numbers and operator runs are all taken whole; expressions are
      // re-joined by the parser and evaluated later.
      let j = i;
      while (j < src.length && !/[\s{}();:=,]/.test(src[j]) && !src.startsWith('/*', j)) j++;
      out.push({ v: src.slice(i, j), line });
      i = j;
    }
  }
  return out;
}

export function parseScript(src: string): LinkerScript {
  const t = tokenize(src);
  let p = 0;
  const script: LinkerScript = { commands: [] };
  const lineNo = () => (t[p] ?? t[t.length - 1])?.line ?? 1;
  const expect = (v: string) => {
    if (t[p]?.v !== v)
      throw new ScriptError(`expected '${v}' but found '${t[p]?.v ?? 'end of file'}'`, lineNo());
    p++;
  };
  /** Collects an expression up to `;` (or an unbalanced `)`), keeping nested parentheses. */
  const expr = (stops: string[]): string => {
    let depth = 0;
    const parts: string[] = [];
    while (p < t.length) {
      const v = t[p].v;
      if (depth === 0 && stops.includes(v)) break;
      if (v === '(') depth++;
      if (v === ')') {
        if (depth === 0) break;
        depth--;
      }
      parts.push(v);
      p++;
    }
    if (!parts.length) throw new ScriptError('missing expression', lineNo());
    return parts.join(' ');
  };

  while (p < t.length) {
    const w = t[p].v;
    if (w === 'ENTRY') {
      p++;
      expect('(');
      script.entry = t[p++]?.v;
      expect(')');
      if (t[p]?.v === ';') p++;
    } else if (w === 'SECTIONS') {
      p++;
      expect('{');
      while (p < t.length && t[p].v !== '}') parseSectionsItem();
      expect('}');
    } else if (w === 'OUTPUT_ARCH' || w === 'OUTPUT_FORMAT' || w === 'SEARCH_DIR') {
      p++;
      expect('(');
      expr([]);
      expect(')');
      if (t[p]?.v === ';') p++;
    } else if (w === ';') {
      p++;
    } else {
      parseAssignment(false);
    }
  }
  return script;

  function parseAssignment(_inSections: boolean): void {
    const line = lineNo();
    let provide = false;
    if (t[p].v === 'PROVIDE' || t[p].v === 'PROVIDE_HIDDEN') {
      provide = true;
      p++;
      expect('(');
    }
    const name = t[p++].v;
    expect('=');
    const e = expr([';']);
    if (provide) expect(')');
    if (t[p]?.v === ';') p++;
    else throw new ScriptError(`missing ';' after assignment to '${name}'`, line);
    script.commands.push(
      name === '.'
        ? { kind: 'dot', expr: e, line }
        : { kind: 'assign', symbol: name, expr: e, provide, line },
    );
  }

  function parseSectionsItem(): void {
    if (t[p].v === ';') {
      p++;
      return;
    }
    if (t[p + 1]?.v === '=' || t[p].v.startsWith('PROVIDE')) return parseAssignment(true);
    const line = lineNo();
    const name = t[p++].v;
    let addr: string | undefined;
    if (t[p]?.v !== ':') addr = expr([':']);
    expect(':');
    let lma: string | undefined;
    if (t[p]?.v === 'AT') {
      p++;
      expect('(');
      lma = expr([]);
      expect(')');
    }
    expect('{');
    const patterns: InputPattern[] = [];
    while (p < t.length && t[p].v !== '}') {
      let keep = false;
      if (t[p].v === 'KEEP') {
        keep = true;
        p++;
        expect('(');
      }
      const file = t[p++].v;
      if (t[p]?.v !== '(')
        throw new ScriptError(`expected '(' after '${file}' in output section '${name}'`, lineNo());
      p++;
      const secs: string[] = [];
      while (p < t.length && t[p].v !== ')') secs.push(t[p++].v);
      expect(')');
      if (keep) expect(')');
      if (t[p]?.v === ';') p++;
      patterns.push({ file, sections: secs });
    }
    expect('}');
    script.commands.push({ kind: 'section', name, addr, lma, patterns, line });
  }
}

/** Glob match with `*` and `?`. */
export function glob(pattern: string, s: string): boolean {
  const re = new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return re.test(s);
}
