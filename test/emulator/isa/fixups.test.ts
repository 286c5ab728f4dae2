// Symbolic operands become fixups; applyFixup patches them like the linker would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFixup, assembleBundle, disassembleBundle } from '../../../emulator/isa';
import { makeContext } from './vectors';

test('disp to a symbol → R_E2K_DISP, patched relative to the bundle', () => {
  const ctx = makeContext(4, true, 0x1000n);
  const out = assembleBundle(['disp %ctpr1, target'], ctx);
  assert.equal(out.fixups.length, 1);
  const f = out.fixups[0];
  assert.equal(f.type, 'R_E2K_DISP');
  assert.equal(f.symbol, 'target');
  applyFixup(out.bytes, 0, f, 0x1210n, 0x1000n);
  assert.deepEqual(disassembleBundle(out.bytes, 0, 0x1000n, 4).lines, ['disp %ctpr1, 0x1210']);
});

test('64-bit literal symbol → R_E2K_64_ABS_LIT, high word first', () => {
  const out = assembleBundle(['addd,0 0, msg + 8, %dr1'], makeContext(4, true));
  assert.equal(out.fixups.length, 1);
  const f = out.fixups[0];
  assert.equal(f.type, 'R_E2K_64_ABS_LIT');
  assert.equal(f.addend, 8n);
  applyFixup(out.bytes, 0, f, 0x1122334455667788n, 0n);
  assert.deepEqual(disassembleBundle(out.bytes, 0, 0n, 4).lines, [
    'addd,0 0x0, _f64 0x1122334455667788, %dr1',
  ]);
});

test('32-bit literal symbol → R_E2K_32_ABS', () => {
  const out = assembleBundle(['adds,0 0, _f32s sym, %r1'], makeContext(4, true));
  assert.equal(out.fixups[0].type, 'R_E2K_32_ABS');
  applyFixup(out.bytes, 0, out.fixups[0], 0xdeadbeefn, 0n);
  assert.deepEqual(disassembleBundle(out.bytes, 0, 0n, 4).lines, [
    'adds,0 0x0, _f32s 0xdeadbeef, %r1',
  ]);
});

test('ibranch to a symbol and a backward constant target', () => {
  const ctx = makeContext(4, true, 0x100n);
  const out = assembleBundle(['ibranch . - 0x40'], ctx);
  assert.deepEqual(disassembleBundle(out.bytes, 0, 0x100n, 4).lines, ['ipd 3', 'ibranch 0xc0']);
  const sym = assembleBundle(['ibranch loop ? %pred2'], ctx);
  assert.equal(sym.fixups[0].type, 'R_E2K_DISP');
});

test('a quad byte shift above 7 is encoded with a warning', () => {
  const out = assembleBundle(['psllql,4 %dr3, %dr4, 0x8, %dr5'], makeContext(6, true));
  assert.equal(out.warnings.length, 1);
  assert.deepEqual(disassembleBundle(out.bytes, 0, 0n, 6).lines, [
    'psllql,4 %dr3, %dr4, 0x8, %dr5',
  ]);
});

test('array-access literal offsets can be symbolic', () => {
  const out = assembleBundle(
    ['staaw,2 %r1, %aad3 [ %aasti2 + _f32s,_lts0 table ]'],
    makeContext(6, true),
  );
  assert.equal(out.fixups.length, 1);
  assert.equal(out.fixups[0].type, 'R_E2K_32_ABS');
  applyFixup(out.bytes, 0, out.fixups[0], 0x40n, 0n);
  assert.deepEqual(disassembleBundle(out.bytes, 0, 0n, 6).lines, [
    'staaw,2 %r1, %aad3 [ %aasti2 + _f32s,_lts0 0x40 ]',
  ]);
});

test('the CS0 fixup points at CS0 even when another syllable has the same value', () => {
  // ALS5 = 0x40000000 equals the unpatched CS0 of `disp %ctpr1, sym`.
  const out = assembleBundle(
    ['udivs,5 %b[0], %b[0], %b[0]', 'disp %ctpr1, sym'],
    makeContext(6, true),
  );
  assert.equal(out.fixups[0].offset, 8);
});

test('different symbols never share a literal; the same one shares it once', () => {
  const ctx = makeContext(6, true);
  const two = assembleBundle(['addd,0 0, a, %dr1', 'addd,1 0, b, %dr2'], ctx);
  assert.equal(two.fixups.length, 2);
  assert.notEqual(two.fixups[0].offset, two.fixups[1].offset);
  const same = assembleBundle(['addd,0 0, a + 8, %dr1', 'addd,1 0, a + 8, %dr2'], ctx);
  assert.equal(same.fixups.length, 1);
  const constant = assembleBundle(['addd,0 0, a, %dr1', 'addd,1 0, _f64 0x0, %dr2'], ctx);
  assert.equal(constant.bytes.length, 32); // HS, 2 ALS, pad + two 64-bit literals
});

/** Byte ranges [offset, offset + size) of the fields the fixups patch must not overlap. */
function assertDisjoint(fixups: { offset: number; type: string }[]): void {
  const size = (t: string) => (t === 'R_E2K_64_ABS_LIT' || t === 'R_E2K_64_ABS' ? 8 : 4);
  for (let i = 0; i < fixups.length; i++)
    for (let j = i + 1; j < fixups.length; j++) {
      const a = fixups[i];
      const b = fixups[j];
      assert.ok(
        a.offset + size(a.type) <= b.offset || b.offset + size(b.type) <= a.offset,
        `fixups overlap: ${a.type}@${a.offset} and ${b.type}@${b.offset}`,
      );
    }
}
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
const where = (fs: { offset: number; type: string; symbol: string; addend: bigint }[]) =>
  fs.map((f) => `${f.type}@${f.offset} ${f.symbol}+${f.addend}`);

test('two different 64-bit symbols get separate LTS pairs (regression: both at 16)', () => {
  const out = assembleBundle(
    ['addd,0 0, sym1, %dr0', 'addd,1 0, sym2, %dr1'],
    makeContext(3, true),
  );
  assert.equal(
    hexOf(out.bytes),
    '3200000c80dcc01181dec0110000000000000000000000000000000000000000',
  );
  assert.deepEqual(where(out.fixups), ['R_E2K_64_ABS_LIT@24 sym1+0', 'R_E2K_64_ABS_LIT@16 sym2+0']);
  assertDisjoint(out.fixups);
});

test('the same symbol with different addends is two literals (regression: buffer+0/+8)', () => {
  const out = assembleBundle(
    ['ldd,0 [ buffer + 0 ], %dr1', 'ldd,2 [ buffer + 8 ], %dr2'],
    makeContext(3, true),
  );
  assert.equal(
    hexOf(out.bytes),
    '3200001481dcc06782dec0670000000000000000080000000000000000000000',
  );
  assert.deepEqual(where(out.fixups), [
    'R_E2K_64_ABS_LIT@24 buffer+0',
    'R_E2K_64_ABS_LIT@16 buffer+8',
  ]);
  assertDisjoint(out.fixups);
});

test('the same symbol+addend with different relocation types does not share a place', () => {
  // A 32-bit use could otherwise sit in the low word of the 64-bit one: overlapping relocations.
  for (const ops of [
    ['adds,0 0, _f32s sym, %r1', 'addd,1 0, sym, %dr2'],
    ['addd,0 0, sym, %dr2', 'adds,1 0, _f32s sym, %r1'],
  ]) {
    const out = assembleBundle(ops, makeContext(6, true));
    assert.equal(out.fixups.length, 2, ops.join('; '));
    assert.equal(out.bytes.length, 24, ops.join('; ')); // HS, 2 ALS, LTS2 (32) + LTS1:0 (64)
    assertDisjoint(out.fixups);
  }
  const a = assembleBundle(
    ['adds,0 0, _f32s sym, %r1', 'addd,1 0, sym, %dr2'],
    makeContext(6, true),
  );
  assert.equal(hexOf(a.bytes), '2200000c81dac01082dcc011000000000000000000000000');
  assert.deepEqual(where(a.fixups), ['R_E2K_32_ABS@12 sym+0', 'R_E2K_64_ABS_LIT@16 sym+0']);
});

test('identical 32-bit symbolic literals share one word and one relocation', () => {
  const out = assembleBundle(
    ['adds,0 0, _f32s sym, %r1', 'adds,1 0, _f32s sym, %r2', 'adds,2 0, _f32s sym + 4, %r3'],
    makeContext(6, true),
  );
  assert.equal(hexOf(out.bytes), '2300001c81d8c01082d8c01083d9c0100400000000000000');
  assert.deepEqual(where(out.fixups), ['R_E2K_32_ABS@20 sym+0', 'R_E2K_32_ABS@16 sym+4']);
});
