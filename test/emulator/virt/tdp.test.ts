import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PhysMemory } from '../../../emulator/memory';
import {
  ACC_EXEC,
  ACC_READ,
  ACC_WRITE,
  encodePte,
  F_A,
  F_D,
  F_P,
  F_VALID,
  F_W,
  FT_ILLEGAL_PAGE,
  FT_NWRITE_PAGE,
  FT_PAGE_MISS,
  FT_PROT_PAGE,
} from '../../../emulator/mmu';
import {
  GP_HI_NX,
  GpSpace,
  GpTables,
  gpWalk,
  IME_GPA_AINSTR,
  IME_GPA_DATA,
  IME_GPA_INSTR,
  TDP_GUEST_FAULT,
  TDP_INTERCEPT,
  TDP_OK,
  TdpWalker,
} from '../../../emulator/virt';

const host = () => new PhysMemory(2 ** 36, 0x100000); // host pages allocated from 4 GiB up

describe('GP tables', () => {
  test('builder maps 4 KiB and huge pages; walker finds them with exact PTE bits', () => {
    const m = host();
    const gp = new GpTables(m);
    assert.equal(gp.map(0x5000, 0x1_2345_6000, { write: false, nx: true, mt: 6, mtcr: 2 }), true);
    assert.equal(gp.map(0x4000_0000, 0x2_0000_0000, { pageSize: 2 ** 21 }), true);
    assert.equal(gp.mappedPages, 1 + 512);
    let r = gp.lookup(0x5abc);
    assert.equal(r.ok, true);
    assert.equal(r.pa, 0x1_2345_6abc);
    assert.equal(r.writable, false);
    // Leaf word: P|A, MTCR=2 at 9:8, PFN, MT=6 at 62:60, NX at 63.
    const leafAddr = (() => {
      let t = gp.root;
      for (let l = 4; l > 1; l--) {
        const lo = m.read64(t + (Math.floor(0x5000 / 2 ** (12 + 9 * (l - 1))) & 511) * 8);
        t = ((lo & 0xfffff000) >>> 0) + (m.hi & 0xffff) * 2 ** 32;
      }
      return t + 5 * 8;
    })();
    assert.equal(m.read64(leafAddr), (0x2345_6000 | 1 | 0x20 | (2 << 8)) >>> 0);
    assert.equal(m.hi, (0x1 | (6 << 28) | GP_HI_NX) >>> 0);
    assert.equal(gp.lookup(0x5000, ACC_WRITE).faultType, FT_NWRITE_PAGE);
    assert.equal(gp.lookup(0x5000, ACC_EXEC).faultType, FT_PROT_PAGE);
    r = gp.lookup(0x4012_3456, ACC_WRITE);
    assert.equal(r.pa, 0x2_0012_3456);
    assert.equal(r.pageSize, 2 ** 21);
    assert.equal(gp.lookup(0x9000).faultType, FT_PAGE_MISS);
    assert.equal(gp.unmap(0x5000), true);
    assert.equal(gp.lookup(0x5000).ok, false);
    assert.equal(gp.unmap(0x4010_0000), true, 'unmap inside a huge page drops the leaf');
    assert.equal(gp.mappedPages, 0);
    assert.equal(gpWalk(2 ** 48, ACC_READ, gp.root, m).faultType, FT_ILLEGAL_PAGE);
  });

  test('GpSpace maps RAM lazily, reports MMIO and unbacked GPAs', () => {
    const m = host();
    const s = new GpSpace(m);
    s.addRam(0, 64 << 20);
    s.addMmio(0xfee0_0000, 0x2000, 'cepic');
    assert.equal(s.pagesMapped, 0);
    assert.equal(s.gp.lookup(0x3000).ok, false);
    assert.equal(s.resolveFault(0x3123, false), 'mapped');
    assert.equal(s.pagesMapped, 1);
    assert.ok(s.gp.lookup(0x3000).ok);
    assert.equal(s.resolveFault(0xfee0_00b0, true), 'mmio');
    assert.equal(s.resolveFault(0x8000_0000, false), 'unbacked');
    s.protect(0x3000, true);
    assert.equal(s.gp.lookup(0x3000, ACC_WRITE).faultType, FT_NWRITE_PAGE);
    assert.equal(s.resolveFault(0x3000, true), 'write_protect');
    assert.equal(s.writeGuest(0x10ffe, new Uint8Array([1, 2, 3, 4])), true);
    assert.equal(m.read8(s.hostAddr(0x11001)), 4);
    assert.equal(s.pagesMapped, 3);
  });
});

/** Guest page tables written into guest RAM (GPAs) through the GpSpace. */
function guestMap(s: GpSpace, m: PhysMemory, root: number, gva: number, gpa: number, leaf: number) {
  let next = root + 0x1000 + Math.floor(gva / 2 ** 39) * 0x10000;
  let t = root;
  for (let level = 4; level > 1; level--) {
    const a = t + (Math.floor(gva / 2 ** (12 + 9 * (level - 1))) & 511) * 8;
    const ha = s.populate(a) + (a % 4096);
    let lo = m.read64(ha);
    if (lo === 0) {
      const e = encodePte(F_P | F_VALID | F_W | F_A | F_D, next, false);
      m.write64(ha, e.lo, e.hi);
      lo = e.lo;
      next += 0x1000;
    }
    t = lo & 0xfffff000;
  }
  const a = t + (Math.floor(gva / 4096) & 511) * 8;
  const e = encodePte(leaf, gpa, false);
  m.write64(s.populate(a) + (a % 4096), e.lo, e.hi);
}

describe('two-dimensional walk', () => {
  const setup = () => {
    const m = host();
    const s = new GpSpace(m);
    s.addRam(0, 16 << 20);
    const g = { paging: true, root: 0x10_0000, v6: false, pm: true };
    guestMap(s, m, g.root, 0x7000_0000, 0x20_0000, F_P | F_VALID | F_W);
    return { m, s, g, w: new TdpWalker(m, s.root) };
  };

  test('all present: GVA → GPA → PA', () => {
    const { m, s, g, w } = setup();
    s.populate(0x20_0000);
    const r = w.translate(0x7000_0123, ACC_WRITE, g);
    assert.equal(r.status, TDP_OK);
    assert.equal(r.gpa, 0x20_0123);
    assert.equal(r.pa, s.hostAddr(0x20_0123));
    void m;
  });

  test('final GPA missing in GP tables → IME_GPA_DATA intercept (final address)', () => {
    const { s, g, w } = setup();
    const r = w.translate(0x7000_0123, ACC_WRITE, g);
    assert.equal(r.status, TDP_INTERCEPT);
    assert.equal(r.code, IME_GPA_DATA);
    assert.equal(r.gpa, 0x20_0123);
    assert.equal(r.ptLevFin, true);
    assert.equal(r.gpFaultType, FT_PAGE_MISS);
    assert.equal(s.resolveFault(r.gpa, true), 'mapped');
    assert.equal(w.translate(0x7000_0123, ACC_WRITE, g).status, TDP_OK, 'replay succeeds');
    assert.equal(w.translate(0x7000_0123, ACC_EXEC, g, false).status, TDP_OK);
  });

  test('guest PT page missing in GP tables → intercept naming the guest level', () => {
    const { m, g } = setup();
    const s2 = new GpSpace(m); // fresh GP tables: nothing mapped, guest tables unreachable
    s2.addRam(0, 16 << 20);
    const w = new TdpWalker(m, s2.root);
    const r = w.translate(0x7000_0123, ACC_EXEC, g);
    assert.equal(r.status, TDP_INTERCEPT);
    assert.equal(r.code, IME_GPA_INSTR);
    assert.equal(r.ptLev, 4);
    assert.equal(r.ptLevFin, false);
    assert.equal(r.gpa, g.root + (Math.floor(0x7000_0000 / 2 ** 39) & 511) * 8);
    assert.equal(w.translate(0x7000_0123, ACC_EXEC, g, true).code, IME_GPA_AINSTR);
  });

  test('GP miss on a lower guest table page reports that level and its entry GPA', () => {
    const { m, s, g, w } = setup();
    // Find the guest PTE-level table (level 1) GPA and unmap it from the GP tables.
    const walkTo = (level: number) => {
      let t = g.root;
      for (let l = 4; l > level; l--) {
        const a = t + (Math.floor(0x7000_0000 / 2 ** (12 + 9 * (l - 1))) & 511) * 8;
        t = m.read64(s.hostAddr(a)) & 0xfffff000;
      }
      return t + (Math.floor(0x7000_0000 / 2 ** (12 + 9 * (level - 1))) & 511) * 8;
    };
    const pteGpa = walkTo(1);
    assert.equal(s.gp.unmap(pteGpa), true);
    const r = w.translate(0x7000_0123, ACC_READ, g);
    assert.equal(r.status, TDP_INTERCEPT);
    assert.equal(r.ptLev, 1);
    assert.equal(r.ptLevFin, false);
    assert.equal(r.gpa, pteGpa);
    assert.equal(r.gpFaultType, FT_PAGE_MISS);
  });

  test('guest PTE missing → guest fault, no intercept', () => {
    const { g, w } = setup();
    const r = w.translate(0x6000_0000, ACC_READ, g);
    assert.equal(r.status, TDP_GUEST_FAULT);
    assert.equal(r.guest.exc, 29);
    assert.ok(r.guest.faultType === FT_ILLEGAL_PAGE || r.guest.faultType === FT_PAGE_MISS);
    const p = w.translate(0x7000_0000, ACC_READ, { ...g, pm: false });
    assert.equal(p.status, TDP_INTERCEPT, 'leaf is user-accessible; only GP miss remains');
  });

  test('guest MMU off: GVA is a GPA', () => {
    const { s, w } = setup();
    s.populate(0x5000);
    const r = w.translate(0x5008, ACC_READ, { paging: false, root: 0, v6: false, pm: true });
    assert.equal(r.status, TDP_OK);
    assert.equal(r.pa, s.hostAddr(0x5008));
  });

  test('fast-check: random guest and GP memory never throws', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(0x3ff), fc.nat(0xffffffff), fc.nat(0xffffffff)), {
          maxLength: 120,
        }),
        fc.nat(2 ** 40),
        fc.boolean(),
        (words, gva, paging) => {
          const m = new PhysMemory(0x2000, 0);
          for (const [a, lo, hi] of words) m.write64(a * 8, lo, hi);
          const w = new TdpWalker(m, 0);
          for (const acc of [ACC_READ, ACC_WRITE, ACC_EXEC] as const) {
            const r = w.translate(gva, acc, {
              paging,
              root: 0x1000,
              v6: (gva & 1) === 1,
              pm: true,
            });
            assert.ok([TDP_OK, TDP_GUEST_FAULT, TDP_INTERCEPT].includes(r.status));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('GPA → host page cache (TdpWalker.gpCache)', () => {
  const setup = () => {
    const m = host();
    const s = new GpSpace(m);
    s.addRam(0, 16 << 20);
    const g = { paging: true, root: 0x10_0000, v6: false, pm: true };
    guestMap(s, m, g.root, 0x7000_0000, 0x20_0000, F_P | F_VALID | F_W);
    s.populate(0x20_0000);
    return { m, s, g, w: new TdpWalker(m, s.root) };
  };

  test('steady-state walks hit the cache and give the same result', () => {
    const { s, g, w } = setup();
    const a = w.translate(0x7000_0123, ACC_READ, g).pa;
    const hits = w.gpCache.hits;
    assert.equal(w.translate(0x7000_0456, ACC_WRITE, g).pa, a - 0x123 + 0x456);
    assert.ok(w.gpCache.hits > hits);
    assert.equal(a, s.hostAddr(0x20_0123));
  });

  test('remapping, unmapping and write-protecting a GP entry are seen at once', () => {
    const { m, s, g, w } = setup();
    assert.equal(w.translate(0x7000_0010, ACC_WRITE, g).status, TDP_OK);
    const other = m.allocPage();
    assert.ok(s.gp.map(0x20_0000, other));
    assert.equal(w.translate(0x7000_0010, ACC_READ, g).pa, other + 0x10, 'new backing');
    s.protect(0x20_0000, true);
    const r = w.translate(0x7000_0010, ACC_WRITE, g);
    assert.equal(r.status, TDP_INTERCEPT);
    assert.equal(r.gpFaultType, FT_NWRITE_PAGE);
    assert.equal(w.translate(0x7000_0010, ACC_READ, g).status, TDP_OK, 'reads still allowed');
    assert.ok(s.gp.unmap(0x20_0000));
    assert.equal(w.translate(0x7000_0010, ACC_READ, g).status, TDP_INTERCEPT);
  });

  test('an NX leaf cached by a read still faults an instruction fetch', () => {
    const { m, s, g, w } = setup();
    const pa = m.allocPage();
    s.gp.map(0x20_0000, pa, { nx: true });
    assert.equal(w.translate(0x7000_0000, ACC_READ, g).status, TDP_OK);
    const r = w.translate(0x7000_0000, ACC_EXEC, g);
    assert.equal(r.status, TDP_INTERCEPT);
    assert.equal(r.gpFaultType, FT_PROT_PAGE);
  });

  test('a new GP_PPTB or a freed host page drops the cache', () => {
    const { m, s, g, w } = setup();
    assert.equal(w.translate(0x7000_0000, ACC_READ, g).status, TDP_OK);
    const s2 = new GpSpace(m);
    w.gpRoot = s2.root;
    assert.equal(w.translate(0x7000_0000, ACC_READ, g).status, TDP_INTERCEPT, 'empty GP tables');
    w.gpRoot = s.root;
    assert.equal(w.translate(0x7000_0000, ACC_READ, g).status, TDP_OK);
    const gen = m.gen;
    m.freePage(m.allocPage());
    assert.ok(m.gen > gen);
    assert.equal(w.translate(0x7000_0000, ACC_READ, g).status, TDP_OK, 'rebuilt after the drop');
  });
});
