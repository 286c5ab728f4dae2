/**
 * The data side of the executor: the operand latch, the staging buffers that hold a
 * bundle's results until the commit (README "bundle semantics": results commit together,
 * the highest channel wins), loads and stores with the documented alignment and
 * speculative behaviour (opcodes.md §6.3, control-and-stacks.md §8), and the commit with
 * its optional trace of every write (e2k-run --trace).
 */
import type { CAlu, CompiledBundle } from './compile';
import { ControlUnit } from './control';
import { Exc } from './exceptions';
import { MemFault } from './memory';
import { Latch } from './operands';
import { GLOBAL_BASE } from './state';
import { AauState } from './aau';
import { writeSysreg } from './sysreg-access';

const RF_SIZE = 224;
const CTPR_DISP = 3;
/** Value of a speculative load from an inaccessible address (§8). */
const LD_INVALID = 0x4afafafa;

// staged result kinds
export const ST_REG64 = 1;
export const ST_REG32 = 2;
export const ST_PRED = 3;
export const ST_CTPR = 4;
export const ST_STATE = 5;
export const ST_REG128 = 6;
/** AAU register write (aau.ts): idx = class << 8 | index. */
export const ST_AAU = 7;

export type TraceWrite = (what: string) => void;

function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/**
 * MAS bit 3 makes a load/store big-endian (QEMU memop_from_mas): the `size` bytes of the
 * value in w (4 words, low first) are reversed in place.
 */
function beSwap(w: Int32Array, size: number): void {
  if (size === 2) w[0] = ((w[0] & 0xff) << 8) | ((w[0] >>> 8) & 0xff);
  else if (size === 4) w[0] = bswap32(w[0]);
  else if (size === 8) {
    const t = w[0];
    w[0] = bswap32(w[1]);
    w[1] = bswap32(t);
  } else if (size === 16) {
    const [a, b, c, d] = w;
    w[0] = bswap32(d);
    w[1] = bswap32(c);
    w[2] = bswap32(b);
    w[3] = bswap32(a);
  }
}

function toNum(lo: number, hi: number): number {
  return (hi >>> 0) * 4294967296 + (lo >>> 0);
}

function hex(lo: number, hi: number, size: number): string {
  const l = (lo >>> 0).toString(16).padStart(8, '0');
  if (size <= 4) return `0x${(size === 4 ? lo >>> 0 : lo & ((1 << (size * 8)) - 1)).toString(16)}`;
  return `0x${(hi >>> 0).toString(16).padStart(8, '0')}${l}`;
}

export class DataUnit extends ControlUnit {
  readonly x = new Latch();
  /** Array access unit registers (aau.ts). */
  readonly aau = new AauState();
  protected readonly aauBuf = new Int32Array(2);
  // staging
  protected n = 0;
  protected readonly sKind = new Uint8Array(16);
  protected readonly sIdx = new Int32Array(16);
  protected readonly sLo = new Int32Array(16);
  protected readonly sHi = new Int32Array(16);
  protected readonly sTag = new Uint8Array(16);
  protected readonly sXLo = new Int32Array(16);
  protected readonly sXHi = new Int32Array(16);
  protected ns = 0;
  protected readonly stAddr = new Float64Array(4);
  protected readonly stSize = new Uint8Array(4);
  protected readonly stLo = new Int32Array(4);
  protected readonly stHi = new Int32Array(4);
  protected readonly stXLo = new Int32Array(4);
  protected readonly stXHi = new Int32Array(4);
  /** Scratch words for big-endian accesses. */
  private readonly beBuf = new Int32Array(4);
  /** Byte enables of a 16-byte store (stmqp); 0xffff for the others. */
  protected readonly stMask = new Uint16Array(4);
  protected usdDelta = 0;
  /** Window size destinations of the current bundle are checked against. */
  protected dsz = 0;
  protected readonly sr = { lo: 0, hi: 0 };
  /** When set, called for every committed register/predicate/memory write (e2k-run --trace). */
  traceWrite: TraceWrite | null = null;

  /** wdBase % RF_SIZE for the current bundle. */
  protected wb = 0;
  /** wdBase value `wb` was computed for. */
  protected wbFor = 0;

  /** Commits a state-register write (rws/rwd); the system-mode CPU overrides it. */
  protected writeSr(num: number, lo: number, hi: number): void {
    writeSysreg(this, num, lo, hi);
  }

  /** Physical slot of a source register code (window fast path inline). */
  protected rd(code: number, size: number): number {
    if (code >= 0x80) {
      if (code >= 0xc0) return GLOBAL_BASE + (code & 0x1f);
      const n = code & 0x3f;
      if (n >= size) return this.physWin(n, size);
      const p = this.wb + n;
      return p >= RF_SIZE ? p - RF_SIZE : p;
    }
    return this.physBased(code, size);
  }

  /** Stages a result (also used by the PLU, pls.ts). */
  stage(kind: number, idx: number, lo: number, hi: number, tag: number): void {
    const k = this.n++;
    this.sKind[k] = kind;
    this.sIdx[k] = idx;
    this.sLo[k] = lo;
    this.sHi[k] = hi;
    this.sTag[k] = tag;
  }

  /** Loads the high 64 bits of the 128-bit sources (immediates extend with zeros). */
  protected readQuad(u: CAlu, ssize: number): void {
    const x = this.x;
    x.aXLo = x.aXHi = x.bXLo = x.bXHi = x.cXLo = x.cXHi = 0;
    if (u.k1 === 0 && u.w1 === 128) {
      const p = this.rd(u.c1, ssize);
      x.aXLo = this.elo[p];
      x.aXHi = this.ehi[p];
    }
    if (u.k2 === 0 && u.w2 === 128) {
      const p = this.rd(u.c2, ssize);
      x.bXLo = this.elo[p];
      x.bXHi = this.ehi[p];
    }
    if (u.k3 === 0 && u.w3 === 128) {
      const p = this.rd(u.c3, ssize);
      x.cXLo = this.elo[p];
      x.cXHi = this.ehi[p];
    }
    x.rXLo = x.rXHi = 0;
  }

  protected address(): number {
    const x = this.x;
    const alo = (x.aLo >>> 0) + (x.bLo >>> 0);
    const ahi = (x.aHi + x.bHi + (alo > 0xffffffff ? 1 : 0)) | 0;
    return toNum(alo | 0, ahi);
  }

  protected load(u: CAlu): void {
    const x = this.x;
    if (u.special !== '') {
      if (u.special === 'ldaa') this.aauOperands(u);
      else if (u.special === 'seg') this.segmentOffset(u);
    }
    const base = this.address();
    const addr = base + u.memOff;
    const size = u.memSize;
    const unaligned = (u.mas & 0x10) !== 0;
    if ((u.mas & 7) === 7)
      this.trap(Exc.IllegalOpcode, this.ip, 'special MAS operations are not supported');
    const align = u.memAlign || size;
    // alignment from the low word of the sum (align is a power of two): no float modulo
    if (!unaligned && ((x.aLo + x.bLo) & (align - 1)) !== 0) {
      if (u.sm) return this.ldInvalid();
      this.trap(Exc.AddrNotAligned, base, `misaligned ${align}-byte load`);
    }
    try {
      const m = this.mem;
      x.rHi = 0;
      if (size === 1) x.rLo = m.read8(addr);
      else if (size === 2) x.rLo = m.read16(addr);
      else if (size === 4) x.rLo = m.read32(addr);
      else {
        x.rLo = m.read64(addr);
        x.rHi = m.hi;
        if (size === 16) {
          x.rXLo = m.read64(addr + 8);
          x.rXHi = m.hi;
        }
      }
    } catch (e) {
      if (!(e instanceof MemFault) || !u.sm) throw e;
      return this.ldInvalid();
    }
    if (u.mas & 8) {
      const w = this.beBuf;
      w[0] = x.rLo;
      w[1] = x.rHi;
      w[2] = x.rXLo;
      w[3] = x.rXHi;
      beSwap(w, size);
      x.rLo = w[0];
      x.rHi = w[1];
      x.rXLo = w[2];
      x.rXHi = w[3];
    }
  }

  protected ldInvalid(): void {
    this.x.rLo = LD_INVALID;
    this.x.rHi = LD_INVALID;
    this.x.rXLo = LD_INVALID;
    this.x.rXHi = LD_INVALID;
    this.x.rTag = 5;
  }

  protected store(u: CAlu): void {
    const x = this.x;
    if (u.special !== '') {
      if (u.special === 'stmqp') return this.stmqp(u);
      if (u.special === 'seg') this.segmentOffset(u);
    }
    const base = this.address();
    const addr = base + u.memOff;
    const size = u.memSize;
    if ((u.mas & 7) === 7)
      this.trap(Exc.IllegalOpcode, this.ip, 'special MAS operations are not supported');
    const align = u.memAlign || size;
    if ((u.mas & 0x10) === 0 && ((x.aLo + x.bLo) & (align - 1)) !== 0) {
      if (u.sm) return;
      this.trap(Exc.AddrNotAligned, base, `misaligned ${align}-byte store`);
    }
    try {
      this.mem.probe(addr, size, 'write');
    } catch (e) {
      if (e instanceof MemFault && u.sm) return; // speculative store to a bad address: dropped
      throw e;
    }
    const k = this.ns++;
    this.stAddr[k] = addr;
    this.stSize[k] = size;
    this.stLo[k] = x.cLo;
    this.stHi[k] = x.cHi;
    this.stXLo[k] = x.cXLo;
    this.stXHi[k] = x.cXHi;
    this.stMask[k] = 0xffff;
    if (u.mas & 8) {
      const w = this.beBuf;
      w[0] = x.cLo;
      w[1] = x.cHi;
      w[2] = x.cXLo;
      w[3] = x.cXHi;
      beSwap(w, size);
      this.stLo[k] = w[0];
      this.stHi[k] = w[1];
      this.stXLo[k] = w[2];
      this.stXHi[k] = w[3];
    }
  }

  /**
   * stmqp (v5, opcodes.md §6.2): the bytes of the 128-bit src3 whose bit in the 16-bit mask
   * (src2) is set go to mem[src1 + i]; an empty mask accesses nothing. As QEMU
   * (helper_vec.c stmqp5/stmqp6): v5 needs 16-byte alignment (unless MAS bit 4) and the
   * whole quad writable; v6 allows any alignment and only the pages of enabled bytes must
   * be writable (a quad crossing into a read-only page with those bytes masked off works).
   */
  protected stmqp(u: CAlu): void {
    const x = this.x;
    const addr = toNum(x.aLo, x.aHi);
    const mask = x.bLo & 0xffff;
    if ((u.mas & 7) === 7)
      this.trap(Exc.IllegalOpcode, this.ip, 'special MAS operations are not supported');
    if (mask === 0) return;
    if (this.iset <= 5 && (u.mas & 0x10) === 0 && addr % 16 !== 0) {
      if (u.sm) return;
      this.trap(Exc.AddrNotAligned, addr, 'misaligned 16-byte masked store');
    }
    try {
      if (this.iset <= 5) this.mem.probe(addr, 16, 'write');
      else for (let i = 0; i < 16; i++) if ((mask >>> i) & 1) this.mem.probe(addr + i, 1, 'write');
    } catch (e) {
      if (e instanceof MemFault && u.sm) return;
      throw e;
    }
    const k = this.ns++;
    this.stAddr[k] = addr;
    this.stSize[k] = 16;
    this.stLo[k] = x.cLo;
    this.stHi[k] = x.cHi;
    this.stXLo[k] = x.cXLo;
    this.stXHi[k] = x.cXHi;
    this.stMask[k] = mask;
  }

  /** staa: store at the AAU address, then stage the optional AASTI increment (aau.ts). */
  protected staa(u: CAlu): void {
    this.aauOperands(u);
    this.store(u);
  }

  /**
   * Segment-relative access (`ld…s{b,h,w,d}`, `st…s{b,h,w,d}`; compile.ts SEGMENT_MEM):
   * address = segment base + the 32-bit (wrapping) sum of the 32-bit sources, folded into
   * the latch so the alignment check and address() see it.
   */
  protected segmentOffset(u: CAlu): void {
    const x = this.x;
    const off = (x.aLo + x.bLo) >>> 0;
    const a = off + this.segmentBase(u.name);
    x.aLo = a | 0;
    x.aHi = Math.floor(a / 4294967296) | 0;
    x.bLo = x.bHi = 0;
  }

  /**
   * Base of the x86 segment an `ld/st{c,d,e,f,g,s}s*` names (its letter is name[2]). The
   * docs leave it uncertain (opcodes.md §6.1, system.md §1.2 lists %cs…%ss only as stored
   * state); like QEMU it is 0. A subclass may override it to model segment bases.
   */
  protected segmentBase(_name: string): number {
    return 0;
  }

  /**
   * staa/ldaa: the AAU address into the operand latch (a = address, b = 0) and the
   * optional AASTI post-increment staged with the bundle (aau.ts).
   */
  protected aauOperands(u: CAlu): void {
    const x = this.x;
    const f = u.aau;
    const s = (f >>> 5) & 15;
    const addr = this.aau.address(f & 31, s, u.i2lo);
    x.aLo = (addr % 4294967296) | 0;
    x.aHi = Math.floor(addr / 4294967296) | 0;
    x.bLo = 0;
    x.bHi = 0;
    if (f & (1 << 12) && (u.amRlp.length === 0 || this.amCondition(u))) {
      const inc = this.aau.incr[(f >>> 9) & 7] << Math.log2(u.memSize);
      this.stage(ST_AAU, (1 << 8) | s, (this.aau.sti[s] + inc) | 0, 0, 0);
    }
  }

  /**
   * The AM-unit condition of a staa/ldaa increment (CDS mask bit 3): %pred terms ORed,
   * %pcnt terms ORed, both groups must hold (as the channel RLP). A tagged predicate makes
   * a speculative access skip the increment and traps otherwise.
   */
  private amCondition(u: CAlu): boolean {
    let pred = -1;
    let pcnt = -1;
    for (const c of u.amRlp) {
      if (c & 0x100) pcnt = Math.max(pcnt, 0) | ((this.pcnt <= (c & 31) ? 1 : 0) ^ ((c >>> 7) & 1));
      else {
        const n = c & 31;
        if (this.getPredTag(n)) {
          if (!u.sm) this.trap(Exc.IllegalOperand, this.ip, 'tagged predicate in AM condition');
          return false;
        }
        pred = Math.max(pred, 0) | (this.getPred(n) ^ (c >>> 7));
      }
    }
    return pred !== 0 && pcnt !== 0;
  }

  /** Areas to advance (side * 32 + area) when the bundle commits (mova am=1). */
  private readonly amPend = new Int32Array(4);
  private amCount = 0;
  /** The element a mova moves (4 words, low first). */
  private readonly movaBuf = new Int32Array(4);

  /**
   * The AAU part of a bundle before the commit (aau.ts): mova channels stage their register
   * results, bap reads the prefetch program. Runs after the ALU channels, so a mova wins
   * over an ALU writing the same register.
   */
  protected aauExec(cb: CompiledBundle): void {
    this.amCount = 0;
    if (cb.bap) {
      if (this.ctprTag[2] !== CTPR_DISP)
        this.trap(Exc.IllegalOpcode, this.ip, 'bap without a program prepared in %ctpr2');
      this.aau.readProgram(this.mem, this.ctprTarget[2]);
    }
    const mv = cb.mova;
    if (mv === null) return;
    const aau = this.aau;
    const m = this.mem;
    let prevAm = -1;
    for (const e of mv) {
      const ch = e & 3;
      const opc = (e >>> 2) & 7;
      const area = (ch < 2 ? 0 : 32) + ((e >>> 11) & 31);
      if (opc === 7 && this.iset < 5) this.trap(Exc.IllegalOpcode, this.ip, 'movaqp needs v5');
      const size = opc === 7 || opc === 5 ? 16 : 1 << (opc - 1);
      const fmt = aau.areaFmt(area);
      if (1 << fmt <= size)
        this.trap(
          Exc.IllegalOpcode,
          this.ip,
          fmt === 0
            ? `mova from an empty prefetch area ${area & 31}`
            : `mova of ${size}-byte elements from an area of format ${fmt}`,
        );
      const n = opc === 5 ? 8 : size; // movaq: each channel moves one 8-byte half
      const addr = aau.movaAddress(area, (e >>> 6) & 31);
      // misaligned elements cannot be prefetched on v2-v4 (16-byte ones on v5 either)
      const strict = this.iset <= 4 || (this.iset === 5 && n === 16);
      const el = this.movaBuf;
      const tag = aau.readElement(m, addr, n, ((e >>> 16) & 1) === 1, strict, el);
      const dst = e >>> 17;
      if (dst !== 0xdf) {
        const k = this.n;
        this.stage(n === 16 ? ST_REG128 : ST_REG64, this.rd(dst, this.dsz), el[0], el[1], tag);
        this.sXLo[k] = el[2];
        this.sXHi[k] = el[3];
      }
      if ((e >>> 5) & 1) {
        // both channels of one side naming the same area advance it once (QEMU)
        if (!((ch & 1) === 1 && prevAm === area)) this.amPend[this.amCount++] = area;
        prevAm = area;
      } else prevAm = -1;
    }
  }

  /** The AAU part of a bundle after the commit: area advances, eap, bap. */
  protected aauCommit(cb: CompiledBundle): void {
    for (let i = 0; i < this.amCount; i++) this.aau.advance(this.amPend[i]);
    this.amCount = 0;
    if (cb.eap) this.aau.endProgram();
    if (cb.bap) this.aau.startProgram();
  }

  protected commit(): void {
    const lo = this.lo;
    const hi = this.hi;
    const tg = this.tag;
    const tw = this.traceWrite;
    const n = this.n;
    if (tw === null && this.ns === 0) {
      // common case: only 64-bit register and predicate results
      let k = 0;
      for (; k < n; k++) {
        const kind = this.sKind[k];
        const i = this.sIdx[k];
        if (kind === ST_REG64) {
          lo[i] = this.sLo[k];
          hi[i] = this.sHi[k];
          tg[i] = this.sTag[k];
        } else if (kind === ST_PRED) {
          this.preds = (this.preds & ~(1 << i)) | (this.sLo[k] << i);
          this.predTags = (this.predTags & ~(1 << i)) | (this.sTag[k] << i);
        } else break;
      }
      if (k === n) return;
    }
    for (let k = 0; k < n; k++) {
      const i = this.sIdx[k];
      switch (this.sKind[k]) {
        case ST_REG64:
          lo[i] = this.sLo[k];
          hi[i] = this.sHi[k];
          tg[i] = this.sTag[k];
          break;
        case ST_REG32:
          lo[i] = this.sLo[k];
          if (this.wdDbl) {
            hi[i] = 0;
            tg[i] = this.sTag[k];
          } else tg[i] = (tg[i] & ~3) | this.sTag[k];
          break;
        case ST_REG128:
          lo[i] = this.sLo[k];
          hi[i] = this.sHi[k];
          this.elo[i] = this.sXLo[k];
          this.ehi[i] = this.sXHi[k];
          tg[i] = this.sTag[k];
          break;
        case ST_PRED:
          this.preds = (this.preds & ~(1 << i)) | (this.sLo[k] << i);
          this.predTags = (this.predTags & ~(1 << i)) | (this.sTag[k] << i);
          break;
        case ST_CTPR:
          this.ctprTarget[i] = toNum(this.sLo[k], this.sHi[k] & 0xffff);
          this.ctprTag[i] = CTPR_DISP;
          break;
        case ST_STATE:
          this.writeSr(i, this.sLo[k], this.sHi[k]);
          break;
        case ST_AAU:
          this.aau.write(i, this.sLo[k], this.sHi[k]);
          break;
      }
      if (tw) tw(this.describe(k));
    }
    this.commitStores(tw);
  }

  /** Writes the bundle's staged stores to memory (part of the commit). */
  protected commitStores(tw: TraceWrite | null): void {
    for (let k = 0; k < this.ns; k++) {
      const a = this.stAddr[k];
      const m = this.mem;
      switch (this.stSize[k]) {
        case 1:
          m.write8(a, this.stLo[k]);
          break;
        case 2:
          m.write16(a, this.stLo[k]);
          break;
        case 4:
          m.write32(a, this.stLo[k]);
          break;
        case 8:
          m.write64(a, this.stLo[k], this.stHi[k]);
          break;
        default:
          if (this.stMask[k] === 0xffff) {
            m.write64(a, this.stLo[k], this.stHi[k]);
            m.write64(a + 8, this.stXLo[k], this.stXHi[k]);
          } else this.maskedWrite(k);
      }
      if (tw) tw(`mem[0x${a.toString(16)}] = ${hex(this.stLo[k], this.stHi[k], this.stSize[k])}`);
    }
  }

  /** Writes the enabled bytes of 16-byte store k (stmqp). */
  private maskedWrite(k: number): void {
    const mask = this.stMask[k];
    const words = [this.stLo[k], this.stHi[k], this.stXLo[k], this.stXHi[k]];
    for (let i = 0; i < 16; i++)
      if ((mask >>> i) & 1) this.mem.write8(this.stAddr[k] + i, words[i >> 2] >>> ((i & 3) * 8));
  }

  protected describe(k: number): string {
    const i = this.sIdx[k];
    const v = hex(this.sLo[k], this.sHi[k], 8);
    const t = this.sTag[k] ? ` tag ${this.sTag[k]}` : '';
    switch (this.sKind[k]) {
      case ST_REG64:
      case ST_REG32:
        return `${this.physName(i)} = ${hex(this.lo[i], this.hi[i], 8)}${t}`;
      case ST_PRED:
        return `%pred(phys ${i}) = ${this.sLo[k]}${t}`;
      case ST_CTPR:
        return `%ctpr${i} = ${v}`;
      case ST_AAU:
        return `aau(class ${i >>> 8}, ${i & 0xff}) = ${v}`;
      default:
        return `state 0x${i.toString(16)} = ${v}`;
    }
  }

  /** Name of a physical slot relative to the current window. */
  physName(p: number): string {
    if (p >= GLOBAL_BASE) return `%g${p - GLOBAL_BASE}`;
    const n = (p - (this.wdBase % RF_SIZE) + RF_SIZE) % RF_SIZE;
    return `%r${n}`;
  }
}
