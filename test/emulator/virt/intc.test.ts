import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FT_NWRITE_PAGE, FT_PAGE_MISS, tcCondition } from '../../../emulator/mmu';
import {
  decodeCondition,
  decodeCu,
  decodeMu,
  describeIntercept,
  encodeCu,
  encodeMu,
  HDR_G_TMR,
  HDR_RR,
  ICE_READ_CU,
  ICE_WRITE_CU,
  IME_GPA_DATA,
  IME_READ_MU,
  muRecord,
  u64,
  type CuRecord,
} from '../../../emulator/virt';

describe('INTC_INFO_CU', () => {
  test('exact header and entry bit positions', () => {
    const r: CuRecord = {
      evnC: 1 << 0, // rr_idr
      excC: 1 << 3, // exc_data_page (VIRT_CTRL_CU bit 19)
      evnU: 1 << 3, // rr (bit 27)
      tirFz: true,
      hdrHi: u64(0x2000_0000, 0),
      entries: [
        { code: ICE_READ_CU, ch: 0, regNum: 0x8a, dst: 0x12, vmDst: 5, data: u64(0x0003_a207, 0) },
        {
          code: ICE_WRITE_CU,
          ch: 3,
          regNum: 0x92,
          dst: 0,
          vmDst: 0,
          data: u64(0xffff_ffff, 0x8000_0000),
        },
      ],
    };
    const w = encodeCu(r);
    assert.equal(w.length, 6, 'INTC_PTR_CU = 2 + 2·entries');
    assert.deepEqual(w[0], { lo: (1 | (1 << 19) | HDR_RR) >>> 0, hi: 1 }, 'tir_fz is bit 32');
    assert.deepEqual(w[2], { lo: 1 | (0x8a << 12) | (0x12 << 20) | (5 << 28), hi: 0 });
    assert.deepEqual(w[4], { lo: 2 | (3 << 8) | (0x92 << 12), hi: 0 });
    assert.deepEqual(w[5], { lo: 0xffff_ffff, hi: 0x8000_0000 });
    assert.deepEqual(decodeCu(w), r);
  });

  test('empty stream = no record; at most 2 entries', () => {
    assert.equal(decodeCu([]), null);
    const e = { code: 0, ch: 0, regNum: 0, dst: 0, vmDst: 0, data: u64() };
    const w = encodeCu({
      evnC: 0,
      excC: 0,
      evnU: 0,
      tirFz: false,
      hdrHi: u64(),
      entries: [e, e, e],
    });
    assert.equal(w.length, 6);
  });

  test('fast-check round trip', () => {
    const entry = fc.record({
      code: fc.nat(255), ch: fc.nat(15), regNum: fc.nat(255), dst: fc.nat(255), vmDst: fc.nat(7),
      data: fc.record({ lo: fc.nat(0xffffffff), hi: fc.nat(0xffffffff) }),
    }); // prettier-ignore
    fc.assert(
      fc.property(
        fc.record({
          evnC: fc.nat(0xffff), excC: fc.nat(255), evnU: fc.nat(255), tirFz: fc.boolean(),
          hdrHi: fc.record({ lo: fc.nat(0xffffffff), hi: fc.nat(0xffffffff) }),
          entries: fc.array(entry, { maxLength: 2 }),
        }), // prettier-ignore
        (r) => assert.deepEqual(decodeCu(encodeCu(r)), JSON.parse(JSON.stringify(r))),
      ),
    );
  });
});

describe('INTC_INFO_MU', () => {
  test('exact word layout and condition fields', () => {
    const cond = tcCondition({
      store: true,
      fmt: 4,
      chan: 2,
      pm: true,
      faultType: FT_PAGE_MISS | FT_NWRITE_PAGE,
    });
    const r = muRecord({
      code: IME_GPA_DATA, ptLevFin: true, ptLev: 5, ignoreWrRights: true, gpa: 0x1234_5678_9abc,
      gva: 0xd000_0000_1000, data: { lo: 7, hi: 8, tag: 3 }, condition: cond,
      mask: u64(0xff, 0),
    }); // prettier-ignore
    const w = encodeMu([r, muRecord({ code: IME_READ_MU, gva: 0x04 << 4 })]);
    assert.equal(w.length, 14, 'INTC_PTR_MU = 7·records');
    assert.equal(w[0].lo, 3 | (1 << 8) | (5 << 9) | (1 << 12));
    assert.deepEqual([w[1].lo, w[1].hi], [0x5678_9abc, 0x1234]);
    assert.deepEqual([w[2].lo, w[2].hi], [0x0000_1000, 0xd000]);
    assert.equal(w[3].tag, 3);
    assert.deepEqual(decodeMu(w), [r, muRecord({ code: IME_READ_MU, gva: 0x40 })]);
    const c = decodeCondition(r.condition);
    assert.equal(c.store, true);
    assert.equal(c.fmt, 4);
    assert.equal(c.chan, 2);
    assert.equal(c.faultType, FT_PAGE_MISS | FT_NWRITE_PAGE);
    assert.equal(decodeMu(w.slice(0, 10)).length, 1, 'partial record ignored');
  });

  test('readable form names causes, registers, addresses', () => {
    const cu = decodeCu(
      encodeCu({
        evnC: 1, excC: 0, evnU: (HDR_RR | HDR_G_TMR) >>> 24, tirFz: false, hdrHi: u64(),
        entries: [{ code: ICE_READ_CU, ch: 0, regNum: 0x8a, dst: 0, vmDst: 0, data: u64(0x3a207) }],
      }), // prettier-ignore
    );
    const mu = [
      muRecord({ code: IME_GPA_DATA, gpa: 0xfee000b0, gva: 0xfee000b0, condition: tcCondition({ store: true, faultType: FT_PAGE_MISS }), ptLevFin: true }), // prettier-ignore
      muRecord({ code: IME_READ_MU, gva: 0x04 << 4, data: { lo: 0x1000, hi: 0, tag: 0 } }),
    ];
    const d = describeIntercept(cu, mu, 0x10000);
    assert.deepEqual(d.causes, ['rr_idr', 'g_tmr', 'rr', 'mu.GPA_DATA', 'mu.READ_MU']);
    assert.equal(d.guestIp, '0x10000');
    assert.equal(d.entries[0].reg, 'IDR');
    assert.equal(d.entries[0].text, 'read IDR → 0x000000000003a207');
    assert.equal(d.entries[1].gpa, '0xfee000b0');
    assert.deepEqual(d.entries[1].faultTypes, ['page_miss']);
    assert.equal(d.entries[2].reg, 'U_PPTB');
    assert.match(d.summary, /^ip 0x10000: rr_idr\+g_tmr\+rr/);
  });
});

describe('decoders on arbitrary words', () => {
  test('fast-check: random INTC word streams decode and describe without throwing', () => {
    const word = fc.record({ lo: fc.nat(0xffffffff), hi: fc.nat(0xffffffff) });
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 90 }),
        fc.array(word, { maxLength: 8 }),
        (muW, cuW) => {
          const mu = decodeMu(muW);
          const cu = decodeCu(cuW);
          assert.ok(mu.length <= 11);
          assert.ok(!cu || cu.entries.length <= 2);
          const d = describeIntercept(cu, mu, 0);
          assert.equal(typeof d.summary, 'string');
          assert.deepEqual(decodeMu(encodeMu(mu)), mu);
        },
      ),
      { numRuns: 200 },
    );
  });
});
