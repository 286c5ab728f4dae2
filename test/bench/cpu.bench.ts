/**
 * CPU core throughput: bundles/s and ALU ops/s for (a) a one-bundle add/compare/branch
 * loop, (b) a three-bundle loop, (c) a mixed loop with loads, stores and calls. Programs are
 * assembled and linked with the project's own tools and run under the Linux user runner.
 */
import { build, runElf } from '../emulator/cpu/helpers';

export const title = 'e2k CPU core (interpreter)';

const N = 3_000_000;

const PRE = `
    .text
    .global _start
_start:
    {
        setwd wsz=16, nfx=1
        setbn rsz=3, rbs=4, rcur=0
        addd,0 0, 0, %r0
        addd,1 0, 0, %r1
        addd,2 0, buf, %r2
        cmpedb,3 0, 0, %pred0
        disp %ctpr1, .Lloop
    }
`;
const POST = `
    {
        addd,0 0, 1, %r8
        addd,1 0, 0, %r9
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
leaf:
    {
        return %ctpr3
        addd,0 %r0, 1, %r0
    }
        ct %ctpr3
    .data
    .align 8
buf:
    .quad 0, 0, 0, 0
`;

const ONE = `${PRE}
.Lloop:
    {
        addd,0 %r0, 1, %r0
        cmpldb,1 %r0, ${N}, %pred0
        ct %ctpr1 ? %pred0
    }
${POST}`;

const THREE = `${PRE}
.Lloop:
    {
        addd,0 %r0, 1, %r0
        addd,1 %r1, 3, %r1
    }
    {
        xord,0 %r1, %r0, %r3
        cmpldb,1 %r0, ${N / 3}, %pred0
    }
    {
        shld,0 %r3, 1, %r4
        ct %ctpr1 ? %pred0
    }
${POST}`;

const MIXED = `${PRE}
.Lloop:
    {
        ldd,0 [ %r2 ], %r3
        addd,1 %r0, 1, %r0
    }
    {
        addd,0 %r3, 1, %r3
        cmpldb,1 %r0, ${N / 6}, %pred0
        disp %ctpr2, leaf
    }
    {
        std,2 %r3, [ %r2 ]
        addd,0 0, %r0, %b[0]
    }
        call %ctpr2, wbs=4
    {
        disp %ctpr1, .Lloop
    }
        ct %ctpr1 ? %pred0
${POST}`;

export function run(
  report: (name: string, value: number, unit: string, target?: string) => void,
): void {
  const cases: [string, string, number, string?][] = [
    ['(a) one-bundle add/cmp/branch loop', ONE, 2, '≥ 15 M bundles/s'],
    ['(b) three-bundle loop', THREE, 5 / 3],
    ['(c) loads/stores/calls loop', MIXED, 6 / 6],
  ];
  for (const [name, src, opsPerBundle, target] of cases) {
    const exe = build(src, 5);
    // Best of 5 runs (the first ones also warm up the JIT); the machine may be shared.
    let dt = Infinity;
    let bundles = 0;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const r = runElf(exe, { max: 2e8 });
      dt = Math.min(dt, (performance.now() - t0) / 1000);
      bundles = r.proc.cpu.icount;
      if (r.code !== 0) throw new Error(`${name}: exit ${r.code} ${r.stderr}`);
    }
    report(`${name}: bundles/s`, bundles / dt / 1e6, 'M/s', target);
    report(`${name}: ALU ops/s`, (bundles * opsPerBundle) / dt / 1e6, 'M/s');
  }
}
