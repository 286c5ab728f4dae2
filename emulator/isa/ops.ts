/**
 * Typed view of the operation table (optable.ts) plus the lookups the encoder, decoder and
 * disassembler share. The table is parsed once at module load; everything else indexes it.
 */
import type { IsaLevel } from './bundle-api';
import { OPTABLE } from './optable';

/**
 * Operand syntax of an operation (assembler order → ALS fields):
 * alu3 `src1, src2, dst`; alu2 `src2, dst` (src1 byte fixed); cmp `src1, src2, %predN`
 * (dst[7:5] fixed); ccto `src2, %predN`; lit8 `src1, src2, imm8, dst` (imm8 in ALES[7:0]);
 * lit8b `src2, imm8, dst`; merge `src1, src2, dst, [~]%pred` (MRGC in CDS); mrg4 `src1, src2,
 * src3, dst, [~]%pred`; alu4 `src1, src2, src3, dst` (src3 in ALES[7:0]); store `value,
 * address` (value in ALS[7:0]); rr `%state, dst`; rw `src2, %state`; staa `src3, %aadN [ %aastiM
 * (+ literal) ]` and ldaa `%aadN [ %aastiM (+ literal) ], dst` (ALOPF10/19 array access).
 */
export type OpKind =
  | 'alu3'
  | 'alu2'
  | 'cmp'
  | 'ccto'
  | 'lit8'
  | 'lit8b'
  | 'merge'
  | 'mrg4'
  | 'alu4'
  | 'store'
  | 'rr'
  | 'rw'
  | 'staa'
  | 'ldaa';

export interface OpEntry {
  readonly index: number;
  readonly name: string;
  readonly kind: OpKind;
  readonly hasAles: boolean;
  readonly opc2: number;
  readonly opc: number;
  /** Fixed ALS[23:16] or -1. */
  readonly src1: number;
  /** Fixed ALES[7:0] or -1. */
  readonly alesLo: number;
  /** Fixed ALS[7:5] compare code (as dst & 0xe0) or -1. */
  readonly dstHi: number;
  /** Operand widths in objdump order: s, d, q, p (or '-'). */
  readonly widths: string;
  readonly mem: boolean;
  /** Channel offset of the second half of a two-channel (quad) op, 0 if none. */
  readonly pair: number;
  /** objdump prints the second half as its own line. */
  readonly pairPrinted: boolean;
  /** Bit per ISA level at which gas always emits the ALES2/5 word for this op (channels 2/5). */
  readonly alesWordAt: number;
  /** Allowed channel mask (bit c) per ISA level, index = level. */
  readonly chans: Uint8Array;
}

function hex(s: string): number {
  return s === '..' || s === '--' ? -1 : parseInt(s, 16);
}

function parseRow(line: string, index: number): OpEntry {
  const f = line.split(/\s+/);
  const chans = new Uint8Array(8);
  for (let lv = 2; lv <= 6; lv++) {
    const c = f[9 + lv - 2];
    if (c && c !== '-') for (const d of c) chans[lv] |= 1 << Number(d);
  }
  const flags = f[8];
  const pm = /P(\d)(2?)/.exec(flags);
  const wm = /W(\d+)/.exec(flags);
  let alesWordAt = 0;
  if (wm) for (const d of wm[1]) alesWordAt |= 1 << Number(d);
  return {
    index,
    name: f[0],
    kind: f[1] as OpKind,
    hasAles: f[2] !== '--',
    opc2: f[2] === '--' ? 0 : parseInt(f[2], 16),
    opc: parseInt(f[3], 16),
    src1: hex(f[4]),
    alesLo: hex(f[5]),
    dstHi: hex(f[6]),
    widths: f[7],
    mem: flags.includes('M'),
    pair: pm ? Number(pm[1]) : 0,
    pairPrinted: pm ? pm[2] === '2' : false,
    alesWordAt,
    chans,
  };
}

export const OPS: readonly OpEntry[] = OPTABLE.map(parseRow);

const byName = new Map<string, OpEntry[]>();
for (const op of OPS) {
  const l = byName.get(op.name);
  if (l) l.push(op);
  else byName.set(op.name, [op]);
}

/** All encodings of a mnemonic (different channels/levels may use different rows). */
export function opsByName(name: string): readonly OpEntry[] | undefined {
  return byName.get(name);
}

/** Decode key: ALES selector (or none) + opc. */
function key(hasAles: boolean, opc2: number, opc: number): number {
  return hasAles ? ((0x100 | opc2) << 7) | opc : opc;
}
const byKey = new Map<number, OpEntry[]>();
for (const op of OPS) {
  const k = key(op.hasAles, op.opc2, op.opc);
  const l = byKey.get(k);
  if (l) l.push(op);
  else byKey.set(k, [op]);
}

/**
 * Finds the table entry for one ALS/ALES pair in channel `ch` at `iset`, or undefined.
 * `ales` is -1 when the channel has no ALES.
 */
export function lookupOp(
  als: number,
  ales: number,
  ch: number,
  iset: IsaLevel,
): OpEntry | undefined {
  const opc = (als >>> 24) & 0x7f;
  const list = byKey.get(ales === -1 ? opc : key(true, ales >>> 8, opc));
  if (!list) return undefined;
  const s1 = (als >>> 16) & 0xff;
  const lo = ales & 0xff;
  const dh = als & 0xe0;
  for (const op of list) {
    if ((op.chans[iset] & (1 << ch)) === 0) continue;
    if (op.src1 !== -1 && op.src1 !== s1) continue;
    if (op.alesLo !== -1 && op.alesLo !== lo) continue;
    if (op.dstHi !== -1 && op.dstHi !== dh) continue;
    return op;
  }
  return undefined;
}
