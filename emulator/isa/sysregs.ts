/**
 * State-register names ↔ numbers (opcodes.md §9), from the generated sysreg-table.ts.
 */
import type { IsaLevel } from './bundle-api';
import { SYSREG_TABLE } from './sysreg-table';

export interface SysReg {
  name: string;
  num: number;
  readable: boolean;
  writable: boolean;
  levels: number; // bit per ISA level
  /** objdump prints this name for the number. */
  printed: boolean;
}

const regs: SysReg[] = SYSREG_TABLE.map((line) => {
  const [name, num, acc, lv, p] = line.split(/\s+/);
  let levels = 0;
  for (const d of lv) levels |= 1 << Number(d);
  return {
    name,
    num: parseInt(num, 16),
    readable: acc.includes('r'),
    writable: acc.includes('w'),
    levels,
    printed: p === 'p',
  };
});

const byName = new Map(regs.map((r) => [r.name, r]));
const firstByNum = new Map<number, SysReg>();
for (const r of regs) if (r.printed) firstByNum.set(r.num, r);

export function sysregByName(name: string, iset: IsaLevel): SysReg | undefined {
  const r = byName.get(name);
  return r && r.levels & (1 << iset) ? r : undefined;
}

/** objdump's name for a state-register number (`(null)` when objdump has none). */
export function sysregName(num: number): string {
  return firstByNum.get(num)?.name ?? '(null)';
}
