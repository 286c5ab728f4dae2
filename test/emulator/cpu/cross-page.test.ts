/**
 * Bundles that cross into the next page are cached on their first page and revalidated
 * against the second page's bytes (cpu.ts fetchCrossing): a write to either page or a remap
 * of the second one never runs a stale bundle, and a second page that cannot be fetched is
 * an instruction page fault.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleBundle } from '../../../emulator/isa/index';
import { Cpu, Stop } from '../../../emulator/cpu/cpu';
import { Exc } from '../../../emulator/cpu/exceptions';
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

const RWX = PROT_READ | PROT_WRITE | PROT_EXEC;
/** 16 bytes: HS and ALS0 on the first page, the literal (LTS0) on the second. */
const A = asm(['addd,0 0, 0x12345678, %r0']);
const B = asm(['addd,0 0, 0x0abcdef0, %r0']);
const IP = 0x10ff8;

function setup(): { mem: Memory; c: Cpu } {
  assert.equal(A.length, 16);
  const mem = new Memory();
  mem.map(0x10000, 0x2000, RWX);
  mem.writeBytes(IP, A);
  const c = new Cpu(mem, cpuModel('e8c2'));
  c.wdSize = 16;
  return { mem, c };
}

function runAt(c: Cpu, ip: number): Stop {
  c.ip = ip;
  return c.run(1);
}

/** A guest-style store of B's second-page half over the second page. */
function storeTail(mem: Memory, bytes: Uint8Array): void {
  for (let i = 8; i < 16; i += 4)
    mem.write32(
      IP + i,
      bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24),
    );
}

test('a crossing bundle is decoded once and reused', () => {
  const { c } = setup();
  assert.equal(runAt(c, IP), Stop.Limit);
  assert.equal(c.winLo(0), 0x12345678);
  assert.equal(c.ip, IP + 16);
  assert.equal(c.fetch(IP), c.fetch(IP), 'the same compiled bundle on every fetch');
});

test('a store to the second page re-decodes the crossing bundle', () => {
  const { mem, c } = setup();
  const first = c.fetch(IP);
  assert.equal(runAt(c, IP), Stop.Limit);
  storeTail(mem, B);
  assert.notEqual(c.fetch(IP), first);
  assert.equal(runAt(c, IP), Stop.Limit);
  assert.equal(c.winLo(0), 0x0abcdef0);
  // and back (the first page untouched throughout)
  storeTail(mem, A);
  assert.equal(runAt(c, IP), Stop.Limit);
  assert.equal(c.winLo(0), 0x12345678);
});

test('a store to the first page drops the crossing bundle', () => {
  const { mem, c } = setup();
  assert.equal(runAt(c, IP), Stop.Limit);
  const other = asm(['addd,0 0, 0x12345678, %r1']); // same literal, another destination
  mem.write32(IP + 4, other[4] | (other[5] << 8) | (other[6] << 16) | (other[7] << 24));
  c.setWin(1, 0, 0);
  assert.equal(runAt(c, IP), Stop.Limit);
  assert.equal(c.winLo(1), 0x12345678);
});

test('unmapping the second page faults; remapping it runs the new bytes', () => {
  const { mem, c } = setup();
  assert.equal(runAt(c, IP), Stop.Limit);
  mem.unmap(0x11000, 0x1000);
  assert.equal(runAt(c, IP), Stop.Exception);
  assert.equal(c.exc, Exc.InstrPage);
  assert.equal(c.excAddr, 0x11000);
  assert.match(c.excDetail, /unmapped.*crosses into this page/);
  mem.map(0x11000, 0x1000, RWX);
  mem.writeBytes(IP + 8, B.subarray(8));
  assert.equal(runAt(c, IP), Stop.Limit);
  assert.equal(c.winLo(0), 0x0abcdef0);
});

test('a non-executable second page faults with protection', () => {
  const { mem, c } = setup();
  assert.equal(runAt(c, IP), Stop.Limit);
  assert.ok(mem.protect(0x11000, 0x1000, PROT_READ));
  assert.equal(runAt(c, IP), Stop.Exception);
  assert.equal(c.exc, Exc.InstrPage);
  assert.match(c.excDetail, /protection/);
});

test('a bundle in the last 64 bytes that ends inside its page needs no next page', () => {
  const mem = new Memory();
  mem.map(0x10000, 0x1000, RWX);
  mem.writeBytes(0x10ff0, A); // ends exactly at the page end
  const c = new Cpu(mem, cpuModel('e8c2'));
  c.wdSize = 16;
  assert.equal(runAt(c, 0x10ff0), Stop.Limit);
  assert.equal(c.winLo(0), 0x12345678);
  assert.equal(c.fetch(0x10ff0), c.fetch(0x10ff0));
});
