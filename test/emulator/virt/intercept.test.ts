import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideCuRead,
  decideException,
  decodeCu,
  encodeCu,
  HDR_RR,
  HDR_WAIT_TRAP,
  ICE_FORCED,
  ICE_READ_CU,
  IME_FORCED_GVA,
  IME_GPA_DATA,
  IME_READ_MU,
  InterceptCollector,
  KVM_DEFAULT_CU,
  muRecord,
  replayPlan,
  u64,
  unconditional,
} from '../../../emulator/virt';

describe('InterceptCollector', () => {
  test('nothing recorded → no exit', () => {
    const c = new InterceptCollector();
    assert.equal(decideException(29, KVM_DEFAULT_CU), null);
    assert.equal(c.finish(false), null);
  });

  test('one bundle: IDR read + GP fault + wait → one exit with both units', () => {
    const c = new InterceptCollector();
    c.add(decideCuRead(0x8a, KVM_DEFAULT_CU)!, { regNum: 0x8a, data: u64(0x3a207) });
    c.addMu(muRecord({ code: IME_GPA_DATA, gpa: 0x1000, gva: 0x1000 }));
    c.add(unconditional('wait_trap'));
    const r = c.finish(true)!;
    assert.equal(r.cu.evnC, 1);
    assert.equal(r.cu.evnU, ((HDR_RR | HDR_WAIT_TRAP) >>> 24) & 0xff);
    assert.equal(r.cu.tirFz, true);
    assert.deepEqual(
      r.cu.entries.map((e) => [e.code, e.regNum]),
      [[ICE_READ_CU, 0x8a]],
    );
    assert.equal(r.mu.length, 1);
    assert.deepEqual(decodeCu(encodeCu(r.cu)), r.cu);
    assert.equal(c.pending, false, 'reset after finish');
  });

  test('capacity: 2 CU entries, 11 MU records; extra counted as overflow', () => {
    const c = new InterceptCollector();
    for (let i = 0; i < 3; i++) c.add(decideCuRead(0x8a, KVM_DEFAULT_CU)!);
    for (let i = 0; i < 12; i++) c.addMu(muRecord({ code: 0 }));
    assert.equal(c.overflow, 2);
    const r = c.finish(false)!;
    assert.equal(r.cu.entries.length, 2);
    assert.equal(r.mu.length, 11);
  });
});

describe('replayPlan', () => {
  test('code 0 skipped, reads delivered, FORCED_GVA → guest fault, rest performed', () => {
    const e = (code: number, regNum: number, lo = 0) => ({
      code,
      ch: 0,
      regNum,
      dst: 0,
      vmDst: 0,
      data: u64(lo),
    });
    const cu = { evnC: 0, excC: 0, evnU: 0, tirFz: false, hdrHi: u64(), entries: [e(ICE_FORCED, 0x92), e(ICE_READ_CU, 0x8a, 0x1234)] }; // prettier-ignore
    const mu = [muRecord({ code: IME_READ_MU, data: { lo: 9, hi: 0, tag: 0 } }), muRecord({ code: IME_FORCED_GVA }), muRecord({ code: IME_GPA_DATA })]; // prettier-ignore
    const plan = replayPlan(cu, mu);
    assert.deepEqual(plan.map((p) => `${p.unit}:${p.kind}`), ['cu:deliver_read', 'mu:deliver_read', 'mu:guest_fault', 'mu:perform']); // prettier-ignore
    assert.deepEqual(plan[0], {
      unit: 'cu',
      kind: 'deliver_read',
      regNum: 0x8a,
      value: u64(0x1234),
    });
  });
});

describe('InterceptCollector MU decisions', () => {
  test('an MMU register write decision becomes a WRITE_MU record with the data', async () => {
    const { decideMmuReg, muBit, IME_WRITE_MU } = await import('../../../emulator/virt');
    const c = new InterceptCollector();
    const d = decideMmuReg(0x04, true, u64(1 << muBit('rw_pptb')), u64())!;
    c.add(d, { gva: 0x04 << 4, data: u64(0x5000) });
    const r = c.finish(false)!;
    assert.equal(r.mu[0].code, IME_WRITE_MU);
    assert.equal(r.mu[0].gva, 0x40);
    assert.deepEqual(r.mu[0].data, { lo: 0x5000, hi: 0, tag: 0 });
    assert.equal(r.cu.entries.length, 0);
  });
});

describe('InterceptCollector record reuse', () => {
  test('the last finished records stay intact while the next bundle collects; released MU records are reused clean', () => {
    const c = new InterceptCollector();
    c.addOp(decideCuRead(0x8a, KVM_DEFAULT_CU)!, 0x8a, 0, 0x11, 0, 0, 0, 0);
    c.addMuFields(IME_GPA_DATA, 0x5000, 0x7000, 2, false, 0xaa, 0xbb, 1 << 17, 0);
    const a = c.finish(false)!;
    const cuA = a.cu;
    const muA = a.mu;
    const recA = muA[0];
    // next bundle: different records, A untouched
    c.addOp(unconditional('wait_trap'), 0, 0, 0, 0, 0, 0, 0);
    c.addMuFields(IME_READ_MU, 0, 0x40, 0, true, 0, 0, 0, 0);
    assert.equal(cuA.entries.length, 1);
    assert.equal(cuA.entries[0].data.lo, 0x11);
    assert.equal(muA.length, 1);
    assert.equal(recA.gpa, 0x5000);
    assert.deepEqual(recA.data, { lo: 0xaa, hi: 0xbb, tag: 0 });
    const b = c.finish(true)!;
    assert.notEqual(b.cu, cuA);
    assert.equal(b.cu.entries.length, 0);
    assert.equal(b.cu.evnU, (HDR_WAIT_TRAP >>> 24) & 0xff);
    assert.equal(b.mu[0].code, IME_READ_MU);
    // (A's list itself was emptied by that finish: lists live until the next-but-one)
    assert.equal(muA.length, 0);
    // A's MU record back to the pool: the next record is the same object, every field reset
    c.release([recA]);
    c.addMuFields(IME_FORCED_GVA, 0x9000, 0x9000, 0, true, 0, 0, 0, 0);
    const d = c.finish(false)!;
    assert.equal(d.mu[0], recA);
    assert.deepEqual(
      d.mu[0],
      muRecord({ code: IME_FORCED_GVA, gpa: 0x9000, gva: 0x9000, ptLevFin: true }),
    );
  });
});
