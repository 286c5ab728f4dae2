/**
 * Signal state and delivery (control-and-stacks.md §10.3 last paragraph, QEMU model):
 * a handler is entered as a procedure called above the interrupted window, with %r0 = signal
 * number, %r1 = siginfo*, %r2 = ucontext*; its return address is a magic non-executable
 * address, so `return %ctpr3; ct %ctpr3` lands there and the runner performs sigreturn
 * (as does an explicit rt_sigreturn). The interrupted state is kept runner-side.
 */
import type { Cpu } from '../cpu/cpu';
import { RF_SIZE } from '../cpu/state';

/** Where signal handlers "return" to: fetching from it means sigreturn. */
export const SIGRETURN_ADDR = 0x7ffffffff000;

export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SA_SIGINFO = 4;
export const SA_NODEFER = 0x40000000;
export const SA_ONSTACK = 0x08000000;
export const SS_DISABLE = 2;
export const SA_RESETHAND = 0x80000000;

export const SIGNAL_NAMES: Record<number, string> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  5: 'SIGTRAP',
  6: 'SIGABRT',
  7: 'SIGBUS',
  8: 'SIGFPE',
  9: 'SIGKILL',
  10: 'SIGUSR1',
  11: 'SIGSEGV',
  12: 'SIGUSR2',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
  17: 'SIGCHLD',
};

/** Signals whose default action is to ignore. */
export const DEFAULT_IGNORED = new Set([17, 23, 28]);

export interface SigAction {
  handler: number;
  flags: number;
  restorer: number;
  /** Blocked mask (signals 1..32 as bits 0..31; higher ones ignored). */
  mask: number;
}

/** Saved interrupted state (what Linux keeps in the signal frame). */
export interface SigFrame {
  signo: number;
  ip: number;
  wdBase: number;
  wdSize: number;
  wdPsize: number;
  wdFx: number;
  wdDbl: number;
  bOff: number;
  bSize: number;
  bCur: number;
  pSize: number;
  pCur: number;
  preds: number;
  predTags: number;
  ctprTarget: Float64Array;
  ctprTag: Uint8Array;
  lsr: [number, number];
  usdBase: number;
  usdSize: number;
  chainLen: number;
  sigmask: number;
  /** The interrupted window's registers, so a handler that changes them cannot leak. */
  regs: { lo: Int32Array; hi: Int32Array; tag: Uint8Array };
}

export function saveFrame(c: Cpu, signo: number, sigmask: number): SigFrame {
  const n = c.wdSize;
  const regs = { lo: new Int32Array(n), hi: new Int32Array(n), tag: new Uint8Array(n) };
  for (let i = 0; i < n; i++) {
    const p = (c.wdBase + i) % RF_SIZE;
    regs.lo[i] = c.lo[p];
    regs.hi[i] = c.hi[p];
    regs.tag[i] = c.tag[p];
  }
  return {
    signo,
    ip: c.ip,
    wdBase: c.wdBase,
    wdSize: c.wdSize,
    wdPsize: c.wdPsize,
    wdFx: c.wdFx,
    wdDbl: c.wdDbl,
    bOff: c.bOff,
    bSize: c.bSize,
    bCur: c.bCur,
    pSize: c.pSize,
    pCur: c.pCur,
    preds: c.preds,
    predTags: c.predTags,
    ctprTarget: c.ctprTarget.slice(),
    ctprTag: c.ctprTag.slice(),
    lsr: [c.lsrLo(), c.lsrHi()],
    usdBase: c.usdBase,
    usdSize: c.usdSize,
    chainLen: c.chain.length,
    sigmask,
    regs,
  };
}

export function restoreFrame(c: Cpu, f: SigFrame): void {
  c.chain.length = Math.min(c.chain.length, f.chainLen);
  c.fillDown(f.wdBase);
  c.wdBase = f.wdBase;
  c.wdSize = f.wdSize;
  c.wdPsize = f.wdPsize;
  c.wdFx = f.wdFx;
  c.wdDbl = f.wdDbl;
  c.ensureResident(f.wdBase + f.wdSize);
  for (let i = 0; i < f.wdSize; i++) {
    const p = (f.wdBase + i) % RF_SIZE;
    c.lo[p] = f.regs.lo[i];
    c.hi[p] = f.regs.hi[i];
    c.tag[p] = f.regs.tag[i];
  }
  c.bOff = f.bOff;
  c.bSize = f.bSize;
  c.bCur = f.bCur;
  c.pSize = f.pSize;
  c.pCur = f.pCur;
  c.preds = f.preds;
  c.predTags = f.predTags;
  c.ctprTarget.set(f.ctprTarget);
  c.ctprTag.set(f.ctprTag);
  c.setLsr(f.lsr[0], f.lsr[1]);
  c.usdBase = f.usdBase;
  c.usdSize = f.usdSize;
  c.ip = f.ip;
}

/**
 * Enters `handler` as a procedure above the current window (whose registers stay intact),
 * returning to SIGRETURN_ADDR; window of 8 registers, %r0..%r2 = signo, siginfo, ucontext.
 */
export function enterHandler(
  c: Cpu,
  handler: number,
  signo: number,
  info: number,
  uc: number,
): void {
  const wbs = c.wdSize / 2;
  c.procCall(wbs, SIGRETURN_ADDR, c.ip);
  c.wdSize = 8;
  c.wdPsize = 8;
  c.ensureResident(c.wdBase + 8);
  c.bSize = c.bOff = c.bCur = 0;
  c.pSize = c.pCur = 0;
  c.setWin(0, signo, 0);
  c.setWin(1, (info % 2 ** 32) | 0, Math.floor(info / 2 ** 32));
  c.setWin(2, (uc % 2 ** 32) | 0, Math.floor(uc / 2 ** 32));
  for (let i = 3; i < 8; i++) c.setWin(i, 0, 0);
  c.ip = handler;
}
