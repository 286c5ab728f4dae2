/**
 * The vCPU's software TLB (GVA page → host page, emulator/cpu/system/sysmem.ts) and the
 * TdpWalker's GPA cache under a running guest: every way a translation can change is seen
 * by the next access — guest PTE rewrite + TLB flush, guest MMU register writes, GP-table
 * remapping / write-protection / unmapping by the VMM between exits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testVm, HEAD, GuestPageTables, DEV_BASE, type TestVm } from './helpers';
import { encodePte, F_P, F_VALID, F_W } from '../../../../emulator/mmu/pte';

/** A paged guest; `body` runs after paging is on with %dr2 = 0x40000000. */
function pagedGuest(body: string): { t: TestVm; pt: GuestPageTables } {
  const t = testVm(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.lo, %dg19 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { std,2 %dg20, [ 0x40 ], mas=0x47 }
 { std,2 %dg21, [ 0x50 ], mas=0x47 }
 { std,2 %dg22, [ 0x0 ], mas=0x47 }
 { addd 0, 0x40000000, %dr2 }
${body}
 { wait int=1 }
`);
  const pt = new GuestPageTables(t.space, t.mem);
  for (let a = 0; a < 0x400000; a += 4096) pt.map(a, a);
  for (let a = 0xa00000; a < 0xa20000; a += 4096) pt.map(a, a); // the tables themselves
  pt.map(DEV_BASE, DEV_BASE);
  pt.map(0x40000000, 0x900000);
  const c = t.vmm.vcpus[0].core;
  const setG = (n: number, v: number) => {
    c.lo[224 + n] = v;
    c.hi[224 + n] = 0;
  };
  setG(20, pt.root);
  setG(21, 0x7000);
  setG(22, 1);
  return { t, pt };
}

const put = (t: TestVm, gpa: number, v: number): void => {
  t.space.populate(gpa);
  t.mem.write32(t.space.hostAddr(gpa), v);
};

test('guest rewrites its PTE and flushes: the next load uses the new page', () => {
  const { t, pt } = pagedGuest(`
 { ldd,0 [ %dr2 + 0x18 ], %dg16 }
 { ldd,0 [ %dr2 + 0x18 ], %dg16 }
 { addd 0, %dg23, %dr4 }
 { std,2 %dg24, [ %dr4 ] }
 { std,2 %dg0, [ 0x1 ], mas=0x27 }
 { ldd,0 [ %dr2 + 0x18 ], %dg17 }
`);
  put(t, 0x900018, 111);
  put(t, 0x910018, 222);
  const c = t.vmm.vcpus[0].core;
  const e = encodePte(F_P | F_VALID | F_W, 0x910000, false);
  c.lo[224 + 23] = pt.pteAddr(0x40000000);
  c.lo[224 + 24] = e.lo;
  c.hi[224 + 24] = e.hi;
  const r = t.vmm.run(200);
  assert.equal(r.halted, undefined, t.vmm.stopped ?? '');
  assert.equal(t.g(16), 111);
  assert.equal(t.g(17), 222, 'flushed: translated through the rewritten PTE');
  assert.ok(c.smem.tlbHits > 0, 'the second load hit the software TLB');
});

test('guest writes U_PPTB (new tables): the next load uses them', () => {
  const { t, pt } = pagedGuest(`
 { ldd,0 [ %dr2 + 0x18 ], %dg16 }
 { std,2 %dg23, [ 0x40 ], mas=0x47 }
 { ldd,0 [ %dr2 + 0x18 ], %dg17 }
`);
  put(t, 0x900018, 5);
  put(t, 0x920018, 6);
  // a second set of tables: same identity maps, 0x40000000 → 0x920000
  const pt2 = new GuestPageTables(t.space, t.mem, 0xb00000);
  for (let a = 0; a < 0x400000; a += 4096) pt2.map(a, a);
  pt2.map(0x40000000, 0x920000);
  void pt;
  const c = t.vmm.vcpus[0].core;
  c.lo[224 + 23] = pt2.root;
  const r = t.vmm.run(200);
  assert.equal(r.halted, undefined, t.vmm.stopped ?? '');
  assert.equal(t.g(16), 5);
  assert.equal(t.g(17), 6);
});

test('the VMM remaps a GP entry between exits: loads and stores use the new host page', () => {
  const { t } = pagedGuest(`
 { ldd,0 [ %dr2 + 0x18 ], %dg16 }
 { std,2 %dg16, [ %dr2 + 0x20 ] }
 { addd 0, ${DEV_BASE}, %dr5 }
 { ldw,0 [ %dr5 + 0 ], %dg18 }
 { ldd,0 [ %dr2 + 0x18 ], %dg17 }
 { std,2 %dg17, [ %dr2 + 0x28 ] }
`);
  put(t, 0x900018, 77);
  const fresh = t.mem.allocPage();
  t.mem.write32(fresh + 0x18, 88);
  // the device read is an exit; the VMM changes the GPA's backing while the TLB is warm
  const read = t.dev.read.bind(t.dev);
  t.dev.read = (o, w) => {
    assert.ok(t.space.gp.map(0x900000, fresh), 'remapped');
    return read(o, w);
  };
  const r = t.vmm.run(400);
  assert.equal(r.halted, undefined, t.vmm.stopped ?? '');
  assert.equal(t.g(16), 77);
  assert.equal(t.g(17), 88, 'load after the exit reads the new host page');
  assert.equal(t.mem.read32(fresh + 0x28), 88, 'store after the exit went to the new page');
  assert.equal(t.mem.read32(t.space.hostAddr(0x900020)), 77, 'store before it: old page');
  assert.equal(t.mem.read32(t.space.hostAddr(0x900028)), 0);
});
