/**
 * Virtual CEPIC of one vCPU (virtualization.md §5, appendix B; system.md §4.2) as a pure
 * model: the guest-visible register bank, the in-memory page image used while the vCPU is
 * not running (posting), pending-interrupt evaluation with priorities, IPIs through the
 * VM's destination table (DAT, see `VirtualEpic`), and the local timer driven by an
 * injected clock (`advance(ticks)` / `advanceTo(now)`; one tick = one CEPIC input-clock
 * period, the VMM chooses the frequency).
 *
 * Choices where the docs are silent (README "CEPIC"):
 * - priority of vector v = 1 + ((v >> 8) & 3) (§4.2); a pending vector is deliverable iff its
 *   priority > CPR; among deliverable vectors the highest number wins;
 * - VECT_INTA read returns vect | old CPR << 16, moves the vector to CIR (stat = 1) and raises
 *   CPR to the vector's priority; EOI clears CIR.stat and sets CPR = EOI.rcpr (bits 18:16)
 *   — inferred from the field names (INTA.cpr, EOI.rcpr);
 * - INTA with nothing deliverable returns the SVR spurious vector;
 * - CTRL.soft_en = 0 keeps interrupts pending but undeliverable;
 * - PNMIRR_MASK bit = 1 masks that NMI reason;
 * - TIMER_DIV uses the LAPIC divide encoding (0xB = ÷1 is the only documented value);
 * - guest ICR layout: vect 9:0, dst_sh 11:10, stat 12, dlvm 15:13, dst 41:32 (system.md
 *   §4.2); appendix B's 49:40 dst with gst_id 31:20 is the host ICR/EPIC_INT2 layout.
 */

export const CEPIC_REG = {
  CTRL: 0x000, ID: 0x010, CPR: 0x070, ESR: 0x080, ESR2: 0x090, EOI: 0x0a0, CIR: 0x0b0,
  PMIRR: 0x100, PNMIRR: 0x1e0, ESR_NEW: 0x1f0, ICR: 0x200, ICR2: 0x204, TIMER_LVTT: 0x220,
  TIMER_INIT: 0x230, TIMER_CUR: 0x240, TIMER_DIV: 0x250, NM_TIMER_LVTT: 0x260,
  NM_TIMER_INIT: 0x270, NM_TIMER_CUR: 0x280, NM_TIMER_DIV: 0x290, SVR: 0x2a0,
  PNMIRR_MASK: 0x2d0, VECT_INTA: 0x2f0,
} as const; // prettier-ignore

/** In-memory per-vCPU CEPIC page (`epic_page_t`) byte offsets, appendix B. */
export const CEPIC_PAGE = {
  ctrl: 0x000, id: 0x004, cpr: 0x008, esr: 0x00c, esr2: 0x010, cir: 0x014, esr_new: 0x018,
  svr: 0x01c, icr: 0x020, timer_lvtt: 0x028, timer_init: 0x02c, timer_cur: 0x030,
  timer_div: 0x034, nm_timer: 0x038, pnmirr_mask: 0x048, pmirr: 0x100, pnmirr: 0x1e0,
  pnmirr_byte: 0x600, pmirr_byte: 0x800,
} as const; // prettier-ignore

export const CTRL_BSP = 1 << 8;
export const CTRL_SOFT_EN = 1 << 10;
export const LVTT_MASK = 1 << 16;
export const LVTT_PERIODIC = 1 << 17;
export const STAT = 1 << 12;

// PNMIRR bits (appendix B).
export const PNMIRR_SMI = 1 << 9;
export const PNMIRR_NMI = 1 << 10;
export const PNMIRR_INIT = 1 << 11;
export const PNMIRR_STARTUP = 1 << 12;
export const PNMIRR_INT_VIOLAT = 1 << 13;
export const PNMIRR_NM_TIMER = 1 << 16;
export const PNMIRR_NM_SPECIAL = 1 << 17;
const PNMIRR_REASONS = 0x33e00;

export const vectorPriority = (v: number): number => 1 + ((v >>> 8) & 3);

export const DLVM = { FIXED_EXT: 0, FIXED_IPI: 1, SMI: 2, NM_SPECIAL: 3, NMI: 4, INIT: 5, STARTUP: 6 } as const; // prettier-ignore
export const DST_SH = { EXACT: 0, SELF: 1, ALL_BUT_SELF: 2, ALL: 3 } as const;

export interface IpiMessage {
  vect: number;
  dstSh: number;
  dlvm: number;
  dst: number;
}

export function decodeIcr(lo: number, hi: number): IpiMessage {
  return { vect: lo & 0x3ff, dstSh: (lo >>> 10) & 3, dlvm: (lo >>> 13) & 7, dst: hi & 0x3ff };
}

const DIVIDE: Readonly<Record<number, number>> = { 0: 2, 1: 4, 2: 8, 3: 16, 8: 32, 9: 64, 10: 128, 11: 1 }; // prettier-ignore

export class VirtualCepic {
  /** MmioDevice shape (memory/mmio.ts and devices/bus.ts): guest window of 8 KiB (§4.2). */
  readonly name = 'cepic';
  readonly size = 0x2000;
  /** 64-bit ICR writes must arrive whole (the low-half write sends the IPI). */
  readonly native64 = true;
  ctrl = 0;
  id = 0;
  cpr = 0;
  esr = 0;
  esr2 = 0;
  cir = 0;
  esrNew = 0;
  svr = 0x3ff;
  icrLo = 0;
  icrHi = 0;
  timerLvtt = LVTT_MASK;
  timerInit = 0;
  timerCur = 0;
  timerDiv = 0xb;
  readonly nmTimer = new Uint32Array(4); // LVTT, INIT, CUR, DIV: stored only
  pnmirrMask = PNMIRR_NM_SPECIAL | PNMIRR_NM_TIMER | PNMIRR_INT_VIOLAT;
  pnmirr = 0;
  /** Pending maskable interrupts in the bank: 1024 bits. */
  readonly pmirr = new Uint32Array(32);
  /** The in-memory page's PMIRR/PNMIRR: where interrupts are posted while out. */
  readonly postedPmirr = new Uint32Array(32);
  postedPnmirr = 0;
  /** Loaded on a core (DAT entry active). */
  running = false;
  /** Fraction of a timer count accumulated from clock ticks. */
  private timerFrac = 0;
  private lastTick: number | null = null;
  /** Set by VirtualEpic: routes guest ICR writes. */
  onIcr: ((m: IpiMessage) => void) | null = null;
  injected = 0;
  posted = 0;
  timerFires = 0;

  constructor(cepicId = 0, bsp = false) {
    this.id = cepicId & 0x30f;
    if (bsp) this.ctrl |= CTRL_BSP;
  }

  /** Power-on state (vCPU reset, virtualization.md §6.2 step 5); keeps id/BSP and DAT hook. */
  reset(): void {
    this.ctrl &= CTRL_BSP;
    this.cpr = this.esr = this.esr2 = this.cir = this.esrNew = this.icrLo = this.icrHi = 0;
    this.svr = 0x3ff;
    this.timerLvtt = LVTT_MASK;
    this.timerInit = this.timerCur = this.timerFrac = 0;
    this.timerDiv = 0xb;
    this.nmTimer.fill(0);
    this.pnmirrMask = PNMIRR_NM_SPECIAL | PNMIRR_NM_TIMER | PNMIRR_INT_VIOLAT;
    this.pnmirr = this.postedPnmirr = 0;
    this.pmirr.fill(0);
    this.postedPmirr.fill(0);
  }

  // --- interrupt sources -------------------------------------------------------------

  /** Host/device injection of a maskable vector: bank if running, else posted. */
  inject(vector: number): void {
    const v = vector & 0x3ff;
    if (this.running) {
      this.pmirr[v >>> 5] |= 1 << (v & 31);
      this.injected++;
    } else {
      this.postedPmirr[v >>> 5] |= 1 << (v & 31);
      this.posted++;
    }
  }

  /** NMI-class reasons (PNMIRR bits), `startupEntry` for STARTUP. */
  injectNm(bits: number, startupEntry = 0): void {
    const b = (bits & PNMIRR_REASONS) | (bits & PNMIRR_STARTUP ? startupEntry & 0xff : 0);
    if (this.running) this.pnmirr |= b;
    else this.postedPnmirr |= b;
    if (this.running) this.injected++;
    else this.posted++;
  }

  /** Delivers a message according to its delivery mode. */
  deliver(m: IpiMessage): void {
    switch (m.dlvm) {
      case DLVM.FIXED_EXT:
      case DLVM.FIXED_IPI:
        return this.inject(m.vect);
      case DLVM.SMI:
        return this.injectNm(PNMIRR_SMI);
      case DLVM.NM_SPECIAL:
        return this.injectNm(PNMIRR_NM_SPECIAL);
      case DLVM.NMI:
        return this.injectNm(PNMIRR_NMI);
      case DLVM.INIT:
        return this.injectNm(PNMIRR_INIT);
      case DLVM.STARTUP:
        return this.injectNm(PNMIRR_STARTUP, m.vect);
      default:
        this.esr |= 1 << 5; // illegal delivery mode: recorded as an error (our choice)
    }
  }

  // --- load / put (§5.2) ---------------------------------------------------------------

  /** vcpu_load: merge posted bits into the bank (PMIRR_OR / PNMIRR_OR). */
  load(): void {
    for (let i = 0; i < 32; i++) {
      this.pmirr[i] |= this.postedPmirr[i];
      this.postedPmirr[i] = 0;
    }
    this.pnmirr |= this.postedPnmirr;
    this.postedPnmirr = 0;
    this.running = true;
  }

  /** vcpu_put: from now on interrupts are posted into the page. */
  put(): void {
    this.running = false;
  }

  // --- evaluation ------------------------------------------------------------------------

  /** Highest deliverable pending vector in the bank, or -1. */
  pendingVector(): number {
    if (!(this.ctrl & CTRL_SOFT_EN)) return -1;
    const cpr = (this.cpr >>> 8) & 7;
    for (let w = 31; w >= 0; w--) {
      const bitsW = this.pmirr[w];
      if (!bitsW) continue;
      const v = w * 32 + 31 - Math.clz32(bitsW);
      return vectorPriority(v) > cpr ? v : -1; // lower vectors have priority ≤ this one
    }
    return -1;
  }

  pendingNmi(): number {
    return this.pnmirr & ~this.pnmirrMask & PNMIRR_REASONS;
  }

  /** Should a blocked vCPU wake up? Looks at the bank and the posted page. */
  wakeupPending(): boolean {
    if (this.pendingNmi() || this.postedPnmirr & ~this.pnmirrMask & PNMIRR_REASONS) return true;
    if (this.pendingVector() >= 0) return true;
    if (!(this.ctrl & CTRL_SOFT_EN)) return false;
    const cpr = (this.cpr >>> 8) & 7;
    for (let w = 31; w >= 0; w--)
      if (this.postedPmirr[w])
        return vectorPriority(w * 32 + 31 - Math.clz32(this.postedPmirr[w])) > cpr;
    return false;
  }

  /** VECT_INTA read (acknowledge). */
  inta(): number {
    const v = this.pendingVector();
    if (v < 0) return this.svr & 0x3ff;
    this.pmirr[v >>> 5] &= ~(1 << (v & 31));
    const old = (this.cpr >>> 8) & 7;
    this.cir = v | STAT;
    this.cpr = vectorPriority(v) << 8;
    return (v | (old << 16)) >>> 0;
  }

  /** EOI write. */
  eoi(value: number): void {
    this.cir &= ~STAT;
    this.cpr = ((value >>> 16) & 7) << 8;
  }

  // --- timer ---------------------------------------------------------------------------

  get timerDivisor(): number {
    return DIVIDE[this.timerDiv & 0xf] ?? 1;
  }

  /** Clock ticks until the timer fires, or -1 when it is stopped. */
  ticksToExpiry(): number {
    if (this.timerCur === 0) return -1;
    return this.timerCur * this.timerDivisor - this.timerFrac;
  }

  advance(ticks: number): void {
    if (!(ticks > 0) || this.timerCur === 0) return;
    const div = this.timerDivisor;
    const counts = Math.floor((this.timerFrac + ticks) / div);
    this.timerFrac = (this.timerFrac + ticks) % div;
    if (counts < this.timerCur) {
      this.timerCur -= counts;
      return;
    }
    this.fireTimer();
    if (this.timerLvtt & LVTT_PERIODIC && this.timerInit > 0) {
      const rest = (counts - this.timerCur) % this.timerInit;
      this.timerCur = this.timerInit - rest;
    } else {
      this.timerCur = 0;
      this.timerFrac = 0;
    }
  }

  /** Advances to absolute clock value `now` (first call only sets the reference). */
  advanceTo(now: number): void {
    if (this.lastTick !== null && now > this.lastTick) this.advance(now - this.lastTick);
    this.lastTick = now;
  }

  private fireTimer(): void {
    this.timerFires++;
    if (!(this.timerLvtt & LVTT_MASK)) this.inject(this.timerLvtt & 0x3ff);
  }

  // --- register interface (MmioDevice-compatible) ----------------------------------------

  read(offset: number, width: number): number {
    const R = CEPIC_REG;
    if (offset >= R.PMIRR && offset < R.PMIRR + 0x80) {
      const i = (offset - R.PMIRR) >>> 2;
      return width === 8 ? this.pmirr[i] + this.pmirr[i + 1] * 2 ** 32 : this.pmirr[i];
    }
    switch (offset) {
      case R.CTRL: return this.ctrl;
      case R.ID: return this.id;
      case R.CPR: return this.cpr;
      case R.ESR: return this.esr;
      case R.ESR2: return this.esr2;
      case R.CIR: return this.cir;
      case R.PNMIRR: return this.pnmirr;
      case R.ESR_NEW: return this.esrNew;
      case R.ICR: return width === 8 ? this.icrLo + this.icrHi * 2 ** 32 : this.icrLo;
      case R.ICR2: return this.icrHi;
      case R.TIMER_LVTT: return this.timerLvtt;
      case R.TIMER_INIT: return this.timerInit;
      case R.TIMER_CUR: return this.timerCur;
      case R.TIMER_DIV: return this.timerDiv;
      case R.NM_TIMER_LVTT: case R.NM_TIMER_INIT: case R.NM_TIMER_CUR: case R.NM_TIMER_DIV:
        return this.nmTimer[(offset - R.NM_TIMER_LVTT) >>> 4];
      case R.SVR: return this.svr;
      case R.PNMIRR_MASK: return this.pnmirrMask;
      case R.VECT_INTA: return this.inta();
      default: return 0;
    } // prettier-ignore
  }

  write(offset: number, width: number, value: number): void {
    const R = CEPIC_REG;
    const v = value >>> 0;
    switch (offset) {
      case R.CTRL: this.ctrl = (this.ctrl & CTRL_BSP) | (v & CTRL_SOFT_EN); return; // bsp_core read-only (our choice)
      case R.CPR: this.cpr = v & 0x700; return;
      case R.ESR: this.esr = 0; return; // write clears (LAPIC-like; our choice)
      case R.ESR2: this.esr2 = v & 0x111ff; return;
      case R.EOI: this.eoi(v); return;
      case R.ESR_NEW: this.esrNew = v; return;
      case R.PNMIRR: this.pnmirr &= ~v; return; // write-1-to-clear (our choice)
      case R.ICR2: this.icrHi = v; return;
      case R.ICR:
        this.icrLo = v;
        if (width === 8) this.icrHi = Math.floor(value / 2 ** 32) >>> 0;
        this.onIcr?.(decodeIcr(this.icrLo, this.icrHi));
        return;
      case R.TIMER_LVTT: this.timerLvtt = v & (0x3ff | LVTT_MASK | LVTT_PERIODIC); return;
      case R.TIMER_INIT:
        this.timerInit = v;
        this.timerCur = v;
        this.timerFrac = 0;
        return;
      case R.TIMER_DIV: this.timerDiv = v & 0xf; return;
      case R.NM_TIMER_LVTT: case R.NM_TIMER_INIT: case R.NM_TIMER_CUR: case R.NM_TIMER_DIV:
        this.nmTimer[(offset - R.NM_TIMER_LVTT) >>> 4] = v; return;
      case R.SVR: this.svr = v & 0x3ff; return;
      case R.PNMIRR_MASK: this.pnmirrMask = v & PNMIRR_REASONS; return;
      default: return; // read-only or unknown: ignored
    } // prettier-ignore
  }

  /**
   * Writes the in-memory CEPIC page (`epic_page_t`, appendix B byte offsets) through
   * `write32(offset, value)`; PMIRR words include bits posted while the vCPU was out. The
   * byte-per-vector "bgi" arrays (0x600, 0x800) are not used by this model.
   */
  savePage(write32: (offset: number, value: number) => void): void {
    const P = CEPIC_PAGE;
    write32(P.ctrl, this.ctrl);
    write32(P.id, this.id);
    write32(P.cpr, this.cpr);
    write32(P.esr, this.esr);
    write32(P.esr2, this.esr2);
    write32(P.cir, this.cir);
    write32(P.esr_new, this.esrNew);
    write32(P.svr, this.svr);
    write32(P.icr, this.icrLo);
    write32(P.icr + 4, this.icrHi);
    write32(P.timer_lvtt, this.timerLvtt);
    write32(P.timer_init, this.timerInit);
    write32(P.timer_cur, this.timerCur);
    write32(P.timer_div, this.timerDiv);
    for (let i = 0; i < 4; i++) write32(P.nm_timer + 4 * i, this.nmTimer[i]);
    write32(P.pnmirr_mask, this.pnmirrMask);
    for (let i = 0; i < 32; i++) write32(P.pmirr + 4 * i, this.pmirr[i] | this.postedPmirr[i]);
    write32(P.pnmirr, this.pnmirr | this.postedPnmirr);
  }

  /** Loads the bank from a page written by `savePage` (or by a VMM); running = false. */
  loadPage(read32: (offset: number) => number): void {
    const P = CEPIC_PAGE;
    this.ctrl = read32(P.ctrl) & (CTRL_BSP | CTRL_SOFT_EN);
    this.id = read32(P.id) & 0x30f;
    this.cpr = read32(P.cpr) & 0x700;
    this.esr = read32(P.esr) >>> 0;
    this.esr2 = read32(P.esr2) >>> 0;
    this.cir = read32(P.cir) & (0x3ff | STAT);
    this.esrNew = read32(P.esr_new) >>> 0;
    this.svr = read32(P.svr) & 0x3ff;
    this.icrLo = read32(P.icr) >>> 0;
    this.icrHi = read32(P.icr + 4) >>> 0;
    this.timerLvtt = read32(P.timer_lvtt) & (0x3ff | LVTT_MASK | LVTT_PERIODIC);
    this.timerInit = read32(P.timer_init) >>> 0;
    this.timerCur = read32(P.timer_cur) >>> 0;
    this.timerDiv = read32(P.timer_div) & 0xf;
    for (let i = 0; i < 4; i++) this.nmTimer[i] = read32(P.nm_timer + 4 * i);
    this.pnmirrMask = read32(P.pnmirr_mask) & PNMIRR_REASONS;
    for (let i = 0; i < 32; i++) this.pmirr[i] = read32(P.pmirr + 4 * i);
    this.pnmirr = read32(P.pnmirr) >>> 0;
    this.postedPmirr.fill(0);
    this.postedPnmirr = 0;
    this.timerFrac = 0;
    this.running = false;
  }

  snapshot(): object {
    const hex = (a: Uint32Array) => Array.from(a, (x) => x.toString(16).padStart(8, '0')).reverse().join(''); // prettier-ignore
    return {
      id: this.id, ctrl: this.ctrl, cpr: this.cpr, cir: this.cir, svr: this.svr, esr: this.esr,
      pnmirr: this.pnmirr, pnmirrMask: this.pnmirrMask, pmirr: hex(this.pmirr),
      postedPmirr: hex(this.postedPmirr), postedPnmirr: this.postedPnmirr,
      timer: { lvtt: this.timerLvtt, init: this.timerInit, cur: this.timerCur, div: this.timerDiv },
      running: this.running, injected: this.injected, posted: this.posted, timerFires: this.timerFires,
    }; // prettier-ignore
  }
}
