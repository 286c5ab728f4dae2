/**
 * The per-vCPU "active" context (virtualization.md §2.1-2.2, §7.1 ShadowBank): the SH_*
 * registers, BU_PSP/BU_PCSP, GP_PPTB, GID and the intercept controls, kept as a flat table
 * of 64-bit registers (halves) so it can be saved/restored/snapshotted generically.
 *
 * Model of the switch (§2.1, inferred): while the guest runs the pipeline uses this bank as
 * the guest's own registers; glaunch/intercept only flip which bank is active. A CPU that
 * has a single architectural register file plugs in through `ArchRegs`: `launch` swaps the
 * architectural values for the SH values (keeping the hypervisor's in `host`), `intercept`
 * swaps back. CORE_MODE is restored first because it defines the format of the stack
 * registers (§2.2 note). The VMM's vcpu_put/vcpu_load = `save()` / `restore()`.
 */
import { u64, u64FromHex, u64Hex, type U64 } from './u64';

export interface ShadowRegDef {
  name: string;
  /** Architectural register the SH register stands for: CPU state reg or MMU reg number. */
  arch: { unit: 'cu' | 'mmu'; num: number } | null;
  group: 'stacks' | 'mode' | 'time' | 'vm' | 'control';
}

const cu = (num: number) => ({ unit: 'cu' as const, num });
const mmu = (num: number) => ({ unit: 'mmu' as const, num });

/** Order matters: CORE_MODE first. CU numbers from system.md §1.2, MMU from appendix A. */
export const SHADOW_REGS: readonly ShadowRegDef[] = [
  { name: 'SH_CORE_MODE', arch: cu(0x04), group: 'mode' },
  { name: 'SH_PSP.lo', arch: cu(0x09), group: 'stacks' },
  { name: 'SH_PSP.hi', arch: cu(0x07), group: 'stacks' },
  { name: 'SH_PCSP.lo', arch: cu(0x0f), group: 'stacks' },
  { name: 'SH_PCSP.hi', arch: cu(0x0d), group: 'stacks' },
  { name: 'SH_PSHTP', arch: cu(0x0b), group: 'stacks' },
  { name: 'SH_PCSHTP', arch: cu(0x13), group: 'stacks' },
  { name: 'SH_WD', arch: cu(0x01), group: 'stacks' },
  { name: 'BU_PSP.lo', arch: null, group: 'stacks' },
  { name: 'BU_PSP.hi', arch: null, group: 'stacks' },
  { name: 'BU_PCSP.lo', arch: null, group: 'stacks' },
  { name: 'BU_PCSP.hi', arch: null, group: 'stacks' },
  { name: 'SH_OSCUD.lo', arch: cu(0x27), group: 'mode' },
  { name: 'SH_OSCUD.hi', arch: cu(0x26), group: 'mode' },
  { name: 'SH_OSGD.lo', arch: cu(0x29), group: 'mode' },
  { name: 'SH_OSGD.hi', arch: cu(0x28), group: 'mode' },
  { name: 'SH_OSCUTD', arch: null, group: 'mode' }, // OSCUTD number not in the sources
  { name: 'SH_OSCUIR', arch: null, group: 'mode' }, // OSCUIR number not in the sources
  { name: 'SH_OSR0', arch: cu(0x2f), group: 'mode' },
  { name: 'SH_SCLKM3', arch: cu(0x72), group: 'time' },
  { name: 'SH_MMU_CR', arch: mmu(0x00), group: 'vm' },
  { name: 'SH_PID', arch: mmu(0x01), group: 'vm' },
  { name: 'SH_OS_PPTB', arch: mmu(0x35), group: 'vm' },
  { name: 'SH_OS_VPTB', arch: mmu(0x34), group: 'vm' },
  { name: 'SH_OS_VAB', arch: mmu(0x4c), group: 'vm' },
  { name: 'GP_PPTB', arch: null, group: 'vm' },
  { name: 'GID', arch: null, group: 'vm' },
  { name: 'VIRT_CTRL_CU', arch: null, group: 'control' },
  { name: 'VIRT_CTRL_MU', arch: null, group: 'control' },
  { name: 'G_W_IMASK_MMU_CR', arch: null, group: 'control' },
];

const INDEX = new Map(SHADOW_REGS.map((d, i) => [d.name, i]));

/** CPU side of the switch: read/write architectural registers by unit and number. */
export interface ArchRegs {
  read(unit: 'cu' | 'mmu', num: number): U64;
  write(unit: 'cu' | 'mmu', num: number, v: U64): void;
}

/**
 * The same access as numbers (the glaunch/intercept hot path: no `{lo, hi}` per register per
 * switch). `readArch` returns the low half and leaves the high half in `archHi`.
 */
export interface ArchRegsNum extends ArchRegs {
  readArch(unit: 'cu' | 'mmu', num: number): number;
  archHi: number;
  writeArch(unit: 'cu' | 'mmu', num: number, lo: number, hi: number): void;
}

const isNum = (cpu: ArchRegs): cpu is ArchRegsNum =>
  typeof (cpu as Partial<ArchRegsNum>).writeArch === 'function';

/** Bank indices of the registers that stand for an architectural one, in switch order. */
const ARCH_IDX = SHADOW_REGS.flatMap((d, i) => (d.arch ? [i] : []));
const ARCH_UNIT = ARCH_IDX.map((i) => SHADOW_REGS[i].arch!.unit);
const ARCH_NUM = ARCH_IDX.map((i) => SHADOW_REGS[i].arch!.num);

export class ShadowBank {
  readonly lo = new Uint32Array(SHADOW_REGS.length);
  readonly hi = new Uint32Array(SHADOW_REGS.length);
  /** Hypervisor values of the architectural registers while the guest runs (preallocated). */
  private readonly hostLo = new Uint32Array(SHADOW_REGS.length);
  private readonly hostHi = new Uint32Array(SHADOW_REGS.length);
  private active = false;

  static index(name: string): number {
    return INDEX.get(name) ?? -1;
  }

  get(name: string): U64 {
    const i = ShadowBank.index(name);
    return i < 0 ? u64() : u64(this.lo[i], this.hi[i]);
  }

  set(name: string, v: U64): boolean {
    const i = ShadowBank.index(name);
    if (i < 0) return false;
    this.lo[i] = v.lo >>> 0;
    this.hi[i] = v.hi >>> 0;
    return true;
  }

  get guestActive(): boolean {
    return this.active;
  }

  /** glaunch: the SH values become the architectural ones; host values are kept. */
  launch(cpu: ArchRegs): boolean {
    if (this.active) return false;
    this.active = true;
    this.swap(cpu, this.hostLo, this.hostHi, this.lo, this.hi);
    return true;
  }

  /** intercept: the guest's current values go back into the bank; host values return. */
  intercept(cpu: ArchRegs): boolean {
    if (!this.active) return false;
    this.swap(cpu, this.lo, this.hi, this.hostLo, this.hostHi);
    this.active = false;
    return true;
  }

  /**
   * Saves every architectural register of the bank into (saveLo, saveHi), then loads
   * (loadLo, loadHi) — all reads before the first write, in SHADOW_REGS order (CORE_MODE
   * first). A CPU with the numeric interface (ArchRegsNum) switches without allocating.
   */
  private swap(
    cpu: ArchRegs,
    saveLo: Uint32Array,
    saveHi: Uint32Array,
    loadLo: Uint32Array,
    loadHi: Uint32Array,
  ): void {
    const n = ARCH_IDX.length;
    if (isNum(cpu)) {
      for (let k = 0; k < n; k++) {
        const i = ARCH_IDX[k];
        saveLo[i] = cpu.readArch(ARCH_UNIT[k], ARCH_NUM[k]);
        saveHi[i] = cpu.archHi;
      }
      for (let k = 0; k < n; k++) {
        const i = ARCH_IDX[k];
        cpu.writeArch(ARCH_UNIT[k], ARCH_NUM[k], loadLo[i], loadHi[i]);
      }
      return;
    }
    for (let k = 0; k < n; k++) {
      const v = cpu.read(ARCH_UNIT[k], ARCH_NUM[k]);
      saveLo[ARCH_IDX[k]] = v.lo >>> 0;
      saveHi[ARCH_IDX[k]] = v.hi >>> 0;
    }
    for (let k = 0; k < n; k++) {
      const i = ARCH_IDX[k];
      cpu.write(ARCH_UNIT[k], ARCH_NUM[k], u64(loadLo[i], loadHi[i]));
    }
  }

  /** vcpu_put: plain-data copy (hex strings, stable names). */
  save(): Record<string, string> {
    const o: Record<string, string> = {};
    SHADOW_REGS.forEach((d, i) => (o[d.name] = u64Hex(u64(this.lo[i], this.hi[i]))));
    return o;
  }

  /** vcpu_load: unknown names and malformed values are ignored (register reads as 0). */
  restore(s: Readonly<Record<string, string>>): void {
    this.lo.fill(0);
    this.hi.fill(0);
    for (const [k, v] of Object.entries(s)) if (typeof v === 'string') this.set(k, u64FromHex(v));
  }

  snapshot(): Record<string, string> {
    return this.save();
  }
}
