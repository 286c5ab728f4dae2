/**
 * ALU operand values: registers, short immediates, literals (constant or symbolic) and the
 * gas address-sum rules for loads/stores (asm-syntax.md §6).
 */
import type { BundleContext } from '../bundle-api';
import { BundleError } from '../bundle-api';
import type { LiteralSpec } from './syntax';
import { bracketsBalanced, parseLiteralSpec, parseRegister, SPECIAL_DST } from './syntax';

/** A source operand before encoding: a register code, or a value (literal or short). */
export type Src =
  | { t: 'reg'; code: number }
  | { t: 'val'; spec: LiteralSpec; value: bigint | null; symbol: string | null; text: string };

export function evalExpr(
  ctx: BundleContext,
  expr: string,
): { value: bigint | null; symbol: string | null; addend: bigint } {
  if (expr.trim() === '') throw new BundleError(`invalid expression at \`${expr}'`);
  const v = ctx.evaluate(expr);
  if (v.kind === 'const') return { value: v.value, symbol: null, addend: 0n };
  return { value: null, symbol: v.symbol, addend: v.addend };
}

/** Parses a source operand that is a register or a value expression. */
export function parseSrc(ctx: BundleContext, text: string): Src {
  const t = text.trim();
  const r = parseRegister(t);
  if (r !== null) return { t: 'reg', code: r };
  if (/^%/.test(t) || /^~/.test(t)) {
    if (t in SPECIAL_DST) throw new BundleError('special register not allowed in position of SRC2');
    throw new BundleError('bad expression');
  }
  const spec = parseLiteralSpec(t) ?? { size: 0, lts: -1, half: null, ref: false, expr: t };
  if (spec.ref) return { t: 'val', spec, value: 0n, symbol: null, text: t };
  const e = evalExpr(ctx, spec.expr);
  return {
    t: 'val',
    spec,
    value: e.value === null ? e.addend : e.value,
    symbol: e.symbol,
    text: t,
  };
}

/** src1 byte: register or 0..31. */
export function src1Code(s: Src): number {
  if (s.t === 'reg') return s.code;
  if (
    s.symbol === null &&
    s.spec.size === 0 &&
    s.spec.lts === -1 &&
    s.value! >= 0n &&
    s.value! <= 31n
  ) {
    return 0xc0 | Number(s.value);
  }
  throw new BundleError('Invalid argument in position of SRC1.');
}

/** Destination byte: register or special destination. */
export function parseDst(text: string): number {
  const t = text.trim();
  const r = parseRegister(t);
  if (r !== null) return r;
  if (t in SPECIAL_DST) return SPECIAL_DST[t];
  if (/^%ctpr\d+$/.test(t)) throw new BundleError(`invalid third argument (dst) at \`${t}'`);
  throw new BundleError('Register should be specified for DST');
}

/** Strips one level of enclosing `[ ]`. */
export function stripBrackets(t: string): string {
  const s = t.trim();
  if (!bracketsBalanced(s)) throw new BundleError('Unbalanced brackets in expression');
  if (s.charCodeAt(0) !== 91) return s;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '[') depth++;
    else if (s[i] === ']' && --depth === 0) return i === s.length - 1 ? s.slice(1, -1).trim() : s;
  }
  return s;
}

/**
 * An address written as one operand (`[ %dr2 + 8 ]`, `[ mem ]`, `%r1`) → src1 and src2
 * texts, following gas: reg+value → (reg, value); value → (0, value); reg → (reg, 0);
 * small constant first then reg → (const, reg).
 */
export function splitAddress(ctx: BundleContext, text: string): [string, string] {
  const inner = stripBrackets(text);
  const compact = inner.replace(/\s+/g, '');
  if (inner === '') throw new BundleError(`invalid expression at \`${compact}'`);
  const terms: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of inner) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === '+' && depth === 0) {
      terms.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  terms.push(cur.trim());
  const isReg = (s: string) => parseRegister(s) !== null;
  const regs = terms.filter(isReg);
  const vals = terms.filter((s) => !isReg(s));
  if (regs.length > 2) throw new BundleError(`invalid expression at \`[${compact}]'`);
  if (regs.length === 2) {
    if (vals.length === 0) return [regs[0], regs[1]];
    const v = ctx.evaluate(vals.join(' + '));
    if (v.kind === 'const' && v.value === 0n && !isReg(terms[terms.length - 1]))
      return [regs[0], regs[1]];
    throw new BundleError(
      `excessive number of terms in an instruction's operand at \` [${compact}]'`,
    );
  }
  const value = vals.join(' + ');
  if (regs.length === 0) return ['0', value];
  if (vals.length === 0) return [regs[0], '0'];
  if (!isReg(terms[0])) {
    const v = ctx.evaluate(value);
    if (v.kind === 'const' && v.value >= 0n && v.value <= 31n) return [value, regs[0]];
  }
  return [regs[0], value];
}
