/**
 * Combined two-operation instructions (opcodes.md §11, ALOPF21 with ICMB0-3 / FCMB0-1):
 * `<op1>_<op2><s|d>` computes dst = op2(src3, op1(src1, src2)); for the non-commutative
 * outer ops `sub` is `src3 - t` and `rsub` is `t - src3` (QEMU reading, marked uncertain in
 * the reference). Built from the scalar implementations by name, so every named variant
 * in the operation table gets one.
 */
import { FP_OPS } from './alu-fp';
import { INT_OPS } from './alu-int';
import { PACKED_OPS } from './alu-packed';
import { QPX_PACKED } from './alu-qpf';
import { Latch } from './operands';
import type { Impl } from './operands';

const INT_NAMES = new Set([
  'and',
  'andn',
  'or',
  'orn',
  'xor',
  'xorn',
  'rsub',
  'merge',
  'add',
  'sub',
  'scl',
  'scr',
  'shl',
  'shr',
  'sar',
  'getf',
]);
const FP_NAMES = new Set(['fadd', 'fsub', 'fmul', 'add', 'sub', 'rsub']);
const PF_NAMES = new Set([
  'pfadd',
  'pfsub',
  'pfmul',
  'pfhadd',
  'pfhsub',
  'pfaddsub',
  'add',
  'sub',
  'rsub',
  'hadd',
  'hsub',
  'addsub',
]);

const inner = new Latch();
const outer = new Latch();

/** Packed-float lane operation (pf…s = two binary32 lanes, pf…d = one binary64 lane). */
function packed(op: string, sfx: 's' | 'd'): Impl | null {
  if (op === 'rsub') {
    const sub = PACKED_OPS['pfsub' + sfx];
    return (x) => {
      const [lo, hi] = [x.aLo, x.aHi];
      x.aLo = x.bLo;
      x.aHi = x.bHi;
      x.bLo = lo;
      x.bHi = hi;
      sub(x);
    };
  }
  const name = (op.startsWith('pf') ? op : 'pf' + op) + sfx;
  return PACKED_OPS[name] ?? QPX_PACKED[name] ?? null;
}

function scalar(op: string, sfx: 's' | 'd', fp: boolean): Impl | null {
  if (op === 'merge')
    return (x) => void ((x.rLo = x.mrg ? x.bLo : x.aLo), (x.rHi = x.mrg ? x.bHi : x.aHi));
  if (op === 'rsub') {
    const sub = fp ? FP_OPS['fsub' + sfx] : INT_OPS['sub' + sfx];
    return (x) => {
      const [lo, hi] = [x.aLo, x.aHi];
      x.aLo = x.bLo;
      x.aHi = x.bHi;
      x.bLo = lo;
      x.bHi = hi;
      sub(x);
    };
  }
  const name = (fp && !op.startsWith('f') ? 'f' + op : op) + sfx;
  return (fp ? FP_OPS[name] : INT_OPS[name]) ?? null;
}

/** Implementation for a combined-op mnemonic, or null if it is not one of this family. */
export function combinedOp(name: string): Impl | null {
  const m = /^((?:pf|f)?[a-z]+)_([a-z]+)([sd])$/.exec(name);
  if (!m) return null;
  const [, op1, op2, sfx] = m as unknown as [string, string, string, 's' | 'd'];
  const pf = op1.startsWith('pf');
  const fp = op1.startsWith('f');
  const names = pf ? PF_NAMES : fp ? FP_NAMES : INT_NAMES;
  if (!names.has(op1) || !names.has(op2) || op1 === 'rsub') return null;
  const f1 = pf ? packed(op1, sfx) : scalar(op1, sfx, fp);
  const f2 = pf ? packed(op2, sfx) : scalar(op2, sfx, fp);
  if (!f1 || !f2) return null;
  return (x) => {
    inner.aLo = x.aLo;
    inner.aHi = x.aHi;
    inner.bLo = x.bLo;
    inner.bHi = x.bHi;
    inner.mrg = x.mrg;
    inner.iset = x.iset;
    inner.sm = x.sm;
    inner.ip = x.ip;
    inner.rTag = 0;
    f1(inner);
    outer.aLo = x.cLo;
    outer.aHi = x.cHi;
    outer.bLo = inner.rLo;
    outer.bHi = inner.rHi;
    outer.mrg = x.mrg;
    outer.iset = x.iset;
    outer.sm = x.sm;
    outer.ip = x.ip;
    outer.rTag = 0;
    f2(outer);
    x.rLo = outer.rLo;
    x.rHi = outer.rHi;
    x.rTag = inner.rTag | outer.rTag;
  };
}
