/**
 * SystemMemory's software TLB (VA page → RAM page per read/write/fetch, tagged by pm and
 * guest mode): hits give the cached page, every invalidation path gives the new translation,
 * and privileged / user / hardware accesses never answer for each other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhysMemory, MmioBus } from '../../../../emulator/memory';
import { encodePte, F_A, F_D, F_HUGE, F_P, F_PV, F_VALID, F_W, Mmu, MMU_CR, U_PPTB } from '../../../../emulator/mmu'; // prettier-ignore
import { SystemMemory, SysFault } from '../../../../emulator/cpu/system/sysmem';

const DIR = F_P | F_VALID | F_W | F_A | F_D;
const idx = (va: number, l: number) => Math.floor(va / 2 ** (12 + 9 * (l - 1))) & 511;

function setup() {
  const phys = new PhysMemory(1 << 26);
  const root = 0x10_0000;
  let next = root + 0x1000;
  const pteAddr = (va: number): number => {
    let t = root;
    for (let l = 4; l > 1; l--) {
      const a = t + idx(va, l) * 8;
      let lo = phys.read64(a);
      if (lo === 0) {
        const e = encodePte(DIR, next, false);
        phys.write64(a, e.lo, e.hi);
        lo = e.lo;
        next += 0x1000;
      }
      t = lo & 0xfffff000;
    }
    return t + idx(va, 1) * 8;
  };
  const map = (va: number, pa: number, leaf = DIR): void => {
    const e = encodePte(leaf, pa, false);
    phys.write64(pteAddr(va), e.lo, e.hi);
  };
  const mmu = new Mmu(phys);
  mmu.writeReg(U_PPTB << 4, root, 0);
  mmu.writeReg(MMU_CR << 4, 1, 0);
  const sm = new SystemMemory(phys, new MmioBus(), mmu);
  phys.write32(0x20_0000, 0x1111);
  phys.write32(0x30_0000, 0x2222);
  return { phys, mmu, sm, map };
}

test('hits reuse the page; a PTE change is seen after invalidate()', () => {
  const { mmu, sm, map } = setup();
  map(0x4000_0000, 0x20_0000);
  assert.equal(sm.read32(0x4000_0000), 0x1111);
  const fills = sm.tlbFills;
  assert.equal(sm.read32(0x4000_0000), 0x1111);
  assert.equal(sm.tlbFills, fills, 'second read hit');
  map(0x4000_0000, 0x30_0000);
  mmu.tlb.flushAll();
  sm.invalidate(); // what the CPU does on a TLB flush op / MMU register write
  assert.equal(sm.read32(0x4000_0000), 0x2222);
});

test('writes through a cached entry land in RAM and drop the decoded-bundle cache', () => {
  const { phys, sm, map } = setup();
  map(0x4000_0000, 0x20_0000);
  sm.write32(0x4000_0004, 7);
  const pg = phys.pageAt(0x20_0000, false)!;
  pg.code = [];
  sm.codeCached();
  sm.write32(0x4000_0008, 8);
  assert.equal(pg.code, null);
  assert.equal(phys.read32(0x20_0008), 8);
});

test('a privileged-only page cached for pm=1 faults a user access; hardware accesses pass', () => {
  const { sm, map } = setup();
  map(0x4000_0000, 0x20_0000, DIR | F_PV);
  sm.pm = true;
  assert.equal(sm.read32(0x4000_0000), 0x1111);
  sm.pm = false;
  sm.pmChanged();
  assert.throws(() => sm.read32(0x4000_0000), SysFault);
  assert.throws(() => sm.probe(0x4000_0000, 4, 'write'), SysFault);
  sm.hw = true;
  assert.equal(sm.read32(0x4000_0000), 0x1111, 'spill/fill is privileged');
  sm.write32(0x4000_0010, 3);
  sm.hw = false;
  assert.throws(() => sm.write32(0x4000_0010, 4), SysFault, 'user write still faults');
});

test('a freed or discarded host page drops every cached entry', () => {
  const { phys, sm, map } = setup();
  map(0x4000_0000, 0x20_0000);
  assert.equal(sm.read32(0x4000_0000), 0x1111);
  phys.discard(0x20_0000);
  assert.equal(sm.read32(0x4000_0000), 0, 'the discarded page reads as zero, not the old copy');
});

test('invalidatePage drops only that page; the other pages stay cached', () => {
  const { phys, mmu, sm, map } = setup();
  map(0x4000_0000, 0x20_0000);
  map(0x4000_1000, 0x30_0000);
  phys.write32(0x31_0000, 0x3333);
  assert.equal(sm.read32(0x4000_0000), 0x1111);
  assert.equal(sm.read32(0x4000_1000), 0x2222);
  map(0x4000_0000, 0x31_0000);
  mmu.tlb.flushPage(0x4000_0000, 0);
  sm.invalidatePage(0x4000_0123);
  const fills = sm.tlbFills;
  assert.equal(sm.read32(0x4000_1000), 0x2222, 'other page: still a hit');
  assert.equal(sm.tlbFills, fills);
  assert.equal(sm.read32(0x4000_0000), 0x3333, 'flushed page: translated again');
  assert.equal(sm.tlbFills, fills + 1);
});

test('invalidatePage inside a 2 MiB page drops every cached granule of it', () => {
  const { phys, mmu, sm, map } = setup();
  // a 2 MiB leaf at level 2 for 0x4020_0000 (its level-2 slot is the PTE slot's table entry)
  map(0x4020_0000, 0); // builds the tables down to level 1
  const l2 = (() => {
    let t = 0x10_0000;
    for (let l = 4; l > 2; l--) t = phys.read64(t + idx(0x4020_0000, l) * 8) & 0xfffff000;
    return t + idx(0x4020_0000, 2) * 8;
  })();
  const huge = encodePte(DIR | F_HUGE, 0x0, false);
  phys.write64(l2, huge.lo, huge.hi);
  phys.write32(0x20_0000, 0x1111);
  assert.equal(sm.read32(0x4020_0000), phys.read32(0));
  assert.equal(sm.read32(0x4020_0000 + 0x1000), phys.read32(0x1000));
  const moved = encodePte(DIR | F_HUGE, 0x20_0000, false);
  phys.write64(l2, moved.lo, moved.hi);
  mmu.tlb.flushPage(0x4020_0000, 0);
  sm.invalidatePage(0x4020_0000);
  assert.equal(sm.read32(0x4020_0000), 0x1111, 'flushed granule');
  phys.write32(0x20_1000, 0x4444);
  assert.equal(sm.read32(0x4020_1000), 0x4444, 'another granule of the same 2 MiB page');
});
