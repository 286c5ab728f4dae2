/**
 * The operand/result latch shared by the executor and the operation implementations:
 * before an operation runs the executor loads its sources (32-bit halves, no BigInt), the
 * implementation leaves its result in rLo/rHi (and rTag when it produces a tagged value).
 */
import type { Exc } from './exceptions';
import { GuestTrap } from './exceptions';

export class Latch {
  aLo = 0;
  aHi = 0;
  bLo = 0;
  bHi = 0;
  cLo = 0;
  cHi = 0;
  rLo = 0;
  rHi = 0;
  rTag = 0;
  /** High 64 bits of 128-bit operands/results (quad operations, v5+). */
  aXLo = 0;
  aXHi = 0;
  bXLo = 0;
  bXHi = 0;
  cXLo = 0;
  cXHi = 0;
  rXLo = 0;
  rXHi = 0;
  /** MRGC condition of the channel (merge and merge-type combined ops). */
  mrg = 0;
  /** The operation carries ,sm (speculative: faults give tagged results, §8). */
  sm = false;
  /** ISA level of the CPU (some semantics changed in v5, opcodes.md §2). */
  iset = 6;
  /** Bundle address, for exceptions. */
  ip = 0;

  /**
   * An operation-level fault (division by zero…): speculative → tagged zero result
   * (control-and-stacks.md §8), otherwise the architectural exception.
   */
  fault(exc: Exc, detail: string): void {
    if (!this.sm) throw new GuestTrap(exc, this.ip, detail);
    this.rLo = 0;
    this.rHi = 0;
    this.rTag = 5;
  }
}

export type Impl = (x: Latch) => void;
