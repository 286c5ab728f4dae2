/** Helpers for system-mode tests: assemble a flat kernel image and run it on a SysCpu. */
import { assemble, formatDiagnostic } from '../../../../emulator/asm/index';
import { link } from '../../../../emulator/link/linker';
import { cpuModel } from '../../../../emulator/cpu/models';
import { PhysMemory } from '../../../../emulator/memory/phys';
import { MmioBus } from '../../../../emulator/memory/mmio';
import { SysCpu } from '../../../../emulator/cpu/system/syscpu';
import { encodePte, F_P, F_VALID, F_W } from '../../../../emulator/mmu/pte';

export interface Image {
  bytes: Uint8Array;
  symbols: Map<string, number>;
}

/** Assembles `source` (iset v6) and links it as a flat binary at `base`. */
export function buildImage(source: string, base = 0x10000, iset: 2 | 3 | 4 | 5 | 6 = 6): Image {
  const r = assemble(source, { iset, file: 'kernel.S' });
  if (!r.object) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  const l = link([{ name: 'kernel.S', bytes: r.object }], {
    textAddr: BigInt(base),
    oformat: 'binary',
  });
  if (!l.output) throw new Error(l.errors.join('\n'));
  const symbols = new Map<string, number>();
  for (const [k, v] of l.symbols) symbols.set(k, Number(v));
  return { bytes: l.output, symbols };
}

export const KBASE = 0x10000;

/**
 * A bare machine: 16 MiB RAM, the image at KBASE = OSCUD.base, stacks in RAM, entered at
 * trap-table entry 12 like firmware does (system.md §6.6).
 */
export function machine(
  source: string,
  bus = new MmioBus(),
): { cpu: SysCpu; img: Image; phys: PhysMemory } {
  const img = buildImage(source, KBASE);
  const phys = new PhysMemory(16 << 20);
  phys.writeBytes(KBASE, img.bytes);
  const cpu = new SysCpu(phys, bus, cpuModel('e16c'));
  cpu.regLo[0x27] = KBASE; // OSCUD.lo: base | c (bit 58) | rw=R (bit 59)
  cpu.regHi[0x27] = (1 << 26) | (1 << 27);
  cpu.regHi[0x26] = 0x100000; // OSCUD.hi: size << 32
  cpu.psBase = 0x800000;
  cpu.psSize = 0x10000;
  cpu.pcsBase = 0x810000;
  cpu.pcsSize = 0x4000;
  cpu.usdBase = 0x900000;
  cpu.usdSize = 0x10000;
  cpu.sbr = 0x900000;
  cpu.mmu.regs.set(5, 0x7000); // TRAP_POINT
  cpu.enterEntry(12, 0, [0, 0x1234]);
  return { cpu, img, phys };
}

/** Minimal 4-level page-table builder in PhysMemory (legacy PTE format), for tests. */
export class PageTables {
  private next: number;
  readonly root: number;
  constructor(
    private readonly phys: PhysMemory,
    area = 0xa00000,
  ) {
    this.next = area;
    this.root = this.alloc();
  }

  private alloc(): number {
    const a = this.next;
    this.next += 4096;
    for (let i = 0; i < 4096; i += 4) this.phys.write32(a + i, 0);
    return a;
  }

  /** Address of the level-1 PTE for `va` (directory levels created on demand). */
  pteAddr(va: number): number {
    let table = this.root;
    for (let l = 4; l > 1; l--) {
      const a = table + (Math.floor(va / 2 ** (12 + 9 * (l - 1))) & 511) * 8;
      let lo = this.phys.read32(a);
      if (!(lo & 1)) {
        const t = this.alloc();
        const e = encodePte(F_P | F_VALID | F_W, t, false);
        this.phys.write64(a, e.lo, e.hi);
        lo = e.lo;
      }
      table = (lo & 0xfffff000) >>> 0;
    }
    return table + (Math.floor(va / 4096) & 511) * 8;
  }

  map(va: number, pa: number, flags = F_P | F_VALID | F_W): void {
    const e = encodePte(flags, pa, false);
    this.phys.write64(this.pteAddr(va), e.lo, e.hi);
  }

  /** Identity-maps [from, to) with `flags`. */
  identity(from: number, to: number, flags = F_P | F_VALID | F_W): void {
    for (let a = from; a < to; a += 4096) this.map(a, a, flags);
  }
}
