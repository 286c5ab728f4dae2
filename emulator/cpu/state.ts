/**
 * Architectural state of one e2k core (control-and-stacks.md §1-§7): the register file with
 * procedure windows, based (rotating) registers, globals, predicates, ctprs, chain stack,
 * LSR and the user state registers. Pure data plus the small helpers that map operand
 * numbers to physical registers; the executor lives in cpu.ts.
 *
 * Register file layout (typed arrays, 32-bit halves, no BigInt):
 *   0..223    the 224-register procedure-stack file, used as a ring: absolute stack index i
 *             lives in slot i % 224 (§1 "224 belong to the procedure stack");
 *   224..255  globals %g0..%g31;
 *   256..273  scratch slots holding immediate/literal operands (3 per channel).
 * Absolute indices below `spilled` live in guest memory at psBase + 32*i (value, 128-bit extension, tag), the
 * rest of the current window is always resident; windows spill/fill when a setwd or a
 * return crosses the 224-register limit (§1: "overflow/underflow is spilled/filled to
 * memory automatically").
 */
import { Exc, GuestTrap } from './exceptions';
import type { Memory } from './memory';
import type { IsaLevel } from './models';

export const RF_SIZE = 224;
export const GLOBAL_BASE = 224;
export const SCRATCH_BASE = 256;
export const PHYS_REGS = SCRATCH_BASE + 18;

/** ctpr tags (control-and-stacks.md §6.1, QEMU layout). */
export const CTPR_EMPTY = 0;
export const CTPR_RETURN = 2;
export const CTPR_DISP = 3;
export const CTPR_SDISP = 5;

/** One procedure-chain-stack frame (§5.1 CR0/CR1 contents). */
export interface ChainFrame {
  /** CR0.lo: caller's predicates and their tags. */
  preds: number;
  predTags: number;
  /** CR0.hi: return address. */
  ret: number;
  wbs: number;
  /** Caller window: size, psize, fx, dbl. */
  wdSize: number;
  wdPsize: number;
  wdFx: number;
  wdDbl: number;
  /** Caller BR. */
  bOff: number;
  bSize: number;
  bCur: number;
  pSize: number;
  pCur: number;
  usdSize: number;
  psr: number;
}

export class CpuState {
  readonly lo = new Int32Array(PHYS_REGS);
  readonly hi = new Int32Array(PHYS_REGS);
  readonly tag = new Uint8Array(PHYS_REGS);
  /** High 64 bits of the 128-bit registers of v5+ (qp… operations, ldqp/stqp). */
  readonly elo = new Int32Array(PHYS_REGS);
  readonly ehi = new Int32Array(PHYS_REGS);

  /** Window: absolute base, size, parameter size (registers), fx, dbl (§1). */
  wdBase = 0;
  wdSize = 0;
  wdPsize = 0;
  wdFx = 0;
  wdDbl = 0;
  /** Absolute stack indices below this are spilled to memory. */
  spilled = 0;
  /** Procedure stack memory (PSP base) and size in bytes. */
  psBase = 0;
  psSize = 0;
  /** Chain stack memory (PCSP base, only reported; frames are kept in `chain`). */
  pcsBase = 0;
  pcsSize = 0;

  /** Based area in registers (§2): %b[i] = %r(bOff + (bCur + i) % bSize). */
  bOff = 0;
  bSize = 0;
  bCur = 0;

  /** Predicate file (bit i = %pred i) and tag bits; rotating area psize/pcur (§4). */
  preds = 0;
  predTags = 0;
  pSize = 0;
  pCur = 0;

  /** %ctpr1..3 (index 1..3): target address and tag (§6.1). */
  readonly ctprTarget = new Float64Array(4);
  readonly ctprTag = new Uint8Array(4);

  readonly chain: ChainFrame[] = [];

  /** LSR fields (§7). lcnt is unsigned 32-bit. */
  lcnt = 0;
  ecnt = 0;
  vlc = 0;
  over = 0;
  ldmc = 0;
  ldovl = 0;
  pcnt = 0;
  strmd = 0;
  semc = 0;
  /** %ilcr as lo/hi words. */
  ilcrLo = 0;
  ilcrHi = 0;

  upsr = 0;
  /** Reset value: all FP exceptions masked (opcodes.md §7). */
  pfpfr = 0x1f80;
  fpcr = 0x037f;
  fpsr = 0;
  psr = 0;

  /** User data stack: USD.lo base (current stack pointer), USD.hi size, SBR top. */
  usdBase = 0;
  usdSize = 0;
  sbr = 0;

  /** Address of the bundle being executed. */
  ip = 0;
  /** Bundles executed so far. */
  icount = 0;

  constructor(
    public readonly mem: Memory,
    public readonly iset: IsaLevel,
  ) {}

  trap(exc: Exc, addr: number, detail: string): never {
    throw new GuestTrap(exc, addr, detail);
  }

  /** Physical slot of window register %rN for a window of `size` registers. */
  physWin(n: number, size: number): number {
    if (n >= size) this.trap(Exc.WindowBounds, this.ip, `%r${n} outside a window of ${size}`);
    return (this.wdBase + n) % RF_SIZE;
  }

  physBased(i: number, size: number): number {
    if (i >= this.bSize)
      this.trap(Exc.WindowBounds, this.ip, `%b[${i}] outside a based area of ${this.bSize}`);
    return this.physWin(this.bOff + ((this.bCur + i) % this.bSize), size);
  }

  /** Physical slot of register operand code 0x00-0x7f, 0x80-0xbf, 0xe0-0xff. */
  physReg(code: number, size: number): number {
    if (code < 0x80) return this.physBased(code, size);
    if (code < 0xc0) return this.physWin(code & 0x3f, size);
    return GLOBAL_BASE + (code & 0x1f);
  }

  /** Physical predicate number for %predN (rotating area, §4). */
  physPred(n: number): number {
    return n < this.pSize ? (this.pCur + n) % this.pSize : n;
  }

  getPred(n: number): number {
    return (this.preds >>> this.physPred(n)) & 1;
  }

  getPredTag(n: number): number {
    return (this.predTags >>> this.physPred(n)) & 1;
  }

  /** Loop-end flag as defined in §7, from the current LSR. */
  loopEnd(): boolean {
    return this.vlc !== 0 && this.ecnt === 0 && this.lcnt >>> 0 < 2;
  }

  // ---- window management (§1, §5) ----

  /** Makes absolute registers [spilled, end) fit the 224-register file, spilling the oldest. */
  ensureResident(end: number): void {
    while (end - this.spilled > RF_SIZE) {
      this.spillOne(this.spilled);
      this.spilled++;
    }
  }

  /** Brings absolute registers [base, spilled) back from memory. */
  fillDown(base: number): void {
    while (this.spilled > base) {
      this.spilled--;
      this.fillOne(this.spilled);
    }
  }

  private spillOne(abs: number): void {
    const s = abs % RF_SIZE;
    const a = this.psBase + abs * 32;
    if (abs * 32 + 32 > this.psSize) this.trap(Exc.DataPage, a, 'procedure stack overflow');
    this.mem.write64(a, this.lo[s], this.hi[s]);
    this.mem.write64(a + 8, this.elo[s], this.ehi[s]);
    this.mem.write32(a + 16, this.tag[s]);
  }

  private fillOne(abs: number): void {
    const s = abs % RF_SIZE;
    const a = this.psBase + abs * 32;
    this.lo[s] = this.mem.read64(a);
    this.hi[s] = this.mem.hi;
    this.elo[s] = this.mem.read64(a + 8);
    this.ehi[s] = this.mem.hi;
    this.tag[s] = this.mem.read32(a + 16) & 0xff;
  }

  // ---- state-register views (§5.1, §7; QEMU layouts) ----

  lsrLo(): number {
    return this.lcnt | 0;
  }

  lsrHi(): number {
    return (
      (this.ecnt & 31) |
      (this.vlc << 5) |
      (this.over << 6) |
      (this.ldmc << 7) |
      ((this.ldovl & 0xff) << 8) |
      ((this.pcnt & 31) << 16) |
      ((this.strmd & 0x7f) << 21) |
      (this.semc << 28)
    );
  }

  setLsr(lo: number, hi: number): void {
    this.lcnt = lo >>> 0;
    this.ecnt = hi & 31;
    this.vlc = (hi >>> 5) & 1;
    this.over = (hi >>> 6) & 1;
    this.ldmc = (hi >>> 7) & 1;
    this.ldovl = (hi >>> 8) & 0xff;
    this.pcnt = (hi >>> 16) & 31;
    this.strmd = (hi >>> 21) & 0x7f;
    this.semc = (hi >>> 28) & 1;
  }

  /** %br (§2): [5:0] rbs, [11:6] rsz, [17:12] rcur, [22:18] psz, [27:23] pcur. */
  brValue(): number {
    const rsz = this.bSize ? this.bSize / 2 - 1 : 0;
    const psz = this.pSize ? this.pSize - 1 : 0;
    return (this.bOff / 2) | (rsz << 6) | ((this.bCur / 2) << 12) | (psz << 18) | (this.pCur << 23);
  }

  /** %wd, QEMU packing (§1): size*8 in 26:16 of the low word, psize*8 in 42:32, fx in 48. */
  wdLo(): number {
    return ((this.wdSize * 8) & 0x7ff) << 16;
  }

  wdHi(): number {
    return ((this.wdPsize * 8) & 0x7ff) | (this.wdFx << 16);
  }

  invalidateCtprs(): void {
    this.ctprTag[1] = this.ctprTag[2] = this.ctprTag[3] = CTPR_EMPTY;
  }
}
