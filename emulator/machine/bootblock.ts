/**
 * The e2k bootblock (`bootblock_struct_t`, system.md §5.5) as the glaunch-virt firmware
 * builds it: one 4 KiB page, `boot_info_t` at its start, the `bios` part at 0x538 and the
 * tail markers. The ROM (emulator/guest) writes the same bytes; this builder serves the
 * direct kernel boot path and the tests that check the ROM's result.
 */
import { utf8Decode, utf8Encode } from '../elf/utf8';
import type { RamBank } from './board';

export const BOOTBLOCK_SIZE = 4096;
export const SIGNATURE_ROM_LOADER = 0xe200;
export const MACH_FLAG_KVM_GUEST = 0x100;
export const KERNEL_ARGS_MAX = 127; // 128 bytes including the NUL

/** Field offsets (system.md §5.5). */
export const BB = {
  signature: 0x000,
  targetMdl: 0x002,
  numOfBanks: 0x007,
  kernelBase: 0x008,
  kernelSize: 0x010,
  ramdiskBase: 0x018,
  ramdiskSize: 0x020,
  numOfCpus: 0x028,
  machFlags: 0x02a,
  numOfBusy: 0x02c,
  numOfNodes: 0x02e,
  mpTableBase: 0x030,
  serialBase: 0x038,
  nodesMap: 0x040,
  kernelArgs: 0x058,
  nodesMem: 0x0d8,
  busy: 0x2d8,
  bios: 0x538,
  biosChipset: 0x538 + 0x089,
  biosCpuType: 0x538 + 0x08a,
  bootblockVer: 0xf5b,
  x86Marker: 0xffe,
} as const;

export interface BootblockInput {
  /** IDR.mdl of the CPU preset (target_mdl and bios.cpu_type). */
  idrModel: number;
  banks: RamBank[];
  kernelBase: number;
  kernelSize: number;
  cpus: number;
  serialBase: number;
  commandLine: string;
  /** Firmware-owned areas the kernel must not reuse before it has left them. */
  busy?: RamBank[];
}

/** Builds the page; throws with a clear message for inputs that do not fit the format. */
export function buildBootblock(i: BootblockInput): Uint8Array {
  if (i.banks.length < 1 || i.banks.length > 4)
    throw new Error(`bootblock: ${i.banks.length} RAM banks (1..4 fit in nodes_mem[0])`);
  if ((i.busy?.length ?? 0) > 4) throw new Error('bootblock: more than 4 busy areas');
  const args = utf8Encode(i.commandLine);
  if (args.length > KERNEL_ARGS_MAX)
    throw new Error(`bootblock: command line is ${args.length} bytes (at most ${KERNEL_ARGS_MAX})`);
  const b = new Uint8Array(BOOTBLOCK_SIZE);
  const v = new DataView(b.buffer);
  const u64 = (off: number, x: number): void => {
    v.setUint32(off, x % 0x1_0000_0000, true);
    v.setUint32(off + 4, Math.floor(x / 0x1_0000_0000), true);
  };
  v.setUint16(BB.signature, SIGNATURE_ROM_LOADER, true);
  b[BB.targetMdl] = i.idrModel;
  b[BB.numOfBanks] = i.banks.length;
  u64(BB.kernelBase, i.kernelBase);
  u64(BB.kernelSize, i.kernelSize);
  v.setUint16(BB.numOfCpus, i.cpus, true);
  v.setUint16(BB.machFlags, MACH_FLAG_KVM_GUEST, true);
  v.setUint16(BB.numOfBusy, i.busy?.length ?? 0, true);
  v.setUint16(BB.numOfNodes, 1, true);
  u64(BB.serialBase, i.serialBase);
  u64(BB.nodesMap, 1);
  b.set(args, BB.kernelArgs);
  i.banks.forEach((bank, k) => {
    u64(BB.nodesMem + k * 16, bank.base);
    u64(BB.nodesMem + k * 16 + 8, bank.size);
  });
  (i.busy ?? []).forEach((area, k) => {
    u64(BB.busy + k * 16, area.base);
    u64(BB.busy + k * 16 + 8, area.size);
  });
  b.set(utf8Encode('E2KBIOS'), BB.bios);
  b[BB.biosChipset] = 0; // neither PIIX4 nor IOHUB: the virtio board
  b[BB.biosCpuType] = i.idrModel;
  b[BB.bootblockVer] = 1;
  v.setUint16(BB.x86Marker, 0xaa55, true);
  return b;
}

/** Reads back the fields the board cares about (tests; checking what the ROM built). */
export function parseBootblock(b: Uint8Array): {
  signature: number;
  targetMdl: number;
  banks: RamBank[];
  kernelBase: number;
  kernelSize: number;
  cpus: number;
  machFlags: number;
  serialBase: number;
  commandLine: string;
  cpuType: number;
  x86Marker: number;
} {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u64 = (off: number): number =>
    v.getUint32(off, true) + v.getUint32(off + 4, true) * 0x1_0000_0000;
  const n = b[BB.numOfBanks];
  const banks: RamBank[] = [];
  for (let k = 0; k < Math.min(n, 4); k++)
    banks.push({ base: u64(BB.nodesMem + k * 16), size: u64(BB.nodesMem + k * 16 + 8) });
  const argBytes = b.subarray(BB.kernelArgs, BB.kernelArgs + 128);
  const nul = argBytes.indexOf(0);
  return {
    signature: v.getUint16(BB.signature, true),
    targetMdl: b[BB.targetMdl],
    banks,
    kernelBase: u64(BB.kernelBase),
    kernelSize: u64(BB.kernelSize),
    cpus: v.getUint16(BB.numOfCpus, true),
    machFlags: v.getUint16(BB.machFlags, true),
    serialBase: u64(BB.serialBase),
    commandLine: utf8Decode(argBytes.subarray(0, nul < 0 ? 128 : nul)),
    cpuType: b[BB.biosCpuType],
    x86Marker: v.getUint16(BB.x86Marker, true),
  };
}
