/**
 * Packed (SIMD) operations on one 64-bit register (opcodes.md appendix, the `p…` names):
 * integer lanes of 8/16/32/64 bits (wrapping and saturating add/sub, min/max, compares to
 * masks, shifts, multiplies, averages, logic) and packed float32 / float64 arithmetic and
 * compares. Shuffles, packs/unpacks and horizontal ops are in alu-shuffle.ts.
 */
import { asF32, fcmp, FP_OPS } from './alu-fp';
import type { Impl, Latch } from './operands';

const BITS: Record<string, number> = { b: 8, h: 16, w: 32, d: 64 };

function unpack(lo: number, hi: number, w: number): number[] {
  const out: number[] = [];
  if (w === 64) return [lo >>> 0, hi >>> 0];
  const n = 32 / w;
  const mask = w === 32 ? 0xffffffff : (1 << w) - 1;
  for (const word of [lo, hi]) for (let i = 0; i < n; i++) out.push((word >>> (i * w)) & mask);
  return out;
}

function pack(x: Latch, lanes: number[], w: number): void {
  if (w === 64) {
    x.rLo = lanes[0] | 0;
    x.rHi = lanes[1] | 0;
    return;
  }
  const n = 32 / w;
  const mask = w === 32 ? 0xffffffff : (1 << w) - 1;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    lo |= (lanes[i] & mask) << (i * w);
    hi |= (lanes[n + i] & mask) << (i * w);
  }
  x.rLo = lo | 0;
  x.rHi = hi | 0;
}

const signed = (v: number, w: number): number => (w === 32 ? v | 0 : (v << (32 - w)) >> (32 - w));

/** Lane-wise op on 8/16/32-bit lanes (64-bit handled by the scalar ops). */
function lanes(w: number, f: (a: number, b: number) => number): Impl {
  return (x) => {
    const a = unpack(x.aLo, x.aHi, w);
    const b = unpack(x.bLo, x.bHi, w);
    pack(
      x,
      a.map((v, i) => f(v, b[i])),
      w,
    );
  };
}

function sat(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function add64(x: Latch, sub: boolean): void {
  const bl = sub ? -(x.bLo >>> 0) : x.bLo >>> 0;
  const lo = (x.aLo >>> 0) + bl;
  const carry = lo < 0 ? -1 : lo > 0xffffffff ? 1 : 0;
  x.rLo = lo | 0;
  x.rHi = (sub ? x.aHi - x.bHi + carry : x.aHi + x.bHi + carry) | 0;
}

export const PACKED_OPS: Record<string, Impl> = {
  pandd: (x) => void ((x.rLo = x.aLo & x.bLo), (x.rHi = x.aHi & x.bHi)),
  pandnd: (x) => void ((x.rLo = x.aLo & ~x.bLo), (x.rHi = x.aHi & ~x.bHi)),
  pord: (x) => void ((x.rLo = x.aLo | x.bLo), (x.rHi = x.aHi | x.bHi)),
  pxord: (x) => void ((x.rLo = x.aLo ^ x.bLo), (x.rHi = x.aHi ^ x.bHi)),
  paddd: (x) => add64(x, false),
  psubd: (x) => add64(x, true),
};

for (const [s, w] of Object.entries(BITS)) {
  if (w === 64) continue;
  const smin = -(2 ** (w - 1));
  const smax = 2 ** (w - 1) - 1;
  const umax = 2 ** w - 1;
  PACKED_OPS[`padd${s}`] = lanes(w, (a, b) => a + b);
  PACKED_OPS[`psub${s}`] = lanes(w, (a, b) => a - b);
  PACKED_OPS[`padds${s}`] = lanes(w, (a, b) => sat(signed(a, w) + signed(b, w), smin, smax));
  PACKED_OPS[`psubs${s}`] = lanes(w, (a, b) => sat(signed(a, w) - signed(b, w), smin, smax));
  PACKED_OPS[`paddus${s}`] = lanes(w, (a, b) => sat(a + b, 0, umax));
  PACKED_OPS[`psubus${s}`] = lanes(w, (a, b) => sat(a - b, 0, umax));
  PACKED_OPS[`pmaxs${s}`] = lanes(w, (a, b) => (signed(a, w) > signed(b, w) ? a : b));
  PACKED_OPS[`pmins${s}`] = lanes(w, (a, b) => (signed(a, w) < signed(b, w) ? a : b));
  PACKED_OPS[`pmaxu${s}`] = lanes(w, (a, b) => (a > b ? a : b));
  PACKED_OPS[`pminu${s}`] = lanes(w, (a, b) => (a < b ? a : b));
  PACKED_OPS[`pcmpeq${s}`] = lanes(w, (a, b) => (a === b ? -1 : 0));
  PACKED_OPS[`pcmpgt${s}`] = lanes(w, (a, b) => (signed(a, w) > signed(b, w) ? -1 : 0));
  PACKED_OPS[`pavgus${s}`] = lanes(w, (a, b) => (a + b + 1) >>> 1);
  PACKED_OPS[`psign${s}`] = lanes(w, (a, b) => {
    const sb = signed(b, w);
    return sb < 0 ? -signed(a, w) : sb === 0 ? 0 : a;
  });
  if (w >= 16) {
    // shifts: count = src2 (whole register); counts ≥ lane width give 0 (or sign fill)
    PACKED_OPS[`psll${s}`] = (x) =>
      lanes(w, (a) => (x.bLo >>> 0 >= w || x.bHi !== 0 ? 0 : a << x.bLo))(x);
    PACKED_OPS[`psrl${s}`] = (x) =>
      lanes(w, (a) => (x.bLo >>> 0 >= w || x.bHi !== 0 ? 0 : a >>> x.bLo))(x);
    PACKED_OPS[`psra${s}`] = (x) =>
      lanes(w, (a) => signed(a, w) >> Math.min(x.bLo >>> 0, w - 1))(x);
  }
}
PACKED_OPS.pmaxuh = PACKED_OPS.pmaxuh ?? lanes(16, (a, b) => (a > b ? a : b));
PACKED_OPS.pmullh = lanes(16, (a, b) => Math.imul(signed(a, 16), signed(b, 16)));
PACKED_OPS.pmulhh = lanes(16, (a, b) => (signed(a, 16) * signed(b, 16)) >> 16);
PACKED_OPS.pmulhuh = lanes(16, (a, b) => (a * b) >>> 16);
PACKED_OPS.pmullw = lanes(32, (a, b) => Math.imul(a, b));
PACKED_OPS.psadbw = (x) => {
  const a = unpack(x.aLo, x.aHi, 8);
  const b = unpack(x.bLo, x.bHi, 8);
  x.rLo = a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0);
  x.rHi = 0;
};
PACKED_OPS.pmovmskb = (x) => {
  const a = unpack(x.aLo, x.aHi, 8);
  const b = unpack(x.bLo, x.bHi, 8);
  // src2's sign bits in bits 0-7, src1's in bits 8-15 (QEMU helper_vec.c MOVMASK)
  x.rLo = [...b, ...a].reduce((m, v, i) => m | ((v >>> 7) << i), 0);
  x.rHi = 0;
};

// packed float32 (two lanes) and float64 (one lane)
const f32buf = new Float32Array(1);
const i32buf = new Int32Array(f32buf.buffer);
function f32bits(v: number): number {
  f32buf[0] = v;
  return i32buf[0];
}
function pfs(f: (a: number, b: number) => number): Impl {
  return (x) => {
    x.rLo = f32bits(f(asF32(x.aLo), asF32(x.bLo)));
    x.rHi = f32bits(f(asF32(x.aHi), asF32(x.bHi)));
  };
}
const FOPS: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  min: (a, b) => (a < b ? a : b),
  max: (a, b) => (b < a ? a : b),
};
for (const [n, f] of Object.entries(FOPS)) PACKED_OPS[`pf${n}s`] = pfs(f);
['eq', 'lt', 'le', 'uod', 'neq', 'nlt', 'nle', 'od'].forEach((c, code) => {
  PACKED_OPS[`pfcmp${c}s`] = (x) => {
    x.rLo = fcmp(code, asF32(x.aLo), asF32(x.bLo)) ? -1 : 0;
    x.rHi = fcmp(code, asF32(x.aHi), asF32(x.bHi)) ? -1 : 0;
  };
});
// float64 "packed" forms have a single lane: the scalar operations.
for (const n of ['add', 'sub', 'mul', 'div', 'min', 'max'])
  PACKED_OPS[`pf${n}d`] = FP_OPS[`f${n}d`];
['eq', 'lt', 'le', 'uod', 'neq', 'nlt', 'nle', 'od'].forEach((c) => {
  PACKED_OPS[`pfcmp${c}d`] = FP_OPS[`fcmp${c}d`];
});

/**
 * plog_N (v5, LCMBD): 3-input bitwise logic with truth table N; for every bit position the
 * result is bit (s1·4 + s2·2 + s3) of N (input order is our reading, uncertain).
 */
function plog(n: number): Impl {
  return (x) => {
    let lo = 0;
    let hi = 0;
    for (let idx = 0; idx < 8; idx++) {
      if (((n >>> idx) & 1) === 0) continue;
      const a = idx & 4 ? x.aLo : ~x.aLo;
      const b = idx & 2 ? x.bLo : ~x.bLo;
      const c = idx & 1 ? x.cLo : ~x.cLo;
      const ah = idx & 4 ? x.aHi : ~x.aHi;
      const bh = idx & 2 ? x.bHi : ~x.bHi;
      const ch = idx & 1 ? x.cHi : ~x.cHi;
      lo |= a & b & c;
      hi |= ah & bh & ch;
    }
    x.rLo = lo;
    x.rHi = hi;
  };
}
// the table's decimal names (`plog_150`), the hex spelling objdump prints (`plog_0x96`)
// and the named aliases sharing those encodings
for (let n = 0; n < 256; n++) {
  PACKED_OPS[`plog_${n}`] = plog(n);
  PACKED_OPS[`plog_0x${n.toString(16).padStart(2, '0')}`] = PACKED_OPS[`plog_${n}`];
}
PACKED_OPS.plog_and = PACKED_OPS.plog_0x80;
PACKED_OPS.plog_xor = PACKED_OPS.plog_0x96;
PACKED_OPS.plog_sel3 = PACKED_OPS.plog_0xd8;
PACKED_OPS.plog_mjr = PACKED_OPS.plog_0xe8;
PACKED_OPS.plog_or = PACKED_OPS.plog_0xfe;

// 64-bit lanes
PACKED_OPS.pcmpeqd = (x) => {
  x.rLo = x.rHi = x.aLo === x.bLo && x.aHi === x.bHi ? -1 : 0;
};
PACKED_OPS.pcmpgtd = (x) => {
  const gt = x.aHi > x.bHi || (x.aHi === x.bHi && x.aLo >>> 0 > x.bLo >>> 0);
  x.rLo = x.rHi = gt ? -1 : 0;
};
PACKED_OPS.pslld = (x) => {
  const n = x.bHi !== 0 || x.bLo >>> 0 >= 64 ? 64 : x.bLo;
  if (n >= 64) x.rLo = x.rHi = 0;
  else if (n >= 32) {
    x.rHi = x.aLo << (n - 32);
    x.rLo = 0;
  } else {
    x.rHi = n ? (x.aHi << n) | (x.aLo >>> (32 - n)) : x.aHi;
    x.rLo = x.aLo << n;
  }
};
PACKED_OPS.psrld = (x) => {
  const n = x.bHi !== 0 || x.bLo >>> 0 >= 64 ? 64 : x.bLo;
  if (n >= 64) x.rLo = x.rHi = 0;
  else if (n >= 32) {
    x.rLo = x.aHi >>> (n - 32);
    x.rHi = 0;
  } else {
    x.rLo = n ? (x.aLo >>> n) | (x.aHi << (32 - n)) : x.aLo;
    x.rHi = n ? x.aHi >>> n : x.aHi;
  }
};
