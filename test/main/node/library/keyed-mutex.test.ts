import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedMutex } from '../../../../main/node/library/keyed-mutex';

const tick = () => new Promise((r) => setTimeout(r, 1));

test('same key runs one at a time, in order; other keys run in parallel', async () => {
  const m = new KeyedMutex();
  const log: string[] = [];
  const job = (key: string, id: string) =>
    m.run([key], async () => {
      log.push(`start ${id}`);
      await tick();
      log.push(`end ${id}`);
    });
  await Promise.all([job('a', 'a1'), job('a', 'a2'), job('b', 'b1')]);
  assert.ok(log.indexOf('end a1') < log.indexOf('start a2'));
  assert.ok(log.indexOf('start b1') < log.indexOf('end a1'));
});

test('multi-key jobs in opposite orders do not deadlock; failures release the lock', async () => {
  const m = new KeyedMutex();
  let n = 0;
  const jobs = [];
  for (let i = 0; i < 20; i++) {
    jobs.push(
      m.run(i % 2 ? ['x', 'y'] : ['y', 'x'], async () => {
        await tick();
        n++;
      }),
    );
    jobs.push(
      m
        .run(['x'], async () => {
          throw new Error('boom');
        })
        .catch(() => undefined),
    );
  }
  await Promise.all(jobs);
  assert.equal(n, 20);
});
