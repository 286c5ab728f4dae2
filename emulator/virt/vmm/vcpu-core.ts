/**
 * The hardware side of guest mode (virtualization.md §7.2 rules 1-5) on top of the
 * privileged core: a `VcpuCore` is the emulated v6 core while it runs one vCPU.
 *
 * - `launch(cu, mu)` = GLAUNCH: the SH bank becomes the active context (ShadowBank.launch
 *   through `ArchRegs`), translation goes GVA → GPA → PA (TdpWalker; non-paged guests
 *   when SH_MMU_CR.tlb_en = 0), the vCPU's CEPIC bank is loaded, and the written-back
 *   records are replayed on the first bundle (§3.5): READ_CU / READ_MU deliver their data,
 *   WRITE_CU / WRITE_MU perform the (possibly substituted) write, code 0 CU entries and
 *   MU records absent from the written-back list are skipped (cancelled), every other MU
 *   record is re-executed (after the VMM mapped the page). Replay = re-executing the
 *   intercepted bundle with those overrides (the bundle never committed).
 * - `runGuest(max)` runs guest bundles; every guest action is checked against
 *   VIRT_CTRL_CU / VIRT_CTRL_MU (ctrl.ts) and fed into an InterceptCollector. At the end
 *   of a bundle with records the commit is suppressed and the core exits (intercept):
 *   the guest's registers go back into the SH bank and the records are returned.
 * - Asynchronous events at bundle boundaries: preemption timer (`g_tmr`), interrupts for
 *   the hypervisor (`hv_int`: an IPI that missed the DAT, or `hostInterrupt()`), guest
 *   interrupts from the virtual CEPIC taken by the guest's own trap handler *without an
 *   exit* (unless exc_interrupt is set), `wait int=1` → `wait_trap` (the bundle completes).
 * - Guest CEPIC accesses (GPA window `cepicGpa`) are served by the vCPU's VirtualCepic in
 *   "hardware", without exits (§5.1 guest bank). Guest exceptions go to the guest's trap
 *   table unless their exc_c bit is set; a double fault halts the vCPU.
 * - Hypercalls (`hcall N`, HCEM bit N and SH_CORE_MODE.hci) call `onHypercall` directly
 *   (no records, §6.4); arguments are the caller's %b[0..7], the result goes to %b[0]
 *   (functional model: no window shift, no backup stacks).
 * - GPA misses of hardware-stack spills and trap frames (after the bundle committed) are
 *   resolved synchronously through `onLateGpaFault` (the hardware would spill to the
 *   backup stacks); they count as GPA faults without an exit.
 */
import { SysCpu, SysStop } from '../../cpu/system/syscpu';
import type { CompiledBundle, CAlu } from '../../cpu/compile';
import { Exc } from '../../cpu/exceptions';
import type { CpuModel } from '../../cpu/models';
import { SysFault, type GuestTranslator } from '../../cpu/system/sysmem';
import { SR, CORE_MODE_GMI, CORE_MODE_HCI, TEXC } from '../../cpu/system/sysregs';
import { MmioBus } from '../../memory/mmio';
import type { PhysMemory } from '../../memory/phys';
import { ACC_EXEC, ACC_WRITE, tcCondition, type Access } from '../../mmu/fault';
import { MMU_CR, MMU_REG_COUNT, MmuRegs, OS_PPTB, OS_VAB, PID, TRAP_COUNT, TRAP_POINT, U_PPTB, G_W_IMASK_MMU_CR } from '../../mmu/regs'; // prettier-ignore
import { gpGen } from '../gp';
import type { VirtualCepic } from '../cepic';
import { decideCuRead, decideCuWrite, decideException, decideHcall, decideMasOp, decideMmuReg, decideVirtAccess, isSet, unconditional, type InterceptDecision } from '../ctrl'; // prettier-ignore
import { ICE_FORCED, ICE_READ_CU, ICE_WRITE_CU, IME_READ_MU, IME_WRITE_MU, type CuRecord, type MuRecord } from '../intc'; // prettier-ignore
import { InterceptCollector } from '../intercept';
import { ShadowBank, type ArchRegsNum } from '../shadow';
import { TdpResult, TdpWalker, TDP_GUEST_FAULT, TDP_INTERCEPT, type GuestMmuState } from '../tdp';
import { u64, type U64 } from '../u64';

/** Thrown through the executor to end a bundle that produced interception records. */
class InterceptSignal {}
const ICPT = new InterceptSignal();
/**
 * A data access of the bundle needs the hypervisor: its MU record is collected and the
 * rest of the bundle still executes (so every access of the bundle is recorded in one
 * exit, §3.4); the commit is then suppressed.
 */
const DEFER = new InterceptSignal();

export type GuestExit =
  | { kind: 'intercept'; cu: CuRecord; mu: MuRecord[]; ip: number }
  | { kind: 'limit' }
  | { kind: 'halt'; reason: string };

/** The exit without records (shared: exits are read at once by the caller, never kept). */
const LIMIT_EXIT: GuestExit = Object.freeze({ kind: 'limit' as const });
const ISET6 = Object.freeze({ iset: 6 });
/** CAlu.ch → trap-cellar channel number. */
const CHAN = [0, 0, 1, 2, 2, 3];

/** Host PA at which the guest CEPIC window is decoded (below the host page allocator). */
export const CEPIC_HPA = 2 ** 47 - 0x10000;

export interface VcpuCoreHooks {
  /** Hypercall N with arguments %b[0..7]; returns the result for %b[0]. */
  onHypercall(n: number, args: number[]): number;
  /** A GPA miss after the bundle committed (spill/trap frame): map it, true on success. */
  onLateGpaFault(gpa: number, write: boolean): boolean;
  /** GPA → host PA of guest RAM (trap cellar writes), -1 when unbacked. */
  gpaToHpa(gpa: number): number;
}

interface Replay {
  ip: number;
  cu: CuRecord | null;
  cuIdx: number;
  /** Original MU records of the exit and the list written back (cancelled = missing). */
  muOrig: MuRecord[];
  muBack: MuRecord[];
}

/** MMU registers whose change invalidates guest translations (as writeMmuReg in syscpu). */
const CTX_REGS = [MMU_CR, PID, U_PPTB, OS_PPTB, OS_VAB];

const num = (lo: number, hi: number): number => (hi >>> 0) * 2 ** 32 + (lo >>> 0);

/**
 * MmuRegs.write's width masks per register, read once from a probe write (its own helper
 * builds a mask pair per call, and the glaunch/intercept switch writes 5 MMU registers).
 */
const MMU_MASK_LO = new Uint32Array(MMU_REG_COUNT);
const MMU_MASK_HI = new Uint32Array(MMU_REG_COUNT);
{
  const probe = new MmuRegs();
  for (let n = 0; n < MMU_REG_COUNT; n++) {
    probe.write(n, 0xffffffff, 0xffffffff);
    MMU_MASK_LO[n] = probe.lo[n];
    MMU_MASK_HI[n] = probe.hi[n];
  }
}

/** Bank slots read on the hot path (ShadowBank.index is a Map lookup). */
const I_GP_PPTB = ShadowBank.index('GP_PPTB');
const I_CTRL_CU = ShadowBank.index('VIRT_CTRL_CU');
const I_CTRL_MU = ShadowBank.index('VIRT_CTRL_MU');
const I_IMASK = ShadowBank.index('G_W_IMASK_MMU_CR');

export class VcpuCore extends SysCpu implements ArchRegsNum, GuestTranslator {
  readonly bank = new ShadowBank();
  readonly collector = new InterceptCollector();
  readonly tdp: TdpWalker;
  private readonly tres = new TdpResult();
  /** True between glaunch and the next intercept. */
  guestOn = false;
  /** Between the start of a guest bundle and its commit (records may still abort it). */
  private preCommit = false;
  /** The current bundle takes the executor's inline-commit path (compile.ts plainOnly). */
  private curPlain = false;
  private replay: Replay | null = null;
  /** The one Replay object, filled at each launch that replays (no object per glaunch). */
  private readonly replayBuf: Replay = { ip: 0, cu: null, cuIdx: 0, muOrig: [], muBack: [] };
  /** The intercept exit handed to the VMM (reused; valid until the next runGuest). */
  private readonly iexit: { kind: 'intercept'; cu: CuRecord; mu: MuRecord[]; ip: number } = {
    kind: 'intercept',
    cu: null as unknown as CuRecord,
    mu: [],
    ip: 0,
  };
  /** Trap-cellar condition word of the last `condFor`. */
  private condLo = 0;
  private condHi = 0;
  private readonly condArgs = { dst: 0, fmt: 0, store: false, mas: 0, pm: false, chan: 0, faultType: 0, missLevel: 0 }; // prettier-ignore
  /** Register writes of the current bundle to skip / substitute (CU replay). */
  private readonly srSkip = new Set<number>();
  private readonly srValue = new Map<number, U64>();
  /** Preemption timer: bundle count at which g_tmr fires (Infinity = not armed). */
  gTmrAt = Infinity;
  /** Next bundle count at which the VMM wants a boundary check (timers, clocks). */
  checkAt = Infinity;
  /** Host interrupt pending (`hv_int`). */
  hvInt = false;
  /** HCEM: hypercalls enabled (bit N). */
  hcem = 0b11;
  /** Firmware-style entry (trap-table entry 12) to perform at the next launch, in guest mode. */
  pendingEntry: { n: number; retIp: number; args: number[] } | null = null;
  /** Exception to deliver through the guest trap table at the next launch (g_th). */
  private inject: { lo: number; hi: number } | null = null;
  /** Counters the VMM reads (plain numbers, reset never). */
  guestPageFaultsDirect = 0;
  irqDirect = 0;
  lateGpaFaults = 0;
  hypercalls = 0;

  constructor(
    phys: PhysMemory,
    model: CpuModel,
    readonly cepic: VirtualCepic,
    readonly cepicGpa: number,
    readonly hooks: VcpuCoreHooks,
    gpRoot: number,
  ) {
    const bus = new MmioBus();
    bus.map(CEPIC_HPA, 0x2000, cepic, 'cepic');
    super(phys, bus, model);
    this.tdp = new TdpWalker(phys, gpRoot);
  }

  // --- ArchRegs (ShadowBank launch/intercept) ---------------------------------------------

  read(unit: 'cu' | 'mmu', n: number): U64 {
    const lo = this.readArch(unit, n);
    return u64(lo, this.archHi);
  }

  write(unit: 'cu' | 'mmu', n: number, v: U64): void {
    this.writeArch(unit, n, v.lo, v.hi);
  }

  /** High half of the last `readArch` (ArchRegsNum: the switch copies numbers, not objects). */
  archHi = 0;

  readArch(unit: 'cu' | 'mmu', n: number): number {
    if (unit === 'mmu') {
      this.archHi = this.mmu.regs.hi[n];
      return this.mmu.regs.lo[n];
    }
    const on = this.guestOn;
    this.guestOn = false;
    try {
      super.readSr(n);
    } catch {
      this.sr.lo = this.sr.hi = 0;
    }
    this.guestOn = on;
    this.archHi = this.sr.hi >>> 0;
    return this.sr.lo >>> 0;
  }

  /** = mmu.regs.write(n, lo, hi) (same width masks) without its per-call mask array. */
  private mmuWrite(n: number, lo: number, hi: number): void {
    if (!(n >= 0 && n < MMU_REG_COUNT)) return;
    this.mmu.regs.lo[n] = (lo & MMU_MASK_LO[n]) >>> 0;
    this.mmu.regs.hi[n] = (hi & MMU_MASK_HI[n]) >>> 0;
  }

  writeArch(unit: 'cu' | 'mmu', n: number, lo: number, hi: number): void {
    if (unit === 'mmu') {
      const old = this.mmu.regs.lo[n];
      this.mmuWrite(n, lo, hi);
      if (n === MMU_CR && old !== this.mmu.regs.lo[n]) this.mmu.tlb.flushAll();
      return;
    }
    // window and hardware-stack state stay in this vCPU's core (no stack switch on glaunch)
    if (n === SR.WD || n === SR.PSHTP || n === SR.PCSHTP) return;
    if (n === SR.PSP_LO || n === SR.PSP_HI || n === SR.PCSP_LO || n === SR.PCSP_HI) return;
    if (n === SR.CORE_MODE) {
      // context switch, not a guest write: the launch compares the whole translation
      // context (sameContext) instead of dropping the software TLB on every glaunch
      this.regLo[n] = lo | 0;
      this.mmu.setCoreMode(lo | 0);
      return;
    }
    super.writeSr(n, lo | 0, hi | 0);
  }

  // --- glaunch / intercept ------------------------------------------------------------------

  /** GLAUNCH with the written-back records of the previous exit (null at first launch). */
  launch(
    back: { cu: CuRecord | null; muOrig: MuRecord[]; muBack: MuRecord[]; ip: number } | null,
  ): void {
    this.bank.launch(this);
    this.mmu.setCoreMode(this.regLo[SR.CORE_MODE]);
    this.guestOn = true;
    this.smem.guest = this;
    // Cached VA→page translations survive an exit (this core only ever translates for its
    // guest; GP mappings only get added); dropped when host pages were freed/discarded or
    // the VMM asked (`invalidateTranslations`, e.g. at reset or after write-protecting).
    if (
      this.phys.gen !== this.physGen ||
      this.staleTlb ||
      gpGen() !== this.gpGenSeen ||
      !this.sameContext()
    ) {
      // prettier-ignore
      this.physGen = this.phys.gen;
      this.staleTlb = false;
      this.smem.invalidate();
    }
    this.gpGenSeen = gpGen();
    this.tdp.gpRoot = num(this.bank.lo[I_GP_PPTB], this.bank.hi[I_GP_PPTB]); // prettier-ignore
    this.cepic.load();
    this.collector.reset();
    if (back && back.ip === this.ip) {
      const r = this.replayBuf;
      r.ip = back.ip;
      r.cu = back.cu;
      r.cuIdx = 0;
      r.muOrig = back.muOrig;
      r.muBack = back.muBack;
      this.replay = r;
    } else this.replay = null;
    this.attn |= 1;
    if (this.pendingEntry) {
      const p = this.pendingEntry;
      this.pendingEntry = null;
      this.enterEntry(p.n, p.retIp, p.args);
    }
    if (this.inject) {
      const j = this.inject;
      this.inject = null;
      this.takeTrap(j.lo, j.hi, this.ip);
    }
  }

  /** Interception: guest values back into the SH bank, CEPIC posted mode. */
  private exitGuest(): void {
    if (!this.guestOn) return;
    this.saveContext();
    this.guestOn = false;
    this.smem.guest = null;
    this.cepic.put();
    this.bank.intercept(this);
    this.replay = null;
  }

  private physGen = -1;
  private staleTlb = true;
  /** GP-table generation the cached guest translations were built under. */
  private gpGenSeen = -1;
  /** Guest translation context at the last exit (MMU registers, core mode, GP_PPTB). */
  private readonly ctx = new Float64Array(CTX_REGS.length * 2 + 3).fill(-1);

  private saveContext(): void {
    const r = this.mmu.regs;
    let k = 0;
    for (const n of CTX_REGS) {
      this.ctx[k++] = r.lo[n];
      this.ctx[k++] = r.hi[n];
    }
    this.ctx[k++] = this.mmu.coreMode;
    this.ctx[k++] = this.regLo[SR.CORE_MODE];
    this.ctx[k] = this.tdp.gpRoot;
  }

  /**
   * Whether the guest context loaded by this launch equals the one at the last exit, so the
   * software TLB's guest entries still hold (the VMM may have rewritten SH_MMU_CR,
   * SH_U_PPTB, SH_OS_PPTB, PID, SH_CORE_MODE or GP_PPTB between exits).
   */
  private sameContext(): boolean {
    const r = this.mmu.regs;
    let k = 0;
    for (const n of CTX_REGS) {
      if (this.ctx[k++] !== r.lo[n] || this.ctx[k++] !== r.hi[n]) return false;
    }
    if (this.ctx[k++] !== this.mmu.coreMode || this.ctx[k++] !== this.regLo[SR.CORE_MODE]) return false; // prettier-ignore
    return this.ctx[k] === num(this.bank.lo[I_GP_PPTB], this.bank.hi[I_GP_PPTB]); // prettier-ignore
  }

  /**
   * The VMM ran inside guest execution (hypercall, late GPA fault): if it changed or removed
   * GP entries, cached guest translations may be stale.
   */
  private afterVmm(): void {
    if (gpGen() !== this.gpGenSeen || this.phys.gen !== this.physGen) {
      this.gpGenSeen = gpGen();
      this.physGen = this.phys.gen;
      this.smem.invalidate();
    }
  }

  /** Drops cached guest translations at the next launch (GP mapping changes, reset). */
  invalidateTranslations(): void {
    this.staleTlb = true;
    this.mmu.tlb.flushAll();
  }

  /** Queues an exception for the guest trap handler at the next launch (g_th, §3.5). */
  injectException(tirExc: number): void {
    const lo = tirExc < 32 ? 1 << tirExc : 0;
    const hi = tirExc >= 32 ? 1 << (tirExc - 32) : 0;
    this.inject = this.inject ? { lo: this.inject.lo | lo, hi: this.inject.hi | hi } : { lo, hi };
  }

  hostInterrupt(): void {
    this.hvInt = true;
    this.attn |= 1;
  }

  /** A non-maskable interrupt for the hypervisor (`hv_nm_int`). */
  hostNmi(): void {
    this.hvNmInt = true;
    this.attn |= 1;
  }

  /** Host NMI pending (`hv_nm_int`). */
  hvNmInt = false;

  // Current controls as a reused word: the decide* functions only read them (no allocation
  // per guest register access / MAS op / exception).
  private readonly ctrlCuW: U64 = { lo: 0, hi: 0 };
  private readonly ctrlMuW: U64 = { lo: 0, hi: 0 };

  private get ctrlCu(): U64 {
    const w = this.ctrlCuW;
    w.lo = this.bank.lo[I_CTRL_CU];
    w.hi = this.bank.hi[I_CTRL_CU];
    return w;
  }

  private get ctrlMu(): U64 {
    const w = this.ctrlMuW;
    w.lo = this.bank.lo[I_CTRL_MU];
    w.hi = this.bank.hi[I_CTRL_MU];
    return w;
  }

  // --- run ---------------------------------------------------------------------------------

  /** Runs the launched guest for up to `max` bundles. Never throws. */
  runGuest(max: number): GuestExit {
    if (this.haltReason !== '') return this.haltExit(); // e.g. an injected exception at launch
    const end = this.icount + max;
    for (;;) {
      let cb: CompiledBundle | null = null;
      try {
        while (this.icount < end) {
          if (this.attn !== 0 || this.icount >= this.checkAt || this.icount >= this.gTmrAt) {
            const x = this.guestBoundary();
            if (x !== null) return x;
          }
          cb = this.fetch(this.ip);
          this.curPlain = cb.plainOnly;
          this.preCommit = true;
          if (cb.sysop !== 0 || cb.waitBits !== 0 || cb.call) {
            const x = this.guestSpecial(cb);
            if (x !== null) return x;
          } else if (this.exec(cb)) this.syscallEntry();
          this.preCommit = false;
          if (this.replay !== null && this.replay.ip === cb.ip) this.endReplay();
        }
        return LIMIT_EXIT;
      } catch (e) {
        this.preCommit = false;
        this.clearSrOverrides();
        if (e === ICPT || e === DEFER) return this.interceptExit(this.ip);
        const s = this.fault(e);
        if (this.collector.pending) return this.interceptExit(this.ip);
        if (s === SysStop.Halt) return this.haltExit();
        if (cb !== null && this.replay !== null && this.replay.ip === cb.ip) this.endReplay();
      }
    }
  }

  private endReplay(): void {
    this.replay = null;
    this.clearSrOverrides();
  }

  /** Set/Map.clear allocate a fresh table in V8: only when there is something to clear. */
  private clearSrOverrides(): void {
    if (this.srSkip.size !== 0) this.srSkip.clear();
    if (this.srValue.size !== 0) this.srValue.clear();
  }

  private interceptExit(ip: number): GuestExit {
    const r = this.collector.finish(this.tirFrozen);
    this.exitGuest();
    if (!r) return LIMIT_EXIT;
    const x = this.iexit;
    x.cu = r.cu;
    x.mu = r.mu;
    x.ip = ip;
    return x;
  }

  private haltExit(): GuestExit {
    this.exitGuest();
    return { kind: 'halt', reason: this.haltReason };
  }

  /** Boundary: g_tmr, hv_int, guest interrupts. Returns an exit or null. */
  private guestBoundary(): GuestExit | null {
    if (this.icount >= this.gTmrAt) {
      this.gTmrAt = Infinity;
      this.collector.add(unconditional('g_tmr'));
    }
    if (this.hvNmInt) {
      this.hvNmInt = false;
      this.collector.add(unconditional('hv_nm_int'));
    }
    if (this.hvInt) {
      this.hvInt = false;
      this.collector.add(unconditional('hv_int'));
    }
    if (this.collector.pending) return this.interceptExit(this.ip);
    if (this.icount >= this.checkAt) {
      // VMM housekeeping point (timers, clocks): not an intercept, no record
      this.checkAt = Infinity;
      this.exitGuest();
      return LIMIT_EXIT;
    }
    // Guest interrupts from the CEPIC bank (no exit unless exc_interrupt / exc_nm_interrupt).
    this.irq = this.cepic.pendingVector() >= 0;
    this.nmi = this.cepic.pendingNmi() !== 0;
    if ((this.irq && this.irqEnabled()) || (this.nmi && this.nmiEnabled())) {
      const exc = this.nmi && this.nmiEnabled() ? TEXC.NM_INTERRUPT : TEXC.INTERRUPT;
      const d = decideException(exc, this.ctrlCu);
      if (d) {
        this.collector.add(d);
        return this.interceptExit(this.ip);
      }
      this.irqDirect++;
    }
    const s = this.async();
    if (s === SysStop.Exit) {
      this.exitGuest();
      return LIMIT_EXIT;
    }
    if (s === SysStop.Halt) return this.haltExit();
    return null;
  }

  /** sysop / wait / call bundles in guest mode. */
  private guestSpecial(cb: CompiledBundle): GuestExit | null {
    if (cb.sysop === 5) return this.guestHcall(cb);
    if (cb.sysop === 3 || cb.sysop === 4) {
      if (!this.pm) this.trap(Exc.PrivAction, cb.ip, 'glaunch/hret in user mode');
      const d = decideVirtAccess(cb.sysop === 4 ? 'glaunch' : 'hret', this.ctrlCu);
      if (d === 'priv_action') this.trap(Exc.PrivAction, cb.ip, 'virtualization operation in a guest'); // prettier-ignore
      if (this.replaySkipCu()) return this.skipBundle(cb);
      this.collector.add(d);
      return this.interceptExit(cb.ip);
    }
    const s = this.bundleSpecial(cb);
    if (s === SysStop.Idle) {
      // the wait completed; the guest stops at the next bundle (unconditional wait_trap)
      this.idle = false;
      this.collector.add(unconditional('wait_trap'));
      return this.interceptExit(this.ip);
    }
    return null;
  }

  private skipBundle(cb: CompiledBundle): null {
    this.ip = cb.ip + cb.length;
    this.icount++;
    return null;
  }

  private guestHcall(cb: CompiledBundle): GuestExit | null {
    const hci = (this.regLo[SR.CORE_MODE] & CORE_MODE_HCI) !== 0;
    const d = decideHcall(cb.sysArg, this.hcem, hci, this.ctrlCu);
    if (d === 'illegal') this.trap(Exc.IllegalOpcode, cb.ip, `hcall ${cb.sysArg} is not enabled`);
    if (d !== 'enter') {
      if (this.replaySkipCu()) return this.skipBundle(cb);
      this.collector.addOp(d, cb.sysArg, 0, 0, 0, 0, 0, 0);
      return this.interceptExit(cb.ip);
    }
    const size = this.wdSize;
    const args: number[] = [];
    for (let i = 0; i < 8; i++) {
      if (i >= this.bSize) break;
      const p = this.physBased(i, size);
      args.push(num(this.lo[p], this.hi[p]));
    }
    this.hypercalls++;
    const r = this.hooks.onHypercall(cb.sysArg, args);
    this.afterVmm();
    if (this.bSize > 0) {
      const p = this.physBased(0, size);
      this.lo[p] = (r % 2 ** 32) | 0;
      this.hi[p] = Math.floor(r / 2 ** 32) | 0;
      this.tag[p] = 0;
    }
    return this.skipBundle(cb);
  }

  /** During replay: consumes the next CU entry; true when it was cancelled (code 0). */
  private replaySkipCu(): boolean {
    const r = this.replay;
    if (r === null || r.cu === null || r.cuIdx >= r.cu.entries.length) return false;
    return r.cu.entries[r.cuIdx++].code === ICE_FORCED;
  }

  // --- CU registers -----------------------------------------------------------------------

  protected override readSr(n: number): void {
    if (this.guestOn) {
      const d = decideCuRead(n, this.ctrlCu, ISET6);
      if (d) {
        const r = this.replay;
        if (r !== null && r.cu !== null && r.cuIdx < r.cu.entries.length) {
          const e = r.cu.entries[r.cuIdx++];
          this.sr.lo = e.data.lo | 0;
          this.sr.hi = e.data.hi | 0;
          if (e.code === ICE_READ_CU || e.code === ICE_FORCED) return;
        }
        this.collector.addOp(d, n, 0, 0, 0, 0, 0, 0);
        this.sr.lo = this.sr.hi = 0;
        return;
      }
    }
    super.readSr(n);
  }

  protected override checkSrWrite(n: number): void {
    super.checkSrWrite(n);
    if (!this.guestOn) return;
    const d = decideCuWrite(n, this.ctrlCu, ISET6);
    if (!d) return;
    const r = this.replay;
    if (r !== null && r.cu !== null && r.cuIdx < r.cu.entries.length) {
      const e = r.cu.entries[r.cuIdx++];
      if (e.code === ICE_WRITE_CU) this.srValue.set(n, e.data);
      else this.srSkip.add(n);
      return;
    }
    this.collector.addOp(d, n, 0, this.x.rLo, this.x.rHi, 0, 0, 0);
  }

  protected override writeSr(n: number, lo: number, hi: number): void {
    // gmi/hci are the hypervisor's: a guest write of CORE_MODE cannot clear them (our choice)
    if (this.guestOn && n === SR.CORE_MODE) lo |= CORE_MODE_GMI | CORE_MODE_HCI;
    if (this.guestOn) {
      if (this.srSkip.delete(n)) return;
      const v = this.srValue.get(n);
      if (v !== undefined) {
        this.srValue.delete(n);
        lo = v.lo | 0;
        hi = v.hi | 0;
      }
    }
    super.writeSr(n, lo, hi);
  }

  // --- memory: MU events and replay --------------------------------------------------------

  /** Replay decision for the memory op at `gva`: 'deliver', 'skip' or null (execute). */
  private replayMu(gva: number, store: boolean): MuRecord | 'skip' | null {
    const r = this.replay;
    if (r === null) return null;
    // The latest record the hardware produced for this access decides (merged exits of one
    // bundle): written back → perform/deliver it; missing from the list → cancelled.
    for (let i = r.muOrig.length - 1; i >= 0; i--) {
      const m = r.muOrig[i];
      if (m.gva !== gva || isStore(m) !== store) continue;
      return r.muBack.includes(m) ? m : 'skip';
    }
    return null;
  }

  protected override load(u: CAlu): void {
    if (!this.guestOn) return super.load(u);
    this.memOp = u;
    const addr = this.address() + u.memOff;
    const mas = u.mas & 0x7f;
    const rep = this.replayMu(addr, false);
    if (rep === 'skip') return;
    if (rep !== null && rep.code === IME_READ_MU) {
      this.x.rLo = rep.data.lo | 0;
      this.x.rHi = rep.data.hi | 0;
      return;
    }
    // a record written back for this access: perform it (no second decision)
    if (mas !== 0 && (mas & 7) === 7 && rep === null) {
      const d = mas === 0x47 ? decideMmuReg(addr >>> 4, false, this.ctrlMu, this.ctrlCu) : decideMasOp(mas, addr, true, this.ctrlMu); // prettier-ignore
      if (d) return this.muEvent(d, u, addr, false);
    }
    const mod = mas & 7;
    if (mod === 1 || mod === 6) return this.guestPhys(u, addr, false, rep === null);
    try {
      super.load(u);
    } catch (e) {
      // A plain bundle commits inline (cpu.ts execPlain, no commit() hook): exit at once.
      if (e !== DEFER || this.curPlain) throw e;
      this.x.rLo = this.x.rHi = 0; // value comes with the replay
    }
  }

  protected override store(u: CAlu): void {
    if (!this.guestOn) return super.store(u);
    this.memOp = u;
    const addr = this.address() + u.memOff;
    const mas = u.mas & 0x7f;
    const rep = this.replayMu(addr, true);
    if (rep === 'skip') return;
    if (rep !== null) {
      if (rep.code === IME_WRITE_MU) {
        this.x.cLo = rep.data.lo | 0;
        this.x.cHi = rep.data.hi | 0;
      }
    } else if (mas !== 0 && (mas & 7) === 7) {
      let d: InterceptDecision | null;
      if (mas === 0x47) {
        const reg = addr >>> 4;
        const mmuCr =
          reg === MMU_CR
            ? { oldLo: this.mmu.regs.lo[MMU_CR], newLo: this.x.cLo, imaskLo: this.bank.lo[I_IMASK] } // prettier-ignore
            : undefined;
        d = decideMmuReg(reg, true, this.ctrlMu, this.ctrlCu, mmuCr);
      } else d = decideMasOp(mas, addr, false, this.ctrlMu);
      if (d) return this.muEvent(d, u, addr, true);
    }
    const mod = mas & 7;
    if (mod === 1 || mod === 6) return this.guestPhys(u, addr, true, rep === null);
    try {
      super.store(u);
    } catch (e) {
      // not staged: performed (or cancelled) at the replay; a plain bundle (inline commit,
      // no commit() hook) must exit at once
      if (e !== DEFER || this.curPlain) throw e;
    }
  }

  /**
   * MAS 1 (physical) / MAS 6 (I/O) in a guest: the address is a *guest* physical address
   * (GPA → PA through the GP tables, never host memory); with VIRT_CTRL_MU.pma the access
   * first intercepts as IME_MAS_IOADDR. MMIO GPAs intercept like any GPA miss.
   */
  private guestPhys(u: CAlu, gpa: number, store: boolean, decide: boolean): void {
    if (!this.pm) this.trap(Exc.PrivAction, this.ip, `MAS 0x${(u.mas & 0x7f).toString(16)} in user mode`); // prettier-ignore
    if (decide) {
      const d = decideMasOp(u.mas & 0x7f, gpa, !store, this.ctrlMu);
      if (d) return this.muEvent(d, u, gpa, store);
    }
    let hpa: number;
    this.physAccess = true;
    try {
      hpa = this.translate(gpa, store ? ACC_WRITE : 0, this.pm, this.smem.sysFault);
    } catch (e) {
      if (e !== DEFER || this.curPlain) throw e;
      if (!store) this.x.rLo = this.x.rHi = 0;
      return;
    } finally {
      this.physAccess = false;
    }
    if (store) this.stageMas(1, hpa, u.memSize, this.x.cLo, this.x.cHi);
    else {
      this.x.rHi = 0;
      this.x.rLo = this.smem.physRead(hpa, u.memSize);
      if (u.memSize === 8) this.x.rHi = this.smem.hi;
    }
  }

  /** The current access is a MAS 1/6 guest-physical one (guest paging bypassed). */
  private physAccess = false;

  /** An MU intercept of a MAS operation: record it; the bundle exits at its end. */
  private muEvent(d: InterceptDecision, u: CAlu, addr: number, store: boolean): void {
    this.condFor(u, store, 0, 0);
    this.collector.addOp(d, 0, 0, store ? this.x.cLo : 0, store ? this.x.cHi : 0, addr, this.condLo, this.condHi); // prettier-ignore
    if (!store) this.x.rLo = this.x.rHi = 0;
  }

  /** Trap-cellar condition word of the access into condLo/condHi. */
  private condFor(u: CAlu | null, store: boolean, ft: number, missLevel: number): void {
    const size = u ? u.memSize : 8;
    const a = this.condArgs;
    a.dst = u && !store ? u.dst : 0;
    a.fmt = size === 1 ? 1 : size === 2 ? 2 : size === 4 ? 3 : size === 8 ? 4 : 5;
    a.store = store;
    a.mas = u ? u.mas : 0;
    a.pm = this.pm;
    a.chan = u ? CHAN[u.ch] : 0;
    a.faultType = ft;
    a.missLevel = missLevel;
    const c = tcCondition(a);
    this.condLo = c.lo >>> 0;
    this.condHi = c.hi >>> 0;
  }

  /** No bundle-level commit when the bundle produced records (they exit it instead). */
  protected override commit(): void {
    if (this.guestOn && this.collector.pending) throw ICPT;
    this.preCommit = false;
    super.commit();
  }

  // --- GuestTranslator ----------------------------------------------------------------------

  private readonly gms: GuestMmuState = { paging: false, root: 0, v6: false, pm: false };

  /** Guest page size behind the last successful `translate` (GuestTranslator). */
  lastPageSize = 4096;

  translate(va: number, acc: Access, pm: boolean, f: SysFault): number {
    this.lastPageSize = 4096;
    const regs = this.mmu.regs;
    const g = this.gms; // reused: translate runs on every software-TLB miss
    g.paging = (regs.lo[MMU_CR] & 1) !== 0 && !this.physAccess;
    g.root = this.mmu.rootFor(va);
    g.v6 = (this.mmu.coreMode & (1 << 5)) !== 0;
    g.pm = pm;
    const cep = va - this.cepicGpa;
    if (!g.paging && cep >= 0 && cep < 0x2000) return CEPIC_HPA + cep;
    const r = this.tdp.translate(va, acc, g, false, this.tres);
    if (r.status === TDP_GUEST_FAULT) {
      this.guestPageFaultsDirect++;
      f.kind = 'page';
      f.faultType = r.guest.faultType;
      f.missLevel = r.guest.missLevel;
      f.exc = r.guest.exc;
      throw f;
    }
    if (r.status === TDP_INTERCEPT) {
      const gcep = r.gpa - this.cepicGpa;
      if (r.ptLevFin && gcep >= 0 && gcep < 0x2000) return CEPIC_HPA + gcep;
      const write = acc === ACC_WRITE;
      if (!this.preCommit || !this.guestOn || !isSet(this.ctrlMu, 36)) {
        // hardware-stack spill / trap frame: resolve now (backup-stack model)
        if (this.hooks.onLateGpaFault(r.gpa, write)) {
          this.afterVmm();
          this.lateGpaFaults++;
          return this.translate(va, acc, pm, f);
        }
        f.kind = 'page';
        f.faultType = r.gpFaultType;
        f.missLevel = 0;
        f.exc = acc === ACC_EXEC ? TEXC.INSTR_PAGE_PROT : TEXC.DATA_PAGE;
        throw f;
      }
      const u = acc === ACC_EXEC ? null : this.memOp;
      this.condFor(u, write, r.gpFaultType, 0);
      this.collector.addMuFields(r.code, r.gpa, va, r.ptLev, r.ptLevFin, write ? this.x.cLo : 0, write ? this.x.cHi : 0, this.condLo, this.condHi); // prettier-ignore
      throw acc === ACC_EXEC ? ICPT : DEFER;
    }
    if (g.paging) this.lastPageSize = r.guest.pageSize;
    return r.pa;
  }

  // --- exceptions in guest mode -------------------------------------------------------------

  protected override fault(e: unknown): number {
    if (!this.guestOn) return super.fault(e);
    // exc_c: intercept instead of delivering to the guest (§1.1)
    const exc = e instanceof SysFault ? e.exc : null;
    if (exc !== null) {
      const d = decideException(exc, this.ctrlCu);
      if (d) {
        this.collector.add(d);
        this.pendingGuestExc = exc;
        return -1;
      }
    }
    return super.fault(e);
  }

  /** Exception number intercepted by exc_c in the last exit (for the VMM to reflect). */
  pendingGuestExc = -1;

  /** Guest trap cellar: TRAP_POINT holds a GPA (§4.5); write through the GP mapping. */
  protected override dataFault(f: SysFault, ip: number): number {
    if (!this.guestOn) return super.dataFault(f, ip);
    const u = this.memOp;
    const store = f.access === 'write';
    this.condFor(u, store, f.faultType, f.missLevel);
    const count = this.mmu.regs.lo[TRAP_COUNT];
    if (count + 3 > 64) return this.halt('guest trap cellar overflow') ? -1 : SysStop.Halt;
    const gpa = this.mmu.regs.get(TRAP_POINT) + count * 8;
    let hpa = this.hooks.gpaToHpa(gpa);
    if (hpa < 0 && this.hooks.onLateGpaFault(gpa, true)) {
      this.afterVmm();
      hpa = this.hooks.gpaToHpa(gpa);
    }
    if (hpa < 0) return this.halt(`guest TRAP_POINT 0x${gpa.toString(16)} is not guest RAM`) ? -1 : SysStop.Halt; // prettier-ignore
    const a = f.addr;
    const dLo = store ? this.x.cLo >>> 0 : 0;
    const dHi = store ? this.x.cHi >>> 0 : 0;
    // The 3-word record stays in one page (TRAP_POINT is 1 KiB-aligned, count ≤ 61): one
    // page lookup instead of six host-PA (boxed double) arguments; = write64 × 3.
    const inPage = (hpa & 7) === 0 && (hpa & 4095) + 24 <= 4096;
    const pg = inPage ? this.phys.pageAt(hpa, true) : undefined;
    if (pg !== undefined) {
      pg.code = null;
      const o = (pg.off + (hpa & 4095)) >>> 2;
      pg.i32[o] = (a % 2 ** 32) >>> 0;
      pg.i32[o + 1] = Math.floor(a / 2 ** 32) >>> 0;
      pg.i32[o + 2] = dLo;
      pg.i32[o + 3] = dHi;
      pg.i32[o + 4] = this.condLo;
      pg.i32[o + 5] = this.condHi;
    } else {
      this.phys.write64(hpa, (a % 2 ** 32) >>> 0, Math.floor(a / 2 ** 32) >>> 0);
      this.phys.write64(hpa + 8, dLo, dHi);
      this.phys.write64(hpa + 16, this.condLo, this.condHi);
    }
    this.mmuWrite(TRAP_COUNT, count + 3, 0);
    return this.takeTrap(1 << TEXC.DATA_PAGE, 0, ip) ? -1 : SysStop.Halt;
  }

  /** Host-mode virt ops: not reachable (the VMM is TypeScript). */
  protected override hostVirtOp(cb: CompiledBundle): number {
    return super.hostVirtOp(cb);
  }

  /** SH/shadow + architectural registers for the monitor. */
  snapshot(): Record<string, string> {
    const o: Record<string, string> = { ...this.snapshotRegs(), ...prefix('sh.', this.bank.snapshot()) }; // prettier-ignore
    o['mmu_cr'] = '0x' + this.mmu.regs.lo[MMU_CR].toString(16);
    o['g_w_imask_mmu_cr'] = '0x' + this.mmu.regs.lo[G_W_IMASK_MMU_CR].toString(16);
    o['virt_ctrl_cu'] = '0x' + this.bank.get('VIRT_CTRL_CU').lo.toString(16);
    o['virt_ctrl_mu'] = '0x' + (this.bank.get('VIRT_CTRL_MU').hi * 2 ** 32 + this.bank.get('VIRT_CTRL_MU').lo).toString(16); // prettier-ignore
    o['gp_pt_en'] = String(isSet(this.ctrlMu, 36));
    return o;
  }
}

function isStore(m: MuRecord): boolean {
  return ((m.condition.lo >>> 17) & 1) === 1;
}

function prefix(p: string, o: Record<string, string>): Record<string, string> {
  const r: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) r[p + k] = v;
  return r;
}
