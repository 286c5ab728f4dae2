// Raw (flat) disk image file for the emulator's DiskImage interface, with Node's fs. The
// ordering logic is the pure RawImage (emulator/storage/raw-image.ts); this file only opens
// the file, reports open failures clearly, and adapts a FileHandle to FileAccess. It lives
// in emulator/tools because emulator/ proper is Node-free (see eslint.config.js).
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { RawImage } from '../../storage/raw-image';
import type { FileAccess } from '../../storage/raw-image';

export interface RawFileOptions {
  /** Open without write access; the guest sees read-only media (VIRTIO_BLK_F_RO). */
  readOnly?: boolean;
}

function openError(path: string, err: unknown, readOnly: boolean): Error {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return new Error(`disk image not found: ${path}`);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new Error(
      readOnly
        ? `disk image is not readable: ${path}`
        : `disk image is not writable: ${path} (attach it read-only, or fix its permissions)`,
    );
  }
  if (code === 'EISDIR') return new Error(`disk image is a directory: ${path}`);
  return new Error(`cannot open disk image ${path}: ${(err as Error)?.message ?? String(err)}`);
}

function fileAccess(fh: FileHandle): FileAccess {
  return {
    read: async (dst, pos) => (await fh.read(dst, 0, dst.length, pos)).bytesRead,
    write: async (src, pos) => (await fh.write(src, 0, src.length, pos)).bytesWritten,
    sync: () => fh.sync(),
    close: () => fh.close(),
  };
}

export const RawFileImage = {
  /** Opens an existing image file; rejects with a message naming the path and the problem. */
  async open(path: string, opts: RawFileOptions = {}): Promise<RawImage> {
    const readOnly = opts.readOnly ?? false;
    let fh: FileHandle;
    try {
      fh = await open(path, readOnly ? 'r' : 'r+');
    } catch (err) {
      throw openError(path, err, readOnly);
    }
    const st = await fh.stat();
    if (!st.isFile() && !st.isBlockDevice()) {
      await fh.close();
      throw new Error(`disk image is not a regular file: ${path}`);
    }
    return new RawImage(fileAccess(fh), st.size, readOnly, `disk image ${path}`);
  },
};
