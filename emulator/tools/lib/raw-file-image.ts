// Raw (flat) disk image file behind the emulator's DiskImage interface, using Node's fs.
// It lives in emulator/tools because emulator/ proper is Node-free (see eslint.config.js).
// Every operation is queued on one promise chain, so writes reach the file in the order
// the guest submitted them and a flush covers exactly the writes before it.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { DiskImage } from '../../storage/disk-image';
import { checkRange } from '../../storage/disk-image';

export interface RawFileOptions {
  /** Open without write access; the guest sees read-only media (VIRTIO_BLK_F_RO). */
  readOnly?: boolean;
}

function describe(path: string, err: unknown, readOnly: boolean): Error {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return new Error(`disk image not found: ${path}`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new Error(
      readOnly
        ? `disk image is not readable: ${path}`
        : `disk image is not writable: ${path} (open it read-only, or fix its permissions)`,
    );
  }
  if (code === 'EISDIR') return new Error(`disk image is a directory: ${path}`);
  return new Error(`cannot open disk image ${path}: ${(err as Error).message ?? String(err)}`);
}

export class RawFileImage implements DiskImage {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly sizeBytes: number,
    readonly readOnly: boolean,
  ) {}

  static async open(path: string, opts: RawFileOptions = {}): Promise<RawFileImage> {
    const readOnly = opts.readOnly ?? false;
    let fh: FileHandle;
    try {
      fh = await open(path, readOnly ? 'r' : 'r+');
    } catch (err) {
      throw describe(path, err, readOnly);
    }
    const st = await fh.stat();
    if (!st.isFile() && !st.isBlockDevice()) {
      await fh.close();
      throw new Error(`disk image is not a regular file: ${path}`);
    }
    return new RawFileImage(path, fh, st.size, readOnly);
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`disk image is closed: ${this.path}`));
    const run = this.queue.then(op);
    this.queue = run.catch(() => undefined); // one failed request does not poison the rest
    return run;
  }

  read(offset: number, dst: Uint8Array): Promise<void> {
    return this.enqueue(async () => {
      checkRange(this.sizeBytes, offset, dst.length);
      let done = 0;
      while (done < dst.length) {
        const { bytesRead } = await this.fh.read(dst, done, dst.length - done, offset + done);
        if (bytesRead === 0) throw new Error(`short read from ${this.path} at ${offset + done}`);
        done += bytesRead;
      }
    });
  }

  write(offset: number, src: Uint8Array): Promise<void> {
    return this.enqueue(async () => {
      if (this.readOnly) throw new Error(`disk image is read-only: ${this.path}`);
      checkRange(this.sizeBytes, offset, src.length);
      let done = 0;
      while (done < src.length) {
        const { bytesWritten } = await this.fh.write(src, done, src.length - done, offset + done);
        done += bytesWritten;
      }
    });
  }

  flush(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.readOnly) await this.fh.sync();
    });
  }

  close(): Promise<void> {
    const done = this.enqueue(async () => {
      try {
        if (!this.readOnly) await this.fh.sync();
      } finally {
        await this.fh.close();
      }
    });
    this.closed = true;
    return done;
  }
}
