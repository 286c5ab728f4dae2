/**
 * GlaunchVirtMachine: the glaunch-virt board as an api.ts `Machine`. It owns guest memory
 * (GpSpace over PhysMemory, RAM mapped lazily), the devices on their MMIO bus, one virtual
 * CEPIC per vCPU, the boot ROM (or the direct kernel boot path), and drives the VMM in the
 * cooperative `runSlice` loop. Power-controller commands become exits; disk I/O completes
 * on the host's event loop between slices.
 */
import type { Machine, MachineConfig, MachineExit, MachineStats, SliceResult } from './api';
import type { MachineResources } from './config';
import { validateMachine } from './config';
import type { CpuModel } from '../cpu/models';
import { PhysMemory } from '../memory/phys';
import { VirtualCepic } from '../virt/cepic';
import { GpSpace } from '../virt/gpspace';
import * as B from './board';
import { BoardDevices } from './board-devices';
import { buildBootblock } from './bootblock';
import { GuestRam } from './guest-ram';
import { parseKernel } from './kernel-image';
import type { KernelImage } from './kernel-image';
import type { SerialPort } from './serial';
import type { BootState, Vmm, VmmFactory, VmmPort } from './vmm-port';

const PSR_PM = 0x01;
const UPSR_BOOT = 0x81; // fe | nmie (system.md §1.4)
const LOG_MAX = 200;
/** Slice length while disk I/O is in flight (ms). */
const IO_WAIT_SLICE_MS = 0.25;

export interface MachineOptions extends MachineResources {
  /** Builds the VMM over the board (default: the project's VMM, see index.ts). */
  vmm: VmmFactory;
}

export class GlaunchVirtMachine implements Machine {
  readonly config: MachineConfig;
  readonly model: CpuModel;
  readonly banks: B.RamBank[];
  /** Host memory and guest-physical space of the current power-on (new after a cold reset). */
  mem: PhysMemory;
  space: GpSpace;
  readonly ram: GuestRam;
  readonly cepics: VirtualCepic[];
  readonly devices: BoardDevices;
  readonly serial: readonly SerialPort[];
  /** The VMM of the current power-on (a hardware reset builds fresh vCPUs). */
  vmm: Vmm;
  private readonly port: VmmPort;
  private readonly vmmFactory: VmmFactory;
  /** Counters of earlier power-on periods (so `stats()` counts since the VM started). */
  private readonly carried: Record<string, number> = {};
  /** Diagnostics (device complaints, halts), newest last, bounded. */
  readonly log: string[] = [];
  private readonly res: MachineResources;
  private readonly kernel: KernelImage | null;
  private readonly nowMs: () => number;
  private startMs = 0;
  private exit: MachineExit | null = null;
  private coldReset = true;
  private closed = false;
  private powered = false;

  /** Throws MachineConfigError (one clear line) before anything is built. */
  constructor(config: MachineConfig, opts: MachineOptions) {
    this.model = validateMachine(config, opts);
    this.config = config;
    this.res = opts;
    this.banks = B.ramBanks(config.memoryMiB);
    this.kernel = opts.kernel ? parseKernel(opts.kernel, this.banks) : null;
    this.nowMs = opts.nowMs ?? hostClockMs();
    const log = (m: string): void => {
      this.log.push(m);
      if (this.log.length > LOG_MAX) this.log.shift();
      opts.log?.(m);
    };

    this.mem = new PhysMemory();
    this.space = this.buildSpace(this.mem);
    this.ram = new GuestRam(this.space, this.mem, this.banks);
    this.cepics = Array.from({ length: config.vcpus }, (_, i) => new VirtualCepic(i, i === 0));
    this.devices = new BoardDevices(
      config,
      this.model,
      { ...opts, log },
      this.ram,
      () => this.cepics[0],
    );
    this.serial = this.devices.serial;
    this.vmmFactory = opts.vmm;
    this.port = {
      model: this.model,
      vcpus: config.vcpus,
      mem: this.mem,
      space: this.space,
      bus: this.devices.bus,
      cepics: this.cepics,
      cuIntercepts: config.cuIntercepts ?? [],
      muIntercepts: config.muIntercepts ?? [],
      quantumUs: config.quantumUs ?? 10_000,
      timerHz: B.CEPIC_TIMER_HZ,
      nowMs: this.nowMs,
      log,
    };
    this.vmm = this.vmmFactory(this.port);
    this.powerOn();
  }

  /** Power-on / reset: memory image, devices, CEPICs, vCPU state. */
  private powerOn(): void {
    if (this.coldReset) {
      // RAM reads as zero again: a new, empty host memory and GPA space (the old pages go
      // back to the host). The VMM is rebuilt over them below.
      if (this.powered) {
        this.mem = new PhysMemory();
        this.space = this.buildSpace(this.mem);
        this.ram.rebind(this.space, this.mem);
        this.port.mem = this.mem;
        this.port.space = this.space;
      }
      if (this.res.rom) this.loadRom(this.res.rom);
      if (this.config.gpaMapping === 'prealloc')
        for (const b of this.banks)
          for (let a = b.base; a < b.base + b.size; a += 4096) this.space.populate(a);
    }
    this.devices.reset();
    for (const c of this.cepics) c.reset();
    if (this.powered) {
      // A reset is a new power-on of the cores: fresh vCPUs (no state of the old run can
      // leak into the firmware's start), counters carried over.
      for (const [k, v] of Object.entries(this.vmm.counters()))
        if (!k.startsWith('time.')) this.carried[k] = (this.carried[k] ?? 0) + v;
      this.vmm = this.vmmFactory(this.port);
    }
    this.powered = true;
    this.startMs = this.nowMs();
    this.exit = null;
    this.vmm.reset(this.kernel ? this.loadKernel(this.kernel) : this.romBootState());
  }

  private buildSpace(mem: PhysMemory): GpSpace {
    const space = new GpSpace(mem);
    this.banks.forEach((b, i) => space.addRam(b.base, b.size, `ram${i}`));
    if (this.res.rom) space.addRam(B.ROM_BASE, romWindow(this.res.rom.length), 'rom');
    for (const w of B.mmioWindows(this.config.serialPorts)) space.addMmio(w.base, w.size, w.name);
    return space;
  }

  private loadRom(rom: Uint8Array): void {
    const size = romWindow(rom.length);
    for (let a = B.ROM_BASE; a < B.ROM_BASE + size; a += 4096) this.space.protect(a, false);
    this.space.writeGuest(B.ROM_BASE, rom);
    for (let a = B.ROM_BASE; a < B.ROM_BASE + size; a += 4096) {
      this.space.populate(a);
      this.space.protect(a, true);
    }
  }

  private romBootState(): BootState {
    return {
      ip: B.ROM_BASE,
      psr: PSR_PM,
      upsr: UPSR_BOOT,
      code: { base: B.ROM_BASE, size: romWindow(this.res.rom?.length ?? 0) },
      data: { base: B.FW_AREA_BASE, size: B.FW_AREA_SIZE },
      ...firmwareStacks(),
    };
  }

  /** Direct kernel boot (system.md §6.6): segments, bootblock, entry-12 state. */
  private loadKernel(k: KernelImage): BootState {
    for (const s of k.segments) {
      this.space.writeGuest(s.paddr, s.data);
      if (s.memsz > s.data.length)
        this.space.writeGuest(s.paddr + s.data.length, new Uint8Array(s.memsz - s.data.length));
    }
    const bb = buildBootblock({
      idrModel: this.model.idrModel,
      banks: this.banks,
      kernelBase: k.base,
      kernelSize: k.size,
      cpus: this.config.vcpus,
      serialBase: B.uartBase(0),
      commandLine: this.config.commandLine ?? 'console=ttyS0',
      busy: [{ base: B.FW_AREA_BASE, size: B.FW_AREA_SIZE }],
    });
    this.space.writeGuest(B.BOOTBLOCK_ADDR, bb);
    return {
      ip: k.base + 0x6000,
      psr: PSR_PM,
      upsr: UPSR_BOOT,
      code: { base: k.base, size: k.size },
      data: { base: k.base, size: k.size },
      ...firmwareStacks(),
      entry12: { dr0: 0, dr1: B.BOOTBLOCK_ADDR, returnIp: B.ROM_BASE },
    };
  }

  runSlice(ms: number): SliceResult {
    if (this.exit || this.closed) return { exit: this.exit ?? { kind: 'poweroff' }, idleMs: 0 };
    this.devices.poll();
    // Disk requests complete on the host's event loop, i.e. only between slices: while one
    // is in flight, a guest that waits for it (polling or idle) must not hold the thread.
    const budget = this.devices.ioInFlight() > 0 ? Math.min(ms, IO_WAIT_SLICE_MS) : ms;
    const r = this.vmm.run(budget, () => this.devices.powerRequest !== null);
    this.devices.poll();
    const req = this.devices.powerRequest;
    if (req) {
      this.devices.powerRequest = null;
      this.coldReset = req === 'reboot';
      this.exit = req === 'poweroff' ? { kind: 'poweroff' } : { kind: 'reset' };
    } else if (r.halted) {
      this.exit = { kind: 'halted', reason: r.halted };
      this.log.push(`halted: ${r.halted}`);
    }
    // With disk requests in flight the host must come back as soon as they complete (they
    // complete on its event loop), not after the guest's timer: no idle sleep then.
    const idleMs = this.exit || this.devices.ioInFlight() > 0 ? 0 : Math.max(0, r.idleMs);
    return { exit: this.exit, idleMs };
  }

  /** Reset button / after a guest reset request: warm (RAM kept) unless the guest asked for a reboot. */
  reset(): void {
    if (this.closed) return;
    // The reset button is a cold reset; a guest "reset" (power CMD 2) keeps RAM.
    if (!this.exit || this.exit.kind !== 'reset') this.coldReset = true;
    this.powerOn();
    this.coldReset = true;
  }

  powerButton(): void {
    if (!this.closed && !this.exit) this.devices.pressPowerButton();
  }

  /** Flushes disks and closes their images (asynchronously; `closeAsync` to await it). */
  close(): void {
    void this.closeAsync();
  }

  private closing: Promise<string[]> | null = null;

  /** Waits for in-flight I/O, flushes and closes every image; returns problems found. */
  closeAsync(): Promise<string[]> {
    this.closed = true;
    this.closing ??= this.devices.flush().then(
      () => this.devices.close(),
      async (e: unknown) => [
        `flush: ${e instanceof Error ? e.message : String(e)}`,
        ...(await this.devices.close()),
      ],
    );
    return this.closing;
  }

  /** Guest flush requests are served by virtio-blk; this is for the host (e.g. a pause). */
  flushDisks(): Promise<void> {
    return this.devices.flush();
  }

  stats(): MachineStats {
    const counters = { ...this.vmm.counters() };
    for (const [k, v] of Object.entries(this.carried)) counters[k] = (counters[k] ?? 0) + v;
    counters['gpa.pages_mapped'] = this.space.pagesMapped;
    this.serial.forEach((s, i) => {
      counters[`serial${i}.tx_bytes`] = s.txBytes;
      counters[`serial${i}.rx_bytes`] = s.rxBytes;
    });
    this.devices.virtio.forEach((t, k) => {
      if (t) counters[`virtio${k}.broken`] = t.broken ? 1 : 0;
    });
    return {
      uptimeMs: this.nowMs() - this.startMs,
      counters,
      vcpus: this.vmm.vcpuStats(),
      recentIntercepts: this.vmm.recentIntercepts(),
      disks: this.devices.diskStats(),
      guestRamResidentBytes: this.space.pagesMapped * 4096,
    };
  }

  registers(): Record<string, string>[] {
    return this.vmm.registers();
  }
}

function hostClockMs(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() : () => Date.now();
}

function romWindow(bytes: number): number {
  return Math.max(4096, Math.ceil(bytes / 4096) * 4096);
}

function firmwareStacks(): Pick<BootState, 'psp' | 'pcsp' | 'stack'> {
  return {
    psp: { base: B.FW_PSP_BASE, size: B.FW_PSP_SIZE },
    pcsp: { base: B.FW_PCSP_BASE, size: B.FW_PCSP_SIZE },
    stack: { base: B.FW_STACK_BASE, size: B.FW_STACK_SIZE },
  };
}
