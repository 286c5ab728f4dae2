/**
 * Start-up validation of a MachineConfig and the host resources that go with it (images,
 * ROM, kernel). Everything a user can get wrong is checked here, before any device or vCPU
 * exists, and reported as one line naming the field and the problem: the host prints it
 * and exits without running anything.
 */
import { utf8Encode } from '../elf/utf8';
import type { MachineConfig, MachineDisk } from './api';
import type { DiskImage } from '../storage/disk-image';
import type { EntropySource } from '../devices/virtio/rng';
import type { Clock } from '../devices/bus';
import { CPU_MODELS } from '../cpu/models';
import type { CpuModel } from '../cpu/models';
import { VIRT_CTRL_CU_BITS, VIRT_CTRL_MU_BITS } from '../virt/ctrl';
import { BLK_SLOT_NAMES, MIN_RAM, MiB, ROM_MAX, UART_MAX } from './board';
import { KERNEL_ARGS_MAX } from './bootblock';

/** Non-serializable things the host hands the machine next to its config. */
export interface MachineResources {
  /** Boot ROM image (flat binary placed at ROM_BASE). Required unless `kernel` is given. */
  rom?: Uint8Array;
  /** Kernel ELF for the direct boot path (README "Direct kernel boot"). */
  kernel?: Uint8Array;
  /** Opened images, one per disk of `config.disks`. */
  disks?: Partial<Record<MachineDisk['slot'], DiskImage>>;
  /** virtio-rng source (default: a deterministic xorshift — give the host's CSPRNG). */
  entropy?: EntropySource;
  /** Wall clock for the RTC (default Date.now). */
  clock?: Clock;
  /** Monotonic host milliseconds (default performance.now / Date.now). */
  nowMs?: () => number;
  /** Device and VMM diagnostics (guest mistakes, broken virtqueues). */
  log?: (message: string) => void;
}

export class MachineConfigError extends Error {
  override name = 'MachineConfigError';
}

const fail = (msg: string): never => {
  throw new MachineConfigError(msg);
};

const knownBits = (tbl: Readonly<Record<number, string>>): Set<string> =>
  new Set(Object.values(tbl));

/** Returns the CPU model; throws MachineConfigError for the first problem found. */
export function validateMachine(c: MachineConfig, r: MachineResources): CpuModel {
  const model = CPU_MODELS.find((m) => m.id === c.cpuModel);
  if (!model)
    fail(
      `cpuModel: unsupported CPU preset '${c.cpuModel}' (use ${CPU_MODELS.map((m) => m.id).join(', ')})`,
    );
  const m = model!;
  if (!Number.isInteger(c.vcpus) || c.vcpus < 1 || c.vcpus > m.maxCpus)
    fail(`vcpus: ${c.vcpus} is not between 1 and ${m.maxCpus} for ${m.name}`);
  const minMiB = Math.max(m.minRamMiB, MIN_RAM / MiB);
  if (!Number.isInteger(c.memoryMiB) || c.memoryMiB < minMiB || c.memoryMiB > m.maxRamMiB)
    fail(`memoryMiB: ${c.memoryMiB} MiB is not between ${minMiB} and ${m.maxRamMiB} for ${m.name}`);
  if (!Number.isInteger(c.serialPorts) || c.serialPorts < 0 || c.serialPorts > UART_MAX)
    fail(`serialPorts: ${c.serialPorts} is not between 0 and ${UART_MAX}`);
  for (const [i, d] of c.bootOrder.entries())
    if (d !== 'disk' && d !== 'optical')
      fail(`bootOrder.${i}: '${String(d)}' is not disk or optical`);
  const cu = knownBits(VIRT_CTRL_CU_BITS);
  for (const n of c.cuIntercepts ?? [])
    if (!cu.has(n)) fail(`cuIntercepts: '${n}' is not a VIRT_CTRL_CU bit`);
  const mu = knownBits(VIRT_CTRL_MU_BITS);
  for (const n of c.muIntercepts ?? [])
    if (!mu.has(n)) fail(`muIntercepts: '${n}' is not a VIRT_CTRL_MU bit`);
  if (c.quantumUs !== undefined && !(c.quantumUs >= 100 && c.quantumUs <= 1_000_000))
    fail(`quantumUs: ${c.quantumUs} is not between 100 and 1000000`);
  if (c.commandLine !== undefined && utf8Encode(c.commandLine).length > KERNEL_ARGS_MAX)
    fail(`commandLine: longer than ${KERNEL_ARGS_MAX} bytes`);

  const seen = new Set<string>();
  for (const d of c.disks ?? []) {
    const where = `disk ${d.slot}`;
    if (!(BLK_SLOT_NAMES as readonly string[]).includes(d.slot))
      fail(`disks: '${d.slot}' is not a storage slot (vda..vdd)`);
    if (seen.has(d.slot)) fail(`${where}: slot used twice`);
    seen.add(d.slot);
    if (d.medium === 'optical' && !d.readOnly) fail(`${where}: optical media are always read-only`);
    const img = r.disks?.[d.slot];
    if (!img) fail(`${where}: no image opened for this slot`);
    if (!d.readOnly && img!.readOnly)
      fail(`${where}: the image is read-only but the disk is attached writable`);
    if (img!.sizeBytes < 512) fail(`${where}: the image is empty (${img!.sizeBytes} bytes)`);
  }
  for (const slot of Object.keys(r.disks ?? {}))
    if (!seen.has(slot)) fail(`disk ${slot}: an image is given but the slot is not configured`);

  if (!r.rom && !r.kernel) fail('firmware: neither a boot ROM nor a kernel is given');
  if (r.rom && (r.rom.length === 0 || r.rom.length > ROM_MAX))
    fail(`boot ROM: ${r.rom.length} bytes (1 byte .. ${ROM_MAX / MiB} MiB)`);
  return m;
}
