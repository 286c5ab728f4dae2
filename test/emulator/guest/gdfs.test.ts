/** GDFS image writer/reader: round trip, layout facts the ROM relies on, bad input. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BOOT,
  buildGdfs,
  DIRENT_SIZE,
  fileData,
  GdfsError,
  MODE_EXEC,
  MODE_KERNEL,
  readGdfs,
  SECTOR,
} from '../../../emulator/guest/image/gdfs';

const enc = new TextEncoder();
const bytes = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * seed) & 0xff);

describe('GDFS', () => {
  const files = [
    { name: 'motd', data: enc.encode('hello\n') },
    { name: 'kernel.elf', data: bytes(5000, 7) },
    { name: 'shell', data: bytes(1024, 3), mode: MODE_EXEC },
    { name: 'empty', data: new Uint8Array(0) },
  ];
  const img = buildGdfs({ label: 'demo', files, kernel: 'kernel.elf', cmdline: 'console=ttyS0' });

  test('round trip: names, sizes, modes, contents, boot fields', () => {
    const r = readGdfs(img);
    assert.equal(r.label, 'demo');
    assert.equal(r.cmdline, 'console=ttyS0');
    assert.equal(r.bootable, true);
    assert.deepEqual(
      r.files.map((f) => [f.name, f.size, f.mode]),
      [
        ['motd', 6, 0],
        ['kernel.elf', 5000, MODE_KERNEL],
        ['shell', 1024, MODE_EXEC],
        ['empty', 0, 0],
      ],
    );
    r.files.forEach((e, i) => assert.deepEqual(fileData(img, e), files[i].data));
    const k = r.files[1];
    assert.equal(r.kernelLba, k.lba);
    assert.equal(r.kernelBytes, 5000);
    assert.equal(r.totalSectors * SECTOR, img.length);
  });

  test('layout: sector-aligned contiguous files after the directory, 0xAA55 marker', () => {
    const r = readGdfs(img);
    assert.equal(r.files[0].lba, 3); // boot sector, superblock, one directory sector
    assert.equal(r.files[1].lba, 4);
    assert.equal(r.files[2].lba, 4 + Math.ceil(5000 / SECTOR));
    assert.equal(img[BOOT.marker], 0x55);
    assert.equal(img[BOOT.marker + 1], 0xaa);
    assert.equal(new TextDecoder().decode(img.subarray(0, 8)), 'GDFSBOOT');
  });

  test('many files spill the directory into more sectors; minBytes pads', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({
      name: `f${i}`,
      data: enc.encode(`${i}`),
    }));
    const big = buildGdfs({ label: 'x', files: many, minBytes: 100_000 });
    const r = readGdfs(big);
    assert.equal(r.files.length, 20);
    assert.equal(r.files[0].lba, 2 + Math.ceil((20 * DIRENT_SIZE) / SECTOR));
    assert.equal(r.bootable, false);
    assert.equal(big.length, Math.ceil(100_000 / SECTOR) * SECTOR);
    assert.equal(new TextDecoder().decode(fileData(big, r.files[19])), '19');
  });

  test('bad specifications are refused with the reason', () => {
    const f = (name: string) => ({ name, data: enc.encode('x') });
    assert.throws(() => buildGdfs({ label: 'x', files: [f('a b')] }), /file 1: file name 'a b'/);
    assert.throws(() => buildGdfs({ label: 'x', files: [f('a'.repeat(40))] }), /longer than 39/);
    assert.throws(
      () => buildGdfs({ label: 'x', files: [f('a'), f('a')] }),
      /file 2: duplicate name 'a'/,
    );
    assert.throws(
      () => buildGdfs({ label: 'x', files: [f('a')], kernel: 'k' }),
      /kernel file 'k' is not/,
    );
    assert.throws(() => buildGdfs({ label: 'y'.repeat(40), files: [] }), /label/);
    assert.throws(
      () => buildGdfs({ label: 'x', files: [], cmdline: 'c'.repeat(200) }),
      /command line/,
    );
    assert.throws(
      () => buildGdfs({ label: 'x', files: [{ name: 'k', data: new Uint8Array(0) }], kernel: 'k' }),
      /kernel file 'k' is empty/,
    );
  });

  test('damaged images are reported with the structure at fault', () => {
    const bad = (mutate: (b: Uint8Array) => void, re: RegExp) => {
      const b = img.slice();
      mutate(b);
      assert.throws(
        () => readGdfs(b),
        (e: unknown) => e instanceof GdfsError && re.test(e.message),
      );
    };
    bad((b) => (b[0] = 0), /boot sector \(LBA 0\): magic/);
    bad((b) => (b[510] = 0), /marker at offset 510/);
    bad((b) => (b[SECTOR] = 0), /superblock \(LBA 1\): magic/);
    bad((b) => (b[SECTOR + 4] = 9), /unsupported version 9/);
    bad((b) => (b[2 * SECTOR + 0x28 + 2] = 0x7f), /directory entry 0 \('motd'\): data is outside/);
    assert.throws(() => readGdfs(img.subarray(0, 700)), /not a multiple of 512/);
    assert.throws(() => readGdfs(img.subarray(0, 3 * SECTOR)), /sectors, but the image has 3/);
  });
});
