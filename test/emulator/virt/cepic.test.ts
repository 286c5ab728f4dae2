import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MmioBus, PhysMemory } from '../../../emulator/memory';
import {
  CEPIC_PAGE,
  CEPIC_REG as R,
  CTRL_SOFT_EN,
  decodeIcr,
  DLVM,
  DST_SH,
  LVTT_MASK,
  LVTT_PERIODIC,
  PNMIRR_INIT,
  PNMIRR_NM_TIMER,
  PNMIRR_NMI,
  PNMIRR_STARTUP,
  vectorPriority,
  VirtualCepic,
  VirtualEpic,
} from '../../../emulator/virt';

const enabled = (id = 0) => {
  const c = new VirtualCepic(id);
  c.write(R.CTRL, 4, CTRL_SOFT_EN);
  c.load();
  return c;
};
const icr = (vect: number, dstSh: number, dlvm: number) => vect | (dstSh << 10) | (dlvm << 13);

describe('VirtualCepic', () => {
  test('injection, INTA acknowledge, CIR, EOI restores CPR', () => {
    const c = enabled();
    c.inject(0x30);
    c.inject(0x120);
    assert.equal(c.read(R.PMIRR + 4, 4), 1 << 16, 'vector 0x30 = bit 48 → second word bit 16');
    assert.equal(c.pendingVector(), 0x120);
    const a = c.read(R.VECT_INTA, 4);
    assert.equal(a & 0x3ff, 0x120);
    assert.equal((a >>> 16) & 7, 0, 'INTA reports the previous CPR');
    assert.equal(c.read(R.CIR, 4), 0x120 | (1 << 12));
    assert.equal((c.cpr >>> 8) & 7, vectorPriority(0x120));
    assert.equal(c.pendingVector(), -1, '0x30 (priority 1) blocked while priority 2 in service');
    c.write(R.EOI, 4, 0 << 16);
    assert.equal(c.read(R.CIR, 4) & (1 << 12), 0);
    assert.equal(c.pendingVector(), 0x30);
    assert.equal(c.read(R.VECT_INTA, 4) & 0x3ff, 0x30);
    assert.equal(c.read(R.VECT_INTA, 4), 0x3ff, 'nothing pending → spurious (SVR)');
  });

  test('priority: CPR masks lower classes; soft_en gates delivery', () => {
    const c = enabled();
    c.write(R.CPR, 4, 2 << 8);
    c.inject(0x1ff); // priority 2
    assert.equal(c.pendingVector(), -1);
    c.inject(0x200); // priority 3
    assert.equal(c.pendingVector(), 0x200);
    c.write(R.CTRL, 4, 0);
    assert.equal(c.pendingVector(), -1);
    assert.deepEqual([0, 0xff, 0x100, 0x2ff, 0x3ff].map(vectorPriority), [1, 1, 2, 3, 4]);
  });

  test('posting while the vCPU is out; load merges; wakeup check sees posted bits', () => {
    const c = new VirtualCepic(1);
    c.write(R.CTRL, 4, CTRL_SOFT_EN);
    c.inject(0x40);
    assert.equal(c.posted, 1);
    assert.equal(c.pendingVector(), -1, 'bank empty while out');
    assert.equal(c.wakeupPending(), true);
    c.load();
    assert.equal(c.pendingVector(), 0x40);
    c.put();
    c.injectNm(PNMIRR_NMI);
    assert.equal(c.pendingNmi(), 0);
    assert.equal(c.wakeupPending(), true);
    c.load();
    assert.equal(c.pendingNmi(), PNMIRR_NMI);
    c.injectNm(PNMIRR_NM_TIMER);
    assert.equal(c.pendingNmi(), PNMIRR_NMI, 'nm_timer masked by the reset PNMIRR_MASK');
    assert.equal(c.injected, 1);
    assert.equal(c.posted, 2);
  });

  test('timer: one-shot, periodic, masked, divider, injected clock', () => {
    const c = enabled();
    c.write(R.TIMER_LVTT, 4, 0xef);
    c.write(R.TIMER_DIV, 4, 0xb); // ÷1
    c.write(R.TIMER_INIT, 4, 100);
    assert.equal(c.ticksToExpiry(), 100);
    c.advance(99);
    assert.equal(c.read(R.TIMER_CUR, 4), 1);
    assert.equal(c.pendingVector(), -1);
    c.advance(1);
    assert.equal(c.pendingVector(), 0xef);
    assert.equal(c.read(R.TIMER_CUR, 4), 0, 'one-shot stops');
    assert.equal(c.ticksToExpiry(), -1);
    c.inta();
    c.eoi(0);
    c.write(R.TIMER_LVTT, 4, 0xee | LVTT_PERIODIC);
    c.write(R.TIMER_DIV, 4, 0); // ÷2
    c.write(R.TIMER_INIT, 4, 10);
    c.advanceTo(1000); // sets the reference only
    c.advanceTo(1025); // 12 counts: fires once, 2 into the next period
    assert.equal(c.timerFires, 2);
    assert.equal(c.read(R.TIMER_CUR, 4), 8);
    assert.equal(c.pendingVector(), 0xee);
    c.write(R.TIMER_LVTT, 4, 0xee | LVTT_PERIODIC | LVTT_MASK);
    c.inta();
    c.advance(100);
    assert.equal(c.pendingVector(), -1, 'masked timer counts but does not interrupt');
    assert.equal(c.timerFires, 3);
  });

  test('ICR decode (guest layout) and delivery modes', () => {
    assert.deepEqual(decodeIcr(icr(0x321, 2, 6) | (1 << 12), 0x2a5), {
      vect: 0x321,
      dstSh: 2,
      dlvm: 6,
      dst: 0x2a5,
    });
    const c = enabled();
    c.deliver({ vect: 0x9a, dstSh: 0, dlvm: DLVM.STARTUP, dst: 0 });
    c.deliver({ vect: 0, dstSh: 0, dlvm: DLVM.INIT, dst: 0 });
    assert.equal(c.read(R.PNMIRR, 4), 0x9a | PNMIRR_STARTUP | PNMIRR_INIT);
    c.write(R.PNMIRR, 4, PNMIRR_INIT);
    assert.equal(c.pnmirr & PNMIRR_INIT, 0);
  });
});

describe('VirtualEpic (DAT routing)', () => {
  test('IPI to a running vCPU hits the DAT; to a stopped one misses and is re-delivered', () => {
    const vm = new VirtualEpic(7);
    const a = enabled(0);
    const b = new VirtualCepic(1);
    b.write(R.CTRL, 4, CTRL_SOFT_EN);
    const c = enabled(2);
    for (const x of [a, b, c]) vm.add(x);
    a.write(R.ICR2, 4, 2);
    a.write(R.ICR, 4, icr(0x50, DST_SH.EXACT, DLVM.FIXED_IPI));
    assert.equal(c.pendingVector(), 0x50);
    assert.equal(vm.datHits, 1);
    a.write(R.ICR, 8, icr(0x51, DST_SH.EXACT, DLVM.FIXED_IPI) + 1 * 2 ** 32);
    assert.equal(vm.datMisses, 1);
    assert.deepEqual(vm.missed[0], { vect: 0x51, dstSh: 0, dlvm: 1, dst: 1, gstId: 7, from: 0 });
    assert.equal(b.wakeupPending(), false);
    assert.equal(vm.redeliver(), 1);
    assert.equal(b.wakeupPending(), true, 'posted into the stopped vCPU page');
    a.write(R.ICR, 4, icr(0x60, DST_SH.ALL_BUT_SELF, DLVM.FIXED_IPI));
    assert.equal(a.pendingVector(), -1);
    assert.equal(c.pendingVector(), 0x60);
    a.write(R.ICR, 4, icr(0x61, DST_SH.SELF, DLVM.FIXED_IPI));
    assert.equal(a.pendingVector(), 0x61);
    assert.deepEqual(
      vm.dat().map((d) => d.active),
      [true, false, true],
    );
  });
});

describe('VirtualCepic on the MMIO bus', () => {
  test('plugs into memory/mmio.ts; reset restores power-on state', () => {
    const bus = new MmioBus();
    const c = new VirtualCepic(3, true);
    assert.equal(bus.mapDevice(0xfee0_0000, c), true);
    bus.write(0xfee0_0000, 4, CTRL_SOFT_EN);
    c.load();
    c.inject(0x77);
    assert.equal(bus.read(0xfee0_02f0, 4)! & 0x3ff, 0x77);
    assert.equal(bus.read(0xfee0_0010, 4), 3);
    c.reset();
    assert.equal(c.read(R.CTRL, 4), 0x100, 'BSP kept, soft_en cleared');
    assert.equal(c.read(R.TIMER_LVTT, 4), LVTT_MASK);
    assert.equal(c.read(R.CIR, 4), 0);
  });
});

describe('CEPIC page image (epic_page_t)', () => {
  test('save at appendix-B offsets, load back; posted bits merged into the page', () => {
    const mem = new PhysMemory(1 << 20);
    const base = 0x3000;
    const a = enabled(2);
    a.write(R.TIMER_LVTT, 4, 0xef | LVTT_PERIODIC);
    a.write(R.TIMER_INIT, 4, 500);
    a.inject(0x41);
    a.put();
    a.inject(0x3c0);
    a.savePage((o, v) => mem.write32(base + o, v));
    assert.equal(mem.read32(base + CEPIC_PAGE.id), 2);
    assert.equal(mem.read32(base + CEPIC_PAGE.ctrl), CTRL_SOFT_EN);
    assert.equal(mem.read32(base + CEPIC_PAGE.timer_init), 500);
    assert.equal(mem.read32(base + 0x100 + 8), 1 << 1, 'vector 0x41 in pmirr[1] low half');
    assert.equal(
      mem.read32(base + 0x100 + 0x78),
      1 << 0,
      'vector 0x3c0 (960 = 15·64) posted → pmirr[15] bit 0',
    );
    const b = new VirtualCepic();
    b.loadPage((o) => mem.read32(base + o));
    b.load();
    assert.equal(b.id, 2);
    assert.equal(b.timerLvtt, 0xef | LVTT_PERIODIC);
    assert.equal(b.pendingVector(), 0x3c0);
  });
});
