/**
 * The bundle executor (README "bundle semantics", control-and-stacks.md §0): every
 * operation of a bundle reads the state as it was before the bundle, results are staged
 * and committed together at the end (a later channel overwrites an earlier one, so the
 * highest channel wins), then the control unit applies setbn/setbp, loop stubs and the
 * transfer. A fault anywhere before the commit leaves the state untouched and `%ip` at the
 * bundle (§9 "simplest safe model").
 *
 * Decoded bundles are compiled once and cached per code page (Page.code); writes to a page
 * drop its cache (memory.ts). A bundle crossing into the next page is cached on its first
 * page and revalidated against the second page's bytes on every fetch (fetchCrossing).
 */
import { decodeBundle, newDecodedBundle } from '../isa/decode';
import type { CompiledBundle, CAlu } from './compile';
import { compileBundle } from './compile';
import { FP } from './alu-fp';
import { X87 } from './alu-x80';
import { BRANCHD as BRANCHD_ } from './alu-special';
import { Exc, GuestTrap } from './exceptions';
import type { Memory } from './memory';
import type { Page } from './memory';
import { MemFault, PAGE_SIZE as PAGE_SIZE_ } from './memory';
import type { CpuModel } from './models';
import { guestIdr } from './models';
import * as D from './data';
import { DataUnit } from './data';
import { evalPls } from './pls';
import { checkSysregWrite, readSysreg } from './sysreg-access';

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
// Staged-result kinds as module constants: an imported binding is a getter call per use
// under tsx's CommonJS transform (it cost ~15% of loop (a) in `npm run bench -- cpu`).
const ST_PRED = D.ST_PRED;
const ST_REG128 = D.ST_REG128;
const ST_REG32 = D.ST_REG32;
const ST_REG64 = D.ST_REG64;
const ST_CTPR = D.ST_CTPR;
const ST_STATE = D.ST_STATE;
const BRANCHD = BRANCHD_;
const ST_AAU = D.ST_AAU;
const FPS = FP;
const X87S = X87;
const PAGE_SIZE = 4096;
const PAGE_MASK = 4095;
const RF_SIZE = 224;
const CTPR_DISP = 3;
/** Page.code: slots 0..511 hold bundles by offset >> 3; 512..519 page-crossing ones (slot + 8). */
const CROSS = 8;
const CODE_SLOTS = (PAGE_SIZE >> 3) + CROSS;
if (PAGE_SIZE !== PAGE_SIZE_) throw new Error('page size mismatch');

/** A page-crossing bundle and the 32-bit words of the second page it was decoded from. */
interface CrossBundle {
  cb: CompiledBundle;
  tail: Int32Array;
}

export type { TraceWrite } from './data';
export { ST_PRED } from './data';

export class Cpu extends DataUnit {
  readonly idr: number;

  /** Details of the last Stop.Exception. */
  exc: Exc = Exc.IllegalOpcode;
  excAddr = 0;
  excDetail = '';

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
        // cb.ip === ip also rejects unaligned ips (every compiled bundle is 8-aligned).
        if (cb !== undefined && cb.ip === ip) return cb;
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
    const code = page.code;
    if (code !== null) {
      // A physical page mapped at two virtual addresses holds the bundles compiled for the
      // address that ran last (compiled bundles carry their ip: relative targets, traps).
      const cached = code[slot] as CompiledBundle | undefined;
      if (cached !== undefined && cached.ip === ip) return cached;
    }
    // The header (always inside the page: bundles are 8-byte aligned) gives the length.
    const len = (((page.bytes[page.off + off] >>> 4) & 7) + 1) * 8;
    if (off + len <= PAGE_SIZE) {
      const cb = this.compile(page.bytes, page.off + off, ip);
      this.codeArray(page)[slot] = cb;
      return cb;
    }
    return this.fetchCrossing(page, off, len, ip);
  }

  /**
   * A bundle that runs from the end of `page` into the next page. It is cached on the first
   * page (slot + CROSS) with the words it used from the second page: a write to the first
   * page drops it like any other bundle, and every fetch re-translates the second page and
   * compares those words, so a write to the second page or a remap to different bytes
   * re-decodes it (a remap to identical bytes decodes to the same bundle anyway).
   * A second page that cannot be fetched is an instruction page fault at its address.
   */
  private fetchCrossing(page: Page, off: number, len: number, ip: number): CompiledBundle {
    const nextVa = ip - off + PAGE_SIZE;
    let next: Page;
    try {
      next = this.mem.pageFor(nextVa, 'exec');
    } catch (e) {
      if (e instanceof MemFault)
        this.trap(
          Exc.InstrPage,
          nextVa,
          `instruction fetch: ${e.reason} (the bundle at 0x${ip.toString(16)} crosses into this page)`,
        );
      throw e;
    }
    const words = (off + len - PAGE_SIZE) >> 2;
    const ni = next.i32;
    const nk = next.off >> 2;
    const xi = (off >> 3) + CROSS;
    const code = page.code;
    if (code !== null) {
      const x = code[xi] as CrossBundle | undefined;
      if (x !== undefined && x.cb.ip === ip) {
        const w = x.tail;
        let same = w.length === words;
        for (let i = 0; same && i < words; i++) same = w[i] === ni[nk + i];
        if (same) return x.cb;
      }
    }
    const buf = this.xbuf;
    const head = PAGE_SIZE - off;
    buf.set(page.bytes.subarray(page.off + off, page.off + PAGE_SIZE), 0);
    buf.set(next.bytes.subarray(next.off, next.off + len - head), head);
    const cb = this.compile(buf, 0, ip);
    this.codeArray(page)[xi] = { cb, tail: ni.slice(nk, nk + words) } satisfies CrossBundle;
    return cb;
  }

  /** Decodes (into the reused scratch record) and compiles the bundle at `bytes[off]`. */
  private compile(bytes: Uint8Array, off: number, ip: number): CompiledBundle {
    return compileBundle(decodeBundle(bytes, off, this.iset, this.scratch), ip);
  }

  /** The page's decoded-bundle array, created on first use (the memory then drops it on writes). */
  private codeArray(page: Page): unknown[] {
    if (page.code === null) {
      page.code = new Array(CODE_SLOTS);
      this.mem.codeCached();
    }
    return page.code;
  }

  /** Scratch for the two halves of a page-crossing bundle. */
  private readonly xbuf = new Uint8Array(64);
  /** Decoder output reused for every bundle (compileBundle keeps nothing of it). */
  private readonly scratch = newDecodedBundle();

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
          const cb = this.fetch(this.ip);
          // the plain-bundle path called directly: one call level less per bundle
          if (cb.plainOnly && this.traceWrite === null ? this.execPlain(cb) : this.exec(cb))
            return Stop.Syscall;
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

  /** Executes one compiled bundle; returns true when it stopped for a system call. */
  exec(cb: CompiledBundle): boolean {
    if (cb.plainOnly && this.traceWrite === null) return this.execPlain(cb);
    if (cb.illegal)
      this.trap(cb.sysop !== 0 ? Exc.PrivAction : Exc.IllegalOpcode, cb.ip, cb.illegal);
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
    // wdBase % RF_SIZE, recomputed only when the window base moved (calls/returns)
    if (this.wdBase !== this.wbFor) {
      this.wbFor = this.wdBase;
      this.wb = this.wdBase % RF_SIZE;
    }
    const wb = this.wb;
    this.dsz = dsize;
    if (cb.fp) {
      FPS.rc = (this.pfpfr >>> 13) & 3;
      FPS.flags = 0;
    }
    if (cb.x80) {
      X87S.rc = (this.fpcr >>> 10) & 3;
      X87S.flags = 0;
    }
    const hasTransfer = cb.ctop !== 0 || cb.cs0Kind >= 4;
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
        if (u.special === 'staa') this.staa(u);
        else this.store(u);
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

    if (cb.aauOps) this.aauExec(cb);
    if (cb.hasPls) evalPls(this, cb);
    if (cb.x80 && X87S.flags & ~this.fpcr & 0x3f) {
      X87S.flags = 0;
      this.trap(Exc.FpException, cb.ip, 'unmasked x87 floating-point exception');
    }
    if (cb.fp && FPS.flags !== 0 && (FPS.flags & ~(this.pfpfr >>> 7) & 0x3f) !== 0) {
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
    if (cb.aauOps) this.aauCommit(cb);
    if (this.usdDelta !== 0) {
      this.usdBase += this.usdDelta;
      this.usdSize -= this.usdDelta;
    }
    if (cb.fp && FPS.flags !== 0) {
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
    if (cb.cs0Kind > 4) {
      // ibranchd (5) / icalld (6), v6: the target its ALU channel latched (alu-special.ts)
      if (cb.cs0Kind === 6) this.procCall(cb.wbs, next, cb.ip);
      this.ip = BRANCHD.target;
      return false;
    }
    if (!cb.call && this.ctprTag[cb.ctop] === CTPR_DISP) {
      this.ip = this.ctprTarget[cb.ctop];
      return false;
    }
    return this.transfer(cb, next);
  }

  /**
   * exec() for a bundle of plain ALU channels and at most a ct/ibranch (compile.ts
   * plainOnly): the same semantics without the work such a bundle cannot need (setwd, FP
   * state, loops, AAU, PLS, stores, trace), with the common-case commit inline.
   * The plain-channel body is a copy of exec()'s fast path on purpose: moving it into a
   * shared method (not inlined by V8 at that size) cost ~8% on bench loop (a).
   * fast-path.test.ts checks that both give the same results.
   */
  private execPlain(cb: CompiledBundle): boolean {
    const x = this.x;
    x.ip = cb.ip;
    const size = this.wdSize;
    if (this.wdBase !== this.wbFor) {
      this.wbFor = this.wdBase;
      this.wb = this.wdBase % RF_SIZE;
    }
    const wb = this.wb;
    this.dsz = size;
    let taken = false;
    if (cb.ctop !== 0 || cb.cs0Kind === 4) {
      const cc = cb.ctcond;
      const type = cc >>> 5;
      if (type === 1) taken = true;
      else if (type === 2 || type === 3) {
        const n = cc & 31;
        const pp = n < this.pSize ? (this.pCur + n) % this.pSize : n;
        if ((this.predTags >>> pp) & 1)
          this.trap(Exc.IllegalOperand, cb.ip, 'tagged predicate in ct condition');
        taken = ((this.preds >>> pp) & 1) === (type === 2 ? 1 : 0);
      } else taken = this.condition(cb);
    }
    const lo = this.lo;
    const hi = this.hi;
    const tg = this.tag;
    const sKind = this.sKind;
    const sIdx = this.sIdx;
    const sLo = this.sLo;
    const sHi = this.sHi;
    const sTag = this.sTag;
    const alus = cb.alu;
    this.n = 0;
    this.ns = 0;
    for (let i = 0; i < alus.length; i++) {
      const u = alus[i];
      if (u.plain === 0) {
        this.plainMem(u, size);
        continue;
      }
      let tin = 0;
      let c = u.c1;
      let p: number;
      if (u.k1 === 0) {
        if (c >= 0x80 && c < 0xc0 && (c & 63) < size) {
          p = wb + (c & 63);
          if (p >= RF_SIZE) p -= RF_SIZE;
        } else p = this.rd(c, size);
        x.aLo = lo[p];
        x.aHi = hi[p];
        tin = tg[p];
      } else {
        x.aLo = u.i1lo;
        x.aHi = u.i1hi;
      }
      if (u.k2 === 0) {
        c = u.c2;
        if (c >= 0x80 && c < 0xc0 && (c & 63) < size) {
          p = wb + (c & 63);
          if (p >= RF_SIZE) p -= RF_SIZE;
        } else p = this.rd(c, size);
        x.bLo = lo[p];
        x.bHi = hi[p];
        tin |= tg[p];
      } else {
        x.bLo = u.i2lo;
        x.bHi = u.i2hi;
      }
      if (u.k3 === 0) {
        p = this.rd(u.c3, size);
        x.cLo = lo[p];
        x.cHi = hi[p];
        tin |= tg[p];
      }
      x.sm = u.sm;
      x.rTag = 0;
      if (tin !== 0) {
        this.slowTagged(u, size, size);
        continue;
      }
      u.impl!(x);
      const k = this.n++;
      if (u.plain === 3) {
        const d = u.dst;
        sKind[k] = ST_PRED;
        sIdx[k] = d < this.pSize ? (this.pCur + d) % this.pSize : d;
        sLo[k] = x.rLo & 1;
        sTag[k] = x.rTag ? 1 : 0;
      } else {
        c = u.dst;
        if (c >= 0x80 && c < 0xc0 && (c & 63) < size) {
          p = wb + (c & 63);
          if (p >= RF_SIZE) p -= RF_SIZE;
        } else p = this.rd(c, size);
        sKind[k] = u.plain === 2 ? ST_REG32 : ST_REG64;
        sIdx[k] = p;
        sLo[k] = x.rLo;
        sHi[k] = x.rHi;
        sTag[k] = x.rTag;
      }
    }
    if (cb.cs0Kind !== 0 && cb.cs0Kind !== 4) this.prepareCtpr(cb);
    // commit: only 64-bit, 32-bit register and predicate results can be staged here
    const n = this.n;
    for (let k = 0; k < n; k++) {
      const kind = sKind[k];
      const i = sIdx[k];
      if (kind === ST_REG64) {
        lo[i] = sLo[k];
        hi[i] = sHi[k];
        tg[i] = sTag[k];
      } else if (kind === ST_PRED) {
        this.preds = (this.preds & ~(1 << i)) | (sLo[k] << i);
        this.predTags = (this.predTags & ~(1 << i)) | (sTag[k] << i);
      } else {
        lo[i] = sLo[k];
        if (this.wdDbl) {
          hi[i] = 0;
          tg[i] = sTag[k];
        } else tg[i] = (tg[i] & ~3) | sTag[k];
      }
    }
    this.n = 0;
    if (this.ns !== 0) this.commitStores(null);
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
    if (this.ctprTag[cb.ctop] === CTPR_DISP) {
      this.ip = this.ctprTarget[cb.ctop];
      return false;
    }
    this.usdDelta = 0;
    return this.transfer(cb, next);
  }

  /** An ordinary load or store in execPlain: exec()'s general path for it (§8 tag rules). */
  private plainMem(u: CAlu, size: number): void {
    const x = this.x;
    let tin = 0;
    if (u.k1 === 0) {
      const p = this.rd(u.c1, size);
      x.aLo = this.lo[p];
      x.aHi = this.hi[p];
      tin |= u.w1 === 32 ? this.tag[p] & 3 : this.tag[p];
    } else {
      x.aLo = u.i1lo;
      x.aHi = u.i1hi;
    }
    if (u.k2 === 0) {
      const p = this.rd(u.c2, size);
      x.bLo = this.lo[p];
      x.bHi = this.hi[p];
      tin |= u.w2 === 32 ? this.tag[p] & 3 : this.tag[p];
    } else {
      x.bLo = u.i2lo;
      x.bHi = u.i2hi;
    }
    if (u.k3 === 0) {
      // a store's value
      const p = this.rd(u.c3, size);
      x.cLo = this.lo[p];
      x.cHi = this.hi[p];
      tin |= u.w3 === 32 ? this.tag[p] & 3 : this.tag[p];
    }
    x.sm = u.sm;
    x.rTag = 0;
    if (tin !== 0 && !u.sm) this.trap(Exc.IllegalOperand, x.ip, `tagged operand of ${u.name}`);
    if (u.mk === MK_STORE) {
      if (tin === 0) this.store(u); // a speculative store of a tagged value is dropped
      return;
    }
    this.load(u);
    this.result(u, size, tin !== 0 ? (u.dw === 32 ? 1 : 5) : x.rTag);
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
        this.checkSrWrite(u.dst);
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
      case 'aaurw':
        this.stage(ST_AAU, u.aau, x.cLo, x.cHi, 0);
        return;
      case 'aaurr':
        this.aau.read(u.aau, this.aauBuf);
        x.rLo = this.aauBuf[0];
        x.rHi = this.aauBuf[1];
        this.result(u, this.curDsize(), 0);
        return;
      case 'rr':
        this.readSr(u.c1);
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

  // State-register access hooks (rrs/rrd/rws/rwd); the system-mode CPU overrides them.
  /** Reads state register `num` into `this.sr` (traps for unknown/forbidden ones). */
  protected readSr(num: number): void {
    readSysreg(this, num, this.idr, this.sr);
  }

  /** Checks at execute time that `num` may be written (nothing committed yet). */
  protected checkSrWrite(num: number): void {
    checkSysregWrite(this, num);
  }
}
