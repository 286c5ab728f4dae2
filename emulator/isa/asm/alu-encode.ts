/**
 * Encodes a parsed ALU operation into its (assigned) channel: ALS, ALES, literals, MAS,
 * channel-pair halves of quad operations, and CDS condition entries.
 */
import { BundleError } from '../bundle-api';
import type { OpEntry } from '../ops';
import type { PendingAlu } from './alu-parse';
import type { Bundle, LitUse } from './bundle';
import { makeLiteral } from './literal-make';
import type { Literal } from './literals';
import type { PredRef } from './syntax';

/** Operand position (objdump order) of src2, whose width decides 32- vs 64-bit literals. */
function src2Position(row: OpEntry): number {
  const k = row.kind;
  return k === 'alu2' || k === 'ccto' || k === 'lit8b' || k === 'rw' ? 0 : 1;
}

/** src2 byte; long literals are added to the bundle and patched in after placement. */
function encodeSrc2(
  b: Bundle,
  p: PendingAlu,
  row: OpEntry,
  order: number,
): { code: number; use: LitUse | null } {
  const s = p.src2;
  if (!s) return { code: 0xc0, use: null };
  if (s.t === 'reg') return { code: s.code, use: null };
  const sp = s.spec;
  if (sp.ref) {
    // `_litNN_ref,_ltsX`: reuse a literal placed by another operation.
    if (sp.lts < 0) throw new BundleError('_ltsX not specified for a literal reference');
    if (sp.size === 64) return { code: 0xdc + sp.lts, use: null };
    if (sp.size === 32) return { code: 0xd8 | sp.lts, use: null };
    return { code: (sp.half === 'lo' ? 0xd0 : 0xd4) | sp.lts, use: null };
  }
  if (sp.size === 0 && sp.lts < 0 && s.symbol === null && s.value! >= 0n && s.value! <= 15n) {
    return { code: 0xc0 | Number(s.value), use: null };
  }
  const wide = (row.widths[src2Position(row)] ?? 'd') !== 's';
  const lit = makeLiteral(s, wide, order);
  b.literals.push(lit);
  const use: LitUse = { lit, ch: -1, field: 'src2' };
  if (s.symbol !== null) {
    // No relocation writes a 16-bit half: a symbol needs a 32- or 64-bit literal.
    if (lit.size === 16)
      throw new BundleError(`a 16-bit literal cannot hold symbol \`${s.symbol}'`);
    const type = lit.size === 64 ? 'R_E2K_64_ABS_LIT' : 'R_E2K_32_ABS';
    // Shared only by the same symbol, addend and relocation type (one relocation per place).
    lit.key = `${type}:${s.symbol}+${s.value ?? 0n}`;
    use.fixup = { symbol: s.symbol, addend: s.value ?? 0n, type };
  }
  return { code: 0xc0, use };
}

/** Register of the odd half of a quad operand (`%empty` → `%empty.lo` is done by the caller). */
function bump(code: number, width: string | undefined): number {
  return width === 'q' && code !== 0xdf && (code < 0xc0 || code >= 0xe0) ? code + 1 : code;
}

/** Writes one ALS (+ALES, MAS, literal uses) into channel `c`. */
function put(
  b: Bundle,
  row: OpEntry,
  p: PendingAlu,
  c: number,
  als: number,
  ales: number,
  uses: LitUse[],
): void {
  if (b.als[c] !== -1) throw new BundleError('ALSes cannot be packed into a wide command');
  b.als[c] = als >>> 0;
  b.ales[c] = ales;
  if (row.mem || row.kind === 'staa' || row.kind === 'ldaa') b.mas[c] = p.mas;
  for (const u of uses) b.litUses.push({ ...u, ch: c });
  if ((c === 2 || c === 5) && row.alesWordAt & (1 << b.iset)) b.forceAlesWord = true;
}

/** CDS entry for a predicate acting on channel c (RLP or MRGC, encoding.md §12). */
function cdsEntry(c: number, pr: PredRef, mrgc: boolean): number {
  const j = c % 3;
  return (
    (((mrgc ? 2 : 0) + (c >= 3 ? 1 : 0)) << 14) |
    ((1 << j) << 10) |
    ((pr.neg ? 1 << j : 0) << 7) |
    ((pr.kind === 'pred' ? 0x60 : 0x40) | pr.n)
  );
}

/** One entry per predicate; a channel pair inside one group of three shares an entry. */
function emitCds(b: Bundle, ch: number, pair: number, pr: PredRef, mrgc: boolean): void {
  const e = cdsEntry(ch, pr, mrgc);
  if (!pair) {
    b.addCds(e);
    return;
  }
  const e2 = cdsEntry(ch + pair, pr, mrgc);
  if (e >>> 14 === e2 >>> 14) b.addCds(e | e2);
  else {
    b.addCds(e);
    b.addCds(e2);
  }
}

export function encodeAlu(b: Bundle, p: PendingAlu, order: number): void {
  const ch = p.ch;
  let row = p.rows[0];
  for (const r of p.rows) {
    if (r.chans[b.iset] & (1 << ch)) {
      row = r;
      break;
    }
  }
  const kind = row.kind;
  const aa = kind === 'staa' || kind === 'ldaa';
  let src1 = row.src1 !== -1 ? row.src1 : p.src1;
  if (aa) src1 = 0;
  const dst = kind === 'cmp' || kind === 'ccto' ? row.dstHi | p.dst : p.dst;
  let alesLo = row.alesLo !== -1 ? row.alesLo : p.alesLo;
  if (alesLo === -1) alesLo = 0xc0;
  const { code: src2, use } = encodeSrc2(b, p, row, order);
  const uses: LitUse[] = use ? [use] : [];
  if (aa && p.aaLit && p.aaLit.t === 'val') {
    const l: Literal = makeLiteral(p.aaLit, false, order);
    b.literals.push(l);
    const u: LitUse = { lit: l, ch: -1, field: 'aasti' };
    if (p.aaLit.symbol !== null) {
      l.key = `R_E2K_32_ABS:${p.aaLit.symbol}+${p.aaLit.value ?? 0n}`;
      u.fixup = { symbol: p.aaLit.symbol, addend: p.aaLit.value ?? 0n, type: 'R_E2K_32_ABS' };
    }
    uses.push(u);
  }
  // Array-access ops: ALS[23:8] = aad<<11 | aasti<<7 | incr<<4 | incr-enable<<2 | literal selector.
  const mid = aa
    ? (p.aaFields | (p.incr >= 0 ? (1 << 2) | (p.incr << 4) : 0)) << 8
    : (src1 << 16) | (src2 << 8);
  const top = (p.sm ? 1 << 31 : 0) | (row.opc << 24);
  const ales = row.hasAles ? (row.opc2 << 8) | alesLo : -1;
  put(b, row, p, ch, top | mid | (dst & 0xff), ales, uses);
  if (row.pair) {
    // Second half of a quad op: quad registers +1 (not address operands), %empty → %empty.lo.
    const w = row.widths;
    let mid2 = mid;
    let db = dst;
    if (kind === 'alu2') {
      mid2 = (src1 << 16) | (bump(src2, w[0]) << 8);
      db = bump(dst, w[1]);
    } else if (kind === 'store' || kind === 'alu3') {
      if (!row.mem) mid2 = (bump(src1, w[0]) << 16) | (bump(src2, w[1]) << 8);
      db = bump(dst, w[2]);
    } else if (aa) db = bump(dst, 'q');
    if (db === 0xdf) db = 0xde;
    put(b, row, p, ch + row.pair, top | mid2 | db, ales, uses);
  }
  if (p.mrgc) emitCds(b, ch, row.pair, p.mrgc, true);
  for (const c of p.conds) emitCds(b, ch, row.pair, c, false);
}
