/**
 * DiskImage wrapper that counts bytes for `MachineStats.disks` and remembers the last
 * error; order and semantics are the wrapped image's (the DiskImage contract).
 */
import type { DiskImage } from '../storage/disk-image';

export class CountingDisk implements DiskImage {
  readBytes = 0;
  writtenBytes = 0;
  flushes = 0;
  lastError: string | null = null;

  constructor(readonly inner: DiskImage) {}

  get sizeBytes(): number {
    return this.inner.sizeBytes;
  }

  get readOnly(): boolean {
    return this.inner.readOnly;
  }

  private note<T>(p: Promise<T>): Promise<T> {
    return p.catch((e: unknown) => {
      this.lastError = e instanceof Error ? e.message : String(e);
      throw e;
    });
  }

  read(offset: number, dst: Uint8Array): Promise<void> {
    return this.note(this.inner.read(offset, dst).then(() => void (this.readBytes += dst.length)));
  }

  write(offset: number, src: Uint8Array): Promise<void> {
    return this.note(
      this.inner.write(offset, src).then(() => void (this.writtenBytes += src.length)),
    );
  }

  flush(): Promise<void> {
    return this.note(this.inner.flush().then(() => void this.flushes++));
  }

  close(): Promise<void> {
    return this.note(this.inner.close());
  }
}
