/**
 * Semantic checks of a decoded bundle that make a real CPU raise illegal-opcode
 * (encoding.md §16), and attachment of CDS conditions to ALU channels (§12).
 */
import type { IsaLevel } from './bundle-api';
import type { DecodedAlu, DecodedBundle } from './decode';
import { literalOf } from './decode';

/** Attaches RLP/MRGC entries of the CDS syllables to the ALU channels they select. */
export function applyConditions(b: DecodedBundle): void {
  const l = b.layout;
  for (let i = 0; i < 2 * l.cdsCount; i++) {
    const w = l.cds[i >> 1] >>> 0;
    const e = i & 1 ? w & 0xffff : w >>> 16;
    const opc = e >>> 14;
    const mask = (e >>> 10) & 7;
    for (let j = 0; j < 3; j++) {
      if ((mask & (1 << j)) === 0) continue;
      const a = b.alu[(opc & 1) * 3 + j];
      if (!a) continue;
      const cond = (e & 0x7f) | ((e >>> 7) & (1 << j) ? 0x80 : 0);
      if (opc >= 2) a.mrgc = cond;
      else if ((e & 0x60) === 0x60) a.condPred = cond;
      else a.condPcnt = cond;
    }
  }
}

function badSrc2(b: DecodedBundle, a: DecodedAlu): boolean {
  const c = a.src2;
  if (c < 0xc0 || c >= 0xe0 || c < 0xd0) return false;
  return literalOf(b.layout, c) === null;
}

function isLoad(a: DecodedAlu | null): boolean {
  return !!a && !!a.op && a.op.mem && a.op.kind !== 'store';
}

function isStore(a: DecodedAlu | null): boolean {
  return !!a && !!a.op && a.op.kind === 'store';
}

/** The reason a CPU rejects the bundle, or null. */
export function checkBundle(b: DecodedBundle, iset: IsaLevel): string | null {
  void iset;
  const l = b.layout;
  for (const a of b.alu) {
    if (!a) continue;
    if (!a.op) return `no operation for channel ${a.ch} encoding`;
    const k = a.op.kind;
    if (k !== 'rr' && k !== 'staa' && k !== 'ldaa' && badSrc2(b, a))
      return `bad src2 in channel ${a.ch}`;
    if ((k === 'alu4' || k === 'mrg4') && (a.ales & 0xff) >= 0xc0 && (a.ales & 0xff) < 0xe0) {
      return `bad src3 in channel ${a.ch}`;
    }
    if (k === 'store' && a.dst >= 0xc0 && a.dst < 0xe0)
      return `bad stored value in channel ${a.ch}`;
  }
  if ((isStore(b.alu[2]) && isLoad(b.alu[3])) || (isStore(b.alu[5]) && isLoad(b.alu[0]))) {
    return 'store and load in the same channel group';
  }
  const ss = l.ss;
  const ctcondType = ss === -1 || ss & (1 << 20) ? 0 : (ss >>> 5) & 15;
  if (ctcondType >= 10 && ctcondType <= 13) return 'reserved ctcond type';
  const cs1 = l.cs1;
  const call = cs1 !== -1 && cs1 >>> 28 === 5;
  if (cs1 !== -1) {
    const opc = cs1 >>> 28;
    if (opc >= 9) return 'reserved CS1 operation';
    if (opc <= 1) {
      if (l.ltsCount === 0) return 'SETR without LTS0';
      if (((l.lts[0] >>> 5) & 0x7f) > 112) return 'window size above 112';
    }
  }
  const cs0 = l.cs0;
  if (cs0 !== -1) {
    const ctpr = cs0 >>> 30;
    const opc = (cs0 >>> 28) & 3;
    if (ctpr !== 0 && opc === 1 && ctpr !== 2) return 'LDISP with a ctpr other than %ctpr2';
    const transfer = ctpr === 0 && (opc === 0 || opc === 3);
    const calledVia = call && ((cs1 >>> 7) & 7) !== 0;
    if (transfer && !calledVia) {
      if (ss === -1 || (ss >>> 10) & 3 || ctcondType === 0)
        return 'IBRANCH/DONE without a condition in SS';
      if (call) return 'IBRANCH together with CALL';
    }
  }
  return null;
}
