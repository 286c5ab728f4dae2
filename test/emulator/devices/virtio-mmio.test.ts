import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LatchedIrq } from '../../../emulator/devices/bus';
import {
  F_EVENT_IDX,
  F_INDIRECT_DESC,
  INT_CONFIG_CHANGE,
  INT_USED_BUFFER,
  R,
  S_ACKNOWLEDGE,
  S_DEVICE_NEEDS_RESET,
  S_DRIVER,
  S_DRIVER_OK,
  S_FEATURES_OK,
  VIRTIO_MMIO_MAGIC,
  VirtioMmio,
} from '../../../emulator/devices/virtio/mmio';
import {
  VIRTQ_AVAIL_F_NO_INTERRUPT,
  VIRTQ_DESC_F_INDIRECT,
  VIRTQ_DESC_F_NEXT,
  VIRTQ_DESC_F_WRITE,
} from '../../../emulator/devices/virtio/queue';
import { VIRTIO_ID_ENTROPY, VirtioRng } from '../../../emulator/devices/virtio/rng';
import { AVAIL, DATA, DESC, Driver, FakeRam, USED } from './virtio-driver';

function rng() {
  const ram = new FakeRam();
  const irq = new LatchedIrq();
  const logs: string[] = [];
  let n = 0;
  const dev = new VirtioMmio(new VirtioRng((d) => d.fill(0xa0 + (n++ % 16))), {
    mem: ram,
    irq,
    log: (m) => logs.push(m),
  });
  return { ram, irq, logs, dev, drv: new Driver(dev, ram) };
}

describe('virtio-mmio transport', () => {
  test('identification registers', () => {
    const { dev } = rng();
    assert.equal(dev.read(R.MagicValue, 4), VIRTIO_MMIO_MAGIC);
    assert.equal(dev.read(R.Version, 4), 2);
    assert.equal(dev.read(R.DeviceID, 4), VIRTIO_ID_ENTROPY);
    assert.notEqual(dev.read(R.VendorID, 4), 0);
    assert.equal(dev.read(R.SHMLenLow, 4), 0xffffffff);
  });

  test('feature words through DeviceFeaturesSel; VERSION_1 in word 1', () => {
    const { dev } = rng();
    dev.write(R.DeviceFeaturesSel, 4, 0);
    const lo = dev.read(R.DeviceFeatures, 4);
    assert.ok(lo & (1 << F_INDIRECT_DESC) && lo & (1 << F_EVENT_IDX));
    dev.write(R.DeviceFeaturesSel, 4, 1);
    assert.equal(dev.read(R.DeviceFeatures, 4) & 1, 1);
    dev.write(R.DeviceFeaturesSel, 4, 7);
    assert.equal(dev.read(R.DeviceFeatures, 4), 0);
  });

  test('status handshake accepts VERSION_1, refuses without it or with unknown bits', () => {
    const { dev, drv } = rng();
    assert.equal(drv.init(), S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
    dev.write(R.Status, 4, 0);
    assert.equal(dev.read(R.Status, 4), 0, 'writing 0 resets');
    assert.equal(dev.read(R.QueueReady, 4), 0);
    const legacy = () => {
      dev.write(R.Status, 4, S_ACKNOWLEDGE | S_DRIVER);
      dev.write(R.Status, 4, S_ACKNOWLEDGE | S_DRIVER | S_FEATURES_OK);
      return dev.read(R.Status, 4) & S_FEATURES_OK;
    };
    assert.equal(legacy(), 0, 'no VERSION_1: FEATURES_OK stays clear');
    dev.write(R.Status, 4, 0);
    dev.write(R.DriverFeaturesSel, 4, 1);
    dev.write(R.DriverFeatures, 4, 1 | (1 << 20));
    assert.equal(legacy(), 0, 'unknown feature bit refused');
  });

  test('queue setup registers, QueueNumMax, ready; queue regs frozen while ready', () => {
    const { dev, drv } = rng();
    drv.init();
    assert.equal(dev.read(R.QueueNumMax, 4), 64);
    assert.equal(dev.read(R.QueueNum, 4), 16);
    assert.equal(dev.read(R.QueueDescLow, 4), DESC);
    assert.equal(dev.read(R.QueueDriverLow, 4), AVAIL);
    assert.equal(dev.read(R.QueueDeviceLow, 4), USED);
    assert.equal(dev.read(R.QueueReady, 4), 1);
    dev.write(R.QueueDescLow, 4, 0x5000);
    assert.equal(dev.read(R.QueueDescLow, 4), DESC);
    dev.write(R.QueueSel, 4, 1);
    assert.equal(dev.read(R.QueueNumMax, 4), 0, 'no second queue');
  });

  test('bad queue size marks the device broken', () => {
    const { dev, logs } = rng();
    dev.write(R.Status, 4, S_ACKNOWLEDGE | S_DRIVER);
    dev.write(R.QueueNum, 4, 12);
    dev.write(R.QueueReady, 4, 1);
    assert.ok(dev.read(R.Status, 4) & S_DEVICE_NEEDS_RESET);
    assert.match(logs.join('\n'), /power of 2/);
  });

  test('non-32-bit access to registers is ignored', () => {
    const { dev } = rng();
    assert.equal(dev.read(R.MagicValue, 2), 0);
    dev.write(R.Status, 1, S_ACKNOWLEDGE);
    assert.equal(dev.read(R.Status, 4), 0);
  });

  test('rng fills writable buffers; interrupt status and ack drive the line', () => {
    const { ram, irq, dev, drv } = rng();
    drv.init();
    drv.submit([
      { addr: DATA, len: 8, flags: VIRTQ_DESC_F_WRITE },
      { addr: DATA + 100, len: 4, flags: VIRTQ_DESC_F_WRITE },
    ]);
    assert.deepEqual(drv.used(), [{ id: 0, len: 12 }]);
    assert.deepEqual([...ram.bytes.subarray(DATA, DATA + 8)], Array(8).fill(0xa0));
    assert.deepEqual([...ram.bytes.subarray(DATA + 100, DATA + 104)], Array(4).fill(0xa0));
    assert.equal(dev.read(R.InterruptStatus, 4), INT_USED_BUFFER);
    assert.equal(irq.level, true);
    dev.write(R.InterruptACK, 4, INT_USED_BUFFER);
    assert.equal(irq.level, false);
    ram.view.setUint16(AVAIL, VIRTQ_AVAIL_F_NO_INTERRUPT, true);
    drv.submit([{ addr: DATA, len: 2, flags: VIRTQ_DESC_F_WRITE }]);
    assert.equal(drv.used().length, 1);
    assert.equal(irq.level, false, 'NO_INTERRUPT honoured');
  });

  test('indirect descriptors when negotiated', () => {
    const { ram, dev, drv } = rng();
    drv.init(1 << F_INDIRECT_DESC);
    const table = 0x6000;
    drv.writeDesc(table, 0, {
      addr: DATA,
      len: 3,
      flags: VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT,
      next: 1,
    });
    drv.writeDesc(table, 1, { addr: DATA + 8, len: 5, flags: VIRTQ_DESC_F_WRITE });
    drv.submit([{ addr: table, len: 32, flags: VIRTQ_DESC_F_INDIRECT }]);
    assert.deepEqual(drv.used(), [{ id: 0, len: 8 }]);
    assert.equal(ram.bytes[DATA + 12], 0xa0);
    assert.equal(dev.broken, false);
  });

  test('event idx: interrupt only when used_event is crossed; avail_event written', () => {
    const { ram, irq, dev, drv } = rng();
    drv.init(1 << F_EVENT_IDX);
    ram.view.setUint16(AVAIL + 4 + 2 * 16, 5, true); // used_event = 5
    drv.submit([{ addr: DATA, len: 1, flags: VIRTQ_DESC_F_WRITE }]);
    assert.equal(irq.level, false);
    assert.equal(ram.view.getUint16(USED + 4 + 8 * 16, true), 1, 'avail_event');
    ram.view.setUint16(AVAIL + 4 + 2 * 16, 1, true);
    drv.submit([{ addr: DATA, len: 1, flags: VIRTQ_DESC_F_WRITE }]);
    assert.equal(irq.level, true);
    assert.equal(dev.broken, false);
  });

  const malformed: [string, (drv: Driver) => void, RegExp][] = [
    [
      'loop',
      (drv) => {
        drv.writeDesc(DESC, 0, {
          addr: DATA,
          len: 4,
          flags: VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT,
          next: 1,
        });
        drv.writeDesc(DESC, 1, {
          addr: DATA,
          len: 4,
          flags: VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT,
          next: 0,
        });
        drv.publish(0);
      },
      /loops/,
    ],
    [
      'out-of-range buffer',
      (drv) => drv.submit([{ addr: 0x7fff_0000, len: 16, flags: VIRTQ_DESC_F_WRITE }]),
      /outside guest RAM/,
    ],
    [
      'next index outside the table',
      (drv) => {
        drv.writeDesc(DESC, 0, {
          addr: DATA,
          len: 4,
          flags: VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT,
          next: 99,
        });
        drv.publish(0);
      },
      /outside table/,
    ],
    [
      'indirect without the feature',
      (drv) => drv.submit([{ addr: 0x6000, len: 16, flags: VIRTQ_DESC_F_INDIRECT }]),
      /without VIRTIO_F_INDIRECT_DESC/,
    ],
    [
      'readable buffer for rng (wrong direction)',
      (drv) => drv.submit([{ addr: DATA, len: 4 }]),
      /device-readable/,
    ],
    [
      'readable after writable',
      (drv) =>
        drv.submit([
          { addr: DATA, len: 4, flags: VIRTQ_DESC_F_WRITE },
          { addr: DATA, len: 4 },
        ]),
      /after a device-writable/,
    ],
    [
      'avail index far ahead',
      (drv) => {
        drv.ram.view.setUint16(AVAIL + 2, 200, true);
        drv.w(R.QueueNotify, 0);
      },
      /ahead/,
    ],
    ['head index out of range', (drv) => drv.publish(40), /names descriptor 40/],
  ];
  for (const [what, act, why] of malformed) {
    test(`malformed chain (${what}) -> DEVICE_NEEDS_RESET, no throw`, () => {
      const { dev, drv, logs, irq } = rng();
      drv.init();
      assert.doesNotThrow(() => act(drv));
      assert.ok(dev.read(R.Status, 4) & S_DEVICE_NEEDS_RESET);
      assert.ok(dev.read(R.InterruptStatus, 4) & INT_CONFIG_CHANGE);
      assert.equal(irq.level, true);
      assert.match(logs.join('\n'), why);
      drv.w(R.QueueNotify, 0); // stays quiet until reset
      dev.write(R.Status, 4, 0);
      assert.equal(dev.read(R.Status, 4), 0, 'reset clears NEEDS_RESET');
    });
  }

  test('nested indirect table and indirect with NEXT are rejected', () => {
    for (const flags of [VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_INDIRECT]) {
      const { dev, drv } = rng();
      drv.init(1 << F_INDIRECT_DESC);
      drv.writeDesc(0x6000, 0, { addr: 0x6000, len: 16, flags });
      drv.submit([{ addr: 0x6000, len: 16, flags: VIRTQ_DESC_F_INDIRECT }]);
      assert.ok(dev.broken);
    }
    const { dev, drv, logs } = rng();
    drv.init(1 << F_INDIRECT_DESC);
    drv.writeDesc(DESC, 0, {
      addr: 0x6000,
      len: 16,
      flags: VIRTQ_DESC_F_INDIRECT | VIRTQ_DESC_F_NEXT,
      next: 1,
    });
    drv.publish(0);
    assert.ok(dev.broken);
    assert.match(logs.join('\n'), /NEXT/);
  });

  test('ring indices wrap at the queue size and at 2^16', () => {
    const ram = new FakeRam();
    const dev = new VirtioMmio(new VirtioRng((d) => d.fill(1)), { mem: ram });
    const drv = new Driver(dev, ram, 4);
    drv.init();
    let done = 0;
    for (let i = 0; i < 65536 + 10; i++) {
      drv.submit([{ addr: DATA, len: 1, flags: VIRTQ_DESC_F_WRITE }]);
      done += drv.used().length;
    }
    assert.equal(done, 65546);
    assert.equal(ram.view.getUint16(USED + 2, true), 10);
    assert.equal(dev.broken, false);
  });

  test('random descriptor tables inside RAM: never throw; broken or every chain used', () => {
    const desc = fc.record({
      addr: fc.integer({ min: 0, max: 0x40100 }),
      len: fc.integer({ min: 0, max: 0x3000 }),
      flags: fc.integer({ min: 0, max: 7 }),
      next: fc.integer({ min: 0, max: 20 }),
    });
    fc.assert(
      fc.property(
        fc.array(desc, { minLength: 16, maxLength: 16 }),
        fc.array(fc.integer({ min: 0, max: 17 }), { minLength: 1, maxLength: 16 }),
        fc.boolean(),
        (descs, heads, indirect) => {
          const { dev, drv } = rng();
          drv.init(indirect ? 1 << F_INDIRECT_DESC : 0);
          descs.forEach((d, i) => drv.writeDesc(DESC, i, d));
          for (const h of heads) drv.publish(h, false);
          assert.doesNotThrow(() => drv.w(R.QueueNotify, 0));
          if (!dev.broken) assert.equal(drv.used().length, heads.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('random MMIO reads/writes at random offsets never throw', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            write: fc.boolean(),
            off: fc.integer({ min: 0, max: 0x210 }),
            width: fc.constantFrom(1, 2, 4) as fc.Arbitrary<1 | 2 | 4>,
            value: fc.integer({ min: 0, max: 0xffffffff }),
            ram: fc.option(
              fc.tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 255 })),
            ),
          }),
          { maxLength: 300 },
        ),
        (ops) => {
          const { dev, ram } = rng();
          for (const op of ops) {
            if (op.ram) ram.bytes[0x1000 + op.ram[0]] = op.ram[1];
            if (op.write) dev.write(op.off, op.width, op.value);
            else {
              const v = dev.read(op.off, op.width);
              assert.ok(Number.isInteger(v) && v >= 0 && v <= 0xffffffff);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
