/**
 * Public entry of the bundle-level ISA layer: encoder (`assembleBundle`), fixup patcher
 * (`applyFixup`), structured decoder (`decodeBundle`) and objdump-style disassembler
 * (`disassembleBundle`). Signatures are fixed by ./bundle-api.ts.
 */
import type { AssembledBundle, BundleContext, BundleFixup } from './bundle-api';
import { BundleError } from './bundle-api';

export * from './bundle-api';

export { assembleBundle } from './asm/assemble';

export function applyFixup(
  bytes: Uint8Array,
  offset: number,
  fixup: BundleFixup,
  value: bigint,
  pc: bigint,
): void {
  void bytes;
  void offset;
  void value;
  void pc;
  throw new BundleError(`relocation ${fixup.type} not supported yet`);
}

export { disassembleBundle } from '../disasm';
export { decodeBundle } from './decode';
export type { DecodedBundle, DecodedAlu } from './decode';
