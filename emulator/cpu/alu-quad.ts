/**
 * 128-bit ("qp…", v5+) operations: the registers of v5+ hold 128 bits (opcodes.md "p"
 * operands). Most qp operations are the 64-bit packed operation applied to both halves,
 * so they are derived from alu-packed/alu-fp by name: qpX = pX per half, qpf…d = f…d per
 * half, qpand/qpor/qpxor/qpandn, qplog_N. Shuffles, packs, horizontal and conversion forms
 * are not implemented.
 */
import { FP_OPS } from './alu-fp';
import { PACKED_OPS } from './alu-packed';
import { combinedOp } from './alu-combined';
import { Latch } from './operands';
import type { Impl } from './operands';

const half = new Latch();

/** Applies the 64-bit operation `f` to the low and to the high halves. */
function both(f: Impl): Impl {
  return (x) => {
    half.iset = x.iset;
    half.sm = x.sm;
    half.ip = x.ip;
    half.mrg = x.mrg;
    half.rTag = 0;
    half.aLo = x.aXLo;
    half.aHi = x.aXHi;
    half.bLo = x.bXLo;
    half.bHi = x.bXHi;
    half.cLo = x.cXLo;
    half.cHi = x.cXHi;
    f(half);
    f(x);
    x.rXLo = half.rLo;
    x.rXHi = half.rHi;
    x.rTag |= half.rTag;
  };
}

const lane = new Latch();

/** A binary32 operation applied to both 32-bit lanes of a 64-bit half. */
function twoLanes32(f: Impl): Impl {
  return (x) => {
    lane.aLo = x.aHi;
    lane.bLo = x.bHi;
    lane.cLo = x.cHi;
    lane.rTag = 0;
    f(lane);
    f(x);
    x.rHi = lane.rLo;
    x.rTag |= lane.rTag;
  };
}

const ALIAS: Record<string, string> = {
  qpand: 'pandd',
  qpandn: 'pandnd',
  qpor: 'pord',
  qpxor: 'pxord',
};

export function quadOp(name: string): Impl | null {
  if (!name.startsWith('qp')) return null;
  const rest = name.slice(2);
  let f: Impl | undefined = PACKED_OPS[ALIAS[name] ?? 'p' + rest];
  if (!f && rest.startsWith('log_')) f = PACKED_OPS['p' + rest];
  if (!f && /^f(add|sub|mul|min|max)[sd]$/.test(rest))
    f = rest.endsWith('s') ? PACKED_OPS['p' + rest] : FP_OPS[rest];
  if (!f && /^fcmp[a-z]+[sd]$/.test(rest)) f = PACKED_OPS['p' + rest] ?? FP_OPS[rest];
  if (!f && rest.includes('_')) f = combinedOp('p' + rest) ?? undefined;
  // v6 fused multiply-add: qpf(n)m(a|s)d = one binary64 lane per half, …s = two binary32
  if (!f && /^fn?m[as][sd]$/.test(rest)) {
    const g = FP_OPS[rest];
    f = rest.endsWith('d') ? g : twoLanes32(g);
  }
  return f ? both(f) : null;
}
