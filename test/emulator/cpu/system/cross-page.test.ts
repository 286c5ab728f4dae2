/**
 * Page-crossing bundles in system mode: the cached bundle lives on the first physical page
 * and is checked against the second page as translated now, so a CPU store, a write by a
 * device (PhysMemory) or a remap of the second virtual page to other bytes re-decodes it,
 * and an unmapped second page is an instruction page miss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleBundle } from '../../../../emulator/isa/index';
import { cpuModel } from '../../../../emulator/cpu/models';
import { Exc, GuestTrap } from '../../../../emulator/cpu/exceptions';
import { PhysMemory } from '../../../../emulator/memory/phys';
import { MmioBus } from '../../../../emulator/memory/mmio';
import { SysCpu } from '../../../../emulator/cpu/system/syscpu';
import { PageTables } from './helpers';

function asm(ops: string[]): Uint8Array {
  return assembleBundle(ops, {
    iset: 6,
    braced: true,
    pc: 0n,
    evaluate: (e) => ({ kind: 'const', value: BigInt(e) }),
  }).bytes;
}

/** HS and ALS0 on the first page, the literal (LTS0) on the second. */
const A = asm(['addd,0 0, 0x12345678, %r0']);
const B = asm(['addd,0 0, 0x0abcdef0, %r0']);
const VA = 0x4000_0ff8;
const PA1 = 0x20_0000;
const PA2 = 0x21_0000;
const PA3 = 0x22_0000;

function setup(): { cpu: SysCpu; phys: PhysMemory; pt: PageTables } {
  const phys = new PhysMemory(16 << 20);
  const cpu = new SysCpu(phys, new MmioBus(), cpuModel('e16c'));
  const pt = new PageTables(phys);
  pt.map(0x4000_0000, PA1);
  pt.map(0x4000_1000, PA2);
  phys.writeBytes(PA1 + 0xff8, A.subarray(0, 8));
  phys.writeBytes(PA2, A.subarray(8));
  phys.writeBytes(PA3, B.subarray(8));
  cpu.mmu.regs.set(4, pt.root); // U_PPTB
  cpu.mmu.regs.set(0, 1); // MMU_CR.tlb_en
  cpu.smem.invalidate();
  return { cpu, phys, pt };
}

const literal = (cpu: SysCpu): number => cpu.fetch(VA).alu[0].i2lo >>> 0;

test('system mode: cached once, re-decoded after a store or a device write to the second page', () => {
  const { cpu, phys } = setup();
  assert.equal(literal(cpu), 0x12345678);
  assert.equal(cpu.fetch(VA), cpu.fetch(VA), 'cached');
  cpu.smem.write32(0x4000_1004, 0x0abcdef0); // a CPU store through the MMU
  assert.equal(literal(cpu), 0x0abcdef0);
  phys.write32(PA2 + 4, 0x12345678); // DMA
  assert.equal(literal(cpu), 0x12345678);
});

test('system mode: a remap of the second page to other bytes re-decodes; unmapped is a page miss', () => {
  const { cpu, pt } = setup();
  assert.equal(literal(cpu), 0x12345678);
  pt.map(0x4000_1000, PA3);
  cpu.mmu.tlb.flushAll();
  cpu.smem.invalidate(); // what a TLB flush op does
  assert.equal(literal(cpu), 0x0abcdef0);
  pt.map(0x4000_1000, 0, 0); // not present
  cpu.mmu.tlb.flushAll();
  cpu.smem.invalidate();
  assert.throws(
    () => cpu.fetch(VA),
    (e) => e instanceof GuestTrap && e.exc === Exc.InstrPage && e.addr === 0x4000_1000,
  );
});

test('system mode: one physical code page at two virtual addresses runs each alias with its own ip', () => {
  const { cpu, pt } = setup();
  pt.map(0x5000_0000, PA1); // the same physical page again, 0x1000_0000 higher
  cpu.mmu.tlb.flushAll();
  cpu.smem.invalidate();
  const bundle = asm(['addd,0 0, 1, %r0']);
  cpu.smem.writeBytes(0x4000_0000, bundle);
  const a = cpu.fetch(0x4000_0000);
  assert.equal(a.ip, 0x4000_0000);
  const b = cpu.fetch(0x5000_0000);
  assert.equal(b.ip, 0x5000_0000, 'not the bundle compiled for the other alias');
  assert.equal(cpu.fetch(0x4000_0000).ip, 0x4000_0000, 'and back');
});
