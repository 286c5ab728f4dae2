/** C integer constant expressions for `#if` (64-bit, C precedence, ternary). */

export class CExprError extends Error {}

const C_PREC: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '>': 7,
  '<=': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

/** Evaluates a C integer constant expression (64-bit). */
export function cExpr(src: string): bigint {
  const toks =
    src.match(
      /0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|'(?:[^'\\]|\\.)'|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%<>&|^!~?:()]|\S/g,
    ) ?? [];
  let p = 0;
  const num = (t: string): bigint => {
    if (t.startsWith("'"))
      return BigInt(
        t.length === 3
          ? t.charCodeAt(1)
          : (({ n: 10, t: 9, '0': 0 } as Record<string, number>)[t[2]] ?? t.charCodeAt(2)),
      );
    const body = t.replace(/[uUlL]+$/, '');
    if (/^0[0-7]+$/.test(body)) return BigInt('0o' + body.slice(1));
    if (!/^(0[xX][0-9a-fA-F]+|\d+)$/.test(body)) throw new CExprError(`bad token '${t}' in #if`);
    return BigInt(body);
  };
  const unary = (): bigint => {
    const t = toks[p++];
    if (t === undefined) throw new CExprError('#if with no expression');
    if (t === '(') {
      const v = ternary();
      if (toks[p++] !== ')') throw new CExprError("missing ')' in #if");
      return v;
    }
    if (t === '!') return unary() === 0n ? 1n : 0n;
    if (t === '~') return BigInt.asIntN(64, ~unary());
    if (t === '-') return BigInt.asIntN(64, -unary());
    if (t === '+') return unary();
    return num(t);
  };
  const binary = (min: number): bigint => {
    let l = unary();
    for (;;) {
      const op = toks[p];
      const prec = C_PREC[op];
      if (prec === undefined || prec < min) return l;
      p++;
      const r = binary(prec + 1);
      const b = (c: boolean) => (c ? 1n : 0n);
      switch (op) {
        case '||':
          l = b(l !== 0n || r !== 0n);
          break;
        case '&&':
          l = b(l !== 0n && r !== 0n);
          break;
        case '|':
          l = l | r;
          break;
        case '^':
          l = l ^ r;
          break;
        case '&':
          l = l & r;
          break;
        case '==':
          l = b(l === r);
          break;
        case '!=':
          l = b(l !== r);
          break;
        case '<':
          l = b(l < r);
          break;
        case '>':
          l = b(l > r);
          break;
        case '<=':
          l = b(l <= r);
          break;
        case '>=':
          l = b(l >= r);
          break;
        case '<<':
          l = r >= 64n ? 0n : l << r;
          break;
        case '>>':
          l = r >= 64n ? 0n : l >> r;
          break;
        case '+':
          l = l + r;
          break;
        case '-':
          l = l - r;
          break;
        case '*':
          l = l * r;
          break;
        case '/':
        case '%':
          if (r === 0n) throw new CExprError('division by zero in #if');
          l = op === '/' ? l / r : l % r;
          break;
      }
      l = BigInt.asIntN(64, l);
    }
  };
  const ternary = (): bigint => {
    const c = binary(1);
    if (toks[p] !== '?') return c;
    p++;
    const a = ternary();
    if (toks[p++] !== ':') throw new CExprError("missing ':' in #if");
    const b = ternary();
    return c !== 0n ? a : b;
  };
  const v = ternary();
  if (p < toks.length) throw new CExprError(`unexpected '${toks[p]}' in #if`);
  return v;
}
