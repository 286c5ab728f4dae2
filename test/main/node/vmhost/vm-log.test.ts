import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { logFile, readLog, VmLogWriter } from '../../../../main/node/vmhost/vm-log';
import { tmpDir } from '../../helpers/tmp';

test('each run rotates the logs; the last three runs are kept', async () => {
  const folder = tmpDir();
  for (let run = 1; run <= 5; run++) {
    const w = new VmLogWriter(folder);
    await w.begin();
    w.line('info', `run ${run}`);
    w.line('error', 'two\nlines');
    await w.flush();
  }
  assert.match(
    readFileSync(logFile(folder, 0), 'utf8'),
    /info {2}run 5\n.*error two\n.*error lines\n$/,
  );
  assert.match(readFileSync(logFile(folder, 1), 'utf8'), /run 4/);
  assert.match(readFileSync(logFile(folder, 2), 'utf8'), /run 3/);
  assert.equal(existsSync(logFile(folder, 3)), false);
  const r = await readLog(folder, 1);
  assert.deepEqual(r.available, [0, 1, 2]);
  assert.match(r.text, /run 4/);
});

test('tail returns the last lines of this run', async () => {
  const w = new VmLogWriter(tmpDir(), () => new Date('2026-01-01T00:00:00Z'));
  await w.begin();
  for (let i = 0; i < 20; i++) w.line('info', `line ${i}`);
  assert.deepEqual(w.tail(2), [
    '2026-01-01T00:00:00.000Z info  line 18',
    '2026-01-01T00:00:00.000Z info  line 19',
  ]);
  await w.flush();
});

test('a missing log folder reads as no runs', async () => {
  const r = await readLog(tmpDir(), 0);
  assert.deepEqual(r, { text: '', available: [] });
});
