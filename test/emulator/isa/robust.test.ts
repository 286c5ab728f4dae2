// Bad input never makes assembleBundle throw anything but BundleError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assembleBundle, BundleError } from '../../../emulator/isa';
import { makeContext } from './vectors';
import { sampleSources } from './samples';

const samples = sampleSources(6).map((s) => s[0]);
const extra = [
  'ct %ctpr1 ? %pred3',
  'call %ctpr2, wbs = 4',
  'disp %ctpr1, . + 0x40',
  'setwd wsz = 8, nfx = 1',
  'setbn rsz = 3, rbs = 4, rcur = 0',
  'wait all_c=1',
  'pass %pred0, @p0',
  'andp @p0, @p1, @p4',
  'movab,0 area=1, ind=2, %r4',
  'staab,2 %r0, %aad0 [ %aasti1 + _f32s,_lts0 0x10 ]',
  'incr,2 %aaincr1',
  'ibranch . + 0x40 ? %MLOCK || %cmp0',
  'fapb ct=1, fmt=3, disp=0x100',
  'ldd,0 [ %dr2 + 0x8 ], %dr3, mas=0x4',
  'nop 3',
];
const pool = [...samples.filter((_, i) => i % 7 === 0), ...extra];

function noForeignThrow(ops: string[], iset: 2 | 3 | 4 | 5 | 6, braced: boolean): void {
  try {
    assembleBundle(ops, makeContext(iset, braced));
  } catch (e) {
    if (!(e instanceof BundleError)) assert.fail(`${JSON.stringify(ops)}: ${(e as Error).stack}`);
  }
}

test('mutated operations only raise BundleError', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 4 }),
      fc.array(fc.tuple(fc.nat(200), fc.nat(3), fc.string({ maxLength: 3 })), { maxLength: 3 }),
      fc.constantFrom<2 | 3 | 4 | 5 | 6>(2, 3, 4, 5, 6),
      fc.boolean(),
      (ops, edits, iset, braced) => {
        const mutated = ops.map((op, i) => {
          let s = op;
          for (const [pos, kind, text] of edits) {
            if (pos % ops.length !== i) continue;
            const at = pos % (s.length + 1);
            if (kind === 0) s = s.slice(0, at) + text + s.slice(at);
            else if (kind === 1) s = s.slice(0, at) + s.slice(at + 1);
            else s = s.slice(0, at) + text + s.slice(at + text.length);
          }
          return s;
        });
        noForeignThrow(mutated, iset, braced);
      },
    ),
    { numRuns: 4000 },
  );
});

test('arbitrary strings only raise BundleError', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }), (ops) =>
      noForeignThrow(ops, 6, true),
    ),
    { numRuns: 3000 },
  );
});
