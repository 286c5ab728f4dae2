export { PhysMemory, PhysPage, PAGE_SHIFT, PAGE_SIZE } from './phys';
export { MmioBus } from './mmio';
export type { MmioDevice, MmioRange } from './mmio';
