/**
 * Operations whose semantics are mostly in the executor (they touch tags, the data stack
 * or state registers); here only the value part, or a no-op placeholder so the compiler
 * sees them as implemented (opcodes.md §4).
 */
import type { Impl } from './operands';

/**
 * ibranchd/icalld (v6, opcodes.md appendix; QEMU gen_ibranchd/gen_icalld): the ALU channel
 * latches the target (src2) here and cpu.ts transfers to it after the commit when the SS
 * condition holds (the value is produced and consumed within one bundle, like FPS/X87S).
 * The docs do not say what the destination field means and QEMU implements only `%empty`;
 * `dst` chooses: 'link' (default, our reading) writes the address of the next bundle (the
 * return point, as a link register) to it, 'illegal' makes a non-empty dst an illegal
 * opcode as QEMU cannot execute it. Set before code is compiled.
 */
export const BRANCHD = { target: 0, dst: 'link' as 'link' | 'illegal' };

export const SPECIAL_OPS: Record<string, Impl> = {
  nop: () => {},
  movts: (x) => void ((x.rLo = x.bLo), (x.rHi = 0)),
  movtcs: (x) => void ((x.rLo = x.bLo), (x.rHi = 0)),
  movtd: (x) => void ((x.rLo = x.bLo), (x.rHi = x.bHi)),
  movtcd: (x) => void ((x.rLo = x.bLo), (x.rHi = x.bHi)),
  gettags: () => {},
  gettagd: () => {},
  puttags: (x) => void ((x.rLo = x.aLo), (x.rHi = 0)),
  puttagd: (x) => void ((x.rLo = x.aLo), (x.rHi = x.aHi)),
  getsp: () => {},
  rrs: () => {},
  rrd: () => {},
  rws: (x) => void ((x.rLo = x.bLo), (x.rHi = 0)),
  rwd: (x) => void ((x.rLo = x.bLo), (x.rHi = x.bHi)),
  merges: () => {},
  merged: () => {},
  // src1 = the next bundle's address (compile.ts), src2 = the target
  branchd: (x) => {
    BRANCHD.target = (x.bHi >>> 0) * 4294967296 + (x.bLo >>> 0);
    x.rLo = x.aLo;
    x.rHi = x.aHi;
  },
};
