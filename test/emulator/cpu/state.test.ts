/** Unit tests of the state pieces: memory, window spill/fill, rotation, predicates, LSR. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Cpu } from '../../../emulator/cpu/cpu';
import { Memory, MemFault, PROT_READ, PROT_WRITE } from '../../../emulator/cpu/memory';
import { cpuModel } from '../../../emulator/cpu/models';
import { build, runElf } from './helpers';

function newCpu(): Cpu {
  const mem = new Memory();
  const c = new Cpu(mem, cpuModel('e8c2'));
  mem.map(0x100000000, 1 << 24, PROT_READ | PROT_WRITE);
  c.psBase = 0x100000000;
  c.psSize = 1 << 24;
  return c;
}

describe('memory', () => {
  test('little-endian accesses, faults carry the address', () => {
    const m = new Memory();
    m.map(0x1000, 0x2000, PROT_READ | PROT_WRITE);
    m.write64(0x1ffc, 0x44332211, 0x88776655 | 0); // crosses a page boundary
    assert.equal(m.read8(0x1ffc), 0x11);
    assert.equal(m.read32(0x2000), 0x88776655 | 0);
    assert.equal(m.read16(0x1ffe), 0x4433);
    assert.throws(
      () => m.read8(0x5000),
      (e: unknown) => e instanceof MemFault && e.addr === 0x5000 && e.reason === 'unmapped',
    );
    m.protect(0x1000, 0x1000, PROT_READ);
    assert.throws(
      () => m.write8(0x1000, 1),
      (e: unknown) => e instanceof MemFault && e.reason === 'protection',
    );
    m.unmap(0x1000, 0x1000);
    assert.equal(m.isMapped(0x1000), false);
    assert.equal(m.isMapped(0x2000), true);
  });

  test('large mappings are lazy', () => {
    const m = new Memory();
    m.map(0x10000000, 1 << 30, PROT_READ | PROT_WRITE);
    m.write8(0x10000000 + (1 << 29), 7);
    assert.equal(m.pages.size, 1);
  });
});

describe('register windows', () => {
  test('deep call chains spill to and fill from the procedure stack', () => {
    const c = newCpu();
    const depth = 100;
    for (let d = 0; d < depth; d++) {
      c.wdSize = 32;
      c.ensureResident(c.wdBase + 32);
      for (let i = 0; i < 32; i++) c.setWin(i, d * 1000 + i, d);
      c.procCall(8, 0x1000 + d * 8, 0);
    }
    assert.ok(c.spilled > 0, 'something was spilled');
    assert.ok(c.wdBase + c.wdSize - c.spilled <= 224);
    for (let d = depth - 1; d >= 0; d--) {
      c.procReturn();
      assert.equal(c.ip, 0x1000 + d * 8);
      assert.equal(c.wdSize, 32);
      // the callee had no window of its own beyond the shared 16 registers
      for (let i = 0; i < 16; i++) {
        assert.equal(c.winLo(i), d * 1000 + i);
        assert.equal(c.winHi(i), d);
      }
    }
    assert.equal(c.spilled, 0);
  });

  test('calls store CR0/CR1 frames in the chain stack memory', () => {
    const c = newCpu();
    c.mem.map(0x200000000, 0x10000, PROT_READ | PROT_WRITE);
    c.pcsBase = 0x200000000;
    c.pcsSize = 0x10000;
    c.wdSize = 16;
    c.preds = 5;
    c.procCall(4, 0x12340, 0);
    c.procCall(2, 0x56780, 0);
    assert.equal(c.mem.read32(0x200000000), 5); // CR0.lo: caller predicates
    assert.equal(c.mem.read32(0x200000008), 0x12340); // CR0.hi: return address
    assert.equal(c.mem.read32(0x200000028), 0x56780);
    assert.equal((c.mem.read32(0x200000034) >>> 1) & 0x7f, 2); // CR1.lo wbs of frame 1
  });

  test('a frame is written the same whether it lies in one page or not', () => {
    // 32-byte aligned frames take control.ts's one-page path, others four write64s
    const frameAt = (base: number): number[] => {
      const c = newCpu();
      c.mem.map(0x200000000, 0x10000, PROT_READ | PROT_WRITE);
      c.pcsBase = base;
      c.pcsSize = 0x1000;
      c.wdSize = 16;
      c.wdPsize = 6;
      c.preds = 0x1234;
      c.predTags = 2;
      c.bOff = 4;
      c.bSize = 8;
      c.bCur = 2;
      c.pSize = 3;
      c.pCur = 1;
      c.usdSize = 0x123450;
      c.psr = 0x33;
      c.procCall(4, 0x1_2345_6780, 0);
      return Array.from({ length: 8 }, (_, k) => c.mem.read32(base + 4 * k));
    };
    const aligned = frameAt(0x200000fe0);
    assert.deepEqual(frameAt(0x200000ff0), aligned, 'a frame across two pages');
    assert.equal(aligned[2], 0x2345_6780);
    assert.equal(aligned[3], 1);
  });

  test('based registers rotate, %b[i] maps into the window', () => {
    const c = newCpu();
    c.wdSize = 32;
    c.bOff = 8;
    c.bSize = 8;
    c.bCur = 0;
    assert.equal(c.physReg(0x00, 32), 8);
    assert.equal(c.physReg(0x07, 32), 15);
    c.bCur = 6; // after one abn: old %b[0] is %b[2]
    assert.equal(c.physReg(0x02, 32), 8);
    assert.throws(() => c.physReg(0x08, 32)); // outside the based area
    assert.throws(() => c.physReg(0x80 + 40, 32)); // outside the window
    assert.equal(c.physReg(0xe5, 32), 224 + 5); // %g5
  });

  test('rotating predicates', () => {
    const c = newCpu();
    c.pSize = 4;
    c.pCur = 0;
    c.preds = 1; // physical pred 0
    assert.equal(c.getPred(0), 1);
    c.pCur = 3; // after abp: old %pred0 reads as %pred1
    assert.equal(c.getPred(1), 1);
    assert.equal(c.getPred(0), 0);
    c.preds = 1 << 10;
    assert.equal(c.getPred(10), 1); // outside the rotating area: unrotated
  });

  test('LSR layout round-trips', () => {
    const c = newCpu();
    c.setLsr(5, 2 | (1 << 5) | (3 << 16) | (4 << 21));
    assert.equal(c.lcnt, 5);
    assert.equal(c.ecnt, 2);
    assert.equal(c.vlc, 1);
    assert.equal(c.pcnt, 3);
    assert.equal(c.strmd, 4);
    assert.equal(c.lsrLo(), 5);
    assert.equal(c.lsrHi(), 2 | (1 << 5) | (3 << 16) | (4 << 21));
  });
});

describe('loop counters (control-and-stacks.md §7, test lsr/lsr-1.S table)', () => {
  const table: [number, number, number, number][] = [
    [0, 0, 0, 1],
    [1, 0, 0, 1],
    [2, 0, 0, 2],
    [3, 0, 0, 3],
    [8, 4, 0, 8],
    [2, 8, 0, 2],
    [8, 4, 2, 10],
    [0, 4, 8, 9],
  ];
  for (const [lcnt, pcnt, ecnt, iters] of table) {
    test(`lcnt=${lcnt} pcnt=${pcnt} ecnt=${ecnt} → ${iters} iterations`, () => {
      const lsr = `(${pcnt} << 48) | (1 << 37) | (${ecnt} << 32) | ${lcnt}`;
      const exe = build(`
    .text
    .global _start
_start:
    {
        setwd wsz=8, nfx=1
        rwd,0 ${lsr}, %lsr
        addd,1 0, 0, %r0
        disp %ctpr1, .Lbody
    }
.Lbody:
    {
        addd,0 %r0, 1, %r0
        alc alcf=1, alct=1
        ct %ctpr1 ? #NOT_LOOP_END
    }
    {
        addd,0 0, 1, %r8
        addd,1 %r0, 0, %r9
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
`);
      assert.equal(runElf(exe).code, iters);
    });
  }
});
