/**
 * Packed floating-point operations across or along 128 bits (v5+/v6) that are not "the
 * 64-bit op on each half" (alu-quad.ts): horizontal adds, alternating add/sub, packed
 * conversions between widths, alternating fused multiply-adds, and the combined
 * `qpf<op1>_<op2>` forms built on them — QEMU lane semantics (helper_vec.c, helper_fpu.c).
 */
import { FP_OPS } from './alu-fp';
import { halves, run, setWords, T, words } from './alu-q128';
import { Latch } from './operands';
import type { Impl } from './operands';

const t = T;

/** binary32 op on two lanes: result word. */
function f32(f: Impl, x: Latch, a: number, b: number): number {
  run(f, x, a, 0, b, 0);
  return t.rLo;
}

const fadds = FP_OPS.fadds;
const fsubs = FP_OPS.fsubs;

/** pfhadds/pfhsubs (64): lane 0 = f(src1 lanes), lane 1 = f(src2 lanes). */
function pfhoriz(f: Impl): Impl {
  return (x) => {
    const lo = f32(f, x, x.aLo, x.aHi);
    const hi = f32(f, x, x.bLo, x.bHi);
    x.rLo = lo;
    x.rHi = hi;
  };
}

/** qpfhadds/qpfhsubs: lanes 0, 1 from src1's pairs, 2, 3 from src2's. */
function qpfhoriz(f: Impl): Impl {
  return (x) => {
    const A = words(x, 'a');
    const B = words(x, 'b');
    setWords(x, [
      f32(f, x, A[0], A[1]),
      f32(f, x, A[2], A[3]),
      f32(f, x, B[0], B[1]),
      f32(f, x, B[2], B[3]),
    ]);
  };
}

/** pfaddsubs: even lanes subtract, odd lanes add (QEMU). */
const pfaddsubs: Impl = (x) => {
  const lo = f32(fsubs, x, x.aLo, x.bLo);
  const hi = f32(fadds, x, x.aHi, x.bHi);
  x.rLo = lo;
  x.rHi = hi;
};

/** qpfaddsubd: lo = src1.lo − src2.lo, hi = src1.hi + src2.hi. */
const qpfaddsubd: Impl = (x) => {
  run(FP_OPS.fsubd, x, x.aLo, x.aHi, x.bLo, x.bHi);
  const lo = t.rLo;
  const hi = t.rHi;
  run(FP_OPS.faddd, x, x.aXLo, x.aXHi, x.bXLo, x.bXHi);
  setWords(x, [lo, hi, t.rLo, t.rHi]);
};

/** pfstoifs: each binary32 lane of src2 rounded to an integral value, mode from src1. */
const pfstoifs: Impl = (x) => {
  const lo = f32(FP_OPS.fstoifs, x, x.aLo, x.bLo);
  const hi = f32(FP_OPS.fstoifs, x, x.aLo, x.bHi);
  x.rLo = lo;
  x.rHi = hi;
};

/** qp…: src1 is a 64-bit control word used for both halves of the 128-bit src2. */
function ctlHalves(f: Impl): Impl {
  return (x) => {
    run(f, x, x.aLo, x.aHi, x.bXLo, x.bXHi);
    const hLo = t.rLo;
    const hHi = t.rHi;
    run(f, x, x.aLo, x.aHi, x.bLo, x.bHi);
    setWords(x, [t.rLo, t.rHi, hLo, hHi]);
  };
}

/** 2 × binary32/int32 (64-bit src2) → 2 × 64-bit lanes of a 128-bit result. */
function widen(f: Impl): Impl {
  return (x) => {
    run(f, x, 0, 0, x.bHi, 0);
    const hLo = t.rLo;
    const hHi = t.rHi;
    run(f, x, 0, 0, x.bLo, 0);
    setWords(x, [t.rLo, t.rHi, hLo, hHi]);
  };
}

/** 2 × 64-bit lanes of a 128-bit src2 → 2 × 32-bit lanes of a 64-bit result. */
function narrow(f: Impl): Impl {
  return (x) => {
    run(f, x, 0, 0, x.bXLo, x.bXHi);
    const hi = t.rLo;
    run(f, x, 0, 0, x.bLo, x.bHi);
    x.rLo = t.rLo;
    x.rHi = hi;
  };
}

/** Alternating fused multiply-add lanes: even lanes `even`, odd lanes `odd` (QEMU). */
function altFma(even: Impl, odd: Impl, wide: boolean): Impl {
  return (x) => {
    const A = words(x, 'a');
    const B = words(x, 'b');
    const C = words(x, 'c');
    const r: number[] = [];
    if (wide) {
      for (let i = 0; i < 2; i++) {
        run(
          i ? odd : even,
          x,
          A[2 * i],
          A[2 * i + 1],
          B[2 * i],
          B[2 * i + 1],
          C[2 * i],
          C[2 * i + 1],
        );
        r.push(t.rLo, t.rHi);
      }
    } else
      for (let i = 0; i < 4; i++) {
        run(i & 1 ? odd : even, x, A[i], 0, B[i], 0, C[i], 0);
        r.push(t.rLo);
      }
    setWords(x, r);
  };
}

const QPF: Record<string, Impl> = {
  pfhadds: pfhoriz(fadds),
  pfhsubs: pfhoriz(fsubs),
  pfaddsubs,
  qpfhadds: qpfhoriz(fadds),
  qpfhsubs: qpfhoriz(fsubs),
  qpfaddsubs: halves(pfaddsubs),
  qpfaddsubd,
  pfstoifs,
  qpfstoifs: ctlHalves(pfstoifs),
  qpfdtoifd: ctlHalves(FP_OPS.fdtoifd),
  qpfstois: halves(FP_OPS.pfstois),
  qpfstoistr: halves(FP_OPS.pfstoistr),
  qpistofs: halves(FP_OPS.pistofs),
  qpfdtoid: halves(FP_OPS.fdtoid),
  qpfdtoidtr: halves(FP_OPS.fdtoidtr),
  qpidtofd: halves(FP_OPS.idtofd),
  qpfstoid: widen(FP_OPS.fstoid),
  qpfstoidtr: widen(FP_OPS.fstoidtr),
  qpistofd: widen(FP_OPS.istofd),
  qpfstofd: widen(FP_OPS.fstofd),
  qpfdtois: narrow(FP_OPS.fdtois),
  qpfdtoistr: narrow(FP_OPS.fdtoistr),
  qpidtofs: narrow(FP_OPS.idtofs),
  qpfdtofs: narrow(FP_OPS.fdtofs),
  qpfmass: altFma(FP_OPS.fmas, FP_OPS.fmss, false),
  qpfmsas: altFma(FP_OPS.fmss, FP_OPS.fmas, false),
  qpfmasd: altFma(FP_OPS.fmad, FP_OPS.fmsd, true),
  qpfmsad: altFma(FP_OPS.fmsd, FP_OPS.fmad, true),
};

/** Swaps src1/src2 around a 128-bit op (the `rsub` outer operation: t − src3). */
function swapped(f: Impl): Impl {
  return (x) => {
    const A = words(x, 'a');
    x.aLo = x.bLo;
    x.aHi = x.bHi;
    x.aXLo = x.bXLo;
    x.aXHi = x.bXHi;
    [x.bLo, x.bHi, x.bXLo, x.bXHi] = A;
    f(x);
  };
}

/** A 128-bit packed-float op by short name (add, sub, mul, hadd, hsub, addsub, rsub). */
function q128(op: string, sfx: string, perHalf: (name: string) => Impl | null): Impl | null {
  if (op === 'rsub') {
    const s = q128('sub', sfx, perHalf);
    return s && swapped(s);
  }
  const name = 'qpf' + op + sfx;
  return QPF[name] ?? perHalf(name);
}

const inner = new Latch();

/**
 * qpf<op1>_<op2><s|d> combined forms that involve a lane-crossing or alternating op
 * (hadd, hsub, addsub): dst = op2(src3, op1(src1, src2)) on whole 128-bit values.
 */
function qCombined(name: string, perHalf: (name: string) => Impl | null): Impl | null {
  const m = /^qpf([a-z]+)_([a-z]+)([sd])$/.exec(name);
  if (!m || !/hadd|hsub|addsub/.test(name)) return null;
  const f1 = q128(m[1], m[3], perHalf);
  const f2 = q128(m[2], m[3], perHalf);
  if (!f1 || !f2) return null;
  return (x) => {
    inner.iset = x.iset;
    inner.sm = x.sm;
    inner.ip = x.ip;
    inner.mrg = x.mrg;
    inner.rTag = 0;
    [inner.aLo, inner.aHi, inner.aXLo, inner.aXHi] = words(x, 'a');
    [inner.bLo, inner.bHi, inner.bXLo, inner.bXHi] = words(x, 'b');
    f1(inner);
    const C = words(x, 'c');
    x.rTag |= inner.rTag;
    [x.aLo, x.aHi, x.aXLo, x.aXHi] = C;
    [x.bLo, x.bHi, x.bXLo, x.bXHi] = [inner.rLo, inner.rHi, inner.rXLo, inner.rXHi];
    f2(x);
  };
}

/** Implementation by name from this module, or null (perHalf: the both-halves qp ops). */
export function qpfOp(name: string, perHalf: (name: string) => Impl | null): Impl | null {
  return QPF[name] ?? qCombined(name, perHalf);
}

/** The 64-bit packed ops defined here, for the combined forms (alu-combined.ts). */
export const QPX_PACKED: Record<string, Impl> = {
  pfhadds: QPF.pfhadds,
  pfhsubs: QPF.pfhsubs,
  pfaddsubs: QPF.pfaddsubs,
};
