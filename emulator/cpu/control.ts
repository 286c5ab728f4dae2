/**
 * The control unit (control-and-stacks.md §0, §5-§7): transfer conditions, ctpr
 * preparation, ct/call/return through the ctprs with the chain stack, the loop stubs
 * (alc, abn, abp, setbn/setbp) and the system-call gate. The executor (cpu.ts) builds on it.
 */
import type { CompiledBundle } from './compile';
import { Exc } from './exceptions';
import { CpuState, type ChainFrame } from './state';

const RF_SIZE = 224;
const CTPR_EMPTY = 0;
const CTPR_RETURN = 2;
const CTPR_DISP = 3;
const CTPR_SDISP = 5;

function newFrame(): ChainFrame {
  return { preds: 0, predTags: 0, ret: 0, wbs: 0, wdSize: 0, wdPsize: 0, wdFx: 0, wdDbl: 0, bOff: 0, bSize: 0, bCur: 0, pSize: 0, pCur: 0, usdSize: 0, psr: 0 }; // prettier-ignore
}

export class ControlUnit extends CpuState {
  /** Gate number of the last Stop.Syscall (sdisp value). */
  syscallGate = 0;
  /**
   * Byte offset of chain frame 0 in PCS memory. User mode: 0 (frame i at base + 32·i).
   * System mode: 32 — the frame at PCSP.base + PCSP.ind is the current CR and offset 0 is
   * never a live frame (system.md §1.7).
   */
  pcsFrameOff = 0;
  /**
   * Popped chain frames, reused by the next calls (a call/return pair allocated a 15-field
   * object: ~25 MB of garbage per `mem 64` on the demo OS). Nothing may keep a frame after
   * it leaves `chain`.
   */
  private readonly framePool: ChainFrame[] = [];

  protected condition(cb: CompiledBundle): boolean {
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

  /** setbn/setbp, loop_mode strmd, alc, abn, abp after the commit (§0 order). */
  protected stubs(cb: CompiledBundle, taken: boolean, le: boolean, storesOff: boolean): void {
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

  protected prepareCtpr(cb: CompiledBundle): void {
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
  protected transfer(cb: CompiledBundle, next: number): boolean {
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

  /** A chain frame to fill (a reused one when there is one). */
  protected takeFrame(): ChainFrame {
    return this.framePool.pop() ?? newFrame();
  }

  /** Empties the chain; its frames are reused by later calls. */
  protected releaseChain(): void {
    const c = this.chain;
    for (let i = 0; i < c.length; i++) this.framePool.push(c[i]);
    c.length = 0;
  }

  /** call: push a chain frame and shift the window by 2·wbs (§5.2). */
  procCall(wbs: number, ret: number, ip: number): void {
    const shift = 2 * wbs;
    if (shift > this.wdSize)
      this.trap(Exc.WindowBounds, ip, `call wbs=${wbs} beyond a window of ${this.wdSize}`);
    // frames are reused (popped ones go back to the pool): a call allocates nothing
    const f = this.takeFrame();
    f.preds = this.preds;
    f.predTags = this.predTags;
    f.ret = ret;
    f.wbs = wbs;
    f.wdSize = this.wdSize;
    f.wdPsize = this.wdPsize;
    f.wdFx = this.wdFx;
    f.wdDbl = this.wdDbl;
    f.bOff = this.bOff;
    f.bSize = this.bSize;
    f.bCur = this.bCur;
    f.pSize = this.pSize;
    f.pCur = this.pCur;
    f.usdSize = this.usdSize;
    f.psr = this.psr;
    this.chain.push(f);
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
    const a = this.pcsBase + this.pcsFrameOff + i * 32;
    if (this.pcsFrameOff + i * 32 + 32 > this.pcsSize) {
      this.framePool.push(this.chain.pop()!);
      this.trap(Exc.DataPage, a, 'procedure chain stack overflow');
    }
    const w1 = (f.ret % 4294967296) | 0;
    const w2 = Math.floor(f.ret / 4294967296) | 0;
    const wpsz = (f.wdPsize / 2) & 0x7f;
    const w3 = (f.wdFx << 25) | ((wpsz & 0x3f) << 26);
    const w4 = (wpsz >>> 6) | ((f.wbs & 0x7f) << 1) | ((f.psr & 0x7f) << 25);
    const w5 =
      (f.bOff / 2) |
      ((f.bSize ? f.bSize / 2 - 1 : 0) << 6) |
      ((f.bCur / 2) << 12) |
      ((f.pSize ? f.pSize - 1 : 0) << 18) |
      (f.pCur << 23);
    const w6 = (f.wdDbl << 3) | ((Math.floor(f.usdSize / 16) & 0xfffffff) << 4);
    const m = this.mem;
    const o = a & 4095;
    if ((o & 31) === 0) {
      // the frame lies in one page: one translation (write64 four times boxed the
      // non-Smi address of a high chain stack on every call)
      const pg = m.pageFor(a, 'write');
      const w = pg.i32;
      const k = (pg.off + o) >> 2;
      w[k] = f.preds;
      w[k + 1] = f.predTags;
      w[k + 2] = w1;
      w[k + 3] = w2;
      w[k + 4] = w3;
      w[k + 5] = w4;
      w[k + 6] = w5;
      w[k + 7] = w6;
      return;
    }
    m.write64(a, f.preds, f.predTags);
    m.write64(a + 8, w1, w2);
    m.write64(a + 16, w3, w4);
    m.write64(a + 24, w5, w6);
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
    this.framePool.push(f);
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
