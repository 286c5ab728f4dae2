/** The mkdemoimg command line: outputs, usage errors, a wrong source folder. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGdfs } from '../../../emulator/guest/image/gdfs';
import { GUEST_ROOT } from './helpers';

const root = join(GUEST_ROOT, '../..');

function tool(args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'emulator/tools/mkdemoimg.ts'), ...args],
    { cwd: root, encoding: 'utf8' },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('mkdemoimg writes the image, the ROM, the shell and the kernel', () => {
  const out = mkdtempSync(join(tmpdir(), 'mkdemoimg-'));
  const r = tool(['--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /demo-os\.img \(1024 KiB\)/);
  const img = readGdfs(new Uint8Array(readFileSync(join(out, 'demo-os.img'))));
  assert.equal(img.bootable, true);
  assert.deepEqual(
    [...readFileSync(join(out, 'shell.elf')).subarray(0, 4)],
    [0x7f, 0x45, 0x4c, 0x46],
  );
  assert.ok(readFileSync(join(out, 'rom.bin')).length > 1000);
  assert.equal(readFileSync(join(out, 'kernel.elf')).length, img.kernelBytes);
});

test('mkdemoimg: bad arguments and a wrong source folder', () => {
  const bad = tool(['--frob']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /unknown argument '--frob'/);
  const wrong = tool(['--guest', tmpdir(), '--out', join(tmpdir(), 'x')]);
  assert.equal(wrong.code, 1);
  assert.match(wrong.err, /not the guest source folder/);
});
