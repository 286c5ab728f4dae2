// virtio-mmio transport, version 2 (virtio 1.x §4.2.2, "MMIO Device Register Layout").
// The legacy (version 1) interface is not offered: drivers must accept VIRTIO_F_VERSION_1.
import type { DeviceLog, GuestMemory, IrqLine, MmioDevice, MmioWidth } from '../bus';
import type { Chain } from './queue';
import { ChainError, SplitQueue, join64 } from './queue';

export const VIRTIO_MMIO_MAGIC = 0x74726976; // "virt"
export const VIRTIO_VENDOR_GLAUNCH = 0x4e4c4747; // "GGLN": any value; 0 is reserved-ish

// Register offsets (§4.2.2).
export const R = {
  MagicValue: 0x000,
  Version: 0x004,
  DeviceID: 0x008,
  VendorID: 0x00c,
  DeviceFeatures: 0x010,
  DeviceFeaturesSel: 0x014,
  DriverFeatures: 0x020,
  DriverFeaturesSel: 0x024,
  QueueSel: 0x030,
  QueueNumMax: 0x034,
  QueueNum: 0x038,
  QueueReady: 0x044,
  QueueNotify: 0x050,
  InterruptStatus: 0x060,
  InterruptACK: 0x064,
  Status: 0x070,
  QueueDescLow: 0x080,
  QueueDescHigh: 0x084,
  QueueDriverLow: 0x090,
  QueueDriverHigh: 0x094,
  QueueDeviceLow: 0x0a0,
  QueueDeviceHigh: 0x0a4,
  SHMSel: 0x0ac,
  SHMLenLow: 0x0b0,
  SHMLenHigh: 0x0b4,
  SHMBaseLow: 0x0b8,
  SHMBaseHigh: 0x0bc,
  ConfigGeneration: 0x0fc,
  Config: 0x100,
} as const;

// Device status bits (§2.1).
export const S_ACKNOWLEDGE = 1;
export const S_DRIVER = 2;
export const S_DRIVER_OK = 4;
export const S_FEATURES_OK = 8;
export const S_DEVICE_NEEDS_RESET = 64;
export const S_FAILED = 128;

export const INT_USED_BUFFER = 1;
export const INT_CONFIG_CHANGE = 2;

// Transport feature bits (§6).
export const F_INDIRECT_DESC = 28;
export const F_EVENT_IDX = 29;
export const F_VERSION_1 = 32;

const WINDOW = 0x200;

/** What a device type (blk, rng, ...) supplies to the transport. */
export interface VirtioBackend {
  readonly deviceId: number;
  readonly queueCount: number;
  readonly queueMaxSize: number;
  /** Device-specific feature bits as [bits 0..31, bits 32..63]. */
  readonly features: readonly [number, number];
  /** Little-endian device configuration space (§4.2.2 Config, offset 0x100). */
  configBytes(): Uint8Array;
  configWrite?(offset: number, bytes: Uint8Array): void;
  /** The driver notified `queue`; consume chains through the transport. */
  notify(t: VirtioMmio, queue: number): void;
  reset(): void;
}

export interface VirtioMmioOptions {
  mem: GuestMemory;
  irq?: IrqLine;
  log?: DeviceLog;
  name?: string;
}

export class VirtioMmio implements MmioDevice {
  readonly name: string;
  readonly size = WINDOW;
  readonly mem: GuestMemory;
  /** Bumped by every reset, so completions of requests from before it are discarded. */
  epoch = 0;
  private readonly queues: SplitQueue[];
  private devFeatSel = 0;
  private drvFeatSel = 0;
  private drvFeatures = [0, 0];
  private queueSel = 0;
  private status = 0;
  private intStatus = 0;
  private generation = 0;
  private irqLevel = false;

  constructor(
    readonly backend: VirtioBackend,
    private readonly opts: VirtioMmioOptions,
  ) {
    this.name = opts.name ?? `virtio-mmio(${backend.deviceId})`;
    this.mem = opts.mem;
    this.queues = Array.from(
      { length: backend.queueCount },
      () => new SplitQueue(backend.queueMaxSize),
    );
  }

  /** Feature word `sel` as offered: device bits plus the transport's. */
  offered(sel: number): number {
    if (sel === 0)
      return (this.backend.features[0] | (1 << F_INDIRECT_DESC) | (1 << F_EVENT_IDX)) >>> 0;
    if (sel === 1) return (this.backend.features[1] | (1 << (F_VERSION_1 - 32))) >>> 0;
    return 0;
  }

  hasFeature(bit: number): boolean {
    return ((this.drvFeatures[bit >> 5] >>> (bit & 31)) & 1) === 1;
  }

  get broken(): boolean {
    return (this.status & S_DEVICE_NEEDS_RESET) !== 0;
  }

  get deviceStatus(): number {
    return this.status;
  }

  log(msg: string): void {
    this.opts.log?.(`${this.name}: ${msg}`);
  }

  /** Stops the device until the driver resets it (§2.1.2) and tells the driver why. */
  fail(reason: string): void {
    if (this.broken) return;
    this.log(`needs reset: ${reason}`);
    this.status |= S_DEVICE_NEEDS_RESET;
    if (this.status & S_DRIVER_OK) this.raise(INT_CONFIG_CHANGE);
  }

  /** Next chain of `queue`, or undefined (nothing pending, or the device just broke). */
  pop(queue: number): Chain | undefined {
    const q = this.queues[queue];
    if (!q || !q.ready || this.broken) return undefined;
    const indirect = this.hasFeature(F_INDIRECT_DESC);
    return this.guard(() => q.pop(this.mem, indirect, this.hasFeature(F_EVENT_IDX)));
  }

  /**
   * Hands a chain back with `len` bytes written and interrupts if the driver asked for it.
   * `epoch` is the value when the request was popped: completions that outlive a reset
   * are dropped, as the rings they belong to are gone.
   */
  complete(queue: number, head: number, len: number, epoch = this.epoch): void {
    const q = this.queues[queue];
    if (epoch !== this.epoch || !q || !q.ready || this.broken) return;
    this.guard(() => {
      const ev = this.hasFeature(F_EVENT_IDX);
      const old = q.pushUsed(this.mem, head, len);
      if (q.needsInterrupt(this.mem, old, ev)) this.raise(INT_USED_BUFFER);
    });
  }

  /** Runs guest-facing work; any failure marks the device broken instead of throwing. */
  guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.fail(e instanceof ChainError ? e.message : `internal error: ${String(e)}`);
      return undefined;
    }
  }

  /** The backend changed its config space (§4.2.2: generation + config interrupt). */
  configChanged(): void {
    this.generation = (this.generation + 1) >>> 0;
    if (this.status & S_DRIVER_OK) this.raise(INT_CONFIG_CHANGE);
  }

  private raise(bits: number): void {
    this.intStatus |= bits;
    this.updateIrq();
  }

  private updateIrq(): void {
    const level = this.intStatus !== 0;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.opts.irq?.setLevel(level);
    }
  }

  reset(): void {
    this.epoch++;
    for (const q of this.queues) q.reset();
    this.devFeatSel = this.drvFeatSel = this.queueSel = 0;
    this.drvFeatures = [0, 0];
    this.status = 0;
    this.intStatus = 0;
    this.backend.reset();
    this.updateIrq();
  }

  read(offset: number, width: MmioWidth): number {
    if (offset >= R.Config) return this.readConfig(offset - R.Config, width);
    // §4.2.2.2: registers other than config space are 32-bit, aligned.
    if (width !== 4 || offset & 3) {
      this.log(`ignored ${width}-byte read at 0x${offset.toString(16)}`);
      return 0;
    }
    const q = this.queues[this.queueSel];
    switch (offset) {
      case R.MagicValue:
        return VIRTIO_MMIO_MAGIC;
      case R.Version:
        return 2;
      case R.DeviceID:
        return this.backend.deviceId;
      case R.VendorID:
        return VIRTIO_VENDOR_GLAUNCH;
      case R.DeviceFeatures:
        return this.offered(this.devFeatSel);
      case R.QueueNumMax:
        return q ? q.maxSize : 0; // 0: queue not available (§4.2.3.2)
      case R.QueueNum:
        return q ? q.num : 0;
      case R.QueueReady:
        return q?.ready ? 1 : 0;
      case R.InterruptStatus:
        return this.intStatus;
      case R.Status:
        return this.status;
      case R.QueueDescLow:
        return q ? q.descAddr >>> 0 : 0;
      case R.QueueDescHigh:
        return q ? Math.floor(q.descAddr / 0x1_0000_0000) : 0;
      case R.QueueDriverLow:
        return q ? q.driverAddr >>> 0 : 0;
      case R.QueueDriverHigh:
        return q ? Math.floor(q.driverAddr / 0x1_0000_0000) : 0;
      case R.QueueDeviceLow:
        return q ? q.deviceAddr >>> 0 : 0;
      case R.QueueDeviceHigh:
        return q ? Math.floor(q.deviceAddr / 0x1_0000_0000) : 0;
      case R.SHMLenLow:
      case R.SHMLenHigh:
        return 0xffffffff; // no shared memory regions: length -1 (§4.2.2)
      case R.ConfigGeneration:
        return this.generation;
      default:
        return 0;
    }
  }

  write(offset: number, width: MmioWidth, value: number): void {
    value >>>= 0;
    if (offset >= R.Config) {
      this.writeConfig(offset - R.Config, width, value);
      return;
    }
    if (width !== 4 || offset & 3) {
      this.log(`ignored ${width}-byte write at 0x${offset.toString(16)}`);
      return;
    }
    const q = this.queues[this.queueSel];
    const setup = q && !q.ready; // queue registers are only writable while not ready
    switch (offset) {
      case R.DeviceFeaturesSel:
        this.devFeatSel = value;
        break;
      case R.DriverFeaturesSel:
        this.drvFeatSel = value;
        break;
      case R.DriverFeatures:
        if (this.status & S_FEATURES_OK) this.log('DriverFeatures written after FEATURES_OK');
        else if (this.drvFeatSel < 2) this.drvFeatures[this.drvFeatSel] = value;
        break;
      case R.QueueSel:
        this.queueSel = value;
        break;
      case R.QueueNum:
        if (setup) q.num = value;
        break;
      case R.QueueReady:
        if (!q) break;
        if (value & 1 && !q.ready) {
          const why = q.validate();
          if (why) this.fail(`queue ${this.queueSel}: ${why}`);
          else q.ready = true;
        } else if (!(value & 1)) {
          q.ready = false;
        }
        break;
      case R.QueueNotify:
        this.notify(value & 0xffff);
        break;
      case R.InterruptACK:
        this.intStatus &= ~value;
        this.updateIrq();
        break;
      case R.Status:
        this.writeStatus(value & 0xff);
        break;
      case R.QueueDescLow:
        if (setup) q.descAddr = join64(value, Math.floor(q.descAddr / 0x1_0000_0000));
        break;
      case R.QueueDescHigh:
        if (setup) q.descAddr = join64(q.descAddr >>> 0, value);
        break;
      case R.QueueDriverLow:
        if (setup) q.driverAddr = join64(value, Math.floor(q.driverAddr / 0x1_0000_0000));
        break;
      case R.QueueDriverHigh:
        if (setup) q.driverAddr = join64(q.driverAddr >>> 0, value);
        break;
      case R.QueueDeviceLow:
        if (setup) q.deviceAddr = join64(value, Math.floor(q.deviceAddr / 0x1_0000_0000));
        break;
      case R.QueueDeviceHigh:
        if (setup) q.deviceAddr = join64(q.deviceAddr >>> 0, value);
        break;
      default:
        break; // read-only or reserved
    }
  }

  private writeStatus(value: number): void {
    if (value === 0) {
      this.reset(); // §4.2.2.1: writing 0 resets the device
      return;
    }
    let next = value | (this.status & S_DEVICE_NEEDS_RESET);
    if (value & S_FEATURES_OK && !(this.status & S_FEATURES_OK)) {
      // §3.1.1 step 5: the device refuses feature sets it cannot honour by leaving
      // FEATURES_OK clear; the driver re-reads Status to find out.
      const unknown0 = this.drvFeatures[0] & ~this.offered(0);
      const unknown1 = this.drvFeatures[1] & ~this.offered(1);
      if (unknown0 || unknown1 || !this.hasFeature(F_VERSION_1)) {
        this.log('feature set refused (unknown bits or no VIRTIO_F_VERSION_1)');
        next &= ~S_FEATURES_OK;
      }
    }
    if (value & S_DRIVER_OK && !(next & S_FEATURES_OK)) {
      this.log('DRIVER_OK without FEATURES_OK');
    }
    this.status = next;
  }

  private notify(queue: number): void {
    const q = this.queues[queue];
    if (!q || !q.ready || this.broken || !(this.status & S_DRIVER_OK)) return;
    this.guard(() => this.backend.notify(this, queue));
  }

  private readConfig(offset: number, width: MmioWidth): number {
    const cfg = this.backend.configBytes();
    let v = 0;
    for (let i = width - 1; i >= 0; i--) v = v * 256 + (cfg[offset + i] ?? 0);
    return v >>> 0;
  }

  private writeConfig(offset: number, width: MmioWidth, value: number): void {
    const bytes = new Uint8Array(width);
    for (let i = 0; i < width; i++) bytes[i] = (value >>> (8 * i)) & 0xff;
    if (this.backend.configWrite) this.guard(() => this.backend.configWrite?.(offset, bytes));
  }
}
