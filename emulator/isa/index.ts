/**
 * Public entry of the bundle-level ISA layer: encoder (`assembleBundle`), fixup patcher
 * (`applyFixup`), structured decoder (`decodeBundle`) and objdump-style disassembler
 * (`disassembleBundle`). Signatures are fixed by ./bundle-api.ts.
 */
export * from './bundle-api';
export { assembleBundle } from './asm/assemble';
export { applyFixup } from './fixup';
export { disassembleBundle } from '../disasm';
export { decodeBundle } from './decode';
export type { DecodedBundle, DecodedAlu } from './decode';
