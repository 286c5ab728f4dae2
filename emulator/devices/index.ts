// Board devices of glaunch-virt; register maps in README.md next to this file.
export * from './bus';
export * from './uart16550';
export * from './rtc';
export * from './power';
export { VirtioMmio } from './virtio/mmio';
export type { VirtioBackend, VirtioMmioOptions } from './virtio/mmio';
export { VirtioBlk } from './virtio/blk';
export type { VirtioBlkOptions } from './virtio/blk';
export { VirtioRng } from './virtio/rng';
export type { EntropySource } from './virtio/rng';
export * from './board-info';
export { EmptyVirtioSlot } from './virtio/empty';
