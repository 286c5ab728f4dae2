// decodeBundle: structured fields the CPU interpreter relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleBundle, decodeBundle } from '../../../emulator/isa';
import { literalOf, newDecodedBundle } from '../../../emulator/isa/decode';
import { makeContext } from './vectors';

const asm = (ops: string[], iset: 2 | 3 | 4 | 5 | 6 = 6) =>
  assembleBundle(ops, makeContext(iset, true)).bytes;

test('ALU operands, table entry, literal and conditions', () => {
  const bytes = asm([
    'addd,3 %dr1, 0x12345678, %dr2 ? ~%pred5, %pcnt2',
    'merges,0 %r1, %r2, %r3, %pred4',
  ]);
  const d = decodeBundle(bytes, 0, 6);
  assert.equal(d.invalid, null);
  assert.equal(d.illegal, null);
  const a = d.alu[3]!;
  assert.equal(a.op!.name, 'addd');
  assert.equal(a.src1, 0x81);
  assert.equal(a.dst, 0x82);
  assert.deepEqual(literalOf(d.layout, a.src2), { size: 32, lo: 0x12345678, hi: 0 });
  assert.equal(a.condPred, 0x80 | 0x65);
  assert.equal(a.condPcnt, 0x42);
  assert.equal(d.alu[0]!.mrgc, 0x64);
  assert.equal(d.alu[0]!.op!.kind, 'merge');
});

test('quad ops mark their second channel', () => {
  const d = decodeBundle(asm(['movtq,0 %qr2, %qr4']), 0, 6);
  assert.equal(d.alu[0]!.op!.name, 'movtq');
  assert.equal(d.alu[1]!.pairHalf, true);
  assert.equal(d.alu[1]!.dst, 0x85);
});

test('decode buffers can be reused', () => {
  const out = newDecodedBundle();
  const one = decodeBundle(asm(['adds,0 %r1, %r2, %r3']), 0, 6, out);
  assert.equal(one.alu[0]!.op!.name, 'adds');
  const two = decodeBundle(asm(['ct %ctpr1']), 0, 6, out);
  assert.equal(two, out);
  assert.equal(two.alu[0], null);
  assert.notEqual(two.layout.ss, -1);
});

test('illegal encodings are reported, never thrown', () => {
  // Unknown opcode in channel 1 (opc 0x7f, short).
  const b = Uint8Array.from([0x01, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x7f]);
  assert.match(decodeBundle(b, 0, 6).illegal!, /no operation/);
  // src2 referring to a missing literal.
  const c = Uint8Array.from([0x01, 0x00, 0x00, 0x04, 0x82, 0xd8, 0x81, 0x10]);
  assert.match(decodeBundle(c, 0, 6).illegal!, /src2/);
  // Middle pointer mismatch.
  const e = Uint8Array.from([0x03, 0x00, 0x00, 0x04, 0x82, 0x81, 0x80, 0x10]);
  assert.ok(decodeBundle(e, 0, 6).invalid);
  // IBRANCH without SS.
  const f = Uint8Array.from([0x01, 0x40, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00]);
  assert.match(decodeBundle(f, 0, 6).illegal!, /IBRANCH/);
});
