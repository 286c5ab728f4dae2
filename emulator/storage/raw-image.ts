// A raw (flat) disk image over injected positional file access, so the ordering and
// short-transfer logic is pure and testable while the file system lives elsewhere
// (emulator/tools/lib/raw-file-image.ts for Node fs). Operations go through one promise
// chain: writes reach the file in the order the guest submitted them, a read sees every
// earlier write, and flush() covers exactly the writes before it (DiskImage contract).
import type { DiskImage } from './disk-image';
import { checkRange } from './disk-image';

/** Positional file I/O, as pread/pwrite/fsync/close. Partial transfers are allowed. */
export interface FileAccess {
  read(dst: Uint8Array, position: number): Promise<number>;
  write(src: Uint8Array, position: number): Promise<number>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export class RawImage implements DiskImage {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly file: FileAccess,
    readonly sizeBytes: number,
    readonly readOnly: boolean,
    /** Named in error messages. */
    readonly label = 'disk image',
  ) {}

  private enqueue(op: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`${this.label} is closed`));
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined); // one failed request does not poison the rest
    return run;
  }

  read(offset: number, dst: Uint8Array): Promise<void> {
    return this.enqueue(async () => {
      checkRange(this.sizeBytes, offset, dst.length);
      for (let done = 0; done < dst.length;) {
        const n = await this.file.read(dst.subarray(done), offset + done);
        if (n <= 0) throw new Error(`${this.label}: short read at byte ${offset + done}`);
        done += n;
      }
    });
  }

  write(offset: number, src: Uint8Array): Promise<void> {
    return this.enqueue(async () => {
      if (this.readOnly) throw new Error(`${this.label} is read-only`);
      checkRange(this.sizeBytes, offset, src.length);
      for (let done = 0; done < src.length;) {
        const n = await this.file.write(src.subarray(done), offset + done);
        if (n <= 0) throw new Error(`${this.label}: no progress writing at byte ${offset + done}`);
        done += n;
      }
    });
  }

  flush(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.readOnly) await this.file.sync();
    });
  }

  /** Flushes (writable images) and closes; the file is closed even if the flush fails. */
  close(): Promise<void> {
    const done = this.enqueue(async () => {
      try {
        if (!this.readOnly) await this.file.sync();
      } finally {
        await this.file.close();
      }
    });
    this.closed = true;
    return done;
  }
}
