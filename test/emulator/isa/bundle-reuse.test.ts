// assembleBundle reuses one Bundle object: reset() must restore every field, and a bundle
// that failed half-way must not leak state into the next one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleBundle } from '../../../emulator/isa';
import { BundleError } from '../../../emulator/isa/bundle-api';
import { Bundle } from '../../../emulator/isa/asm/bundle';

const ctx = (iset: 2 | 6 = 6, braced = true) => ({
  iset,
  braced,
  pc: 0n,
  evaluate: (e: string) => ({ kind: 'const' as const, value: BigInt(e.trim()) }),
});

test('Bundle.reset restores every field of a fresh Bundle', () => {
  const b = new Bundle(6);
  // Dirty every field (arrays in place and grown, scalars changed).
  const rec = b as unknown as Record<string, unknown>;
  for (const k of Object.keys(rec)) {
    const v = rec[k];
    if (Array.isArray(v)) {
      v.fill(7);
      v.push(7);
    } else if (typeof v === 'number') rec[k] = 7;
    else if (typeof v === 'boolean') rec[k] = !v;
    else rec[k] = { junk: true };
  }
  const warnings = b.warnings;
  b.reset(2);
  // Fixed-size arrays keep their length: the grown element is the only difference allowed.
  for (const k of ['als', 'ales', 'mas', 'pls', 'plsSet', 'aasDst', 'aasOp']) {
    (rec[k] as number[]).length -= 1;
  }
  assert.deepEqual(b, new Bundle(2));
  assert.notEqual(b.warnings, warnings, 'the returned warnings array is never reused');
});

test('bundles assembled after a failed one are unaffected by it', () => {
  const good = [
    ['adds,0 %r1, %r2, %r3', 'addd,1 %dr4, 0x12345, %dr5'],
    ['ldd,0 %dr1, 8, %dr2', 'std,2 %dr3, [ %dr4 + 16 ]'],
    ['ct %ctpr1 ? %pred0'],
    ['nop 3'],
  ];
  const fresh = good.map((ops) => Buffer.from(assembleBundle(ops, ctx()).bytes).toString('hex'));
  const bad = [
    ['adds,0 %r1, %r2, %r3', 'adds,0 %r4, %r5, %r6'],
    ['addd,1 %dr4, 0x12345, %dr5', 'addd,0 %dr4, 0x123456789, %dr5', 'bogus %r1'],
    ['ct %ctpr1 ? %pred0', 'ct %ctpr2'],
  ];
  for (const ops of bad) {
    assert.throws(() => assembleBundle(ops, ctx()), BundleError);
    good.forEach((g, i) =>
      assert.equal(Buffer.from(assembleBundle(g, ctx()).bytes).toString('hex'), fresh[i]),
    );
  }
  const w1 = assembleBundle(['nop 3'], ctx(6, false)).warnings;
  const w2 = assembleBundle(['nop 3'], ctx(6, false)).warnings;
  assert.notEqual(w1, w2);
});
