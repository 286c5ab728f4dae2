/**
 * Assembler and disassembler throughput on a generated 100 000-bundle file (target
 * ≥ 200 000 bundles/s each): `e2k-as` source → object, then `e2k-objdump -d -r` of that
 * object (ELF reading, bundle walk, disassembly, inline relocations, text formatting).
 */
import { assemble } from '../../emulator/asm/index';
import { objdump } from '../../emulator/elf/objdump';
import { disassembleBundle } from '../../emulator/disasm';
import type { Report } from './run';

export const title = 'e2k-as / e2k-objdump: file-level assembler and disassembler';

const BUNDLES = 100_000;

function source(): string {
  const lines = ['  .text', '  .global _start', '_start:'];
  for (let i = 0; i < BUNDLES; i++) {
    switch (i % 5) {
      case 0:
        lines.push(
          `.Ll${i}:`,
          `  { adds,0 %r1, %r2, %r3 ; addd,1 %dr4, 0x${(i * 7919).toString(16)}, %dr5 }`,
        );
        break;
      case 1:
        lines.push(`  disp %ctpr1, .Ll${i + 4}`);
        break;
      case 2:
        lines.push('  { ldd,0 %dr1, 8, %dr2 ; std,2 %dr3, [ %dr4 + 16 ] }');
        break;
      case 3:
        lines.push(`  addd,0 %dr0, .Ll${i - 3}, %dr1`);
        break;
      default:
        lines.push('  ct %ctpr1 ? %pred0');
        break;
    }
  }
  lines.push(`.Ll${BUNDLES}:`, '  nop');
  return lines.join('\n') + '\n';
}

export function run(report: Report): void {
  const src = source();
  assemble(src.slice(0, 20_000), { iset: 6 }); // short warm-up: the JIT has seen every path once
  // Cold: the first full-size run (the one a command-line `e2k-as` invocation pays for,
  // JIT still optimising and the heap still growing).
  const t0 = performance.now();
  const r = assemble(src, { iset: 6 });
  const cold = performance.now() - t0;
  if (r.errorCount)
    throw new Error(`benchmark source has ${r.errorCount} errors: ${r.diagnostics[0].message}`);
  // Warm: the same file again after that run (steady state: best of 3).
  let warm = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    assemble(src, { iset: 6 });
    warm = Math.min(warm, performance.now() - t);
  }
  report('assemble 100 000 bundles, first run (cold)', cold, 'ms');
  report('assembler speed, first run (cold)', (BUNDLES / cold) * 1000, 'bundles/s', '≥ 200,000');
  report('assemble 100 000 bundles, warm (best of 3)', warm, 'ms');
  report('assembler speed, warm (best of 3)', (BUNDLES / warm) * 1000, 'bundles/s', '≥ 200,000');
  report('object size', r.object!.length / 1024 / 1024, 'MiB');

  const obj = r.object!;
  const dump = () =>
    objdump(obj, {
      fileName: 'bench.o',
      disassemble: true,
      relocs: true,
      disassembler: disassembleBundle,
    });
  const d0 = performance.now();
  const text = dump();
  const dcold = performance.now() - d0;
  let dwarm = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    dump();
    dwarm = Math.min(dwarm, performance.now() - t);
  }
  report('objdump -d -r of that object, first run (cold)', dcold, 'ms');
  report(
    'disassembler speed, first run (cold)',
    (BUNDLES / dcold) * 1000,
    'bundles/s',
    '≥ 200,000',
  );
  report(
    'disassembler speed, warm (best of 3)',
    (BUNDLES / dwarm) * 1000,
    'bundles/s',
    '≥ 200,000',
  );
  report('objdump text', text.length / 1024 / 1024, 'MiB');
}
