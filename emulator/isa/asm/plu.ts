/**
 * Predicate-logic statements (PLS, encoding.md §11; asm-syntax.md §10) and mova (AAS, §13).
 */
import type { BundleContext } from '../bundle-api';
import { BundleError } from '../bundle-api';
import type { Field } from '../fields';
import { AAS, PLS, set } from '../fields';
import type { Bundle } from './bundle';
import { evalExpr } from './operands';
import { parseParams, parsePred, parseRegister, splitOperands } from './syntax';

function local(text: string): { n: number; neg: boolean } {
  const m = /^(~?)\s*@p(\d+)$/.exec(text.trim());
  if (!m) throw new BundleError(`invalid local predicate \`${text.trim()}'`);
  const n = Number(m[2]);
  if (n > 6) throw new BundleError(`invalid local predicate \`${text.trim()}'`);
  return { n, neg: m[1] === '~' };
}

/**
 * Sets fields of PLS i that one statement owns (`flag`: 1 elp0, 2 elp1, 4 clp, 8 pass);
 * a second statement may only repeat the same values.
 */
function setFields(
  b: Bundle,
  i: number,
  flag: number,
  values: [Field, number][],
  what: string,
): void {
  let w = b.pls[i];
  for (const [fl, v] of values) w = set(w, fl, v);
  if (b.plsSet[i] & flag && w !== b.pls[i]) {
    throw new BundleError(`explicitly overriding non-default value of pls[idx].${what}`);
  }
  b.pls[i] = w;
  b.plsSet[i] |= flag;
  b.plsUsed |= 1 << i;
}

/** ELP source code (7 bits) of `%predN`, `%lcntex`, `%spredXYZ`, `%rndpredN`, `%bgrpred`. */
function elpSource(text: string, iset: number): number {
  const t = text.trim();
  let m: RegExpExecArray | null;
  if (t.startsWith('~'))
    throw new BundleError("a negated predicate can't be used as the source for pass in ELP");
  if ((m = /^%pred(\d+)$/.exec(t)) && Number(m[1]) < 32) return 0x60 | Number(m[1]);
  if (t === '%lcntex') return 0;
  if ((m = /^%spred(\d*)$/.exec(t))) {
    let v = 0;
    for (const d of m[1]) v |= 1 << Number(d);
    return v & 0x3f;
  }
  if (iset >= 3) {
    if ((m = /^%rndpred(\d+)$/.exec(t)) && Number(m[1]) >= 1 && Number(m[1]) < 16) {
      return 0x40 | Number(m[1]);
    }
    if (t === '%bgrpred') return 0x40;
  }
  throw new BundleError(
    "either of %lcntex, %spred, %pred or @p expected as the first parameter for `pass'",
  );
}

export function pluStatement(b: Bundle, ctx: BundleContext, name: string, rest: string): boolean {
  if (name !== 'pass' && name !== 'andp' && name !== 'landp' && name !== 'movep') return false;
  const ops = splitOperands(rest);
  if (name === 'pass') {
    const [src, dst] = [ops[0] ?? '', ops[1] ?? ''];
    if (/^\s*~?\s*@p/.test(src)) {
      const l = local(src);
      const m = /^%pred(\d+)$/.exec(dst.trim());
      if (!m || Number(m[1]) > 31) throw new BundleError(`invalid predicate \`${dst.trim()}'`);
      if (l.n < 4)
        throw new BundleError(
          'only @p4, @p5 and @p6 can be used to pass the result of {C/M}LP to %pred',
        );
      setFields(
        b,
        l.n - 4,
        8,
        [
          [PLS.vdst, 1],
          [PLS.pred, Number(m[1])],
        ],
        'vdst',
      );
      return true;
    }
    const l = local(dst);
    if (l.n > 3) throw new BundleError(`invalid local predicate \`${dst.trim()}'`);
    const code = elpSource(src, ctx.iset);
    const i = l.n >> 1;
    if (l.n & 1) setFields(b, i, 2, [[PLS.elp1, code]], 'elp1');
    else setFields(b, i, 1, [[PLS.elp0, code]], 'elp0');
    return true;
  }
  if (name === 'andp' || name === 'landp' || name === 'movep') {
    const a = local(ops[0] ?? '');
    const c = local(ops[1] ?? '');
    const d = local(ops[2] ?? '');
    if (d.n < 4)
      throw new BundleError('only @p4, @p5 and @p6 can be used to store the result of {C/M}LP');
    const opc = name === 'andp' ? 0 : name === 'landp' ? 1 : 3;
    const i = d.n - 4;
    const fields: [Field, number][] = [
      [PLS.clpOpc, opc],
      [PLS.neg0, a.neg ? 1 : 0],
      [PLS.p0, a.n],
      [PLS.neg1, c.neg ? 1 : 0],
      [PLS.p1, c.n],
    ];
    setFields(b, i, 4, fields, 'clp');
    return true;
  }
  return false;
}

const MOVA: Record<string, number> = {
  movab: 1,
  movah: 2,
  movaw: 3,
  movad: 4,
  movaq: 5,
  movaqp: 7,
};

export function movaStatement(
  b: Bundle,
  ctx: BundleContext,
  name: string,
  ch: number,
  rest: string,
): boolean {
  const opc = MOVA[name];
  if (opc === undefined) return false;
  if (ch < 0 || ch > 3) throw new BundleError(`invalid mova channel ${ch} specified`);
  const ops = splitOperands(rest);
  const dstText = ops[ops.length - 1] ?? '';
  const p = new Map(parseParams(ops.slice(0, -1).join(',')));
  if (ops.length >= 2 && !ops[ops.length - 2].includes('=')) {
    throw new BundleError('register of invalid format specified for dst of mova');
  }
  const num = (k: string, max: number) => {
    const t = p.get(k);
    if (t === undefined) return 0;
    const e = evalExpr(ctx, t);
    const v = e.value === null ? -1 : Number(e.value);
    if (v < 0 || v > max) throw new BundleError(`${v} exceeds maximal value for ${k}=`);
    return v;
  };
  const area = num('area', 31);
  const ind = num('ind', 31);
  const am = num('am', 1);
  const be = num('be', 1);
  const dst = movaDst(dstText);
  const put = (c: number, d: number, i: number) => {
    if (b.aasOp[c] !== -1) throw new BundleError(`mova channel ${c} is already busy`);
    b.aasOp[c] = set(
      set(set(set(set(0, AAS.be, be), AAS.opc, opc), AAS.area, area), AAS.ind, i),
      AAS.am,
      am,
    );
    b.aasDst[c] = d;
  };
  if (name === 'movaq') {
    if (ch & 1) throw new BundleError('movaq should be encoded in an even channel either 0 or 2');
    // The half read first gets `ind`, the other `ind + 8`; big-endian swaps them.
    const hi = dst === 0xdf ? 0xdf : dst + 1;
    put(ch, dst, be ? (ind + 8) & 31 : ind);
    put(ch + 1, hi, be ? ind : (ind + 8) & 31);
  } else put(ch, dst, ind);
  return true;
}

/** Register code for a mova destination (`%r4`, `%dr4`, `%qr4`, `%empty`). */
export function movaDst(text: string): number {
  const t = text.trim();
  if (t === '%empty') return 0xdf;
  const r = parseRegister(t);
  if (r === null) throw new BundleError('register of invalid format specified for dst of mova');
  return r;
}

/**
 * `clpandp [~]%predA, [~]%predB, %predC` (and clplandp): braceless shorthand gas expands to
 * `pass A, @p0; pass B, @p1; andp/landp [~]@p0, [~]@p1, @p4; pass @p4, C`.
 */
export function expandClp(b: Bundle, ctx: BundleContext, name: string, rest: string): void {
  if (ctx.braced) {
    throw new BundleError(
      "combined predicate logic command shouldn't be used within a wide command",
    );
  }
  const [a, c, d] = splitOperands(rest);
  const pa = parsePred(a ?? '');
  const pc = parsePred(c ?? '');
  if (!pa || !pc) throw new BundleError(`invalid predicate \`${(pa ? c : a) ?? ''}'`);
  pluStatement(b, ctx, 'pass', `%pred${pa.n}, @p0`);
  pluStatement(b, ctx, 'pass', `%pred${pc.n}, @p1`);
  const op = name === 'clpandp' ? 'andp' : 'landp';
  pluStatement(b, ctx, op, `${pa.neg ? '~' : ''}@p0, ${pc.neg ? '~' : ''}@p1, @p4`);
  pluStatement(b, ctx, 'pass', `@p4, ${d ?? ''}`);
}
