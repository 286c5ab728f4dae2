/**
 * Whole-guest behaviour under the VMM: a paged guest (two-dimensional walk, guest faults
 * delivered to the guest, MMU_CR intercept), IPIs between vCPUs through the DAT, and guests
 * that do everything wrong — each stops the VM with a reason and nothing throws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testVm, HEAD, GuestPageTables } from './helpers';
import type { InterceptLogEntry } from '../../../../emulator/virt/counters';

const log = (t: ReturnType<typeof testVm>): InterceptLogEntry[] =>
  t.vmm.recentIntercepts() as InterceptLogEntry[];

test('paged guest: MMU_CR write intercepts (G_W_IMASK), 2D walk, GPA fault under a guest mapping, guest page fault to the guest', () => {
  const t = testVm(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg18 }
 { rrd %tir.lo, %dg19 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { std,2 %dg20, [ 0x40 ], mas=0x47 }
 { std,2 %dg21, [ 0x50 ], mas=0x47 }
.global paging
paging:
 { std,2 %dg22, [ 0x0 ], mas=0x47 }
 { addd 0, 0x40000000, %dr2 }
 { std,2 %dr1, [ %dr2 + 0x18 ] }
 { ldd,0 [ %dr2 + 0x18 ], %dg16 }
 { addd 0, 0x50000000, %dr3 }
.global fault
fault:
 { ldd,0 [ %dr3 + 0 ], %dg17 }
`);
  const pt = new GuestPageTables(t.space, t.mem);
  for (let a = 0; a < 0x400000; a += 4096) pt.map(a, a);
  pt.map(0x40000000, 0x900000);
  const c = t.vmm.vcpus[0].core;
  const setG = (n: number, v: number) => {
    c.lo[224 + n] = v;
    c.hi[224 + n] = 0;
  };
  setG(20, pt.root);
  setG(21, 0x7000); // TRAP_POINT (GPA)
  setG(22, 1); // MMU_CR.tlb_en
  const r = t.vmm.run(100);
  assert.equal(r.halted, undefined, t.vmm.stopped ?? '');
  assert.equal(t.g(16), 0x1000, 'store + load through guest VA 0x40000018 → GPA 0x900018');
  assert.equal(t.mem.read32(t.space.hostAddr(0x900018)), 0x1000);
  assert.equal(t.g(18), 2 ** 29, 'exc_data_page delivered to the guest handler');
  assert.equal(t.g(19), t.sym('fault'));
  // the guest trap cellar (GPA 0x7000) holds the record
  const tc = t.space.hostAddr(0x7000);
  assert.equal(t.mem.read32(tc), 0x50000000);
  assert.equal(c.mmu.regs.lo[6], 3, 'TRAP_COUNT');
  const l = log(t);
  const mmuCr = l.find((e) => e.entries.some((x) => x.name === 'WRITE_MU'))!;
  assert.equal(mmuCr.guestIp, '0x' + t.sym('paging').toString(16));
  assert.equal(mmuCr.entries[0].reg, 'MMU_CR');
  assert.match(mmuCr.action!, /MMU register 0x0 write of 0x1 performed/);
  const gpa = l.find((e) => e.entries.some((x) => x.gpa === '0x900018'))!;
  assert.equal(gpa.entries[0].gva, '0x40000018');
  const cn = t.vmm.counters();
  assert.equal(cn['guest_page_faults_direct'], 1);
  assert.equal(cn['mmu_reg_emulations.write.0x0'], 1);
});

test('IPI to a vCPU that is not running: DAT miss → hv_int on the sender → posted and woken', () => {
  const t = testVm(
    `${HEAD}
 { setwd wsz=8 }
 { addd 0, 0xfee00000, %dr2 }
 { ldw,0 [ %dr2 + 0x2f0 ], %dg17 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0xfee00000, %dr2 }
 { stw,2 %dr3, [ %dr2 + 0x204 ] }
.global send
send:
 { stw,2 %dr4, [ %dr2 + 0x200 ] }
 { addd 0, 1, %dg16 }
 { wait int=1 }
.global second
second:
 { setwd wsz=8 }
 { addd 0, 0xfee00000, %dr2 }
 { addd 0, 0x400, %dr3 }
 { stw,2 %dr3, [ %dr2 + 0x0 ] }
 { rws 0x23, %psr }
 { wait int=1 }
`,
    { vcpus: 2 },
  );
  const c0 = t.vmm.vcpus[0].core;
  c0.setWin(3, 1, 0); // ICR2: destination CEPIC id 1
  c0.setWin(4, 0x77, 0); // ICR: vector 0x77, fixed, exact
  t.vmm.startVcpu(1, t.boot(t.sym('second')));
  // run vCPU 1 first so it sleeps, then vCPU 0 sends
  t.vmm.vcpus[0].state = 'offline';
  t.vmm.run(100);
  assert.equal(t.vmm.vcpus[1].state, 'idle');
  t.vmm.vcpus[0].state = 'runnable';
  t.vmm.run(100);
  assert.equal(t.g(17, 1), 0x77, 'vCPU 1 acknowledged the IPI vector');
  const c = t.vmm.counters();
  assert.equal(c['ipis.dat_miss'], 1);
  assert.equal(c['host_irq_exits.hv_int'], 1);
  const hv = log(t).find((e) => e.causes.includes('hv_int'))!;
  assert.equal(hv.vcpu, 0);
  assert.match(hv.action!, /redelivered 1 IPI/);
});

test('triple fault: an exception inside the guest trap handler stops the VM with a reason', () => {
  const t = testVm(`${HEAD}
 { setwd wsz=8 }
 { rwd %dr0, %idr }
.org 0x6000
 { setwd wsz=8 }
 { rwd %dr0, %ip }
`);
  const r = t.vmm.run(100);
  assert.match(r.halted!, /triple fault on vCPU 0: .*double fault/);
  assert.equal(t.vmm.vcpus[0].state, 'stopped');
  assert.deepEqual(t.vmm.run(100), { idleMs: 0, halted: t.vmm.stopped });
});

test('an illegal operation in privileged guest code goes to the guest handler, no exit', () => {
  const t = testVm(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg16 }
 { rwd 0, %tir.lo }
 { addd %dg17, 1, %dg17 }
 { rrd %cr0.hi, %dr0 }
 { addd %dr0, %dg25, %dr0 }
 { rwd %dr0, %cr0.hi }
 { nop 3 ; wait st_c=1 }
 { done }
.org 0x6000
 { setwd wsz=8 }
.global bad
bad:
 { rwd %dr0, %ip }
 { addd 0, 1, %dg18 }
 { wait int=1 }
`);
  const c = t.vmm.vcpus[0].core;
  c.lo[224 + 25] = t.sym('bad') === 0 ? 0 : 8; // the handler skips the faulting bundle
  const r = t.vmm.run(100);
  assert.equal(r.halted, undefined);
  assert.equal(t.g(16), 1, 'exc_illegal_opcode reached the guest');
  assert.equal(t.g(17), 1, 'handler ran once');
  assert.equal(t.g(18), 1, 'execution continued after the handler');
  assert.equal(t.vmm.counters()['exits.total'], 1, 'only the idle exit');
});

test('wild MMIO: an access to a GPA with no RAM and no device stops the VM with a reason', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0xe0000000, %dr2 }
 { ldw,0 [ %dr2 + 0 ], %dg16 }
 { wait int=1 }
`);
  const r = t.vmm.run(100);
  assert.match(r.halted!, /GPA 0xe0000000 \(GVA 0xe0000000\) on vCPU 0: no RAM or device/);
  assert.match(t.logs.join('\n'), /VM stopped/);
});

test('intercept storm: exits that never let the guest progress stop the VM', () => {
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0x800000, %dr2 }
 { stw,2 %dr1, [ %dr2 + 0 ] }
 { wait int=1 }
`,
    { vmm: { stormLimit: 50 } },
  );
  t.space.protect(0x800000, true); // write-tracked page: the VMM keeps retrying the store
  const r = t.vmm.run(1000);
  assert.match(r.halted!, /intercept storm on vCPU 0: 51 exits/);
  assert.equal(t.vmm.counters()['exits.total'], 52);
});

test('nested virtualization: glaunch in the guest stops the VM', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { nop 3 ; wait st_c=1 }
 { glaunch }
`);
  const r = t.vmm.run(100);
  assert.match(r.halted!, /used glaunch/);
  const e = log(t)[0];
  assert.deepEqual(e.causes, ['virt']);
  assert.equal(e.entries[0].name, 'GLAUNCH');
});
