/** gas-style `.macro` definitions and their expansion (`\arg`, `\@`, `\()`, defaults, :req, :vararg). */
import { AsmError } from './diagnostics';
import type { Stmt } from './lexer';
import { splitArgs } from './text';

export interface MacroParam {
  name: string;
  def: string;
  required: boolean;
  vararg: boolean;
}

export interface Macro {
  name: string;
  params: MacroParam[];
  body: Stmt[];
}

/** Parses `NAME a, b=1, c:req` (parameters may also be separated by blanks). */
export function parseMacroHeader(text: string): { name: string; params: MacroParam[] } {
  const m = /^([A-Za-z_.$][\w.$]*)\s*,?\s*(.*)$/.exec(text);
  if (!m) throw new AsmError('.macro needs a name');
  const params: MacroParam[] = [];
  const rest = m[2].trim();
  // Parameters: split at commas, or at blanks that are not around '='.
  const pieces = rest
    ? rest
        .replace(/\s*=\s*/g, '=')
        .split(/\s*,\s*|\s+/)
        .filter(Boolean)
    : [];
  for (const p of pieces) {
    const pm = /^([A-Za-z_][\w]*)(?::(req|vararg))?(?:=(.*))?$/.exec(p);
    if (!pm) throw new AsmError(`bad macro parameter '${p}'`);
    if (params.some((q) => q.name === pm[1]))
      throw new AsmError(`duplicate macro parameter '${pm[1]}'`);
    params.push({
      name: pm[1],
      required: pm[2] === 'req',
      vararg: pm[2] === 'vararg',
      def: pm[3] ?? '',
    });
  }
  return { name: m[1].toLowerCase(), params };
}

/** Binds invocation arguments (positional or `name=value`) to parameters. */
export function bindArgs(macro: Macro, argText: string): Map<string, string> {
  const vals = new Map<string, string>();
  let args = splitArgs(argText).map((a) => a.text);
  // gas also separates macro arguments by blanks when no commas are used.
  if (
    args.length === 1 &&
    macro.params.length > 1 &&
    /\s/.test(args[0]) &&
    !/["([]/.test(args[0])
  ) {
    args = args[0].split(/\s+/);
  }
  let pos = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*(.*)$/.exec(a);
    const named = kw ? macro.params.find((p) => p.name === kw[1]) : undefined;
    if (kw && named) {
      vals.set(named.name, kw[2]);
      continue;
    }
    const p = macro.params[pos];
    if (!p)
      throw new AsmError(
        `too many arguments for macro '${macro.name}' (takes ${macro.params.length})`,
      );
    if (p.vararg) {
      vals.set(p.name, args.slice(i).join(', '));
      break;
    }
    if (a !== '') vals.set(p.name, a);
    pos++;
  }
  for (const p of macro.params) {
    if (!vals.has(p.name)) {
      if (p.required)
        throw new AsmError(
          `missing value for required parameter '${p.name}' of macro '${macro.name}'`,
        );
      vals.set(p.name, p.def);
    }
  }
  return vals;
}

/** Replaces `\name` (known names only), `\@` and `\()` in one body line. */
export function substitute(text: string, vals: Map<string, string>, counter: number): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(\(\)|@|[A-Za-z_]\w*)/g, (all, what: string) => {
    if (what === '()') return '';
    if (what === '@') return String(counter);
    const v = vals.get(what);
    return v ?? all;
  });
}
