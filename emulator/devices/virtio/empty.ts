// An unpopulated virtio-mmio slot (virtio 1.x §4.2.3.1.1: "a device with DeviceID 0x0 ...
// is a placeholder"): magic and version read as usual so a driver can scan a fixed array
// of slots, DeviceID reads 0, everything else reads 0 and ignores writes.
import type { MmioDevice, MmioWidth } from '../bus';
import { R, VIRTIO_MMIO_MAGIC, VIRTIO_VENDOR_GLAUNCH } from './mmio';

export class EmptyVirtioSlot implements MmioDevice {
  readonly size = 0x200;

  constructor(readonly name = 'virtio-empty') {}

  read(offset: number, width: MmioWidth): number {
    if (width !== 4) return 0;
    if (offset === R.MagicValue) return VIRTIO_MMIO_MAGIC;
    if (offset === R.Version) return 2;
    if (offset === R.VendorID) return VIRTIO_VENDOR_GLAUNCH;
    return 0;
  }

  write(): void {}

  reset(): void {}
}
