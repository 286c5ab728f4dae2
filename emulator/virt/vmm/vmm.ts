/**
 * The Glaunch VMM (virtualization.md §6.3, §7.2 "functional" alternative): a hypervisor
 * written in TypeScript that drives 1..16 vCPUs of one VM on one host thread. Each vCPU is
 * a `VcpuCore` (the emulated v6 core in guest mode); the VMM glaunches it, reads the
 * INTC_INFO_CU/MU records of every interception, handles them in the §6.3 step 19 order
 * (host interrupts, MU records, CU header events, CU entries, intercepted exceptions),
 * edits them (substitute a read value, cancel, complete a store) and relaunches; glaunch
 * replays the written-back records.
 *
 * Scheduling: round-robin time quanta; the preemption timer (G_PREEMPT_TMR, counted in
 * bundles: quantumUs · bundlesPerUs) ends a quantum with `g_tmr`. A guest `wait int=1` exits
 * with `wait_trap`; the vCPU then sleeps until its CEPIC has a deliverable interrupt (device,
 * IPI, timer). When every vCPU sleeps, `run` returns `idleMs` = time to the next CEPIC timer
 * expiry so the host can sleep. Guest time (CLKR, SCLKR, CEPIC timers) is host time since
 * reset (`nowMs`) — it keeps running while the host does not call `run` (our choice).
 *
 * Anything a guest does wrong ends the VM with a reason (`stopped`), never an exception:
 * a double fault in its trap handler ("triple fault"), access to an unbacked GPA (wild
 * MMIO), a device window without a device, an intercept storm (too many exits without
 * guest progress), virtualization operations in the guest, internal errors.
 */
import { guestIdr } from '../../cpu/models';
import { CORE_MODE_GMI, CORE_MODE_HCI, SR } from '../../cpu/system/sysregs';
import { Counters, type InterceptLogEntry } from '../counters';
import { clearArray } from '../intercept';
import { PNMIRR_STARTUP, type VirtualCepic } from '../cepic';
import { ctrlWord, KVM_DEFAULT_CU, KVM_DEFAULT_MU_TDP, VIRT_CTRL_CU_BITS, VIRT_CTRL_MU_BITS } from '../ctrl'; // prettier-ignore
import { VirtualEpic } from '../epic';
import { copyCu, copyMu, cuCauses, emptyCu, ICE_FORCED, muRecord, IME_NAMES, ICE_GLAUNCH, ICE_HRET, ICE_MASKED_HCALL, ICE_READ_CU, ICE_WRITE_CU, IME_GPA_AINSTR, IME_GPA_DATA, IME_GPA_INSTR, IME_READ_MU, IME_WRITE_MU, type CuRecord, type MuRecord } from '../intc'; // prettier-ignore
import { describeIntercept } from '../intc-text';
import { ShadowBank } from '../shadow';
import { u64, u64Hex, type U64 } from '../u64';
import { VcpuCore, type GuestExit } from './vcpu-core';
// The board's seam (what it hands the VMM, vCPU 0's reset state): one definition, there.
import type { BootState, VmmPort } from '../../machine/vmm-port';

export interface VmmOptions {
  /** GPA of the CEPIC window (board: 0xFEE0_0000). */
  cepicGpa?: number;
  /** Nominal guest speed for the preemption timer (bundles per µs). Default 10. */
  bundlesPerUs?: number;
  /** Exits in a row without guest progress that count as an intercept storm. Default 10000. */
  stormLimit?: number;
  /** Bundles between VMM housekeeping points (timers) inside a quantum. Default 20000. */
  checkBundles?: number;
  /** Intercept-log capacity per vCPU. Default 256. */
  logCapacity?: number;
  /** Use exactly these controls instead of KVM defaults + host names. */
  exactControls?: boolean;
}

export type VcpuState = 'runnable' | 'idle' | 'offline' | 'stopped';

/** Written-back records for glaunch (the lists are reused, see handleExit). */
interface Back {
  cu: CuRecord | null;
  muOrig: MuRecord[];
  muBack: MuRecord[];
  ip: number;
}

const newBack = (): Back => ({ cu: null, muOrig: [], muBack: [], ip: 0 });

interface Vcpu {
  id: number;
  core: VcpuCore;
  state: VcpuState;
  counters: Counters;
  /** Records written back for the next glaunch. */
  back: Back | null;
  /** The last records handed to glaunch (merged when the same bundle exits again). */
  lastBack: Back | null;
  /** The two Back objects `back`/`lastBack` alternate between (no lists per exit). */
  backs: [Back, Back];
  /** Raw recent exits (copies, decoded on demand by recentIntercepts). */
  log: ExitLog;
  /** Exits since the guest last made progress (storm detection). */
  noProgress: number;
  /** The guest completed a bundle during the last launch. */
  progressed: boolean;
  lastIcount: number;
  idleSinceMs: number;
}

/** Glaunch hypercall ABI (hcall 0 / hcall 1, function number in %b[0]). */
export const HCALL = {
  VERSION: 0, VCPU_ID: 1, VCPU_COUNT: 2, TIME_NS: 3, YIELD: 4, LOG: 5,
} as const; // prettier-ignore
export const HCALL_VERSION = 0x474c0001;

const hex = (v: number): string => '0x' + v.toString(16);

export class GlaunchVmm {
  readonly vcpus: Vcpu[] = [];
  readonly epic: VirtualEpic;
  readonly cuCtrl: U64;
  readonly muCtrl: U64;
  /** Why the VM stopped (null while it can run). */
  stopped: string | null = null;
  private readonly quantumBundles: number;
  private readonly bundlesPerUs: number;
  private readonly stormLimit: number;
  private readonly checkBundles: number;
  private readonly cepicGpa: number;
  /** Host ms at reset, and ms the VM spent not running (excluded from guest time). */
  private startMs = 0;
  private rr = 0;
  private yieldReq = false;
  private stopReq = false;
  private curVcpu: Vcpu | null = null;
  /** vCPU 0's reset state (descriptors reused for vCPUs started by STARTUP). */
  private boot: BootState | null = null;

  constructor(
    readonly host: VmmPort,
    opts: VmmOptions = {},
  ) {
    this.cepicGpa = opts.cepicGpa ?? 0xfee00000;
    this.bundlesPerUs = opts.bundlesPerUs ?? 10;
    this.quantumBundles = Math.max(1000, Math.round(host.quantumUs * this.bundlesPerUs));
    this.stormLimit = opts.stormLimit ?? 10000;
    this.checkBundles = opts.checkBundles ?? 20000;
    const cu = ctrlWord(VIRT_CTRL_CU_BITS, validNames(VIRT_CTRL_CU_BITS, host.cuIntercepts));
    const mu = ctrlWord(VIRT_CTRL_MU_BITS, validNames(VIRT_CTRL_MU_BITS, host.muIntercepts));
    const exact = opts.exactControls === true;
    this.cuCtrl = exact ? cu : u64(cu.lo | KVM_DEFAULT_CU.lo, cu.hi | KVM_DEFAULT_CU.hi);
    this.muCtrl = exact ? u64(mu.lo, mu.hi | (1 << 4)) : u64(mu.lo | KVM_DEFAULT_MU_TDP.lo, mu.hi | KVM_DEFAULT_MU_TDP.hi); // prettier-ignore
    this.epic = new VirtualEpic(1);
    for (let i = 0; i < host.vcpus; i++) {
      const cepic = host.cepics[i];
      const v: Vcpu = {
        id: i,
        core: null as unknown as VcpuCore,
        state: 'offline',
        counters: new Counters(opts.logCapacity ?? 256),
        log: new ExitLog(opts.logCapacity ?? 256),
        back: null,
        lastBack: null,
        backs: [newBack(), newBack()],
        noProgress: 0,
        progressed: true,
        lastIcount: 0,
        idleSinceMs: 0,
      };
      v.core = this.newCore(v, cepic);
      this.epic.add(cepic);
      // An IPI that misses the DAT raises CEPIC_EPIC_INT on the sender: hv_int (§5.3).
      cepic.onIcr = (m) => {
        if (this.epic.send(cepic, m) > 0) v.core.hostInterrupt();
      };
      this.vcpus.push(v);
    }
  }

  // --- lifecycle -------------------------------------------------------------------------------

  /** Power-on state: vCPU 0 starts with `boot`; the others wait (offline) for a STARTUP IPI. */
  reset(boot: BootState): void {
    this.boot = boot;
    this.stopped = null;
    this.startMs = this.host.nowMs();
    for (const v of this.vcpus) {
      this.resetVcpu(v, v.id === 0 ? boot : null);
    }
  }

  /** A power-on core for vCPU `v` (every architectural register at its reset value). */
  private newCore(v: Vcpu, cepic: VirtualCepic): VcpuCore {
    const h = this.host;
    return new VcpuCore(h.mem, h.model, cepic, this.cepicGpa, {
      onHypercall: (n, args) => this.hypercall(v, n, args),
      onLateGpaFault: (gpa) => this.lateGpaFault(v, gpa),
      gpaToHpa: (gpa) => h.space.hostAddr(gpa),
    }, h.space.root); // prettier-ignore
  }

  private resetVcpu(v: Vcpu, boot: BootState | null): void {
    // A fresh core: no register, TIR, CTPR, window, stack or pending-event state survives
    // a reset or a STARTUP (counters and the intercept log do).
    v.core = this.newCore(v, v.core.cepic);
    v.lastIcount = 0;
    v.progressed = true;
    const c = v.core;
    c.bank.restore({});
    const set = (name: string, val: number): void => void c.bank.set(name, u64((val % 2 ** 32) >>> 0, Math.floor(val / 2 ** 32) >>> 0)); // prettier-ignore
    c.bank.set('VIRT_CTRL_CU', this.cuCtrl);
    c.bank.set('VIRT_CTRL_MU', this.muCtrl);
    c.bank.set('G_W_IMASK_MMU_CR', u64(1, 0)); // TDP: guest toggling of tlb_en intercepts (§1.2)
    set('GP_PPTB', this.host.space.root);
    set('GID', 1);
    set('SH_CORE_MODE', CORE_MODE_GMI | CORE_MODE_HCI);
    v.back = v.lastBack = null;
    for (const b of v.backs) {
      b.cu = null;
      clearArray(b.muOrig);
      clearArray(b.muBack);
    }
    c.pendingEntry = null;
    v.noProgress = 0;
    v.state = boot ? 'runnable' : 'offline';
    c.tirFrozen = false;
    c.irq = c.nmi = false;
    c.idle = false;
    c.haltReason = '';
    c.chain.length = 0;
    c.wdBase = c.wdSize = c.wdPsize = c.spilled = 0;
    c.mmu.regs.lo.fill(0);
    c.mmu.regs.hi.fill(0);
    c.invalidateTranslations();
    if (!boot) return;
    const desc = (lo: number, hiReg: number, d: { base: number; size: number }, rw: number): void => {
      c.setReg(lo, d.base);
      c.regHi[lo] |= rw << 27;
      c.regHi[hiReg] = d.size | 0;
    }; // prettier-ignore
    // SH_OSCUD/SH_OSGD (active context) and CUD/GD
    set('SH_OSCUD.lo', boot.code.base);
    c.bank.hi[bankIdx('SH_OSCUD.lo')] |= (1 << 26) | (1 << 27);
    set('SH_OSCUD.hi', boot.code.size * 2 ** 32);
    set('SH_OSGD.lo', boot.data.base);
    c.bank.hi[bankIdx('SH_OSGD.lo')] |= 3 << 27;
    set('SH_OSGD.hi', boot.data.size * 2 ** 32);
    desc(SR.CUD_LO, SR.CUD_HI, boot.code, 1);
    desc(SR.GD_LO, SR.GD_HI, boot.data, 3);
    set('SH_PSP.lo', boot.psp.base);
    set('SH_PSP.hi', boot.psp.size * 2 ** 32);
    set('SH_PCSP.lo', boot.pcsp.base);
    set('SH_PCSP.hi', boot.pcsp.size * 2 ** 32);
    c.psBase = boot.psp.base;
    c.psSize = boot.psp.size;
    c.pcsBase = boot.pcsp.base;
    c.pcsSize = boot.pcsp.size;
    c.usdBase = c.sbr = boot.stack.base + boot.stack.size;
    c.usdSize = boot.stack.size;
    c.upsr = boot.upsr;
    c.psr = boot.psr & 0x7f;
    c.ip = boot.ip;
    if (boot.entry12) {
      // as firmware: frame returning to returnIp, %dr0/%dr1 (system.md §6.6 step 4)
      c.pendingEntry = { n: 12, retIp: boot.entry12.returnIp, args: [boot.entry12.dr0, boot.entry12.dr1] }; // prettier-ignore
    }
  }

  /** Starts an offline vCPU at `ip` (what a CEPIC STARTUP would do; used by tests/board). */
  startVcpu(id: number, boot: BootState): void {
    const v = this.vcpus[id];
    if (!v) return;
    this.resetVcpu(v, boot);
  }

  // --- run -------------------------------------------------------------------------------------

  /**
   * Runs the vCPUs for about `ms` of host time. Returns early when every vCPU sleeps
   * (`idleMs`), when `shouldStop()` turns true (the guest asked the board to power off or
   * reset: counted as `exits.reset`), or when the VM stopped (`halted`).
   */
  run(ms: number, shouldStop: () => boolean = () => false): { idleMs: number; halted?: string } {
    const t0 = this.host.nowMs();
    // Also bounded in guest bundles (nominal speed), so a slice ends even when the host
    // clock does not move (tests, a stalled clock).
    const budget = this.totalBundles() + Math.max(this.quantumBundles, ms * 1000 * this.bundlesPerUs); // prettier-ignore
    this.stopReq = false;
    try {
      for (;;) {
        if (this.stopped) return { idleMs: 0, halted: this.stopped };
        if (shouldStop()) return { idleMs: 0 };
        this.housekeeping();
        if (!this.anyRunnable()) return { idleMs: this.idleMs() };
        for (let k = 0; k < this.vcpus.length; k++) {
          const v = this.vcpus[(this.rr + k) % this.vcpus.length];
          if (v.state !== 'runnable') continue;
          this.quantum(v, shouldStop);
          if (this.stopped || this.stopReq) break;
        }
        this.rr = (this.rr + 1) % this.vcpus.length;
        if (this.stopReq) return { idleMs: 0 };
        if (this.host.nowMs() - t0 >= ms || this.totalBundles() >= budget) return { idleMs: 0 };
      }
    } catch (e) {
      this.stop(`internal VMM error: ${(e as Error)?.message ?? String(e)}`);
      return { idleMs: 0, halted: this.stopped! };
    }
  }

  private anyRunnable(): boolean {
    for (const v of this.vcpus) if (v.state === 'runnable') return true;
    return false;
  }

  private totalBundles(): number {
    let n = 0;
    for (const v of this.vcpus) n += v.core.icount;
    return n;
  }

  /** Guest time in ms since reset. */
  guestMs(): number {
    return this.host.nowMs() - this.startMs;
  }

  private timerTicks(): number {
    return Math.floor((this.guestMs() * this.host.timerHz) / 1000);
  }

  /** Timers, IPI redelivery, wake-ups (between quanta and at check points). */
  private housekeeping(): void {
    const ticks = this.timerTicks();
    for (const v of this.vcpus) v.core.cepic.advanceTo(ticks);
    if (this.epic.missed.length) this.epic.redeliver();
    for (const v of this.vcpus) {
      if (v.state === 'idle' && v.core.cepic.wakeupPending()) {
        v.state = 'runnable';
        v.counters.inc(v.core.cepic.timerFires > 0 && this.lastFires(v) ? 'idle.wakeups.timer' : 'idle.wakeups.irq'); // prettier-ignore
        v.counters.inc('time.idle_ms', this.host.nowMs() - v.idleSinceMs);
      }
      if (v.state === 'offline' && this.boot) {
        // CEPIC STARTUP to an offline vCPU (§5.2): start it at startup_entry << 12 (physical,
        // privileged, interrupts masked, no stacks yet — like an x86 SIPI page; our choice)
        const cep = v.core.cepic;
        const bits = cep.pnmirr | cep.postedPnmirr;
        if (bits & PNMIRR_STARTUP) {
          const entry = (bits & 0xff) * 4096;
          cep.pnmirr &= ~(PNMIRR_STARTUP | 0xff);
          cep.postedPnmirr &= ~(PNMIRR_STARTUP | 0xff);
          const none = { base: 0, size: 0 };
          this.resetVcpu(v, { ...this.boot, ip: entry, psp: none, pcsp: none, stack: none, entry12: undefined }); // prettier-ignore
          v.counters.inc('vcpu.startups');
          this.host.log(`vCPU ${v.id} started by STARTUP at ${hex(entry)}`);
        }
      }
    }
  }

  private readonly fires = new Map<number, number>();
  private lastFires(v: Vcpu): boolean {
    const f = v.core.cepic.timerFires;
    const old = this.fires.get(v.id) ?? 0;
    this.fires.set(v.id, f);
    return f > old;
  }

  /** Time until the earliest CEPIC timer of a sleeping vCPU fires (ms, ≥ 0), or 1000. */
  private idleMs(): number {
    let best = Infinity;
    for (const v of this.vcpus) {
      if (v.state !== 'idle') continue;
      const t = v.core.cepic.ticksToExpiry();
      if (t >= 0) best = Math.min(best, (t * 1000) / this.host.timerHz);
    }
    return best === Infinity ? 1000 : Math.max(0, Math.ceil(best));
  }

  /** One time quantum of vCPU `v`. */
  private quantum(v: Vcpu, shouldStop: () => boolean): void {
    const c = v.core;
    this.curVcpu = v;
    this.yieldReq = false;
    c.gTmrAt = c.icount + this.quantumBundles;
    const qEnd = this.host.nowMs() + this.host.quantumUs / 1000;
    for (;;) {
      c.checkAt = c.icount + this.checkBundles;
      const tg = this.host.nowMs();
      c.launch(v.back);
      v.back = null;
      v.counters.inc('glaunches');
      const exit = c.runGuest(this.quantumBundles * 2);
      const tv = this.host.nowMs();
      v.counters.inc('time.guest_ms', tv - tg);
      v.counters.inc('guest.bundles', c.icount - v.lastIcount);
      const progressed = c.icount !== v.lastIcount;
      v.progressed = progressed;
      v.lastIcount = c.icount;
      const go = this.handleExit(v, exit, shouldStop, tv);
      // one clock read serves the VMM time and the quantum's host-time end (each read is a
      // fresh boxed double)
      const te = this.host.nowMs();
      v.counters.inc('time.vmm_ms', te - tv);
      this.syncCounters(v);
      if (exit.kind === 'intercept') v.noProgress = progressed ? 0 : v.noProgress + 1;
      if (v.noProgress > this.stormLimit) {
        this.stop(`intercept storm on vCPU ${v.id}: ${v.noProgress} exits at ip ${hex(c.ip)} without guest progress`); // prettier-ignore
        return;
      }
      if (!go || this.yieldReq || v.state !== 'runnable' || this.stopped) return;
      // the quantum also ends on host time (an exit-heavy guest runs few bundles)
      if (c.icount >= c.gTmrAt || te >= qEnd) return;
      if (exit.kind === 'limit') this.housekeeping();
    }
  }

  private syncCounters(v: Vcpu): void {
    const c = v.core;
    v.counters.set('gpa.pages_mapped', this.host.space.pagesMapped);
    v.counters.set('irq.injected', c.cepic.injected);
    v.counters.set('irq.posted', c.cepic.posted);
    v.counters.set('irq.taken_direct', c.irqDirect);
    v.counters.set('guest_page_faults_direct', c.guestPageFaultsDirect);
    v.counters.set('gpa.faults.late', c.lateGpaFaults);
    v.counters.set('hypercalls.total', c.hypercalls);
    v.counters.set('guest.traps', c.traps);
    v.counters.set('guest.syscalls', c.syscalls);
    v.counters.set('ipis.dat_hit', this.epic.datHits);
    v.counters.set('ipis.dat_miss', this.epic.datMisses);
  }

  stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = reason;
    for (const v of this.vcpus) if (v.state !== 'offline') v.state = 'stopped';
    this.host.log(`VM stopped: ${reason}`);
  }

  // --- exit handling (§6.3 step 19 order) -------------------------------------------------

  /** Returns false when the vCPU must leave the CPU (idle, stop, yield). */
  /** `nowMs` = host time at the exit (the quantum loop's clock read, reused for the log). */
  private handleExit(v: Vcpu, exit: GuestExit, shouldStop: () => boolean, nowMs: number): boolean {
    const c = v.core;
    if (exit.kind === 'limit') return true;
    if (exit.kind === 'halt') {
      this.stop(`triple fault on vCPU ${v.id}: ${exit.reason}`);
      return false;
    }
    const { cu, mu, ip } = exit;
    v.counters.countIntercept(cu, mu);
    // The log keeps copies (the records are reused by the core); actions are codes, turned
    // into text only when the monitor asks (recentIntercepts).
    const log = v.log.next();
    log.vcpu = v.id;
    log.ip = ip;
    log.timeMs = nowMs - this.startMs;
    clearArray(log.muCodes);
    for (let i = 0; i < mu.length; i++) log.muCodes.push(mu[i].code);
    const acts = log.acts;
    clearArray(acts);
    // The same bundle exits again before completing (its accesses were recorded in two
    // exits, e.g. a plain bundle with two MMIO loads): keep the earlier records for the
    // replay (appended to the previous lists); otherwise the other Back takes this exit and
    // the superseded records return to the core's pool.
    const prev = v.lastBack;
    const again = prev !== null && prev.ip === ip && !v.progressed;
    let back: Back;
    if (again) back = prev;
    else {
      back = prev === v.backs[0] ? v.backs[1] : v.backs[0];
      if (prev !== null) {
        c.collector.release(prev.muOrig);
        clearArray(prev.muOrig);
        clearArray(prev.muBack);
        prev.cu = null;
      }
      clearArray(back.muOrig);
      clearArray(back.muBack);
    }
    back.cu = cu;
    back.ip = ip;
    for (let i = 0; i < mu.length; i++) back.muOrig.push(mu[i]);
    let go = true;
    // b. host NMI (the host's own NMI handler would run here; nothing to do for the guest)
    if (cu.evnU & 0x02) act(acts, A.NMI);
    // c. host interrupts: CEPIC_EPIC_INT (IPIs that missed the DAT) → redeliver
    if (cu.evnU & 0x01) {
      const n = this.epic.redeliver();
      act(acts, A.HV_INT, n);
    }
    // d. MU records in order
    for (let i = 0; i < mu.length; i++) {
      this.handleMu(v, mu[i], back.muBack, shouldStop, acts);
      if (this.stopped) break;
    }
    // e. CU header events
    if (cu.evnU & 0x40) {
      v.state = 'idle';
      v.idleSinceMs = this.host.nowMs();
      act(acts, A.WAIT);
      go = false;
    }
    if (cu.evnU & 0x04) {
      act(acts, A.G_TMR);
      go = false;
    }
    if (cu.evnU & 0x20) this.stop(`memory error reported on vCPU ${v.id}`);
    if (cu.evnC & (1 << 10)) {
      const what = cu.entries.some((e) => e.code === ICE_GLAUNCH) ? 'glaunch' : cu.entries.some((e) => e.code === ICE_HRET) ? 'hret' : 'a virtualization register'; // prettier-ignore
      this.stop(`guest on vCPU ${v.id} used ${what} at ${hex(ip)} (nested virtualization is not offered)`); // prettier-ignore
    }
    // CU entries
    for (let i = 0; i < cu.entries.length; i++) this.handleCuEntry(v, cu.entries[i], acts);
    // f. intercepted exceptions: reflect them into the guest (§3.5 "create")
    if (cu.excC) {
      for (let b = 0; b < 8; b++) {
        if (!((cu.excC >>> b) & 1)) continue;
        const exc = excOfBit(b, c.pendingGuestExc);
        if (exc === 32 || exc === 33) {
          c.injectException(exc);
          v.counters.inc('irq.injected.tir');
        } else c.injectException(exc);
        act(acts, A.EXC, b, exc);
      }
      c.pendingGuestExc = -1;
    }
    v.back = back;
    v.lastBack = back;
    copyCu(log.cu, cu);
    log.setMu(mu);
    if (this.stopped) return false;
    return go;
  }

  /** One MU record: records its action; pushes the record to write back unless cancelled. */
  private handleMu(v: Vcpu, r: MuRecord, back: MuRecord[], shouldStop: () => boolean, acts: number[]): void {
    const sp = this.host.space;
    if (r.code === IME_GPA_DATA || r.code === IME_GPA_INSTR || r.code === IME_GPA_AINSTR) {
      // condition word (appendix C): store = bit 17, fmt = bits 12:10 (decodeCondition)
      const store = ((r.condition.lo >>> 17) & 1) === 1;
      const out = sp.resolveFault(r.gpa, store);
      if (out === 'mapped') {
        v.counters.inc('gpa.faults.populated');
        back.push(r);
        return act(acts, A.MAPPED, r.gpa);
      }
      if (out === 'write_protect') {
        // a write-tracked page (GpSpace.protect): the tracker owns it; the store is retried
        v.counters.inc('gpa.faults.retried');
        back.push(r);
        return act(acts, A.WRITE_TRACKED, r.gpa);
      }
      if (out === 'mmio' && r.code === IME_GPA_DATA && r.ptLevFin) {
        v.counters.inc('gpa.faults.mmio');
        v.counters.inc('exits.mmio');
        const width = FMT_WIDTH[(r.condition.lo >>> 10) & 7];
        if (store) {
          const lo = width < 4 ? r.data.lo & ((1 << (8 * width)) - 1) : r.data.lo >>> 0;
          const ok = this.host.bus.write(r.gpa, width, lo, width === 8 ? r.data.hi : 0);
          if (!ok) {
            this.stop(`guest stored to ${hex(r.gpa)} in an MMIO window no device claims (vCPU ${v.id})`); // prettier-ignore
            return act(acts, A.STOP_STORE);
          }
          v.counters.inc('mu.cancelled');
          v.counters.inc('mmio.writes');
          if (shouldStop()) {
            v.counters.inc('exits.reset');
            this.stopReq = true;
            this.yieldReq = true;
            return act(acts, A.MMIO_RESET, r.gpa, lo);
          }
          return act(acts, A.MMIO_WRITE, r.gpa, lo, width);
        }
        const val = this.host.bus.read(r.gpa, width);
        if (!val) {
          this.stop(`guest loaded from ${hex(r.gpa)} in an MMIO window no device claims (vCPU ${v.id})`); // prettier-ignore
          return act(acts, A.STOP_LOAD);
        }
        r.code = IME_READ_MU;
        r.data.lo = val.lo >>> 0;
        r.data.hi = val.hi >>> 0;
        r.data.tag = 0;
        v.counters.inc('mu.data_substituted');
        v.counters.inc('mmio.reads');
        back.push(r);
        return act(acts, A.MMIO_READ, r.gpa, width, val.lo >>> 0);
      }
      const why = out === 'mmio' ? 0 : out === 'unbacked' ? 1 : 2;
      this.stop(`guest access to GPA ${hex(r.gpa)} (GVA ${hex(r.gva)}) on vCPU ${v.id}: ${WHY[why]}`); // prettier-ignore
      return act(acts, A.STOP_WHY, why);
    }
    if (r.code === IME_READ_MU) {
      const reg = r.gva >>> 4;
      const regs = v.core.mmu.regs;
      r.data.lo = regs.lo[reg] >>> 0;
      r.data.hi = regs.hi[reg] >>> 0;
      r.data.tag = 0;
      back.push(r);
      return act(acts, A.MMU_READ, reg, r.data.lo);
    }
    if (r.code === IME_WRITE_MU) {
      back.push(r); // performed at replay (e.g. the guest switching paging on)
      v.counters.inc('mu.replayed');
      return act(acts, A.MMU_WRITE, r.gva >>> 4, r.data.lo);
    }
    back.push(r);
    v.counters.inc('mu.replayed');
    return act(acts, A.MU_OTHER, r.code);
  } // prettier-ignore

  private handleCuEntry(v: Vcpu, e: CuRecord['entries'][number], acts: number[]): void {
    if (e.code === ICE_READ_CU) {
      this.cuRead(v, e.regNum, e.data);
      return act(acts, A.READ_CU, e.regNum, e.data.lo, e.data.hi);
    }
    if (e.code === ICE_WRITE_CU) {
      if (e.regNum === SR.CORE_MODE) {
        // the guest may choose its page-table format etc.; gmi/hci stay set (§1.7)
        const nv = (e.data.lo | CORE_MODE_GMI | CORE_MODE_HCI) >>> 0;
        e.data.lo = nv;
        e.data.hi = 0;
        v.counters.inc('exits.core_mode_write');
        return act(acts, A.CORE_MODE, nv);
      }
      e.code = ICE_FORCED; // clock / debug / CU_HW writes are ignored (KVM)
      v.counters.inc('cu.writes_ignored');
      return act(acts, A.CU_IGNORED, e.regNum);
    }
    if (e.code === ICE_MASKED_HCALL) {
      e.code = ICE_FORCED;
      return act(acts, A.HCALL_SKIPPED, e.regNum);
    }
    if (e.code === ICE_GLAUNCH || e.code === ICE_HRET) return act(acts, A.VM_STOPPED);
    return act(acts, A.CU_OTHER, e.code);
  }

  /** Values for intercepted CU register reads, into `out`. */
  private cuRead(v: Vcpu, reg: number, out: U64): void {
    const ms = this.guestMs();
    switch (reg) {
      case SR.IDR:
        v.counters.inc('exits.idr_substituted');
        return set64(out, guestIdr(this.host.model, v.id), 0);
      case SR.CLKR: {
        v.counters.inc('exits.clkr_read');
        const cyc = Math.floor(ms * 1e6); // 1 GHz virtual cycle counter (our choice)
        return set64(out, (cyc % 2 ** 32) >>> 0, Math.floor(cyc / 2 ** 32) >>> 0);
      }
      case SR.SCLKR: {
        v.counters.inc('exits.sclkr_read');
        const s = Math.floor(ms / 1000);
        return set64(out, Math.floor((ms - s * 1000) * 1e6) >>> 0, s >>> 0);
      }
      case SR.SCLKM1:
        return set64(out, 1e9, 0);
    }
    const lo = v.core.readArch('cu', reg);
    set64(out, lo, v.core.archHi);
  }

  private hypercall(v: Vcpu, n: number, args: number[]): number {
    v.counters.inc('exits.hcall');
    v.counters.inc(`hypercalls.${n === 0 ? 'generic' : 'light'}.${args[0] ?? 0}`);
    switch (args[0] ?? -1) {
      case HCALL.VERSION:
        return HCALL_VERSION;
      case HCALL.VCPU_ID:
        return v.id;
      case HCALL.VCPU_COUNT:
        return this.vcpus.length;
      case HCALL.TIME_NS:
        return Math.floor(this.guestMs() * 1e6);
      case HCALL.YIELD:
        this.yieldReq = true;
        v.core.requestExit();
        return 0;
      case HCALL.LOG:
        this.host.log(`vCPU ${v.id} hypercall log: ${hex(args[1] ?? 0)}`);
        return 0;
    }
    return 0xffffffff; // unknown function
  }

  private lateGpaFault(v: Vcpu, gpa: number): boolean {
    const out = this.host.space.resolveFault(gpa, true);
    if (out === 'mapped') {
      v.counters.inc('gpa.faults.populated');
      return true;
    }
    return false;
  }

  // --- control from the host ----------------------------------------------------------------

  /** Injects a hardware fault (TIR exception number) into vCPU `id` at its next launch. */
  injectFault(id: number, tirExc: number): void {
    const v = this.vcpus[id];
    if (!v) return;
    v.core.injectException(tirExc);
    v.counters.inc('faults.injected');
  }

  /** An interrupt for the hypervisor while vCPU `id` runs (`hv_int`). */
  hostInterrupt(id: number): void {
    this.vcpus[id]?.core.hostInterrupt();
  }

  /** A non-maskable interrupt for the hypervisor while vCPU `id` runs (`hv_nm_int`). */
  hostNmi(id: number): void {
    this.vcpus[id]?.core.hostNmi();
  }

  // --- observability -----------------------------------------------------------------------

  counters(): Record<string, number> {
    const sum: Record<string, number> = {};
    for (const v of this.vcpus)
      for (const [k, n] of Object.entries(v.counters.snapshot().counters)) sum[k] = (sum[k] ?? 0) + n; // prettier-ignore
    sum['gpa.pages_mapped'] = this.host.space.pagesMapped;
    sum['ipis.dat_hit'] = this.epic.datHits;
    sum['ipis.dat_miss'] = this.epic.datMisses;
    return sum;
  }

  vcpuStats(): { id: number; state: string; counters: Record<string, number> }[] {
    return this.vcpus.map((v) => ({ id: v.id, state: v.state, counters: v.counters.snapshot().counters })); // prettier-ignore
  }

  /**
   * The most recent exits, decoded now (the exit path keeps raw records): the records as the
   * VMM wrote them back (delivered values, changed codes), causes from the hardware header
   * and the original MU codes, the VMM's action.
   */
  recentIntercepts(): InterceptLogEntry[] {
    const all = this.vcpus.flatMap((v) => v.log.toArray().map(decodeExit));
    return all.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq).slice(-256);
  }

  registers(): Record<string, string>[] {
    return this.vcpus.map((v) => ({ vcpu: String(v.id), state: v.state, ...v.core.snapshot() }));
  }

  /** Everything for the monitor as plain serializable data. */
  snapshot(): VmmSnapshot {
    return {
      stopped: this.stopped,
      guestMs: this.guestMs(),
      controls: { virtCtrlCu: u64Hex(this.cuCtrl), virtCtrlMu: u64Hex(this.muCtrl) },
      counters: this.counters(),
      vcpus: this.vcpus.map((v) => {
        const s = v.counters.snapshot();
        return { id: v.id, state: v.state, counters: s.counters, cuHist: s.cuHist, muHist: s.muHist, registers: v.core.snapshot() }; // prettier-ignore
      }),
      intercepts: this.recentIntercepts(),
      memory: this.host.space.snapshot(),
      epic: this.epic.dat(),
    };
  }
}

export interface VmmSnapshot {
  stopped: string | null;
  guestMs: number;
  controls: { virtCtrlCu: string; virtCtrlMu: string };
  counters: Record<string, number>;
  vcpus: {
    id: number;
    state: string;
    counters: Record<string, number>;
    cuHist: number[];
    muHist: number[];
    registers: Record<string, string>;
  }[];
  intercepts: unknown[];
  memory: object;
  epic: { gstId: number; gstDst: number; active: boolean }[];
}

/** One exit as recorded on the exit path: copies of the records as the VMM wrote them back. */
class ExitSlot {
  readonly cu: CuRecord = emptyCu();
  readonly mu: MuRecord[] = [];
  private readonly muOwn: MuRecord[] = [];
  /** MU codes as the hardware reported them (the VMM may change them, e.g. to READ_MU). */
  readonly muCodes: number[] = [];
  /** What the VMM did: ACT_WORDS numbers per action (see actionText). */
  readonly acts: number[] = [];
  ip = 0;
  vcpu = 0;
  timeMs = 0;
  seq = 0;

  setMu(src: readonly MuRecord[]): void {
    clearArray(this.mu);
    for (let i = 0; i < src.length; i++) {
      let d = this.muOwn[i];
      if (d === undefined) {
        d = muRecord({ code: 0 });
        this.muOwn.push(d);
      }
      copyMu(d, src[i]);
      this.mu.push(d);
    }
  }
}

/** Ring of ExitSlots, filled in place (oldest overwritten); slots are created on first use. */
class ExitLog {
  private readonly slots: ExitSlot[] = [];
  private start = 0;
  total = 0;
  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) this.capacity = 1;
  }

  /** The slot for the next exit (its `seq` set). */
  next(): ExitSlot {
    let s: ExitSlot;
    if (this.slots.length < this.capacity) {
      s = new ExitSlot();
      this.slots.push(s);
    } else {
      s = this.slots[this.start];
      this.start = (this.start + 1) % this.capacity;
    }
    s.seq = this.total++;
    return s;
  }

  /** Oldest first. */
  toArray(): ExitSlot[] {
    return [...this.slots.slice(this.start), ...this.slots.slice(0, this.start)];
  }
}

/** Action codes of the exit path (text built by actionText when the monitor reads the log). */
const A = {
  NMI: 0, HV_INT: 1, MAPPED: 2, WRITE_TRACKED: 3, STOP_STORE: 4, MMIO_RESET: 5, MMIO_WRITE: 6,
  STOP_LOAD: 7, MMIO_READ: 8, STOP_WHY: 9, MMU_READ: 10, MMU_WRITE: 11, MU_OTHER: 12, WAIT: 13,
  G_TMR: 14, READ_CU: 15, CORE_MODE: 16, CU_IGNORED: 17, HCALL_SKIPPED: 18, VM_STOPPED: 19,
  CU_OTHER: 20, EXC: 21,
} as const; // prettier-ignore
const ACT_WORDS = 4;
const WHY = ['an MMIO window used for code or page tables', 'no RAM or device', 'host memory exhausted']; // prettier-ignore
/** Condition-word fmt → access width (bytes). */
const FMT_WIDTH: readonly (1 | 2 | 4 | 8)[] = [8, 1, 2, 4, 8, 8, 8, 8];

function act(acts: number[], kind: number, a = 0, b = 0, c = 0): void {
  acts.push(kind, a, b, c);
}

function actionText(k: number, a: number, b: number, c: number): string {
  switch (k) {
    case A.NMI: return 'hv_nm_int: host NMI handled';
    case A.HV_INT: return `hv_int: redelivered ${a} IPI(s)`;
    case A.MAPPED: return `GPA ${hex(a)}: page mapped, access replayed`;
    case A.WRITE_TRACKED: return `GPA ${hex(a)}: write-tracked page, store retried`;
    case A.STOP_STORE: return 'VM stopped: store to an unclaimed MMIO address';
    case A.MMIO_RESET: return `MMIO write ${hex(a)} = ${hex(b)}: device asked the board to power off/reset`;
    case A.MMIO_WRITE: return `MMIO write ${hex(a)} = ${hex(b)} (${c} B) completed by the device; record cancelled`;
    case A.STOP_LOAD: return 'VM stopped: load from an unclaimed MMIO address';
    case A.MMIO_READ: return `MMIO read ${hex(a)} (${b} B) = ${hex(c)}: value delivered through the record`;
    case A.STOP_WHY: return `VM stopped: ${WHY[a]}`;
    case A.MMU_READ: return `MMU register ${hex(a)} read emulated (${hex(b)})`;
    case A.MMU_WRITE: return `MMU register ${hex(a)} write of ${hex(b)} performed`;
    case A.MU_OTHER: return `MU code ${a} replayed`;
    case A.WAIT: return 'wait_trap: vCPU sleeps until an interrupt or its timer';
    case A.G_TMR: return 'g_tmr: quantum over, vCPU rescheduled';
    case A.READ_CU: return `READ_CU ${hex(a)} → ${u64Hex(u64(b, c))}`;
    case A.CORE_MODE: return `WRITE_CU CORE_MODE ← ${hex(a)} (gmi|hci kept)`;
    case A.CU_IGNORED: return `WRITE_CU ${hex(a)} ignored`;
    case A.HCALL_SKIPPED: return `masked hcall ${a}: skipped (%b[0] unchanged)`;
    case A.VM_STOPPED: return 'VM stopped';
    case A.CU_OTHER: return `CU entry ${a}`;
    case A.EXC: return `exc_c bit ${a + 16}: exception ${b} reflected into the guest`;
  }
  return `action ${k}`;
} // prettier-ignore

/** TIR exception reflected for exc_c bit 16 + b (bit 18: the intercepted fetch exception). */
function excOfBit(b: number, pending: number): number {
  return [8, 28, pending >= 0 ? pending : 20, 29, 52, 32, 33][b] ?? 0;
}

function set64(out: U64, lo: number, hi: number): void {
  out.lo = lo >>> 0;
  out.hi = hi >>> 0;
}

function decodeExit(x: ExitSlot): InterceptLogEntry {
  const d = describeIntercept(x.cu, x.mu, x.ip);
  const causes = [...cuCauses(x.cu), ...x.muCodes.map((c) => `mu.${IME_NAMES[c] ?? c}`)];
  const summary = [`ip ${d.guestIp}: ${causes.join('+') || 'none'}`, ...d.entries.map((e) => e.text)].join('; '); // prettier-ignore
  const texts: string[] = [];
  for (let i = 0; i + ACT_WORDS <= x.acts.length; i += ACT_WORDS)
    texts.push(actionText(x.acts[i], x.acts[i + 1], x.acts[i + 2], x.acts[i + 3]));
  return { ...d, causes, summary, seq: x.seq, vcpu: x.vcpu, timeMs: x.timeMs, action: texts.join('; ') }; // prettier-ignore
}

function bankIdx(name: string): number {
  return ShadowBank.index(name);
}

function validNames(tbl: Readonly<Record<number, string>>, names: readonly string[]): string[] {
  const known = new Set(Object.values(tbl));
  return names.filter((n) => known.has(n));
}

/** The factory the board uses (emulator/machine/vmm-port.ts `VmmFactory`). */
export function createVmm(host: VmmPort, opts: VmmOptions = {}): GlaunchVmm {
  return new GlaunchVmm(host, opts);
}
