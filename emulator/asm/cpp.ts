/**
 * A C preprocessor for `.S` files, as the MCST driver runs before gas (asm-syntax.md §1):
 * backslash-newline splicing, comment removal, #include "…"/<…>, object- and function-like
 * #define with # and ##, #undef, #if/#ifdef/#ifndef/#elif/#else/#endif with `defined` and C
 * arithmetic, #error/#warning, __FILE__/__LINE__. The output carries `# N "file"` markers so
 * the assembler reports original locations. Function-like macro calls must fit on one
 * (spliced) line.
 */
import type { Diagnostic } from './diagnostics';
import { cExpr, CExprError } from './cexpr';
import type { SrcLoc } from './lexer';

interface Macro {
  params: string[] | null;
  body: string;
  variadic: boolean;
}

export interface CppOptions {
  readFile?: (path: string) => string | undefined;
  includeDirs?: string[];
  /** Predefined macros (NAME → replacement text). */
  defines?: Record<string, string>;
}

export interface CppResult {
  text: string;
  diagnostics: Diagnostic[];
}

const IDENT = /[A-Za-z_]\w*/y;

class CppError extends Error {}

export { cExpr };

export function preprocess(source: string, file: string, opts: CppOptions = {}): CppResult {
  const macros = new Map<string, Macro>();
  for (const [k, v] of Object.entries(opts.defines ?? {}))
    macros.set(k, { params: null, body: v, variadic: false });
  const out: string[] = [];
  const diagnostics: Diagnostic[] = [];
  let depth = 0;

  const run = (src: string, name: string): void => {
    if (depth >= 64) throw new CppError('#include nested too deeply');
    depth++;
    const lines = stripComments(src).split('\n');
    const conds: { active: boolean; taken: boolean; else: boolean }[] = [];
    const active = () => conds.every((c) => c.active);
    out.push(`# 1 "${name}"`);
    let lineNo = 0;
    for (let i = 0; i < lines.length; i++) {
      lineNo = i + 1;
      let line = lines[i];
      // Splice backslash-newline continuations (the continuation lines still count).
      let extra = 0;
      while (line.endsWith('\\') && i + 1 < lines.length) {
        line = line.slice(0, -1) + lines[++i];
        extra++;
      }
      const loc: SrcLoc = { file: name, line: lineNo, col: 0, lineText: line };
      try {
        const d = /^\s*#\s*([a-z_]*)\s*(.*)$/.exec(line);
        if (d && !/^\s*#\s*\d/.test(line)) {
          const [, dir, rest] = d;
          if (['if', 'ifdef', 'ifndef'].includes(dir)) {
            const c =
              active() &&
              (dir === 'if'
                ? evalCond(rest, macros, name, lineNo)
                : macros.has(rest.trim().split(/\s/)[0]) === (dir === 'ifdef'));
            conds.push({ active: c, taken: c, else: false });
          } else if (dir === 'elif' || dir === 'else') {
            const top = conds[conds.length - 1];
            if (!top) throw new CppError(`#${dir} without #if`);
            if (top.else) throw new CppError(`#${dir} after #else`);
            const outer = conds.slice(0, -1).every((c) => c.active);
            top.active =
              outer && !top.taken && (dir === 'else' || evalCond(rest, macros, name, lineNo));
            top.taken ||= top.active;
            top.else = dir === 'else';
          } else if (dir === 'endif') {
            if (!conds.pop()) throw new CppError('#endif without #if');
          } else if (!active()) {
            // skipped
          } else if (dir === 'define') {
            define(rest, macros);
          } else if (dir === 'undef') {
            macros.delete(rest.trim());
          } else if (dir === 'include') {
            const m = /^(?:"([^"]+)"|<([^>]+)>)/.exec(
              expand(rest.trim(), macros, name, lineNo).trim(),
            );
            if (!m) throw new CppError('#include expects "FILE" or <FILE>');
            const target = m[1] ?? m[2];
            const found = findInclude(target, name, m[1] !== undefined, opts);
            if (!found) throw new CppError(`cannot find include file '${target}'`);
            run(found.text, found.path);
            out.push(`# ${lineNo + extra + 1} "${name}"`);
            continue;
          } else if (dir === 'error') {
            throw new CppError(`#error ${rest}`);
          } else if (dir === 'warning') {
            diagnostics.push({ severity: 'warning', message: `#warning ${rest}`, loc });
          } else if (dir !== 'pragma' && dir !== 'ident' && dir !== 'line' && dir !== '') {
            throw new CppError(`invalid preprocessing directive #${dir}`);
          }
          out.push('');
        } else {
          out.push(active() ? expand(line, macros, name, lineNo) : '');
        }
      } catch (e) {
        if (!(e instanceof CppError)) throw e;
        diagnostics.push({ severity: 'error', message: e.message, loc });
        out.push('');
      }
      // Keep line numbers in step after spliced lines.
      for (let k = 0; k < extra; k++) out.push('');
    }
    if (conds.length)
      diagnostics.push({
        severity: 'error',
        message: 'unterminated #if',
        loc: { file: name, line: lineNo, col: 0, lineText: '' },
      });
    depth--;
  };

  try {
    run(source, file);
  } catch (e) {
    if (!(e instanceof CppError)) throw e;
    diagnostics.push({
      severity: 'error',
      message: e.message,
      loc: { file, line: 1, col: 0, lineText: '' },
    });
  }
  return { text: out.join('\n') + '\n', diagnostics };
}

function findInclude(
  target: string,
  from: string,
  quoted: boolean,
  opts: CppOptions,
): { path: string; text: string } | undefined {
  if (!opts.readFile) return undefined;
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/')) : '';
  const cands = target.startsWith('/')
    ? [target]
    : [
        ...(quoted ? [dir ? `${dir}/${target}` : target] : []),
        ...(opts.includeDirs ?? []).map((d) => `${d}/${target}`),
      ];
  for (const c of cands) {
    const text = opts.readFile(c);
    if (text !== undefined) return { path: c, text };
  }
  return undefined;
}

/** Removes C comments (keeping newlines) outside string literals. */
function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"' && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && src[i + 1] === '*') {
      const e = src.indexOf('*/', i + 2);
      const body = src.slice(i, e < 0 ? src.length : e + 2);
      out += ' ' + body.replace(/[^\n]/g, '');
      i = e < 0 ? src.length : e + 2;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function define(rest: string, macros: Map<string, Macro>): void {
  const m = /^([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$/.exec(rest);
  if (!m) throw new CppError('macro names must be identifiers');
  let params: string[] | null = null;
  let variadic = false;
  if (m[2] !== undefined) {
    params = m[3]
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    if (params[params.length - 1] === '...') {
      variadic = true;
      params[params.length - 1] = '__VA_ARGS__';
    }
    for (const p of params)
      if (!/^[A-Za-z_]\w*$/.test(p)) throw new CppError(`bad macro parameter '${p}'`);
  }
  macros.set(m[1], { params, body: m[4].trim(), variadic });
}

/** Splits `(a, (b, c), "d,e")` starting at `open` (index of '('); returns args and end index. */
function readArgs(s: string, open: number): { args: string[]; end: number } | null {
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      cur += s.slice(i, j + 1);
      i = j;
    } else if (c === '(') {
      depth++;
      cur += c;
    } else if (c === ')' && depth > 0) {
      depth--;
      cur += c;
    } else if (c === ')') {
      args.push(cur.trim());
      return { args, end: i + 1 };
    } else if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  return null;
}

/** Macro-expands one line. `hide` holds macros being expanded (no recursion). */
function expand(
  s: string,
  macros: Map<string, Macro>,
  file: string,
  line: number,
  hide: Set<string> = new Set(),
): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    // An identifier starts here unless we are inside a word or a number (pp-number rule).
    IDENT.lastIndex = i;
    const m = /[A-Za-z_]/.test(c) && (i === 0 || !/[\w$]/.test(s[i - 1])) ? IDENT.exec(s) : null;
    if (!m) {
      out += c;
      i++;
      continue;
    }
    const name = m[0];
    i += name.length;
    if (name === '__FILE__') {
      out += JSON.stringify(file);
      continue;
    }
    if (name === '__LINE__') {
      out += String(line);
      continue;
    }
    const mac = macros.get(name);
    if (!mac || hide.has(name)) {
      out += name;
      continue;
    }
    if (mac.params === null) {
      out += expand(mac.body, macros, file, line, new Set([...hide, name]));
      continue;
    }
    let j = i;
    while (s[j] === ' ' || s[j] === '\t') j++;
    if (s[j] !== '(') {
      out += name;
      continue;
    }
    const r = readArgs(s, j);
    if (!r) throw new CppError(`unterminated argument list invoking macro '${name}'`);
    let args = r.args;
    if (args.length === 1 && args[0] === '' && mac.params.length === 0) args = [];
    if (mac.variadic && args.length >= mac.params.length)
      args = [
        ...args.slice(0, mac.params.length - 1),
        args.slice(mac.params.length - 1).join(', '),
      ];
    if (mac.variadic && args.length === mac.params.length - 1) args.push('');
    if (args.length !== mac.params.length)
      throw new CppError(
        `macro '${name}' requires ${mac.params.length} arguments, but ${args.length} given`,
      );
    out += expand(
      substituteParams(mac, args, macros, file, line, hide),
      macros,
      file,
      line,
      new Set([...hide, name]),
    );
    i = r.end;
  }
  return out;
}

function substituteParams(
  mac: Macro,
  args: string[],
  macros: Map<string, Macro>,
  file: string,
  line: number,
  hide: Set<string>,
): string {
  const idx = new Map(mac.params!.map((p, k) => [p, k]));
  const body = mac.body;
  // Tokens: identifiers, #, ##, strings, other characters.
  const toks = body.match(/"(?:[^"\\]|\\.)*"|##|#|[A-Za-z_]\w*|\s+|./g) ?? [];
  const res: { text: string; raw: boolean }[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k];
    if (t === '#' && k + 1 < toks.length) {
      let n = k + 1;
      while (/^\s+$/.test(toks[n] ?? '')) n++;
      if (idx.has(toks[n])) {
        res.push({ text: JSON.stringify(args[idx.get(toks[n])!]), raw: true });
        k = n;
        continue;
      }
    }
    if (idx.has(t)) {
      const prevPaste = lastNonSpace(toks, k - 1) === '##';
      const nextPaste = nextNonSpace(toks, k + 1) === '##';
      const a = args[idx.get(t)!];
      res.push({
        text: prevPaste || nextPaste ? a : expand(a, macros, file, line, hide),
        raw: true,
      });
      continue;
    }
    res.push({ text: t, raw: false });
  }
  // Token pasting: drop `##` and the blanks around it.
  return res
    .map((r) => r.text)
    .join('')
    .replace(/\s*##\s*/g, '');
}

const lastNonSpace = (t: string[], k: number) => {
  while (k >= 0 && /^\s+$/.test(t[k])) k--;
  return t[k];
};
const nextNonSpace = (t: string[], k: number) => {
  while (k < t.length && /^\s+$/.test(t[k])) k++;
  return t[k];
};

/** #if: `defined`, macro expansion, remaining identifiers = 0, C precedence. */
function evalCond(expr: string, macros: Map<string, Macro>, file: string, line: number): boolean {
  const withDefined = expr.replace(
    /\bdefined\s*(?:\(\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*))/g,
    (_, a?: string, b?: string) => (macros.has((a ?? b)!) ? '1' : '0'),
  );
  const e = expand(withDefined, macros, file, line).replace(/[A-Za-z_]\w*/g, (id) =>
    /^\d/.test(id) ? id : '0',
  );
  try {
    return cExpr(e) !== 0n;
  } catch (err) {
    if (err instanceof CExprError) throw new CppError(err.message);
    throw err;
  }
}
