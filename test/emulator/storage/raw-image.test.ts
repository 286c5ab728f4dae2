import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RawImage } from '../../../emulator/storage/raw-image';
import type { FileAccess } from '../../../emulator/storage/raw-image';

/** A file in memory that transfers at most `chunk` bytes per call, after a random delay. */
function fakeFile(size: number, chunk = 3) {
  const data = new Uint8Array(size);
  const log: string[] = [];
  const later = () => new Promise((r) => setTimeout(r, Math.random() * 3));
  const f: FileAccess = {
    async read(dst, pos) {
      await later();
      const n = Math.min(chunk, dst.length, size - pos);
      dst.set(data.subarray(pos, pos + n));
      log.push(`r${pos}+${n}`);
      return n;
    },
    async write(src, pos) {
      await later();
      const n = Math.min(chunk, src.length);
      data.set(src.subarray(0, n), pos);
      log.push(`w${pos}+${n}`);
      return n;
    },
    async sync() {
      log.push('sync');
    },
    async close() {
      log.push('close');
    },
  };
  return { f, data, log };
}

describe('RawImage over injected file access', () => {
  test('short transfers are completed; operations apply in submission order', async () => {
    const { f, data, log } = fakeFile(64);
    const img = new RawImage(f, 64, false, 'test.img');
    const back = new Uint8Array(8);
    const ops = [
      img.write(
        0,
        Uint8Array.from({ length: 8 }, (_, i) => i + 1),
      ),
      img.write(4, Uint8Array.of(9, 9)),
      img.read(0, back),
      img.flush(),
    ];
    await Promise.all(ops);
    assert.deepEqual([...back], [1, 2, 3, 4, 9, 9, 7, 8]);
    assert.deepEqual([...data.subarray(0, 8)], [1, 2, 3, 4, 9, 9, 7, 8]);
    assert.equal(log.indexOf('sync'), log.length - 1, 'flush after every earlier write');
    await img.close();
    assert.deepEqual(log.slice(-2), ['sync', 'close']);
    await assert.rejects(img.read(0, back), /test\.img is closed/);
  });

  test('a failed request does not block later ones', async () => {
    const { f } = fakeFile(16);
    const img = new RawImage(f, 16, false);
    await assert.rejects(img.write(15, Uint8Array.of(1, 2)), /outside image/);
    await img.write(0, Uint8Array.of(5));
  });

  test('read-only: writes rejected, flush and close do not sync', async () => {
    const { f, log } = fakeFile(16);
    const img = new RawImage(f, 16, true, 'cd.iso');
    await assert.rejects(img.write(0, Uint8Array.of(1)), /cd\.iso is read-only/);
    await img.flush();
    await img.close();
    assert.deepEqual(log, ['close']);
  });

  test('end of file and stalled writes are errors, not hangs', async () => {
    const eof: FileAccess = {
      read: async () => 0,
      write: async () => 0,
      sync: async () => {},
      close: async () => {},
    };
    const img = new RawImage(eof, 1024, false, 'x.img');
    await assert.rejects(img.read(0, new Uint8Array(4)), /short read at byte 0/);
    await assert.rejects(img.write(8, new Uint8Array(4)), /no progress writing at byte 8/);
  });

  test('close closes the file even when the final sync fails', async () => {
    let closed = false;
    const f: FileAccess = {
      read: async () => 0,
      write: async () => 0,
      sync: async () => {
        throw new Error('EIO');
      },
      close: async () => {
        closed = true;
      },
    };
    await assert.rejects(new RawImage(f, 0, false).close(), /EIO/);
    assert.equal(closed, true);
  });
});
