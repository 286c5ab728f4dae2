/**
 * Public entry of the bundle-level ISA layer (signatures fixed by ./bundle-api.ts).
 *
 * - `assembleBundle(ops, ctx)`: the operation texts of one bundle (binutils e2k syntax) →
 *   bytes + fixups, packed byte-for-byte like MCST gas. Errors are BundleError with gas's
 *   wording; operations outside `ctx.iset` are unknown instructions.
 * - `applyFixup(bytes, offset, fixup, value, pc)`: `offset` = bundle start in `bytes`,
 *   `value` = S + A (the fixup's addend included), `pc` = the bundle's address.
 * - `decodeBundle(bytes, offset, iset, out?)`: structured, total decode for the CPU: syllables
 *   (`layout`), ALU ops with their table entry, operands, CDS conditions, `illegal` reasons.
 * - `disassembleBundle(bytes, offset, address, iset)`: objdump's lines for one bundle.
 *
 * The ISA is described once as data: optable.ts (operations), sysreg-table.ts and
 * mmureg-table.ts (register names), layout.ts + fields.ts (syllable layout and bit fields).
 * optable.ts and the register tables are generated from the golden vectors by
 * gen/gen-optable.mjs.
 */
export * from './bundle-api';
export { assembleBundle } from './asm/assemble';
export { applyFixup } from './fixup';
export { disassembleBundle } from '../disasm';
export { decodeBundle, literalOf, newDecodedBundle } from './decode';
export type { DecodedBundle, DecodedAlu } from './decode';
export type { BundleLayout } from './layout';
export { OPS, lookupOp, opsByName } from './ops';
export type { OpEntry, OpKind } from './ops';
