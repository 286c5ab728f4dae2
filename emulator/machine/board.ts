/**
 * The glaunch-virt board description: guest-physical addresses, device windows and the
 * CEPIC vectors device lines are wired to. README.md in this folder is the documented
 * form; emulator/guest/include/board.inc is the firmware's copy (a test keeps them equal).
 */

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Low RAM ends here at most (system.md §5.1: the PCI window starts at 2 GiB). */
export const LOW_RAM_MAX = 2 * GiB;
/** RAM beyond LOW_RAM_MAX is placed here (QEMU-e2k's high-RAM base). */
export const HIGH_RAM_BASE = 0x4_0000_0000;

export const UART_BASE = 0xf000_0000;
export const UART_STRIDE = 0x1000;
export const UART_MAX = 4;
/** 16550A registers 4 bytes apart (regShift 2). */
export const UART_REG_SHIFT = 2;

export const VIRTIO_BASE = 0xf001_0000;
export const VIRTIO_STRIDE = 0x1000;
export const VIRTIO_SLOTS = 8;
/** Slots 0..3 are virtio-blk vda..vdd, slot 4 virtio-rng, 5..7 empty. */
export const BLK_SLOT_NAMES = ['vda', 'vdb', 'vdc', 'vdd'] as const;
export type BlkSlotName = (typeof BLK_SLOT_NAMES)[number];
export const RNG_SLOT = 4;

export const RTC_BASE = 0xf002_0000;
export const POWER_BASE = 0xf002_1000;
export const BOARD_INFO_BASE = 0xf002_2000;

export const CEPIC_BASE = 0xfee0_0000;
export const CEPIC_SIZE = 0x2000;

export const ROM_BASE = 0x1_0000_0000;
export const ROM_MAX = 16 * MiB;

/** Firmware RAM (stacks, data) at reset; reported in bootblock `busy[0]`. */
export const FW_AREA_BASE = 0x0010_0000;
export const FW_AREA_SIZE = 1 * MiB;
export const FW_PSP_BASE = 0x0010_0000;
export const FW_PSP_SIZE = 256 * KiB;
export const FW_PCSP_BASE = 0x0014_0000;
export const FW_PCSP_SIZE = 64 * KiB;
export const FW_STACK_BASE = 0x001c_0000;
export const FW_STACK_SIZE = 256 * KiB;
/** The bootblock page the ROM (or the direct boot path) fills. */
export const BOOTBLOCK_ADDR = 0x1000;
/** Smallest RAM the reset state fits in (firmware area + room for a kernel at 2 MiB). */
export const MIN_RAM = 4 * MiB;

/** CEPIC vectors of the board's interrupt lines (all priority 1, delivered to vCPU 0). */
export const VEC_UART0 = 0x30;
export const VEC_VIRTIO0 = 0x40;
export const VEC_POWER_BUTTON = 0x50;
/** CEPIC timer input clock before TIMER_DIV. */
export const CEPIC_TIMER_HZ = 10_000_000;

export const uartBase = (n: number): number => UART_BASE + n * UART_STRIDE;
export const virtioBase = (slot: number): number => VIRTIO_BASE + slot * VIRTIO_STRIDE;

export interface RamBank {
  base: number;
  size: number;
}

/** RAM banks for `memoryMiB`: low RAM from 0 up to 2 GiB, the rest at HIGH_RAM_BASE. */
export function ramBanks(memoryMiB: number): RamBank[] {
  const total = memoryMiB * MiB;
  const low = Math.min(total, LOW_RAM_MAX);
  const banks = [{ base: 0, size: low }];
  if (total > low) banks.push({ base: HIGH_RAM_BASE, size: total - low });
  return banks;
}

export interface WindowInfo {
  name: string;
  base: number;
  size: number;
  vector?: number;
}

/** Every MMIO window of a board with `uarts` serial ports (for docs, tests and monitors). */
export function mmioWindows(uarts: number): WindowInfo[] {
  const w: WindowInfo[] = [];
  for (let n = 0; n < uarts; n++)
    w.push({
      name: `uart${n}`,
      base: uartBase(n),
      size: 8 << UART_REG_SHIFT,
      vector: VEC_UART0 + n,
    });
  for (let k = 0; k < VIRTIO_SLOTS; k++) {
    const name =
      k < BLK_SLOT_NAMES.length ? BLK_SLOT_NAMES[k] : k === RNG_SLOT ? 'rng' : `virtio${k}`;
    w.push({
      name,
      base: virtioBase(k),
      size: 0x200,
      vector: k <= RNG_SLOT ? VEC_VIRTIO0 + k : undefined,
    });
  }
  w.push({ name: 'rtc', base: RTC_BASE, size: 0x20 });
  w.push({ name: 'power', base: POWER_BASE, size: 0x10, vector: VEC_POWER_BUTTON });
  w.push({ name: 'board-info', base: BOARD_INFO_BASE, size: 0x40 });
  w.push({ name: 'cepic', base: CEPIC_BASE, size: CEPIC_SIZE });
  return w;
}
