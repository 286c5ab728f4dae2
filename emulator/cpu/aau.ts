/**
 * Array access unit (AAU) registers and the `staa*` / `aaurw*` / `aaurr*` semantics
 * (opcodes.md §10, asm-syntax.md §11). The docs do not give the AAD descriptor layout, so
 * this follows QEMU's model (target/e2k/helper_aau.c) — the one place it lives:
 *
 * * `%aadN` (32): a 128-bit descriptor; the address base is lo[47:0]. `aaurwd` writes lo
 *   (base) and sets the mb/ed/rw bits (lo[59], lo[60], lo[62:61] = 3) the way QEMU does;
 *   `aaurrd` reads lo back.
 * * `%aastiN`, `%aaindN` (16 each), `%aaincrN` (8): 32-bit values; reads zero-extend.
 * * `staa{b,h,w,d} src3, %aadD [ %aastiI + lit ]` stores at base + zext(AASTI[I]) +
 *   sext(lit32); with `incr %aaincrK` AASTI[I] += AAINCR[K] << log2(size), committed with
 *   the bundle.
 *
 * The aaurw/aaurr register selector is ALS[23:8] = class << 2 | index << 7 | descriptor
 * << 11 (class 0 aad, 1 aasti, 2 aaind, 3 aaincr; other classes — aaldi, aalda, aafstr,
 * aaldv, aaldm, aabf, aadr, tags, aasr — are not modelled and raise illegal-opcode).
 * Not implemented: the asynchronous prefetch program (`fapb`, `bap/eap`), `mova*`,
 * array loads `ldaa*`, the 128-bit pair forms `staaq` / `aaurwq` / `aaurrq`.
 */

export const AAU_AAD = 0;
export const AAU_AASTI = 1;
export const AAU_AAIND = 2;
export const AAU_AAINCR = 3;

const COUNT = [32, 16, 16, 8];

/** Register class and index encoded in an aaurw/aaurr selector, as class << 8 | index, or -1. */
export function aauSelector(f: number): number {
  const cls = (f >>> 2) & 0x1f;
  if (cls > AAU_AAINCR) return -1;
  const idx = cls === AAU_AAD ? (f >>> 11) & 0x1f : (f >>> 7) & 0xf;
  if (idx >= COUNT[cls]) return -1;
  return (cls << 8) | idx;
}

export class AauState {
  readonly aadLo = new Int32Array(32);
  readonly aadHi = new Int32Array(32);
  readonly sti = new Int32Array(16);
  readonly ind = new Int32Array(16);
  readonly incr = new Int32Array(8);

  /** Writes register `sel` (class << 8 | index) from a 64-bit value. */
  write(sel: number, lo: number, hi: number): void {
    const i = sel & 0xff;
    switch (sel >>> 8) {
      case AAU_AAD:
        this.aadLo[i] = lo;
        // base[47:32], mb (bit 59), ed (bit 60), rw = 3 (bits 62:61)
        this.aadHi[i] = (hi & 0xffff) | (1 << 27) | (1 << 28) | (3 << 29);
        break;
      case AAU_AASTI:
        this.sti[i] = lo;
        break;
      case AAU_AAIND:
        this.ind[i] = lo;
        break;
      default:
        this.incr[i] = lo;
    }
  }

  /** Reads register `sel` into out[0] (lo) and out[1] (hi). */
  read(sel: number, out: Int32Array): void {
    const i = sel & 0xff;
    out[1] = 0;
    switch (sel >>> 8) {
      case AAU_AAD:
        out[0] = this.aadLo[i];
        out[1] = this.aadHi[i];
        break;
      case AAU_AASTI:
        out[0] = this.sti[i];
        break;
      case AAU_AAIND:
        out[0] = this.ind[i];
        break;
      default:
        out[0] = this.incr[i];
    }
  }

  /** staa address: base48(AAD[d]) + zext(AASTI[s]) + lit (a JS number, < 2^53 in practice). */
  address(d: number, s: number, lit: number): number {
    const base = (this.aadHi[d] & 0xffff) * 4294967296 + (this.aadLo[d] >>> 0);
    return base + (this.sti[s] >>> 0) + lit;
  }
}
