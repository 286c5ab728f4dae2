/**
 * gas-style expression evaluation. A value is either absolute or "symbol + addend"
 * (relocatable). Precedence follows the gas manual ("Infix Operators"):
 *   highest  * / % << >>
 *            | & ^ !
 *            + - == != <> < > <= >=      (comparisons give -1 for true, 0 for false)
 *   lowest   && ||
 * Round and square brackets both group (asm-syntax.md §2).
 */

export type Value = { sym: null; add: bigint } | { sym: string; add: bigint };

export class ExprError extends Error {
  constructor(
    message: string,
    /** 0-based column inside the expression text. */
    public readonly column: number,
  ) {
    super(message);
    this.name = 'ExprError';
  }
}

export interface ExprEnv {
  /** Value of a symbol; `undefined` = not defined (yet): treated as an external symbol. */
  lookup(name: string): Value | undefined;
  /** Value of `.` (relocatable: section name + offset). */
  dot(): Value;
  /**
   * Difference of two relocatable values with different symbols, if both are defined in the
   * same section (then it is absolute); otherwise undefined.
   */
  difference(a: string, b: string): bigint | undefined;
}

const SYM_START = /[A-Za-z_.$]/;
const SYM_CHAR = /[\w.$]/;

interface Tok {
  t: 'num' | 'sym' | 'op' | 'end';
  v: string;
  n?: bigint;
  col: number;
}

export function parseNumber(text: string): bigint | undefined {
  const m =
    /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU]?)$/.exec(
      text,
    );
  if (!m) return undefined;
  const body = m[1];
  if (/^0[xXbB]/.test(body)) return BigInt(body);
  if (body.length > 1 && body[0] === '0') return BigInt('0o' + body.slice(1));
  return BigInt(body);
}

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const col = i;
    if (/[0-9]/.test(c)) {
      let j = i;
      while (j < src.length && /[0-9a-zA-Z]/.test(src[j])) j++;
      const text = src.slice(i, j);
      const n = parseNumber(text);
      if (n === undefined) throw new ExprError(`bad number '${text}'`, col);
      out.push({ t: 'num', v: text, n, col });
      i = j;
    } else if (SYM_START.test(c)) {
      let j = i + 1;
      while (j < src.length && SYM_CHAR.test(src[j])) j++;
      let name = src.slice(i, j);
      if (name === '.') {
        out.push({ t: 'sym', v: '.', col });
      } else {
        if (name[0] === '$') name = name.slice(1); // LAS compatibility: a leading $ is dropped
        if (!name) throw new ExprError(`bad symbol name '$'`, col);
        out.push({ t: 'sym', v: name, col });
      }
      i = j;
    } else if (c === "'") {
      // gas character constant: 'c (an optional closing quote is accepted too)
      let ch = src[i + 1];
      let j = i + 2;
      if (ch === undefined) throw new ExprError('character constant without a character', col);
      if (ch === '\\') {
        const e = src[i + 2];
        ch = e === 'n' ? '\n' : e === 't' ? '\t' : e === '0' ? '\0' : e === 'r' ? '\r' : e;
        j = i + 3;
        if (ch === undefined) throw new ExprError('unterminated character constant', col);
      }
      if (src[j] === "'") j++;
      out.push({ t: 'num', v: src.slice(i, j), n: BigInt(ch.charCodeAt(0)), col });
      i = j;
    } else {
      const two = src.slice(i, i + 2);
      if (['<<', '>>', '==', '!=', '<>', '<=', '>=', '&&', '||'].includes(two)) {
        out.push({ t: 'op', v: two, col });
        i += 2;
      } else if ('+-*/%|&^!~<>()[]'.includes(c)) {
        out.push({ t: 'op', v: c, col });
        i++;
      } else {
        throw new ExprError(`unexpected character '${c}' in expression`, col);
      }
    }
  }
  out.push({ t: 'end', v: '', col: src.length });
  return out;
}

const BINARY_PREC: Record<string, number> = {
  '*': 4,
  '/': 4,
  '%': 4,
  '<<': 4,
  '>>': 4,
  '|': 3,
  '&': 3,
  '^': 3,
  '!': 3,
  '+': 2,
  '-': 2,
  '==': 2,
  '!=': 2,
  '<>': 2,
  '<': 2,
  '>': 2,
  '<=': 2,
  '>=': 2,
  '&&': 1,
  '||': 1,
};

const abs = (v: bigint): Value => ({ sym: null, add: BigInt.asIntN(64, v) });

/** Evaluates a complete expression; throws ExprError for syntax or relocatability errors. */
const PLAIN_NUMBER = /^\s*(0[xX][0-9a-fA-F]+|[1-9][0-9]*|0)\s*$/;
const PLAIN_SYMBOL = /^\s*([A-Za-z_.][\w.$]*)\s*$/;

export function evaluate(src: string, env: ExprEnv): Value {
  // Fast paths for the most common operands: a plain number or a plain symbol.
  let m = PLAIN_NUMBER.exec(src);
  if (m) return abs(BigInt(m[1]));
  m = PLAIN_SYMBOL.exec(src);
  if (m) return m[1] === '.' ? env.dot() : (env.lookup(m[1]) ?? { sym: m[1], add: 0n });
  return evaluateFull(src, env);
}

function evaluateFull(src: string, env: ExprEnv): Value {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];

  const primary = (): Value => {
    const t = toks[p++];
    if (t.t === 'num') return abs(t.n!);
    if (t.t === 'sym') {
      if (t.v === '.') return env.dot();
      return env.lookup(t.v) ?? { sym: t.v, add: 0n };
    }
    if (t.t === 'op' && (t.v === '(' || t.v === '[')) {
      const v = binary(1);
      const close = t.v === '(' ? ')' : ']';
      if (peek().v !== close) throw new ExprError(`missing '${close}'`, peek().col);
      p++;
      return v;
    }
    if (t.t === 'op' && (t.v === '-' || t.v === '~' || t.v === '!' || t.v === '+')) {
      const v = primary();
      if (t.v === '+') return v;
      if (v.sym !== null)
        throw new ExprError(`operator '${t.v}' cannot be applied to symbol '${v.sym}'`, t.col);
      return abs(t.v === '-' ? -v.add : t.v === '~' ? ~v.add : v.add === 0n ? 1n : 0n);
    }
    if (t.t === 'end') throw new ExprError('missing operand', t.col);
    throw new ExprError(`unexpected '${t.v}'`, t.col);
  };

  const binary = (minPrec: number): Value => {
    let left = primary();
    for (;;) {
      const t = peek();
      const prec = t.t === 'op' ? BINARY_PREC[t.v] : undefined;
      if (prec === undefined || prec < minPrec) return left;
      p++;
      const right = binary(prec + 1);
      left = apply(t, left, right, env);
    }
  };

  const v = binary(1);
  if (peek().t !== 'end')
    throw new ExprError(`unexpected '${peek().v}' after expression`, peek().col);
  return v;
}

function apply(t: Tok, a: Value, b: Value, env: ExprEnv): Value {
  const op = t.v;
  if (op === '+') {
    if (a.sym !== null && b.sym !== null)
      throw new ExprError(`cannot add two symbols ('${a.sym}' + '${b.sym}')`, t.col);
    return a.sym !== null
      ? { sym: a.sym, add: BigInt.asIntN(64, a.add + b.add) }
      : b.sym !== null
        ? { sym: b.sym, add: BigInt.asIntN(64, a.add + b.add) }
        : abs(a.add + b.add);
  }
  if (op === '-') {
    if (b.sym === null)
      return a.sym === null
        ? abs(a.add - b.add)
        : { sym: a.sym, add: BigInt.asIntN(64, a.add - b.add) };
    if (a.sym === null)
      throw new ExprError(`cannot subtract symbol '${b.sym}' from a number`, t.col);
    if (a.sym === b.sym) return abs(a.add - b.add);
    const d = env.difference(a.sym, b.sym);
    if (d === undefined)
      throw new ExprError(
        `'${a.sym}' - '${b.sym}' is not a constant (symbols in different sections or undefined)`,
        t.col,
      );
    return abs(d + a.add - b.add);
  }
  if (a.sym !== null || b.sym !== null) {
    // Comparisons of symbols in one section reduce to a difference.
    if (['==', '!=', '<>', '<', '>', '<=', '>='].includes(op) && a.sym !== null && b.sym !== null) {
      const d = a.sym === b.sym ? 0n : env.difference(a.sym, b.sym);
      if (d !== undefined) return apply(t, abs(d + a.add), abs(b.add), env);
    }
    throw new ExprError(
      `operator '${op}' needs absolute operands, not symbol '${(a.sym ?? b.sym) as string}'`,
      t.col,
    );
  }
  const x = a.add;
  const y = b.add;
  const bool = (c: boolean) => abs(c ? -1n : 0n);
  switch (op) {
    case '*':
      return abs(x * y);
    case '/':
    case '%':
      if (y === 0n) throw new ExprError('division by zero', t.col);
      return abs(op === '/' ? x / y : x % y);
    case '<<':
      return abs(y >= 64n || y < 0n ? 0n : x << y);
    case '>>':
      return abs(y >= 64n || y < 0n ? 0n : BigInt.asUintN(64, x) >> y);
    case '|':
      return abs(x | y);
    case '&':
      return abs(x & y);
    case '^':
      return abs(x ^ y);
    case '!':
      return abs(x | ~y);
    case '==':
      return bool(x === y);
    case '!=':
    case '<>':
      return bool(x !== y);
    case '<':
      return bool(x < y);
    case '>':
      return bool(x > y);
    case '<=':
      return bool(x <= y);
    case '>=':
      return bool(x >= y);
    case '&&':
      return abs(x !== 0n && y !== 0n ? 1n : 0n);
    case '||':
      return abs(x !== 0n || y !== 0n ? 1n : 0n);
  }
  throw new ExprError(`unknown operator '${op}'`, t.col);
}

/** Reports syntax errors now (first pass) without needing symbol values; returns nothing. */
export function checkSyntax(src: string): void {
  try {
    evaluate(src, {
      lookup: () => ({ sym: null, add: 1n }),
      dot: () => ({ sym: null, add: 0n }),
      difference: () => 0n,
    });
  } catch (e) {
    if (e instanceof ExprError && e.message !== 'division by zero') throw e;
  }
}
