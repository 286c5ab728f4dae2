import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LatchedIrq } from '../../../emulator/devices/bus';
import {
  IER_MS,
  IER_RDA,
  IER_RLS,
  IER_THRE,
  IIR_MS,
  IIR_NONE,
  IIR_RDA,
  IIR_RLS,
  IIR_THRE,
  IIR_TIMEOUT,
  LSR_BI,
  LSR_DR,
  LSR_FIFO_ERR,
  LSR_OE,
  LSR_TEMT,
  LSR_THRE,
  MCR_DTR,
  MCR_LOOP,
  MCR_OUT2,
  MCR_RTS,
  Uart16550,
} from '../../../emulator/devices/uart16550';

const RBR = 0,
  IER = 1,
  IIR = 2,
  FCR = 2,
  LCR = 3,
  MCR = 4,
  LSR = 5,
  MSR = 6,
  SCR = 7;

function make(shift: 0 | 2 = 0) {
  const clock = { t: 0, nowNs: () => clock.t };
  const irq = new LatchedIrq();
  const tx: number[] = [];
  let space = 0;
  const u = new Uart16550({
    clock,
    irq,
    regShift: shift,
    onTransmit: (b) => tx.push(...b),
    onRxSpace: () => space++,
  });
  const rd = (r: number) => u.read(r << shift, 1);
  const wr = (r: number, v: number) => u.write(r << shift, 1, v);
  return { u, clock, irq, tx, rd, wr, spaces: () => space };
}
const iirId = (v: number) => v & 0x0f;

describe('uart16550', () => {
  test('reset state: LSR THRE|TEMT, IIR no interrupt, FIFOs off', () => {
    const { rd, irq } = make();
    assert.equal(rd(LSR), LSR_THRE | LSR_TEMT);
    assert.equal(rd(IIR), IIR_NONE);
    assert.equal(rd(IER), 0);
    assert.equal(irq.level, false);
  });

  test('transmit reaches the host; THR write keeps THRE/TEMT (infinitely fast wire)', () => {
    const { rd, wr, tx } = make();
    for (const c of 'hi!') wr(RBR, c.charCodeAt(0));
    assert.deepEqual(tx, [0x68, 0x69, 0x21]);
    assert.equal(rd(LSR) & (LSR_THRE | LSR_TEMT), LSR_THRE | LSR_TEMT);
  });

  test('divisor latch: DLAB redirects offsets 0/1, IER and RBR untouched', () => {
    const { rd, wr, tx } = make();
    wr(IER, 0x05);
    wr(LCR, 0x83);
    wr(0, 0x0c);
    wr(1, 0x01);
    assert.equal(rd(0), 0x0c);
    assert.equal(rd(1), 0x01);
    assert.equal(tx.length, 0, 'DLL write must not transmit');
    wr(LCR, 0x03);
    assert.equal(rd(IER), 0x05);
    assert.equal(rd(LCR), 0x03);
    wr(LCR, 0x80);
    assert.equal(rd(0) | (rd(1) << 8), 0x010c);
  });

  test('scratch register and 4-byte register stride', () => {
    const { rd, wr, u } = make(2);
    assert.equal(u.size, 32);
    wr(SCR, 0xa5);
    assert.equal(rd(SCR), 0xa5);
    assert.equal(u.read(1, 1), 0, 'unaligned offset reads 0');
  });

  test('RX FIFO fills to 16 with back-pressure, drains in order, DR tracks it', () => {
    const { u, rd, wr, spaces } = make();
    wr(FCR, 0x07);
    const data = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
    assert.equal(u.receive(data), 16);
    assert.equal(u.receive(data.subarray(16)), 0);
    assert.equal(rd(LSR) & LSR_OE, 0, 'back-pressure, not overrun');
    const got: number[] = [];
    got.push(rd(RBR));
    assert.equal(spaces(), 1, 'host told about free space');
    assert.equal(u.receive(data.subarray(16)), 1);
    while (rd(LSR) & LSR_DR) got.push(rd(RBR));
    assert.deepEqual(got, [...Array.from({ length: 17 }, (_, i) => i + 1)]);
    assert.equal(rd(RBR), 0, 'empty RBR reads 0');
  });

  test('non-FIFO (16450) mode holds one byte', () => {
    const { u, rd } = make();
    assert.equal(u.receive(Uint8Array.of(1, 2)), 1);
    assert.equal(rd(IIR) & 0xc0, 0, 'IIR FIFO bits clear');
    assert.equal(rd(RBR), 1);
    assert.equal(u.receive(Uint8Array.of(2)), 1);
  });

  test('FCR: enabling shows IIR bits 7:6, clear-RX empties, toggling FCR0 clears', () => {
    const { u, rd, wr } = make();
    wr(FCR, 0x01);
    assert.equal(rd(IIR) & 0xc0, 0xc0);
    u.receive(Uint8Array.of(1, 2, 3));
    wr(FCR, 0x03);
    assert.equal(rd(LSR) & LSR_DR, 0);
    u.receive(Uint8Array.of(1, 2, 3));
    wr(FCR, 0x00);
    assert.equal(rd(LSR) & LSR_DR, 0);
    wr(FCR, 0x06); // FCR0 = 0: other bits are not programmed
    assert.equal(rd(IIR) & 0xc0, 0);
  });

  for (const [bits, level] of [
    [0x00, 1],
    [0x40, 4],
    [0x80, 8],
    [0xc0, 14],
  ] as const) {
    test(`trigger level ${level}: RDA only at the level, timeout below it`, () => {
      const { u, rd, wr, irq, clock } = make();
      wr(FCR, 0x01 | bits);
      wr(IER, IER_RDA);
      if (level > 1) {
        u.receive(new Uint8Array(level - 1));
        assert.equal(iirId(rd(IIR)), IIR_NONE);
        assert.equal(irq.level, false);
        clock.t += 4 * 86_806 + 1; // 4 characters at 115200 baud (divisor 1)
        u.poll();
        assert.equal(irq.level, true, 'character timeout raises the line');
        assert.equal(iirId(rd(IIR)), IIR_TIMEOUT);
        rd(RBR); // reading RBR clears the timeout and restarts its timer
        assert.equal(iirId(rd(IIR)), IIR_NONE);
        wr(FCR, 0x03 | bits);
      }
      u.receive(new Uint8Array(level));
      assert.equal(iirId(rd(IIR)), IIR_RDA);
      assert.equal(irq.level, true);
      rd(RBR); // below the trigger again
      assert.notEqual(iirId(rd(IIR)), IIR_RDA);
    });
  }

  test('THRE interrupt: set by enabling ETBEI, cleared by IIR read and by THR write', () => {
    const { rd, wr, irq } = make();
    wr(IER, IER_THRE);
    assert.equal(irq.level, true);
    assert.equal(iirId(rd(IIR)), IIR_THRE);
    assert.equal(irq.level, false, 'IIR read cleared THRE');
    assert.equal(iirId(rd(IIR)), IIR_NONE);
    wr(RBR, 0x41); // THR empties again at once, so THRE is pending again
    assert.equal(iirId(rd(IIR)), IIR_THRE);
    wr(IER, 0);
    assert.equal(irq.level, false);
  });

  test('priorities: line status > RX data > THRE > modem status; clearing rules', () => {
    const { u, rd, wr, irq } = make();
    wr(FCR, 0x01);
    wr(MCR, MCR_LOOP);
    for (let i = 0; i < 17; i++) wr(RBR, i); // 17th byte overruns the looped-back FIFO
    wr(MCR, MCR_LOOP | MCR_DTR); // DSR changes: modem status pending
    wr(IER, IER_RDA | IER_THRE | IER_RLS | IER_MS);
    assert.equal(iirId(rd(IIR)), IIR_RLS);
    assert.equal(rd(LSR) & LSR_OE, LSR_OE, 'OE reported');
    assert.equal(rd(LSR) & LSR_OE, 0, 'LSR read cleared OE');
    assert.equal(iirId(rd(IIR)), IIR_RDA);
    while (rd(LSR) & LSR_DR) rd(RBR);
    assert.equal(iirId(rd(IIR)), IIR_THRE);
    assert.equal(iirId(rd(IIR)), IIR_MS, 'THRE cleared by the previous IIR read');
    assert.equal(rd(MSR) & 0x02, 0x02, 'DDSR');
    assert.equal(iirId(rd(IIR)), IIR_NONE);
    assert.equal(irq.level, false);
    assert.equal(u.receive(Uint8Array.of(1)), 0, 'loopback disconnects the serial input');
  });

  test('loopback: TX returns to RX, not to the host; MSR mirrors MCR', () => {
    const { rd, wr, tx } = make();
    wr(MCR, MCR_LOOP | MCR_RTS | MCR_OUT2);
    wr(RBR, 0x5a);
    assert.equal(tx.length, 0);
    assert.equal(rd(LSR) & LSR_DR, LSR_DR);
    assert.equal(rd(RBR), 0x5a);
    const msr = rd(MSR);
    assert.equal(msr & 0xf0, 0x90, 'CTS (RTS) and DCD (OUT2)');
    wr(MCR, MCR_LOOP | MCR_DTR);
    assert.equal(rd(MSR), 0x20 | 0x01 | 0x02 | 0x08, 'DSR with DCTS, DDSR, DDCD deltas');
    assert.equal(rd(MSR), 0x20, 'deltas clear on read');
  });

  test('16450 mode loopback overrun overwrites RBR', () => {
    const { rd, wr } = make();
    wr(MCR, MCR_LOOP);
    wr(RBR, 1);
    wr(RBR, 2);
    assert.equal(rd(LSR) & LSR_OE, LSR_OE);
    assert.equal(rd(RBR), 2);
  });

  test('modem inputs from the host raise modem status interrupts', () => {
    const { u, rd, wr, irq } = make();
    wr(IER, IER_MS);
    u.setModemInputs({ cts: true, dsr: false, ri: true, dcd: false });
    assert.equal(iirId(rd(IIR)), IIR_MS);
    assert.equal(rd(MSR), 0x50 | 0x01);
    u.setModemInputs({ cts: true, dsr: false, ri: false, dcd: false });
    assert.equal(rd(MSR) & 0x04, 0x04, 'TERI on the trailing edge of RI');
    assert.equal(irq.level, false);
  });

  test('break: BI reported with its character at the FIFO top; LSR bit 7 while queued', () => {
    const { u, rd, wr } = make();
    wr(FCR, 0x01);
    wr(IER, IER_RLS | IER_RDA);
    u.receive(Uint8Array.of(0x41));
    assert.equal(u.receiveBreak(), true);
    assert.equal(iirId(rd(IIR)), IIR_RDA, 'the break is not at the top yet');
    assert.equal(rd(LSR), LSR_DR | LSR_THRE | LSR_TEMT | LSR_FIFO_ERR);
    assert.equal(rd(RBR), 0x41);
    assert.equal(iirId(rd(IIR)), IIR_RLS);
    assert.equal(rd(LSR), LSR_DR | LSR_BI | LSR_THRE | LSR_TEMT);
    assert.equal(rd(LSR) & (LSR_BI | LSR_FIFO_ERR), 0, 'cleared by the read');
    assert.equal(rd(RBR), 0, 'break character is zero');
  });

  test('host turned away in loopback hears onRxSpace when loopback ends', () => {
    const { u, wr, spaces } = make();
    wr(MCR, MCR_LOOP);
    assert.equal(u.receive(Uint8Array.of(1)), 0);
    assert.equal(spaces(), 0);
    wr(MCR, 0);
    assert.equal(spaces(), 1);
    assert.equal(u.receive(Uint8Array.of(1)), 1);
  });

  test('random register traffic never throws and keeps invariants', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('r', 'w', 'rx', 'tick'),
            fc.integer({ min: -4, max: 12 }),
            fc.integer({ min: 0, max: 0xffffffff }),
          ),
          { maxLength: 200 },
        ),
        (ops) => {
          const { u, clock } = make();
          for (const [k, off, v] of ops) {
            if (k === 'r') assert.ok(u.read(off, 1) <= 0xff);
            else if (k === 'w') u.write(off, 1, v);
            else if (k === 'rx') assert.ok(u.receive(new Uint8Array(v % 40)) <= 16);
            else clock.t += v;
            assert.ok(u.rxFree() >= 0);
          }
        },
      ),
    );
  });
});
