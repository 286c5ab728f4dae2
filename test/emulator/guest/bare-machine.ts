/**
 * A bare glaunch-virt machine for testing the guest firmware and kernel before the VMM
 * exists: the privileged core (SysCpu) on PhysMemory, the board's devices (BoardDevices,
 * same addresses and vectors as the real board) reached through the core's MMIO bus, one
 * VirtualCepic whose pending vectors drive the core's interrupt line, and the board's reset
 * state (emulator/machine/README.md). No guest mode: guest-physical = physical here.
 */
import { MmioBus } from '../../../emulator/memory/mmio';
import { PhysMemory } from '../../../emulator/memory/phys';
import { SysCpu, SysStop } from '../../../emulator/cpu/system/syscpu';
import { cpuModel } from '../../../emulator/cpu/models';
import type { CpuModelId } from '../../../emulator/cpu/models';
import { VirtualCepic } from '../../../emulator/virt/cepic';
import { BoardDevices } from '../../../emulator/machine/board-devices';
import * as B from '../../../emulator/machine/board';
import type { MachineConfig } from '../../../emulator/machine/api';
import { MemoryDiskImage } from '../../../emulator/storage/disk-image';
import { SR } from '../../../emulator/cpu/system/sysregs';

export interface BareOptions {
  cpu?: CpuModelId;
  memoryMiB?: number;
  vcpus?: number;
  rom: Uint8Array;
  disks?: { slot: 'vda' | 'vdb' | 'vdc' | 'vdd'; image: Uint8Array; medium?: 'disk' | 'optical' }[];
  bootOrder?: ('disk' | 'optical')[];
}

export class BareMachine {
  readonly phys: PhysMemory;
  readonly bus = new MmioBus();
  readonly cpu: SysCpu;
  readonly cepic = new VirtualCepic(0, true);
  readonly devices: BoardDevices;
  readonly log: string[] = [];
  out = '';
  /** The guest switched the machine off (power controller CMD 1). */
  powerOff = false;
  /** The last power-controller command ('poweroff', 'reset', 'reboot'), if any. */
  powerCommand: string | null = null;

  constructor(o: BareOptions) {
    const model = cpuModel(o.cpu ?? 'e8c2');
    const memoryMiB = o.memoryMiB ?? 64;
    this.phys = new PhysMemory(2 ** 40);
    const ramBytes = memoryMiB * 1024 * 1024;
    const phys = this.phys;
    const cfg: MachineConfig = {
      cpuModel: model.id,
      vcpus: o.vcpus ?? 1,
      memoryMiB,
      serialPorts: 1,
      bootOrder: o.bootOrder ?? ['disk'],
      disks: (o.disks ?? []).map((d) => ({
        slot: d.slot,
        medium: d.medium ?? 'disk',
        readOnly: d.medium === 'optical',
      })),
    };
    const disks: Record<string, MemoryDiskImage> = {};
    for (const d of o.disks ?? [])
      disks[d.slot] = new MemoryDiskImage(d.image.slice(), { readOnly: d.medium === 'optical' });
    this.devices = new BoardDevices(
      cfg,
      model,
      { rom: o.rom, disks, log: (m) => this.log.push(m) },
      {
        read: (gpa, dst) => {
          if (gpa + dst.length > ramBytes) return false;
          dst.set(phys.readBytes(gpa, dst.length));
          return true;
        },
        write: (gpa, src) => {
          if (gpa + src.length > ramBytes) return false;
          phys.writeBytes(gpa, src);
          return true;
        },
      },
      () => this.cepic,
    );
    // The board's device windows (0xF000_0000 .. 0xF002_2FFF) behind one bridge.
    const dbus = this.devices.bus;
    const base = B.UART_BASE;
    this.bus.map(
      base,
      B.BOARD_INFO_BASE + 0x1000 - base,
      {
        read: (off, w) => {
          const r = dbus.read(base + off, w as 1 | 2 | 4 | 8);
          return r ? r.lo + r.hi * 2 ** 32 : 0xffffffff;
        },
        write: (off, w, v) => {
          dbus.write(base + off, w as 1 | 2 | 4 | 8, v % 2 ** 32, Math.floor(v / 2 ** 32));
        },
      },
      'board',
    );
    // The CEPIC window; the core's interrupt line follows the CEPIC after each access
    // (an acknowledged vector lowers it at once, as the VMM's injection would).
    const cepic = this.cepic;
    cepic.load(); // the vCPU is on the core: vectors go straight to PMIRR
    this.bus.map(
      B.CEPIC_BASE,
      B.CEPIC_SIZE,
      {
        read: (off, w) => {
          const v = cepic.read(off, w);
          this.updateIrq();
          return v;
        },
        write: (off, w, v) => {
          cepic.write(off, w, v);
          this.updateIrq();
        },
      },
      'cepic',
    );
    // IDR as the VMM presents it: the preset's model number (rev 0)
    this.cpu = new SysCpu(phys, this.bus, model, { idr: model.idrModel });
    // reset state (README "Reset state and boot protocol")
    phys.writeBytes(B.ROM_BASE, o.rom);
    const cpu = this.cpu;
    // CUD = OSCUD = the ROM (c, rw = R), GD = OSGD = the firmware area (rw = RW)
    const desc = (lo: number, hi: number, base: number, size: number, flags: number) => {
      cpu.setReg(lo, base + flags * 2 ** 48);
      cpu.setReg(hi, size * 2 ** 32);
    };
    desc(SR.OSCUD_LO, SR.OSCUD_HI, B.ROM_BASE, B.ROM_MAX, 0x0c00); // bits 58, 59
    desc(SR.CUD_LO, SR.CUD_HI, B.ROM_BASE, B.ROM_MAX, 0x0c00);
    desc(SR.OSGD_LO, SR.OSGD_HI, B.FW_AREA_BASE, B.FW_AREA_SIZE, 0x1800); // bits 59, 60
    desc(SR.GD_LO, SR.GD_HI, B.FW_AREA_BASE, B.FW_AREA_SIZE, 0x1800);
    cpu.psBase = B.FW_PSP_BASE;
    cpu.psSize = B.FW_PSP_SIZE;
    cpu.pcsBase = B.FW_PCSP_BASE;
    cpu.pcsSize = B.FW_PCSP_SIZE;
    cpu.usdBase = cpu.sbr = B.FW_STACK_BASE + B.FW_STACK_SIZE;
    cpu.usdSize = B.FW_STACK_SIZE;
    cpu.ip = B.ROM_BASE;
  }

  get serialOut(): string {
    return this.out;
  }

  input(s: string): void {
    this.devices.serial[0].input(new TextEncoder().encode(s));
  }

  /** Runs until `until` matches the console output, the guest powers off or halts. */
  async run(until: RegExp | null, maxBundles = 50_000_000): Promise<SysStop> {
    let left = maxBundles;
    let stop = SysStop.Limit;
    while (left > 0) {
      stop = this.cpu.runSys(Math.min(left, 200_000));
      left -= 200_000;
      this.pump();
      if (this.devices.powerRequest) {
        this.powerCommand = this.devices.powerRequest;
        this.powerOff = this.powerCommand === 'poweroff';
        return stop;
      }
      if (stop === SysStop.Halt) return stop;
      if (until && until.test(this.out)) return stop;
      // disk requests complete on the event loop, like the host between slices
      await new Promise((r) => setImmediate(r));
      this.pump();
      if (stop === SysStop.Idle)
        this.cepic.advance(100_000); // 10 ms of timer at 10 MHz
      else this.cepic.advance(20_000);
      this.pump();
    }
    return stop;
  }

  private pump(): void {
    const b = this.devices.serial[0].drainOutput();
    if (b.length) this.out += new TextDecoder().decode(b);
    this.devices.poll();
    this.updateIrq();
  }

  private updateIrq(): void {
    if (this.cepic.pendingVector() >= 0) this.cpu.raiseIrq();
    else this.cpu.lowerIrq();
  }
}
