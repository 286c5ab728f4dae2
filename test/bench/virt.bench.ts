/**
 * Virtualization figures: exits per second for an IDR-read loop and an MMIO loop (each exit
 * = intercept record → VMM handling → glaunch with replay), guest bundles/s with every
 * intercept off vs the defaults (the cost of virtualization as a ratio), and the bare
 * privileged core (SysCpu) for comparison. Guests are assembled with the project's tools.
 */
import { performance } from 'node:perf_hooks';
import { testVm, HEAD, DEV_BASE } from '../emulator/virt/vmm/helpers';

export const title = 'virtualization (VMM + guest mode)';

const now = (): number => performance.now();

function vm(body: string, cu: string[] = [], exact = false) {
  const t = testVm(`${HEAD}\n.org 0x6000\n { setwd wsz=8 }\n${body}`, {
    cu,
    quantumUs: 10_000,
    realClock: true,
    vmm: { stormLimit: Infinity, exactControls: exact, checkBundles: 200_000 },
  });
  return t;
}

function exitsPerSecond(t: ReturnType<typeof vm>, ms: number): number {
  t.vmm.run(1); // warm-up (page faults, first glaunch)
  const c0 = t.vmm.counters()['exits.total'];
  const t0 = now();
  let el: number;
  while ((el = now() - t0) < ms) t.vmm.run(50);
  return ((t.vmm.counters()['exits.total'] - c0) * 1000) / el;
}

function bundlesPerSecond(t: ReturnType<typeof vm>, ms: number): number {
  t.vmm.run(1);
  const core = t.vmm.vcpus[0].core;
  const b0 = core.icount;
  const t0 = now();
  let el: number;
  while ((el = now() - t0) < ms) t.vmm.run(50);
  return ((core.icount - b0) * 1000) / el;
}

const LOOP = `
loop:
 { addd %dg16, 1, %dg16 ; addd %dg17, 3, %dg17 }
 { addd %dg18, %dg16, %dg18 ; ibranch loop }
`;

export function run(report: (n: string, v: number, u: string, t?: string) => void): void {
  const idr = vm(`loop:\n { rrd %idr, %dg16 }\n { ibranch loop }\n`);
  report('IDR-read loop: exits/s', exitsPerSecond(idr, 1500), 'exits/s');
  const mmio = vm(
    ` { addd 0, ${DEV_BASE}, %dr2 }\nloop:\n { ldw,0 [ %dr2 + 0x20 ], %dg16 }\n { ibranch loop }\n`,
  );
  report('MMIO-load loop: exits/s', exitsPerSecond(mmio, 1500), 'exits/s');
  // Alternate the two configurations (JIT warm-up and machine load affect the first run).
  const off = vm(LOOP, [], true);
  const def = vm(LOOP);
  bundlesPerSecond(off, 300);
  bundlesPerSecond(def, 300);
  const bOff = bundlesPerSecond(off, 1500);
  report('guest ALU loop, all intercepts off: bundles/s', bOff, 'bundles/s');
  const bDef = bundlesPerSecond(def, 1500);
  report('guest ALU loop, default intercepts: bundles/s', bDef, 'bundles/s');
  report('cost of virtualization (off / defaults)', bOff / bDef, 'x');
  const exits = def.vmm.counters()['exits.total'];
  report('  exits during the default run (quanta)', exits, 'exits');
}
