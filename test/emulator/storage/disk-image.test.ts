import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDiskImage } from '../../../emulator/storage/disk-image';
import { RawFileImage } from '../../../emulator/tools/lib/raw-file-image';

describe('MemoryDiskImage', () => {
  test('read/write/flush/close', async () => {
    const d = new MemoryDiskImage(new Uint8Array(1024));
    await d.write(510, Uint8Array.of(1, 2, 3, 4));
    const b = new Uint8Array(4);
    await d.read(510, b);
    assert.deepEqual([...b], [1, 2, 3, 4]);
    await d.flush();
    assert.equal(d.flushes, 1);
    await assert.rejects(d.read(1022, new Uint8Array(4)), /outside image/);
    await d.close();
    await assert.rejects(d.read(0, b), /closed/);
  });

  test('read-only rejects writes', async () => {
    const d = new MemoryDiskImage(new Uint8Array(512), { readOnly: true });
    await assert.rejects(d.write(0, Uint8Array.of(1)), /read-only/);
  });
});

describe('RawFileImage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glaunch-raw-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('writes reach the file in order; reads see them; close flushes', async () => {
    const p = join(dir, 'disk.img');
    writeFileSync(p, new Uint8Array(4096));
    const img = await RawFileImage.open(p);
    assert.equal(img.sizeBytes, 4096);
    assert.equal(img.readOnly, false);
    // Not awaited one by one: the image must still apply them in submission order.
    const ops = [
      img.write(100, Uint8Array.of(1, 1, 1)),
      img.write(101, Uint8Array.of(2)),
      img.write(4000, new Uint8Array(96).fill(7)),
    ];
    const back = new Uint8Array(3);
    ops.push(img.read(100, back));
    ops.push(img.flush());
    await Promise.all(ops);
    assert.deepEqual([...back], [1, 2, 1]);
    await assert.rejects(img.write(4095, Uint8Array.of(1, 2)), /outside image/);
    await img.close();
    const f = readFileSync(p);
    assert.deepEqual([...f.subarray(100, 103)], [1, 2, 1]);
    assert.equal(f[4095], 7);
    await assert.rejects(img.read(0, back), /closed/);
  });

  test('read-only open rejects writes, reads work', async () => {
    const p = join(dir, 'cd.iso');
    writeFileSync(p, new Uint8Array(2048).fill(3));
    const img = await RawFileImage.open(p, { readOnly: true });
    assert.equal(img.readOnly, true);
    await assert.rejects(img.write(0, Uint8Array.of(1)), /read-only/);
    const b = new Uint8Array(2);
    await img.read(2046, b);
    assert.deepEqual([...b], [3, 3]);
    await img.close();
  });

  test('clear errors for missing, unwritable and directory paths', async () => {
    await assert.rejects(RawFileImage.open(join(dir, 'nope.img')), /not found: .*nope\.img/);
    await assert.rejects(RawFileImage.open(dir), /directory|not a regular file/);
    const p = join(dir, 'ro.img');
    writeFileSync(p, new Uint8Array(512));
    chmodSync(p, 0o444);
    if (process.getuid?.() !== 0) {
      await assert.rejects(RawFileImage.open(p), /not writable/);
    }
    const ro = await RawFileImage.open(p, { readOnly: true });
    await ro.close();
  });
});
