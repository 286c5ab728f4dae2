/**
 * Runs every test program in programs/*.S (assembled and linked with the project's own
 * e2k-as/e2k-ld libraries) under the Linux user-mode runner; each exits 0 on success or
 * with the number of the failed check.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { buildFile, PROGRAMS, runElf } from './helpers';

const expected: Record<string, number> = { 'signal.S': 42 };

describe('e2k test programs', () => {
  for (const f of readdirSync(PROGRAMS)
    .filter((n) => n.endsWith('.S'))
    .sort()) {
    for (const cpu of ['e8c2', 'e16c'] as const) {
      test(`${f} on ${cpu}`, () => {
        const r = runElf(buildFile(f, 5), { cpu });
        assert.equal(r.code, expected[f] ?? 0, `exit status (stderr: ${r.stderr})`);
      });
    }
  }

  test('hello.S writes to stdout', () => {
    const r = runElf(buildFile('hello.S'));
    assert.equal(r.stdout, 'Hello, world!\n');
  });
});
