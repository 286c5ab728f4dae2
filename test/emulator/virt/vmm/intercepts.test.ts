/**
 * One guest program per intercept cause, run under the VMM: exact record contents, the
 * VMM's action and the counters (virtualization.md §3, §6.3, §7.3).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testVm, HEAD, DEV_BASE, POWER_BASE } from './helpers';
import { guestIdr, cpuModel } from '../../../../emulator/cpu/models';
import type { InterceptLogEntry } from '../../../../emulator/virt/counters';
import { HCALL_VERSION } from '../../../../emulator/virt/vmm/vmm';

const log = (t: ReturnType<typeof testVm>): InterceptLogEntry[] =>
  t.vmm.recentIntercepts() as InterceptLogEntry[];

test('IDR read: READ_CU record, value substituted from the CPU preset', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
.global rd
rd:
 { rrd %idr, %dg16 }
 { wait int=1 }
`);
  const r = t.vmm.run(100);
  assert.equal(r.halted, undefined);
  assert.equal(t.g(16), guestIdr(cpuModel('e8c'), 0));
  const [e] = log(t);
  assert.deepEqual(e.causes, ['rr_idr', 'rr']);
  assert.equal(e.guestIp, '0x' + t.sym('rd').toString(16));
  assert.equal(e.entries[0].name, 'READ_CU');
  assert.equal(e.entries[0].reg, 'IDR');
  assert.equal(e.entries[0].value, '0x0000000000003207');
  assert.match(e.action!, /READ_CU 0x8a → 0x0000000000003207/);
  const c = t.vmm.counters();
  assert.equal(c['exits.idr_read'], 1);
  assert.equal(c['exits.total'], 2);
  assert.equal(c['exits.idle'], 1);
});

test('vCPU 1 reads its own core number in IDR; e16c preset', () => {
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { wait int=1 }
.global second
second:
 { setwd wsz=8 }
 { rrd %idr, %dg16 }
 { wait int=1 }
`,
    { vcpus: 2, model: 'e16c' },
  );
  t.vmm.startVcpu(1, t.boot(t.sym('second')));
  t.vmm.run(100);
  assert.equal(t.g(16, 1), guestIdr(cpuModel('e16c'), 1));
  assert.equal((t.g(16, 1) >>> 15) & 0x1f, 1);
});

test('CLKR and SCLKR reads give virtual time', () => {
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { rrd %clkr, %dg16 }
 { rrd %sclkr, %dg17 }
 { wait int=1 }
`,
    { cu: ['rr_clkr'] },
  );
  t.clock.ms = 1000; // reset happened at 1000
  t.vmm.run(0.5);
  assert.equal(t.g(16), 0);
  t.clock.ms = 1000;
  const t2 = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { rrd %clkr, %dg16 }
 { rrd %sclkr, %dg17 }
 { wait int=1 }
`,
    { cu: ['rr_clkr'] },
  );
  t2.clock.ms = 3500.25; // 2500.25 ms of guest time
  t2.vmm.run(100);
  assert.equal(t2.g(16), 2500.25 * 1e6);
  assert.equal(Math.floor(t2.g(17) / 2 ** 32), 2);
  assert.equal(t2.g(17) % 2 ** 32, 500.25 * 1e6);
  const c = t2.vmm.counters();
  assert.equal(c['exits.clkr_read'], 1);
  assert.equal(c['exits.sclkr_read'], 1);
  assert.equal(c['exits.cause.rr_clkr'], 1);
  assert.equal(c['exits.cause.rr_sclkr'], 1);
});

test('CORE_MODE write: WRITE_CU emulated, gmi/hci kept; not intercepted when the bit is off', () => {
  const src = `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { rrs %core_mode, %r0 }
 { addd 0, %dr0, %dg16 }
 { rws 0x22, %core_mode }
 { rrs %core_mode, %r1 }
 { addd 0, %dr1, %dg17 }
 { wait int=1 }
`;
  const t = testVm(src, { cu: ['rw_core_mode'] });
  t.vmm.run(100);
  assert.equal(t.g(16) & 0xff, 0x18, 'guest sees gmi | hci');
  assert.equal(t.g(17) & 0xff, 0x3a, 'written value with gmi | hci kept');
  const e = log(t)[0];
  assert.deepEqual(e.causes, ['rw_core_mode', 'rw']);
  assert.equal(e.entries[0].name, 'WRITE_CU');
  assert.equal(e.entries[0].reg, 'CORE_MODE');
  assert.equal(e.entries[0].value, '0x000000000000003a');
  assert.equal(t.vmm.counters()['exits.core_mode_write'], 1);
  const t2 = testVm(src);
  t2.vmm.run(100);
  assert.equal(t2.g(17) & 0xff, 0x3a, 'without rw_core_mode the write completes in the guest (gmi/hci stay)'); // prettier-ignore
  assert.equal(t2.vmm.counters()['exits.total'], 1, 'only the idle exit');
});

test('MMIO: stores and loads become device calls; load value returned through the record', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, ${DEV_BASE}, %dr2 }
.global st
st:
 { stw,2 %dr1, [ %dr2 + 0x10 ] }
.global ld
ld:
 { ldw,0 [ %dr2 + 0x20 ], %dg16 }
 { wait int=1 }
`);
  t.vmm.run(100);
  assert.deepEqual(t.dev.log, ['w4@10=1000', 'r4@20']);
  assert.equal(t.g(16), 0x55 + 0x20);
  const [w, r] = log(t);
  assert.equal(w.guestIp, '0x' + t.sym('st').toString(16));
  assert.deepEqual(w.causes, ['mu.GPA_DATA']);
  assert.equal(w.entries[0].gpa, '0x' + (DEV_BASE + 0x10).toString(16));
  assert.equal(w.entries[0].store, true);
  assert.match(w.action!, /MMIO write 0xf0000010 = 0x1000 \(4 B\) completed by the device; record cancelled/); // prettier-ignore
  assert.equal(r.entries[0].name, 'READ_MU', 'code changed to READ_MU by the VMM');
  assert.equal(r.entries[0].value, '0x0000000000000075');
  const c = t.vmm.counters();
  assert.equal(c['exits.mmio'], 2);
  assert.equal(c['mu.cancelled'], 1);
  assert.equal(c['mu.data_substituted'], 1);
  assert.equal(c['gpa.faults.data'], 2);
});

test('lazy guest RAM: a GPA not yet backed is mapped on the fault and the access replayed', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0x800000, %dr2 }
 { std,2 %dr1, [ %dr2 + 8 ] }
 { ldd,0 [ %dr2 + 8 ], %dg16 }
 { wait int=1 }
`);
  const before = t.space.pagesMapped;
  t.vmm.run(100);
  assert.equal(t.g(16), 0x1000);
  assert.equal(
    t.space.pagesMapped,
    before + 2,
    'the data page and the chain-stack page of the boot frame',
  );
  assert.equal(t.mem.read32(t.space.hostAddr(0x800008)), 0x1000);
  const c = t.vmm.counters();
  assert.equal(c['gpa.faults.populated'], 1 + c['gpa.faults.late']);
  const e = log(t)[0];
  assert.deepEqual(e.causes, ['mu.GPA_DATA']);
  assert.equal(e.entries[0].gpa, '0x800008');
  assert.match(e.action!, /GPA 0x800008: page mapped, access replayed/);
  assert.equal(c['gpa.pages_mapped'], t.space.pagesMapped);
});

test('preemption timer: the quantum expires with g_tmr and the VMM relaunches', () => {
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
loop:
 { addd %dg16, 1, %dg16 }
 { ibranch loop }
`,
    { quantumUs: 100 },
  );
  t.vmm.run(0); // one round: one quantum of 1000 bundles
  const c = t.vmm.counters();
  assert.equal(c['exits.quantum'], 1);
  assert.equal(t.g(16), 500);
  const e = log(t)[0];
  assert.deepEqual(e.causes, ['g_tmr']);
  assert.match(e.action!, /quantum over/);
  t.vmm.run(0);
  assert.equal(t.vmm.counters()['exits.quantum'], 2);
  assert.equal(t.g(16), 1000);
});

test('idle wait: the vCPU sleeps until its CEPIC timer fires, then takes the interrupt without an exit', () => {
  const t = testVm(`${HEAD}
 { setwd wsz=8 }
 { addd 0, 0xfee00000, %dr2 }
 { ldw,0 [ %dr2 + 0x2f0 ], %dg17 }
 { rrd %tir.hi, %dg18 }
 { stw,2 %dr2, [ %dr2 + 0xa0 ] }
 { rwd 0, %tir.lo }
 { addd %dg19, 1, %dg19 }
 { nop 3 ; wait st_c=1 }
 { done }
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0xfee00000, %dr2 }
 { stw,2 %dr3, [ %dr2 + 0x0 ] }
 { stw,2 %dr4, [ %dr2 + 0x220 ] }
 { stw,2 %dr5, [ %dr2 + 0x230 ] }
 { rws 0x23, %psr }
.global idle
idle:
 { wait int=1 }
 { addd %dg16, 1, %dg16 }
 { wait int=1 }
`);
  const c0 = t.vmm.vcpus[0].core;
  // %dr3 = CTRL.soft_en, %dr4 = LVTT one-shot vector 0x60, %dr5 = TIMER_INIT 1000 ticks
  const win = (i: number, v: number) => c0.setWin(i, v, 0);
  win(3, 1 << 10);
  win(4, 0x60);
  win(5, 1000);
  const r = t.vmm.run(100);
  assert.equal(t.vmm.vcpus[0].state, 'idle');
  assert.equal(r.idleMs, 1, '1000 ticks at 10 MHz = 0.1 ms, rounded up');
  assert.equal(t.vmm.counters()['exits.total'], 1, 'CEPIC register writes needed no exit');
  t.clock.ms += 1;
  t.vmm.run(100);
  assert.equal(t.g(17), 0x60, 'VECT_INTA returned the timer vector');
  assert.equal(t.g(18), 2 ** 32, 'exc_interrupt');
  assert.equal(t.g(19), 1, 'handler ran once');
  assert.equal(t.g(16), 1, 'execution continued after the wait');
  const c = t.vmm.counters();
  assert.equal(c['exits.idle'], 2);
  assert.equal(c['idle.wakeups.timer'], 1);
  assert.equal(c['irq.taken_direct'], 1, 'delivered into the running guest without an exit');
});

test('device interrupt posted while the vCPU is out, injected at the next launch', () => {
  const t = testVm(`${HEAD}
 { setwd wsz=8 }
 { addd 0, 0xfee00000, %dr2 }
 { ldw,0 [ %dr2 + 0x2f0 ], %dg17 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0xfee00000, %dr2 }
 { stw,2 %dr3, [ %dr2 + 0x0 ] }
 { rws 0x23, %psr }
 { wait int=1 }
`);
  t.vmm.vcpus[0].core.setWin(3, 1 << 10, 0);
  t.vmm.run(100);
  assert.equal(t.vmm.vcpus[0].state, 'idle');
  t.cepics[0].inject(0x41);
  assert.equal(t.vmm.counters()['irq.posted'], 0, 'counters update after the next quantum');
  t.vmm.run(100);
  assert.equal(t.g(17), 0x41);
  const c = t.vmm.counters();
  assert.equal(c['irq.posted'], 1);
  assert.equal(c['idle.wakeups.irq'], 1);
});

test('hypercall: hcall 1 reaches the VMM without an intercept record', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 ; setbn rsz=3, rbs=4, rcur=0 }
 { addd 0, 0, %b[0] }
 { hcall 1, wbs=4 }
 { addd 0, %b[0], %dg16 }
 { addd 0, 2, %b[0] }
 { hcall 0, wbs=4 }
 { addd 0, %b[0], %dg17 }
 { wait int=1 }
`);
  t.vmm.run(100);
  assert.equal(t.g(16), HCALL_VERSION);
  assert.equal(t.g(17), 1, 'VCPU_COUNT');
  const c = t.vmm.counters();
  assert.equal(c['exits.hcall'], 2);
  assert.equal(c['hypercalls.light.0'], 1);
  assert.equal(c['hypercalls.generic.2'], 1);
  assert.equal(c['exits.total'], 1, 'only the idle exit');
});

test('reset request: the power-controller write stops the run; counted as exits.reset', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, ${POWER_BASE}, %dr2 }
 { stw,2 %dr3, [ %dr2 + 0 ] }
 { addd 0, 1, %dg16 }
 { wait int=1 }
`);
  t.vmm.vcpus[0].core.setWin(3, 2, 0);
  const r = t.vmm.run(100, () => t.power.request !== null);
  assert.equal(t.power.request, 'reset');
  assert.equal(r.halted, undefined);
  assert.equal(t.vmm.counters()['exits.reset'], 1);
  assert.equal(t.g(16), 0, 'the VMM returned before the guest went on');
});

test('injected fault: the VMM puts an exception into the guest trap handler', () => {
  const t = testVm(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg16 }
 { rrd %tir.lo, %dg17 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { wait int=1 }
.global after
after:
 { addd 0, 1, %dg18 }
`);
  t.vmm.run(100);
  t.vmm.injectFault(0, 34); // exc_div
  t.cepics[0].inject(0x20); // wake it up (soft_en is off: the vector stays pending)
  t.vmm.vcpus[0].state = 'runnable';
  t.vmm.run(100);
  assert.equal(t.g(16), (2 ** 34 / 2 ** 32) * 2 ** 32);
  assert.equal(t.g(17), t.sym('after'));
  assert.equal(t.vmm.counters()['faults.injected'], 1);
});

test('a (non-plain) bundle with two MMIO stores exits once with two MU records; both complete at the replay', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, ${DEV_BASE}, %dr2 }
.global two
two:
 { setwd wsz=8 ; stb,2 %dr1, [ %dr2 + 0x4 ] ; stb,5 %dr2, [ %dr2 + 0x8 ] }
 { ldb,0 [ %dr2 + 0x1 ], %dg16 ; ldb,3 [ %dr2 + 0x2 ], %dg17 }
 { wait int=1 }
`);
  t.vmm.run(100);
  assert.deepEqual(t.dev.log, ['w1@4=0', 'w1@8=0', 'r1@1', 'r1@2']);
  assert.equal(t.g(16), 0x56);
  assert.equal(t.g(17), 0x57);
  const [st, ld] = log(t);
  assert.equal(st.guestIp, '0x' + t.sym('two').toString(16));
  assert.deepEqual(st.causes, ['mu.GPA_DATA', 'mu.GPA_DATA']);
  // the load bundle is a plain one (inline commit): one exit per load, records merged
  assert.deepEqual(
    ld.entries.map((e) => e.name),
    ['READ_MU'],
  );
  const c = t.vmm.counters();
  assert.equal(c['exits.total'], 4);
  assert.equal(c['exits.mmio'], 4);
});

test('a plain bundle with two MMIO loads: two exits, the earlier record kept for the replay', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, ${DEV_BASE}, %dr2 }
 { ldw,0 [ %dr2 + 0x10 ], %dg16 ; ldw,3 [ %dr2 + 0x14 ], %dg17 }
 { wait int=1 }
`);
  t.vmm.run(100);
  assert.equal(t.g(16), 0x65);
  assert.equal(t.g(17), 0x69);
  assert.deepEqual(t.dev.log, ['r4@10', 'r4@14']);
  assert.equal(t.vmm.stopped, null);
});

test('a plain bundle with two MMIO stores: one exit per store, both performed once', () => {
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, ${DEV_BASE}, %dr2 }
 { stw,2 %dr1, [ %dr2 + 0x30 ] ; stw,5 %dr2, [ %dr2 + 0x34 ] }
 { addd 0, 1, %dg16 }
 { wait int=1 }
`);
  t.vmm.run(100);
  assert.deepEqual(t.dev.log, ['w4@30=1000', 'w4@34=f0000000']);
  assert.equal(t.g(16), 1);
  assert.equal(t.vmm.counters()['exits.mmio'], 2);
});
