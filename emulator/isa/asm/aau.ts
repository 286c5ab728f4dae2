/**
 * Array-access-unit operands (asm-syntax.md §11): AAU register names for aaurr/aaurw and
 * the `%aadD [ %aastiI + literal ]` address of staa/ldaa (ALS[23:8] fields).
 */
import type { BundleContext } from '../bundle-api';
import { BundleError } from '../bundle-api';
import { CDS, set } from '../fields';
import type { PendingAlu } from './alu-parse';
import type { Bundle } from './bundle';
import type { Src } from './operands';
import { parseSrc } from './operands';
import { parsePred } from './syntax';

/** AAU register (`%aadN`, `%aastiN`, ...) → ALS[23:8] fields (asm-syntax.md §11). */
export function aauRegField(name: string): number {
  const m = /^%(aad|aadr|aaldi|aalda|aasti|aaind|aaincr)(\d+)$/.exec(name);
  if (m) {
    const cls = { aad: 0, aasti: 1, aaind: 2, aaincr: 3, aaldi: 4, aalda: 5, aadr: 0x10 }[m[1]]!;
    const n = Number(m[2]);
    const desc = m[1] === 'aad' || m[1] === 'aadr' || m[1] === 'aaldi' || m[1] === 'aalda';
    return (cls << 2) | (desc ? n << 11 : n << 7);
  }
  const fixed: Record<string, number> = {
    '%aafstr': 8,
    '%aaldv': 9,
    '%aaldm': 0xa,
    '%aabf': 0xc,
    '%aasti_tag': 0x11,
    '%aaind_tag': 0x12,
    '%aaincr_tag': 0x13,
    '%aasr': 0x1b,
  };
  if (name in fixed) return fixed[name] << 2;
  throw new BundleError(`invalid AAU register \`${name}'`);
}

/** `%aadD [ %aastiI [+ literal] ]` → ALS[23:8] fields and the optional literal. */
export function parseAaAddress(
  ctx: BundleContext,
  text: string,
): { fields: number; lit: Src | null } {
  const m = /^%aad(\d+)\s*\[\s*%aasti(\d+)\s*(?:\+\s*(.*?))?\s*\]$/.exec(text.trim());
  if (!m) throw new BundleError(`invalid array access operand \`${text.trim()}'`);
  const d = Number(m[1]);
  const i = Number(m[2]);
  if (d > 31) throw new BundleError('invalid %aad index specified');
  if (i > 15) throw new BundleError('Illegal register index');
  let lit: Src | null = null;
  if (m[3] !== undefined) {
    lit = parseSrc(ctx, m[3]);
    if (lit.t !== 'val' || lit.spec.lts < 0 || lit.spec.size !== 32 || lit.spec.half) {
      throw new BundleError('Literal format or position in %aasti not specified');
    }
  }
  return { fields: (d << 11) | (i << 7), lit };
}

/** `incr,CH %aaincrK [? pred]`: enables the AAU index increment of the staa/ldaa in CH. */
export interface Incr {
  ch: number;
  k: number;
  cond: string | null;
  stmt: number;
}

export function parseIncr(ch: number, rest: string, stmt: number): Incr {
  const [reg, cond] = rest.split('?');
  const m = /^%aaincr(\d+)$/.exec(reg.trim());
  if (!m) throw new BundleError(`invalid \`incr' operand \`${reg.trim()}'`);
  return { ch, k: Number(m[1]), cond: cond?.trim() ?? null, stmt };
}

function isArrayAccess(p: PendingAlu): boolean {
  return p.kind === 'staa' || p.kind === 'ldaa';
}

/** Attaches `incr` statements to their operations (after channel assignment). */
export function attachIncrs(b: Bundle, incrs: Incr[], alus: PendingAlu[]): void {
  for (const inc of incrs) {
    const target = alus.find((p) => isArrayAccess(p) && p.ch === inc.ch);
    if (!target) {
      if (alus.some(isArrayAccess)) throw new BundleError("incorrect channel specified for `incr'");
      throw new BundleError("unexpected `incr'");
    }
    if (inc.k > 7) throw new BundleError('Illegal register index');
    target.incr = inc.k;
    if (inc.cond) {
      // The increment is predicated through the AM bit (mask bit 3) of an RLP entry.
      const pr = parsePred(inc.cond);
      if (!pr) throw new BundleError(`invalid predicate \`${inc.cond}'`);
      b.stmt = inc.stmt;
      let e = set(set(0, CDS.opc, inc.ch >= 3 ? 1 : 0), CDS.mask, 8);
      e = set(set(e, CDS.neg, pr.neg ? 4 : 0), CDS.pred, (pr.kind === 'pred' ? 0x60 : 0x40) | pr.n);
      b.addCds(e);
    }
  }
}
