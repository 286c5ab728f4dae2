/**
 * The MMU of one core: registers + TLB + walker, plus the privileged access path the CPU
 * uses for MAS 0x47 (registers) and MAS 0x17/0x27 (TLB flushes). Pure: physical memory is
 * reached only through the `PhysReader` given at construction.
 *
 * Translation (system.md §3.3, §6.4):
 * - MMU_CR.tlb_en = 0 → non-paged: PA = VA (VA ≥ 2^48 → illegal_page fault);
 * - root = U_PPTB (united mode), or OS_PPTB for VA ≥ OS_VAB when CORE_MODE.sep_virt_space;
 * - PTE format from CORE_MODE.pt_v6;
 * - the TLB is tagged by PID (CONT); permission checks are repeated on every hit.
 * CORE_MODE is a CPU register, so the CPU pushes its value in with `setCoreMode`.
 */
import { ACC_EXEC, ACC_WRITE, EXC_DATA_PAGE, EXC_INSTR_PAGE_MISS, FT_ILLEGAL_PAGE, FT_NWRITE_PAGE, FT_PRIV_PAGE, FT_PROT_PAGE, type Access } from './fault'; // prettier-ignore
import { F_NX, F_PV, F_W } from './pte';
import {
  MAS_MMU_REG,
  MAS_TLB_FLUSH,
  MAS_TLB_PAGE_FLUSH,
  MMU_CR,
  MMU_CR_TLB_EN,
  MmuRegs,
  mmuRegFromAddr,
  OS_PPTB,
  OS_VAB,
  PID,
  TRAP_COUNT,
  TRAP_POINT,
  U_PPTB,
} from './regs';
import { Tlb } from './tlb';
import { PhysPteFetcher, walk, WALK_FAULT, WALK_OK, WalkResult, type PhysReader } from './walk';

export const CORE_MODE_SEP_VIRT_SPACE = 1 << 2;
export const CORE_MODE_PT_V6 = 1 << 5;

export interface MmuOptions {
  /** Accept HUGE at PUD level as a 1 GiB page (uncertain per system.md §3.1). Default true. */
  allowHuge1G?: boolean;
  tlbCapacity?: number;
}

export class Mmu {
  readonly regs = new MmuRegs();
  readonly tlb: Tlb;
  coreMode = 0;
  /** High half of the last `readReg`. */
  hi = 0;
  walks = 0;
  faults = 0;
  private readonly fetcher: PhysPteFetcher;
  private readonly allowHuge1G: boolean;

  constructor(mem: PhysReader, opts: MmuOptions = {}) {
    this.fetcher = new PhysPteFetcher(mem);
    this.tlb = new Tlb(opts.tlbCapacity ?? 4096);
    this.allowHuge1G = opts.allowHuge1G ?? true;
  }

  setCoreMode(v: number): void {
    if ((v ^ this.coreMode) & (CORE_MODE_PT_V6 | CORE_MODE_SEP_VIRT_SPACE)) this.tlb.flushAll();
    this.coreMode = v >>> 0;
  }

  get paging(): boolean {
    return (this.regs.lo[MMU_CR] & MMU_CR_TLB_EN) !== 0;
  }

  /** Root table for `va` (united or separate mode). */
  rootFor(va: number): number {
    if (this.coreMode & CORE_MODE_SEP_VIRT_SPACE && va >= this.regs.get(OS_VAB))
      return this.regs.get(OS_PPTB);
    return this.regs.get(U_PPTB);
  }

  /**
   * Translates `va`; the result (reused `out`) has status WALK_OK with `pa`, or WALK_FAULT
   * with faultType / missLevel / exc for the trap cellar and TIR.
   */
  translate(va: number, access: Access, pm: boolean, out = new WalkResult()): WalkResult {
    if (!this.paging) {
      out.faultType = 0;
      if (va >= 0 && va < 2 ** 48 && va === Math.floor(va)) {
        out.status = WALK_OK;
        out.pa = va;
        out.flags = 0;
        out.level = 0;
        out.pageSize = 4096;
        return out;
      }
      out.status = WALK_FAULT;
      out.faultType = FT_ILLEGAL_PAGE;
      out.level = 4;
      out.missLevel = 3;
      out.exc = access === ACC_EXEC ? EXC_INSTR_PAGE_MISS : EXC_DATA_PAGE;
      this.faults++;
      return out;
    }
    const ctx = this.regs.lo[PID] & 0xfff;
    const e = this.tlb.lookup(va, ctx);
    if (e) {
      // Leaf permission checks again: the TLB caches the translation, not the decision.
      const fl = e.flags;
      const ft =
        access === ACC_WRITE && !(fl & F_W)
          ? FT_NWRITE_PAGE
          : !pm && fl & F_PV
            ? FT_PRIV_PAGE
            : access === ACC_EXEC && fl & F_NX
              ? FT_PROT_PAGE
              : 0;
      if (ft === 0) {
        out.status = WALK_OK;
        out.pa = e.base + (va % e.size);
        out.flags = fl;
        out.pageSize = e.size;
        out.faultType = 0;
        return out;
      }
      // Fall through to a fresh walk: it reports the fault with its level.
    }
    this.walks++;
    const p = {
      root: this.rootFor(va),
      v6: (this.coreMode & CORE_MODE_PT_V6) !== 0,
      pm,
      allowHuge1G: this.allowHuge1G,
    };
    walk(va, access, p, this.fetcher, out);
    if (out.status === WALK_OK) {
      const base = out.pa - (va % out.pageSize);
      this.tlb.insert(va, ctx, base, out.flags, out.pageSize);
    } else this.faults++;
    return out;
  }

  /**
   * Appends one trap-cellar record {address, data, condition} (system.md §2.6) at
   * TRAP_POINT + 8·TRAP_COUNT and adds 3 to TRAP_COUNT. Returns false (nothing written)
   * when the cellar is full (128 dwords incl. the extension area → 21 base records of 3
   * dwords below the extension at +512) — the CPU then treats it as a fatal machine error.
   */
  writeTrapCellar(
    mem: PhysReader & { write64(addr: number, lo: number, hi: number): void },
    address: number,
    dataLo: number,
    dataHi: number,
    cond: { lo: number; hi: number },
  ): boolean {
    const count = this.regs.lo[TRAP_COUNT];
    if (count + 3 > 64) return false;
    const at = this.regs.get(TRAP_POINT) + count * 8;
    mem.write64(at, (address % 2 ** 32) >>> 0, Math.floor(address / 2 ** 32) >>> 0);
    mem.write64(at + 8, dataLo >>> 0, dataHi >>> 0);
    mem.write64(at + 16, cond.lo >>> 0, cond.hi >>> 0);
    this.regs.write(TRAP_COUNT, count + 3, 0);
    return true;
  }

  // --- privileged access path ---------------------------------------------------------

  /** MAS 0x47 load: returns the low half (high in `this.hi`); -1 if no such register. */
  readReg(addr: number): number {
    const r = mmuRegFromAddr(addr);
    if (r < 0) return -1;
    this.hi = this.regs.hi[r];
    return this.regs.lo[r];
  }

  /** MAS 0x47 store. Returns false for an address naming no register. */
  writeReg(addr: number, lo: number, hi: number): boolean {
    const r = mmuRegFromAddr(addr);
    if (r < 0) return false;
    const oldCr = this.regs.lo[MMU_CR];
    this.regs.write(r, lo, hi);
    // Turning translation on/off changes every mapping; drop cached ones (our choice — the
    // docs bracket such writes with explicit flushes anyway).
    if (r === MMU_CR && (oldCr ^ this.regs.lo[MMU_CR]) & MMU_CR_TLB_EN) this.tlb.flushAll();
    return true;
  }

  /**
   * Special-MAS stores of system.md §3.5. Returns true if the operation was recognized
   * (unknown addresses are ignored without a fault, as §3.5 allows no-ops).
   */
  flushOp(mas: number, addr: number, valueLo: number, valueHi: number): boolean {
    if (mas === MAS_TLB_FLUSH && addr === 1) {
      this.tlb.flushAll();
      return true;
    }
    if (mas === MAS_TLB_PAGE_FLUSH && (addr === 1 || addr === 3)) {
      // value: VA[47:0] | context << 50 (bits 61:50).
      const va = (valueLo >>> 0) + (valueHi & 0xffff) * 2 ** 32;
      const ctx = (valueHi >>> 18) & 0xfff;
      if (addr === 1) this.tlb.flushPage(va, ctx);
      else this.tlb.flushAll(); // TLU form: (VA tag << 21) | level — conservative full flush
      return true;
    }
    return mas === MAS_TLB_FLUSH || mas === MAS_TLB_PAGE_FLUSH || mas === MAS_MMU_REG;
  }

  snapshot(): object {
    return {
      coreMode: this.coreMode,
      regs: this.regs.snapshot(),
      tlb: this.tlb.snapshot(),
      walks: this.walks,
      faults: this.faults,
    };
  }
}
