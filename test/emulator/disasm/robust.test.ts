// Random bytes never make the decoder or disassembler throw; lengths stay sane.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBundle, disassembleBundle } from '../../../emulator/isa';
import type { IsaLevel } from '../../../emulator/isa';

test('decodeBundle/disassembleBundle are total on random bytes', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 0, maxLength: 80 }),
      fc.nat(16),
      fc.constantFrom<IsaLevel>(2, 3, 4, 5, 6),
      (bytes, off, iset) => {
        const offset = Math.min(off, bytes.length);
        const d = decodeBundle(bytes, offset, iset);
        assert.ok(d.length >= 0 && d.length <= 64);
        const r = disassembleBundle(bytes, offset, 0x1000n, iset);
        assert.ok(Array.isArray(r.lines));
        assert.ok(r.length <= 64);
        if (bytes.length - offset >= 8) assert.ok(r.length >= 8);
        else assert.equal(r.length, bytes.length - offset);
      },
    ),
    { numRuns: 3000 },
  );
});

test('bytes with a random valid-looking header are handled', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.nat(15), (bytes, mdl) => {
      bytes[0] = (bytes[0] & 0xf0) | mdl;
      const r = disassembleBundle(bytes, 0, 0n, 6);
      assert.ok(r.length >= 8);
      for (const l of r.lines) assert.equal(typeof l, 'string');
    }),
    { numRuns: 3000 },
  );
});

test('trailing bytes shorter than a bundle are printed and consumed', () => {
  const r = disassembleBundle(Uint8Array.from([1, 2, 3, 4, 5, 6]), 0, 0n, 6);
  assert.equal(r.length, 6);
  assert.equal(r.invalid, true);
  assert.deepEqual(r.lines, ['.word 0x04030201 ! truncated bundle', '.byte 0x05, 0x06']);
  assert.equal(disassembleBundle(Uint8Array.from([9]), 0, 0n, 6).length, 1);
});

test('an invalid header gives .word lines with a reason', () => {
  // MDL says 4 words of front part but only HS + ALS0 are present.
  const b = Uint8Array.from([0x03, 0x00, 0x00, 0x04, 0x82, 0x81, 0x80, 0x10]);
  const r = disassembleBundle(b, 0, 0n, 6);
  assert.equal(r.invalid, true);
  assert.equal(r.length, 8);
  assert.match(r.lines[0], /^\.word 0x04000003 ! middle pointer/);
});
