import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LatchedIrq } from '../../../emulator/devices/bus';
import {
  VIRTIO_BLK_F_FLUSH,
  VIRTIO_BLK_F_RO,
  VIRTIO_BLK_S_IOERR,
  VIRTIO_BLK_S_OK,
  VIRTIO_BLK_S_UNSUPP,
  VIRTIO_BLK_T_FLUSH,
  VIRTIO_BLK_T_GET_ID,
  VIRTIO_BLK_T_IN,
  VIRTIO_BLK_T_OUT,
  VIRTIO_ID_BLOCK,
  VirtioBlk,
} from '../../../emulator/devices/virtio/blk';
import {
  F_EVENT_IDX,
  R,
  S_DEVICE_NEEDS_RESET,
  VirtioMmio,
} from '../../../emulator/devices/virtio/mmio';
import { VIRTQ_DESC_F_WRITE } from '../../../emulator/devices/virtio/queue';
import { MemoryDiskImage } from '../../../emulator/storage/disk-image';
import type { DiskImage } from '../../../emulator/storage/disk-image';
import { AVAIL, DATA, DESC, Driver, FakeRam, USED } from './virtio-driver';
import type { Desc } from './virtio-driver';

const HDR = 0x7000;
const STATUS = 0x7800;

function blk(disk: DiskImage = new MemoryDiskImage(new Uint8Array(64 * 512))) {
  const ram = new FakeRam();
  const irq = new LatchedIrq();
  const logs: string[] = [];
  const backend = new VirtioBlk(disk, { serial: 'GLAUNCH-SERIAL-0001' });
  const dev = new VirtioMmio(backend, { mem: ram, irq, log: (m) => logs.push(m) });
  const drv = new Driver(dev, ram);
  drv.init();
  return { ram, irq, logs, backend, dev, drv, disk };
}

type Ctx = ReturnType<typeof blk>;

/** Header, data, status in three descriptors, as Linux lays a request out. */
async function request(c: Ctx, type: number, sector: number, len: number) {
  const v = c.ram.view;
  v.setUint32(HDR, type, true);
  v.setUint32(HDR + 4, 0, true);
  v.setUint32(HDR + 8, sector, true);
  v.setUint32(HDR + 12, 0, true);
  c.ram.bytes[STATUS] = 0xff;
  const write = type === VIRTIO_BLK_T_OUT ? 0 : VIRTQ_DESC_F_WRITE;
  const descs: Desc[] = [{ addr: HDR, len: 16 }];
  if (len) descs.push({ addr: DATA, len, flags: write });
  descs.push({ addr: STATUS, len: 1, flags: VIRTQ_DESC_F_WRITE });
  const head = c.drv.submit(descs);
  await c.backend.idle();
  const used = c.drv.used();
  assert.equal(used.length, 1);
  assert.equal(used[0].id, head);
  return { status: c.ram.bytes[STATUS], len: used[0].len };
}

describe('virtio-blk', () => {
  test('device id, features and config space (capacity in sectors)', () => {
    const c = blk();
    assert.equal(c.dev.read(R.DeviceID, 4), VIRTIO_ID_BLOCK);
    c.dev.write(R.DeviceFeaturesSel, 4, 0);
    const f = c.dev.read(R.DeviceFeatures, 4);
    assert.ok(f & (1 << VIRTIO_BLK_F_FLUSH));
    assert.equal(f & (1 << VIRTIO_BLK_F_RO), 0);
    assert.equal(c.dev.read(R.Config, 4), 64);
    assert.equal(c.dev.read(R.Config + 4, 4), 0);
    assert.equal(c.dev.read(R.Config + 0x14, 4), 512, 'blk_size');
    assert.equal(c.dev.read(R.Config, 1), 64, 'byte access to config');
  });

  test('write, read back, flush round trip', async () => {
    const c = blk();
    const disk = c.disk as MemoryDiskImage;
    for (let i = 0; i < 1024; i++) c.ram.bytes[DATA + i] = (i * 7) & 0xff;
    const w = await request(c, VIRTIO_BLK_T_OUT, 3, 1024);
    assert.equal(w.status, VIRTIO_BLK_S_OK);
    assert.equal(disk.bytes()[3 * 512 + 5], 35);
    c.ram.bytes.fill(0, DATA, DATA + 1024);
    const r = await request(c, VIRTIO_BLK_T_IN, 3, 1024);
    assert.equal(r.status, VIRTIO_BLK_S_OK);
    assert.equal(r.len, 1025);
    assert.equal(c.ram.bytes[DATA + 1023], (1023 * 7) & 0xff);
    const f = await request(c, VIRTIO_BLK_T_FLUSH, 0, 0);
    assert.equal(f.status, VIRTIO_BLK_S_OK);
    assert.equal(disk.flushes, 1);
    assert.equal(c.irq.level, true);
  });

  test('header, data and status in a single descriptor pair (no framing assumptions)', async () => {
    const c = blk();
    (c.disk as MemoryDiskImage).bytes()[512] = 0x77;
    const v = c.ram.view;
    v.setUint32(HDR, VIRTIO_BLK_T_IN, true);
    v.setUint32(HDR + 8, 1, true);
    c.drv.submit([
      { addr: HDR, len: 16 },
      { addr: DATA, len: 513, flags: VIRTQ_DESC_F_WRITE },
    ]);
    await c.backend.idle();
    assert.equal(c.ram.bytes[DATA], 0x77);
    assert.equal(c.ram.bytes[DATA + 512], VIRTIO_BLK_S_OK);
  });

  test('GET_ID returns the 20-byte serial', async () => {
    const c = blk();
    const r = await request(c, VIRTIO_BLK_T_GET_ID, 0, 20);
    assert.equal(r.status, VIRTIO_BLK_S_OK);
    const id = new TextDecoder().decode(c.ram.bytes.subarray(DATA, DATA + 19));
    assert.equal(id, 'GLAUNCH-SERIAL-0001');
    assert.equal(c.ram.bytes[DATA + 19], 0);
  });

  test('errors: out-of-range sector, odd length -> IOERR; unknown type -> UNSUPP', async () => {
    const c = blk();
    assert.equal((await request(c, VIRTIO_BLK_T_IN, 64, 512)).status, VIRTIO_BLK_S_IOERR);
    assert.equal((await request(c, VIRTIO_BLK_T_IN, 0, 100)).status, VIRTIO_BLK_S_IOERR);
    assert.equal((await request(c, 99, 0, 0)).status, VIRTIO_BLK_S_UNSUPP);
    assert.equal(c.dev.broken, false);
  });

  test('read-only media: RO feature offered, writes fail with IOERR and change nothing', async () => {
    const disk = new MemoryDiskImage(new Uint8Array(8 * 512).fill(9), { readOnly: true });
    const c = blk(disk);
    c.dev.write(R.DeviceFeaturesSel, 4, 0);
    assert.ok(c.dev.read(R.DeviceFeatures, 4) & (1 << VIRTIO_BLK_F_RO));
    c.ram.bytes.fill(1, DATA, DATA + 512);
    assert.equal((await request(c, VIRTIO_BLK_T_OUT, 0, 512)).status, VIRTIO_BLK_S_IOERR);
    assert.equal(disk.bytes()[0], 9);
    assert.equal((await request(c, VIRTIO_BLK_T_IN, 0, 512)).status, VIRTIO_BLK_S_OK);
  });

  test('disk I/O failure is reported as IOERR and logged', async () => {
    const disk = new MemoryDiskImage(new Uint8Array(4 * 512));
    disk.read = () => Promise.reject(new Error('medium error'));
    const c = blk(disk);
    assert.equal((await request(c, VIRTIO_BLK_T_IN, 0, 512)).status, VIRTIO_BLK_S_IOERR);
    assert.match(c.logs.join('\n'), /medium error/);
  });

  test('completion after a device reset is dropped (rings are gone)', async () => {
    let release = () => {};
    const disk = new MemoryDiskImage(new Uint8Array(4 * 512));
    disk.read = (_o, dst) => new Promise((res) => (release = () => (dst.fill(5), res())));
    const c = blk(disk);
    c.ram.view.setUint32(HDR, VIRTIO_BLK_T_IN, true);
    c.drv.submit([
      { addr: HDR, len: 16 },
      { addr: DATA, len: 512, flags: VIRTQ_DESC_F_WRITE },
      { addr: STATUS, len: 1, flags: VIRTQ_DESC_F_WRITE },
    ]);
    c.dev.write(R.Status, 4, 0);
    release();
    await c.backend.idle();
    assert.equal(c.ram.bytes[DATA], 0, 'no DMA after reset');
    assert.equal(c.drv.used().length, 0);
  });

  test('request without status byte or header marks the device broken', async () => {
    const c = blk();
    c.drv.submit([{ addr: HDR, len: 16 }]);
    await c.backend.idle();
    assert.ok(c.dev.read(R.Status, 4) & S_DEVICE_NEEDS_RESET);
    assert.match(c.logs.join('\n'), /status byte/);
  });

  test('status byte outside guest RAM marks the device broken on completion', async () => {
    const c = blk();
    c.ram.view.setUint32(HDR, VIRTIO_BLK_T_IN, true);
    c.drv.submit([
      { addr: HDR, len: 16 },
      { addr: DATA, len: 512, flags: VIRTQ_DESC_F_WRITE },
      { addr: 0x3fff_0000, len: 1, flags: VIRTQ_DESC_F_WRITE },
    ]);
    await c.backend.idle();
    assert.ok(c.dev.broken);
  });

  test('data in the wrong direction marks the device broken', async () => {
    for (const [type, flags] of [
      [VIRTIO_BLK_T_IN, 0],
      [VIRTIO_BLK_T_OUT, VIRTQ_DESC_F_WRITE],
      [VIRTIO_BLK_T_FLUSH, VIRTQ_DESC_F_WRITE],
    ]) {
      const c = blk();
      c.ram.view.setUint32(HDR, type, true);
      c.drv.submit([
        { addr: HDR, len: 16 },
        { addr: DATA, len: 512, flags },
        { addr: STATUS, len: 1, flags: VIRTQ_DESC_F_WRITE },
      ]);
      await c.backend.idle();
      assert.ok(c.dev.broken, `type ${type}`);
      assert.match(c.logs.join('\n'), /wrong direction/);
    }
  });

  test('event idx: avail_event is current while requests are in flight', async () => {
    let release = () => {};
    const disk = new MemoryDiskImage(new Uint8Array(4 * 512));
    disk.read = () => new Promise((res) => (release = res));
    const ram = new FakeRam();
    const backend = new VirtioBlk(disk);
    const dev = new VirtioMmio(backend, { mem: ram });
    const drv = new Driver(dev, ram);
    drv.init(1 << F_EVENT_IDX);
    ram.view.setUint32(HDR, VIRTIO_BLK_T_IN, true);
    drv.submit([
      { addr: HDR, len: 16 },
      { addr: DATA, len: 512, flags: VIRTQ_DESC_F_WRITE },
      { addr: STATUS, len: 1, flags: VIRTQ_DESC_F_WRITE },
    ]);
    // The driver decides whether to notify from avail_event before anything completes.
    assert.equal(ram.view.getUint16(USED + 4 + 8 * drv.qsize, true), 1);
    release();
    await backend.idle();
    assert.equal(drv.used().length, 1);
  });

  test('random queue memory and notifications never throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0x100, maxLength: 0x100 }),
        fc.uint8Array({ minLength: 0x40, maxLength: 0x40 }),
        fc.integer({ min: 1, max: 4 }),
        async (descs, avail, notifies) => {
          const c = blk();
          c.ram.bytes.set(descs, DESC);
          c.ram.bytes.set(avail, AVAIL);
          for (let i = 0; i < notifies; i++) c.dev.write(R.QueueNotify, 4, 0);
          await c.backend.idle();
          assert.ok(c.dev.read(R.Status, 4) >= 0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
