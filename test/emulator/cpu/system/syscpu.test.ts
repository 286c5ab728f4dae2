/**
 * The privileged CPU (emulator/cpu/system): kernels assembled with the project's assembler,
 * entered at trap-table entry 12 like firmware does, exercising system calls, traps, done,
 * page faults with the trap cellar, interrupts, MMIO and the double-fault halt.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { machine, PageTables } from './helpers';
import { SysStop } from '../../../../emulator/cpu/system/syscpu';
import { HOST_IDR } from '../../../../emulator/cpu/system/sysregs';
import { GLOBAL_BASE } from '../../../../emulator/cpu/state';
import { MmioBus } from '../../../../emulator/memory/mmio';
import { F_P, F_PV, F_VALID, F_W } from '../../../../emulator/mmu/pte';
import { encodePte } from '../../../../emulator/mmu/pte';

type Cpu = ReturnType<typeof machine>['cpu'];
const g = (cpu: Cpu, n: number): number =>
  (cpu.hi[GLOBAL_BASE + n] >>> 0) * 2 ** 32 + (cpu.lo[GLOBAL_BASE + n] >>> 0);
const setG = (cpu: Cpu, n: number, v: number): void => {
  cpu.lo[GLOBAL_BASE + n] = (v % 2 ** 32) | 0;
  cpu.hi[GLOBAL_BASE + n] = Math.floor(v / 2 ** 32) | 0;
};

/** %dg25 = mask clearing cr1.lo[63:57] (the saved PSR): returning through it enters user mode. */
const userMask = (cpu: Cpu): void => {
  cpu.lo[GLOBAL_BASE + 25] = -1;
  cpu.hi[GLOBAL_BASE + 25] = 0x01ffffff;
};

const HEAD = `
.text
.global _start
_start:
`;

test('entry 12 boot: arguments, IDR of the v6 host, privileged PSR', () => {
  const { cpu } = machine(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, %dr1, %dg16 }
 { rrd %idr, %dg17 }
 { rrd %psr, %dg18 }
 { rrd %core_mode, %dg19 }
 { wait int=1 }
`);
  assert.equal(cpu.runSys(1000), SysStop.Idle);
  assert.equal(g(cpu, 16), 0x1234);
  assert.equal(g(cpu, 17), HOST_IDR);
  assert.equal(HOST_IDR & (1 << 24), 1 << 24); // hw_virt
  assert.equal(g(cpu, 18), 1);
  assert.equal(g(cpu, 19), 0);
});

test('drop to user mode, system call through OSEM entry 3, privileged write traps to entry 0', () => {
  const { cpu, img } = machine(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg16 }
 { rrd %tir.lo, %dg17 }
 { rrd %cr0.hi, %dg18 }
 { rrd %cr1.lo, %dg19 }
 { rwd 0, %tir.lo }
 { wait int=1 }
.org 0x1800
 { setwd wsz=8 }
 { rrd %psr, %dg21 }
 { addd %dr0, 100, %dr0 }
 { return %ctpr3 }
 { ct %ctpr3 }
.org 0x6000
 { setwd wsz=8 }
 { rws 8, %osem }
 { addd 0, %dg24, %dr2 }
 { rwd %dr2, %cr0.hi }
 { rrd %cr1.lo, %dr3 }
 { andd %dr3, %dg25, %dr3 }
 { rwd %dr3, %cr1.lo }
 { return %ctpr3 }
 { ct %ctpr3 }
.global user
user:
 { setwd wsz=8 ; setbn rsz=3, rbs=4, rcur=0 }
 { addd 0, 5, %b[0] }
 { sdisp %ctpr1, 3 }
 { call %ctpr1, wbs=4 }
 { addd 0, %b[0], %dg22 }
 { rrd %psr, %dg23 }
.global bad
bad:
 { rwd %dg22, %osr0 }
 { addd 0, 1, %dg26 }
`);
  setG(cpu, 24, img.symbols.get('user')!);
  userMask(cpu); // clear the saved PSR (cr1.lo[63:57]) → user mode
  assert.equal(cpu.runSys(1000), SysStop.Idle);
  assert.equal(g(cpu, 22), 105, 'system call result in %b[0]');
  assert.equal(g(cpu, 21), 1, 'PSR inside the system call: pm set, interrupts off');
  assert.equal(g(cpu, 23), 0, 'user PSR restored by return');
  assert.equal(g(cpu, 16), 2, 'TIR.hi: exc_priv_action (bit 1), j = 0');
  assert.equal(g(cpu, 17), img.symbols.get('bad'), 'TIR.lo = faulting bundle');
  assert.equal(g(cpu, 18), img.symbols.get('bad'), 'cr0.hi = IP to re-execute');
  assert.equal(Math.floor(g(cpu, 19) / 2 ** 57), 0, 'saved PSR of the trapped user code');
  assert.equal(g(cpu, 26), 0, 'the faulting bundle did not complete');
  assert.equal(cpu.traps, 1);
  assert.equal(cpu.syscalls, 1);
  assert.equal(cpu.tirFrozen, false);
});

test('sdisp to an entry closed in OSEM raises exc_priv_action before the call', () => {
  const { cpu, img } = machine(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg16 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { addd 0, %dg24, %dr2 }
 { rwd %dr2, %cr0.hi }
 { rrd %cr1.lo, %dr3 }
 { andd %dr3, %dg25, %dr3 }
 { rwd %dr3, %cr1.lo }
 { return %ctpr3 }
 { ct %ctpr3 }
.global user
user:
 { setwd wsz=8 }
 { sdisp %ctpr1, 3 }
 { call %ctpr1, wbs=4 }
`);
  setG(cpu, 24, img.symbols.get('user')!);
  userMask(cpu);
  assert.equal(cpu.runSys(1000), SysStop.Idle);
  assert.equal(g(cpu, 16), 2);
  assert.equal(cpu.syscalls, 0);
});

test('data page fault: TC record, exc_data_page, handler maps the page and done re-executes', () => {
  const { cpu, img, phys } = machine(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg17 }
 { rrd %tir.lo, %dg18 }
 { std,2 %dg24, [ %dg25 ], mas=0x1 }
 { std,2 %dg0, [ %dg26 ], mas=0x47 }
 { std,2 %dg0, [ %dg27 ], mas=0x27 }
 { rwd 0, %tir.lo }
 { nop 3 ; wait st_c=1 }
 { done }
.org 0x6000
 { setwd wsz=8 }
 { addd 0, %dg28, %dr2 }
.global access
access:
 { ldd [ %dr2 + 0x10 ], %dg16 }
 { wait int=1 }
`);
  const pt = new PageTables(phys);
  pt.identity(0, 0x1000000);
  const VA = 0x40000000;
  const PA = 0x500000;
  phys.write64(PA + 0x10, 0xdeadbeef, 0x12345678);
  const pteAddr = pt.pteAddr(VA);
  const e = encodePte(F_VALID, 0, false); // valid but not present → page_miss
  phys.write64(pteAddr, e.lo, e.hi);
  const good = encodePte(F_P | F_VALID | F_W, PA, false);
  setG(cpu, 24, good.lo + good.hi * 2 ** 32);
  setG(cpu, 25, pteAddr);
  setG(cpu, 26, 0x60); // TRAP_COUNT << 4
  setG(cpu, 27, 1); // flush entire TLB
  setG(cpu, 28, VA);
  cpu.mmu.regs.set(4, pt.root); // U_PPTB
  cpu.mmu.regs.set(0, 1); // MMU_CR.tlb_en
  cpu.smem.invalidate();
  assert.equal(cpu.runSys(1000), SysStop.Idle, cpu.haltReason);
  assert.equal(cpu.lo[GLOBAL_BASE + 16] >>> 0, 0xdeadbeef, 'loaded after the fix (low)');
  assert.equal(cpu.hi[GLOBAL_BASE + 16], 0x12345678, 'loaded after the fix (high)');
  assert.equal(g(cpu, 17), 2 ** 29, 'exc_data_page');
  assert.equal(g(cpu, 18), img.symbols.get('access'));
  // the trap cellar record at TRAP_POINT (0x7000)
  assert.equal(phys.read64(0x7000), VA + 0x10);
  const condLo = phys.read64(0x7000 + 16);
  const condHi = phys.hi;
  assert.equal((condLo >>> 10) & 7, 4, 'fmt = dword');
  assert.equal((condLo >>> 17) & 1, 0, 'load');
  assert.equal((condLo >>> 31) & 1, 1, 'privileged access');
  assert.equal((condHi >>> (45 - 32)) & 1, 1, 'fault_type page_miss');
  assert.equal(cpu.mmu.regs.lo[6], 0, 'handler reset TRAP_COUNT');
  assert.equal(cpu.traps, 1);
});

test('interrupt accepted at a bundle boundary only when PSR.ie allows it', () => {
  const { cpu, img } = machine(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg17 }
 { rrd %cr0.hi, %dg18 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0, %dg16 }
.global enable
enable:
 { rws 0x23, %psr }
.global loop
loop:
 { addd %dg16, 1, %dg16 }
 { ibranch loop }
`);
  cpu.raiseIrq(); // pending while PSR.ie = 0: not taken
  assert.equal(cpu.runSys(3), SysStop.Limit);
  assert.equal(cpu.interrupts, 0);
  assert.equal(cpu.runSys(30), SysStop.Idle, 'handler ends in wait int=1 with interrupts masked');
  assert.equal(cpu.interrupts, 1);
  assert.equal(g(cpu, 16), 0, 'taken right after the bundle that set PSR.ie');
  assert.equal(g(cpu, 17), 2 ** 32, 'TIR.hi: exc_interrupt (bit 32)');
  assert.equal(g(cpu, 18), img.symbols.get('loop'), 'cr0.hi = the next bundle');
  cpu.lowerIrq();
});

test('MMIO: normal and MAS 6 accesses reach the bus; MAS 0x47 reads MMU registers', () => {
  const log: string[] = [];
  const bus = new MmioBus();
  bus.map(0x7ee00000, 0x1000, {
    read: (o, w) => (log.push(`r${w}@${o.toString(16)}`), 0x55),
    write: (o, w, v) => void log.push(`w${w}@${o.toString(16)}=${v.toString(16)}`),
  });
  const { cpu } = machine(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0x7ee00000, %dr2 }
 { stw,2 %dr1, [ %dr2 + 0x10 ] }
 { ldw,0 [ %dr2 + 0x20 ], %dg16 }
 { stw,2 %dr1, [ %dr2 + 0x30 ], mas=0x6 }
 { ldd,0 [ 0x50 ], %dg17, mas=0x47 }
 { wait int=1 }
`,
    bus,
  );
  assert.equal(cpu.runSys(100), SysStop.Idle, cpu.haltReason);
  assert.deepEqual(log, ['w4@10=1234', 'r4@20', 'w4@30=1234']);
  assert.equal(g(cpu, 16), 0x55);
  assert.equal(g(cpu, 17), 0x7000, 'TRAP_POINT through MAS 0x47');
});

test('an exception inside the trap handler (TIRs frozen) halts the core with a reason', () => {
  const { cpu } = machine(`${HEAD}
 { setwd wsz=8 }
 { rwd %dr0, %ip }
.org 0x6000
 { setwd wsz=8 }
 { rwd %dr0, %idr }
`);
  assert.equal(cpu.runSys(100), SysStop.Halt);
  assert.match(cpu.haltReason, /double fault/);
});

test('user mode: done and special MAS are privileged', () => {
  const { cpu, img } = machine(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg16 }
 { rrd %tir.lo, %dg17 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { addd 0, %dg24, %dr2 }
 { rwd %dr2, %cr0.hi }
 { rrd %cr1.lo, %dr3 }
 { andd %dr3, %dg25, %dr3 }
 { rwd %dr3, %cr1.lo }
 { return %ctpr3 }
 { ct %ctpr3 }
.global user
user:
 { nop 3 ; wait st_c=1 }
 { done }
`);
  setG(cpu, 24, img.symbols.get('user')!);
  userMask(cpu);
  assert.equal(cpu.runSys(100), SysStop.Idle, cpu.haltReason);
  assert.equal(g(cpu, 16), 2, 'exc_priv_action');
  assert.equal(g(cpu, 17), img.symbols.get('user')! + 8);
});

test('hardware stacks on PV pages: user calls spill/fill through them; a user load from them faults (priv_page)', () => {
  const { cpu, img, phys } = machine(`${HEAD}
 { setwd wsz=8 }
 { rrd %tir.hi, %dg17 }
 { rrd %tir.lo, %dg18 }
 { wait int=1 }
.org 0x6000
 { setwd wsz=8 }
 { addd 0, %dg24, %dr2 }
 { rwd %dr2, %cr0.hi }
 { rrd %cr1.lo, %dr3 }
 { andd %dr3, %dg25, %dr3 }
 { rwd %dr3, %cr1.lo }
 { return %ctpr3 }
 { ct %ctpr3 }
.global user
user:
 { setwd wsz=8 ; disp %ctpr1, leaf }
 { call %ctpr1, wbs=4 }
 { addd 0, 1, %dg16 }
.global peek
peek:
 { ldd,0 [ %dg26 + 0 ], %dg19 }
 { addd 0, 2, %dg16 }
leaf:
 { setwd wsz=4 ; return %ctpr3 }
 { ct %ctpr3 }
`);
  const pt = new PageTables(phys);
  pt.identity(0, 0x800000); // code, data, trap cellar
  pt.identity(0x900000 - 0x10000, 0x900000 + 0x1000);
  const PV = F_P | F_VALID | F_W | F_PV;
  pt.identity(0x800000, 0x820000, PV); // PSP and PCSP: privileged pages
  cpu.mmu.regs.set(4, pt.root);
  cpu.mmu.regs.set(0, 1);
  cpu.smem.invalidate();
  setG(cpu, 24, img.symbols.get('user')!);
  userMask(cpu);
  setG(cpu, 26, 0x810000); // PCSP base
  assert.equal(cpu.runSys(1000), SysStop.Idle, cpu.haltReason);
  assert.equal(g(cpu, 16), 1, 'the user call and return went through the PV chain stack');
  assert.equal(g(cpu, 17), 2 ** 29, 'the user load from the PV page faulted');
  assert.equal(g(cpu, 18), img.symbols.get('peek'));
  phys.read64(0x7000 + 16);
  const condHi = phys.hi;
  assert.equal((condHi >>> (42 - 32)) & 1, 1, 'fault_type priv_page');
});

test('context switch: PSP/PCSP written, return enters a fresh thread; switching back restores the caller', () => {
  const { cpu, img, phys } = machine(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 5, %dr7 }
 { disp %ctpr1, switch }
 { call %ctpr1, wbs=4 }
.global back
back:
 { addd 0, %dr7, %dg17 }
 { wait int=1 }
.global switch
switch:
 { rrd %psp.lo, %dg20 }
 { rrd %psp.hi, %dg21 }
 { rrd %pcsp.lo, %dg22 }
 { rrd %pcsp.hi, %dg23 }
 { rwd %dg24, %psp.lo }
 { rwd %dg25, %psp.hi }
 { rwd %dg26, %pcsp.lo }
 { rwd %dg27, %pcsp.hi }
 { return %ctpr3 }
 { ct %ctpr3 }
.global threadb
threadb:
 { setwd wsz=8 }
 { addd 0, 0x77, %dg16 }
 { rrd %pcsp.hi, %dg18 }
 { setwd wsz=4 }
 { rwd %dg20, %psp.lo }
 { rwd %dg21, %psp.hi }
 { rwd %dg22, %pcsp.lo }
 { rwd %dg23, %pcsp.hi }
 { return %ctpr3 }
 { ct %ctpr3 }
`);
  // thread B: PSP at 0x840000, PCSP at 0x850000 with one frame at base + 32 (ind = 32)
  const PSP_B = 0x840000;
  const PCSP_B = 0x850000;
  const entry = img.symbols.get('threadb')!;
  phys.write64(PCSP_B + 32, 0, 0); // cr0.lo
  phys.write64(PCSP_B + 40, entry, 0); // cr0.hi
  phys.write64(PCSP_B + 48, 0, 1 << 25); // cr1.lo: psr = pm, wbs = wpsz = 0
  phys.write64(PCSP_B + 56, 0, 0); // cr1.hi
  setG(cpu, 24, PSP_B);
  setG(cpu, 25, 0x10000 * 2 ** 32); // size, ind 0
  setG(cpu, 26, PCSP_B);
  setG(cpu, 27, 0x4000 * 2 ** 32 + 32); // size, ind 32
  assert.equal(cpu.runSys(1000), SysStop.Idle, cpu.haltReason + ' ' + cpu.lastTrapDetail);
  assert.equal(g(cpu, 16), 0x77, 'thread B ran');
  assert.equal(g(cpu, 18) % 2 ** 32, 0, 'thread B: its first frame was popped (ind 0)');
  assert.equal(g(cpu, 17), 5, "A's register came back from its procedure stack");
  assert.equal(cpu.ip, img.symbols.get('back')! + 16);
  assert.equal(cpu.pcsBase, 0x810000);
  assert.equal(g(cpu, 23) % 2 ** 32, 64, "A's PCSP.ind: two frames (boot, call switch)");
});
