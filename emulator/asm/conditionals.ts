/**
 * `.if` family (gas): `.if/.ifne/.ifeq/.ifgt/.ifge/.iflt/.ifle EXPR`, `.ifdef/.ifndef SYM`,
 * `.ifb/.ifnb TEXT`, `.ifc/.ifnc A, B`, with `.elseif`, `.else`, `.endif` and nesting.
 * Conditions inside a false branch are not evaluated (only the nesting is tracked).
 */
import { AsmError } from './diagnostics';

interface Cond {
  active: boolean;
  taken: boolean;
  elseSeen: boolean;
}

export interface CondEnv {
  /** Value of an absolute expression (throws for non-constant ones). */
  absolute(expr: string, what: string): bigint;
  isDefined(name: string): boolean;
}

export const isConditional = (word: string): boolean => /^\.if|^\.else|^\.endif$/.test(word);

export class Conditionals {
  private conds: Cond[] = [];

  /** Whether statements are currently assembled. */
  get active(): boolean {
    return this.conds.length === 0 || this.conds[this.conds.length - 1].active;
  }
  get depth(): number {
    return this.conds.length;
  }

  handle(word: string, args: string, env: CondEnv): void {
    const top = this.conds[this.conds.length - 1];
    const parentActive = !top || top.active;
    if (word === '.endif') {
      if (!top) throw new AsmError("'.endif' without '.if'");
      this.conds.pop();
      return;
    }
    if (word === '.else' || word === '.elseif') {
      if (!top) throw new AsmError(`'${word}' without '.if'`);
      if (top.elseSeen) throw new AsmError(`'${word}' after '.else'`);
      const outer = this.conds.length < 2 || this.conds[this.conds.length - 2].active;
      if (word === '.else') {
        top.elseSeen = true;
        top.active = outer && !top.taken;
      } else {
        top.active = outer && !top.taken && env.absolute(args, '.elseif condition') !== 0n;
      }
      top.taken ||= top.active;
      return;
    }
    const c = parentActive ? condition(word, args, env) : false;
    this.conds.push({ active: c, taken: c, elseSeen: false });
  }
}

function condition(word: string, args: string, env: CondEnv): boolean {
  const cmp = (): [string, string] => {
    const a = /^\s*(?:"([^"]*)"|([^,]*?))\s*,\s*(?:"([^"]*)"|(.*?))\s*$/.exec(args);
    if (!a) throw new AsmError(`'${word}' needs two comma-separated strings`);
    return [a[1] ?? a[2], a[3] ?? a[4]];
  };
  const value = () => env.absolute(args, 'condition');
  switch (word) {
    case '.if':
    case '.ifne':
      return value() !== 0n;
    case '.ifeq':
      return value() === 0n;
    case '.ifgt':
      return value() > 0n;
    case '.ifge':
      return value() >= 0n;
    case '.iflt':
      return value() < 0n;
    case '.ifle':
      return value() <= 0n;
    case '.ifdef':
      return env.isDefined(args.trim().replace(/^\$/, ''));
    case '.ifndef':
    case '.ifnotdef':
      return !env.isDefined(args.trim().replace(/^\$/, ''));
    case '.ifb':
      return args.trim() === '';
    case '.ifnb':
      return args.trim() !== '';
    case '.ifc': {
      const [a, b] = cmp();
      return a === b;
    }
    case '.ifnc': {
      const [a, b] = cmp();
      return a !== b;
    }
  }
  throw new AsmError(`unknown conditional '${word}'`);
}
