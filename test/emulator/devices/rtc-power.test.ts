import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MmioBus, numberAccess, readWide } from '../../../emulator/devices/bus';
import {
  POWER_CMD,
  POWER_ID,
  POWER_ID_VALUE,
  POWER_KEY,
  POWER_LAST,
  PowerController,
} from '../../../emulator/devices/power';
import type { PowerCommand } from '../../../emulator/devices/power';
import {
  RTC_ID,
  RTC_ID_VALUE,
  RTC_SET_HI,
  RTC_SET_LO,
  RTC_TIME_HI,
  RTC_TIME_LO,
  RTC_TIME_NSEC,
  Rtc,
} from '../../../emulator/devices/rtc';
import { Uart16550 } from '../../../emulator/devices/uart16550';

describe('rtc', () => {
  test('seconds since the epoch from the clock, with nanoseconds', () => {
    const clock = { t: 1_700_000_000_123_000_000, nowNs: () => clock.t };
    const rtc = new Rtc(clock);
    assert.equal(rtc.read(RTC_ID, 4), RTC_ID_VALUE);
    assert.equal(rtc.read(RTC_TIME_LO, 4), 1_700_000_000);
    assert.equal(rtc.read(RTC_TIME_HI, 4), 0);
    const ns = rtc.read(RTC_TIME_NSEC, 4);
    assert.ok(Math.abs(ns - 123_000_000) < 1000, `nsec ${ns}`);
  });

  test('TIME_LO latches: a carry between the halves cannot tear the value', () => {
    const clock = { t: (2 ** 32 - 1) * 1e9, nowNs: () => clock.t };
    const rtc = new Rtc(clock);
    assert.equal(rtc.read(RTC_TIME_LO, 4), 0xffffffff);
    clock.t += 2e9; // seconds roll over into the high half
    assert.equal(rtc.read(RTC_TIME_HI, 4), 0, 'still the latched value');
    const { lo, hi } = readWide(rtc, RTC_TIME_LO, 8);
    assert.equal(hi * 2 ** 32 + lo, 2 ** 32 + 1);
  });

  test('guest sets the time as an offset; the clock keeps running', () => {
    const clock = { t: 1e18, nowNs: () => clock.t };
    const rtc = new Rtc(clock);
    rtc.write(RTC_SET_LO, 4, 1000);
    rtc.write(RTC_SET_HI, 4, 1);
    clock.t += 5e9;
    assert.equal(rtc.read(RTC_TIME_LO, 4), 1005);
    assert.equal(rtc.read(RTC_TIME_HI, 4), 1);
    rtc.reset();
    assert.equal(rtc.read(RTC_TIME_LO, 4), 1005, 'battery-backed across reset');
  });
});

describe('power controller', () => {
  test('keyed commands reach the callback; bad words are ignored and logged', () => {
    const got: PowerCommand[] = [];
    const logs: string[] = [];
    const p = new PowerController(
      (c) => got.push(c),
      (m) => logs.push(m),
    );
    assert.equal(p.read(POWER_ID, 4), POWER_ID_VALUE);
    p.write(POWER_CMD, 4, (POWER_KEY << 16) | 1);
    p.write(POWER_CMD, 4, (POWER_KEY << 16) | 2);
    p.write(POWER_CMD, 4, ((POWER_KEY << 16) | 3) >>> 0);
    assert.deepEqual(got, ['poweroff', 'reset', 'reboot']);
    assert.equal(p.read(POWER_LAST, 4), 3);
    p.write(POWER_CMD, 4, 1); // no key
    p.write(POWER_CMD, 4, (POWER_KEY << 16) | 9); // unknown command
    p.write(POWER_CMD, 2, (POWER_KEY << 16) | 1); // wrong width
    assert.equal(got.length, 3);
    assert.equal(logs.length, 2);
  });
});

describe('mmio bus', () => {
  test('routes by base, rejects overlaps, splits 8-byte accesses', () => {
    const bus = new MmioBus();
    const clock = { nowNs: () => 7e9 };
    bus.map(0x1000, new Rtc(clock));
    bus.map(0x2000, new Uart16550({ clock }));
    assert.throws(() => bus.map(0x1010, new Rtc(clock)), /overlaps/);
    assert.deepEqual(bus.read(0x1000, 8), { lo: 7, hi: 0 });
    assert.equal(bus.read(0x1100, 4), undefined);
    assert.equal(bus.write(0x2007, 1, 0x42), true);
    assert.deepEqual(bus.read(0x2007, 1), { lo: 0x42, hi: 0 });
    assert.equal(bus.write(0x9000, 4, 1), false);
  });

  test('numberAccess adapts to buses passing width 8 as one number', () => {
    const rtc = numberAccess(new Rtc({ nowNs: () => (2 ** 32 + 5) * 1e9 }));
    assert.equal(rtc.read(0, 8), 2 ** 32 + 5);
    assert.equal(rtc.read(0, 3), 0);
    const got: string[] = [];
    const p = numberAccess(new PowerController((c) => got.push(c)));
    p.write(POWER_CMD, 8, (POWER_KEY << 16) | 1);
    assert.deepEqual(got, ['poweroff']);
  });

  test('random accesses to rtc and power never throw', () => {
    const p = new PowerController(() => {});
    const r = new Rtc({ nowNs: () => 1.7e18 });
    fc.assert(
      fc.property(
        fc.integer({ min: -8, max: 0x40 }),
        fc.constantFrom(1, 2, 4) as fc.Arbitrary<1 | 2 | 4>,
        fc.integer({ min: 0, max: 0xffffffff }),
        (off, w, v) => {
          for (const d of [p, r]) {
            d.write(off, w, v);
            const x = d.read(off, w);
            assert.ok(x >= 0 && x <= 0xffffffff);
          }
        },
      ),
    );
  });
});
