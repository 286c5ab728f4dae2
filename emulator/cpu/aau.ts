/**
 * Array access unit (AAU) registers and the `staa*` / `ldaa*` / `aaurw*` / `aaurr*` /
 * `mova*` semantics (opcodes.md §10, encoding.md §13, asm-syntax.md §11). The docs do not
 * give the AAD descriptor layout nor the prefetch-buffer model, so this follows QEMU's model
 * (target/e2k/helper_aau.c, translate/aau.c) — the one place it lives:
 *
 * * `%aadN` (32): a 128-bit descriptor; the address base is lo[47:0]. `aaurwd` writes lo
 *   (base) and sets the mb/ed/rw bits (lo[59], lo[60], lo[62:61] = 3) the way QEMU does;
 *   `aaurrd` reads lo back.
 * * `%aastiN`, `%aaindN` (16 each), `%aaincrN` (8): 32-bit values; reads zero-extend.
 *   `%aaincr0` is hardwired to 1 and `%aaind0` to 0 (QEMU): writes to them are ignored.
 * * `staa{b,h,w,d}` / `ldaa{b,h,w,d}` `%aadD [ %aastiI + lit ]` access base + zext(AASTI[I])
 *   + sext(lit32); with `incr %aaincrK` AASTI[I] += AAINCR[K] << log2(size), committed with
 *   the bundle, when the access's RLP and the AM-unit condition (CDS mask bit 3) hold.
 *   (QEMU has no ldaa; the assembler gives it staa's addressing, so it is the
 *   load twin of staa.)
 *
 * Array prefetch (APB). `bap` (SS bit 28) starts the asynchronous program whose address was
 * prepared in `%ctpr2` (by `ldisp`): 16-byte `fapb` entries, the left half of entry i
 * describing area i of the left buffer (mova channels 0, 1), the right half area i of the
 * right buffer (channels 2, 3); the program ends at the first entry with `ct` (left bit 31)
 * or `dpl` (right bit 31). Control word fields: abs [4:0], asz [7:5], ind [11:8], incr
 * [14:12], d (AAD) [19:15], mrng [24:20], fmt [27:25], dcd [29:28]; the second word is a
 * byte displacement. An area with fmt ≠ 0 starts with its current index CDI = AAIND[ind].
 * The hardware fills the buffer asynchronously; this model reads memory when the `mova`
 * executes (same result for a program that does not store into its own prefetched arrays;
 * the APB does not snoop stores, so such programs are undefined anyway).
 *
 * `mova{b,h,w,d,q,qp},C area=A, ind=I, am=M, be=B, dst` reads the element at
 * base(AAD[d]) + zext(CDI) + zext(disp) + I (I is a byte offset into the area window, as
 * QEMU) and writes it zero-extended to the 64-bit dst (tag 0; `movaqp` writes a 128-bit
 * register, v5+; `movaq` is two channels, each moving one 8-byte half — the assembler gives
 * the second half ind + 8). An element of 2^k bytes needs fmt > k (fmt 1 bytes … 4 doubles,
 * 5 quads), else illegal-opcode (QEMU; qemu-e2k-tests aau/mova-fmt). An element the buffer
 * cannot hold — misaligned on v2–v4 (and 16-byte ones on v5), or on an unreadable page —
 * moves as a diagnostic value (tagged; using it raises illegal-operand), the way a failed
 * prefetch marks its buffer slot; QEMU gives a load from 0 there. `am=1` advances the area
 * after the bundle: CDI += AAINCR[incr] << (fmt - 1), once per area even when both
 * channels of a side name it. `be=1` byte-swaps the element. `eap` (SS bit 29) ends the
 * program: every area becomes empty and a later mova raises illegal-opcode, as one before
 * any `bap` does. `mrng` (the area length) is not checked (QEMU neither).
 *
 * The aaurw/aaurr register selector is ALS[23:8] = class << 2 | index << 7 | descriptor
 * << 11 (class 0 aad, 1 aasti, 2 aaind, 3 aaincr; other classes — aaldi, aalda, aafstr,
 * aaldv, aaldm, aabf, aadr, tags, aasr — are not modelled and raise illegal-opcode).
 * `aaurwq` / `aaurrq` (register pairs, channels 2 + 5) move a whole 128-bit `%aadN`: the
 * first channel its low 64 bits (as aaurwd/aaurrd), the second the high 64 bits, of which
 * bits 95:64 read as zero (QEMU gen_aaurw_aad_hi_i64). The other classes have no pair form
 * here, nor do the array accesses `staaq` / `ldaaq` (QEMU stores each half at the same
 * address — unclear).
 */
import type { Memory } from './memory';
import { MemFault } from './memory';

/** Value of an element the prefetch could not fetch (as a failed speculative load). */
const INVALID = 0x4afafafa;

function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

export const AAU_AAD = 0;
export const AAU_AASTI = 1;
export const AAU_AAIND = 2;
export const AAU_AAINCR = 3;
/** Internal class: the high 64 bits of %aadN (the second channel of aaurwq/aaurrq). */
export const AAU_AAD_HI = 4;

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
  /** Bits 127:64 of each descriptor (only aaurwq/aaurrq reach them). */
  readonly aadQLo = new Int32Array(32);
  readonly aadQHi = new Int32Array(32);
  readonly sti = new Int32Array(16);
  readonly ind = new Int32Array(16);
  readonly incr = new Int32Array(8);
  /**
   * Prefetch areas, index side * 32 + area (side 0: channels 0, 1; side 1: 2, 3): the fapb
   * control word, its displacement and the current data index.
   */
  readonly areaCtl = new Int32Array(64);
  readonly areaDisp = new Int32Array(64);
  readonly areaCdi = new Int32Array(64);
  /** A program read by `bap`, installed when its bundle commits. */
  private readonly pendCtl = new Int32Array(64);
  private readonly pendDisp = new Int32Array(64);

  constructor() {
    this.incr[0] = 1;
  }

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
        if (i !== 0) this.ind[i] = lo; // %aaind0 is always 0 (QEMU gen_aaurw_rest_i32)
        break;
      case AAU_AAD_HI:
        // QEMU gen_aaurw_aad_hi_i64: bits 95:64 are not writable
        this.aadQLo[i] = 0;
        this.aadQHi[i] = hi;
        break;
      default:
        if (i !== 0) this.incr[i] = lo; // %aaincr0 is always 1
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
      case AAU_AAD_HI:
        out[0] = this.aadQLo[i];
        out[1] = this.aadQHi[i];
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

  /**
   * Reads the prefetch program at `base` (bap) into the pending buffers; memory faults
   * propagate (nothing is committed then).
   */
  readProgram(mem: Memory, base: number): void {
    this.pendCtl.fill(0);
    this.pendDisp.fill(0);
    for (let i = 0; i < 32; i++) {
      const a = base + i * 16;
      const l = mem.read64(a);
      const ld = mem.hi;
      const r = mem.read64(a + 8);
      const rd = mem.hi;
      this.pendCtl[i] = l;
      this.pendDisp[i] = ld;
      this.pendCtl[32 + i] = r;
      this.pendDisp[32 + i] = rd;
      if ((l | r) < 0) break; // ct / dpl: the last entry
    }
  }

  /** Starts the program read by readProgram (the bap bundle commits). */
  startProgram(): void {
    for (let i = 0; i < 64; i++) {
      const c = this.pendCtl[i];
      if (((c >>> 25) & 7) !== 0) {
        this.areaCtl[i] = c;
        this.areaDisp[i] = this.pendDisp[i];
        this.areaCdi[i] = this.ind[(c >>> 8) & 15];
      } else {
        this.areaCtl[i] = 0;
        this.areaDisp[i] = 0;
        this.areaCdi[i] = 0;
      }
    }
  }

  /** eap: the program ends, every area is empty. */
  endProgram(): void {
    this.areaCtl.fill(0);
    this.areaDisp.fill(0);
    this.areaCdi.fill(0);
  }

  /** fmt of area `a` (side * 32 + area); 0 = empty. */
  areaFmt(a: number): number {
    return (this.areaCtl[a] >>> 25) & 7;
  }

  /** Address of byte `ind` of area `a`'s current element window. */
  movaAddress(a: number, ind: number): number {
    const c = this.areaCtl[a];
    const d = (c >>> 15) & 31;
    const base = (this.aadHi[d] & 0xffff) * 4294967296 + (this.aadLo[d] >>> 0);
    return base + (this.areaCdi[a] >>> 0) + (this.areaDisp[a] >>> 0) + ind;
  }

  /** am: advances area `a` by AAINCR[incr] elements of its format. */
  advance(a: number): void {
    const c = this.areaCtl[a];
    const fmt = (c >>> 25) & 7;
    if (fmt === 0) return;
    this.areaCdi[a] = (this.areaCdi[a] + (this.incr[(c >>> 12) & 7] << (fmt - 1))) | 0;
  }

  /**
   * Reads the n-byte element a mova moves into out (4 words, low first), byte-swapped when
   * `be`. Returns its tag: 0, or 5 (a diagnostic value) when the element is misaligned and
   * `strict`, or on an unreadable page — the buffer slot a failed prefetch leaves.
   */
  readElement(
    m: Memory,
    addr: number,
    n: number,
    be: boolean,
    strict: boolean,
    out: Int32Array,
  ): number {
    out.fill(0);
    if (strict && addr % n !== 0) {
      out.fill(INVALID);
      return 5;
    }
    try {
      if (n === 1) out[0] = m.read8(addr);
      else if (n === 2) out[0] = m.read16(addr);
      else if (n === 4) out[0] = m.read32(addr);
      else {
        out[0] = m.read64(addr);
        out[1] = m.hi;
        if (n === 16) {
          out[2] = m.read64(addr + 8);
          out[3] = m.hi;
        }
      }
    } catch (err) {
      if (!(err instanceof MemFault)) throw err;
      out.fill(INVALID);
      return 5;
    }
    if (be) {
      if (n === 2) out[0] = ((out[0] & 0xff) << 8) | ((out[0] >>> 8) & 0xff);
      else if (n === 4) out[0] = bswap32(out[0]);
      else {
        // the element's bytes in the opposite order: words reversed, each byte-swapped
        const w = n === 16 ? [out[3], out[2], out[1], out[0]] : [out[1], out[0]];
        for (let i = 0; i < w.length; i++) out[i] = bswap32(w[i]);
      }
    }
    return 0;
  }
}
