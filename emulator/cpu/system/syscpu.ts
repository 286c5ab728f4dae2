/**
 * The privileged (system-mode) e2k core: the user-mode executor of cpu.ts plus the state a
 * kernel uses, traps/interrupts/system calls, `done`, the MMU memory path and MMIO
 * (system.md §1, §2, §3, §6). New behaviour lives here; cpu.ts only exposes small hooks
 * (readSr/checkSrWrite/writeSr, load/store/commit, the `sysop`/`waitBits` bundle fields), so
 * the user-mode hot path is unchanged.
 *
 * Model (system.md §6.3, documented deviations):
 * - Trap entry (§2.4): implicit call preserving the whole window (wbs = WD.size/2), handler
 *   at OSCUD.base with an empty window, PSR = pm only, CUD/GD ← OSCUD/OSGD, one TIR
 *   (TIR0: lo = resume IP, hi = exception mask, j = 0), TIRs frozen until `%tir.lo` is
 *   written. CTPRs are *not* touched (the handler saves them). An exception while TIRs are
 *   frozen is a double fault: the core halts with a reason (the VMM turns it into "stopped").
 * - `done` pops the frame like `return` (PSR, window, BR, predicates, USD size restored) and
 *   re-executes the bundle at cr0.hi; CTPRs are kept.
 * - Data faults are precise (§6.3 simplification): nothing of the bundle commits, one TC
 *   record {address, store data, condition} is written at TRAP_POINT + 8·TRAP_COUNT,
 *   TRAP_COUNT += 3, TIR exc bit 29, resume IP = the faulting bundle. The handler must not
 *   replay the record.
 * - `sdisp %ctprK, N` + `call`: from user mode only if OSEM bit N is set (else
 *   exc_priv_action, raised before the bundle commits); target OSCUD.base + N·0x800;
 *   PSR.pm = 1 and ie/nmie/uie/unmie cleared, sge kept; CUD/GD ← OSCUD/OSGD.
 * - Interrupts: `raiseIrq()/lowerIrq()` (level) and `raiseNmi()`; accepted at a bundle
 *   boundary iff PSR.ie && (!PSR.uie || UPSR.ie) (NMI: nmie/unmie), trap before the next
 *   bundle with TIR exc bit 32 / 33 and cr0.hi = that bundle.
 * - `wait int=1` (CS1 WAIT bit 12, "wait for interrupt") in privileged mode completes the
 *   bundle and returns SysStop.Idle unless an acceptable interrupt is already pending.
 * - Hardware stacks: eager model of cpu.ts (frames kept in core and written to PCS memory
 *   at PCSP.base + 32 + 32·i; the current frame is at PCSP.base + PCSP.ind, so one frame ⇒
 *   ind = 32, as Linux lays out a fresh task). Spill, fill and chain-frame writes are
 *   hardware accesses: privileged whatever PSR.pm says (PV hardware-stack pages, system.md
 *   §1.6). Writing PSP/PCSP switches hardware stacks at the next call/return/done/CR access
 *   (applyStacks: flushr + flushc semantics; see there) — a context switch as in §6.7.
 * - Memory: SystemMemory (sysmem.ts). MAS 1 (physical) and MAS 6 (I/O, physical) bypass
 *   translation, MAS 0x47 reaches MMU registers at reg << 4, MAS 0x17/0x27 are TLB/icache
 *   flushes, MAS 0x07/0x0f cache flushes are no-ops; all special MASes are privileged.
 *   MAS loads/stores are staged and take effect with the bundle's commit.
 */
import { Cpu } from '../cpu';
import type { CompiledBundle, CAlu } from '../compile';
import { Exc, GuestTrap } from '../exceptions';
import { MemFault } from '../memory';
import type { CpuModel } from '../models';
import { USER_WRITABLE } from '../sysreg-access';
import { CTPR_SDISP, type ChainFrame } from '../state';
import type { MmioBus } from '../../memory/mmio';
import type { PhysMemory } from '../../memory/phys';
import { Mmu } from '../../mmu/mmu';
import { tcCondition } from '../../mmu/fault';
import { MMU_CR, MMU_REG_COUNT, PID, U_PPTB, OS_PPTB, OS_VAB } from '../../mmu/regs';
import { SysFault, SystemMemory } from './sysmem';
import * as R from './sysregs';

const { SR } = R;

export const enum SysStop {
  /** The bundle budget ran out. */
  Limit = 0,
  /** `wait int=1`: nothing to do until an interrupt (the host may sleep). */
  Idle = 1,
  /** Unrecoverable machine error (double fault, …): see `haltReason`. */
  Halt = 2,
  /** A hook asked the run loop to return (`requestExit()`). */
  Exit = 3,
}

export interface SysCpuOptions {
  /** IDR value (default: HOST_IDR, the v6 host with hw_virt). */
  idr?: number;
  /** Physical→bus MMU options are the Mmu defaults; pass a prebuilt one to share it. */
  mmu?: Mmu;
  /** Nominal core frequency for CLKR/SCLKR (bundles per second of emulated time). */
  hz?: number;
}

/** PSP/PCSP values written and not yet applied (SysCpu.applyStacks). */
interface PendingStacks {
  psBase: number;
  psSize: number;
  psInd: number;
  pcsBase: number;
  pcsSize: number;
  pcsInd: number;
  ps: boolean;
  pcs: boolean;
}

/** One staged MAS operation (applied at the bundle's commit). */
interface MasOp {
  mas: number;
  addr: number;
  size: number;
  lo: number;
  hi: number;
}

const enc = (v: number): [number, number] => [lo32(v), hi32(v)];
// The two halves separately where it runs often (enc allocates a pair per call).
const lo32 = (v: number): number => (v % 2 ** 32) | 0;
const hi32 = (v: number): number => Math.floor(v / 2 ** 32) | 0;
const num = (lo: number, hi: number): number => (hi >>> 0) * 2 ** 32 + (lo >>> 0);

export class SysCpu extends Cpu {
  readonly smem: SystemMemory;
  readonly mmu: Mmu;
  hostIdr: number;
  /** Bundles per emulated second (CLKR counts bundles; SCLKR derives time from it). */
  hz: number;
  /** 64-bit storage of side-effect-free registers (STORAGE_REGS). */
  readonly regLo = new Int32Array(256);
  readonly regHi = new Int32Array(256);

  // TIR (one pair, §2.2 / §6.3)
  tirIp = 0;
  tirExcLo = 0;
  tirExcHi = 0;
  tirFrozen = false;
  /** Bit i of the last TIR.hi read protocol step (0 = next read is hi). */
  private tirStep = 0;

  /** Interrupt lines (level). */
  irq = false;
  nmi = false;
  /** Non-zero when something asynchronous may need attention at the next boundary. */
  protected attn = 0;
  private exitReq = false;
  /** Set by `wait int=1` until an interrupt is accepted. */
  idle = false;
  haltReason = '';
  /** Emulator-side explanation of the last exception (for logs and the monitor). */
  lastTrapDetail = '';
  /** CLKR = icount + clkOffset. */
  clkOffset = 0;

  // statistics (plain numbers for the monitor)
  traps = 0;
  interrupts = 0;
  syscalls = 0;

  private readonly masOps: MasOp[] = [];
  private nMas = 0;
  /** The memory operation being executed (for the trap-cellar record). */
  protected memOp: CAlu | null = null;

  constructor(
    readonly phys: PhysMemory,
    readonly bus: MmioBus,
    model: CpuModel,
    opts: SysCpuOptions = {},
  ) {
    const mmu = opts.mmu ?? new Mmu(phys);
    const sm = new SystemMemory(phys, bus, mmu);
    super(sm, model);
    this.smem = sm;
    this.mmu = mmu;
    this.hostIdr = opts.idr ?? R.HOST_IDR;
    this.hz = opts.hz ?? 1e9;
    this.pcsFrameOff = 32;
    this.psr = R.PSR_PM;
    this.upsr = R.UPSR_FE | R.UPSR_NMIE;
    this.regLo[SR.SCLKM1] = 1e9; // SCLKR fraction counts nanoseconds (our choice)
    for (let i = 0; i < 8; i++) this.masOps.push({ mas: 0, addr: 0, size: 0, lo: 0, hi: 0 });
  }

  // --- public control ------------------------------------------------------------------

  get pm(): boolean {
    return (this.psr & R.PSR_PM) !== 0;
  }

  /** Keeps the memory path's privilege in step with PSR.pm. */
  protected syncPm(): void {
    const pm = (this.psr & R.PSR_PM) !== 0;
    if (this.smem.pm !== pm) {
      this.smem.pm = pm;
      this.smem.pmChanged();
    }
  }

  setPsr(v: number): void {
    this.psr = v & 0x7f;
    this.syncPm();
    this.attn |= 1;
  }

  raiseIrq(): void {
    this.irq = true;
    this.attn |= 1;
  }

  lowerIrq(): void {
    this.irq = false;
  }

  raiseNmi(): void {
    this.nmi = true;
    this.attn |= 1;
  }

  /** Makes `run` return SysStop.Exit at the next bundle boundary (device hooks, VMM). */
  requestExit(): void {
    this.exitReq = true;
    this.attn |= 1;
  }

  /** Maskable interrupts may be taken now (system.md §1.3). */
  irqEnabled(): boolean {
    const p = this.psr;
    return (p & R.PSR_IE) !== 0 && ((p & R.PSR_UIE) === 0 || (this.upsr & R.UPSR_IE) !== 0);
  }

  nmiEnabled(): boolean {
    const p = this.psr;
    return (p & R.PSR_NMIE) !== 0 && ((p & R.PSR_UNMIE) === 0 || (this.upsr & R.UPSR_NMIE) !== 0);
  }

  /** 64-bit register storage helpers (descriptors, OSEM, …). */
  reg(n: number): number {
    return num(this.regLo[n], this.regHi[n]);
  }

  setReg(n: number, v: number): void {
    this.regLo[n] = lo32(v);
    this.regHi[n] = hi32(v);
  }

  /** OSCUD.base = trap-table base (§1.5). */
  get ttableBase(): number {
    return num(this.regLo[SR.OSCUD_LO], this.regHi[SR.OSCUD_LO] & 0xffff);
  }

  /** Emulated time in seconds since reset (from the bundle count and `hz`). */
  get seconds(): number {
    return this.icount / this.hz;
  }

  /**
   * Enters trap-table entry `n` the way firmware enters the kernel (system.md §5.6, §6.6
   * step 4): a chain frame returning to `retIp`, arguments in the callee's %dr0.., privileged
   * mode with interrupts masked.
   */
  enterEntry(n: number, retIp: number, args: readonly number[] = []): void {
    const size = Math.max(2, args.length + (args.length & 1));
    this.wdSize = size;
    this.wdPsize = 0;
    this.ensureResident(this.wdBase + size);
    args.forEach((a, i) => this.setWin(i, ...enc(a)));
    this.setPsr(R.PSR_PM);
    this.procCall(0, retIp, retIp);
    this.ip = this.ttableBase + n * R.TTABLE_ENTRY;
  }

  // --- run loop --------------------------------------------------------------------------

  /**
   * Runs up to `max` bundles. Never throws: guest errors become traps to the trap table, an
   * unrecoverable one (double fault, trap cellar overflow) returns SysStop.Halt.
   */
  runSys(max: number): SysStop {
    const end = this.icount + max;
    for (;;) {
      try {
        while (this.icount < end) {
          if (this.attn !== 0) {
            const s = this.async();
            if (s >= 0) return s;
          }
          const cb = this.fetch(this.ip);
          if (cb.sysop !== 0 || cb.waitBits !== 0 || cb.call) {
            const s = this.bundleSpecial(cb);
            if (s >= 0) return s;
            continue;
          }
          this.nMas = 0;
          if (this.exec(cb)) this.syscallEntry();
        }
        return SysStop.Limit;
      } catch (e) {
        const s = this.fault(e);
        if (s >= 0) return s;
      }
    }
  }

  /** Boundary checks: exit requests and interrupt acceptance. Returns a stop or -1. */
  protected async(): number {
    if (this.exitReq) {
      this.exitReq = false;
      return SysStop.Exit;
    }
    if (this.nmi && this.nmiEnabled()) {
      this.nmi = false;
      this.interrupts++;
      return this.takeTrap(0, 1 << (R.TEXC.NM_INTERRUPT - 32), this.ip) ? -1 : SysStop.Halt;
    }
    if (this.irq && this.irqEnabled()) {
      this.idle = false;
      this.interrupts++;
      return this.takeTrap(0, 1 << (R.TEXC.INTERRUPT - 32), this.ip) ? -1 : SysStop.Halt;
    }
    if (!this.irq && !this.nmi) this.attn = 0;
    return -1;
  }

  /** Bundles with a privileged control op, a WAIT, or a call (sdisp check). */
  protected bundleSpecial(cb: CompiledBundle): number {
    this.nMas = 0;
    if (cb.sysop !== 0) return this.sysop(cb);
    if (cb.call && this.ctprTag[cb.ctop] === CTPR_SDISP && !this.pm) {
      const n = this.ctprTarget[cb.ctop];
      const osem = this.regLo[SR.OSEM];
      if ((n >= 32 || ((osem >>> n) & 1) === 0) && this.condition(cb))
        this.trap(Exc.PrivAction, cb.ip, `sdisp entry ${n} is not open in OSEM`);
    }
    if ((cb.waitBits & (1 << 12)) !== 0 && !this.pm)
      this.trap(Exc.PrivAction, cb.ip, 'wait int=1 in user mode');
    if (this.exec(cb)) this.syscallEntry();
    if ((cb.waitBits & (1 << 12)) !== 0) return this.waitInt();
    return -1;
  }

  /** `wait int=1`: idle unless an acceptable interrupt is already pending. */
  protected waitInt(): number {
    if ((this.irq && this.irqEnabled()) || (this.nmi && this.nmiEnabled())) return -1;
    this.idle = true;
    return SysStop.Idle;
  }

  /** done / iret / hret / glaunch / hcall in host (non-guest) mode. */
  protected sysop(cb: CompiledBundle): number {
    if (!this.pm) this.trap(Exc.PrivAction, cb.ip, `${opName(cb.sysop)} in user mode`);
    if (cb.sysop === 2) return this.trap(Exc.IllegalOpcode, cb.ip, 'iret is not modelled (no documented semantics)'); // prettier-ignore
    if (cb.sysop === 1) {
      if (cb.hasSS && !this.condition(cb)) {
        this.ip = cb.ip + cb.length;
        this.icount++;
        return -1;
      }
      this.done();
      this.icount++;
      return -1;
    }
    return this.hostVirtOp(cb);
  }

  /** glaunch/hret/hcall/iret outside guest mode: the VMM is TypeScript (virt/), so illegal. */
  protected hostVirtOp(cb: CompiledBundle): number {
    return this.trap(Exc.IllegalOpcode, cb.ip, `${opName(cb.sysop)} is not available in this model (the VMM drives guests from TypeScript)`); // prettier-ignore
  }

  /** `done` (§2.5): pop the trap frame, resume at cr0.hi; CTPRs kept. */
  done(): void {
    const t1 = this.ctprTarget[1], t2 = this.ctprTarget[2], t3 = this.ctprTarget[3]; // prettier-ignore
    const g1 = this.ctprTag[1], g2 = this.ctprTag[2], g3 = this.ctprTag[3]; // prettier-ignore
    this.procReturn();
    this.ctprTarget[1] = t1;
    this.ctprTarget[2] = t2;
    this.ctprTarget[3] = t3;
    this.ctprTag[1] = g1;
    this.ctprTag[2] = g2;
    this.ctprTag[3] = g3;
  }

  // --- hardware-stack switching (context switch, system.md §6.7) ---------------------------

  /** PSP/PCSP values written since the last hardware-stack access (applied together). */
  private pend: PendingStacks | null = null;
  /** The one record `pend` points to while writes are pending (a context switch allocates nothing). */
  private readonly pendRec: PendingStacks = { psBase: 0, psSize: 0, psInd: 0, pcsBase: 0, pcsSize: 0, pcsInd: 0, ps: false, pcs: false }; // prettier-ignore
  /** Scratch for moving the current window (applyStacks). */
  private readonly mvLo = new Int32Array(224);
  private readonly mvHi = new Int32Array(224);
  private readonly mvTag = new Uint8Array(224);
  private readonly mvElo = new Int32Array(224);
  private readonly mvEhi = new Int32Array(224);

  private pendingStacks(): PendingStacks {
    if (!this.pend) {
      const p = this.pendRec;
      p.psBase = this.psBase;
      p.psSize = this.psSize;
      p.psInd = (this.wdBase + this.wdSize) * 32;
      p.pcsBase = this.pcsBase;
      p.pcsSize = this.pcsSize;
      p.pcsInd = this.pcsFrameOff + (this.chain.length - 1) * 32;
      p.ps = p.pcs = false;
      this.pend = p;
    }
    return this.pend;
  }

  /**
   * Applies PSP/PCSP writes before the next hardware-stack access (call, return, done, trap,
   * spill). Procedure stack: the windows below the current one are flushed to the old
   * stack (flushr), the current window stays in the register file and is placed at the new
   * stack's top (PSP.ind = top of the current window, our reading). Chain stack: the
   * in-core frames are written back to the old stack (flushc) and the new stack's frames
   * (PCSP.base + 32 … PCSP.base + ind) become the chain; the window size of a caller
   * loaded that way is restored as callee psize + 2·wbs at return (control-and-stacks.md
   * §5.3).
   */
  private applyStacks(): void {
    const p = this.pend;
    if (!p) return;
    this.pend = null;
    const changedPs = p.psBase !== this.psBase || p.psInd !== (this.wdBase + this.wdSize) * 32;
    if (changedPs) {
      for (let i = this.spilled; i < this.wdBase; i++) this.hwSpill(i);
      const nb = Math.max(0, Math.floor(p.psInd / 32) - this.wdSize);
      const n = this.wdSize;
      const l = this.mvLo, h = this.mvHi, t = this.mvTag, el = this.mvElo, eh = this.mvEhi; // prettier-ignore
      for (let k = 0; k < n; k++) {
        const q = (this.wdBase + k) % 224;
        l[k] = this.lo[q];
        h[k] = this.hi[q];
        t[k] = this.tag[q];
        el[k] = this.elo[q];
        eh[k] = this.ehi[q];
      }
      for (let k = 0; k < n; k++) {
        const q = (nb + k) % 224;
        this.lo[q] = l[k];
        this.hi[q] = h[k];
        this.tag[q] = t[k];
        this.elo[q] = el[k];
        this.ehi[q] = eh[k];
      }
      this.wdBase = nb;
      this.spilled = nb;
    }
    this.psBase = p.psBase;
    this.psSize = p.psSize;
    const changedPcs = p.pcsBase !== this.pcsBase || p.pcsInd !== this.pcsFrameOff + (this.chain.length - 1) * 32; // prettier-ignore
    if (changedPcs) {
      for (let i = 0; i < this.chain.length; i++) this.hwWriteFrame(i);
      this.pcsBase = p.pcsBase;
      this.pcsSize = p.pcsSize;
      this.releaseChain();
      const frames = Math.max(0, Math.floor((p.pcsInd - this.pcsFrameOff) / 32) + 1); // ind 32 = one frame
      for (let i = 0; i < frames; i++) this.chain.push(this.hwReadFrame(i));
    }
    this.pcsBase = p.pcsBase;
    this.pcsSize = p.pcsSize;
  }

  private hwSpill(abs: number): void {
    const s = abs % 224;
    const a = this.psBase + abs * 32;
    const m = this.mem;
    m.write64(a, this.lo[s], this.hi[s]);
    m.write64(a + 8, this.elo[s], this.ehi[s]);
    m.write32(a + 16, this.tag[s]);
  }

  /** Chain frame `i` in the PCS memory layout of control.ts writeChainFrame. */
  private hwWriteFrame(i: number): void {
    const f = this.chain[i];
    const a = this.pcsBase + this.pcsFrameOff + i * 32;
    const m = this.mem;
    m.write64(a, f.preds, f.predTags);
    m.write64(a + 8, (f.ret % 2 ** 32) | 0, Math.floor(f.ret / 2 ** 32));
    const wpsz = (f.wdPsize / 2) & 0x7f;
    m.write64(a + 16, (f.wdFx << 25) | ((wpsz & 0x3f) << 26), (wpsz >>> 6) | ((f.wbs & 0x7f) << 1) | ((f.psr & 0x7f) << 25)); // prettier-ignore
    const br = (f.bOff / 2) | ((f.bSize ? f.bSize / 2 - 1 : 0) << 6) | ((f.bCur / 2) << 12) | ((f.pSize ? f.pSize - 1 : 0) << 18) | (f.pCur << 23); // prettier-ignore
    m.write64(a + 24, br, (f.wdDbl << 3) | ((Math.floor(f.usdSize / 16) & 0xfffffff) << 4));
  }

  private hwReadFrame(i: number): ChainFrame {
    const a = this.pcsBase + this.pcsFrameOff + i * 32;
    const m = this.mem;
    const preds = m.read64(a);
    const predTags = m.hi;
    const retLo = m.read64(a + 8);
    const ret = num(retLo, m.hi) - (num(retLo, m.hi) % 8);
    const c1lo = m.read64(a + 16);
    const c1hi = m.hi;
    const br = m.read64(a + 24);
    const c2hi = m.hi;
    const wpsz = ((c1lo >>> 26) & 0x3f) | ((c1hi & 1) << 6);
    const f = this.takeFrame();
    f.preds = preds;
    f.predTags = predTags;
    f.ret = ret;
    f.wbs = (c1hi >>> 1) & 0x7f;
    f.wdSize = -1; // derived at return: callee psize + 2·wbs
    f.wdPsize = wpsz * 2;
    f.wdFx = (c1lo >>> 25) & 1;
    f.wdDbl = (c2hi >>> 3) & 1;
    f.bOff = (br & 0x3f) * 2;
    f.bSize = (((br >>> 6) & 0x3f) + 1) * 2;
    f.bCur = ((br >>> 12) & 0x3f) * 2;
    f.pSize = ((br >>> 18) & 0x1f) + 1;
    f.pCur = (br >>> 23) & 0x1f;
    f.usdSize = ((c2hi >>> 4) & 0xfffffff) * 16;
    f.psr = (c1hi >>> 25) & 0x7f;
    return f;
  }

  /** `return %ctpr3` reads the current frame: after a PCSP write, the new thread's one. */
  protected override prepareCtpr(cb: CompiledBundle): void {
    if (cb.cs0Kind === 3 && this.pend !== null) this.crAccess(SR.CR0_HI);
    super.prepareCtpr(cb);
  }

  override procReturn(): void {
    const h = this.smem.hw;
    this.smem.hw = true; // the fill of the caller's window is a hardware access
    try {
      this.applyStacks();
      const top = this.chain[this.chain.length - 1];
      if (top && top.wdSize < 0) top.wdSize = this.wdPsize + 2 * top.wbs;
      super.procReturn();
    } finally {
      this.smem.hw = h;
    }
    this.syncPm();
    this.attn |= 1;
  }

  /** Calls (and trap entries) write the chain frame as a hardware access (§1.6). */
  override procCall(wbs: number, ret: number, ip: number): void {
    const h = this.smem.hw;
    this.smem.hw = true;
    try {
      this.applyStacks();
      super.procCall(wbs, ret, ip);
    } finally {
      this.smem.hw = h;
    }
  }

  /** Register spills (setwd growing the window) are hardware accesses (§1.6). */
  override ensureResident(end: number): void {
    const h = this.smem.hw;
    this.smem.hw = true;
    try {
      this.applyStacks();
      super.ensureResident(end);
    } finally {
      this.smem.hw = h;
    }
  }

  /** After an sdisp call (the frame is pushed): system-call entry (§2.3, §6.3). */
  protected syscallEntry(): void {
    this.syscalls++;
    const n = this.syscallGate;
    this.setPsr((this.psr & ~(R.PSR_IE | R.PSR_NMIE | R.PSR_UIE | R.PSR_UNMIE)) | R.PSR_PM);
    this.loadOsDescriptors();
    this.ip = this.ttableBase + n * R.TTABLE_ENTRY;
  }

  private loadOsDescriptors(): void {
    this.regLo[SR.CUD_LO] = this.regLo[SR.OSCUD_LO];
    this.regHi[SR.CUD_LO] = this.regHi[SR.OSCUD_LO];
    this.regLo[SR.CUD_HI] = this.regLo[SR.OSCUD_HI];
    this.regHi[SR.CUD_HI] = this.regHi[SR.OSCUD_HI];
    this.regLo[SR.GD_LO] = this.regLo[SR.OSGD_LO];
    this.regHi[SR.GD_LO] = this.regHi[SR.OSGD_LO];
    this.regLo[SR.GD_HI] = this.regLo[SR.OSGD_HI];
    this.regHi[SR.GD_HI] = this.regHi[SR.OSGD_HI];
  }

  /**
   * Trap entry (§2.4) with TIR0 = {resumeIp, exception mask excLo | excHi << 32}. Returns
   * false (core halted) on a double fault or when the chain stack cannot take the frame.
   */
  takeTrap(excLo: number, excHi: number, resumeIp: number): boolean {
    if (this.tirFrozen) {
      const what = describeExc(excLo, excHi);
      return this.halt(`${what} at 0x${resumeIp.toString(16)} (${this.lastTrapDetail}) while TIRs were frozen (double fault: the trap handler itself failed)`); // prettier-ignore
    }
    this.traps++;
    this.tirIp = resumeIp;
    this.tirExcLo = excLo;
    this.tirExcHi = excHi;
    this.tirFrozen = true;
    this.tirStep = 0;
    const t1 = this.ctprTarget[1], t2 = this.ctprTarget[2], t3 = this.ctprTarget[3]; // prettier-ignore
    const g1 = this.ctprTag[1], g2 = this.ctprTag[2], g3 = this.ctprTag[3]; // prettier-ignore
    try {
      this.procCall(this.wdSize >> 1, resumeIp, resumeIp);
    } catch (e) {
      const d = e instanceof GuestTrap ? e.detail : e instanceof MemFault ? `chain/procedure stack at 0x${e.addr.toString(16)} not writable` : String(e); // prettier-ignore
      return this.halt(`trap entry failed: ${d}`);
    }
    this.ctprTarget[1] = t1;
    this.ctprTarget[2] = t2;
    this.ctprTarget[3] = t3;
    this.ctprTag[1] = g1;
    this.ctprTag[2] = g2;
    this.ctprTag[3] = g3;
    this.setPsr(R.PSR_PM);
    this.loadOsDescriptors();
    this.ip = this.ttableBase;
    return true;
  }

  halt(reason: string): false {
    this.haltReason = reason;
    return false;
  }

  /** Turns anything thrown by a bundle into a trap (or a halt). Returns a stop or -1. */
  protected fault(e: unknown): number {
    this.nMas = 0;
    const ip = this.ip;
    if (e instanceof SysFault) return this.dataFault(e, ip);
    if (e instanceof GuestTrap) {
      this.lastTrapDetail = `${e.detail} at 0x${Number(e.addr).toString(16)}`;
      if (e.exc === Exc.InstrPage) {
        const f = this.smem.sysFault;
        const exc = f.exc === R.TEXC.INSTR_PAGE_PROT ? R.TEXC.INSTR_PAGE_PROT : R.TEXC.INSTR_PAGE_MISS; // prettier-ignore
        return this.takeTrap(1 << exc, 0, ip) ? -1 : SysStop.Halt;
      }
      const exc = tirExc(e.exc);
      return this.takeTrap(exc < 32 ? 1 << exc : 0, exc >= 32 ? 1 << (exc - 32) : 0, ip) ? -1 : SysStop.Halt; // prettier-ignore
    }
    if (e instanceof MemFault) return this.takeTrap(1 << R.TEXC.DATA_PAGE, 0, ip) ? -1 : SysStop.Halt; // prettier-ignore
    this.halt(`internal error at 0x${ip.toString(16)}: ${(e as Error)?.message ?? String(e)}`);
    return SysStop.Halt;
  }

  /** Precise data fault (§6.3): TC record + exc_data_page at the faulting bundle. */
  protected dataFault(f: SysFault, ip: number): number {
    const u = this.memOp;
    const store = f.access === 'write';
    const size = u ? u.memSize : 8;
    const cond = tcCondition({
      dst: u && !store ? u.dst : 0,
      fmt: size === 1 ? 1 : size === 2 ? 2 : size === 4 ? 3 : size === 8 ? 4 : 5,
      store,
      mas: u ? u.mas : 0,
      pm: this.pm,
      chan: u ? [0, 0, 1, 2, 2, 3][u.ch] : 0,
      faultType: f.faultType,
      missLevel: f.missLevel,
    });
    const x = this.x;
    if (!this.mmu.writeTrapCellar(this.phys, f.addr, store ? x.cLo : 0, store ? x.cHi : 0, cond))
      return this.halt(`trap cellar overflow at 0x${ip.toString(16)} (TRAP_COUNT not reset by the handler)`) ? -1 : SysStop.Halt; // prettier-ignore
    return this.takeTrap(1 << R.TEXC.DATA_PAGE, 0, ip) ? -1 : SysStop.Halt;
  }

  // --- state registers -------------------------------------------------------------------

  /** CR accesses after a PSP/PCSP write see the new thread's current frame. */
  private crAccess(n: number): void {
    if (this.pend !== null && (n === SR.CR0_HI || n === SR.CR0_LO || n === SR.CR1_HI || n === SR.CR1_LO)) {
      const h = this.smem.hw;
      this.smem.hw = true;
      try {
        this.applyStacks();
      } finally {
        this.smem.hw = h;
      }
    }
  } // prettier-ignore

  protected override readSr(n: number): void {
    this.crAccess(n);
    const out = this.sr;
    switch (n) {
      case SR.PSR:
        out.lo = this.psr;
        out.hi = 0;
        return;
      case SR.IDR:
        out.lo = this.hostIdr;
        out.hi = 0;
        return;
      case SR.CLKR:
        out.lo = lo32(this.icount + this.clkOffset);
        out.hi = hi32(this.icount + this.clkOffset);
        return;
      case SR.SCLKR: {
        const t = this.seconds;
        const s = Math.floor(t);
        out.hi = s | 0;
        out.lo = Math.floor((t - s) * (this.regLo[SR.SCLKM1] >>> 0 || 1e9)) | 0;
        return;
      }
      case SR.SCLKM1:
        out.lo = this.regLo[n];
        out.hi = this.regHi[n];
        return;
      case SR.TIR_HI:
        out.lo = this.tirExcLo;
        out.hi = this.tirExcHi & 0xfff; // j = 0, al/aa = 0
        this.tirStep = 1;
        return;
      case SR.TIR_LO:
        out.lo = lo32(this.tirIp);
        out.hi = hi32(this.tirIp);
        this.tirStep = 0;
        return;
      case SR.PCSP_HI:
        // the current frame (CR) is at PCSP.base + ind; frame i at base + 32 + 32·i
        out.lo = this.pcsFrameOff + (this.chain.length - 1) * 32;
        out.hi = this.pcsSize;
        return;
      case SR.CR1_LO: {
        const top = this.chain[this.chain.length - 1];
        if (!top) break;
        const wpsz = (top.wdPsize / 2) & 0x7f;
        out.lo = (top.wdFx << 25) | ((wpsz & 0x3f) << 26);
        out.hi = (wpsz >>> 6) | ((top.wbs & 0x7f) << 1) | ((top.psr & 0x7f) << 25);
        return;
      }
      case SR.CR1_HI: {
        const top = this.chain[this.chain.length - 1];
        if (!top) break;
        super.readSr(n);
        out.hi = (top.wdDbl << 3) | ((Math.floor(top.usdSize / 16) & 0xfffffff) << 4);
        return;
      }
    }
    if (STORAGE.has(n)) {
      out.lo = this.regLo[n];
      out.hi = this.regHi[n];
      return;
    }
    super.readSr(n);
  }

  protected override checkSrWrite(n: number): void {
    if (n === SR.IDR || n === SR.IP)
      this.trap(Exc.IllegalOpcode, this.ip, `state register 0x${n.toString(16)} is read-only`);
    if (!this.pm && !USER_WRITABLE.has(n))
      this.trap(Exc.PrivAction, this.ip, `write of privileged state register 0x${n.toString(16)} in user mode`); // prettier-ignore
    if (!isSysWritable(n))
      this.trap(Exc.IllegalOpcode, this.ip, `write of unknown state register 0x${n.toString(16)}`); // prettier-ignore
  }

  protected override writeSr(n: number, lo: number, hi: number): void {
    this.crAccess(n);
    const top = this.chain[this.chain.length - 1];
    switch (n) {
      case SR.PSR:
        this.setPsr(lo);
        return;
      case SR.UPSR:
        this.upsr = lo;
        this.attn |= 1;
        return;
      case SR.CORE_MODE:
        this.regLo[n] = lo;
        this.mmu.setCoreMode(lo);
        this.smem.invalidate();
        return;
      case SR.CLKR:
        this.clkOffset = num(lo, hi) - this.icount;
        return;
      case SR.SCLKM1:
      case SR.SCLKR:
        this.regLo[n] = lo;
        this.regHi[n] = hi;
        return;
      case SR.TIR_LO:
        this.tirFrozen = false; // any write unfreezes (§2.2)
        return;
      case SR.TIR_HI:
        return;
      case SR.PSP_LO:
        this.pendingStacks().psBase = num(lo, hi & 0xffff);
        return;
      case SR.PSP_HI:
        this.pendingStacks().psSize = hi >>> 0;
        this.pendingStacks().psInd = lo >>> 0;
        return;
      case SR.PCSP_LO:
        this.pendingStacks().pcsBase = num(lo, hi & 0xffff);
        return;
      case SR.PCSP_HI:
        this.pendingStacks().pcsSize = hi >>> 0;
        this.pendingStacks().pcsInd = lo >>> 0;
        return;
      case SR.USD_LO:
        this.usdBase = num(lo, hi & 0xffff);
        return;
      case SR.USD_HI:
        this.usdSize = hi >>> 0;
        return;
      case SR.SBR:
        this.sbr = num(lo, hi & 0xffff);
        return;
      case SR.CTPR1:
      case SR.CTPR2:
      case SR.CTPR3:
        this.ctprTarget[n - 0x14] = num(lo, hi & 0xffff);
        this.ctprTag[n - 0x14] = (hi >>> 22) & 7;
        return;
      case SR.CR0_HI:
        if (top) top.ret = num(lo, hi) - (num(lo, hi) % 8);
        return;
      case SR.CR0_LO:
        if (top) {
          top.preds = lo;
          top.predTags = hi;
        }
        return;
      case SR.CR1_LO:
        if (top) top.psr = (hi >>> 25) & 0x7f; // window fields of a live frame are not rewritten
        return;
      case SR.CR1_HI:
        if (top) top.usdSize = ((hi >>> 4) & 0xfffffff) * 16;
        return;
      case SR.WD:
      case SR.PSHTP:
      case SR.PCSHTP:
        return; // eager-spill model: nothing lives in the hardware stacks (§6.2)
    }
    if (STORAGE.has(n)) {
      this.regLo[n] = lo;
      this.regHi[n] = hi;
      return;
    }
    super.writeSr(n, lo, hi);
  }

  // --- special MASes ---------------------------------------------------------------------

  protected override load(u: CAlu): void {
    this.memOp = u;
    const mas = u.mas & 0x7f;
    const mod = mas & 7;
    if (mas === 0 || (mod !== 1 && mod !== 6 && mod !== 7)) return super.load(u);
    if (!this.pm) this.trap(Exc.PrivAction, this.ip, `MAS 0x${mas.toString(16)} in user mode`);
    const x = this.x;
    const addr = this.address() + u.memOff;
    x.rHi = 0;
    if (mod === 1 || mod === 6) {
      x.rLo = this.smem.physRead(addr, u.memSize);
      if (u.memSize === 8) x.rHi = this.smem.hi;
      return;
    }
    if (mas === 0x47) {
      const r = mmuReg(addr);
      if (r < 0) this.trap(Exc.IllegalOperand, this.ip, `MAS 0x47 load from 0x${addr.toString(16)}: no such MMU register`); // prettier-ignore
      x.rLo = this.mmu.regs.lo[r] | 0;
      x.rHi = this.mmu.regs.hi[r] | 0;
      return;
    }
    if (mas === 0x2f) {
      // VA probe: the physical address, or 0 when the VA does not translate (our choice)
      try {
        [x.rLo, x.rHi] = enc(this.smem.translate(addr, 'read'));
      } catch {
        x.rLo = x.rHi = 0;
      }
      return;
    }
    x.rLo = 0; // other diagnostic spaces read as 0
  }

  protected override store(u: CAlu): void {
    this.memOp = u;
    const mas = u.mas & 0x7f;
    const mod = mas & 7;
    if (mas === 0 || (mod !== 1 && mod !== 6 && mod !== 7)) return super.store(u);
    if (!this.pm) this.trap(Exc.PrivAction, this.ip, `MAS 0x${mas.toString(16)} in user mode`);
    const addr = this.address() + u.memOff;
    if (mas === 0x47 && mmuReg(addr) < 0)
      this.trap(Exc.IllegalOperand, this.ip, `MAS 0x47 store to 0x${addr.toString(16)}: no such MMU register`); // prettier-ignore
    this.stageMas(mas, addr, u.memSize, this.x.cLo, this.x.cHi);
  }

  protected stageMas(mas: number, addr: number, size: number, lo: number, hi: number): void {
    if (this.nMas >= this.masOps.length) this.masOps.push({ mas: 0, addr: 0, size: 0, lo: 0, hi: 0 }); // prettier-ignore
    const m = this.masOps[this.nMas++];
    m.mas = mas;
    m.addr = addr;
    m.size = size;
    m.lo = lo;
    m.hi = hi;
  }

  protected override commit(): void {
    super.commit();
    if (this.nMas !== 0) this.commitMas();
  }

  private commitMas(): void {
    for (let i = 0; i < this.nMas; i++) {
      const m = this.masOps[i];
      const mod = m.mas & 7;
      if (mod === 1 || mod === 6) this.smem.physWrite(m.addr, m.size, m.lo, m.hi);
      else if (m.mas === 0x47) this.writeMmuReg(mmuReg(m.addr), m.lo, m.hi);
      else if (m.mas === 0x17 || m.mas === 0x27) {
        this.mmu.flushOp(m.mas, m.addr, m.lo, m.hi);
        // A one-page flush (address 1: VA[47:0] in the value, as mmu.flushOp reads it)
        // drops that page's cached translations only; the rest drop everything.
        if (m.mas === 0x17 && m.addr === 1)
          this.smem.invalidatePage((m.lo >>> 0) + (m.hi & 0xffff) * 2 ** 32);
        else this.smem.invalidate();
      }
      // 0x07 / 0x0f cache write-back: no caches in this model
    }
    this.nMas = 0;
  }

  /** MMU register write with its side effects (translation caches). */
  protected writeMmuReg(r: number, lo: number, hi: number): void {
    this.mmu.writeReg(r << 4, lo, hi);
    if (r === MMU_CR || r === PID || r === U_PPTB || r === OS_PPTB || r === OS_VAB)
      this.smem.invalidate();
  }

  /** Plain-data register snapshot for the monitor (hex strings). */
  snapshotRegs(): Record<string, string> {
    const h = (v: number) => '0x' + v.toString(16);
    const o: Record<string, string> = {
      ip: h(this.ip),
      psr: h(this.psr),
      upsr: h(this.upsr >>> 0),
      core_mode: h(this.regLo[SR.CORE_MODE] >>> 0),
      oscud_lo: h(this.reg(SR.OSCUD_LO)),
      osem: h(this.regLo[SR.OSEM] >>> 0),
      osr0: h(this.reg(SR.OSR0)),
      usd_lo: h(this.usdBase),
      usd_size: h(this.usdSize),
      sbr: h(this.sbr),
      psp_base: h(this.psBase),
      pcsp_base: h(this.pcsBase),
      pcsp_ind: h(this.pcsFrameOff + (this.chain.length - 1) * 32),
      wd_size: h(this.wdSize),
      tir_lo: h(this.tirIp),
      tir_hi: h(this.tirExcHi * 2 ** 32 + (this.tirExcLo >>> 0)),
      tir_frozen: String(this.tirFrozen),
      icount: String(this.icount),
    };
    for (let i = 0; i < 8; i++) o[`dr${i}`] = h(num(this.winLo(i), this.winHi(i)));
    return o;
  }
}

const STORAGE = new Set(R.STORAGE_REGS);

function opName(op: number): string {
  return ['', 'done', 'iret', 'hret', 'glaunch', 'hcall'][op] ?? `op ${op}`;
}

function mmuReg(addr: number): number {
  if (addr % 16 !== 0 || addr < 0 || addr >= MMU_REG_COUNT * 16) return -1;
  return addr / 16;
}

/** Executor exception → TIR exception number (system.md §2.1). */
export function tirExc(e: Exc): number {
  switch (e) {
    case Exc.IllegalOpcode:
      return R.TEXC.ILLEGAL_OPCODE;
    case Exc.PrivAction:
      return R.TEXC.PRIV_ACTION;
    case Exc.IllegalOperand:
      return R.TEXC.DIAG_OPERAND;
    case Exc.WindowBounds:
      return R.TEXC.WINDOW_BOUNDS;
    case Exc.DataPage:
      return R.TEXC.DATA_PAGE;
    case Exc.InstrPage:
      return R.TEXC.INSTR_PAGE_MISS;
    case Exc.AddrNotAligned:
      return R.TEXC.ADDR_NOT_ALIGNED;
    case Exc.Div:
      return R.TEXC.DIV;
    case Exc.FpException:
      return R.TEXC.FP;
    case Exc.ArrayBounds:
      return R.TEXC.ARRAY_BOUNDS;
  }
  return R.TEXC.ILLEGAL_OPCODE;
}

export function describeExc(lo: number, hi: number): string {
  const names: string[] = [];
  for (let b = 0; b < 32; b++) if ((lo >>> b) & 1) names.push(R.TEXC_NAMES[b] ?? `exc_${b}`);
  for (let b = 0; b < 12; b++) if ((hi >>> b) & 1) names.push(R.TEXC_NAMES[b + 32] ?? `exc_${b + 32}`); // prettier-ignore
  return names.join('+') || 'no exception';
}

const WRITABLE = new Set<number>([
  SR.PSR, SR.UPSR, SR.CORE_MODE, SR.CLKR, SR.SCLKR, SR.SCLKM1, SR.TIR_LO, SR.TIR_HI, SR.PSP_LO,
  SR.PSP_HI, SR.PCSP_LO, SR.PCSP_HI, SR.USD_LO, SR.USD_HI, SR.SBR, SR.CTPR1, SR.CTPR2, SR.CTPR3,
  SR.CR0_HI, SR.CR0_LO, SR.CR1_HI, SR.CR1_LO, SR.WD, SR.PSHTP, SR.PCSHTP, ...R.STORAGE_REGS,
  ...USER_WRITABLE,
]); // prettier-ignore

function isSysWritable(n: number): boolean {
  return WRITABLE.has(n);
}
