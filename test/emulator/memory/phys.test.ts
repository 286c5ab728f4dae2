import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { MmioBus, PhysMemory, type MmioDevice } from '../../../emulator/memory';

describe('PhysMemory', () => {
  test('sparse zero-fill: reads do not allocate, writes do', () => {
    const m = new PhysMemory(2 ** 32);
    assert.equal(m.read32(0x1234_5000), 0);
    assert.equal(m.pagesResident, 0);
    m.write32(0x1000, 0xdeadbeef);
    assert.equal(m.read32(0x1000), 0xdeadbeef);
    assert.equal(m.pagesResident, 1);
    assert.equal(m.rssBytes, 4096);
  });
  test('8/16/64-bit and unaligned accesses, little endian', () => {
    const m = new PhysMemory(2 ** 32);
    m.write64(0x2ffc, 0x44332211, 0x88776655); // crosses a page boundary
    assert.equal(m.read8(0x2ffc), 0x11);
    assert.equal(m.read16(0x2ffd), 0x3322);
    assert.equal(m.read32(0x2ffe), 0x66554433);
    assert.equal(m.read64(0x2ffc), 0x44332211);
    assert.equal(m.hi, 0x88776655);
    assert.equal(m.pagesResident, 2);
  });
  test('outside RAM: reads 0, writes dropped, never throws', () => {
    const m = new PhysMemory(0x10000);
    m.write32(0x10000, 5);
    m.write8(-1, 5);
    m.write32(NaN, 5);
    assert.equal(m.read32(0x10000), 0);
    assert.equal(m.read32(Infinity), 0);
    assert.equal(m.inRam(0xffff), true);
    assert.equal(m.inRam(0x10000), false);
    assert.equal(m.pagesResident, 0);
  });
  test('page allocator tracks pages in use and reuses freed pages', () => {
    const m = new PhysMemory(0x10000, 8); // pages 8..15 allocatable
    const a = m.allocPage();
    const b = m.allocPage();
    assert.equal(a, 0x8000);
    assert.equal(b, 0x9000);
    assert.equal(m.pagesInUse, 2);
    m.write32(a, 7);
    assert.equal(m.freePage(a), true);
    assert.equal(m.freePage(a), false);
    assert.equal(m.pagesInUse, 1);
    const c = m.allocPage();
    assert.equal(c, a);
    assert.equal(m.read32(c), 0, 'reallocated page is zeroed');
    for (let i = 0; i < 6; i++) assert.notEqual(m.allocPage(), -1);
    assert.equal(m.allocPage(), -1);
    assert.deepEqual(m.snapshot(), {
      limit: 0x10000,
      pagesResident: 8,
      pagesInUse: 8,
      rssBytes: 8 * 4096,
    });
  });
});

describe('MmioBus', () => {
  const dev = (log: string[]): MmioDevice => ({
    read: (o, w) => o + w,
    write: (o, w, v) => void log.push(`${o}/${w}=${v}`),
  });
  test('routes by range with relative offsets; rejects overlaps', () => {
    const log: string[] = [];
    const bus = new MmioBus();
    assert.equal(bus.map(0xfee00000, 0x2000, dev(log), 'cepic'), true);
    assert.equal(bus.map(0xfec00000, 0x1000, dev(log), 'ioapic'), true);
    assert.equal(bus.map(0xfee01000, 0x10, dev(log)), false);
    assert.equal(bus.read(0xfee000b0, 4), 0xb4);
    assert.equal(bus.read(0xfee02000, 4), undefined);
    assert.equal(bus.write(0xfec00010, 4, 9), true);
    assert.deepEqual(log, ['16/4=9']);
    assert.equal(bus.find(0xfec00fff)?.name, 'ioapic');
    assert.equal(bus.unmap(0xfec00000), true);
    assert.equal(bus.find(0xfec00000), null);
    assert.deepEqual(bus.snapshot(), [{ base: 0xfee00000, size: 0x2000, name: 'cepic' }]);
  });
});

describe('MmioBus 64-bit accesses', () => {
  test('split low-half-first unless the device is native64', () => {
    const log: string[] = [];
    const split: MmioDevice & { name: string; size: number } = {
      name: 'split',
      size: 0x100,
      read: (o) => (o === 0 ? 0x11223344 : 0x55),
      write: (o, w, v) => void log.push(`${o}/${w}=${v.toString(16)}`),
    };
    const wide: MmioDevice = {
      native64: true,
      read: () => 2 ** 40,
      write: (o, w) => void log.push(`wide ${o}/${w}`),
    };
    const bus = new MmioBus();
    assert.equal(bus.mapDevice(0x1000, split), true);
    bus.map(0x2000, 0x10, wide);
    assert.equal(bus.read(0x1000, 8), 0x55 * 2 ** 32 + 0x11223344);
    bus.write(0x1000, 8, 0x1_0000_0002);
    bus.write(0x2000, 8, 5);
    assert.equal(bus.read(0x2000, 8), 2 ** 40);
    assert.deepEqual(log, ['0/4=2', '4/4=1', 'wide 0/8']);
  });
});

describe('PhysMemory page views and the last-page cache', () => {
  test('bytes, i32 and u16 views show the same page bytes', () => {
    const m = new PhysMemory(1 << 20);
    m.write32(0x100, 0x8765_4321);
    const p = m.pageAt(0x100, false)!;
    assert.equal(p.u16[0x100 >> 1], 0x4321);
    p.u16[0x102 >> 1] = 0xabcd;
    assert.equal(m.read32(0x100), 0xabcd_4321);
    assert.equal(p.bytes[0x103], 0xab);
    m.write64(0x108, 0xffff_fffe, 0x8000_0001);
    assert.equal(m.read64(0x108), 0xffff_fffe);
    assert.equal(m.hi, 0x8000_0001);
  });

  test('a discarded or freed page reads as zero right after a cached access', () => {
    const m = new PhysMemory(1 << 24, 0x800);
    m.write32(0x2000, 5);
    assert.equal(m.read32(0x2000), 5);
    m.discard(0x2000);
    assert.equal(m.read32(0x2000), 0);
    assert.equal(m.isBacked(0x2000), false);
    const a = m.allocPage();
    m.write32(a, 7);
    assert.equal(m.read32(a), 7);
    m.freePage(a);
    assert.equal(m.read32(a), 0);
    const b = m.allocPage();
    assert.equal(b, a, 'page reused from the free list');
    assert.equal(m.read32(b), 0, 'zeroed on reuse');
  });
});

describe('PhysMemory slabs', () => {
  test('pages of one slab share one buffer; a page dropped while its slab lives reads 0', () => {
    const m = new PhysMemory(2 ** 40);
    const a = m.allocPage();
    const b = m.allocPage();
    assert.equal(m.slabCount, 1);
    const pa = m.pageAt(a, false)!;
    const pb = m.pageAt(b, false)!;
    assert.equal(pa.bytes, pb.bytes, 'the views of the slab, shared by its pages');
    assert.equal(pa.i32, pb.i32);
    assert.equal(pa.u16, pb.u16);
    assert.equal(pb.off - pa.off, 4096);
    assert.equal(pa.bytes.length, 16384 * 4096);
    assert.equal(pa.i32.length, 16384 * 1024);
    assert.equal(pa.u16.length, 16384 * 2048);
    pa.i32[(pa.off >> 2) + 1] = 0x0bad_cafe;
    assert.equal(m.read32(a + 4), 0x0bad_cafe, 'page a is at its offset in the views');
    m.write32(a + 4092, 0x11223344);
    assert.equal(m.read32(b), 0, 'a write at the end of one page does not reach the next');
    m.write32(a, 7);
    assert.ok(m.freePage(a));
    assert.equal(m.slabCount, 1, 'b still lives in the slab');
    assert.equal(m.allocPage(), a);
    assert.equal(m.read32(a), 0, 'page zeroed when dropped inside a live slab');
    assert.equal(m.read32(a + 4092), 0);
  });

  test('the last page of a slab drops the slab (cold reset gives the memory back)', () => {
    const m = new PhysMemory(2 ** 40);
    const pages = [m.allocPage(), m.allocPage(), m.allocPage()];
    m.write32(0x5000, 1); // a guest page in another slab
    assert.equal(m.slabCount, 2);
    for (const p of pages) m.freePage(p);
    assert.equal(m.slabCount, 1);
    m.discard(0x5000);
    assert.equal(m.slabCount, 0);
    assert.equal(m.pagesResident, 0);
    assert.equal(m.read32(0x5000), 0);
  });
});
