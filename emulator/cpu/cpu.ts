/**
 * The bundle executor (README "bundle semantics", control-and-stacks.md §0): every
 * operation of a bundle reads the state as it was before the bundle, results are staged
 * and committed together at the end (a later channel overwrites an earlier one, so the
 * highest channel wins), then the control unit applies setbn/setbp, loop stubs and the
 * transfer. A fault anywhere before the commit leaves the state untouched and `%ip` at the
 * bundle (§9 "simplest safe model").
 *
 * Decoded bundles are compiled once and cached per code page (Page.code); writes to a page
 * drop its cache (memory.ts).
 */
import { decodeBundle } from '../isa/decode';
import type { CompiledBundle, CAlu } from './compile';
import { compileBundle } from './compile';
import { FP } from './alu-fp';
import { X87 } from './alu-x80';
import { Exc, GuestTrap } from './exceptions';
import type { Memory } from './memory';
import type { Page } from './memory';
import { MemFault, PAGE_SIZE as PAGE_SIZE_ } from './memory';
import type { CpuModel } from './models';
import { guestIdr } from './models';
import { Latch } from './operands';
import { CpuState, GLOBAL_BASE } from './state';
import { checkSysregWrite, readSysreg, writeSysreg } from './sysreg-access';
import { evalPls } from './pls';

/** Why run() returned. */
export const enum Stop {
  Limit = 0,
  Syscall = 1,
  Exception = 2,
}

// Local copies of enum values and helpers used on the hot path (cross-module bindings can be
// getter-based under some loaders, e.g. tsx in CommonJS mode).
const DK_REG = 1;
const DK_PRED = 2;
const DK_CTPR = 3;
const DK_STATE = 4;
const MK_LOAD = 1;
const MK_STORE = 2;
const FPS = FP;
const X87S = X87;
const PAGE_SIZE = 4096;
const PAGE_MASK = 4095;
const RF_SIZE = 224;
const CTPR_EMPTY = 0;
const CTPR_RETURN = 2;
const CTPR_DISP = 3;
const CTPR_SDISP = 5;
if (PAGE_SIZE !== PAGE_SIZE_) throw new Error('page size mismatch');

function toNum(lo: number, hi: number): number {
  return (hi >>> 0) * 4294967296 + (lo >>> 0);
}

/** Value of a speculative load from an inaccessible address (§8). */
const LD_INVALID = 0x4afafafa;

// staged result kinds
const ST_REG64 = 1;
const ST_REG32 = 2;
export const ST_PRED = 3;
const ST_CTPR = 4;
const ST_STATE = 5;
const ST_REG128 = 6;

export type TraceWrite = (what: string) => void;

export class Cpu extends CpuState {
  readonly x = new Latch();
  readonly idr: number;
  // staging
  private n = 0;
  private readonly sKind = new Uint8Array(16);
  private readonly sIdx = new Int32Array(16);
  private readonly sLo = new Int32Array(16);
  private readonly sHi = new Int32Array(16);
  private readonly sTag = new Uint8Array(16);
  private readonly sXLo = new Int32Array(16);
  private readonly sXHi = new Int32Array(16);
  private ns = 0;
  private readonly stAddr = new Float64Array(4);
  private readonly stSize = new Uint8Array(4);
  private readonly stLo = new Int32Array(4);
  private readonly stHi = new Int32Array(4);
  private readonly stXLo = new Int32Array(4);
  private readonly stXHi = new Int32Array(4);
  private usdDelta = 0;
  /** Window size destinations of the current bundle are checked against. */
  private dsz = 0;
  private readonly sr = { lo: 0, hi: 0 };

  /** Details of the last Stop.Exception. */
  exc: Exc = Exc.IllegalOpcode;
  excAddr = 0;
  excDetail = '';
  /** Gate number of the last Stop.Syscall (sdisp value). */
  syscallGate = 0;
  /** When set, called for every committed register/predicate/memory write (e2k-run --trace). */
  traceWrite: TraceWrite | null = null;

  constructor(
    mem: Memory,
    public readonly model: CpuModel,
  ) {
    super(mem, model.iset);
    this.idr = guestIdr(model, 0);
    this.x.iset = model.iset;
  }

  /** Compiled bundle at `ip` (cached per page). Throws GuestTrap on fetch faults. */
  fetch(ip: number): CompiledBundle {
    // Fast path: same code page as the previous fetch, mappings unchanged, bundle cached.
    const fp = this.fPage;
    if (
      fp !== null &&
      ip - this.fBase < PAGE_SIZE &&
      ip >= this.fBase &&
      this.fGen === this.mem.gen
    ) {
      const code = fp.code;
      if (code !== null) {
        const cb = code[(ip - this.fBase) >> 3] as CompiledBundle | undefined;
        if (cb !== undefined && (ip & 7) === 0) return cb;
      }
    }
    return this.fetchSlow(ip);
  }

  private fPage: Page | null = null;
  private fBase = -1;
  private fGen = -1;

  private fetchSlow(ip: number): CompiledBundle {
    if (ip % 8 !== 0) this.trap(Exc.IllegalOpcode, ip, 'unaligned bundle address');
    let page;
    try {
      page = this.mem.pageFor(ip, 'exec');
    } catch (e) {
      if (e instanceof MemFault) this.trap(Exc.InstrPage, ip, `instruction fetch: ${e.reason}`);
      throw e;
    }
    const off = ip & PAGE_MASK;
    const slot = off >> 3;
    this.fPage = page;
    this.fBase = ip - off;
    this.fGen = this.mem.gen;
    const cached = page.code ? (page.code[slot] as CompiledBundle | undefined) : undefined;
    if (cached) return cached;
    if (off + 64 <= PAGE_SIZE) {
      const cb = compileBundle(decodeBundle(page.bytes, off, this.iset), ip);
      if (!page.code) {
        page.code = new Array(PAGE_SIZE >> 3);
        this.mem.codeCached();
      }
      page.code[slot] = cb;
      return cb;
    }
    // Bundle may cross into the next page: decode from a copy, do not cache.
    const buf = new Uint8Array(64);
    buf.set(page.bytes.subarray(off), 0);
    const next = ip - off + PAGE_SIZE;
    if (this.mem.isMapped(next)) {
      try {
        buf.set(this.mem.readBytes(next, off + 64 - PAGE_SIZE, 'exec'), PAGE_SIZE - off);
      } catch {
        /* leave zeros: the decoder reports a truncated bundle if they are needed */
      }
    }
    const avail = this.mem.isMapped(next) ? 64 : PAGE_SIZE - off;
    return compileBundle(decodeBundle(buf.subarray(0, avail), 0, this.iset), ip);
  }

  /**
   * Executes up to `max` bundles. Returns Stop.Limit, Stop.Syscall (sdisp call: the window
   * is already shifted, arguments are the callee's %r0..; answer with finishSyscall) or
   * Stop.Exception (details in exc/excAddr/excDetail; nothing of the bundle committed).
   */
  run(max: number): Stop {
    const end = this.icount + max;
    for (;;) {
      try {
        while (this.icount < end) {
          if (this.exec(this.fetch(this.ip))) return Stop.Syscall;
        }
        return Stop.Limit;
      } catch (e) {
        if (e instanceof GuestTrap) {
          this.exc = e.exc;
          this.excAddr = e.addr;
          this.excDetail = e.detail;
          return Stop.Exception;
        }
        if (e instanceof MemFault) {
          this.exc = Exc.DataPage;
          this.excAddr = e.addr;
          this.excDetail = `${e.access} of ${e.reason} address`;
          return Stop.Exception;
        }
        // An emulator bug must not escape as a JS exception either.
        this.exc = Exc.IllegalOpcode;
        this.excAddr = this.ip;
        this.excDetail = `internal error: ${(e as Error)?.message ?? String(e)}`;
        return Stop.Exception;
      }
    }
  }

  /** wdBase % RF_SIZE for the current bundle. */
  private wb = 0;

  /** Physical slot of a source register code (window fast path inline). */
  private rd(code: number, size: number): number {
    if (code >= 0x80) {
      if (code >= 0xc0) return GLOBAL_BASE + (code & 0x1f);
      const n = code & 0x3f;
      if (n >= size) return this.physWin(n, size);
      const p = this.wb + n;
      return p >= RF_SIZE ? p - RF_SIZE : p;
    }
    return this.physBased(code, size);
  }

  /** Evaluates the RLP conditions of a channel; returns 0 skip, 1 run, 2 run tagged. */
  private rlp(u: CAlu): number {
    let res = 1;
    if (u.rlpPred.length) {
      let any = 0;
      let tagged = 0;
      for (const c of u.rlpPred) {
        const n = c & 31;
        any |= this.getPred(n) ^ (c >>> 7);
        tagged |= this.getPredTag(n);
      }
      if (tagged) {
        if (!u.sm) this.trap(Exc.IllegalOperand, this.ip, 'tagged predicate in RLP');
        res = 2;
      }
      if (!any) return 0;
    }
    if (u.rlpPcnt.length) {
      let any = 0;
      for (const c of u.rlpPcnt) any |= (this.pcnt <= (c & 31) ? 1 : 0) ^ (c >>> 7);
      if (!any) return 0;
    }
    return res;
  }

  private condition(cb: CompiledBundle): boolean {
    const cond = cb.ctcond;
    const type = cond >>> 5;
    const p = cond & 31;
    if (type <= 1) return type === 1;
    if (type === 4 || type === 5) return this.loopEnd() === (type === 4);
    if (type === 8 || type === 9) return false; // no DAM lock conflicts in this model
    if (this.getPredTag(p))
      this.trap(Exc.IllegalOperand, this.ip, 'tagged predicate in ct condition');
    const pred = this.getPred(p) === 1;
    const le = this.loopEnd();
    const prologue = this.pcnt !== 0;
    switch (type) {
      case 2:
        return pred;
      case 3:
        return !pred;
      case 6:
        return prologue ? le : pred || le;
      case 7:
        return prologue ? !le : !pred && !le;
      case 14:
        return prologue ? le : !pred || le;
      case 15:
        return prologue ? !le : pred && !le;
    }
    return this.trap(Exc.IllegalOpcode, this.ip, 'reserved ct condition');
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

  /** Executes one compiled bundle; returns true when it stopped for a system call. */
  exec(cb: CompiledBundle): boolean {
    if (cb.illegal) this.trap(Exc.IllegalOpcode, cb.ip, cb.illegal);
    const x = this.x;
    x.ip = cb.ip;
    this.n = 0;
    this.ns = 0;
    this.usdDelta = 0;
    // setwd: destinations of this bundle are checked against the new size (§0).
    let dsize = this.wdSize;
    if (cb.setwd) {
      dsize = cb.wsz * 2;
      if (dsize < this.wdPsize)
        this.trap(Exc.IllegalOpcode, cb.ip, 'setwd below the parameter size');
      this.ensureResident(this.wdBase + dsize);
    }
    const ssize = this.wdSize;
    const wb = (this.wb = this.wdBase % RF_SIZE);
    this.dsz = dsize;
    if (cb.fp) FPS.rc = (this.pfpfr >>> 13) & 3;
    if (cb.x80) {
      X87S.rc = (this.fpcr >>> 10) & 3;
      X87S.flags = 0;
    }
    const hasTransfer = cb.ctop !== 0 || cb.cs0Kind === 4;
    let taken = false;
    if (hasTransfer) {
      const cc = cb.ctcond;
      const type = cc >>> 5;
      if (type === 1) taken = true;
      else if (type === 2 || type === 3) {
        // plain (negated) predicate condition, inline
        const n = cc & 31;
        const pp = n < this.pSize ? (this.pCur + n) % this.pSize : n;
        if ((this.predTags >>> pp) & 1)
          this.trap(Exc.IllegalOperand, cb.ip, 'tagged predicate in ct condition');
        taken = ((this.preds >>> pp) & 1) === (type === 2 ? 1 : 0);
      } else taken = this.condition(cb);
    }
    const le = cb.loopMode ? this.loopEnd() : false;
    let storesOff = false;
    if (cb.loopMode && (this.pcnt !== 0 || (le && this.strmd === 0))) storesOff = true;

    const lo = this.lo;
    const hi = this.hi;
    const tg = this.tag;
    const alus = cb.alu;
    for (let i = 0; i < alus.length; i++) {
      const u = alus[i];
      if (u.plain !== 0) {
        // fast path for plain register/predicate-result operations; window registers
        // (the common case) are mapped inline
        let tin = 0;
        let c = u.c1;
        let p: number;
        if (u.k1 === 0) {
          if (c >= 0x80 && c < 0xc0 && (c & 63) < ssize) {
            p = wb + (c & 63);
            if (p >= RF_SIZE) p -= RF_SIZE;
          } else p = this.rd(c, ssize);
          x.aLo = lo[p];
          x.aHi = hi[p];
          tin = tg[p];
        } else {
          x.aLo = u.i1lo;
          x.aHi = u.i1hi;
        }
        if (u.k2 === 0) {
          c = u.c2;
          if (c >= 0x80 && c < 0xc0 && (c & 63) < ssize) {
            p = wb + (c & 63);
            if (p >= RF_SIZE) p -= RF_SIZE;
          } else p = this.rd(c, ssize);
          x.bLo = lo[p];
          x.bHi = hi[p];
          tin |= tg[p];
        } else {
          x.bLo = u.i2lo;
          x.bHi = u.i2hi;
        }
        if (u.k3 === 0) {
          p = this.rd(u.c3, ssize);
          x.cLo = lo[p];
          x.cHi = hi[p];
          tin |= tg[p];
        }
        x.sm = u.sm;
        x.rTag = 0;
        if (tin !== 0) {
          this.slowTagged(u, dsize, ssize);
          continue;
        }
        u.impl!(x);
        const k = this.n++;
        if (u.plain === 3) {
          const d = u.dst;
          this.sKind[k] = ST_PRED;
          this.sIdx[k] = d < this.pSize ? (this.pCur + d) % this.pSize : d;
          this.sLo[k] = x.rLo & 1;
          this.sTag[k] = x.rTag ? 1 : 0;
        } else {
          c = u.dst;
          if (c >= 0x80 && c < 0xc0 && (c & 63) < dsize) {
            p = wb + (c & 63);
            if (p >= RF_SIZE) p -= RF_SIZE;
          } else p = this.rd(c, dsize);
          this.sKind[k] = u.plain === 2 ? ST_REG32 : ST_REG64;
          this.sIdx[k] = p;
          this.sLo[k] = x.rLo;
          this.sHi[k] = x.rHi;
          this.sTag[k] = x.rTag;
        }
        continue;
      }
      let run = 1;
      if (u.hasRlp) {
        run = this.rlp(u);
        if (run === 0) continue;
      }
      if (u.impl === null)
        this.trap(Exc.IllegalOpcode, cb.ip, `operation ${u.name} is not implemented`);
      let tin = 0;
      if (u.k1 === 0) {
        const p = this.rd(u.c1, ssize);
        x.aLo = lo[p];
        x.aHi = hi[p];
        tin |= u.w1 === 32 ? tg[p] & 3 : tg[p];
      } else {
        x.aLo = u.i1lo;
        x.aHi = u.i1hi;
      }
      if (u.k2 === 0) {
        const p = this.rd(u.c2, ssize);
        x.bLo = lo[p];
        x.bHi = hi[p];
        tin |= u.w2 === 32 ? tg[p] & 3 : tg[p];
      } else {
        x.bLo = u.i2lo;
        x.bHi = u.i2hi;
      }
      if (u.k3 === 0) {
        const p = this.rd(u.c3, ssize);
        x.cLo = lo[p];
        x.cHi = hi[p];
        tin |= u.w3 === 32 ? tg[p] & 3 : tg[p];
      }
      if (u.quad) this.readQuad(u, ssize);
      x.sm = u.sm;
      x.rTag = 0;
      if (u.tagPass) {
        this.special(u, tin);
        continue;
      }
      if (tin !== 0 || run === 2) {
        if (!u.sm) this.trap(Exc.IllegalOperand, cb.ip, `tagged operand of ${u.name}`);
      }
      if (u.mk === MK_LOAD) {
        this.load(u);
      } else if (u.mk === MK_STORE) {
        if (tin !== 0 || run === 2 || storesOff) continue; // speculative: dropped
        this.store(u);
        continue;
      } else if (u.special !== '') {
        this.special(u, tin);
        continue;
      } else {
        if (u.isMerge) {
          const m = u.mrgc;
          const c = this.getPred(m & 31) ^ (m >>> 7);
          x.rLo = c ? x.bLo : x.aLo;
          x.rHi = c ? x.bHi : x.aHi;
        } else {
          if (u.mrgc >= 0) x.mrg = this.getPred(u.mrgc & 31) ^ (u.mrgc >>> 7);
          u.impl(x);
        }
      }
      let rtag = x.rTag;
      if (tin !== 0 || run === 2) rtag = u.dw === 32 ? 1 : 5;
      this.result(u, dsize, rtag);
    }

    if (cb.hasPls) evalPls(this, cb);
    if (cb.x80 && X87S.flags & ~this.fpcr & 0x3f) {
      X87S.flags = 0;
      this.trap(Exc.FpException, cb.ip, 'unmasked x87 floating-point exception');
    }
    if (FPS.flags !== 0 && (FPS.flags & ~(this.pfpfr >>> 7) & 0x3f) !== 0) {
      // an unmasked IEEE exception traps (control-and-stacks.md §9): nothing is committed
      FPS.flags = 0;
      this.trap(Exc.FpException, cb.ip, 'unmasked floating-point exception');
    }

    // ---------- commit ----------
    if (cb.setwd) {
      this.wdSize = dsize;
      this.wdFx = cb.nfx ? 0 : 1;
      this.wdDbl = cb.dbl;
    }
    if (cb.cs0Kind !== 0 && cb.cs0Kind !== 4) this.prepareCtpr(cb);
    this.commit();
    if (this.usdDelta !== 0) {
      this.usdBase += this.usdDelta;
      this.usdSize -= this.usdDelta;
    }
    if (FPS.flags) {
      this.pfpfr |= FPS.flags & 0x3f;
      FPS.flags = 0;
    }
    if (cb.x80) this.fpsr |= X87S.flags & 0x3f;
    if (cb.stubs) this.stubs(cb, taken, le, storesOff);
    this.icount++;
    const next = cb.ip + cb.length;
    if (!taken) {
      this.ip = next;
      return false;
    }
    if (cb.cs0Kind === 4) {
      this.ip = cb.cs0Target;
      return false;
    }
    if (!cb.call && this.ctprTag[cb.ctop] === CTPR_DISP) {
      this.ip = this.ctprTarget[cb.ctop];
      return false;
    }
    return this.transfer(cb, next);
  }

  /** setbn/setbp, loop_mode strmd, alc, abn, abp after the commit (§0 order). */
  private stubs(cb: CompiledBundle, taken: boolean, le: boolean, storesOff: boolean): void {
    if (cb.loopMode && le && !storesOff && this.strmd > 0) this.strmd--;
    if (cb.setbn) {
      this.bSize = 2 * (cb.rsz + 1);
      this.bOff = 2 * cb.rbs;
      this.bCur = (2 * cb.rcur) % this.bSize;
    }
    if (cb.setbp) {
      this.pSize = cb.psz + 1;
      this.pCur = 0;
    }
    if (taken ? cb.alct : cb.alcf) this.advanceLoop();
    if ((taken ? cb.abnt : cb.abnf) && this.bSize > 0)
      this.bCur = (this.bCur - 2 + this.bSize) % this.bSize;
    if ((taken ? cb.abpt : cb.abpf) && this.pSize > 0)
      this.pCur = (this.pCur - 1 + this.pSize) % this.pSize;
  }

  /** Plain operation with a tagged input (operands already latched): §8 rules. */
  private slowTagged(u: CAlu, dsize: number, ssize: number): void {
    // recompute the tag with operand widths (a 32-bit source ignores the high half's tag)
    let tin = 0;
    if (u.k1 === 0) tin |= this.tag[this.rd(u.c1, ssize)] & (u.w1 === 32 ? 3 : 0xff);
    if (u.k2 === 0) tin |= this.tag[this.rd(u.c2, ssize)] & (u.w2 === 32 ? 3 : 0xff);
    if (u.k3 === 0) tin |= this.tag[this.rd(u.c3, ssize)] & (u.w3 === 32 ? 3 : 0xff);
    if (tin !== 0 && !u.sm) this.trap(Exc.IllegalOperand, this.ip, `tagged operand of ${u.name}`);
    u.impl!(this.x);
    this.result(u, dsize, tin !== 0 ? (u.dw === 32 ? 1 : 5) : this.x.rTag);
  }

  /** Loads the high 64 bits of the 128-bit sources (immediates extend with zeros). */
  private readQuad(u: CAlu, ssize: number): void {
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

  /** Stages the latch result of `u` into its destination. */
  private result(u: CAlu, dsize: number, rtag: number): void {
    const x = this.x;
    switch (u.dk) {
      case DK_REG:
        if (u.dw === 128) {
          const k = this.n;
          this.stage(ST_REG128, this.rd(u.dst, dsize), x.rLo, x.rHi, rtag);
          this.sXLo[k] = x.rXLo;
          this.sXHi[k] = x.rXHi;
          break;
        }
        this.stage(u.dw === 32 ? ST_REG32 : ST_REG64, this.rd(u.dst, dsize), x.rLo, x.rHi, rtag);
        break;
      case DK_PRED:
        this.stage(ST_PRED, this.physPred(u.dst), x.rLo & 1, 0, rtag ? 1 : 0);
        break;
      case DK_CTPR:
        this.stage(ST_CTPR, u.dst, x.rLo, x.rHi, rtag);
        break;
      case DK_STATE:
        checkSysregWrite(this, u.dst);
        this.stage(ST_STATE, u.dst, x.rLo, x.rHi, 0);
        break;
    }
  }

  private special(u: CAlu, tin: number): void {
    const x = this.x;
    switch (u.special) {
      case 'movt':
        // movts/movtd copy value and tag unchecked (opcodes.md §4)
        u.impl!(x);
        this.result(u, this.curDsize(), u.dw === 32 ? tin & 3 : tin);
        return;
      case 'gettag':
        x.rLo = tin;
        x.rHi = 0;
        this.result(u, this.curDsize(), 0);
        return;
      case 'puttag':
        u.impl!(x);
        this.result(u, this.curDsize(), x.bLo & (u.dw === 32 ? 3 : 0xff));
        return;
      case 'rr':
        readSysreg(this, u.c1, this.idr, this.sr);
        x.rLo = this.sr.lo;
        x.rHi = this.sr.hi;
        this.result(u, this.curDsize(), 0);
        return;
      case 'getsp': {
        // USD.base += d; USD.size -= d; dst = new base (opcodes.md §4)
        const d = x.bLo & ~15;
        this.usdDelta = d;
        const base = this.usdBase + d;
        x.rLo = (base % 2 ** 32) | 0;
        x.rHi = Math.floor(base / 2 ** 32);
        this.result(u, this.curDsize(), 0);
        return;
      }
    }
  }

  private curDsize(): number {
    return this.dsz;
  }

  private address(): number {
    const x = this.x;
    const alo = (x.aLo >>> 0) + (x.bLo >>> 0);
    const ahi = (x.aHi + x.bHi + (alo > 0xffffffff ? 1 : 0)) | 0;
    return toNum(alo | 0, ahi);
  }

  private load(u: CAlu): void {
    const x = this.x;
    const addr = this.address();
    const size = u.memSize;
    const unaligned = (u.mas & 0x10) !== 0;
    if ((u.mas & 7) === 7)
      this.trap(Exc.IllegalOpcode, this.ip, 'special MAS operations are not supported');
    if (!unaligned && addr % size !== 0) {
      if (u.sm) return this.ldInvalid();
      this.trap(Exc.AddrNotAligned, addr, `misaligned ${size}-byte load`);
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
      this.ldInvalid();
    }
  }

  private ldInvalid(): void {
    this.x.rLo = LD_INVALID;
    this.x.rHi = LD_INVALID;
    this.x.rXLo = LD_INVALID;
    this.x.rXHi = LD_INVALID;
    this.x.rTag = 5;
  }

  private store(u: CAlu): void {
    const x = this.x;
    const addr = this.address();
    const size = u.memSize;
    if ((u.mas & 7) === 7)
      this.trap(Exc.IllegalOpcode, this.ip, 'special MAS operations are not supported');
    if ((u.mas & 0x10) === 0 && addr % size !== 0) {
      if (u.sm) return;
      this.trap(Exc.AddrNotAligned, addr, `misaligned ${size}-byte store`);
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
  }

  private commit(): void {
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
          writeSysreg(this, i, this.sLo[k], this.sHi[k]);
          break;
      }
      if (tw) tw(this.describe(k));
    }
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
          m.write64(a, this.stLo[k], this.stHi[k]);
          m.write64(a + 8, this.stXLo[k], this.stXHi[k]);
      }
      if (tw) tw(`mem[0x${a.toString(16)}] = ${hex(this.stLo[k], this.stHi[k], this.stSize[k])}`);
    }
  }

  private describe(k: number): string {
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

  private prepareCtpr(cb: CompiledBundle): void {
    const n = cb.cs0Ctpr;
    switch (cb.cs0Kind) {
      case 1:
        this.ctprTarget[n] = cb.cs0Target;
        this.ctprTag[n] = CTPR_DISP;
        break;
      case 2:
        this.ctprTarget[n] = cb.cs0Target;
        this.ctprTag[n] = CTPR_SDISP;
        break;
      case 3: {
        const top = this.chain[this.chain.length - 1];
        this.ctprTarget[3] = top ? top.ret : 0;
        this.ctprTag[3] = top ? CTPR_RETURN : CTPR_EMPTY;
        break;
      }
    }
  }

  /** `alc` (control-and-stacks.md §7). */
  private advanceLoop(): void {
    if (this.pcnt > 0) this.pcnt--;
    if (this.lcnt > 0) this.lcnt--;
    this.over = this.lcnt === 0 ? 1 : 0;
    if (this.lcnt === 0 && this.vlc && this.ecnt > 0) this.ecnt--;
  }

  /** ct/call through a ctpr (§5.2, §5.3, §6.2). */
  private transfer(cb: CompiledBundle, next: number): boolean {
    const n = cb.ctop;
    if (!cb.call && this.ctprTag[n] === CTPR_DISP) {
      this.ip = this.ctprTarget[n];
      return false;
    }
    const tag = this.ctprTag[n];
    const target = this.ctprTarget[n];
    if (cb.call) {
      if (tag !== CTPR_DISP && tag !== CTPR_SDISP)
        this.trap(
          Exc.IllegalOpcode,
          cb.ip,
          `call through an ${tag ? 'unsuitable' : 'empty'} %ctpr${n}`,
        );
      this.procCall(cb.wbs, next, cb.ip);
      if (tag === CTPR_SDISP) {
        this.syscallGate = target;
        return true;
      }
      this.ip = target;
      return false;
    }
    if (tag === CTPR_DISP) {
      this.ip = target;
      return false;
    }
    if (tag === CTPR_RETURN) {
      this.procReturn();
      return false;
    }
    return this.trap(
      Exc.IllegalOpcode,
      cb.ip,
      `ct through an ${tag ? 'unsuitable' : 'empty'} %ctpr${n}`,
    );
  }

  /** call: push a chain frame and shift the window by 2·wbs (§5.2). */
  procCall(wbs: number, ret: number, ip: number): void {
    const shift = 2 * wbs;
    if (shift > this.wdSize)
      this.trap(Exc.WindowBounds, ip, `call wbs=${wbs} beyond a window of ${this.wdSize}`);
    this.chain.push({
      preds: this.preds,
      predTags: this.predTags,
      ret,
      wbs,
      wdSize: this.wdSize,
      wdPsize: this.wdPsize,
      wdFx: this.wdFx,
      wdDbl: this.wdDbl,
      bOff: this.bOff,
      bSize: this.bSize,
      bCur: this.bCur,
      pSize: this.pSize,
      pCur: this.pCur,
      usdSize: this.usdSize,
      psr: this.psr,
    });
    this.writeChainFrame(this.chain.length - 1);
    this.wdBase += shift;
    this.wdSize -= shift;
    this.wdPsize = this.wdSize;
    this.wdFx = 1;
    this.invalidateCtprs();
    this.ip = ret;
  }

  /**
   * Stores chain frame `i` into the procedure chain stack memory (PCSP) in the CR0/CR1
   * layout of control-and-stacks.md §5.1, so the hardware stack has its architectural
   * contents; the executor itself returns through the in-core copy.
   */
  private writeChainFrame(i: number): void {
    if (this.pcsSize === 0) return;
    const f = this.chain[i];
    const a = this.pcsBase + i * 32;
    if (i * 32 + 32 > this.pcsSize) {
      this.chain.pop();
      this.trap(Exc.DataPage, a, 'procedure chain stack overflow');
    }
    const m = this.mem;
    m.write64(a, f.preds, f.predTags);
    m.write64(a + 8, (f.ret % 4294967296) | 0, Math.floor(f.ret / 4294967296));
    const wpsz = (f.wdPsize / 2) & 0x7f;
    m.write64(
      a + 16,
      (f.wdFx << 25) | ((wpsz & 0x3f) << 26),
      (wpsz >>> 6) | ((f.wbs & 0x7f) << 1) | ((f.psr & 0x7f) << 25),
    );
    const br =
      (f.bOff / 2) |
      ((f.bSize ? f.bSize / 2 - 1 : 0) << 6) |
      ((f.bCur / 2) << 12) |
      ((f.pSize ? f.pSize - 1 : 0) << 18) |
      (f.pCur << 23);
    const ussz = Math.floor(f.usdSize / 16);
    m.write64(a + 24, br, (f.wdDbl << 3) | ((ussz & 0xfffffff) << 4));
  }

  /** Procedure return (§5.3): pop the frame, restore the caller's window and state. */
  procReturn(): void {
    const f = this.chain.pop();
    if (!f) this.trap(Exc.IllegalOpcode, this.ip, 'return with an empty chain stack');
    const base = this.wdBase - 2 * f.wbs;
    this.fillDown(base);
    this.wdBase = base;
    this.wdSize = f.wdSize;
    this.wdPsize = f.wdPsize;
    this.wdFx = f.wdFx;
    this.wdDbl = f.wdDbl;
    this.bOff = f.bOff;
    this.bSize = f.bSize;
    this.bCur = f.bCur;
    this.pSize = f.pSize;
    this.pCur = f.pCur;
    this.preds = f.preds;
    this.predTags = f.predTags;
    this.usdSize = f.usdSize;
    this.psr = f.psr;
    this.invalidateCtprs();
    this.ip = f.ret;
  }

  /** Completes a Stop.Syscall: result into the callee's %r0, then return (§10.3). */
  finishSyscall(resLo: number, resHi: number): void {
    const p = this.wdBase % RF_SIZE;
    this.lo[p] = resLo;
    this.hi[p] = resHi;
    this.tag[p] = 0;
    this.procReturn();
  }

  /** Raw read of the current window's %rN (no bounds check), as lo/hi. */
  winLo(n: number): number {
    return this.lo[(this.wdBase + n) % RF_SIZE];
  }

  winHi(n: number): number {
    return this.hi[(this.wdBase + n) % RF_SIZE];
  }

  setWin(n: number, lo: number, hi: number): void {
    const p = (this.wdBase + n) % RF_SIZE;
    this.lo[p] = lo;
    this.hi[p] = hi;
    this.tag[p] = 0;
  }
}

function hex(lo: number, hi: number, size: number): string {
  const l = (lo >>> 0).toString(16).padStart(8, '0');
  if (size <= 4) return `0x${(size === 4 ? lo >>> 0 : lo & ((1 << (size * 8)) - 1)).toString(16)}`;
  return `0x${(hi >>> 0).toString(16).padStart(8, '0')}${l}`;
}
