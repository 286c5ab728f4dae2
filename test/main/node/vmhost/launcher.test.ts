// The VM process environment (launcher.ts vmProcessEnv): one malloc arena unless the user
// chose otherwise; everything else passes through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { stderrLines, vmProcessEnv } from '../../../../main/node/vmhost/launcher';

test('VM processes get MALLOC_ARENA_MAX=1 and the rest of the environment', () => {
  const env = vmProcessEnv({ PATH: '/bin', GLAUNCH_HOME: '/x' });
  assert.deepEqual(env, { PATH: '/bin', GLAUNCH_HOME: '/x', MALLOC_ARENA_MAX: '1' });
});

test("a user's own MALLOC_ARENA_MAX is kept; the base object is not changed", () => {
  const base = { MALLOC_ARENA_MAX: '4' };
  assert.equal(vmProcessEnv(base).MALLOC_ARENA_MAX, '4');
  const b2: NodeJS.ProcessEnv = { A: '1' };
  vmProcessEnv(b2);
  assert.deepEqual(b2, { A: '1' });
});

test('stderr arrives as lines; an unterminated last line comes with flush()', () => {
  const s = new PassThrough();
  const got: string[] = [];
  const lines = stderrLines(s);
  lines.listeners.push((l) => got.push(l));
  s.write('one\ntw');
  s.write('o\nthr');
  assert.deepEqual(got, ['one', 'two']);
  lines.flush();
  lines.flush();
  assert.deepEqual(got, ['one', 'two', 'thr']);
});
