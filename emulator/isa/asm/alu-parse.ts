/**
 * ALU statements: parsing (`mnemonic[,CH][,sm] operands [? cond][, mas=N]`) into a pending
 * operation; alu-encode.ts encodes it once channels are assigned.
 */
import type { BundleContext, IsaLevel } from '../bundle-api';
import { BundleError } from '../bundle-api';
import type { OpEntry, OpKind } from '../ops';
import { opsByName } from '../ops';
import { mmuReg } from '../mmuregs';
import { sysregByName } from '../sysregs';
import type { Src } from './operands';
import { evalExpr, parseDst, parseSrc, splitAddress, src1Code, stripBrackets } from './operands';
import type { PredRef } from './syntax';
import { bracketsBalanced, parsePred, parseRegister, splitOperands } from './syntax';
import { aauRegField, parseAaAddress } from './aau';

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
  /** A warning for this operation (the bundle is still encoded). */
  warning?: string;
}

/** Aliases gas accepts (vectors README "Aliases"). */
function canonicalName(mn: string, iset: IsaLevel): string {
  // Cheap character tests first: the regexes below rarely match.
  const c0 = mn.charCodeAt(0);
  if (iset >= 3 && (c0 === 108 || c0 === 115) && mn.charCodeAt(2) === 108 /* l */) {
    const m = /^(ld|st)l([cdfgs]s.*)$/.exec(mn);
    if (m) return m[1] + m[2];
  }
  return c0 === 97 /* a */ && mn.startsWith('apur') ? 'aaur' + mn.slice(4) : mn;
}

const HEAD = /^([a-z_][a-z0-9_]*)((?:\s*,\s*(?:\d+|sm|s)(?![a-z0-9_]))*)\s*(.*)$/;

export interface Head {
  name: string;
  ch: number;
  sm: boolean;
  rest: string;
}

export function parseHead(text: string): Head {
  // Hand-written form of HEAD (the regex and split were a hot spot); same results.
  const t = text.trim();
  const n = t.length;
  const c0 = t.charCodeAt(0);
  if (!((c0 >= 97 && c0 <= 122) || c0 === 95)) return parseHeadRegex(text);
  let i = 1;
  while (i < n && isWordChar(t.charCodeAt(i))) i++;
  const name = t.slice(0, i);
  let ch = -1;
  let sm = false;
  // `(?:\s*,\s*(?:\d+|sm|s)(?![a-z0-9_]))*`
  for (;;) {
    let j = i;
    while (j < n && isBlank(t.charCodeAt(j))) j++;
    if (t.charCodeAt(j) !== 44) break;
    j++;
    while (j < n && isBlank(t.charCodeAt(j))) j++;
    const s = j;
    const c = t.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      while (j < n && t.charCodeAt(j) >= 48 && t.charCodeAt(j) <= 57) j++;
    } else if (c === 115) {
      j += t.charCodeAt(j + 1) === 109 ? 2 : 1;
    } else break;
    if (j < n && isWordChar(t.charCodeAt(j))) break;
    if (c === 115) sm = true;
    else ch = Number(t.slice(s, j));
    i = j;
  }
  while (i < n && isBlank(t.charCodeAt(i))) i++;
  const rest = t.slice(i);
  // `.` does not match line terminators: let the regex decide (it fails the same way).
  if (LINE_TERMINATOR.test(rest)) return parseHeadRegex(text);
  return { name, ch, sm, rest };
}

const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/** [a-z0-9_] */
function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
}

/** `\s` of JS regular expressions. */
function isBlank(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

function parseHeadRegex(text: string): Head {
  const m = HEAD.exec(text.trim());
  if (!m) throw new BundleError(`unknown instruction \`${text.trim()}'`);
  let ch = -1;
  let sm = false;
  for (const raw of m[2].split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    if (part === 'sm' || part === 's') sm = true;
    else ch = Number(part);
  }
  return { name: m[1], ch, sm, rest: m[3] };
}

const MAS_TAIL = /,\s*mas\s*=\s*([^,?\s]+)\s*/;

/** Splits `operands ? conds, mas=N` into its three parts. */
function splitTail(rest: string): { ops: string; conds: string; mas: string | null } {
  let mas: string | null = null;
  let t = rest;
  if (t.includes('mas')) {
    const m = MAS_TAIL.exec(t);
    if (m) {
      mas = m[1];
      t = t.slice(0, m.index) + ' ' + t.slice(m.index + m[0].length);
    }
  }
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

export function parseAlu(ctx: BundleContext, text: string, head: Head): PendingAlu {
  const iset = ctx.iset;
  let name = canonicalName(head.name, iset);
  const { ops, conds, mas } = splitTail(head.rest);
  let aaFields = 0;
  let aauReg = false;
  let forcedMas = -1;
  if (!bracketsBalanced(ops)) throw new BundleError('Unbalanced brackets in expression');
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
    aauReg = true;
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
  const iBranchCall = name.charCodeAt(0) === 105 /* i */ && /^i(branch|call)d$/.test(name);
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
    aaLit: null,
    conds: iBranchCall ? [] : parseConds(conds),
    ctcond: iBranchCall ? conds : null,
    mrgc: null,
    mas: forcedMas === -1 ? 0 : forcedMas,
    incr: -1,
  };
  if (mas !== null) {
    const m = num(ctx, mas);
    if (m < 0 || m > 0x7f) throw new BundleError(`illegal mas value \`${mas}'`);
    p.mas = m;
  }
  parseOperands(ctx, p, head, operands, aauReg);
  return p;
}

/** Fills the operand fields of `p` from the operand texts, by operation kind. */
function parseOperands(
  ctx: BundleContext,
  p: PendingAlu,
  head: Head,
  operands: string[],
  aaReg: boolean,
): void {
  const iset = ctx.iset;
  const name = p.name;
  const kind = p.kind;
  switch (kind) {
    case 'alu3': {
      if (name === 'icalld') {
        needOperands(operands, 3);
        const m = /^wbs\s*=\s*(.+)$/.exec(operands[0]);
        if (!m) throw new BundleError('wbs value expected');
        p.src1 = num(ctx, m[1]) & 0xff;
        p.src2 = parseSrc(ctx, stripBrackets(operands[1]));
        p.dst = parseDst(operands[2]);
        break;
      }
      if (operands.length === 2) {
        const [a, b] = splitAddress(ctx, operands[0]);
        p.src1 = src1Code(parseSrc(ctx, a));
        p.src2 = parseSrc(ctx, b);
        p.dst = parseDst(operands[1]);
      } else {
        needOperands(operands, 3);
        p.src1 = src1Code(parseSrc(ctx, stripBrackets(operands[0])));
        p.src2 = parseSrc(ctx, stripBrackets(operands[1]));
        p.dst = parseDst(operands[2]);
      }
      break;
    }
    case 'alu2':
      needOperands(operands, 2);
      p.src2 = parseSrc(ctx, stripBrackets(operands[0]));
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
      needOperands(operands, 3);
      p.src1 = src1Code(parseSrc(ctx, operands[0]));
      p.src2 = parseSrc(ctx, stripBrackets(operands[1]));
      p.dst = predDst(operands[2], 'dst2');
      break;
    case 'ccto':
      needOperands(operands, 2);
      p.src2 = parseSrc(ctx, stripBrackets(operands[0]));
      p.dst = predDst(operands[1], 'ALF8.dst2');
      break;
    case 'lit8':
    case 'lit8b': {
      needOperands(operands, kind === 'lit8' ? 4 : 3);
      let i = 0;
      if (kind === 'lit8') p.src1 = src1Code(parseSrc(ctx, operands[i++]));
      p.src2 = parseSrc(ctx, stripBrackets(operands[i++]));
      const v = num(ctx, operands[i++]);
      if (v < 0 || v > 255) throw new BundleError('value of literal8 is out of range');
      p.alesLo = v;
      p.dst = parseDst(operands[i]);
      // Byte shifts of a quad by more than 7 bytes give zero: gas warns and keeps it.
      if (/^p(sll|srl)q[hl]$/.test(name) && v > 7) {
        p.warning = `shift count ${v} of \`${name}' exceeds 7: the result is zero`;
      }
      break;
    }
    case 'merge':
    case 'mrg4': {
      needOperands(operands, kind === 'merge' ? 4 : 5);
      p.src1 = src1Code(parseSrc(ctx, operands[0]));
      p.src2 = parseSrc(ctx, stripBrackets(operands[1]));
      let i = 2;
      if (kind === 'mrg4') p.alesLo = src3(operands[i++]);
      p.dst = parseDst(operands[i++]);
      const c = parsePred(operands[i]);
      if (!c) throw new BundleError(`predicate expected at \`${operands[i].trim()}'`);
      p.mrgc = c;
      break;
    }
    case 'alu4':
      needOperands(operands, 4);
      p.src1 = src1Code(parseSrc(ctx, operands[0]));
      p.src2 = parseSrc(ctx, stripBrackets(operands[1]));
      p.alesLo = src3(operands[2]);
      p.dst = parseDst(operands[3]);
      break;
    case 'store': {
      const value = operands[0] ?? '';
      let a: string;
      let b: string;
      if (operands.length === 2) [a, b] = splitAddress(ctx, operands[1]);
      else {
        needOperands(operands, 3);
        a = stripBrackets(operands[1]);
        b = stripBrackets(operands[2]);
      }
      p.dst = src3(value);
      p.src1 = src1Code(parseSrc(ctx, a));
      p.src2 = parseSrc(ctx, b);
      break;
    }
    case 'rr': {
      needOperands(operands, 2);
      const r = stateReg(operands[0], iset, false);
      p.src1 = r;
      p.src2 = { t: 'reg', code: 0xc0 };
      p.dst = parseDst(operands[1]);
      break;
    }
    case 'rw':
      needOperands(operands, 2);
      p.src2 = parseSrc(ctx, stripBrackets(operands[0]));
      p.dst = stateReg(operands[1], iset, true);
      break;
    case 'staa': {
      if (!aaReg) {
        needOperands(operands, 2);
        const a = parseAaAddress(ctx, operands[1]);
        p.aaFields = a.fields;
        p.aaLit = a.lit;
      } else needOperands(operands, 1);
      p.dst = src3(operands[0]);
      break;
    }
    case 'ldaa': {
      if (!aaReg) {
        needOperands(operands, 2);
        const a = parseAaAddress(ctx, operands[0]);
        p.aaFields = a.fields;
        p.aaLit = a.lit;
        p.dst = parseDst(operands[1]);
      } else {
        needOperands(operands, 1);
        p.dst = parseDst(operands[0]);
      }
      break;
    }
  }
}

function needOperands(operands: string[], n: number): void {
  if (operands.length !== n) throw new BundleError(`invalid expression at \`${operands[n] ?? ''}'`);
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
