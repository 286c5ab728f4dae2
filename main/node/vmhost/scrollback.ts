/**
 * Console output kept by the VM host, so closing and reopening a console (or reloading the
 * web page) loses nothing: a byte ring of fixed capacity, oldest bytes dropped first.
 */
export const SCROLLBACK_BYTES = 1024 * 1024;

export class Scrollback {
  private buf: Uint8Array;
  private start = 0;
  private length = 0;
  /** Bytes ever written (a client can tell whether it missed some). */
  total = 0;

  constructor(readonly capacity = SCROLLBACK_BYTES) {
    this.buf = new Uint8Array(capacity);
  }

  write(data: Uint8Array): void {
    this.total += data.length;
    if (data.length >= this.capacity) {
      this.buf.set(data.subarray(data.length - this.capacity));
      this.start = 0;
      this.length = this.capacity;
      return;
    }
    const end = (this.start + this.length) % this.capacity;
    const first = Math.min(data.length, this.capacity - end);
    this.buf.set(data.subarray(0, first), end);
    this.buf.set(data.subarray(first), 0);
    const overflow = this.length + data.length - this.capacity;
    if (overflow > 0) {
      this.start = (this.start + overflow) % this.capacity;
      this.length = this.capacity;
    } else this.length += data.length;
  }

  /** Everything kept, oldest first. */
  contents(): Uint8Array {
    const out = new Uint8Array(this.length);
    const first = Math.min(this.length, this.capacity - this.start);
    out.set(this.buf.subarray(this.start, this.start + first));
    out.set(this.buf.subarray(0, this.length - first), first);
    return out;
  }

  clear(): void {
    this.start = 0;
    this.length = 0;
  }
}
