/**
 * applyFixup: patches a resolved relocation into assembled bundle bytes (used by the
 * file-level assembler for local symbols and by the linker). Field layouts: encoding.md §8
 * (LTS words, 64-bit literals stored high word first) and §9 (CS0 displacement).
 */
import type { BundleFixup } from './bundle-api';
import { BundleError } from './bundle-api';

/**
 * `offset` is where the bundle starts in `bytes`; `fixup.offset` is relative to it.
 * `value` is the final value S + A (the fixup's addend already included); `pc` is the
 * bundle's address (used by R_E2K_DISP: the field holds (value - pc) / 8).
 */
export function applyFixup(
  bytes: Uint8Array,
  offset: number,
  fixup: BundleFixup,
  value: bigint,
  pc: bigint,
): void {
  const at = offset + fixup.offset;
  const need = fixup.type === 'R_E2K_64_ABS_LIT' || fixup.type === 'R_E2K_64_ABS' ? 8 : 4;
  if (at < 0 || at + need > bytes.length)
    throw new BundleError(`relocation ${fixup.type} outside the data`);
  if (fixup.type === 'R_E2K_DISP') {
    // The common case (every branch of a file): plain byte arithmetic, no DataView.
    const delta = value - pc;
    if (delta % 8n !== 0n) throw new BundleError('branch target is not 8-byte aligned');
    const disp = delta / 8n;
    if (disp < -(1n << 27n) || disp >= 1n << 27n)
      throw new BundleError('branch displacement out of range');
    const d = Number(disp) & 0x0fffffff;
    bytes[at] = d;
    bytes[at + 1] = d >>> 8;
    bytes[at + 2] = d >>> 16;
    bytes[at + 3] = (bytes[at + 3] & 0xf0) | (d >>> 24);
    return;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (fixup.type) {
    case 'R_E2K_32_ABS':
      dv.setUint32(at, Number(BigInt.asUintN(32, value)), true);
      return;
    case 'R_E2K_64_ABS':
      dv.setBigUint64(at, BigInt.asUintN(64, value), true);
      return;
    case 'R_E2K_64_ABS_LIT': {
      // The high word is the literal's first word in memory.
      const u = BigInt.asUintN(64, value);
      dv.setUint32(at, Number(u >> 32n), true);
      dv.setUint32(at + 4, Number(u & 0xffffffffn), true);
      return;
    }
  }
}
