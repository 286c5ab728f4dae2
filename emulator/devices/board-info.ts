// Board information block of glaunch-virt: read-only words telling the firmware what real
// firmware would probe (RAM banks through SIC routing, CPU count from the MP tables), so
// the boot ROM stays small. Layout in emulator/machine/README.md.
import type { MmioDevice, MmioWidth } from './bus';

export const BOARD_INFO_ID = 0x49424c47; // "GLBI"
export const BOARD_INFO_VERSION = 1;

export interface BoardInfoValues {
  lowRamBytes: number;
  highRamBase: number;
  highRamBytes: number;
  vcpus: number;
  uarts: number;
  /** nibble i = i-th boot choice: 1 disk, 2 optical, 0 end */
  bootOrder: number;
  /** nibble k = blk slot k: 0 none, 1 disk, 2 optical */
  slotMedia: number;
  romBytes: number;
  timerHz: number;
}

export class BoardInfo implements MmioDevice {
  readonly name = 'board-info';
  readonly size = 0x40;
  private readonly words = new Uint32Array(16);

  constructor(v: BoardInfoValues) {
    const w = this.words;
    const put64 = (i: number, x: number): void => {
      w[i] = x % 0x1_0000_0000;
      w[i + 1] = Math.floor(x / 0x1_0000_0000);
    };
    w[0] = BOARD_INFO_ID;
    w[1] = BOARD_INFO_VERSION;
    put64(2, v.lowRamBytes);
    put64(4, v.highRamBase);
    put64(6, v.highRamBytes);
    w[8] = v.vcpus;
    w[9] = v.uarts;
    w[10] = v.bootOrder;
    w[11] = v.slotMedia;
    w[12] = v.romBytes;
    w[13] = v.timerHz;
  }

  read(offset: number, width: MmioWidth): number {
    if (width !== 4 || offset & 3 || offset >= this.size) return 0;
    return this.words[offset >> 2];
  }

  write(): void {}

  reset(): void {}
}
