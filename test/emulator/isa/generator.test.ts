// The committed tables are exactly what the generator derives from the vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VECTOR_DIR, vectorsAvailable } from './vectors';

const isaDir = fileURLToPath(new URL('../../../emulator/isa/', import.meta.url));

test('gen-optable reproduces the committed tables', { skip: !vectorsAvailable() }, () => {
  const out = mkdtempSync(join(tmpdir(), 'e2k-gen-'));
  try {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(isaDir, 'gen', 'gen-optable.mjs'), VECTOR_DIR, out],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    for (const f of ['optable.ts', 'sysreg-table.ts', 'mmureg-table.ts']) {
      assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(isaDir, f), 'utf8'), f);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
