import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { PhysMemory } from '../../../emulator/memory';
import {
  ACC_READ,
  ACC_WRITE,
  CORE_MODE_PT_V6,
  CORE_MODE_SEP_VIRT_SPACE,
  encodePte,
  F_A,
  F_D,
  F_G,
  F_P,
  F_VALID,
  F_W,
  FT_ILLEGAL_PAGE,
  FT_NWRITE_PAGE,
  MAS_TLB_FLUSH,
  MAS_TLB_PAGE_FLUSH,
  Mmu,
  MMU_CR,
  OS_PPTB,
  OS_VAB,
  PID,
  Tlb,
  U_PPTB,
  WALK_FAULT,
  WALK_OK,
} from '../../../emulator/mmu';

const DIR = F_P | F_VALID | F_W | F_A | F_D;
const idx = (va: number, level: number) => Math.floor(va / 2 ** (12 + 9 * (level - 1))) & 511;

/** Maps va → pa using table pages allocated bump-style from `next`. */
function mapper(m: PhysMemory, root: number, v6: boolean) {
  let next = root + 0x1000;
  return (va: number, pa: number, leaf: number) => {
    let t = root;
    for (let level = 4; level > 1; level--) {
      const a = t + idx(va, level) * 8;
      let lo = m.read64(a);
      if (lo === 0) {
        const e = encodePte(DIR, next, v6);
        m.write64(a, e.lo, e.hi);
        lo = e.lo;
        next += 0x1000;
      }
      t = lo & 0xfffff000;
    }
    const e = encodePte(leaf, pa, v6);
    m.write64(t + idx(va, 1) * 8, e.lo, e.hi);
  };
}

const mmuAddr = (reg: number) => reg << 4;

describe('Mmu', () => {
  test('non-paged mode: PA = VA; wild VA faults', () => {
    const mmu = new Mmu(new PhysMemory());
    assert.equal(mmu.translate(0x1234_5678, ACC_WRITE, false).pa, 0x1234_5678);
    const r = mmu.translate(2 ** 50, ACC_READ, true);
    assert.equal(r.status, WALK_FAULT);
    assert.equal(r.faultType, FT_ILLEGAL_PAGE);
  });

  test('register access path: MAS 0x47 at reg << 4, field masks', () => {
    const mmu = new Mmu(new PhysMemory());
    assert.equal(mmu.writeReg(mmuAddr(PID), 0x12345, 7), true);
    assert.equal(mmu.readReg(mmuAddr(PID)), 0x345);
    assert.equal(mmu.hi, 0);
    assert.equal(mmu.writeReg(0x48, 0, 0), false, 'bits 3:0 must be zero');
    assert.equal(mmu.readReg(0x500), -1);
    mmu.writeReg(mmuAddr(U_PPTB), 0x1234_5fff, 0xabcd_0012);
    assert.equal(mmu.regs.get(U_PPTB), 0x12_1234_5000);
    assert.equal(mmu.regs.snapshot().U_PPTB, '0x0000001212345000');
    const copy = new Mmu(new PhysMemory());
    copy.regs.restore(mmu.regs.snapshot());
    assert.equal(copy.regs.get(U_PPTB), 0x12_1234_5000);
    assert.equal(copy.regs.get(PID), 0x345);
  });

  for (const v6 of [false, true])
    test(`paged translation with TLB (${v6 ? 'v6' : 'legacy'})`, () => {
      const m = new PhysMemory(2 ** 36);
      const mmu = new Mmu(m);
      mmu.setCoreMode(v6 ? CORE_MODE_PT_V6 : 0);
      const map = mapper(m, 0x100000, v6);
      map(0x4000_0000, 0x9000, F_P | F_VALID | F_A);
      mmu.regs.set(U_PPTB, 0x100000);
      mmu.writeReg(mmuAddr(MMU_CR), 0x821, 0);
      assert.equal(mmu.paging, true);
      assert.equal(mmu.translate(0x4000_0010, ACC_READ, false).pa, 0x9010);
      assert.equal(mmu.walks, 1);
      assert.equal(mmu.translate(0x4000_0020, ACC_READ, false).pa, 0x9020);
      assert.equal(mmu.walks, 1, 'second access hits the TLB');
      const w = mmu.translate(0x4000_0020, ACC_WRITE, false);
      assert.equal(w.status, WALK_FAULT, 'TLB hit re-checks permissions');
      assert.equal(w.faultType, FT_NWRITE_PAGE);
      // Change the PTE: stale until flushed by page (MAS 0x17, addr 1, VA | ctx << 50).
      map(0x4000_0000, 0xa000, F_P | F_VALID | F_A | F_W);
      assert.equal(mmu.translate(0x4000_0000, ACC_READ, false).pa, 0x9000);
      assert.equal(mmu.flushOp(MAS_TLB_PAGE_FLUSH, 1, 0x4000_0000, 0), true);
      assert.equal(mmu.translate(0x4000_0000, ACC_WRITE, false).pa, 0xa000);
    });

  test('separate kernel/user roots (CORE_MODE.sep_virt_space, OS_VAB)', () => {
    const m = new PhysMemory(2 ** 36);
    const mmu = new Mmu(m);
    mapper(m, 0x100000, false)(0x1000, 0x5000, F_P | F_VALID);
    mapper(m, 0x200000, false)(0xe000_0000_0000, 0x6000, F_P | F_VALID);
    mmu.regs.set(U_PPTB, 0x100000);
    mmu.regs.set(OS_PPTB, 0x200000);
    mmu.regs.set(OS_VAB, 0xd000_0000_0000);
    mmu.regs.set(MMU_CR, 1);
    mmu.setCoreMode(CORE_MODE_SEP_VIRT_SPACE);
    assert.equal(mmu.translate(0x1000, ACC_READ, true).pa, 0x5000);
    assert.equal(mmu.translate(0xe000_0000_0000, ACC_READ, true).pa, 0x6000);
    mmu.setCoreMode(0); // united: U_PPTB for everything
    assert.equal(mmu.translate(0xe000_0000_0000, ACC_READ, true).status, WALK_FAULT);
  });

  test('full flush via MAS 0x27 address 1; context tagging via PID', () => {
    const m = new PhysMemory(2 ** 36);
    const mmu = new Mmu(m);
    const map = mapper(m, 0x100000, false);
    map(0x2000, 0x7000, F_P | F_VALID);
    mmu.regs.set(U_PPTB, 0x100000);
    mmu.regs.set(MMU_CR, 1);
    mmu.regs.set(PID, 5);
    assert.equal(mmu.translate(0x2000, ACC_READ, true).status, WALK_OK);
    mmu.regs.set(PID, 6);
    mmu.translate(0x2000, ACC_READ, true);
    assert.equal(mmu.walks, 2, 'different context misses');
    assert.equal(mmu.tlb.size, 2);
    assert.equal(mmu.flushOp(MAS_TLB_FLUSH, 1, 0, 0), true);
    assert.equal(mmu.tlb.size, 0);
  });
});

describe('Tlb', () => {
  test('flush semantics: page, context, global entries, capacity', () => {
    const t = new Tlb(8);
    t.insert(0x1000, 1, 0xa000, 0, 4096);
    t.insert(0x1000, 2, 0xb000, 0, 4096);
    t.insert(0x3000, 1, 0xc000, F_G, 4096);
    t.insert(0x20_0000, 1, 0x40_0000, 0, 2 ** 21);
    assert.equal(t.lookup(0x1000, 1)?.base, 0xa000);
    assert.equal(t.lookup(0x1000, 2)?.base, 0xb000);
    assert.equal(t.lookup(0x3000, 9)?.base, 0xc000, 'global matches any context');
    assert.equal(t.lookup(0x3f_ffff, 1)?.size, 2 ** 21, 'huge entry covers its range');
    t.flushPage(0x1000, 1);
    assert.equal(t.lookup(0x1000, 1), null);
    assert.notEqual(t.lookup(0x1000, 2), null, 'other context untouched');
    t.flushPage(0x2f_0000, 1);
    assert.equal(t.lookup(0x20_0000, 1), null, 'page flush inside a huge page drops it');
    t.insert(0x5000, 2, 0xd000, 0, 4096);
    t.flushContext(2);
    assert.equal(t.lookup(0x1000, 2), null);
    assert.equal(t.lookup(0x5000, 2), null);
    assert.notEqual(t.lookup(0x3000, 2), null, 'global survives a context flush');
    assert.equal(t.size, 1);
    for (let i = 0; i < 20; i++) t.insert(i * 4096, 3, 0, 0, 4096);
    assert.ok(t.size <= 8);
    t.flushAll();
    assert.equal(t.size, 0);
  });
});

describe('trap cellar', () => {
  test('records {address, data, condition} at TRAP_POINT + 24·i, TRAP_COUNT += 3', async () => {
    const { tcCondition, FT_PAGE_MISS, TRAP_POINT, TRAP_COUNT } =
      await import('../../../emulator/mmu');
    const m = new PhysMemory(2 ** 36);
    const mmu = new Mmu(m);
    mmu.writeReg(TRAP_POINT << 4, 0x8000, 0);
    const cond = tcCondition({ store: true, faultType: FT_PAGE_MISS });
    assert.equal(mmu.writeTrapCellar(m, 0xd000_0000_1234, 5, 6, cond), true);
    assert.equal(mmu.writeTrapCellar(m, 0x40, 0, 0, cond), true);
    assert.equal(mmu.regs.get(TRAP_COUNT), 6);
    assert.equal(m.read64(0x8000), 0x1234);
    assert.equal(m.hi, 0xd000);
    assert.equal(m.read64(0x8008), 5);
    assert.equal(m.read64(0x8010), cond.lo);
    assert.equal(m.read64(0x8018), 0x40);
    for (let i = 0; i < 19; i++) mmu.writeTrapCellar(m, 0, 0, 0, cond);
    assert.equal(mmu.writeTrapCellar(m, 0, 0, 0, cond), false, 'full');
    assert.equal(mmu.regs.get(TRAP_COUNT), 63);
  });
});

describe('Tlb front cache', () => {
  test('replacing or flushing an entry never leaves a stale cached translation', () => {
    const t = new Tlb();
    t.insert(0x7000, 1, 0xa000, 0, 4096);
    assert.equal(t.lookup(0x7000, 1)?.base, 0xa000);
    t.insert(0x7000, 1, 0xb000, 0, 4096);
    assert.equal(t.lookup(0x7000, 1)?.base, 0xb000);
    assert.equal(t.lookup(0x7000, 2), null, 'context is part of the cached tag');
    t.insert(0x20_0000, 1, 0x40_0000, 0, 2 ** 21);
    assert.equal(t.lookup(0x20_1000, 1)?.size, 2 ** 21);
    t.insert(0x20_1000, 1, 0xc000, 0, 4096);
    assert.equal(t.lookup(0x20_1000, 1)?.base, 0xc000, '4 KiB entry takes precedence');
    t.flushPage(0x7000, 1);
    assert.equal(t.lookup(0x7000, 1), null);
  });
});
