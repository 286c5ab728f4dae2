// Disk images behind virtio-blk. The interface is asynchronous on purpose: the VMM loop is
// single-threaded, and a file-backed image must not stall every vCPU while the host disk
// seeks. virtio-blk submits a request, keeps running the guest, and on completion writes
// the result to guest memory, fills the used ring and raises its interrupt — the same
// shape as a real controller (virtio 1.x §2.7.8: the device may use buffers in any order).
//
// Ordering contract for implementations: operations take effect in submission order
// (a read submitted after a write sees that write; flush() resolves only once every
// write submitted before it is durable). Errors reject the promise with an Error whose
// message says what failed; they never throw synchronously.

export interface DiskImage {
  readonly sizeBytes: number;
  readonly readOnly: boolean;
  /** Fills dst from byte offset. offset + dst.length must be within sizeBytes. */
  read(offset: number, dst: Uint8Array): Promise<void>;
  /** Rejects on read-only images. */
  write(offset: number, src: Uint8Array): Promise<void>;
  /** Makes every earlier write durable (VIRTIO_BLK_T_FLUSH). */
  flush(): Promise<void>;
  /** Flushes and releases the image; later calls reject. */
  close(): Promise<void>;
}

export class DiskRangeError extends Error {}

export function checkRange(size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > size) {
    throw new DiskRangeError(`access [${offset}, +${length}) outside image of ${size} bytes`);
  }
}

/** A disk held in memory (tests, scratch disks, images loaded by the host in one piece). */
export class MemoryDiskImage implements DiskImage {
  readonly sizeBytes: number;
  readonly readOnly: boolean;
  private data: Uint8Array | undefined;
  flushes = 0;

  constructor(data: Uint8Array, opts: { readOnly?: boolean } = {}) {
    this.data = data;
    this.sizeBytes = data.length;
    this.readOnly = opts.readOnly ?? false;
  }

  /** The backing bytes (shared, not copied). */
  bytes(): Uint8Array {
    if (!this.data) throw new Error('disk image is closed');
    return this.data;
  }

  async read(offset: number, dst: Uint8Array): Promise<void> {
    const data = this.bytes();
    checkRange(this.sizeBytes, offset, dst.length);
    dst.set(data.subarray(offset, offset + dst.length));
  }

  async write(offset: number, src: Uint8Array): Promise<void> {
    const data = this.bytes();
    if (this.readOnly) throw new Error('disk image is read-only');
    checkRange(this.sizeBytes, offset, src.length);
    data.set(src, offset);
  }

  async flush(): Promise<void> {
    this.bytes();
    this.flushes++;
  }

  async close(): Promise<void> {
    this.data = undefined;
  }
}
