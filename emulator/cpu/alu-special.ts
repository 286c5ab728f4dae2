/**
 * Operations whose semantics are mostly in the executor (they touch tags, the data stack
 * or state registers); here only the value part, or a no-op placeholder so the compiler
 * sees them as implemented (opcodes.md §4).
 */
import type { Impl } from './operands';

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
};
