/**
 * rrs/rrd/rws/rwd (opcodes.md §8, §9): reading and writing state registers from user code.
 * Writable from user mode (QEMU list): %upsr, %lsr, %ilcr, %pfpfr, %fpcr, %fpsr, %lsr1,
 * %ilcr1. Writes to other known registers are privileged; unknown numbers are illegal.
 */
import { Exc } from './exceptions';
import type { CpuState } from './state';

export const USER_WRITABLE = new Set([0x80, 0x83, 0x84, 0x85, 0x86, 0x87, 0xc3, 0xc7]);
const KNOWN = new Set([
  0x00, 0x01, 0x07, 0x09, 0x0b, 0x0d, 0x0f, 0x13, 0x15, 0x16, 0x17, 0x1e, 0x2c, 0x2d, 0x51, 0x53,
  0x55, 0x57, 0x80, 0x81, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x8a, 0x90, 0x92, 0xc3, 0xc7,
]);

export interface SysregOut {
  lo: number;
  hi: number;
}

/** Reads state register `num`; traps for unknown ones. `idr` is the model's IDR value. */
export function readSysreg(c: CpuState, num: number, idr: number, out: SysregOut): void {
  let lo = 0;
  let hi = 0;
  const top = c.chain.length ? c.chain[c.chain.length - 1] : null;
  switch (num) {
    case 0x00:
      lo = c.psr;
      break;
    case 0x01:
      lo = c.wdLo();
      hi = c.wdHi();
      break;
    case 0x07: // %psp.hi: index (bytes in use) | size << 32
      lo = (c.wdBase + c.wdSize) * 32;
      hi = c.psSize;
      break;
    case 0x09:
      lo = (c.psBase % 2 ** 32) | 0;
      hi = (Math.floor(c.psBase / 2 ** 32) & 0xffff) | (3 << 27);
      break;
    case 0x0b:
      lo = (c.wdBase + c.wdSize - c.spilled) * 32;
      break;
    case 0x0d:
      lo = c.chain.length * 32;
      hi = c.pcsSize;
      break;
    case 0x0f:
      lo = (c.pcsBase % 2 ** 32) | 0;
      hi = (Math.floor(c.pcsBase / 2 ** 32) & 0xffff) | (3 << 27);
      break;
    case 0x13:
      lo = c.chain.length * 32;
      break;
    case 0x15:
    case 0x16:
    case 0x17: {
      const n = num - 0x14;
      const t = c.ctprTarget[n];
      lo = (t % 2 ** 32) | 0;
      hi = (Math.floor(t / 2 ** 32) & 0xffff) | (c.ctprTag[n] << 22);
      break;
    }
    case 0x1e:
      lo = (c.sbr % 2 ** 32) | 0;
      hi = Math.floor(c.sbr / 2 ** 32);
      break;
    case 0x2c:
      hi = c.usdSize;
      break;
    case 0x2d:
      lo = (c.usdBase % 2 ** 32) | 0;
      hi = Math.floor(c.usdBase / 2 ** 32);
      break;
    case 0x51:
      if (top) {
        lo = (top.ret % 2 ** 32) | 0;
        hi = Math.floor(top.ret / 2 ** 32);
      }
      break;
    case 0x53:
      if (top) lo = top.preds;
      break;
    case 0x55:
      if (top)
        lo = (top.bOff / 2) | ((top.bSize ? top.bSize / 2 - 1 : 0) << 6) | ((top.bCur / 2) << 12);
      break;
    case 0x57:
      if (top) {
        lo = (top.wdFx << 25) | ((top.wdPsize / 2) << 26);
        hi = ((top.wdPsize / 2) >>> 6) | (top.wbs << 1);
      }
      break;
    case 0x80:
      lo = c.upsr;
      break;
    case 0x81:
      lo = (c.ip % 2 ** 32) | 0;
      hi = Math.floor(c.ip / 2 ** 32);
      break;
    case 0x83:
      lo = c.lsrLo();
      hi = c.lsrHi();
      break;
    case 0x84:
      lo = c.pfpfr;
      break;
    case 0x85:
      lo = c.fpcr;
      break;
    case 0x86:
      lo = c.fpsr;
      break;
    case 0x87:
      lo = c.ilcrLo;
      hi = c.ilcrHi;
      break;
    case 0x88:
      lo = c.brValue();
      break;
    case 0x8a:
      lo = idr;
      break;
    case 0x90:
    case 0x92:
      lo = (c.icount % 2 ** 32) | 0;
      hi = Math.floor(c.icount / 2 ** 32);
      break;
    case 0xc3: // %lsr1: 64-bit lcnt (v5+)
      lo = c.lcnt | 0;
      break;
    case 0xc7:
      lo = c.ilcrLo;
      break;
    default:
      c.trap(Exc.IllegalOpcode, c.ip, `read of unknown state register 0x${num.toString(16)}`);
  }
  out.lo = lo;
  out.hi = hi;
}

/** Checks at execute time that `num` may be written (before anything is committed). */
export function checkSysregWrite(c: CpuState, num: number): void {
  if (USER_WRITABLE.has(num)) return;
  if (KNOWN.has(num))
    c.trap(Exc.PrivAction, c.ip, `write of privileged state register 0x${num.toString(16)}`);
  c.trap(Exc.IllegalOpcode, c.ip, `write of unknown state register 0x${num.toString(16)}`);
}

export function writeSysreg(c: CpuState, num: number, lo: number, hi: number): void {
  switch (num) {
    case 0x80:
      c.upsr = lo;
      break;
    case 0x83:
      c.setLsr(lo, hi);
      break;
    case 0x84:
      c.pfpfr = lo;
      break;
    case 0x85:
      c.fpcr = lo;
      break;
    case 0x86:
      c.fpsr = lo;
      break;
    case 0x87:
    case 0xc7:
      c.ilcrLo = lo;
      c.ilcrHi = hi;
      break;
    case 0xc3:
      c.lcnt = lo >>> 0;
      break;
  }
}
