/**
 * Architectural exceptions (control-and-stacks.md §9). The CPU never lets a JS exception
 * escape: a faulting bundle stops `run()` with one of these, nothing of the bundle is
 * committed and `%ip` stays at the bundle address (the "simplest safe model" of §9).
 */

export const enum Exc {
  IllegalOpcode = 1,
  PrivAction = 2,
  IllegalOperand = 3,
  WindowBounds = 4,
  /** Data access to an unmapped or protected address. */
  DataPage = 5,
  /** Instruction fetch from an unmapped or non-executable address. */
  InstrPage = 6,
  AddrNotAligned = 7,
  Div = 8,
  FpException = 9,
  ArrayBounds = 10,
}

export const EXC_NAMES: Record<number, string> = {
  1: 'illegal opcode',
  2: 'privileged action',
  3: 'illegal operand',
  4: 'window bounds',
  5: 'data page fault',
  6: 'instruction page fault',
  7: 'address not aligned',
  8: 'division by zero',
  9: 'floating-point exception',
  10: 'array bounds',
};

/** Linux signal numbers for exceptions (Linux user mode, §9 table). */
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;

export function excSignal(e: Exc): number {
  switch (e) {
    case Exc.IllegalOpcode:
    case Exc.PrivAction:
    case Exc.IllegalOperand:
      return SIGILL;
    case Exc.AddrNotAligned:
      return SIGBUS;
    case Exc.Div:
    case Exc.FpException:
      return SIGFPE;
    default:
      return SIGSEGV;
  }
}

/** Thrown inside the executor only (caught in Cpu.step); carries the exception. */
export class GuestTrap {
  constructor(
    public exc: Exc,
    /** Faulting data address (page faults, alignment), else the bundle address. */
    public addr: number,
    public detail: string,
  ) {}
}
