/** A small VM for VMM tests: guest image assembled with the project's assembler, 16 MiB RAM. */
import { buildImage } from '../../cpu/system/helpers';
import { cpuModel, type CpuModelId } from '../../../../emulator/cpu/models';
import { PhysMemory } from '../../../../emulator/memory/phys';
import { MmioBus, type MmioDevice } from '../../../../emulator/devices/bus';
import { GpSpace } from '../../../../emulator/virt/gpspace';
import { VirtualCepic } from '../../../../emulator/virt/cepic';
import { GlaunchVmm, type VmmOptions } from '../../../../emulator/virt/vmm/vmm';
import type { BootState } from '../../../../emulator/machine/vmm-port';
import { GLOBAL_BASE } from '../../../../emulator/cpu/state';
import { encodePte, F_P, F_VALID, F_W } from '../../../../emulator/mmu/pte';

export const KBASE = 0x10000;
export const DEV_BASE = 0xf0000000;
export const POWER_BASE = 0xf0001000;

/** Records accesses; reads return 0x55 + offset. */
export class TestDevice implements MmioDevice {
  readonly name = 'testdev';
  readonly size = 0x100;
  readonly log: string[] = [];
  read(offset: number, width: 1 | 2 | 4): number {
    this.log.push(`r${width}@${offset.toString(16)}`);
    return 0x55 + offset;
  }
  write(offset: number, width: 1 | 2 | 4, value: number): void {
    this.log.push(`w${width}@${offset.toString(16)}=${value.toString(16)}`);
  }
  reset(): void {}
}

export class PowerDevice implements MmioDevice {
  readonly name = 'power';
  readonly size = 0x10;
  request: string | null = null;
  read(): number {
    return 0;
  }
  write(_o: number, _w: 1 | 2 | 4, value: number): void {
    this.request = value === 1 ? 'poweroff' : 'reset';
  }
  reset(): void {}
}

export interface TestVm {
  vmm: GlaunchVmm;
  dev: TestDevice;
  power: PowerDevice;
  space: GpSpace;
  mem: PhysMemory;
  cepics: VirtualCepic[];
  sym: (name: string) => number;
  clock: { ms: number };
  /** %dgN of vCPU `v` as a number. */
  g: (n: number, v?: number) => number;
  logs: string[];
  boot: (ip: number) => BootState;
}

export function testVm(
  source: string,
  o: {
    vcpus?: number;
    model?: CpuModelId;
    cu?: string[];
    mu?: string[];
    quantumUs?: number;
    vmm?: VmmOptions;
    /** Use the host clock (benchmarks) instead of the test-controlled `clock.ms`. */
    realClock?: boolean;
  } = {},
): TestVm {
  const img = buildImage(source, KBASE);
  const mem = new PhysMemory();
  const space = new GpSpace(mem);
  space.addRam(0, 16 << 20, 'ram');
  space.addMmio(DEV_BASE, 0x1000, 'testdev');
  space.addMmio(POWER_BASE, 0x1000, 'power');
  space.addMmio(0xfee00000, 0x2000, 'cepic');
  space.writeGuest(KBASE, img.bytes);
  const bus = new MmioBus();
  const dev = new TestDevice();
  const power = new PowerDevice();
  bus.map(DEV_BASE, dev);
  bus.map(POWER_BASE, power);
  const n = o.vcpus ?? 1;
  const cepics = Array.from({ length: n }, (_, i) => new VirtualCepic(i, i === 0));
  const clock = { ms: 1000 };
  const logs: string[] = [];
  const vmm = new GlaunchVmm(
    {
      model: cpuModel(o.model ?? 'e8c'),
      vcpus: n,
      mem,
      space,
      bus,
      cepics,
      cuIntercepts: o.cu ?? [],
      muIntercepts: o.mu ?? [],
      quantumUs: o.quantumUs ?? 1000,
      timerHz: 10_000_000,
      nowMs: o.realClock ? () => performance.now() : () => clock.ms,
      log: (m) => logs.push(m),
    },
    o.vmm,
  );
  const boot = (ip: number): BootState => ({
    ip,
    psr: 1,
    upsr: 0x81,
    code: { base: KBASE, size: 0x100000 },
    data: { base: KBASE, size: 0x100000 },
    psp: { base: 0x200000, size: 0x10000 },
    pcsp: { base: 0x210000, size: 0x4000 },
    stack: { base: 0x300000, size: 0x10000 },
  });
  vmm.reset({ ...boot(KBASE + 0x6000), entry12: { dr0: 0, dr1: 0x1000, returnIp: 0 } });
  const sym = (name: string): number => {
    const v = img.symbols.get(name);
    if (v === undefined) throw new Error(`no symbol ${name}`);
    return v;
  };
  const g = (r: number, v = 0): number => {
    const c = vmm.vcpus[v].core;
    return (c.hi[GLOBAL_BASE + r] >>> 0) * 2 ** 32 + (c.lo[GLOBAL_BASE + r] >>> 0);
  };
  return { vmm, dev, power, space, mem, cepics, sym, clock, g, logs, boot };
}

export const HEAD = `
.text
.global _start
_start:
`;

/** Guest page tables built in guest RAM (legacy PTE format) for paged-guest tests. */
export class GuestPageTables {
  private next: number;
  readonly root: number;
  constructor(
    private readonly space: GpSpace,
    private readonly mem: PhysMemory,
    area = 0xa00000,
  ) {
    this.next = area;
    this.root = this.alloc();
  }

  private w64(gpa: number, lo: number, hi: number): void {
    this.space.populate(gpa);
    this.mem.write64(this.space.hostAddr(gpa), lo, hi);
  }

  private r32(gpa: number): number {
    this.space.populate(gpa);
    return this.mem.read32(this.space.hostAddr(gpa));
  }

  private alloc(): number {
    const a = this.next;
    this.next += 4096;
    for (let i = 0; i < 4096; i += 8) this.w64(a + i, 0, 0);
    return a;
  }

  pteAddr(va: number): number {
    let table = this.root;
    for (let l = 4; l > 1; l--) {
      const a = table + (Math.floor(va / 2 ** (12 + 9 * (l - 1))) & 511) * 8;
      let lo = this.r32(a);
      if (!(lo & 1)) {
        const t = this.alloc();
        const e = encodePte(F_P | F_VALID | F_W, t, false);
        this.w64(a, e.lo, e.hi);
        lo = e.lo;
      }
      table = (lo & 0xfffff000) >>> 0;
    }
    return table + (Math.floor(va / 4096) & 511) * 8;
  }

  map(va: number, gpa: number, flags = F_P | F_VALID | F_W): void {
    const e = encodePte(flags, gpa, false);
    this.w64(this.pteAddr(va), e.lo, e.hi);
  }
}
