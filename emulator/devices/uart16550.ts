// 16550A-compatible UART (register behaviour from the TI/National PC16550D datasheet).
// The wire is infinitely fast: a byte written to THR reaches the host at once, so THR/TSR
// are always empty again after a write (THRE/TEMT stay 1). Receive timing only matters
// for the FIFO character timeout, which fires 4 character times after the last RX
// activity (datasheet "FIFO Interrupt Mode Operation"), measured on the injected Clock at
// the programmed divisor (1.8432 MHz / 16 / divisor, 10 bits per character). The VMM
// calls poll() from its loop so that timeout can raise the line without a guest access.
import type { Clock, DeviceLog, IrqLine, MmioDevice, MmioWidth } from './bus';

// Register indices (offset >> regShift).
const RBR_THR_DLL = 0;
const IER_DLM = 1;
const IIR_FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;

export const IER_RDA = 0x01; // ERBFI: received data available (and timeout)
export const IER_THRE = 0x02; // ETBEI: transmitter holding register empty
export const IER_RLS = 0x04; // ELSI: receiver line status
export const IER_MS = 0x08; // EDSSI: modem status

export const IIR_NONE = 0x01;
export const IIR_RLS = 0x06;
export const IIR_RDA = 0x04;
export const IIR_TIMEOUT = 0x0c;
export const IIR_THRE = 0x02;
export const IIR_MS = 0x00;
export const IIR_FIFO_ON = 0xc0;

export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_PE = 0x04;
export const LSR_FE = 0x08;
export const LSR_BI = 0x10;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
export const LSR_FIFO_ERR = 0x80;

export const LCR_DLAB = 0x80;
export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;

const FIFO_SIZE = 16;
const TRIGGERS = [1, 4, 8, 14]; // FCR bits 7:6
const BASE_BAUD = 115200; // 1.8432 MHz crystal / 16

export interface ModemInputs {
  cts: boolean;
  dsr: boolean;
  ri: boolean;
  dcd: boolean;
}

export interface Uart16550Options {
  name?: string;
  irq?: IrqLine;
  clock?: Clock;
  /** Register stride is 1 << regShift bytes (0: PC layout, 2: 32-bit spaced registers). */
  regShift?: 0 | 2;
  /** Bytes the guest transmits (never in loopback mode). */
  onTransmit?: (bytes: Uint8Array) => void;
  /** Called when the guest frees RX FIFO space after receive() accepted fewer bytes. */
  onRxSpace?: () => void;
  log?: DeviceLog;
}

export class Uart16550 implements MmioDevice {
  readonly name: string;
  readonly size: number;
  private readonly shift: number;
  private readonly opts: Uart16550Options;
  private readonly clock: Clock;

  /** RX FIFO; each entry is the byte | its PE/FE/BI flags (LSR bit values) << 8. */
  private rx: number[] = [];
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private divisor = 1;
  private fifoOn = false;
  private trigger = 1;
  private lsrErr = 0; // latched OE/PE/FE/BI (bits 1..4), cleared by reading LSR
  private threPending = false; // THRE interrupt latch (datasheet IIR table note)
  private msrDelta = 0;
  private inputs = 0; // MSR bits 7:4 from the host side of the modem lines
  private lastRxNs = 0;
  private hostWaiting = false;
  private irqLevel = false;

  constructor(opts: Uart16550Options = {}) {
    this.opts = opts;
    this.name = opts.name ?? 'uart16550';
    this.shift = opts.regShift ?? 0;
    this.size = 8 << this.shift;
    this.clock = opts.clock ?? { nowNs: () => Date.now() * 1e6 };
    this.reset();
  }

  /** Master reset (datasheet Table "UART Reset Configuration"); the divisor is kept. */
  reset(): void {
    this.rx = [];
    this.ier = 0;
    this.lcr = 0;
    this.mcr = 0;
    this.scr = 0;
    this.fifoOn = false;
    this.trigger = 1;
    this.lsrErr = 0;
    this.threPending = false;
    this.msrDelta = 0;
    this.lastRxNs = this.clock.nowNs();
    this.spaceFreed();
    this.updateIrq();
  }

  // ---- host side -------------------------------------------------------------------

  /**
   * Bytes arriving on the serial input. Returns how many were accepted: never more than
   * the RX FIFO (or the single RBR when FIFOs are off) can hold, so nothing is dropped;
   * the host keeps the rest and retries after onRxSpace. In loopback mode the serial
   * input is disconnected (datasheet MCR bit 4), so nothing is accepted.
   */
  receive(bytes: Uint8Array): number {
    if (this.mcr & MCR_LOOP) {
      if (bytes.length) this.hostWaiting = true;
      return 0;
    }
    const free = this.capacity() - this.rx.length;
    const n = Math.min(free, bytes.length);
    for (let i = 0; i < n; i++) this.rx.push(bytes[i]);
    if (n < bytes.length) this.hostWaiting = true;
    if (n > 0) this.lastRxNs = this.clock.nowNs();
    this.updateIrq();
    return n;
  }

  /**
   * A break condition on the serial input: one zero character flagged BI enters the FIFO
   * (datasheet LSR bit 4), reported through LSR and the line status interrupt when it
   * reaches the top. Returns false, like receive() returning 0, when there is no room.
   */
  receiveBreak(): boolean {
    if (this.mcr & MCR_LOOP || this.rx.length >= this.capacity()) {
      this.hostWaiting = true;
      return false;
    }
    this.rx.push(LSR_BI << 8);
    this.lastRxNs = this.clock.nowNs();
    this.updateIrq();
    return true;
  }

  /** Host-side modem status inputs (ignored while in loopback). */
  setModemInputs(m: ModemInputs): void {
    const v = (m.cts ? 0x10 : 0) | (m.dsr ? 0x20 : 0) | (m.ri ? 0x40 : 0) | (m.dcd ? 0x80 : 0);
    const before = this.msrInputs();
    this.inputs = v;
    this.noteMsrChange(before, this.msrInputs());
    this.updateIrq();
  }

  /** Re-evaluates the character timeout against the clock; call periodically. */
  poll(): void {
    this.updateIrq();
  }

  /** Free RX space, for hosts that prefer polling over onRxSpace. */
  rxFree(): number {
    return this.capacity() - this.rx.length;
  }

  // ---- guest side ------------------------------------------------------------------

  read(offset: number, _width: MmioWidth): number {
    const reg = this.regIndex(offset);
    let v: number;
    switch (reg) {
      case RBR_THR_DLL:
        v = this.lcr & LCR_DLAB ? this.divisor & 0xff : this.readRbr();
        break;
      case IER_DLM:
        v = this.lcr & LCR_DLAB ? (this.divisor >> 8) & 0xff : this.ier;
        break;
      case IIR_FCR: {
        const id = this.pendingId();
        // Reading IIR while THRE is the reported source clears it (datasheet IIR table).
        if (id === IIR_THRE) this.threPending = false;
        v = id | (this.fifoOn ? IIR_FIFO_ON : 0);
        break;
      }
      case LCR:
        v = this.lcr;
        break;
      case MCR:
        v = this.mcr;
        break;
      case LSR:
        v = (this.rx.length ? LSR_DR : 0) | this.lineErrors() | LSR_THRE | LSR_TEMT;
        // Reading LSR clears bits 1..4; the flags of the character at the FIFO top are
        // the ones reported, so they are consumed here (datasheet LSR description).
        this.lsrErr = 0;
        if (this.rx.length) this.rx[0] &= 0xff;
        if (this.fifoOn && this.rx.some((e) => e > 0xff)) v |= LSR_FIFO_ERR;
        break;
      case MSR:
        v = this.msrInputs() | this.msrDelta;
        this.msrDelta = 0;
        break;
      case SCR:
        v = this.scr;
        break;
      default:
        v = 0;
    }
    this.updateIrq();
    return v;
  }

  write(offset: number, _width: MmioWidth, value: number): void {
    const reg = this.regIndex(offset);
    const b = value & 0xff;
    switch (reg) {
      case RBR_THR_DLL:
        if (this.lcr & LCR_DLAB) this.divisor = (this.divisor & 0xff00) | b;
        else this.writeThr(b);
        break;
      case IER_DLM:
        if (this.lcr & LCR_DLAB) {
          this.divisor = (this.divisor & 0xff) | (b << 8);
        } else {
          // Enabling ETBEI while THR is empty raises THRE at once (datasheet; Linux's
          // 8250 driver probes for exactly this).
          if (b & IER_THRE && !(this.ier & IER_THRE)) this.threPending = true;
          this.ier = b & 0x0f;
        }
        break;
      case IIR_FCR:
        this.writeFcr(b);
        break;
      case LCR:
        this.lcr = b;
        break;
      case MCR: {
        const before = this.msrInputs();
        this.mcr = b & 0x1f;
        this.noteMsrChange(before, this.msrInputs());
        this.spaceFreed(); // leaving loopback reconnects the serial input
        break;
      }
      case SCR:
        this.scr = b;
        break;
      default:
        break; // LSR/MSR are read-only; writes have no effect
    }
    this.updateIrq();
  }

  // ---- internals -------------------------------------------------------------------

  private regIndex(offset: number): number {
    if (offset < 0 || offset >= this.size || offset & ((1 << this.shift) - 1)) return -1;
    return offset >> this.shift;
  }

  private capacity(): number {
    return this.fifoOn ? FIFO_SIZE : 1;
  }

  private readRbr(): number {
    if (this.rx.length === 0) return 0;
    const v = (this.rx.shift() as number) & 0xff;
    this.lastRxNs = this.clock.nowNs(); // a read restarts the timeout timer
    this.spaceFreed();
    return v;
  }

  private writeThr(b: number): void {
    this.threPending = false; // writing THR clears the THRE interrupt
    if (this.mcr & MCR_LOOP) {
      // TSR output is looped back to RSR. A character completing while the FIFO (or
      // RBR) is full is an overrun: FIFO mode keeps the FIFO and loses the new byte,
      // 16450 mode overwrites RBR (datasheet LSR bit 1).
      if (this.rx.length < this.capacity()) {
        this.rx.push(b);
      } else {
        this.lsrErr |= LSR_OE;
        if (!this.fifoOn) this.rx[0] = b;
      }
      this.lastRxNs = this.clock.nowNs();
    } else {
      this.opts.onTransmit?.(Uint8Array.of(b));
    }
    this.threPending = true; // the infinitely fast wire empties THR immediately
  }

  private writeFcr(b: number): void {
    const enable = (b & 0x01) !== 0;
    if (enable !== this.fifoOn) {
      // Changing FCR0 clears both FIFOs (datasheet FCR bit 0).
      this.rx = [];
      this.fifoOn = enable;
    }
    if (!enable) {
      this.spaceFreed();
      return; // other bits are only programmed with FCR0 = 1
    }
    if (b & 0x02) this.rx = [];
    this.trigger = TRIGGERS[(b >> 6) & 3];
    this.spaceFreed();
  }

  /** Tells a host that was turned away that it may send again. */
  private spaceFreed(): void {
    if (this.hostWaiting && !(this.mcr & MCR_LOOP) && this.rx.length < this.capacity()) {
      this.hostWaiting = false;
      this.opts.onRxSpace?.();
    }
  }

  private msrInputs(): number {
    if (!(this.mcr & MCR_LOOP)) return this.inputs;
    // Loopback: CTS<-RTS, DSR<-DTR, RI<-OUT1, DCD<-OUT2 (datasheet MCR bit 4).
    const m = this.mcr;
    return (
      (m & MCR_RTS ? 0x10 : 0) |
      (m & MCR_DTR ? 0x20 : 0) |
      (m & MCR_OUT1 ? 0x40 : 0) |
      (m & MCR_OUT2 ? 0x80 : 0)
    );
  }

  private noteMsrChange(before: number, after: number): void {
    const changed = before ^ after;
    if (changed & 0x10) this.msrDelta |= 0x01; // DCTS
    if (changed & 0x20) this.msrDelta |= 0x02; // DDSR
    if (before & 0x40 && !(after & 0x40)) this.msrDelta |= 0x04; // TERI: trailing edge
    if (changed & 0x80) this.msrDelta |= 0x08; // DDCD
  }

  /** OE plus the PE/FE/BI flags of the character at the top of the FIFO. */
  private lineErrors(): number {
    return this.lsrErr | (this.rx.length ? this.rx[0] >> 8 : 0);
  }

  private timedOut(): boolean {
    if (!this.fifoOn || this.rx.length === 0) return false;
    const charNs = (10 * 1e9 * Math.max(1, this.divisor)) / BASE_BAUD;
    return this.clock.nowNs() - this.lastRxNs >= 4 * charNs;
  }

  /** Highest-priority pending interrupt (datasheet Table "Interrupt Control Functions"). */
  private pendingId(): number {
    if (this.ier & IER_RLS && this.lineErrors()) return IIR_RLS;
    if (this.ier & IER_RDA) {
      const ready = this.fifoOn ? this.rx.length >= this.trigger : this.rx.length > 0;
      if (ready) return IIR_RDA;
      if (this.timedOut()) return IIR_TIMEOUT;
    }
    if (this.ier & IER_THRE && this.threPending) return IIR_THRE;
    if (this.ier & IER_MS && this.msrDelta) return IIR_MS;
    return IIR_NONE;
  }

  private updateIrq(): void {
    const level = this.pendingId() !== IIR_NONE;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.opts.irq?.setLevel(level);
    }
  }
}
