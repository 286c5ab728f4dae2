// virtio-blk device (virtio 1.x §5.2). Requests are handed to an asynchronous DiskImage
// (see storage/disk-image.ts for why); each completion writes data and the status byte
// into the chain, returns it on the used ring and raises the interrupt, like a real
// controller finishing DMA.
import type { DiskImage } from '../../storage/disk-image';
import type { VirtioBackend, VirtioMmio } from './mmio';
import type { Chain } from './queue';
import { gather, scatter } from './queue';

export const VIRTIO_ID_BLOCK = 2;
export const VIRTIO_BLK_F_SIZE_MAX = 1;
export const VIRTIO_BLK_F_SEG_MAX = 2;
export const VIRTIO_BLK_F_RO = 5;
export const VIRTIO_BLK_F_BLK_SIZE = 6;
export const VIRTIO_BLK_F_FLUSH = 9;

export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

export const SECTOR = 512;
const QUEUE_SIZE = 256;
const SIZE_MAX = 1 << 20; // per segment, advertised in config.size_max
const REQUEST_MAX = 32 << 20; // larger data areas fail with IOERR instead of allocating
const ID_BYTES = 20; // §5.2.6: GET_ID returns a 20-byte serial, NUL-padded

export interface VirtioBlkOptions {
  /** Serial number reported by GET_ID (ASCII, at most 20 bytes used). */
  serial?: string;
}

export class VirtioBlk implements VirtioBackend {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly queueCount = 1;
  readonly queueMaxSize = QUEUE_SIZE;
  readonly features: readonly [number, number];
  private readonly config = new Uint8Array(0x18);
  private readonly serial: Uint8Array;
  private inflight = new Set<Promise<void>>();

  constructor(
    readonly disk: DiskImage,
    opts: VirtioBlkOptions = {},
  ) {
    let f =
      (1 << VIRTIO_BLK_F_SIZE_MAX) |
      (1 << VIRTIO_BLK_F_SEG_MAX) |
      (1 << VIRTIO_BLK_F_BLK_SIZE) |
      (1 << VIRTIO_BLK_F_FLUSH);
    if (disk.readOnly) f |= 1 << VIRTIO_BLK_F_RO; // optical media
    this.features = [f >>> 0, 0];
    // struct virtio_blk_config (§5.2.4): capacity, size_max, seg_max, geometry, blk_size.
    const v = new DataView(this.config.buffer);
    const sectors = Math.floor(disk.sizeBytes / SECTOR);
    v.setUint32(0x00, sectors >>> 0, true);
    v.setUint32(0x04, Math.floor(sectors / 0x1_0000_0000), true);
    v.setUint32(0x08, SIZE_MAX, true);
    v.setUint32(0x0c, QUEUE_SIZE - 2, true); // header and status take two descriptors
    v.setUint32(0x14, SECTOR, true);
    this.serial = new Uint8Array(ID_BYTES);
    const s = opts.serial ?? 'glaunch-disk';
    for (let i = 0; i < Math.min(ID_BYTES, s.length); i++) this.serial[i] = s.charCodeAt(i) & 0x7f;
  }

  configBytes(): Uint8Array {
    return this.config;
  }

  reset(): void {
    // In-flight disk operations keep running; the transport epoch discards their results.
  }

  /** Requests submitted to the image and not completed yet. */
  get pending(): number {
    return this.inflight.size;
  }

  /** Resolves when every submitted request has completed (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  notify(t: VirtioMmio, queue: number): void {
    for (let chain = t.pop(queue); chain; chain = t.pop(queue)) this.start(t, queue, chain);
  }

  private start(t: VirtioMmio, queue: number, c: Chain): void {
    const epoch = t.epoch;
    // §5.2.6: a request is a 16-byte readable header and a writable trailing status byte;
    // without them there is nothing to report an error through, so the chain is malformed.
    if (c.readLen < 16 || c.writeLen < 1) {
      t.fail(`request ${c.head} lacks header or status byte`);
      return;
    }
    const hdr = t.guard(() => gather(t.mem, c.readable, 0, 16));
    if (!hdr) return;
    const h = new DataView(hdr.buffer);
    const type = h.getUint32(0, true);
    const sector = h.getUint32(8, true) + h.getUint32(12, true) * 0x1_0000_0000;
    const dataIn = c.writeLen - 1; // writable bytes before the status byte
    const dataOut = c.readLen - 16;
    // Data flowing the wrong way (an IN with device-readable data, an OUT with
    // device-writable data) breaks §5.2.6's layout, as a misbuilt chain does.
    const wrongWay =
      ((type === VIRTIO_BLK_T_IN || type === VIRTIO_BLK_T_GET_ID) && dataOut !== 0) ||
      (type === VIRTIO_BLK_T_OUT && dataIn !== 0) ||
      (type === VIRTIO_BLK_T_FLUSH && (dataIn !== 0 || dataOut !== 0));
    if (wrongWay) {
      t.fail(`request ${c.head} (type ${type}) has data buffers in the wrong direction`);
      return;
    }

    const finish = (status: number, data?: Uint8Array): void => {
      if (epoch !== t.epoch) return;
      t.guard(() => {
        if (data) scatter(t.mem, c.writable, 0, data);
        scatter(t.mem, c.writable, c.writeLen - 1, Uint8Array.of(status));
        t.complete(queue, c.head, (data?.length ?? 0) + 1, epoch);
      });
    };
    const track = (p: Promise<void>): void => {
      const done = p.finally(() => this.inflight.delete(done));
      this.inflight.add(done);
    };
    const offset = sector * SECTOR;
    const inRange = (len: number): boolean =>
      len % SECTOR === 0 && len <= REQUEST_MAX && offset + len <= this.disk.sizeBytes;

    switch (type) {
      case VIRTIO_BLK_T_IN: {
        if (!inRange(dataIn)) return finish(VIRTIO_BLK_S_IOERR);
        const buf = new Uint8Array(dataIn);
        track(
          this.disk.read(offset, buf).then(
            () => finish(VIRTIO_BLK_S_OK, buf),
            (e) => this.ioError(t, e, () => finish(VIRTIO_BLK_S_IOERR)),
          ),
        );
        return;
      }
      case VIRTIO_BLK_T_OUT: {
        // §5.2.6.2: with VIRTIO_BLK_F_RO offered, writes fail with IOERR and write nothing.
        if (this.disk.readOnly || !inRange(dataOut)) return finish(VIRTIO_BLK_S_IOERR);
        const data = t.guard(() => gather(t.mem, c.readable, 16, dataOut));
        if (!data) return;
        track(
          this.disk.write(offset, data).then(
            () => finish(VIRTIO_BLK_S_OK),
            (e) => this.ioError(t, e, () => finish(VIRTIO_BLK_S_IOERR)),
          ),
        );
        return;
      }
      case VIRTIO_BLK_T_FLUSH:
        track(
          this.disk.flush().then(
            () => finish(VIRTIO_BLK_S_OK),
            (e) => this.ioError(t, e, () => finish(VIRTIO_BLK_S_IOERR)),
          ),
        );
        return;
      case VIRTIO_BLK_T_GET_ID:
        return finish(VIRTIO_BLK_S_OK, this.serial.subarray(0, Math.min(ID_BYTES, dataIn)));
      default:
        return finish(VIRTIO_BLK_S_UNSUPP);
    }
  }

  private ioError(t: VirtioMmio, e: unknown, report: () => void): void {
    t.log(`I/O error: ${e instanceof Error ? e.message : String(e)}`);
    report();
  }
}
