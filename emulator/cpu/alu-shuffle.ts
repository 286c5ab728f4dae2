/**
 * Packed shuffles, packs/unpacks, horizontal and multiply-add operations on one 64-bit
 * register (v1-v4 `p…` names, opcodes.md appendix). The docs list only the encodings; the
 * lane semantics follow QEMU (target/e2k/helper_vec.c and the `gen_p*` generators in
 * target/e2k/translate/alc.c), src1 = a, src2 = b, src3 = c.
 *
 * The lit8 forms (`pextrh`, `pinsh`, `pshufw`, `pshufh`, `psllqh/l`, `psrlqh/l`) take their
 * 8-bit literal from ALES[7:0]; `lit8Op` builds a closure per compiled bundle. For the
 * byte shifts a count above 7 gives 0 (binutils gas: "shift count exceeds 7: the result is
 * zero"; QEMU would shift the 128-bit pair further).
 */
import type { Impl, Latch } from './operands';

const s16 = (v: number): number => (v << 16) >> 16;
const s8 = (v: number): number => (v << 24) >> 24;
const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** 16-bit lane i (0..3) of a 64-bit value. */
function h(lo: number, hi: number, i: number): number {
  return ((i < 2 ? lo : hi) >>> ((i & 1) * 16)) & 0xffff;
}
/** Byte i (0..7). */
function b8(lo: number, hi: number, i: number): number {
  return ((i < 4 ? lo : hi) >>> ((i & 3) * 8)) & 0xff;
}

function setH(x: Latch, l: number[]): void {
  x.rLo = (l[0] & 0xffff) | (l[1] << 16);
  x.rHi = (l[2] & 0xffff) | (l[3] << 16);
}
function setB(x: Latch, l: number[]): void {
  x.rLo = (l[0] & 0xff) | ((l[1] & 0xff) << 8) | ((l[2] & 0xff) << 16) | (l[3] << 24);
  x.rHi = (l[4] & 0xff) | ((l[5] & 0xff) << 8) | ((l[6] & 0xff) << 16) | (l[7] << 24);
}

/** 128-bit {hi = a, lo = b} shifted left by n bits: returns [lo, hi] halves as 4 words. */
function shl128(w: number[], n: number): number[] {
  // w = [w0 (lowest), w1, w2, w3]
  const out = [0, 0, 0, 0];
  if (n >= 128) return out;
  const ws = n >>> 5;
  const bs = n & 31;
  for (let i = 3; i >= ws; i--) {
    const src = i - ws;
    out[i] = bs ? (w[src] << bs) | (src > 0 ? w[src - 1] >>> (32 - bs) : 0) : w[src];
  }
  return out;
}
function shr128(w: number[], n: number): number[] {
  const out = [0, 0, 0, 0];
  if (n >= 128) return out;
  const ws = n >>> 5;
  const bs = n & 31;
  for (let i = 0; i + ws < 4; i++) {
    const src = i + ws;
    out[i] = bs ? (w[src] >>> bs) | (src < 3 ? w[src + 1] << (32 - bs) : 0) : w[src];
  }
  return out;
}

/** The implementation of a lit8-form operation with literal `lit`, or null. */
export function lit8Op(name: string, lit: number): Impl | null {
  if (/^ps[lr]lq[hl]$/.test(name) && lit > 7)
    return (x) => {
      x.rLo = 0;
      x.rHi = 0;
    };
  switch (name) {
    case 'pextrh':
      // i < 4: halfword i of src2; 4..7: halfword i-4 of src1; else 0
      return (x) => {
        x.rHi = 0;
        x.rLo = lit < 4 ? h(x.bLo, x.bHi, lit) : lit < 8 ? h(x.aLo, x.aHi, lit - 4) : 0;
      };
    case 'pinsh':
      // src1 with halfword `lit` (if < 4) replaced by src2[15:0]
      return (x) => {
        const l = [0, 1, 2, 3].map((i) => h(x.aLo, x.aHi, i));
        if (lit < 4) l[lit] = x.bLo & 0xffff;
        setH(x, l);
      };
    case 'pshufw':
      // word i = sel(i) = lit[2i+1:2i]: sel > 1 → src1.w[sel & 1], else src2.w[sel & 1]
      return (x) => {
        const pick = (sel: number): number =>
          sel > 1 ? (sel & 1 ? x.aHi : x.aLo) : sel & 1 ? x.bHi : x.bLo;
        const lo = pick(lit & 3);
        x.rHi = pick((lit >>> 2) & 3);
        x.rLo = lo;
      };
    case 'pshufh':
      // halfword i = src2.h[lit[2i+1:2i]]
      return (x) =>
        setH(
          x,
          [0, 1, 2, 3].map((i) => h(x.bLo, x.bHi, (lit >>> (2 * i)) & 3)),
        );
    case 'psllql':
      // low 64 bits of src2 << 8·lit
      return (x) => {
        const r = shl128([x.bLo, x.bHi, 0, 0], lit * 8);
        x.rLo = r[0];
        x.rHi = r[1];
      };
    case 'psllqh':
      // high 64 bits of the 128-bit {src1:src2} << 8·lit
      return (x) => {
        const r = shl128([x.bLo, x.bHi, x.aLo, x.aHi], lit * 8);
        x.rLo = r[2];
        x.rHi = r[3];
      };
    case 'psrlql':
      // low 64 bits of {src1:src2} >> 8·lit
      return (x) => {
        const r = shr128([x.bLo, x.bHi, x.aLo, x.aHi], lit * 8);
        x.rLo = r[0];
        x.rHi = r[1];
      };
    case 'psrlqh':
      // src1 >> 8·lit
      return (x) => {
        const r = shr128([x.aLo, x.aHi, 0, 0], lit * 8);
        x.rLo = r[0];
        x.rHi = r[1];
      };
  }
  return null;
}

function horiz(w: 16 | 32, f: (p: number, q: number) => number): Impl {
  if (w === 32)
    return (x) => {
      x.rLo = f(x.aLo, x.aHi) | 0;
      x.rHi = f(x.bLo, x.bHi) | 0;
    };
  return (x) =>
    setH(x, [
      f(s16(x.aLo), s16(x.aLo >>> 16)),
      f(s16(x.aHi), s16(x.aHi >>> 16)),
      f(s16(x.bLo), s16(x.bLo >>> 16)),
      f(s16(x.bHi), s16(x.bHi >>> 16)),
    ]);
}
const sath = (v: number): number => clamp(v, -32768, 32767);

/** 16-bit lanes of src1 then src2 → bytes: result bytes 0-3 from src2, 4-7 from src1. */
function packHB(sat: (v: number) => number): Impl {
  return (x) => {
    const l: number[] = [];
    for (let i = 0; i < 4; i++) l.push(sat(s16(h(x.bLo, x.bHi, i))));
    for (let i = 0; i < 4; i++) l.push(sat(s16(h(x.aLo, x.aHi, i))));
    setB(x, l);
  };
}
function packWH(sat: (v: number) => number): Impl {
  return (x) => setH(x, [sat(x.bLo | 0), sat(x.bHi | 0), sat(x.aLo | 0), sat(x.aHi | 0)]);
}

/** Interleave: result lane i = (i odd ? src1 : src2) lane (offset + i/2). */
function unpackB(off: number): Impl {
  return (x) => {
    const l: number[] = [];
    for (let i = 0; i < 8; i++) {
      const j = off + (i >>> 1);
      l.push(i & 1 ? b8(x.aLo, x.aHi, j) : b8(x.bLo, x.bHi, j));
    }
    setB(x, l);
  };
}
function unpackH(off: number): Impl {
  return (x) => {
    const l: number[] = [];
    for (let i = 0; i < 4; i++) {
      const j = off + (i >>> 1);
      l.push(i & 1 ? h(x.aLo, x.aHi, j) : h(x.bLo, x.bHi, j));
    }
    setH(x, l);
  };
}

function revBits8(v: number): number {
  v = ((v & 0xf0) >>> 4) | ((v & 0x0f) << 4);
  v = ((v & 0xcc) >>> 2) | ((v & 0x33) << 2);
  return ((v & 0xaa) >>> 1) | ((v & 0x55) << 1);
}

export const SHUFFLE_OPS: Record<string, Impl> = {
  packsshb: packHB((v) => clamp(v, -128, 127)),
  packushb: packHB((v) => clamp(v, 0, 255)),
  packsswh: packWH(sath),
  packuswh: packWH((v) => clamp(v, 0, 65535)),
  punpcklbh: unpackB(0),
  punpckhbh: unpackB(4),
  punpcklhw: unpackH(0),
  punpckhhw: unpackH(2),
  punpcklwd: (x) => void ((x.rLo = x.bLo), (x.rHi = x.aLo)),
  punpckhwd: (x) => void ((x.rLo = x.bHi), (x.rHi = x.aHi)),
  phaddh: horiz(16, (p, q) => p + q),
  phaddsh: horiz(16, (p, q) => sath(p + q)),
  phsubh: horiz(16, (p, q) => p - q),
  phsubsh: horiz(16, (p, q) => sath(p - q)),
  phaddw: horiz(32, (p, q) => p + q),
  phsubw: horiz(32, (p, q) => p - q),
  // signed 16×16 products, adjacent pairs summed to 32 bits (wrapping)
  pmaddh: (x) => {
    const m = (i: number): number => Math.imul(s16(h(x.aLo, x.aHi, i)), s16(h(x.bLo, x.bHi, i)));
    x.rLo = (m(0) + m(1)) | 0;
    x.rHi = (m(2) + m(3)) | 0;
  },
  // unsigned bytes of src1 × signed bytes of src2, adjacent pairs summed, saturated to 16
  pmaddubsh: (x) => {
    const l: number[] = [];
    for (let i = 0; i < 4; i++) {
      const j = 2 * i;
      l.push(
        sath(
          b8(x.aLo, x.aHi, j) * s8(b8(x.bLo, x.bHi, j)) +
            b8(x.aLo, x.aHi, j + 1) * s8(b8(x.bLo, x.bHi, j + 1)),
        ),
      );
    }
    setH(x, l);
  },
  // halfword i = (src1.ub[i] · src2.sh[i] + 0x80) >> 8, rounded (QEMU's later helper_vec.c;
  // an earlier one added src1.ub[i] instead of the rounding constant)
  pmulubhh: (x) => {
    const l: number[] = [];
    for (let i = 0; i < 4; i++) {
      const u = b8(x.aLo, x.aHi, i);
      l.push((u * s16(h(x.bLo, x.bHi, i)) + 0x80) >> 8);
    }
    setH(x, l);
  },
  // sign bits: src2's lanes in the low bits, src1's above them
  pmovmskps: (x) => {
    x.rLo = (x.bLo >>> 31) | ((x.bHi >>> 31) << 1) | ((x.aLo >>> 31) << 2) | ((x.aHi >>> 31) << 3);
    x.rHi = 0;
  },
  pmovmskpd: (x) => {
    x.rLo = (x.bHi >>> 31) | ((x.aHi >>> 31) << 1);
    x.rHi = 0;
  },
  // byte i from descriptor d = src3.b[i] (QEMU's later helper_vec.c): d < 0x80: byte (d & 7)
  // of src1 (d & 8) or src2, then d & 0x10 inverts, d & 0x20 reverses the bits, d & 0x40
  // replaces it by its sign; d ≥ 0x80: a constant by d & 0x70: 0x20 → 0x7f, 0x40 → 0x80,
  // 0x60 → 0xff, else 0
  pshufb: (x) => {
    const l: number[] = [];
    for (let i = 0; i < 8; i++) {
      const d = b8(x.cLo, x.cHi, i);
      let v: number;
      if (d < 0x80) {
        const k = d & 7;
        v = d & 8 ? b8(x.aLo, x.aHi, k) : b8(x.bLo, x.bHi, k);
        if (d & 0x10) v = ~v & 0xff;
        if (d & 0x20) v = revBits8(v);
        if (d & 0x40) v = v & 0x80 ? 0xff : 0;
      } else {
        const m = d & 0x70;
        v = m === 0x20 ? 0x7f : m === 0x40 ? 0x80 : m === 0x60 ? 0xff : 0;
      }
      l.push(v);
    }
    setB(x, l);
  },
};
