/**
 * ALU statements: parsing (`mnemonic[,CH][,sm] operands [? cond][, mas=N]`) into a pending
 * operation, and encoding it into its channel once channels are assigned.
 */
import type { BundleContext, IsaLevel } from '../bundle-api';
import { BundleError } from '../bundle-api';
import type { OpEntry, OpKind } from '../ops';
import { opsByName } from '../ops';
import { mmuReg } from '../mmuregs';
import { sysregByName } from '../sysregs';
import type { Bundle } from './bundle';
import type { Literal } from './literals';
import { ALL16, ALL32, ALL64, D64, H16, W32 } from './literals';
import type { Src } from './operands';
import { evalExpr, parseDst, parseSrc, splitAddress, src1Code, stripBrackets } from './operands';
import type { PredRef } from './syntax';
import { parsePred, parseRegister, splitOperands } from './syntax';

export interface PendingAlu {
  name: string;
  kind: OpKind;
  rows: OpEntry[];
  mask: number;
  pair: number;
  explicitCh: number;
  ch: number;
  sm: boolean;
  src1: number;
  src2: Src | null;
  /** dst, store value or staa value register. */
  dst: number;
  /** ALES[7:0] operand (src3 / lit8), -1 if none. */
  alesLo: number;
  /** ALS[23:8] fields of array-access ops (aad/aasti/incr), literal selector patched later. */
  aaFields: number;
  aaLit: Src | null;
  conds: PredRef[];
  mrgc: PredRef | null;
  mas: number;
  /** Set when an `incr` statement attaches to this op. */
  incr: number;
  /** ibranchd/icalld: condition text for SS.ctcond ('' = always). */
  ctcond: string | null;
}

/** Aliases gas accepts (vectors README "Aliases"). */
function canonicalName(mn: string, iset: IsaLevel): string {
  if (iset >= 3) {
    const m = /^(ld|st)l([cdfgs]s.*)$/.exec(mn);
    if (m) return m[1] + m[2];
  }
  return mn.replace(/^apur/, 'aaur');
}

const HEAD = /^([a-z_][a-z0-9_]*)((?:\s*,\s*(?:\d+|sm|s)(?![a-z0-9_]))*)\s*(.*)$/;

export interface Head {
  name: string;
  ch: number;
  sm: boolean;
  rest: string;
}

export function parseHead(text: string): Head {
  const m = HEAD.exec(text.trim());
  if (!m) throw new BundleError(`unknown instruction \`${text.trim()}'`);
  let ch = -1;
  let sm = false;
  for (const part of m[2].split(',').map((s) => s.trim())) {
    if (part === '') continue;
    if (part === 'sm' || part === 's') sm = true;
    else ch = Number(part);
  }
  return { name: m[1], ch, sm, rest: m[3] };
}

/** Splits `operands ? conds, mas=N` into its three parts. */
function splitTail(rest: string): { ops: string; conds: string; mas: string | null } {
  let mas: string | null = null;
  let t = rest.replace(/,\s*mas\s*=\s*([^,?\s]+)\s*/, (_m, v: string) => {
    mas = v;
    return ' ';
  });
  t = t.trim();
  const q = t.indexOf('?');
  if (q < 0) return { ops: t, conds: '', mas };
  return { ops: t.slice(0, q).trim(), conds: t.slice(q + 1).trim(), mas };
}

function parseConds(text: string): PredRef[] {
  if (text === '') return [];
  const out: PredRef[] = [];
  for (const c of splitOperands(text)) {
    const p = parsePred(c);
    if (!p) throw new BundleError(`invalid predicate \`${c.trim()}'`);
    out.push(p);
  }
  if (out.filter((p) => p.kind === 'pred').length > 1) {
    throw new BundleError('two %pred predicates acting on the same ALS are not allowed');
  }
  if (out.filter((p) => p.kind === 'pcnt').length > 1) {
    throw new BundleError('two %pcnt predicates acting on the same ALS are not allowed');
  }
  return out;
}

function predDst(text: string, where: string): number {
  const p = parsePred(text);
  if (!p || p.kind !== 'pred') throw new BundleError(`%pred expected at \`${text.trim()}'`);
  if (p.neg) throw new BundleError(`negated predicate is irrelevant in ${where}`);
  if (p.n > 31) throw new BundleError(`invalid predicate \`${text.trim()}'`);
  return p.n;
}

function num(ctx: BundleContext, text: string): number {
  const e = evalExpr(ctx, text);
  if (e.value === null) throw new BundleError(`invalid expression at \`${text}'`);
  return Number(BigInt.asIntN(64, e.value));
}

/** AAU register (`%aadN`, `%aastiN`, ...) → ALS[23:8] fields (asm-syntax.md §11). */
function aauRegField(name: string): number {
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
function parseAaAddress(ctx: BundleContext, text: string): { fields: number; lit: Src | null } {
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

export function parseAlu(ctx: BundleContext, text: string, head: Head): PendingAlu {
  const iset = ctx.iset;
  let name = canonicalName(head.name, iset);
  const { ops, conds, mas } = splitTail(head.rest);
  let aaFields = 0;
  const aaLit: Src | null = null;
  let forcedMas = -1;
  if (ops.split('[').length !== ops.split(']').length) {
    throw new BundleError('Unbalanced brackets in expression');
  }
  let operands = splitOperands(ops);
  if (operands.some((o) => o === '')) throw new BundleError("invalid expression at `'");
  // mmurr/mmurw: ldd/std at the register's MMU address; aaurr*/aaurw*: ldaa*/staa* with MAS 0x3f.
  if (name === 'mmurr' || name === 'mmurw') {
    const reg = name === 'mmurr' ? operands[0] : operands[1];
    const info = mmuReg(reg ?? '', name === 'mmurr' ? 'r' : 'w', iset);
    if (head.ch !== -1 && (info.chans & (1 << head.ch)) === 0) {
      throw new BundleError(`illegal channel number for \`${head.name}'`);
    }
    forcedMas = info.mas;
    operands =
      name === 'mmurr'
        ? [`[ ${info.addr} ]`, operands[1] ?? '']
        : [operands[0] ?? '', `[ ${info.addr} ]`];
    name = name === 'mmurr' ? 'ldd' : 'std';
  } else if (/^aaur[rw][sdq]?$/.test(name)) {
    const w = name[4] === 'w';
    const size = name[5] === 'd' ? 'd' : name[5] === 'q' ? 'q' : 'w';
    const reg = w ? operands[1] : operands[0];
    aaFields = aauRegField((reg ?? '').trim());
    forcedMas = 0x3f;
    name = (w ? 'staa' : 'ldaa') + size;
    operands = w ? [operands[0] ?? ''] : [operands[1] ?? ''];
  }
  const all = opsByName(name);
  const rows = all ? all.filter((r) => r.chans[iset] !== 0) : [];
  if (rows.length === 0) throw new BundleError(`unknown instruction \`${head.name}'`);
  let mask = 0;
  for (const r of rows) mask |= r.chans[iset];
  if (head.ch !== -1 && (head.ch > 5 || (mask & (1 << head.ch)) === 0)) {
    throw new BundleError(`illegal channel number for \`${head.name}'`);
  }
  const kind = rows[0].kind;
  // movtd/movtcd/getpl to %ctprN exist in channel 0 only.
  if (kind === 'alu2' && /^%ctpr/.test((operands[1] ?? '').trim()) && head.ch === -1) mask &= 1;
  const p: PendingAlu = {
    name,
    kind,
    rows,
    mask,
    pair: rows[0].pair,
    explicitCh: head.ch,
    ch: head.ch,
    sm: head.sm,
    src1: 0xc0,
    src2: null,
    dst: 0xdf,
    alesLo: -1,
    aaFields,
    aaLit,
    conds: /^i(branch|call)d$/.test(name) ? [] : parseConds(conds),
    ctcond: /^i(branch|call)d$/.test(name) ? conds : null,
    mrgc: null,
    mas: forcedMas === -1 ? 0 : forcedMas,
    incr: -1,
  };
  if (mas !== null) {
    const m = num(ctx, mas);
    if (m < 0 || m > 0x7f) throw new BundleError(`illegal mas value \`${mas}'`);
    p.mas = m;
  }
  const need = (n: number) => {
    if (operands.length !== n || operands.some((o) => o === '')) {
      const bad = operands.find((o) => o === '') ?? '';
      throw new BundleError(`invalid expression at \`${bad}'`);
    }
  };
  const s2 = (t: string) => {
    const s = parseSrc(ctx, stripBrackets(t));
    return s;
  };
  switch (kind) {
    case 'alu3': {
      if (name === 'icalld') {
        need(3);
        const m = /^wbs\s*=\s*(.+)$/.exec(operands[0]);
        if (!m) throw new BundleError('wbs value expected');
        p.src1 = num(ctx, m[1]) & 0xff;
        p.src2 = s2(operands[1]);
        p.dst = parseDst(operands[2]);
        break;
      }
      if (operands.length === 2) {
        const [a, b] = splitAddress(ctx, operands[0]);
        p.src1 = src1Code(parseSrc(ctx, a));
        p.src2 = parseSrc(ctx, b);
        p.dst = parseDst(operands[1]);
      } else {
        need(3);
        p.src1 = src1Code(parseSrc(ctx, stripBrackets(operands[0])));
        p.src2 = s2(operands[1]);
        p.dst = parseDst(operands[2]);
      }
      break;
    }
    case 'alu2':
      need(2);
      p.src2 = s2(operands[0]);
      if (/^%ctpr/.test(operands[1].trim())) {
        const c = /^%ctpr([123])$/.exec(operands[1].trim());
        if (!c) throw new BundleError(`invalid third argument (dst) at \`${operands[1].trim()}'`);
        if (head.ch > 0) {
          throw new BundleError(
            `\`${name}' to \`%ctpr{1,2,3}' registers may be encoded in the 0-th channel only`,
          );
        }
      }
      p.dst = parseDst(operands[1]);
      break;
    case 'cmp':
      need(3);
      p.src1 = src1Code(parseSrc(ctx, operands[0]));
      p.src2 = s2(operands[1]);
      p.dst = predDst(operands[2], 'dst2');
      break;
    case 'ccto':
      need(2);
      p.src2 = s2(operands[0]);
      p.dst = predDst(operands[1], 'ALF8.dst2');
      break;
    case 'lit8':
    case 'lit8b': {
      need(kind === 'lit8' ? 4 : 3);
      let i = 0;
      if (kind === 'lit8') p.src1 = src1Code(parseSrc(ctx, operands[i++]));
      p.src2 = s2(operands[i++]);
      const v = num(ctx, operands[i++]);
      if (v < 0 || v > 255) throw new BundleError('value of literal8 is out of range');
      p.alesLo = v;
      p.dst = parseDst(operands[i]);
      if (name.startsWith('psllq') || name.startsWith('psrlq')) {
        if (v > 7) p.incr = -1;
      }
      break;
    }
    case 'merge':
    case 'mrg4': {
      need(kind === 'merge' ? 4 : 5);
      p.src1 = src1Code(parseSrc(ctx, operands[0]));
      p.src2 = s2(operands[1]);
      let i = 2;
      if (kind === 'mrg4') p.alesLo = src3(operands[i++]);
      p.dst = parseDst(operands[i++]);
      const c = parsePred(operands[i]);
      if (!c) throw new BundleError(`predicate expected at \`${operands[i].trim()}'`);
      p.mrgc = c;
      break;
    }
    case 'alu4':
      need(4);
      p.src1 = src1Code(parseSrc(ctx, operands[0]));
      p.src2 = s2(operands[1]);
      p.alesLo = src3(operands[2]);
      p.dst = parseDst(operands[3]);
      break;
    case 'store': {
      const value = operands[0] ?? '';
      let a: string;
      let b: string;
      if (operands.length === 2) [a, b] = splitAddress(ctx, operands[1]);
      else {
        need(3);
        a = stripBrackets(operands[1]);
        b = stripBrackets(operands[2]);
      }
      p.dst = src3(value);
      p.src1 = src1Code(parseSrc(ctx, a));
      p.src2 = parseSrc(ctx, b);
      break;
    }
    case 'rr': {
      need(2);
      const r = stateReg(operands[0], iset, false);
      p.src1 = r;
      p.src2 = { t: 'reg', code: 0xc0 };
      p.dst = parseDst(operands[1]);
      break;
    }
    case 'rw':
      need(2);
      p.src2 = s2(operands[0]);
      p.dst = stateReg(operands[1], iset, true);
      break;
    case 'staa': {
      if (aaFields === 0 && !/^aaur/.test(head.name) && !/^apur/.test(head.name)) {
        need(2);
        const a = parseAaAddress(ctx, operands[1]);
        p.aaFields = a.fields;
        p.aaLit = a.lit;
      } else need(1);
      p.dst = src3(operands[0]);
      break;
    }
    case 'ldaa': {
      if (aaFields === 0 && !/^aaur/.test(head.name) && !/^apur/.test(head.name)) {
        need(2);
        const a = parseAaAddress(ctx, operands[0]);
        p.aaFields = a.fields;
        p.aaLit = a.lit;
        p.dst = parseDst(operands[1]);
      } else {
        need(1);
        p.dst = parseDst(operands[0]);
      }
      break;
    }
  }
  return p;
}

function src3(text: string): number {
  const r = parseRegister(text.trim());
  if (r === null) throw new BundleError(`register expected at \`${text.trim()}'`);
  return r;
}

function stateReg(text: string, iset: IsaLevel, write: boolean): number {
  const t = text.trim();
  const r = sysregByName(t, iset);
  if (!r) {
    if (sysregByName(t, 6) || sysregByName(t, 2)) {
      throw new BundleError(`CU register \`${t}' is not available on elbrus-v${iset}`);
    }
    throw new BundleError(`invalid CU register at \`${t}'`);
  }
  if (write && !r.writable) throw new BundleError(`\`${t}' is not writable`);
  return r.num;
}

/** Builds a literal for a src2 value (encoding.md §15 step 5). */
export function makeLiteral(s: Src & { t: 'val' }, wide: boolean, order: number): Literal {
  const spec = s.spec;
  const v = s.value ?? 0n;
  const sym = s.symbol !== null;
  let size = spec.size;
  const lit: Literal = { lo: 0, hi: 0, candidates: [], size: 16, order, place: null };
  const set64 = (x: bigint) => {
    const u = BigInt.asUintN(64, x);
    lit.lo = Number(u & 0xffffffffn);
    lit.hi = Number(u >> 32n);
  };
  if (spec.half && size !== 0 && size !== 16) {
    throw new BundleError('Invalid combination of literal format and location');
  }
  if (size === 0) {
    if (spec.half) size = 16;
    else if (sym) size = wide ? 64 : 32;
    else if (v >= -32768n && v <= 32767n) size = 16;
    else if (!wide || (v >= -(1n << 31n) && v < 1n << 31n)) size = 32;
    else size = 64;
    // Auto-sized literals may fall back to wider places.
    if (size === 16) {
      set64(v);
      lit.candidates =
        spec.lts >= 0 ? placesAt(16, spec.lts, spec.half) : [...ALL16, ...ALL32, ...ALL64];
      lit.size = 16;
      return lit;
    }
    if (size === 32) {
      set64(BigInt.asIntN(32, v));
      if (wide && !sym) set64(v);
      lit.candidates = spec.lts >= 0 ? placesAt(32, spec.lts, null) : [...ALL32, ...ALL64];
      lit.size = 32;
      return lit;
    }
  }
  lit.size = size as 16 | 32 | 64;
  if (size === 16) {
    set64(BigInt.asIntN(16, v));
    lit.lo &= 0xffff;
    lit.candidates = spec.lts >= 0 ? placesAt(16, spec.lts, spec.half) : ALL16;
  } else if (size === 32) {
    set64(BigInt.asIntN(32, v));
    lit.candidates = spec.lts >= 0 ? placesAt(32, spec.lts, null) : ALL32;
  } else {
    set64(v);
    lit.candidates = spec.lts >= 0 ? placesAt(64, spec.lts, null) : ALL64;
  }
  return lit;
}

function placesAt(size: 16 | 32 | 64, lts: number, half: 'lo' | 'hi' | null) {
  if (size === 16) {
    if (lts > 1) throw new BundleError('Invalid combination of literal format and location');
    return half === 'lo'
      ? [H16(lts, false)]
      : half === 'hi'
        ? [H16(lts, true)]
        : [H16(lts, true), H16(lts, false)];
  }
  if (size === 32) return [W32(lts)];
  if (lts > 2) throw new BundleError('Invalid combination of literal format and location');
  return [D64(lts)];
}

/** Encodes an assigned ALU op into the bundle (both halves of a channel pair). */
export function encodeAlu(b: Bundle, p: PendingAlu, order: number): void {
  const ch = p.ch;
  const row = p.rows.find((r) => (r.chans[b.iset] & (1 << ch)) !== 0)!;
  let src1 = row.src1 !== -1 ? row.src1 : p.src1;
  let dst = p.dst;
  if (row.kind === 'cmp' || row.kind === 'ccto') dst = row.dstHi | p.dst;
  if (row.kind === 'staa' || row.kind === 'ldaa') src1 = 0;
  let alesLo = row.alesLo !== -1 ? row.alesLo : p.alesLo;
  if (alesLo === -1) alesLo = 0xc0;
  let src2 = 0xc0;
  let lit: Literal | null = null;
  let fixup:
    { symbol: string; addend: bigint; type: 'R_E2K_32_ABS' | 'R_E2K_64_ABS_LIT' } | undefined;
  const s = p.src2;
  if (s && s.t === 'reg') src2 = s.code;
  else if (s && s.t === 'val') {
    const sp = s.spec;
    if (sp.ref) {
      if (sp.lts < 0) throw new BundleError('_ltsX not specified for a literal reference');
      src2 =
        sp.size === 64
          ? 0xdc + sp.lts
          : sp.size === 32
            ? 0xd8 | sp.lts
            : (sp.half === 'lo' ? 0xd0 : 0xd4) | sp.lts;
    } else if (
      sp.size === 0 &&
      sp.lts < 0 &&
      s.symbol === null &&
      s.value! >= 0n &&
      s.value! <= 15n
    ) {
      src2 = 0xc0 | Number(s.value);
    } else {
      const w = row.widths;
      const pos =
        row.kind === 'alu2' || row.kind === 'ccto' || row.kind === 'lit8b' || row.kind === 'rw'
          ? 0
          : 1;
      const wide = (w[pos] ?? 'd') !== 's';
      lit = makeLiteral(s, wide, order);
      if (s.symbol !== null) {
        fixup = {
          symbol: s.symbol,
          addend: s.value ?? 0n,
          type: lit.size === 64 ? 'R_E2K_64_ABS_LIT' : 'R_E2K_32_ABS',
        };
      }
      b.literals.push(lit);
    }
  }
  const aa = row.kind === 'staa' || row.kind === 'ldaa';
  // Array-access ops: ALS[23:8] = aad<<11 | aasti<<7 | incr<<4 | incr-enable<<2 | literal selector.
  const mid = aa
    ? p.aaFields | (p.incr >= 0 ? (1 << 2) | (p.incr << 4) : 0)
    : (src1 << 16) | (src2 << 8);
  const als = ((p.sm ? 1 << 31 : 0) | (row.opc << 24) | (aa ? mid << 8 : mid) | (dst & 0xff)) >>> 0;
  const ales = row.hasAles ? (row.opc2 << 8) | alesLo : -1;
  const put = (c: number, v: number) => {
    if (b.als[c] !== -1) throw new BundleError('ALSes cannot be packed into a wide command');
    b.als[c] = v >>> 0;
    b.ales[c] = ales;
    if (row.mem || aa) b.mas[c] = p.mas;
    if (lit) b.litUses.push({ lit, ch: c, field: 'src2', fixup });
    if (aaLit) b.litUses.push({ lit: aaLit, ch: c, field: 'aasti' });
    if ((c === 2 || c === 5) && row.alesWordAt & (1 << b.iset)) b.forceAlesWord = true;
  };
  let aaLit: Literal | null = null;
  if (aa && p.aaLit && p.aaLit.t === 'val') {
    aaLit = makeLiteral(p.aaLit, false, order);
    b.literals.push(aaLit);
  }
  put(ch, als);
  if (row.pair) {
    // Second half of a quad op: quad registers +1, %empty → %empty.lo.
    const w = row.widths;
    const bump = (code: number, width: string | undefined) =>
      width === 'q' && code !== 0xdf && (code < 0xc0 || code >= 0xe0) ? code + 1 : code;
    let s1b = src1;
    let s2b = src2;
    let db = dst;
    const kind = row.kind;
    if (kind === 'alu2') {
      s2b = bump(src2, w[0]);
      db = bump(dst, w[1]);
    } else if (kind === 'store' || kind === 'alu3') {
      // Quad registers move to the odd register of the pair, except address operands.
      if (!row.mem) {
        s1b = bump(src1, w[0]);
        s2b = bump(src2, w[1]);
      }
      db = bump(dst, w[2]);
    } else if (kind === 'staa' || kind === 'ldaa') {
      db = bump(dst, 'q');
    }
    if (db === 0xdf) db = 0xde;
    const mid2 = aa ? mid : (s1b << 16) | (s2b << 8);
    put(
      ch + row.pair,
      ((p.sm ? 1 << 31 : 0) | (row.opc << 24) | (aa ? mid2 << 8 : mid2) | db) >>> 0,
    );
  }
  // Conditions: one CDS entry per predicate, in source order.
  const entry = (c: number, pr: PredRef, mrgc: boolean) => {
    const j = c % 3;
    return (
      (((mrgc ? 2 : 0) + (c >= 3 ? 1 : 0)) << 14) |
      ((1 << j) << 10) |
      ((pr.neg ? 1 << j : 0) << 7) |
      ((pr.kind === 'pred' ? 0x60 : 0x40) | pr.n)
    );
  };
  // A channel pair in one group of three (0-2 / 3-5) shares an entry with both mask bits.
  const chans = row.pair ? [ch, ch + row.pair] : [ch];
  const emit = (pr: PredRef, mrgc: boolean) => {
    let cur = -1;
    for (const c of chans) {
      const e = entry(c, pr, mrgc);
      if (cur !== -1 && cur >>> 14 === e >>> 14) cur |= e;
      else {
        if (cur !== -1) b.addCds(cur);
        cur = e;
      }
    }
    b.addCds(cur);
  };
  if (p.mrgc) emit(p.mrgc, true);
  for (const c of p.conds) emit(c, false);
}
