/**
 * MMU registers (system.md §3.3; hypervisor ones from virtualization.md appendix A) and
 * their access path: 64-bit loads/stores with MAS 0x47 to address `reg << 4`. The
 * virtualization doc names the address field bits 11:4 (registers go up to 0x4c), so we
 * decode bits 11:4 and require bits 3:0 = 0; anything else is "no such register".
 * Unknown but in-range registers are plain storage (read back what was written) — the
 * docs list gaps (0x0b, 0x0c, 0x36, 0x37, 0x3d-0x3f, 0x42, 0x4b) with no meaning.
 */

export const MAS_MMU_REG = 0x47;
export const MAS_TLB_PAGE_FLUSH = 0x17;
export const MAS_TLB_FLUSH = 0x27;

export const MMU_CR = 0x00;
export const PID = 0x01;
export const U2_PPTB = 0x02;
export const U_VPTB = 0x03;
export const U_PPTB = 0x04;
export const TRAP_POINT = 0x05;
export const TRAP_COUNT = 0x06;
export const MPT_B = 0x07;
export const PCI_L_B = 0x08;
export const US_CL_D = 0x09;
export const PH_H_B = 0x0a;
export const APIC_BASE = 0x0d;
export const HW0 = 0x0e;
export const PID2 = 0x0f;
export const MTRR_FIRST = 0x10;
export const MTRR_LAST = 0x30;
export const PAT = 0x31;
export const PH_HI_L_B = 0x32;
export const PH_HI_H_B = 0x33;
export const OS_VPTB = 0x34;
export const OS_PPTB = 0x35;
export const PDPTE0 = 0x38;
export const TLU_CACHE = 0x3c;
export const VIRT_CTRL_MU = 0x40;
export const GID = 0x41;
export const GP_PPTB = 0x43;
export const INTC_INFO_MU = 0x44;
export const INTC_PTR_MU = 0x45;
export const SH_OS_VPTB = 0x46;
export const SH_OS_PPTB = 0x47;
export const G_W_IMASK_MMU_CR = 0x48;
export const SH_PID = 0x49;
export const SH_MMU_CR = 0x4a;
export const OS_VAB = 0x4c;

export const MMU_REG_COUNT = 0x50;

/** MMU_CR bits (system.md §3.3). */
export const MMU_CR_TLB_EN = 1 << 0;
/** Linux kernel value tlb_en | set3 | ipd. */
export const MMU_CR_LINUX = 0x821;

/** Names for the monitor / disassembly of intercept records. */
export const MMU_REG_NAMES: Readonly<Record<number, string>> = (() => {
  const n: Record<number, string> = {
    0x00: 'MMU_CR', 0x01: 'PID', 0x02: 'U2_PPTB', 0x03: 'U_VPTB', 0x04: 'U_PPTB',
    0x05: 'TRAP_POINT', 0x06: 'TRAP_COUNT', 0x07: 'MPT_B', 0x08: 'PCI_L_B', 0x09: 'US_CL_D',
    0x0a: 'PH_H_B', 0x0d: 'APIC_BASE', 0x0e: 'HW0', 0x0f: 'PID2', 0x31: 'PAT',
    0x32: 'PH_HI_L_B', 0x33: 'PH_HI_H_B', 0x34: 'OS_VPTB', 0x35: 'OS_PPTB', 0x3c: 'TLU_CACHE',
    0x40: 'VIRT_CTRL_MU', 0x41: 'GID', 0x43: 'GP_PPTB', 0x44: 'INTC_INFO_MU',
    0x45: 'INTC_PTR_MU', 0x46: 'SH_OS_VPTB', 0x47: 'SH_OS_PPTB', 0x48: 'G_W_IMASK_MMU_CR',
    0x49: 'SH_PID', 0x4a: 'SH_MMU_CR', 0x4c: 'OS_VAB',
  }; // prettier-ignore
  for (let i = 0x10; i <= 0x30; i++) n[i] = `MTRR${i - 0x10}`;
  for (let i = 0; i < 4; i++) n[0x38 + i] = `PDPTE${i}`;
  return n;
})();

/** Register number for MAS-0x47 address `addr`, or -1 if the address names none. */
export function mmuRegFromAddr(addr: number): number {
  if (!(addr >= 0 && addr < MMU_REG_COUNT << 4) || addr % 16 !== 0) return -1;
  return addr >>> 4;
}

/**
 * Width masks applied on write (fields narrower than 64 bits, §3.3), low and high halves.
 * Two functions rather than one returning a pair: MMU registers are written on every
 * guest TLB flush and glaunch, and the pair was an allocation each time.
 */
function writeMaskLo(reg: number): number {
  switch (reg) {
    case PID:
    case SH_PID:
    case GID:
      return 0xfff; // 12-bit context / guest id
    case U_PPTB:
    case OS_PPTB:
    case SH_OS_PPTB:
    case GP_PPTB:
      return 0xfffff000; // 48-bit, page aligned
    case TRAP_POINT:
      return 0xfffffc00;
    default:
      return 0xffffffff;
  }
}

function writeMaskHi(reg: number): number {
  switch (reg) {
    case PID:
    case SH_PID:
    case GID:
      return 0;
    case U_PPTB:
    case OS_PPTB:
    case SH_OS_PPTB:
    case GP_PPTB:
    case TRAP_POINT:
      return 0xffff;
    default:
      return 0xffffffff;
  }
}

/** Register file as 32-bit halves. */
export class MmuRegs {
  readonly lo = new Uint32Array(MMU_REG_COUNT);
  readonly hi = new Uint32Array(MMU_REG_COUNT);

  get(reg: number): number {
    return this.lo[reg] + this.hi[reg] * 2 ** 32;
  }

  /** Sets a register from a number ≤ 2^53 (convenience for addresses). */
  set(reg: number, v: number): void {
    this.write(reg, (v % 2 ** 32) >>> 0, Math.floor(v / 2 ** 32) >>> 0);
  }

  write(reg: number, lo: number, hi: number): void {
    if (!(reg >= 0 && reg < MMU_REG_COUNT)) return;
    this.lo[reg] = (lo & writeMaskLo(reg)) >>> 0;
    this.hi[reg] = (hi & writeMaskHi(reg)) >>> 0;
  }

  snapshot(): Record<string, string> {
    const o: Record<string, string> = {};
    for (let r = 0; r < MMU_REG_COUNT; r++)
      if (this.lo[r] || this.hi[r])
        o[MMU_REG_NAMES[r] ?? `mmu_${r.toString(16)}`] =
          '0x' +
          this.hi[r].toString(16).padStart(8, '0') +
          this.lo[r].toString(16).padStart(8, '0');
    return o;
  }

  restore(s: Record<string, string>): void {
    this.lo.fill(0);
    this.hi.fill(0);
    for (const [name, v] of Object.entries(s)) {
      let r = Object.entries(MMU_REG_NAMES).find(([, n]) => n === name)?.[0];
      if (r === undefined && name.startsWith('mmu_')) r = String(parseInt(name.slice(4), 16));
      if (r === undefined || !/^0x[0-9a-f]{16}$/.test(v)) continue;
      this.lo[+r] = parseInt(v.slice(10), 16) >>> 0;
      this.hi[+r] = parseInt(v.slice(2, 10), 16) >>> 0;
    }
  }
}
