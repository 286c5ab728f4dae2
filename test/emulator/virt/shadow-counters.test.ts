import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_COUNTERS,
  Counters,
  encodeCu,
  HDR_G_TMR,
  HDR_RR,
  HDR_WAIT_TRAP,
  ICE_READ_CU,
  IME_GPA_DATA,
  muRecord,
  RingBuffer,
  SHADOW_REGS,
  ShadowBank,
  u64,
  decodeCu,
  type ArchRegs,
  type ArchRegsNum,
  type U64,
} from '../../../emulator/virt';

class FakeCpu implements ArchRegs {
  regs = new Map<string, U64>();
  order: string[] = [];
  read(unit: 'cu' | 'mmu', num: number): U64 {
    return this.regs.get(`${unit}${num}`) ?? u64();
  }
  write(unit: 'cu' | 'mmu', num: number, v: U64): void {
    this.order.push(`${unit}${num}`);
    this.regs.set(`${unit}${num}`, v);
  }
}

describe('ShadowBank', () => {
  test('launch swaps SH values in, intercept swaps guest values back out', () => {
    const cpu = new FakeCpu();
    cpu.regs.set('cu4', u64(0x20)); // host CORE_MODE
    cpu.regs.set('mmu0', u64(0x821)); // host MMU_CR
    const sh = new ShadowBank();
    sh.set('SH_CORE_MODE', u64(0x18)); // gmi | hci
    sh.set('SH_MMU_CR', u64(0));
    sh.set('GP_PPTB', u64(0x1000_0000, 1));
    assert.equal(sh.launch(cpu), true);
    assert.equal(sh.launch(cpu), false, 'already in guest');
    assert.equal(cpu.order[0], 'cu4', 'CORE_MODE restored first');
    assert.deepEqual(cpu.read('cu', 4), u64(0x18));
    cpu.write('mmu', 0, u64(1)); // guest enables paging
    assert.equal(sh.intercept(cpu), true);
    assert.deepEqual(sh.get('SH_MMU_CR'), u64(1));
    assert.deepEqual(cpu.read('mmu', 0), u64(0x821), 'host value back');
    assert.deepEqual(cpu.read('cu', 4), u64(0x20));
    assert.equal(sh.intercept(cpu), false);
  });

  test('the numeric switch (ArchRegsNum) moves the same values as the U64 one', () => {
    class NumCpu extends FakeCpu implements ArchRegsNum {
      archHi = 0;
      readArch(unit: 'cu' | 'mmu', num: number): number {
        const v = this.read(unit, num);
        this.archHi = v.hi;
        return v.lo;
      }
      writeArch(unit: 'cu' | 'mmu', num: number, lo: number, hi: number): void {
        this.write(unit, num, u64(lo, hi));
      }
    }
    for (const cpu of [new FakeCpu(), new NumCpu()]) {
      cpu.regs.set('cu4', u64(0x20));
      cpu.regs.set('mmu53', u64(0x1000, 0x8000)); // host OS_PPTB, high half above 2^31
      const sh = new ShadowBank();
      sh.set('SH_CORE_MODE', u64(0x18));
      sh.set('SH_OS_PPTB', u64(0x2000, 0x1));
      assert.equal(sh.launch(cpu), true);
      assert.equal(cpu.order[0], 'cu4');
      assert.deepEqual(cpu.read('mmu', 0x35), u64(0x2000, 0x1));
      cpu.write('mmu', 0x35, u64(0x3000, 0xffffffff)); // guest switches tables
      assert.equal(sh.intercept(cpu), true);
      assert.deepEqual(sh.get('SH_OS_PPTB'), u64(0x3000, 0xffffffff));
      assert.deepEqual(cpu.read('mmu', 0x35), u64(0x1000, 0x8000), 'host value back');
      assert.deepEqual(cpu.read('cu', 4), u64(0x20));
      assert.equal(sh.guestActive, false);
    }
  });

  test('save/restore is plain data with stable names; bad input ignored', () => {
    const sh = new ShadowBank();
    sh.set('SH_OSR0', u64(0xdeadbeef, 0x12));
    const s = sh.save();
    assert.equal(Object.keys(s).length, SHADOW_REGS.length);
    assert.equal(s['SH_OSR0'], '0x00000012deadbeef');
    const t = new ShadowBank();
    t.restore(JSON.parse(JSON.stringify({ ...s, BOGUS: '0x1', SH_WD: 'zz' })));
    assert.deepEqual(t.get('SH_OSR0'), u64(0xdeadbeef, 0x12));
    assert.deepEqual(t.get('SH_WD'), u64());
    assert.equal(t.set('NOPE', u64(1)), false);
  });
});

describe('Counters and ring buffer', () => {
  test('ring buffer keeps the newest `capacity` items in order', () => {
    const r = new RingBuffer<number>(3);
    for (let i = 0; i < 7; i++) r.push(i);
    assert.deepEqual(r.toArray(), [4, 5, 6]);
    assert.equal(r.length, 3);
    assert.equal(r.total, 7);
    r.clear();
    assert.deepEqual(r.toArray(), []);
  });

  test('one exit counted once, causes per bit/entry, derived counters', () => {
    const c = new Counters(2);
    for (const n of BASE_COUNTERS) assert.equal(c.get(n), 0);
    const cu = decodeCu(
      encodeCu({
        evnC: 1, excC: 0, evnU: (HDR_RR | HDR_G_TMR) >>> 24, tirFz: false, hdrHi: u64(),
        entries: [{ code: ICE_READ_CU, ch: 0, regNum: 0x8a, dst: 0, vmDst: 0, data: u64() }],
      }), // prettier-ignore
    );
    c.recordIntercept(cu, [muRecord({ code: IME_GPA_DATA, gpa: 0x1000 })], 0, 0x4000, 12);
    c.recordIntercept({ ...cu!, evnC: 0, evnU: HDR_WAIT_TRAP >>> 24, entries: [] }, [], 1);
    c.recordIntercept(null, [muRecord({ code: 10, gva: 0x40 })], 0);
    assert.equal(c.get('exits.total'), 3);
    assert.equal(c.get('exits.idr_read'), 1);
    assert.equal(c.get('exits.quantum'), 1);
    assert.equal(c.get('exits.idle'), 1);
    assert.equal(c.get('exits.cause.rr_idr'), 1);
    assert.equal(c.get('exits.cause.wait_trap'), 1);
    assert.equal(c.get('exits.cu.READ_CU'), 1);
    assert.equal(c.get('cu_reg_emulations.read.0x8a'), 1);
    assert.equal(c.get('gpa.faults'), 1);
    assert.equal(c.get('gpa.faults.data'), 1);
    assert.equal(c.get('mmu_reg_emulations.write.0x4'), 1);
    assert.deepEqual(c.cuHist, [2, 1, 0]);
    assert.deepEqual(c.muHist.slice(0, 2), [1, 2]);
    c.inc('time.guest_ms', 5);
    c.set('gpa.pages_mapped', 42);
    const s = JSON.parse(JSON.stringify(c.snapshot()));
    assert.equal(s.counters['time.guest_ms'], 5);
    assert.equal(s.counters['gpa.pages_mapped'], 42);
    assert.equal(s.log.length, 2, 'bounded');
    assert.equal(s.logTotal, 3);
    assert.deepEqual(
      s.log.map((e: { seq: number }) => e.seq),
      [1, 2],
    );
    assert.equal(s.log[0].vcpu, 1);
  });
});

describe('Counters.syncVm', () => {
  test('copies gauges from GpSpace and VirtualEpic', async () => {
    const { PhysMemory } = await import('../../../emulator/memory');
    const { GpSpace, VirtualEpic, VirtualCepic } = await import('../../../emulator/virt');
    const space = new GpSpace(new PhysMemory(2 ** 36, 0x100000));
    space.addRam(0, 1 << 20);
    space.populate(0x1000);
    const epic = new VirtualEpic(1);
    const a = new VirtualCepic(0);
    epic.add(a);
    a.inject(0x40);
    const c = new Counters();
    c.syncVm(space, epic);
    assert.equal(c.get('gpa.pages_mapped'), 1);
    assert.equal(c.get('irq.posted'), 1);
    assert.equal(c.get('irq.injected'), 0);
  });
});
