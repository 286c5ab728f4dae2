/**
 * The seam between the board and the VMM (emulator/virt/vmm*): what the board hands the
 * VMM (memory, GPA space, device bus, CEPICs, guest identity, initial register state) and
 * what it needs back (run for a while, report why it stopped, counters, registers).
 */
import type { CpuModel } from '../cpu/models';
import type { MmioBus } from '../devices/bus';
import type { PhysMemory } from '../memory/phys';
import type { VirtualCepic } from '../virt/cepic';
import type { GpSpace } from '../virt/gpspace';

/** Register state of vCPU 0 at reset (README "Reset state and boot protocol"). */
export interface BootState {
  ip: number;
  psr: number;
  upsr: number;
  /** CUD = OSCUD (code) and GD = OSGD (data) descriptors: base and size in bytes. */
  code: { base: number; size: number };
  data: { base: number; size: number };
  psp: { base: number; size: number };
  pcsp: { base: number; size: number };
  /** Data stack: USD.lo base = top, size; SBR = top. */
  stack: { base: number; size: number };
  /**
   * Direct kernel boot: enter as if firmware called trap-table entry 12 (system.md §6.6
   * step 4): a chain frame returning to `returnIp`, %dr0 = dr0, %dr1 = dr1.
   */
  entry12?: { dr0: number; dr1: number; returnIp: number };
}

export interface VmmPort {
  model: CpuModel;
  vcpus: number;
  /** Host physical memory: GP tables and the pages backing guest RAM. */
  mem: PhysMemory;
  /** Guest-physical space: RAM/ROM slots (lazy), MMIO windows; `root` = GP_PPTB. */
  space: GpSpace;
  /** Device windows; the VMM turns an MMIO intercept into bus.read/bus.write. */
  bus: MmioBus;
  /** One virtual CEPIC per vCPU (vCPU 0 is the BSP); the window at 0xFEE0_0000. */
  cepics: VirtualCepic[];
  /** VIRT_CTRL_CU / VIRT_CTRL_MU bit names switched on. */
  cuIntercepts: string[];
  muIntercepts: string[];
  quantumUs: number;
  /** CEPIC timer clock (Hz) the VMM advances the timers with. */
  timerHz: number;
  /** Monotonic host ms. */
  nowMs: () => number;
  /** Called by the VMM after it handled MMIO (device state may have changed). */
  log: (message: string) => void;
}

/** Why `run` returned. */
export interface VmmRunResult {
  /** Every vCPU waits for an interrupt; nothing is due for this many ms (≥ 0). */
  idleMs: number;
  /** The VM cannot go on (triple fault, access outside any slot, internal error). */
  halted?: string;
}

export interface Vmm {
  /** Puts every vCPU in its power-on state; vCPU 0 starts with `boot`, others wait. */
  reset(boot: BootState): void;
  /** Runs the vCPUs for about `ms` of host time; returns early on idle, stop requests, halt. */
  run(ms: number, shouldStop: () => boolean): VmmRunResult;
  /** Summed counters (emulator/virt/README.md names). */
  counters(): Record<string, number>;
  vcpuStats(): { id: number; state: string; counters: Record<string, number> }[];
  recentIntercepts(): unknown[];
  registers(): Record<string, string>[];
}

export type VmmFactory = (port: VmmPort) => Vmm;
