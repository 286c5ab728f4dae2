/**
 * The devices of one glaunch-virt board, wired as README.md describes: UARTs, virtio-mmio
 * slots (blk vda..vdd, rng, empty placeholders), RTC, power controller and the board
 * information block on one MMIO bus (devices/bus.ts), which the VMM consults for every
 * MMIO intercept; each device's interrupt line raises a fixed vector in vCPU 0's CEPIC.
 */
import type { MachineConfig } from './api';
import type { MachineResources } from './config';
import type { CpuModel } from '../cpu/models';
import type { Clock, GuestMemory, IrqLine } from '../devices/bus';
import { MmioBus } from '../devices/bus';
import { BoardInfo } from '../devices/board-info';
import { PowerController } from '../devices/power';
import type { PowerCommand } from '../devices/power';
import { Rtc } from '../devices/rtc';
import { Uart16550 } from '../devices/uart16550';
import { EmptyVirtioSlot } from '../devices/virtio/empty';
import { VirtioBlk } from '../devices/virtio/blk';
import { VirtioMmio } from '../devices/virtio/mmio';
import { VirtioRng } from '../devices/virtio/rng';
import type { EntropySource } from '../devices/virtio/rng';
import { STAT } from '../virt/cepic';
import type { VirtualCepic } from '../virt/cepic';
import * as B from './board';
import { CountingDisk } from './counting-disk';
import { SerialPort } from './serial';

/** A level-triggered device line → one CEPIC vector (level semantics by re-posting). */
export class VectorLine implements IrqLine {
  level = false;
  raised = 0;

  constructor(
    readonly vector: number,
    private readonly target: () => VirtualCepic,
  ) {}

  setLevel(level: boolean): void {
    if (level && !this.level) this.post();
    this.level = level;
  }

  /** Posts the vector again if the line is still high and the CEPIC no longer holds it. */
  reassert(): void {
    if (!this.level) return;
    const c = this.target();
    const v = this.vector;
    const bit = 1 << (v & 31);
    if (c.pmirr[v >>> 5] & bit || c.postedPmirr[v >>> 5] & bit) return;
    if (c.cir & STAT && (c.cir & 0x3ff) === v) return; // in service: wait for the EOI
    this.post();
  }

  private post(): void {
    this.raised++;
    this.target().inject(this.vector);
  }
}

/** xorshift128+ — only when the host gives no entropy source (hosts pass their CSPRNG). */
function fallbackEntropy(seed: number): EntropySource {
  let a = seed >>> 0 || 0x9e3779b9;
  let b = 0x6a09e667;
  return (dst) => {
    for (let i = 0; i < dst.length; i++) {
      let t = a;
      const s = b;
      a = s;
      t ^= t << 11;
      t ^= t >>> 8;
      b = (t ^ s ^ (s >>> 19)) >>> 0;
      dst[i] = (a + b) & 0xff;
    }
  };
}

const mediumCode = (m: 'disk' | 'optical'): number => (m === 'disk' ? 1 : 2);

export class BoardDevices {
  readonly bus = new MmioBus();
  readonly uarts: Uart16550[] = [];
  readonly serial: SerialPort[] = [];
  readonly lines: VectorLine[] = [];
  readonly virtio: (VirtioMmio | null)[] = [];
  readonly blk = new Map<string, VirtioBlk>();
  readonly disks = new Map<string, CountingDisk>();
  readonly rtc: Rtc;
  readonly power: PowerController;
  readonly info: BoardInfo;
  readonly powerButtonLine: VectorLine;
  /** Last command from the power controller not yet taken by the machine loop. */
  powerRequest: PowerCommand | null = null;

  constructor(
    cfg: MachineConfig,
    model: CpuModel,
    res: MachineResources,
    ram: GuestMemory,
    cepic0: () => VirtualCepic,
  ) {
    const log = res.log ?? (() => {});
    const clock: Clock = res.clock ?? { nowNs: () => Date.now() * 1e6 };
    const line = (vector: number): VectorLine => {
      const l = new VectorLine(vector, cepic0);
      this.lines.push(l);
      return l;
    };

    for (let n = 0; n < cfg.serialPorts; n++) {
      const port = new SerialPort(n);
      const uart = new Uart16550({
        name: `uart${n}`,
        regShift: B.UART_REG_SHIFT,
        irq: line(B.VEC_UART0 + n),
        clock,
        onTransmit: (bytes) => port.transmit(bytes),
        onRxSpace: () => port.pump(),
        log,
      });
      port.attach(uart);
      this.uarts.push(uart);
      this.serial.push(port);
      this.bus.map(B.uartBase(n), uart);
    }

    const bySlot = new Map((cfg.disks ?? []).map((d) => [d.slot as string, d]));
    for (let k = 0; k < B.VIRTIO_SLOTS; k++) {
      const base = B.virtioBase(k);
      const slotName = B.BLK_SLOT_NAMES[k] as string | undefined;
      const disk = slotName ? bySlot.get(slotName) : undefined;
      const img = slotName ? res.disks?.[slotName as B.BlkSlotName] : undefined;
      if (disk && img && slotName) {
        const counted = new CountingDisk(img);
        const blk = new VirtioBlk(counted, { serial: `glaunch-${slotName}` });
        const t = new VirtioMmio(blk, {
          mem: ram,
          irq: line(B.VEC_VIRTIO0 + k),
          log,
          name: slotName,
        });
        this.disks.set(slotName, counted);
        this.blk.set(slotName, blk);
        this.virtio.push(t);
        this.bus.map(base, t);
      } else if (k === B.RNG_SLOT) {
        const rng = new VirtioRng(res.entropy ?? fallbackEntropy(clock.nowNs() % 2 ** 32));
        const t = new VirtioMmio(rng, { mem: ram, irq: line(B.VEC_VIRTIO0 + k), log, name: 'rng' });
        this.virtio.push(t);
        this.bus.map(base, t);
      } else {
        this.virtio.push(null);
        this.bus.map(base, new EmptyVirtioSlot(slotName ?? `virtio${k}`));
      }
    }

    this.rtc = new Rtc(clock);
    this.bus.map(B.RTC_BASE, this.rtc);
    this.power = new PowerController((cmd) => {
      this.powerRequest = cmd;
    }, log);
    this.bus.map(B.POWER_BASE, this.power);
    this.powerButtonLine = new VectorLine(B.VEC_POWER_BUTTON, cepic0);

    const banks = B.ramBanks(cfg.memoryMiB);
    let order = 0;
    cfg.bootOrder.forEach((d, i) => (order |= mediumCode(d) << (4 * i)));
    let media = 0;
    for (const d of cfg.disks ?? [])
      media |= mediumCode(d.medium) << (4 * B.BLK_SLOT_NAMES.indexOf(d.slot));
    this.info = new BoardInfo({
      lowRamBytes: banks[0].size,
      highRamBase: B.HIGH_RAM_BASE,
      highRamBytes: banks[1]?.size ?? 0,
      vcpus: cfg.vcpus,
      uarts: cfg.serialPorts,
      bootOrder: order,
      slotMedia: media,
      romBytes: res.rom?.length ?? 0,
      timerHz: B.CEPIC_TIMER_HZ,
    });
    this.bus.map(B.BOARD_INFO_BASE, this.info);
    void model;
  }

  /** Between guest runs: UART timeouts, level lines still high after an EOI. */
  poll(): void {
    for (const u of this.uarts) u.poll();
    for (const l of this.lines) l.reassert();
  }

  /** Power button: one edge on its vector (the guest decides what to do). */
  pressPowerButton(): void {
    this.powerButtonLine.setLevel(true);
    this.powerButtonLine.setLevel(false);
  }

  /** Device reset (hardware reset / reboot): registers to power-on state. */
  reset(): void {
    this.bus.reset();
    for (const l of this.lines) l.level = false;
    this.powerRequest = null;
  }

  /** Disk requests submitted and not completed (they complete on the host's event loop). */
  ioInFlight(): number {
    let n = 0;
    for (const b of this.blk.values()) n += b.pending;
    return n;
  }

  /** Resolves when no disk request is in flight. */
  async idle(): Promise<void> {
    await Promise.all([...this.blk.values()].map((b) => b.idle()));
  }

  /** Waits for in-flight requests, then makes every write durable. */
  async flush(): Promise<void> {
    await this.idle();
    await Promise.all([...this.disks.values()].filter((d) => !d.readOnly).map((d) => d.flush()));
  }

  /** Flushes and closes every image (the VM stops). Errors are reported, not thrown. */
  async close(): Promise<string[]> {
    const problems: string[] = [];
    await this.idle();
    for (const [slot, d] of this.disks) {
      try {
        await d.close();
      } catch (e) {
        problems.push(`${slot}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    return problems;
  }

  diskStats(): Record<string, { readBytes: number; writtenBytes: number }> {
    const r: Record<string, { readBytes: number; writtenBytes: number }> = {};
    for (const [slot, d] of this.disks)
      r[slot] = { readBytes: d.readBytes, writtenBytes: d.writtenBytes };
    return r;
  }
}
