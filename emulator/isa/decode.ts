/**
 * Structured decoder: bundle layout + ALU operations resolved against the operation table.
 * Used by the disassembler and (later) the CPU interpreter, so it is total (never throws on
 * any bytes) and keeps allocations to a few small objects per call.
 */
import type { IsaLevel } from './bundle-api';
import type { BundleLayout } from './layout';
import { newLayout, unpackBundle } from './layout';
import type { OpEntry } from './ops';
import { lookupOp } from './ops';
import { applyConditions, checkBundle } from './validate';

export interface DecodedAlu {
  ch: number;
  /** Table entry, or null when (opc2, opc, channel, extension bytes) is not a known operation. */
  op: OpEntry | null;
  als: number;
  /** ALES half or -1. */
  ales: number;
  sm: boolean;
  src1: number;
  src2: number;
  dst: number;
  /** This ALS is the second half of a two-channel op that starts at channel `ch - op.pair`. */
  pairHalf: boolean;
  /**
   * RLP conditions from CDS (encoding.md §12): 7-bit predicate code (0x60|n %predN,
   * 0x40|n %pcntN) | 0x80 when negated; -1 when absent. The op executes only if all hold.
   */
  condPred: number;
  condPcnt: number;
  /** MRGC condition (merge ops) in the same form, -1 when absent. */
  mrgc: number;
}

export interface DecodedBundle {
  layout: BundleLayout;
  length: number;
  /** Reason the bytes are not a valid bundle, else null. */
  invalid: string | null;
  /** Per channel 0..5; null if the channel has no ALS. */
  alu: (DecodedAlu | null)[];
  nop: number;
  loopMode: boolean;
  setMark: boolean;
  /**
   * Why a CPU must raise illegal-opcode for this bundle (encoding.md §16), else null. The
   * disassembler still prints such bundles the way objdump does.
   */
  illegal: string | null;
}

/** Literal value referenced by a src2 code, as the bits objdump prints, or null. */
export function literalOf(
  l: BundleLayout,
  code: number,
): { size: 16 | 32 | 64; lo: number; hi: number } | null {
  if (code >= 0xd0 && code <= 0xd5 && (code & 2) === 0) {
    const n = code & 1;
    if (n >= l.ltsCount) return null;
    const w = l.lts[n] >>> 0;
    return { size: 16, lo: code & 4 ? w >>> 16 : w & 0xffff, hi: 0 };
  }
  if (code >= 0xd8 && code <= 0xdb) {
    const n = code & 3;
    if (n >= l.ltsCount) return null;
    return { size: 32, lo: l.lts[n] >>> 0, hi: 0 };
  }
  if (code >= 0xdc && code <= 0xde) {
    const n = code - 0xdc;
    if (n + 1 >= l.ltsCount) return null;
    return { size: 64, lo: l.lts[n] >>> 0, hi: l.lts[n + 1] >>> 0 };
  }
  return null;
}

export function newDecodedBundle(): DecodedBundle {
  return {
    layout: newLayout(),
    length: 0,
    invalid: null,
    alu: [null, null, null, null, null, null],
    nop: 0,
    loopMode: false,
    setMark: false,
    illegal: null,
  };
}

/**
 * Decodes the bundle at `offset`. Pass `out` (from newDecodedBundle) to reuse its buffers:
 * an interpreter decoding in a loop then allocates only the per-channel records.
 */
export function decodeBundle(
  bytes: Uint8Array,
  offset: number,
  iset: IsaLevel = 6,
  out: DecodedBundle = newDecodedBundle(),
): DecodedBundle {
  const layout = unpackBundle(bytes, offset, out.layout);
  const hs = layout.hs;
  out.length = layout.length;
  out.invalid = layout.invalid;
  out.alu.fill(null);
  out.nop = (hs >>> 7) & 7;
  out.loopMode = (hs & (1 << 10)) !== 0;
  out.setMark = (hs & (1 << 13)) !== 0;
  out.illegal = layout.invalid;
  if (layout.invalid) return out;
  for (let ch = 0; ch < 6; ch++) {
    const als = layout.als[ch];
    if (als === -1) continue;
    const prev = out.alu[ch];
    if (prev?.pairHalf) continue; // filled in as the second half of a quad op
    const ales = layout.ales[ch];
    const op = lookupOp(als, ales, ch, iset) ?? null;
    out.alu[ch] = {
      ch,
      op,
      als: als >>> 0,
      ales,
      sm: als < 0,
      src1: (als >>> 16) & 0xff,
      src2: (als >>> 8) & 0xff,
      dst: als & 0xff,
      pairHalf: false,
      condPred: -1,
      condPcnt: -1,
      mrgc: -1,
    };
    if (op && op.pair) {
      const c2 = ch + op.pair;
      const a2 = layout.als[c2];
      if (c2 < 6 && a2 !== -1 && ((a2 >>> 24) & 0x7f) === op.opc) {
        out.alu[c2] = {
          ch: c2,
          op,
          als: a2 >>> 0,
          ales: layout.ales[c2],
          sm: a2 < 0,
          src1: (a2 >>> 16) & 0xff,
          src2: (a2 >>> 8) & 0xff,
          dst: a2 & 0xff,
          pairHalf: true,
          condPred: -1,
          condPcnt: -1,
          mrgc: -1,
        };
      }
    }
  }
  applyConditions(out);
  out.illegal = checkBundle(out, iset);
  return out;
}
