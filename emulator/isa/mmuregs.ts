/** MMU/system registers of mmurr/mmurw (generated table mmureg-table.ts). */
import type { IsaLevel } from './bundle-api';
import { BundleError } from './bundle-api';
import { MMUREG_TABLE } from './mmureg-table';

interface MmuReg {
  mas: number;
  chans: number;
  addr: number;
  levels: number;
}

const regs = new Map<string, MmuReg>();
for (const line of MMUREG_TABLE) {
  const [name, rw, mas, addr, ch, lv] = line.split(/\s+/);
  let levels = 0;
  let chans = 0;
  for (const d of ch) chans |= 1 << Number(d);
  for (const d of lv) levels |= 1 << Number(d);
  regs.set(`${name} ${rw}`, {
    mas: parseInt(mas, 16),
    chans,
    addr: parseInt(addr, 16),
    levels,
  });
}

/** MAS and address for reading ('r') or writing ('w') an MMU register. */
export function mmuReg(
  name: string,
  rw: 'r' | 'w',
  iset: IsaLevel,
): { mas: number; addr: number; chans: number } {
  const t = name.trim();
  const r = regs.get(`${t} ${rw}`);
  if (r && r.levels & (1 << iset)) return r;
  if (rw === 'w' && regs.has(`${t} r`)) {
    const any = [2, 3, 4, 5, 6].some((l) => (regs.get(`${t} w`)?.levels ?? 0) & (1 << l));
    throw new BundleError(
      any ? `\`${t}' is not writable on \`elbrus-v${iset}'` : `\`${t}' is not writable`,
    );
  }
  throw new BundleError(`invalid MMU register \`${t}'`);
}
