/**
 * Public entry of the bundle-level ISA layer: encoder (`assembleBundle`), fixup patcher
 * (`applyFixup`), structured decoder (`decodeBundle`) and objdump-style disassembler
 * (`disassembleBundle`). Signatures are fixed by ./bundle-api.ts.
 */
import type {
  AssembledBundle,
  BundleContext,
  BundleFixup,
  DisassembledBundle,
  IsaLevel,
} from './bundle-api';
import { BundleError } from './bundle-api';

export * from './bundle-api';

export function assembleBundle(ops: string[], ctx: BundleContext): AssembledBundle {
  void ctx;
  if (ops.length === 0 || (ops.length === 1 && /^\s*nop\s*$/.test(ops[0]))) {
    return { bytes: new Uint8Array(8), fixups: [], warnings: [] };
  }
  throw new BundleError(`unsupported operation: ${ops[0]}`);
}

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

export function disassembleBundle(
  bytes: Uint8Array,
  offset: number,
  address: bigint,
  iset: IsaLevel,
): DisassembledBundle {
  void address;
  void iset;
  const lines: string[] = [];
  const n = Math.min(8, bytes.length - offset);
  for (let i = 0; i + 4 <= n; i += 4) {
    const w =
      (bytes[offset + i] |
        (bytes[offset + i + 1] << 8) |
        (bytes[offset + i + 2] << 16) |
        (bytes[offset + i + 3] << 24)) >>>
      0;
    lines.push(`.word 0x${w.toString(16).padStart(8, '0')} ! not decoded yet`);
  }
  return { length: Math.max(4, n & ~3), lines, invalid: true };
}
