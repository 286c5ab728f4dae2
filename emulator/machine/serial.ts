/**
 * Host side of a board UART (api.ts `MachineSerial`). Output: what the guest transmits is
 * queued until the host drains it. Input: the host's bytes wait in a bounded queue and are
 * fed into the 16550A as its RX FIFO frees up (`onRxSpace`), so nothing the UART accepted
 * is ever dropped; `input()` answers how much it took, which is the host's flow control.
 */
import type { MachineSerial } from './api';
import type { Uart16550 } from '../devices/uart16550';

/** Host → guest bytes held outside the UART. */
export const INPUT_QUEUE = 4096;
/** Guest → host bytes kept for a host that does not drain; older output is dropped beyond. */
export const OUTPUT_CAP = 8 << 20;

export class SerialPort implements MachineSerial {
  private out: Uint8Array[] = [];
  private outBytes = 0;
  private inQ = new Uint8Array(INPUT_QUEUE);
  private inLen = 0;
  private uart: Uart16550 | null = null;
  /** Output bytes dropped because the host did not drain (never input). */
  dropped = 0;
  txBytes = 0;
  rxBytes = 0;

  constructor(readonly index: number) {}

  attach(uart: Uart16550): void {
    this.uart = uart;
  }

  /** Uart16550 onTransmit. */
  transmit(bytes: Uint8Array): void {
    this.txBytes += bytes.length;
    this.out.push(bytes.slice());
    this.outBytes += bytes.length;
    while (this.outBytes > OUTPUT_CAP && this.out.length > 1) {
      const old = this.out.shift()!;
      this.outBytes -= old.length;
      this.dropped += old.length;
    }
  }

  /** Bytes waiting for the host (without draining). */
  get pendingOutput(): number {
    return this.outBytes;
  }

  drainOutput(): Uint8Array {
    if (this.out.length === 1) {
      const only = this.out[0];
      this.out = [];
      this.outBytes = 0;
      return only;
    }
    const r = new Uint8Array(this.outBytes);
    let o = 0;
    for (const c of this.out) {
      r.set(c, o);
      o += c.length;
    }
    this.out = [];
    this.outBytes = 0;
    return r;
  }

  input(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, INPUT_QUEUE - this.inLen);
    this.inQ.set(bytes.subarray(0, n), this.inLen);
    this.inLen += n;
    this.pump();
    return n;
  }

  /** Bytes accepted from the host that the UART has not taken yet. */
  get pendingInput(): number {
    return this.inLen;
  }

  /** Moves queued input into the UART's FIFO (Uart16550 onRxSpace, and after input()). */
  pump(): void {
    if (!this.uart || !this.inLen) return;
    const took = this.uart.receive(this.inQ.subarray(0, this.inLen));
    if (took > 0) {
      this.rxBytes += took;
      this.inQ.copyWithin(0, took, this.inLen);
      this.inLen -= took;
    }
  }

  /** Board reset: queued input stays (the user typed it), the UART starts empty. */
  clearOutput(): void {
    this.out = [];
    this.outBytes = 0;
  }
}
