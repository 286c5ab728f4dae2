// The board's devices at register level, reached the way the VMM reaches them: guest-physical
// addresses on the machine's MMIO bus; interrupts land in vCPU 0's virtual CEPIC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as B from '../../../emulator/machine/board';
import { MemoryDiskImage } from '../../../emulator/storage/disk-image';
import { R, S_DEVICE_NEEDS_RESET } from '../../../emulator/devices/virtio/mmio';
import { OUTPUT_CAP } from '../../../emulator/machine/serial';
import { BusDriver, blkHeader, makeMachine } from './helpers';

const U = B.uartBase(0);
const rd = (m: ReturnType<typeof makeMachine>['m'], a: number, w: 1 | 4 = 4): number =>
  m.devices.bus.read(a, w)!.lo;
const wr = (m: ReturnType<typeof makeMachine>['m'], a: number, v: number, w: 1 | 4 = 4): void =>
  void m.devices.bus.write(a, w, v);
const pending = (m: ReturnType<typeof makeMachine>['m'], v: number): boolean =>
  (((m.cepics[0].pmirr[v >>> 5] | m.cepics[0].postedPmirr[v >>> 5]) >>> (v & 31)) & 1) === 1;

test('UART 0: THR bytes reach the host serial stream; registers 4 bytes apart', () => {
  const { m } = makeMachine();
  for (const c of 'hi\n') wr(m, U, c.charCodeAt(0), 1);
  assert.equal(String.fromCharCode(...m.serial[0].drainOutput()), 'hi\n');
  assert.equal(m.serial[0].drainOutput().length, 0);
  wr(m, U + 7 * 4, 0x5a); // SCR
  assert.equal(rd(m, U + 7 * 4), 0x5a);
  assert.equal(rd(m, U + 5 * 4) & 0x60, 0x60, 'LSR THRE|TEMT');
  assert.equal(m.serial.length, 2);
  assert.equal(m.devices.bus.read(B.uartBase(2), 4), undefined, 'only configured UARTs exist');
});

test('UART input: flow control, FIFO feeding, RX interrupt → CEPIC vector 0x30, re-posted while high', () => {
  const { m } = makeMachine();
  wr(m, U + 2 * 4, 0x01); // FCR: FIFO on, trigger 1
  wr(m, U + 1 * 4, 0x01); // IER: RX data
  const big = new Uint8Array(5000).fill(0x41);
  const took = m.serial[0].input(big);
  assert.equal(took, 4096, 'host-side queue is bounded');
  assert.equal(m.serial[0].pendingInput, 4096 - 16, 'UART took one FIFO worth');
  assert.ok(pending(m, B.VEC_UART0), 'RX interrupt posted to vCPU 0');
  // The guest acknowledges the vector without draining: the line stays high, so after the
  // EOI the board posts it again (level semantics).
  const c = m.cepics[0];
  c.load();
  c.write(0x000, 4, 1 << 10); // CTRL.soft_en
  assert.equal(c.inta() & 0x3ff, B.VEC_UART0);
  m.devices.poll();
  assert.ok(!pending(m, B.VEC_UART0), 'not re-posted while in service');
  c.eoi(0);
  m.devices.poll();
  assert.ok(pending(m, B.VEC_UART0), 're-posted after EOI while the line is high');
  // Draining the FIFO pulls more from the host queue.
  let got = 0;
  for (let i = 0; i < 100; i++) {
    if (rd(m, U + 5 * 4) & 1) {
      rd(m, U);
      got++;
    }
  }
  assert.equal(got, 100);
  assert.equal(m.serial[0].pendingInput, 4096 - 100 - 16 + 0, 'refilled from the host queue');
});

test('virtio slots: blk in its slot, rng in slot 4, empty placeholders elsewhere', () => {
  const disk = new MemoryDiskImage(new Uint8Array(8192));
  const { m } = makeMachine(
    { disks: [{ slot: 'vdb', medium: 'disk', readOnly: false }] },
    { disks: { vdb: disk } },
  );
  const id = (k: number): number[] => [
    rd(m, B.virtioBase(k) + R.MagicValue),
    rd(m, B.virtioBase(k) + R.Version),
    rd(m, B.virtioBase(k) + R.DeviceID),
  ];
  assert.deepEqual(id(0), [0x74726976, 2, 0]);
  assert.deepEqual(id(1), [0x74726976, 2, 2]);
  assert.deepEqual(id(4), [0x74726976, 2, 4]);
  assert.deepEqual(id(7), [0x74726976, 2, 0]);
  assert.equal(rd(m, B.virtioBase(1) + R.Config), 16, 'capacity in sectors');
});

test('board information block', () => {
  const { m } = makeMachine(
    {
      memoryMiB: 3072,
      vcpus: 2,
      bootOrder: ['optical', 'disk'],
      disks: [
        { slot: 'vda', medium: 'disk', readOnly: false },
        { slot: 'vdc', medium: 'optical', readOnly: true },
      ],
    },
    {
      disks: {
        vda: new MemoryDiskImage(new Uint8Array(512)),
        vdc: new MemoryDiskImage(new Uint8Array(512), { readOnly: true }),
      },
    },
  );
  const I = B.BOARD_INFO_BASE;
  assert.equal(rd(m, I), 0x49424c47);
  assert.equal(rd(m, I + 4), 1);
  assert.equal(rd(m, I + 8), 0x8000_0000);
  assert.equal(rd(m, I + 0x14), 4);
  assert.equal(rd(m, I + 0x18), 0x4000_0000);
  assert.equal(rd(m, I + 0x20), 2);
  assert.equal(rd(m, I + 0x24), 2);
  assert.equal(rd(m, I + 0x28), 0x12, 'optical then disk');
  assert.equal(rd(m, I + 0x2c), 0x201, 'vda disk, vdc optical');
  assert.equal(rd(m, I + 0x30), 4, 'ROM bytes');
  assert.equal(rd(m, I + 0x34), 10_000_000);
  wr(m, I + 8, 0);
  assert.equal(rd(m, I + 8), 0x8000_0000, 'read-only');
});

test('virtio-blk through the bus: guest RAM buffers, async completion, interrupt on vector 0x40', async () => {
  const bytes = new Uint8Array(4096);
  bytes.set([0xde, 0xad, 0xbe, 0xef], 512);
  const disk = new MemoryDiskImage(bytes);
  const { m } = makeMachine(
    { disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] },
    { disks: { vda: disk } },
  );
  const d = new BusDriver(m, B.virtioBase(0));
  assert.equal(d.init() & 0x4f, 0x0f);
  const H = 0x30_0000,
    D = 0x30_1000,
    S = 0x30_2000;
  d.put(H, blkHeader(0, 1));
  d.submit([
    [H, 16, false],
    [D, 512, true],
    [S, 1, true],
  ]);
  assert.equal(d.usedEntries().length, 0, 'completes asynchronously');
  await m.devices.idle();
  assert.deepEqual(d.usedEntries(), [{ id: 0, len: 513 }]);
  assert.deepEqual([...d.get(D, 4)], [0xde, 0xad, 0xbe, 0xef]);
  assert.equal(d.get(S, 1)[0], 0);
  assert.ok(pending(m, B.VEC_VIRTIO0));
  assert.equal(m.stats().disks.vda.readBytes, 512);
});

test('malformed chains: buffer outside guest RAM (device window, ROM, beyond RAM) marks the device broken, logs why', async () => {
  for (const bad of [B.uartBase(0), B.ROM_BASE, 64 * B.MiB - 8, 0x7fff_f000]) {
    const disk = new MemoryDiskImage(new Uint8Array(4096));
    const logs: string[] = [];
    const { m } = makeMachine(
      { disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] },
      { disks: { vda: disk }, log: (s) => logs.push(s) },
    );
    const d = new BusDriver(m, B.virtioBase(0));
    d.init();
    d.put(0x30_0000, blkHeader(0, 0));
    d.submit([
      [0x30_0000, 16, false],
      [bad, 512, true],
      [0x30_2000, 1, true],
    ]);
    await m.devices.idle();
    assert.ok(d.r(R.Status) & S_DEVICE_NEEDS_RESET, `broken for 0x${bad.toString(16)}`);
    assert.ok(
      logs.some((l) => /vda: needs reset/.test(l)),
      logs.join('|'),
    );
    assert.equal(m.stats().counters['virtio0.broken'], 1);
    assert.equal(rd(m, B.uartBase(0) + 7 * 4), 0, 'nothing written into the device window');
    // the driver resets the device and it works again
    d.w(R.Status, 0);
    assert.equal(d.r(R.Status), 0);
  }
});

test('malformed chains: descriptor loop and out-of-range next never hang or throw', async () => {
  const { m } = makeMachine(
    { disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] },
    { disks: { vda: new MemoryDiskImage(new Uint8Array(4096)) } },
  );
  const d = new BusDriver(m, B.virtioBase(0));
  d.init();
  d.put(0x30_0000, blkHeader(0, 0));
  d.submit(
    [
      [0x30_0000, 16, false],
      [0x30_1000, 512, true],
    ],
    (k) => (k === 1 ? { next: 0, flags: 3 } : {}),
  );
  assert.ok(d.r(R.Status) & S_DEVICE_NEEDS_RESET);
  d.init();
  d.submit(
    [
      [0x30_0000, 16, false],
      [0x30_1000, 512, true],
    ],
    (k) => (k === 0 ? { next: 999 } : {}),
  );
  assert.ok(d.r(R.Status) & S_DEVICE_NEEDS_RESET);
});

test('RTC reads the host wall clock', () => {
  const { m } = makeMachine({}, { clock: { nowNs: () => 1_700_000_000.5e9 } });
  assert.equal(rd(m, B.RTC_BASE), 1_700_000_000);
  assert.equal(rd(m, B.RTC_BASE + 8), 500_000_000);
});

test('guest RAM for DMA: lazy, zero until written, bounded by the banks', () => {
  const { m } = makeMachine();
  const before = m.space.pagesMapped;
  const b = new Uint8Array(8).fill(7);
  assert.ok(m.ram.read(0x10_0000, b));
  assert.deepEqual([...b], [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(m.space.pagesMapped, before, 'reads do not populate');
  assert.ok(m.ram.write(0x1ffc, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)), 'across a page boundary');
  assert.equal(m.space.pagesMapped, before + 2);
  assert.ok(!m.ram.read(64 * B.MiB - 4, new Uint8Array(8)));
  assert.ok(!m.ram.write(B.ROM_BASE, new Uint8Array(1)), 'ROM is not DMA-writable');
});

test('random guest accesses across every device window never throw', async () => {
  const { m } = makeMachine(
    { serialPorts: 4, disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] },
    { disks: { vda: new MemoryDiskImage(new Uint8Array(64 * 1024)) }, log: () => {} },
  );
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const windows = B.mmioWindows(4).filter((w) => w.name !== 'cepic');
  for (let i = 0; i < 20000; i++) {
    const w = windows[rnd(windows.length)];
    const off = rnd(w.size + 16);
    const width = ([1, 2, 4, 8] as const)[rnd(4)];
    if (rnd(2)) m.devices.bus.read(w.base + off, width);
    else m.devices.bus.write(w.base + off, width, rnd(2 ** 32), rnd(4) ? 0 : rnd(2 ** 32));
    if (i % 1000 === 0) m.devices.poll();
  }
  await m.devices.idle();
  assert.ok(true);
});

test('serial output a host never drains is bounded (oldest dropped, counted)', () => {
  const { m } = makeMachine();
  const port = m.serial[0];
  const chunk = new Uint8Array(1 << 20);
  for (let i = 0; i < 10; i++) port.transmit(chunk.fill(i));
  assert.ok(port.pendingOutput <= OUTPUT_CAP);
  assert.equal(port.dropped + port.pendingOutput, 10 << 20);
  const out = port.drainOutput();
  assert.equal(out[0], 10 - out.length / (1 << 20), 'the newest output is kept');
  assert.equal(port.pendingOutput, 0);
});
