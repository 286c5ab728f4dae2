// errors.tsv: every line must be rejected with a BundleError worded like binutils.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleBundle, BundleError } from '../../../emulator/isa';
import type { IsaLevel } from '../../../emulator/isa';
import { makeContext, splitSource, VECTOR_DIR, vectorsAvailable } from './vectors';

/** Rows whose message must match exactly; raise as messages improve, never lower. */
const MESSAGE_FLOOR = 122;

test('errors.tsv rows are rejected', { skip: !vectorsAvailable() }, () => {
  const lines = readFileSync(join(VECTOR_DIR, 'errors.tsv'), 'utf8').trim().split('\n').slice(1);
  let matched = 0;
  const accepted: string[] = [];
  const wrong: string[] = [];
  for (const line of lines) {
    const [iset, source, error] = line.split('\t');
    const { ops, braced } = splitSource(source);
    try {
      assembleBundle(ops, makeContext(Number(iset.slice(1)) as IsaLevel, braced));
      accepted.push(`${iset} ${source}`);
    } catch (e) {
      assert.ok(e instanceof BundleError, `${source}: threw ${(e as Error).stack}`);
      if (e.message === error) matched++;
      else wrong.push(`${source}\n  want ${error}\n  got  ${e.message}`);
    }
  }
  console.log(
    `errors: ${lines.length - accepted.length}/${lines.length} rejected, ${matched} with the exact message`,
  );
  assert.deepEqual(accepted, []);
  assert.ok(matched >= MESSAGE_FLOOR, wrong.join('\n'));
});

test('out-of-level operations are rejected for the chosen -mcpu', () => {
  assert.throws(
    () => assembleBundle(['fmas,0 %r1, %r2, %r3, %r4'], makeContext(5, true)),
    BundleError,
  );
  assert.doesNotThrow(() => assembleBundle(['fmas,0 %r1, %r2, %r3, %r4'], makeContext(6, true)));
});

test('inputs gas accepts by mistake are rejected (vectors README)', () => {
  for (const op of [
    'ct %ctpr1 ? %pred32',
    'addd,0 %dr0, _f64,_lts3 0x123456789, %dr1',
    'adds,0 %r1, %r2, %r3 ? %pred40',
  ]) {
    assert.throws(() => assembleBundle([op], makeContext(4, true)), BundleError, op);
  }
});
