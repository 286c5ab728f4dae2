/**
 * The contract between the bundle-level assembler/disassembler (emulator/isa, emulator/disasm)
 * and the file-level assembler, ELF writer and linker (emulator/asm, emulator/elf,
 * emulator/link). Both sides implement against these types; change them only together.
 */
import type { IsaLevel } from '../cpu/models';
export type { IsaLevel };

/** Result of evaluating an operand expression in the file-level assembler. */
export type ExprValue =
  | { kind: 'const'; value: bigint }
  /** Not known yet or not constant: symbol + addend (symbol '.' never appears here). */
  | { kind: 'symbol'; symbol: string; addend: bigint };

export interface BundleContext {
  /** ISA level being assembled (`-mcpu=elbrus-vN`). */
  iset: IsaLevel;
  /** Written inside `{ }` (false: a braceless single operation, which may get implicit parts). */
  braced: boolean;
  /** Address of this bundle inside its section ('.' evaluates to it). */
  pc: bigint;
  /** Evaluates an operand expression such as `0x10`, `label`, `. + 0x40`, `sym - 8`. Throws BundleError for syntax errors. */
  evaluate(expr: string): ExprValue;
}

/** ELF relocation types the bundle encoder can ask for (numbers from binutils include/elf/e2k.h). */
export const RELOC = {
  R_E2K_32_ABS: 0,
  R_E2K_64_ABS: 50,
  R_E2K_64_ABS_LIT: 51,
  R_E2K_DISP: 110,
} as const;
export type RelocName = keyof typeof RELOC;

export interface BundleFixup {
  /** Byte offset inside the bundle of the field to patch. */
  offset: number;
  type: RelocName;
  symbol: string;
  addend: bigint;
}

export interface AssembledBundle {
  bytes: Uint8Array;
  fixups: BundleFixup[];
  warnings: string[];
}

/** An error in one bundle; `message` is worded like binutils' (see vectors/errors.tsv). */
export class BundleError extends Error {
  constructor(
    message: string,
    /** 0-based column in the operation text, when known. */
    public readonly column?: number,
  ) {
    super(message);
    this.name = 'BundleError';
  }
}

/** One disassembled bundle. `length` bytes were consumed; `lines` are objdump's operation lines. */
export interface DisassembledBundle {
  length: number;
  lines: string[];
  /** true when the bytes are not a valid bundle (lines then hold `.word` lines with a comment). */
  invalid: boolean;
}

/**
 * Implemented in emulator/isa (index.ts):
 *   assembleBundle(ops: string[], ctx: BundleContext): AssembledBundle
 *     `ops` are the operation texts of one bundle, e.g. ['adds,0 %r1, %r2, %r3', 'ct %ctpr1'].
 *   applyFixup(bytes: Uint8Array, offset: number, fixup: BundleFixup, value: bigint, pc: bigint): void
 *     patches a resolved fixup (used by the assembler for local symbols and by the linker).
 *   disassembleBundle(bytes: Uint8Array, offset: number, address: bigint, iset: IsaLevel): DisassembledBundle
 */
export type AssembleBundleFn = (ops: string[], ctx: BundleContext) => AssembledBundle;
export type ApplyFixupFn = (
  bytes: Uint8Array,
  offset: number,
  fixup: BundleFixup,
  value: bigint,
  pc: bigint,
) => void;
export type DisassembleBundleFn = (
  bytes: Uint8Array,
  offset: number,
  address: bigint,
  iset: IsaLevel,
) => DisassembledBundle;
