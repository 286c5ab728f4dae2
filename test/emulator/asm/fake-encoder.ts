/**
 * A tiny stand-in for the real bundle encoder so the file-level assembler can be tested on
 * its own. Bundle = 8-byte header (byte 0 = op count, byte 1 = braced) + 8 bytes per op:
 *   disp %ctprN, EXPR  → [0xd, N, 0, 0, CS0 (LE32)]; a symbol gives an R_E2K_DISP fixup
 *   lit EXPR           → 64-bit literal, high word first; a symbol gives R_E2K_64_ABS_LIT
 *   word EXPR          → [0x33, 0, 0, 0, LE32]; a symbol gives R_E2K_32_ABS
 *   bad ...            → BundleError at column 0;  warn ... → a warning
 *   anything else      → [0x11, 0...]
 */
import { BundleError } from '../../../emulator/isa/bundle-api';
import type { AssembledBundle, BundleContext, BundleFixup } from '../../../emulator/isa/bundle-api';
import type { Encoder } from '../../../emulator/asm/model';

function le32(b: Uint8Array, o: number, v: bigint) {
  const u = Number(BigInt.asUintN(32, v));
  b[o] = u & 0xff;
  b[o + 1] = (u >>> 8) & 0xff;
  b[o + 2] = (u >>> 16) & 0xff;
  b[o + 3] = (u >>> 24) & 0xff;
}

export function fakeAssemble(ops: string[], ctx: BundleContext): AssembledBundle {
  if (ops.length === 1 && ops[0] === 'nop')
    return { bytes: new Uint8Array(8), fixups: [], warnings: [] };
  const bytes = new Uint8Array(8 + 8 * ops.length);
  bytes[0] = ops.length;
  bytes[1] = ctx.braced ? 1 : 0;
  const fixups: BundleFixup[] = [];
  const warnings: string[] = [];
  ops.forEach((op, i) => {
    const base = 8 + 8 * i;
    let m: RegExpExecArray | null;
    if ((m = /^disp %ctpr(\d),\s*(.*)$/.exec(op))) {
      bytes[base] = 0xd;
      bytes[base + 1] = Number(m[1]);
      const v = ctx.evaluate(m[2]);
      if (v.kind === 'const') le32(bytes, base + 4, v.value);
      else
        fixups.push({ offset: base + 4, type: 'R_E2K_DISP', symbol: v.symbol, addend: v.addend });
    } else if ((m = /^lit\s+(.*)$/.exec(op))) {
      const v = ctx.evaluate(m[1]);
      if (v.kind === 'const') {
        le32(bytes, base, v.value >> 32n);
        le32(bytes, base + 4, v.value);
      } else
        fixups.push({ offset: base, type: 'R_E2K_64_ABS_LIT', symbol: v.symbol, addend: v.addend });
    } else if ((m = /^word\s+(.*)$/.exec(op))) {
      bytes[base] = 0x33;
      const v = ctx.evaluate(m[1]);
      if (v.kind === 'const') le32(bytes, base + 4, v.value);
      else
        fixups.push({ offset: base + 4, type: 'R_E2K_32_ABS', symbol: v.symbol, addend: v.addend });
    } else if (/^bad/.test(op)) {
      throw new BundleError(`bad operation '${op}'`, 0);
    } else {
      if (/^warn/.test(op)) warnings.push('fake warning');
      bytes[base] = 0x11;
    }
  });
  return { bytes, fixups, warnings };
}

export function fakeApplyFixup(
  bytes: Uint8Array,
  offset: number,
  f: BundleFixup,
  value: bigint,
  pc: bigint,
): void {
  const at = offset + f.offset;
  if (f.type === 'R_E2K_DISP') {
    const d = value - pc;
    if (d % 8n !== 0n) throw new BundleError('displacement is not a multiple of 8');
    le32(bytes, at, (d / 8n) & 0x0fffffffn);
  } else if (f.type === 'R_E2K_64_ABS_LIT') {
    le32(bytes, at, value >> 32n);
    le32(bytes, at + 4, value);
  } else if (f.type === 'R_E2K_32_ABS') {
    le32(bytes, at, value);
  } else {
    le32(bytes, at, value);
    le32(bytes, at + 4, value >> 32n);
  }
}

export const fakeEncoder: Encoder = { assembleBundle: fakeAssemble, applyFixup: fakeApplyFixup };
