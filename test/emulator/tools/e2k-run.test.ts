/** The e2k-run command line: exit codes, stdout, --strace, --trace, --cpu, load errors. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFile } from '../cpu/helpers';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'e2k-run-'));

function e2kRun(args: string[]) {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'emulator/tools/e2k-run.ts'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('e2k-run', () => {
  const hello = file('hello', buildFile('hello.S'));

  test('runs a program: stdout and exit status', () => {
    const r = e2kRun([hello]);
    assert.equal(r.code, 0);
    assert.equal(r.out, 'Hello, world!\n');
  });

  test('exit status is the program’s own', () => {
    const r = e2kRun(['--', file('loops', buildFile('signal.S'))]);
    assert.equal(r.code, 42);
  });

  test('--strace prints system calls', () => {
    const r = e2kRun(['--strace', hello]);
    assert.match(r.err, /write\(0x1, 0x[0-9a-f]+, 0xe\) = 14/);
    assert.match(r.err, /exit\(0\) = \?/);
  });

  test('--trace prints bundles and register changes', () => {
    const r = e2kRun(['--trace', '--cpu', 'e16c', hello]);
    assert.match(r.err, /0x10000: .*setwd/);
    assert.match(r.err, /%r8 = 0x0000000000000004/);
  });

  test('bad --cpu is a usage error', () => {
    const r = e2kRun(['--cpu', 'pentium', hello]);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown CPU model/);
  });

  test('unloadable files: clear message, status 1', () => {
    const exe = buildFile('hello.S');
    const wrong = exe.slice();
    wrong[18] = 62; // EM_X86_64
    assert.match(e2kRun([file('wrong', wrong)]).err, /wrong machine/);
    const dyn = exe.slice();
    dyn[16] = 3; // ET_DYN
    assert.match(e2kRun([file('dyn', dyn)]).err, /dynamic/);
    const r = e2kRun([file('trunc', exe.subarray(0, 100))]);
    assert.equal(r.code, 1);
    assert.match(r.err, /not a valid ELF executable/);
    assert.equal(e2kRun([join(dir, 'missing')]).code, 1);
  });
});
