/**
 * CPU model presets a VM can present to its guest. The emulated *host* CPU is always a
 * v6-class Elbrus with the virtualization extension; the preset decides what the guest is
 * told (IDR, substituted on read) and which ISA level its code may use.
 *
 * Facts from ../shared/isa/system.md §0 and §1.9 (IDR.mdl numbers, iset levels). The IDR
 * revision and L2 write-back fields are our choice (QEMU's e8c reset value 0x3a207 uses
 * rev 2, wbl 3; we use the same for every model). Core counts are those of the real chips;
 * a VM may use 1..cores vCPUs. RAM limits are ours: generous, since guest RAM is mapped
 * lazily and costs host memory only when touched.
 */
export type CpuModelId = 'e2c+' | 'e2s' | 'e8c' | 'e8c2' | 'e16c';
export type IsaLevel = 2 | 3 | 4 | 5 | 6;

export interface CpuModel {
  id: CpuModelId;
  /** Marketing name shown in the UI. */
  name: string;
  /** ISA level the guest's code may use (`-mcpu=elbrus-vN`). */
  iset: IsaLevel;
  /** IDR.mdl, system.md §0. */
  idrModel: number;
  /** Cores of the real chip: upper bound for vCPUs. */
  maxCpus: number;
  /** Guest RAM range in MiB. */
  minRamMiB: number;
  maxRamMiB: number;
  /** Interrupt controller of the real chip (the virtual board always uses a CEPIC). */
  realInterruptController: 'APIC' | 'EPIC';
}

export const CPU_MODELS: readonly CpuModel[] = [
  {
    id: 'e2c+',
    name: 'Elbrus-2C+',
    iset: 2,
    idrModel: 0x04,
    maxCpus: 2,
    minRamMiB: 16,
    maxRamMiB: 16 * 1024,
    realInterruptController: 'APIC',
  },
  {
    id: 'e2s',
    name: 'Elbrus-4C',
    iset: 3,
    idrModel: 0x03,
    maxCpus: 4,
    minRamMiB: 16,
    maxRamMiB: 64 * 1024,
    realInterruptController: 'APIC',
  },
  {
    id: 'e8c',
    name: 'Elbrus-8C',
    iset: 4,
    idrModel: 0x07,
    maxCpus: 8,
    minRamMiB: 16,
    maxRamMiB: 128 * 1024,
    realInterruptController: 'APIC',
  },
  {
    id: 'e8c2',
    name: 'Elbrus-8C2',
    iset: 5,
    idrModel: 0x09,
    maxCpus: 8,
    minRamMiB: 16,
    maxRamMiB: 128 * 1024,
    realInterruptController: 'APIC',
  },
  {
    id: 'e16c',
    name: 'Elbrus-16C',
    iset: 6,
    idrModel: 0x0b,
    maxCpus: 16,
    minRamMiB: 16,
    maxRamMiB: 256 * 1024,
    realInterruptController: 'EPIC',
  },
];

export const CPU_MODEL_IDS = CPU_MODELS.map((m) => m.id) as [CpuModelId, ...CpuModelId[]];

export function cpuModel(id: CpuModelId): CpuModel {
  const m = CPU_MODELS.find((x) => x.id === id);
  if (!m) throw new Error(`unknown CPU model '${id}'`);
  return m;
}

/** IDR fields (system.md §1.9) that are the same for every preset. */
export const IDR_REVISION = 2;
export const IDR_WBL = 3;

/**
 * The IDR value the guest reads on vCPU `core` of this model. hw_virt is clear: the guest
 * is not offered nested virtualization.
 */
export function guestIdr(model: CpuModel, core: number): number {
  return (model.idrModel & 0xff) | (IDR_REVISION << 8) | (IDR_WBL << 12) | ((core & 0x1f) << 15);
}
