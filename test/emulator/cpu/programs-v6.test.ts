/**
 * v6-only test programs (programs-v6/*.S, assembled for ISA v6, run on an e16c); each exits
 * 0 on success or with the number of the failed check.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, runElf } from './helpers';

const DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'programs-v6');

describe('e2k v6 test programs', () => {
  for (const f of readdirSync(DIR)
    .filter((n) => n.endsWith('.S'))
    .sort()) {
    test(`${f} on e16c`, () => {
      const r = runElf(build(readFileSync(join(DIR, f), 'utf8'), 6, f), { cpu: 'e16c' });
      assert.equal(r.code, 0, `exit status (stderr: ${r.stderr})`);
    });
  }

  test('fmad with invalid unmasked → SIGFPE', () => {
    const src = `
    .text
    .global _start
_start:
    {
        setwd wsz=16, nfx=1
        rws,0 0x1f00, %pfpfr
        addd,1 0, 0x7ff0000000000000, %r0
    }
    {
        fmad,0 %r0, 0, %r0, %r1
    }
    {
        addd,0 0, 1, %r8
        addd,1 0, 0, %r9
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
`;
    const r = runElf(build(src, 6), { cpu: 'e16c' });
    assert.equal(r.code, 128 + 8, r.stderr);
    assert.match(r.stderr, /SIGFPE/);
  });
});
