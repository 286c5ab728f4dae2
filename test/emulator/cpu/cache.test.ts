/** The decoded-bundle cache is dropped when its code page is written (self-modifying code). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleBundle } from '../../../emulator/isa/index';
import { Cpu, Stop } from '../../../emulator/cpu/cpu';
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../emulator/cpu/memory';
import { cpuModel } from '../../../emulator/cpu/models';

function asm(ops: string[]): Uint8Array {
  return assembleBundle(ops, {
    iset: 5,
    braced: true,
    pc: 0n,
    evaluate: (e) => ({ kind: 'const', value: BigInt(e) }),
  }).bytes;
}

test('writing a code page invalidates the cached decoded bundles', () => {
  const mem = new Memory();
  mem.map(0x10000, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  const c = new Cpu(mem, cpuModel('e8c2'));
  c.wdSize = 16;
  mem.writeBytes(0x10000, asm(['addd,0 0, 1, %r0']));
  c.ip = 0x10000;
  assert.equal(c.run(1), Stop.Limit);
  assert.equal(c.winLo(0), 1);
  // a guest-style 32-bit store over the ALS word: now `addd,0 0, 7, %r0`
  const b = asm(['addd,0 0, 7, %r0']);
  mem.write32(0x10004, b[4] | (b[5] << 8) | (b[6] << 16) | (b[7] << 24));
  c.ip = 0x10000;
  assert.equal(c.run(1), Stop.Limit);
  assert.equal(c.winLo(0), 7);
});

test('an unmapped or non-executable target is an instruction page fault', () => {
  const mem = new Memory();
  mem.map(0x10000, 0x1000, PROT_READ);
  const c = new Cpu(mem, cpuModel('e8c2'));
  c.ip = 0x10000;
  assert.equal(c.run(1), Stop.Exception);
  assert.match(c.excDetail, /instruction fetch: protection/);
  c.ip = 0x20000;
  assert.equal(c.run(1), Stop.Exception);
  assert.match(c.excDetail, /instruction fetch: unmapped/);
});
