// A crash in the middle of a write must leave either the old or the new file, never a mix: a
// child rewrites the file in a loop and is SIGKILLed at random moments.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VmLibrary } from '../../../../main/node/library/library';
import { readVmFolder } from '../../../../main/node/library/vm-folder';
import { writeFileAtomic } from '../../../../main/node/library/atomic-file';
import { tmpDir } from '../../helpers/tmp';

const writer = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));

function runAndKill(mode: string, target: string, afterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, mode, target], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.once('data', () => setTimeout(() => child.kill('SIGKILL'), afterMs));
    child.once('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited ${code}`)),
    );
  });
}

describe('atomic writes survive SIGKILL', () => {
  test('raw writeFileAtomic: file is always a complete document', async () => {
    const file = path.join(tmpDir(), 'doc.json');
    await writeFileAtomic(file, JSON.stringify({ i: -1, fill: '' }));
    for (let round = 0; round < 4; round++) {
      await runAndKill('raw', file, 5 + Math.floor(Math.random() * 40));
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { i: number; fill: string };
      if (doc.i >= 0) {
        assert.equal(doc.fill.length, 3_000_000 + (doc.i % 7) * 100_000);
        assert.ok(/^(.)\1*$/s.test(doc.fill.slice(0, 1000)) && doc.fill.at(-1) === doc.fill[0]);
      }
    }
  });
  test('VmLibrary.update: vm.json is always a valid config, old or new', async () => {
    const lib = new VmLibrary(path.join(tmpDir(), 'lib'));
    await lib.create({ name: 'Crash', cpuModel: 'e8c', memoryMiB: 1024 });
    for (let round = 0; round < 4; round++) {
      await runAndKill('vm', lib.root, Math.floor(Math.random() * 30));
      const e = await readVmFolder(path.join(lib.root, 'Crash'));
      assert.equal(e.kind, 'ok', JSON.stringify(e));
      if (e.kind === 'ok' && e.config.description)
        assert.match(e.config.description, /^(.)\1{3999}$/);
    }
    // Stray temp files may remain after a kill, but they are never listed as VMs.
    assert.deepEqual(
      (await lib.list()).map((x) => x.kind),
      ['ok'],
    );
    assert.ok(readdirSync(path.join(lib.root, 'Crash')).includes('vm.json'));
  });
});
