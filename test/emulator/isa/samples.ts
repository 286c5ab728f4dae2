// Generates one source bundle per (operation row, allowed channel) of the operation table,
// with operands of the right kind — used by the round-trip test and the benchmark.
import { OPS } from '../../../emulator/isa/ops';
import type { OpEntry } from '../../../emulator/isa/ops';
import type { IsaLevel } from '../../../emulator/isa';

function reg(w: string | undefined, n: number): string {
  const p = w === 'd' ? 'd' : w === 'q' ? 'q' : w === 'p' ? 'qp' : '';
  return `%${p}r${n}`;
}

/** Source text of `op` in channel `ch` (null for kinds that need special operands). */
export function sampleOp(op: OpEntry, ch: number, k: number): string | null {
  const w = op.widths;
  const even = (n: number) => n & ~1;
  const r = (i: number, n: number) => reg(w[i], w[i] === 'q' || w[i] === 'p' ? even(n) : n);
  const lit =
    k % 3 === 0 ? `0x${(0x1234 + k).toString(16)}` : k % 3 === 1 ? r(1, 4 + (k % 20)) : '0x5';
  const head = `${op.name},${ch}${k % 2 ? ',sm' : ''}`;
  switch (op.kind) {
    case 'alu3':
      if (op.name === 'icalld') return null;
      if (op.mem) return `${head} ${r(0, 2)}, ${r(1, 6)}, ${r(2, 10)}`;
      return `${head} ${r(0, 2)}, ${lit}, ${r(2, 10)}`;
    case 'alu2':
      if (op.name === 'ibranchd') return null;
      return `${head} ${lit === '0x5' ? r(0, 6) : lit}, ${r(1, 12)}`;
    case 'cmp':
      return `${head} ${r(0, 2)}, ${lit}, %pred${k % 32}`;
    case 'ccto':
      return `${head} ${r(0, 2)}, %pred${k % 32}`;
    case 'lit8':
      return `${head} ${r(0, 2)}, ${r(1, 4)}, 0x${(k & 7).toString(16)}, ${r(3, 8)}`;
    case 'lit8b':
      return `${head} ${r(0, 2)}, 0x1b, ${r(2, 8)}`;
    case 'merge':
      return `${head} ${r(0, 2)}, ${lit}, ${r(2, 8)}, ${k & 1 ? '~' : ''}%pred${k % 32}`;
    case 'mrg4':
      return `${head} ${r(0, 2)}, ${r(1, 4)}, ${r(2, 6)}, ${r(3, 8)}, %pred${k % 32}`;
    case 'alu4':
      return `${head} ${r(0, 2)}, ${lit}, ${r(2, 6)}, ${r(3, 8)}`;
    case 'store':
      return `${head} ${r(2, 8)}, [ ${r(0, 2)} + ${lit} ]`;
    default:
      return null;
  }
}

export function sampleSources(iset: IsaLevel): string[][] {
  const out: string[][] = [];
  let k = 0;
  for (const op of OPS) {
    const mask = op.chans[iset];
    for (let ch = 0; ch < 6; ch++) {
      if ((mask & (1 << ch)) === 0) continue;
      const s = sampleOp(op, ch, k++);
      if (s) out.push([s]);
    }
  }
  return out;
}
