/**
 * 80-bit (x87 extended) floating point, opcodes.md §4 (movif/movfi/movx) and §7.4: an x80
 * value keeps its 64-bit mantissa (explicit integer bit) in the register and its sign and
 * 15-bit exponent in the low 16 bits of the register extension. Arithmetic is exact on
 * BigInt then rounded once to the destination format (x80 / binary64 / binary32) with the
 * x87 rounding control of %fpcr (bits 11:10) and flags in %fpsr (IE 0, ZE 2, OE 3, UE 4,
 * PE 5). Precision control (%fpcr 9:8) is ignored (always 64-bit). These operations are
 * rare in user code, so BigInt is acceptable here.
 *
 * fxdivt is taken as division rounded toward zero, fxsqrti as the identity first step
 * and fxsqrtu / fxsqrtt as sqrt(src1) — our reading, uncertain.
 */
import { fcmp } from './alu-fp';
import { fromBig, H } from './int64';
import type { Impl, Latch } from './operands';

const HI = H;

/** x87 environment of the current bundle (set by the executor from %fpcr). */
export const X87 = { rc: 0, flags: 0 };

type Num =
  | { k: 'nan'; s: number }
  | { k: 'inf'; s: number }
  | { k: 'zero'; s: number }
  | { k: 'fin'; s: number; m: bigint; e: number };

const dv = new DataView(new ArrayBuffer(8));

function bitlen(m: bigint): number {
  return m === 0n ? 0 : m.toString(2).length;
}

function fromX(lo: number, hi: number, ext: number): Num {
  const s = (ext >>> 15) & 1;
  const exp = ext & 0x7fff;
  const m = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  if (exp === 0x7fff) return (m & ((1n << 63n) - 1n)) === 0n ? { k: 'inf', s } : { k: 'nan', s };
  if (m === 0n) return { k: 'zero', s };
  return { k: 'fin', s, m, e: (exp === 0 ? 1 : exp) - 16383 - 63 };
}

function fromD(v: number): Num {
  dv.setFloat64(0, v);
  const bits = dv.getBigUint64(0);
  const s = Number(bits >> 63n);
  const ex = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  if (ex === 0x7ff) return frac === 0n ? { k: 'inf', s } : { k: 'nan', s };
  if (ex === 0 && frac === 0n) return { k: 'zero', s };
  return { k: 'fin', s, m: ex === 0 ? frac : frac | (1n << 52n), e: (ex === 0 ? 1 : ex) - 1075 };
}

function asD(lo: number, hi: number): number {
  dv.setInt32(0, hi);
  dv.setInt32(4, lo);
  return dv.getFloat64(0);
}

function asS(w: number): number {
  dv.setInt32(0, w);
  return dv.getFloat32(0);
}

function fromInt(v: bigint): Num {
  if (v === 0n) return { k: 'zero', s: 0 };
  return { k: 'fin', s: v < 0n ? 1 : 0, m: v < 0n ? -v : v, e: 0 };
}

type Fmt = 'x' | 'd' | 's';
const P = { x: 64, d: 53, s: 24 };
const EMIN = { x: -16382, d: -1022, s: -126 };
const EMAX = { x: 16383, d: 1023, s: 127 };

/** Rounds to the format; returns [mantissa, quantum exponent] or a special. */
function round(n: Num, f: Fmt, rc: number): Num {
  if (n.k !== 'fin') return n;
  const p = P[f];
  const bl = bitlen(n.m);
  const E = n.e + bl - 1;
  const q = Math.max(E - p + 1, EMIN[f] - p + 1);
  let m = n.m;
  let e = n.e;
  if (e < q) {
    const sh = BigInt(q - e);
    const rem = m & ((1n << sh) - 1n);
    m >>= sh;
    e = q;
    if (rem !== 0n) {
      X87.flags |= 32;
      const half = 1n << (sh - 1n);
      const up =
        rc === 0
          ? rem > half || (rem === half && (m & 1n) === 1n)
          : rc === 1
            ? n.s === 1
            : rc === 2
              ? n.s === 0
              : false;
      if (up) m += 1n;
      if (bitlen(m) > p) {
        m >>= 1n;
        e += 1;
      }
      if (e + bitlen(m) - 1 < EMIN[f]) X87.flags |= 16;
    }
  } else if (e > q) {
    m <<= BigInt(e - q);
    e = q;
  }
  if (m === 0n) return { k: 'zero', s: n.s };
  if (e + bitlen(m) - 1 > EMAX[f]) {
    X87.flags |= 8 | 32;
    const toMax = rc === 3 || (rc === 1 && n.s === 0) || (rc === 2 && n.s === 1);
    if (!toMax) return { k: 'inf', s: n.s };
    return { k: 'fin', s: n.s, m: (1n << BigInt(p)) - 1n, e: EMAX[f] - p + 1 };
  }
  return { k: 'fin', s: n.s, m, e };
}

function setResult(x: Latch, n: Num, f: Fmt, rc = X87.rc): void {
  const r = round(n, f, rc);
  x.rXLo = 0;
  x.rXHi = 0;
  if (f === 'x') {
    let ext = r.s << 15;
    let m = 0n;
    if (r.k === 'inf') {
      ext |= 0x7fff;
      m = 1n << 63n;
    } else if (r.k === 'nan') {
      ext |= 0x7fff;
      m = 3n << 62n;
    } else if (r.k === 'fin') {
      m = r.m;
      if (bitlen(m) === 64) ext |= r.e + 63 + 16383;
    }
    x.rLo = fromBig(m);
    x.rHi = HI.hi;
    x.rXLo = ext;
    return;
  }
  let v: number;
  if (r.k === 'nan') v = NaN;
  else if (r.k === 'inf') v = r.s ? -Infinity : Infinity;
  else if (r.k === 'zero') v = r.s ? -0 : 0;
  else v = (r.s ? -1 : 1) * Number(r.m) * 2 ** r.e;
  if (f === 'd') {
    dv.setFloat64(0, v);
    x.rHi = dv.getInt32(0);
    x.rLo = dv.getInt32(4);
  } else {
    dv.setFloat32(0, v);
    x.rLo = dv.getInt32(0);
    x.rHi = 0;
  }
}

function nan(): Num {
  X87.flags |= 1;
  return { k: 'nan', s: 1 };
}

function add(a: Num, b: Num): Num {
  if (a.k === 'nan' || b.k === 'nan') return { k: 'nan', s: 1 };
  if (a.k === 'inf' || b.k === 'inf') {
    if (a.k === 'inf' && b.k === 'inf' && a.s !== b.s) return nan();
    return a.k === 'inf' ? a : b;
  }
  if (a.k === 'zero') return b.k === 'zero' ? { k: 'zero', s: a.s & b.s } : b;
  if (b.k === 'zero') return a;
  const e = Math.min(a.e, b.e);
  const va = (a.s ? -1n : 1n) * (a.m << BigInt(a.e - e));
  const vb = (b.s ? -1n : 1n) * (b.m << BigInt(b.e - e));
  const v = va + vb;
  if (v === 0n) return { k: 'zero', s: X87.rc === 1 ? 1 : 0 };
  return { k: 'fin', s: v < 0n ? 1 : 0, m: v < 0n ? -v : v, e };
}

function neg(a: Num): Num {
  return { ...a, s: a.s ^ 1 } as Num;
}

function mul(a: Num, b: Num): Num {
  const s = a.s ^ b.s;
  if (a.k === 'nan' || b.k === 'nan') return { k: 'nan', s: 1 };
  if (a.k === 'inf' || b.k === 'inf')
    return a.k === 'zero' || b.k === 'zero' ? nan() : { k: 'inf', s };
  if (a.k === 'zero' || b.k === 'zero') return { k: 'zero', s };
  return { k: 'fin', s, m: a.m * b.m, e: a.e + b.e };
}

function div(a: Num, b: Num): Num {
  const s = a.s ^ b.s;
  if (a.k === 'nan' || b.k === 'nan') return { k: 'nan', s: 1 };
  if (a.k === 'inf') return b.k === 'inf' ? nan() : { k: 'inf', s };
  if (b.k === 'inf') return { k: 'zero', s };
  if (b.k === 'zero') {
    if (a.k === 'zero') return nan();
    X87.flags |= 4;
    return { k: 'inf', s };
  }
  if (a.k === 'zero') return { k: 'zero', s };
  const k = Math.max(0, 67 + bitlen(b.m) - bitlen(a.m));
  const num = a.m << BigInt(k);
  let m = num / b.m;
  let e = a.e - b.e - k;
  if (num % b.m !== 0n) {
    m = (m << 1n) | 1n; // sticky bit
    e -= 1;
  }
  return { k: 'fin', s, m, e };
}

function sqrt(a: Num): Num {
  if (a.k === 'nan' || a.k === 'zero') return a;
  if (a.s) return nan();
  if (a.k === 'inf') return a;
  let m = a.m;
  let e = a.e;
  const extra = Math.max(0, 140 - bitlen(m));
  m <<= BigInt(extra);
  e -= extra;
  if (e & 1) {
    m <<= 1n;
    e -= 1;
  }
  // integer square root (Newton)
  let r =
    BigInt(Math.floor(Math.sqrt(Number(m >> BigInt(Math.max(0, bitlen(m) - 100)))))) <<
    BigInt(Math.max(0, bitlen(m) - 100) >> 1);
  if (r === 0n) r = 1n;
  for (;;) {
    const n = (r + m / r) >> 1n;
    if (n >= r) break;
    r = n;
  }
  while (r * r > m) r -= 1n;
  while ((r + 1n) * (r + 1n) <= m) r += 1n;
  if (r * r !== m) {
    r = (r << 1n) | 1n;
    e -= 2;
  }
  return { k: 'fin', s: 0, m: r, e: e / 2 };
}

function src(x: Latch, which: 'a' | 'b', f: Fmt): Num {
  if (which === 'a')
    return f === 'x'
      ? fromX(x.aLo, x.aHi, x.aXLo)
      : f === 'd'
        ? fromD(asD(x.aLo, x.aHi))
        : fromD(asS(x.aLo));
  return f === 'x'
    ? fromX(x.bLo, x.bHi, x.bXLo)
    : f === 'd'
      ? fromD(asD(x.bLo, x.bHi))
      : fromD(asS(x.bLo));
}

function cmpNum(a: Num, b: Num): number {
  // returns -1/0/1, or NaN for unordered
  if (a.k === 'nan' || b.k === 'nan') return NaN;
  if (a.k === 'inf' && b.k === 'inf' && a.s === b.s) return 0;
  const d = add(a, neg(b));
  if (d.k === 'zero') return 0;
  return d.s ? -1 : 1;
}

export const X80_OPS: Record<string, Impl> = {};

const BIN: Record<string, (a: Num, b: Num) => Num> = {
  fxadd: add,
  fxsub: (a, b) => add(a, neg(b)),
  fxrsub: (a, b) => add(b, neg(a)),
  fxmul: mul,
  fxdiv: div,
  fxdivt: div,
};
for (const [name, f] of Object.entries(BIN)) {
  for (const s2 of ['s', 'd', 'x'] as Fmt[]) {
    for (const d of ['s', 'd', 'x'] as Fmt[]) {
      const rcFix = name === 'fxdivt' ? 3 : -1;
      X80_OPS[`${name}${s2}${d}`] = (x) =>
        setResult(x, f(src(x, 'a', 'x'), src(x, 'b', s2)), d, rcFix >= 0 ? rcFix : X87.rc);
    }
  }
}
for (const s2 of ['s', 'd', 'x'] as Fmt[]) {
  X80_OPS[`fxsqrti${s2}x`] = (x) => setResult(x, src(x, 'b', s2), 'x');
  X80_OPS[`fxsqrtu${s2}x`] = (x) => setResult(x, sqrt(src(x, 'a', 'x')), 'x');
  X80_OPS[`fxsqrtt${s2}x`] = (x) => setResult(x, sqrt(src(x, 'a', 'x')), 'x');
}
X80_OPS.fxsqrtixx = (x) => setResult(x, src(x, 'b', 'x'), 'x');
X80_OPS.fdtofx = (x) => setResult(x, src(x, 'b', 'd'), 'x');
X80_OPS.fstofx = (x) => setResult(x, src(x, 'b', 's'), 'x');
X80_OPS.fxtofd = (x) => setResult(x, src(x, 'b', 'x'), 'd');
X80_OPS.fxtofs = (x) => setResult(x, src(x, 'b', 'x'), 's');
X80_OPS.istofx = (x) => setResult(x, fromInt(BigInt(x.bLo | 0)), 'x');
X80_OPS.idtofx = (x) =>
  setResult(x, fromInt(BigInt.asIntN(64, (BigInt(x.bHi >>> 0) << 32n) | BigInt(x.bLo >>> 0))), 'x');
X80_OPS.movx = (x) => {
  x.rLo = x.bLo;
  x.rHi = x.bHi;
  x.rXLo = x.bXLo & 0xffff;
  x.rXHi = 0;
};
X80_OPS.movif = (x) => {
  x.rLo = x.aLo;
  x.rHi = x.aHi;
  x.rXLo = x.bLo & 0xffff;
  x.rXHi = 0;
};
X80_OPS.movfi = (x) => {
  x.rLo = x.bXLo & 0xffff;
  x.rHi = 0;
};

// movxa / movxc (QEMU IMPL_MOVX): the mantissa passes, the sign of the exponent word is
// cleared (absolute value) or flipped (change sign)
X80_OPS.movxa = (x) => {
  x.rLo = x.bLo;
  x.rHi = x.bHi;
  x.rXLo = x.bXLo & 0x7fff;
  x.rXHi = 0;
};
X80_OPS.movxc = (x) => {
  x.rLo = x.bLo;
  x.rHi = x.bHi;
  x.rXLo = (x.bXLo ^ 0x8000) & 0xffff;
  x.rXHi = 0;
};

/** fxscalesx (v4): x80 src1 · 2^src2 (signed 32-bit), rounded to x80. */
X80_OPS.fxscalesx = (x) => {
  const n = src(x, 'a', 'x');
  setResult(x, n.k === 'fin' ? { ...n, e: n.e + (x.bLo | 0) } : n, 'x');
};

/** Signalling NaN test of operand `which` in format f (quiet bit clear, payload non-zero). */
function isSnan(x: Latch, which: 'a' | 'b', f: Fmt): boolean {
  const lo = which === 'a' ? x.aLo : x.bLo;
  const hi = which === 'a' ? x.aHi : x.bHi;
  if (f === 's') return (lo & 0x7fc00000) === 0x7f800000 && (lo & 0x3fffff) !== 0;
  if (f === 'd') return (hi & 0x7ff80000) === 0x7ff00000 && ((hi & 0x7ffff) !== 0 || lo !== 0);
  const ext = which === 'a' ? x.aXLo : x.bXLo;
  return (ext & 0x7fff) === 0x7fff && (hi & 0x40000000) === 0 && ((hi & 0x3fffffff) | lo) !== 0;
}

/**
 * fxcmp{od,ud}{s,d,x}f: x80 src1 against src2 of the given size into an x86-style flag word
 * (as fcmp…f in alu-fp.ts: 0x45 unordered, 0x40 equal, 0x01 less, 0 greater); `od` raises
 * invalid for any NaN, `ud` only for a signalling one.
 */
for (const [k, ordered] of [
  ['od', true],
  ['ud', false],
] as const) {
  for (const f of ['s', 'd', 'x'] as Fmt[]) {
    X80_OPS[`fxcmp${k}${f}f`] = (x) => {
      const c = cmpNum(src(x, 'a', 'x'), src(x, 'b', f));
      if (Number.isNaN(c)) {
        if (ordered || isSnan(x, 'a', 'x') || isSnan(x, 'b', f)) X87.flags |= 1;
        x.rLo = 0x45;
      } else x.rLo = c === 0 ? 0x40 : c < 0 ? 0x01 : 0;
      x.rHi = 0;
    };
  }
}

function toInt(x: Latch, bits: 32 | 64, trunc: boolean): void {
  const n = src(x, 'b', 'x');
  let v: bigint | null = null;
  if (n.k === 'zero') v = 0n;
  else if (n.k === 'fin') {
    const rc = trunc ? 3 : X87.rc;
    const r = n.e >= 0 ? { m: n.m << BigInt(n.e), rem: 0n, sh: 0n } : null;
    let m: bigint;
    if (r) m = r.m;
    else {
      const sh = BigInt(-n.e);
      const rem = n.m & ((1n << sh) - 1n);
      m = n.m >> sh;
      if (rem !== 0n) {
        X87.flags |= 32;
        const half = 1n << (sh - 1n);
        const up =
          rc === 0
            ? rem > half || (rem === half && (m & 1n) === 1n)
            : rc === 1
              ? n.s === 1
              : rc === 2
                ? n.s === 0
                : false;
        if (up) m += 1n;
      }
    }
    v = n.s ? -m : m;
    const lim = 1n << BigInt(bits - 1);
    if (v >= lim || v < -lim) v = null;
  }
  if (v === null) {
    X87.flags |= 1;
    v = -(1n << BigInt(bits - 1));
  }
  x.rLo = fromBig(v);
  x.rHi = bits === 64 ? HI.hi : 0;
}
X80_OPS.fxtois = (x) => toInt(x, 32, false);
X80_OPS.fxtoistr = (x) => toInt(x, 32, true);
X80_OPS.fxtoid = (x) => toInt(x, 64, false);
X80_OPS.fxtoidtr = (x) => toInt(x, 64, true);

/** fxcmp<cond>{s,d,x}b: x80 src1 against src2 of the given size, into a predicate. */
export function x80Compare(opc: number, code: number): Impl {
  const f: Fmt = opc === 0x28 ? 's' : opc === 0x29 ? 'd' : 'x';
  return (x) => {
    const c = cmpNum(src(x, 'a', 'x'), src(x, 'b', f));
    x.rLo = Number.isNaN(c) ? fcmp(code, NaN, 0) : fcmp(code, c, 0);
    x.rHi = 0;
  };
}

/** Names handled here (they need the register extension). */
export function isX80(name: string): boolean {
  return name in X80_OPS || /^fxcmp/.test(name);
}
