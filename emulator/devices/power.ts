// Power/reset controller of the glaunch-virt board. The guest writes a command and the
// device reports it to the VMM, which treats it like an intercept: it stops the vCPUs and
// acts on it. A key in the upper half guards against stray writes (a wild pointer would
// have to hit both the address and the key).
import type { DeviceLog, MmioDevice, MmioWidth } from './bus';

export const POWER_CMD = 0x00; // W: (POWER_KEY << 16) | command
export const POWER_ID = 0x04; // R: 0x50575231 "PWR1"
export const POWER_LAST = 0x08; // R: last accepted command (0 after a cold start)
export const POWER_KEY = 0x4757; // "GW"
export const POWER_ID_VALUE = 0x50575231;

/** poweroff: stop the VM. reset: warm reset, RAM kept. reboot: cold restart, RAM cleared. */
export type PowerCommand = 'poweroff' | 'reset' | 'reboot';
const COMMANDS: Record<number, PowerCommand> = { 1: 'poweroff', 2: 'reset', 3: 'reboot' };

export class PowerController implements MmioDevice {
  readonly name = 'power';
  readonly size = 0x10;
  private last = 0;

  constructor(
    private readonly onCommand: (cmd: PowerCommand) => void,
    private readonly log?: DeviceLog,
  ) {}

  reset(): void {
    // `last` survives a warm reset so firmware can tell why it is running again.
  }

  read(offset: number, width: MmioWidth): number {
    if (width !== 4) return 0;
    if (offset === POWER_ID) return POWER_ID_VALUE;
    if (offset === POWER_LAST) return this.last;
    return 0;
  }

  write(offset: number, width: MmioWidth, value: number): void {
    if (offset !== POWER_CMD || width !== 4) return;
    const cmd = COMMANDS[value & 0xffff];
    if (value >>> 16 !== POWER_KEY || !cmd) {
      this.log?.(`power: ignored command word 0x${(value >>> 0).toString(16)}`);
      return;
    }
    this.last = value & 0xffff;
    this.onCommand(cmd);
  }
}
