// virtio-rng / entropy device (virtio 1.x §5.4): one request queue of device-writable
// buffers that the device fills with random bytes from an injected source.
import type { VirtioBackend, VirtioMmio } from './mmio';
import { scatter } from './queue';

export const VIRTIO_ID_ENTROPY = 4;
const CHUNK_MAX = 64 << 10; // bytes per request; the driver asks again for more

/** Fills dst with random bytes (e.g. crypto.getRandomValues on the host). */
export type EntropySource = (dst: Uint8Array) => void;

export class VirtioRng implements VirtioBackend {
  readonly deviceId = VIRTIO_ID_ENTROPY;
  readonly queueCount = 1;
  readonly queueMaxSize = 64;
  readonly features = [0, 0] as const;

  constructor(private readonly source: EntropySource) {}

  configBytes(): Uint8Array {
    return new Uint8Array(0); // §5.4.4: no device configuration space
  }

  reset(): void {}

  notify(t: VirtioMmio, queue: number): void {
    for (let c = t.pop(queue); c; c = t.pop(queue)) {
      // §5.4.6.1: the driver only queues device-writable buffers.
      if (c.readLen) return t.fail(`request ${c.head} has device-readable buffers`);
      const buf = new Uint8Array(Math.min(c.writeLen, CHUNK_MAX));
      this.source(buf);
      scatter(t.mem, c.writable, 0, buf);
      t.complete(queue, c.head, buf.length);
    }
  }
}
