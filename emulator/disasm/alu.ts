/**
 * One objdump line for an ALU channel: `mnemonic,CH[,sm] operands[, mas = X][ ? cond]`.
 */
import type { DecodedAlu, DecodedBundle } from '../isa/decode';
import { sysregName } from '../isa/sysregs';
import { CS1, CS1_OPC, get, MAS_FIELD } from '../isa/fields';
import { ctcondText } from './control';
import { dstText, hex, src1Text, src2Text, src3Text } from './operands';

/** CDS predicate field → text (`%predN`, `%pcntN`), with `~` when negated. */
export function cdsPred(p: number, neg: boolean): string {
  const base = (p & 0x60) === 0x60 ? `%pred${p & 0x1f}` : `%pcnt${p & 0x1f}`;
  return (neg ? '~' : '') + base;
}

/** RLP (opc 0/1) or MRGC (opc 2/3) conditions of channel `ch` as texts. */
export function channelConds(b: DecodedBundle, ch: number, mrgc: boolean): string[] {
  const l = b.layout;
  const out: string[] = [];
  for (let i = 0; i < l.cdsCount; i++) {
    const w = l.cds[i] >>> 0;
    for (const e of [w >>> 16, w & 0xffff]) {
      const opc = e >>> 14;
      if (opc >= 2 !== mrgc) continue;
      const base = (opc & 1) * 3;
      const j = ch - base;
      if (j < 0 || j > 2) continue;
      if (((e >>> 10) & (1 << j)) === 0) continue;
      out.push(cdsPred(e & 0x7f, ((e >>> 7) & (1 << j)) !== 0));
    }
  }
  // objdump lists %pcnt conditions before %pred ones.
  return out.sort((a, b2) => Number(a.includes('%pred')) - Number(b2.includes('%pred')));
}

/** MAS of channel `ch` from a CS1 MAS syllable, 0 if none. */
export function masOf(b: DecodedBundle, ch: number): number {
  const cs1 = b.layout.cs1;
  const fl = MAS_FIELD[ch];
  if (cs1 === -1 || !fl || get(cs1, CS1.opc) !== CS1_OPC.MAS) return 0;
  return get(cs1, fl);
}

/** objdump prints array loads only by the AAU-register-read name sharing their opcode. */
const LDAA_NAMES: Record<string, string> = { ldaaw: 'aaurr', ldaad: 'aaurrd', ldaaq: 'aaurrq' };

/** `staa*` line(s): `staaw,2 %r1, %aad3 [ %aasti2 + _f32s,_lts0 0x10 ], mas = X` + `incr,2 %aaincrK`. */
function staaLines(b: DecodedBundle, a: DecodedAlu, head: string, out: string[]): boolean {
  const op = a.op!;
  const v = src3Text(a.dst, op.widths[0] ?? 'd');
  if (v === null) return false;
  let addr = `%aad${(a.als >>> 19) & 31} [ %aasti${(a.als >>> 15) & 15}`;
  const sel = (a.als >>> 8) & 3;
  if (sel) {
    const n = sel - 1;
    if (n >= b.layout.ltsCount) return false;
    addr += ` + _f32s,_lts${n} ${hex(b.layout.lts[n] >>> 0)}`;
  }
  let text = `${head} ${v}, ${addr} ]`;
  const mas = masOf(b, a.ch);
  if (mas) text += `, mas = ${hex(mas)}`;
  const conds = channelConds(b, a.ch, false);
  if (conds.length) text += ` ? ${conds.join(', ')}`;
  out.push(text);
  if (a.als & (1 << 10)) out.push(`incr,${a.ch} %aaincr${(a.als >>> 12) & 7}`);
  return true;
}

/** Appends the channel's line(s) to `out`; false when an operand cannot be printed. */
export function aluLines(b: DecodedBundle, a: DecodedAlu, out: string[]): boolean {
  const line = aluLine(b, a, out);
  if (line === null) return false;
  if (line !== '') out.push(line);
  return true;
}

/** The operation text ('' if already appended to `out`), or null for an invalid encoding. */
function aluLine(b: DecodedBundle, a: DecodedAlu, out: string[]): string | null {
  const op = a.op;
  const head = `${a.ch}${a.sm ? ',sm' : ''}`;
  if (!op) return `unrecognized,${head}`;
  if (op.kind === 'ldaa') return `${LDAA_NAMES[op.name] ?? 'unrecognized'},${head}`;
  if (op.kind === 'staa') return staaLines(b, a, `${op.name},${head}`, out) ? '' : null;
  if (op.widths === '-') return `ambiguous,${head}`;
  const ws = op.widths;
  const l = b.layout;
  const lo = a.ales & 0xff;
  let parts: (string | null)[] = [];
  switch (op.kind) {
    case 'alu3':
      // icalld carries the window shift in src1 (`icalld,0 wbs = 0x16, src2, dst`).
      parts = [
        op.name === 'icalld' ? `wbs = ${hex(a.src1)}` : src1Text(a.src1, ws[0] ?? 'd'),
        src2Text(a.src2, ws[1] ?? 'd', l),
        dstText(a.dst, ws[2] ?? 'd'),
      ];
      break;
    case 'alu2':
      parts = [src2Text(a.src2, ws[0] ?? 'd', l), dstText(a.dst, ws[1] ?? 'd')];
      break;
    case 'cmp':
      parts = [
        src1Text(a.src1, ws[0] ?? 'd'),
        src2Text(a.src2, ws[1] ?? 'd', l),
        `%pred${a.dst & 0x1f}`,
      ];
      break;
    case 'ccto':
      parts = [src2Text(a.src2, ws[0] ?? 'd', l), `%pred${a.dst & 0x1f}`];
      break;
    case 'lit8':
      parts = [
        src1Text(a.src1, ws[0] ?? 'd'),
        src2Text(a.src2, ws[1] ?? 'd', l),
        hex(lo),
        dstText(a.dst, ws[3] ?? 'd'),
      ];
      break;
    case 'lit8b':
      parts = [src2Text(a.src2, ws[0] ?? 'd', l), hex(lo), dstText(a.dst, ws[2] ?? 'd')];
      break;
    case 'merge':
    case 'mrg4': {
      const c = channelConds(b, a.ch, true);
      parts = [src1Text(a.src1, ws[0] ?? 'd'), src2Text(a.src2, ws[1] ?? 'd', l)];
      if (op.kind === 'mrg4') parts.push(src3Text(lo, ws[2] ?? 'd'));
      parts.push(dstText(a.dst, ws[parts.length] ?? 'd'), c[0] ?? null);
      break;
    }
    case 'alu4':
      parts = [
        src1Text(a.src1, ws[0] ?? 'd'),
        src2Text(a.src2, ws[1] ?? 'd', l),
        src3Text(lo, ws[2] ?? 'd'),
        dstText(a.dst, ws[3] ?? 'd'),
      ];
      break;
    case 'store':
      parts = [
        src1Text(a.src1, ws[0] ?? 'd'),
        src2Text(a.src2, ws[1] ?? 'd', l),
        src3Text(a.dst, ws[2] ?? 'd'),
      ];
      break;
    case 'rr':
      parts = [sysregName(a.src1), dstText(a.dst, ws[1] ?? 'd')];
      break;
    case 'rw':
      parts = [src2Text(a.src2, ws[0] ?? 'd', l), sysregName(a.dst)];
      break;
  }
  if (parts.some((p) => p === null)) return null;
  let text = `${op.name},${head} ${parts.join(', ')}`;
  if (op.mem) {
    const mas = masOf(b, a.ch);
    if (mas) text += `, mas = ${hex(mas)}`;
  }
  const conds = channelConds(b, a.ch, false);
  if (conds.length) text += ` ? ${conds.join(', ')}`;
  if (op.name === 'ibranchd' || op.name === 'icalld') {
    // These v6 ALU branches take their condition from SS.ctcond.
    const c = b.layout.ss === -1 ? null : ctcondText(b.layout.ss & 0x1ff);
    if (c) text += ` ? ${c}`;
  }
  return text;
}
