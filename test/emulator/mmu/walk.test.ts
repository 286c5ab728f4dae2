import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PhysMemory } from '../../../emulator/memory';
import {
  ACC_EXEC,
  ACC_READ,
  ACC_WRITE,
  decodePte,
  encodePte,
  F_A,
  F_D,
  F_G,
  F_HUGE,
  F_NX,
  F_P,
  F_PV,
  F_VALID,
  F_W,
  FT_ILLEGAL_PAGE,
  FT_NWRITE_PAGE,
  FT_PAGE_MISS,
  FT_PH_BOUND,
  FT_PRIV_PAGE,
  FT_PROT_PAGE,
  PhysPteFetcher,
  tcCondition,
  walk,
  WALK_FAULT,
  WALK_OK,
  type Access,
} from '../../../emulator/mmu';

const DIR = F_P | F_VALID | F_W | F_A | F_D;
const idx = (va: number, level: number) => Math.floor(va / 2 ** (12 + 9 * (level - 1))) & 511;

/** Writes a 4-level mapping va → pa with tables at fixed physical pages. */
function build(m: PhysMemory, v6: boolean, va: number, pa: number, leaf: number, levels = 1) {
  const tables = [0, 0x1000, 0x2000, 0x3000, 0x4000]; // index by level: PGD at 0x4000
  for (let level = 4; level > levels; level--) {
    const e = encodePte(DIR, tables[level - 1], v6);
    m.write64(tables[level] + idx(va, level) * 8, e.lo, e.hi);
  }
  const e = encodePte(leaf | (levels > 1 ? F_HUGE : 0), pa, v6);
  m.write64(tables[levels] + idx(va, levels) * 8, e.lo, e.hi);
  return { root: 0x4000, v6, pm: false, allowHuge1G: true };
}

for (const v6 of [false, true]) {
  describe(`walk, ${v6 ? 'v6' : 'legacy'} PTE format`, () => {
    const VA = 0x0000_7f12_3456_7abc;
    test('valid 4 KiB mapping', () => {
      const m = new PhysMemory(2 ** 40);
      const p = build(m, v6, VA, 0x12_3456_7000, F_P | F_VALID | F_W | F_A);
      const r = walk(VA, ACC_WRITE, p, new PhysPteFetcher(m));
      assert.equal(r.status, WALK_OK);
      assert.equal(r.pa, 0x12_3456_7abc);
      assert.equal(r.pageSize, 4096);
      assert.equal(r.level, 1);
    });
    test('missing entry at each level: VALID=0 → illegal_page, P=0 → page_miss', () => {
      for (let level = 4; level >= 1; level--)
        for (const [bits, ft] of [
          [0, FT_ILLEGAL_PAGE],
          [F_VALID, FT_PAGE_MISS],
        ] as const) {
          const m = new PhysMemory(2 ** 40);
          const p = build(m, v6, VA, 0x5000, F_P | F_VALID);
          const t = level * 0x1000;
          const e = encodePte(bits, 0x9000, v6);
          m.write64(t + idx(VA, level) * 8, e.lo, e.hi);
          const r = walk(VA, ACC_READ, p, new PhysPteFetcher(m));
          assert.equal(r.status, WALK_FAULT);
          assert.equal(r.faultType, ft, `level ${level}`);
          assert.equal(r.level, level);
          assert.equal(r.missLevel, level - 1);
          assert.equal(r.exc, 29);
          const f = walk(VA, ACC_EXEC, p, new PhysPteFetcher(m));
          assert.equal(f.exc, 20, 'fetch from a non-present page = instr_page_miss');
        }
    });
    test('protection faults at the leaf', () => {
      const m = new PhysMemory(2 ** 40);
      const f = new PhysPteFetcher(m);
      let p = build(m, v6, VA, 0x5000, F_P | F_VALID);
      assert.equal(walk(VA, ACC_WRITE, p, f).faultType, FT_NWRITE_PAGE);
      p = build(m, v6, VA, 0x5000, F_P | F_VALID | F_W | F_PV);
      assert.equal(walk(VA, ACC_READ, p, f).faultType, FT_PRIV_PAGE);
      assert.equal(walk(VA, ACC_READ, { ...p, pm: true }, f).status, WALK_OK);
      p = build(m, v6, VA, 0x5000, F_P | F_VALID | F_NX);
      const r = walk(VA, ACC_EXEC, p, f);
      assert.equal(r.faultType, FT_PROT_PAGE);
      assert.equal(r.exc, 21);
      assert.equal(walk(VA, ACC_READ, p, f).status, WALK_OK);
    });
    test('directory-level PV/NX/W do not restrict', () => {
      const m = new PhysMemory(2 ** 40);
      const p = build(m, v6, VA, 0x5000, F_P | F_VALID | F_W);
      const e = encodePte(F_P | F_VALID | F_PV | F_NX, 0x3000, v6); // PGD entry, no W
      m.write64(0x4000 + idx(VA, 4) * 8, e.lo, e.hi);
      assert.equal(walk(VA, ACC_WRITE, p, new PhysPteFetcher(m)).status, WALK_OK);
    });
    test('huge pages: 2 MiB at PMD, 1 GiB at PUD (configurable), reserved at PGD', () => {
      const m = new PhysMemory(2 ** 40);
      const f = new PhysPteFetcher(m);
      let p = build(m, v6, VA, 0x4000_0000, F_P | F_VALID, 2);
      let r = walk(VA, ACC_READ, p, f);
      assert.equal(r.status, WALK_OK);
      assert.equal(r.pageSize, 2 ** 21);
      assert.equal(r.pa, 0x4000_0000 + (VA % 2 ** 21));
      p = build(m, v6, VA, 0x8000_0000, F_P | F_VALID | F_G, 3);
      r = walk(VA, ACC_READ, p, f);
      assert.equal(r.pageSize, 2 ** 30);
      assert.equal(r.pa, 0x8000_0000 + (VA % 2 ** 30));
      assert.equal(walk(VA, ACC_READ, { ...p, allowHuge1G: false }, f).faultType, FT_ILLEGAL_PAGE);
      p = build(m, v6, VA, 0, F_P | F_VALID, 4);
      assert.equal(walk(VA, ACC_READ, p, f).faultType, FT_ILLEGAL_PAGE);
    });
  });
}

describe('PTE formats', () => {
  test('exact bit positions', () => {
    // Legacy: VALID bit 40, PV 41, NON_EX 43, PFN 39:12.
    let e = encodePte(F_P | F_W | F_VALID | F_PV | F_NX | F_G, 0xab_cdef_1000, false);
    assert.equal(e.lo, (0xcdef_1000 | 0x1 | 0x2 | 0x100) >>> 0);
    assert.equal(e.hi, 0xab | (1 << 8) | (1 << 9) | (1 << 11));
    // v6: PV bit 2, VALID 3, PFN 47:12, NON_EX 63.
    e = encodePte(F_P | F_VALID | F_PV | F_NX, 0x1234_5678_9000, true);
    assert.equal(e.lo, (0x5678_9000 | 1 | 4 | 8) >>> 0);
    assert.equal(e.hi, (0x1234 | 0x8000_0000) >>> 0);
    const d = decodePte(e.lo, e.hi, true, { flags: 0, addr: 0 });
    assert.equal(d.addr, 0x1234_5678_9000);
    assert.equal(d.flags, F_P | F_VALID | F_PV | F_NX);
  });
  test('TC condition word', () => {
    const c = tcCondition({
      store: true,
      fmt: 4,
      mas: 0x47,
      pm: true,
      chan: 2,
      faultType: FT_PAGE_MISS,
      missLevel: 3,
    });
    assert.equal(c.lo, ((1 << 17) | (4 << 10) | (0x47 << 20) | (1 << 31)) >>> 0);
    assert.equal(c.hi, 2 | (1 << (45 - 32)) | (3 << 16));
  });
});

describe('walker robustness', () => {
  test('wild VA and PTE fetch outside RAM produce faults', () => {
    const m = new PhysMemory(0x10000);
    const f = new PhysPteFetcher(m);
    const p = { root: 0x4000, v6: false, pm: true };
    assert.equal(walk(2 ** 48, ACC_READ, p, f).faultType, FT_ILLEGAL_PAGE);
    assert.equal(walk(-1, ACC_READ, p, f).faultType, FT_ILLEGAL_PAGE);
    assert.equal(walk(0.5, ACC_READ, p, f).faultType, FT_ILLEGAL_PAGE);
    assert.equal(walk(0, ACC_READ, { ...p, root: 2 ** 47 }, f).faultType, FT_PH_BOUND);
  });
  test('fast-check: random page-table memory never throws', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(0x3fff), fc.nat(0xffffffff), fc.nat(0xffffffff)), {
          maxLength: 200,
        }),
        fc.double({ noNaN: false }),
        fc.nat(0x7fff_ffff),
        fc.boolean(),
        fc.constantFrom<Access>(ACC_READ, ACC_WRITE, ACC_EXEC),
        fc.boolean(),
        (words, vaD, vaI, v6, acc, pm) => {
          const m = new PhysMemory(0x8000);
          for (const [a, lo, hi] of words) m.write64(a * 8, lo, hi);
          const f = new PhysPteFetcher(m);
          for (const va of [vaD, vaI * 4096 + 0x123, vaI * 2 ** 17]) {
            const r = walk(va, acc, { root: 0, v6, pm, allowHuge1G: true }, f);
            assert.ok(r.status === WALK_OK || r.status === WALK_FAULT);
            if (r.status === WALK_OK) assert.ok(Number.isSafeInteger(r.pa) && r.pa < 2 ** 48);
            else assert.ok(r.faultType !== 0 && [20, 21, 29].includes(r.exc));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
