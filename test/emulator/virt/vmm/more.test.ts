/**
 * More intercept causes under the VMM: MMU register read (READ_MU), TLB flush (TLB_FLUSH),
 * masked hypercall, interrupt for the hypervisor, intercepted guest interrupt (exc_c),
 * and SMP bring-up through a CEPIC STARTUP IPI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testVm, HEAD, DEV_BASE } from './helpers';
import type { InterceptLogEntry } from '../../../../emulator/virt/counters';

const log = (t: ReturnType<typeof testVm>): InterceptLogEntry[] =>
  t.vmm.recentIntercepts() as InterceptLogEntry[];

test('MMU register read with rr_pptb: READ_MU answered from the vCPU registers', () => {
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { std,2 %dr1, [ 0x40 ], mas=0x47 }
.global rd
rd:
 { ldd,0 [ 0x40 ], %dg16, mas=0x47 }
 { wait int=1 }
`,
    { mu: ['rr_pptb'] },
  );
  t.vmm.run(100);
  assert.equal(t.g(16), 0x1000, 'U_PPTB as written');
  const e = log(t)[0];
  assert.equal(e.guestIp, '0x' + t.sym('rd').toString(16));
  assert.equal(e.entries[0].name, 'READ_MU');
  assert.equal(e.entries[0].reg, 'U_PPTB');
  assert.equal(e.entries[0].value, '0x0000000000001000');
  assert.equal(t.vmm.counters()['mmu_reg_emulations.read.0x4'], 1);
});

test('TLB flush with fl_tlb: TLB_FLUSH record, replayed', () => {
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { std,2 %dg0, [ 0x1 ], mas=0x27 }
 { addd 0, 1, %dg16 }
 { wait int=1 }
`,
    { mu: ['fl_tlb'] },
  );
  t.vmm.run(100);
  assert.equal(t.g(16), 1);
  const e = log(t)[0];
  assert.deepEqual(e.causes, ['mu.TLB_FLUSH']);
  assert.match(e.action!, /MU code 16 replayed/);
  assert.equal(t.vmm.counters()['mu.replayed'], 1);
});

test('masked hcall (HCEM bit clear): MASKED_HCALL entry, skipped by the VMM', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 ; setbn rsz=3, rbs=4, rcur=0 }
 { addd 0, 7, %b[0] }
 { hcall 5, wbs=4 }
 { addd 0, %b[0], %dg16 }
 { wait int=1 }
`);
  t.vmm.run(100);
  assert.equal(t.g(16), 7, '%b[0] unchanged');
  const e = log(t)[0];
  assert.deepEqual(e.causes, ['hcem']);
  assert.equal(e.entries[0].name, 'FORCED', 'cancelled by the VMM (code 0)');
  assert.match(e.action!, /masked hcall 5: skipped/);
  assert.equal(t.vmm.counters()['hypercalls.masked'], 1);
});

test('interrupt for the hypervisor: hv_int exit, the guest resumes', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
loop:
 { addd %dg16, 1, %dg16 }
 { ibranch loop }
`);
  t.vmm.hostInterrupt(0);
  t.vmm.hostNmi(0);
  t.vmm.run(0.1);
  const e = log(t)[0];
  assert.deepEqual(e.causes, ['hv_int', 'hv_nm_int']);
  assert.match(e.action!, /hv_nm_int: host NMI handled; hv_int: redelivered 0 IPI/);
  assert.equal(t.vmm.counters()['host_irq_exits.hv_int'], 1);
  assert.equal(t.vmm.counters()['host_irq_exits.hv_nm_int'], 1);
  assert.ok(t.g(16) > 10, 'guest went on after the exit');
});

test('exc_interrupt set: a guest interrupt intercepts and the VMM injects it through the TIRs', () => {
  const t = testVm(
    `${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg17 }
 { addd 0, 0xfee00000, %dr2 }
 { ldw,0 [ %dr2 + 0x2f0 ], %dg18 }
hang:
 { wait int=1 }
 { ibranch hang }
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0xfee00000, %dr2 }
 { addd 0, 0x400, %dr3 }
 { stw,2 %dr3, [ %dr2 + 0x0 ] }
 { rws 0x23, %psr }
loop:
 { addd %dg16, 1, %dg16 }
 { ibranch loop }
`,
    { cu: ['exc_interrupt'] },
  );
  t.vmm.run(0.01);
  t.cepics[0].inject(0x42);
  t.vmm.run(1);
  assert.equal(t.g(17), 2 ** 32, 'exc_interrupt in the guest handler');
  assert.equal(t.g(18), 0x42, 'the guest acknowledged the vector');
  const e = log(t).find((x) => x.causes.includes('exc_interrupt'))!;
  assert.match(e.action!, /exception 32 reflected into the guest/);
  assert.equal(t.vmm.counters()['irq.injected.tir'], 1);
});

test('SMP bring-up: a STARTUP IPI starts an offline vCPU at startup_entry << 12', () => {
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0xfee00000, %dr2 }
 { stw,2 %dr3, [ %dr2 + 0x204 ] }
 { stw,2 %dr4, [ %dr2 + 0x200 ] }
 { wait int=1 }
.org 0x8000
 { setwd wsz=8 }
 { rrd %idr, %dg16 }
 { wait int=1 }
`,
    { vcpus: 2 },
  );
  const c0 = t.vmm.vcpus[0].core;
  c0.setWin(3, 1, 0); // destination CEPIC id 1
  c0.setWin(4, (6 << 13) | 0x18, 0); // STARTUP, entry page 0x18 → 0x18000
  t.vmm.run(100);
  assert.equal(t.vmm.vcpus[1].state, 'idle');
  assert.equal((t.g(16, 1) >>> 15) & 0x1f, 1, 'vCPU 1 ran its entry and read its IDR');
  assert.equal(t.vmm.counters()['vcpu.startups'], 1);
  assert.match(t.logs.join('\n'), /vCPU 1 started by STARTUP at 0x18000/);
});

test('16 vCPUs share one host thread in quanta; each reads its own core number', () => {
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { wait int=1 }
.global ap
ap:
 { setwd wsz=8 }
 { rrd %idr, %dg16 }
loop:
 { addd %dg17, 1, %dg17 }
 { ibranch loop }
`,
    { vcpus: 16, model: 'e16c', quantumUs: 100 },
  );
  for (let i = 1; i < 16; i++) t.vmm.startVcpu(i, t.boot(t.sym('ap')));
  t.vmm.run(2);
  for (let i = 1; i < 16; i++) {
    assert.equal((t.g(16, i) >>> 15) & 0x1f, i, `vCPU ${i} core number`);
    assert.ok(t.g(17, i) > 0, `vCPU ${i} ran`);
  }
  const stats = t.vmm.vcpuStats();
  assert.equal(stats.length, 16);
  assert.ok(stats.slice(1).every((s) => s.counters['exits.quantum'] >= 1));
  assert.equal(stats[0].state, 'idle');
});

test('MAS 1 / MAS 6 in a guest address guest-physical memory (never host memory); pma intercepts', () => {
  const src = `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0x800000, %dr2 }
 { addd 0, ${DEV_BASE}, %dr3 }
 { std,2 %dr1, [ %dr2 + 0x10 ], mas=0x1 }
 { ldd,0 [ %dr2 + 0x10 ], %dg16, mas=0x1 }
 { stw,2 %dr1, [ %dr3 + 0x40 ], mas=0x6 }
 { ldw,0 [ %dr3 + 0x44 ], %dg17, mas=0x6 }
 { wait int=1 }
`;
  const t = testVm(src);
  t.vmm.run(100);
  assert.equal(t.vmm.stopped, null);
  assert.equal(t.g(16), 0x1000);
  assert.equal(t.mem.read32(t.space.hostAddr(0x800010)), 0x1000, 'stored at GPA 0x800010');
  assert.equal(t.mem.read32(0x800010), 0, 'host PA 0x800010 untouched');
  assert.deepEqual(t.dev.log, ['w4@40=1000', 'r4@44']);
  assert.equal(t.g(17), 0x55 + 0x44);
  const t2 = testVm(src, { mu: ['pma'] });
  t2.vmm.run(100);
  assert.equal(t2.g(16), 0x1000);
  assert.equal(t2.g(17), 0x55 + 0x44);
  assert.ok(t2.vmm.counters()['exits.mu.MAS_IOADDR'] >= 4);
});

test('other masked register writes (SCLKM3 by default, CLKR with rw_clkr): WRITE_CU ignored by the VMM', () => {
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { rwd %dr1, %sclkm3 }
 { rwd %dr1, %clkr }
 { rrd %sclkm3, %dg16 }
 { wait int=1 }
`,
    { cu: ['rw_clkr'] },
  );
  t.vmm.run(100);
  assert.equal(t.g(16), 0, 'the SCLKM3 write did not happen');
  const l = log(t);
  assert.deepEqual(l[0].causes, ['rw_sclkm3', 'rw']);
  assert.equal(l[0].entries[0].name, 'FORCED', 'cancelled (code 0) by the VMM');
  assert.match(l[0].action!, /WRITE_CU 0x72 ignored/);
  assert.deepEqual(l[1].causes, ['rw_clkr', 'rw']);
  assert.equal(t.vmm.counters()['cu.writes_ignored'], 2);
});

test('reset: every vCPU restarts from power-on state (no register, TIR or window state survives)', () => {
  const t = testVm(`${HEAD}
 { setwd wsz=8 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { addd %dg16, 1, %dg16 }
 { rws 0x23, %psr }
 { rwd %dr0, %ip }
`);
  t.vmm.run(100); // the illegal rwd traps into the handler, which idles with TIRs frozen
  assert.equal(t.g(16), 1);
  assert.equal(t.vmm.vcpus[0].core.tirFrozen, true);
  t.vmm.reset({ ...t.boot(0x16000), entry12: { dr0: 0, dr1: 0x1000, returnIp: 0 } });
  assert.equal(t.vmm.vcpus[0].core.tirFrozen, false);
  assert.equal(t.g(16), 0, 'globals back to zero');
  t.vmm.run(100);
  assert.equal(t.g(16), 1, 'the guest ran again from entry 12');
  assert.equal(t.vmm.stopped, null);
  assert.equal(t.vmm.counters()['exits.idle'], 2, 'counters carried over');
});
