/**
 * objdump spelling of ALU operand bytes (encoding.md §7): registers with the width prefix
 * of the operation, short immediates, literal references and special destinations.
 */
import type { BundleLayout } from '../isa/layout';
import { literalOf } from '../isa/decode';

/** Width letter (s d q p) → register-name prefix. */
function pfx(w: string): string {
  return w === 'd' ? 'd' : w === 'q' ? 'q' : w === 'p' ? 'qp' : '';
}

export function hex(v: number): string {
  return '0x' + v.toString(16);
}

/** A register code 0x00-0xbf / 0xe0-0xff, or null for the 0xc0-0xdf range. */
export function regName(code: number, w: string): string | null {
  const p = pfx(w);
  if (code < 0x80) return `%${p}b[${code}]`;
  if (code < 0xc0) return `%${p}r${code & 0x3f}`;
  if (code >= 0xe0) return `%${p}g${code & 0x1f}`;
  return null;
}

export function src1Text(code: number, w: string): string {
  return regName(code, w) ?? hex(code & 0x1f);
}

/** src2 text, or null when it refers to a missing literal / reserved code. */
export function src2Text(code: number, w: string, l: BundleLayout): string | null {
  const r = regName(code, w);
  if (r) return r;
  if (code < 0xd0) return hex(code & 0xf);
  const lit = literalOf(l, code);
  if (!lit) return null;
  if (lit.size === 16) return `_f16s ${hex(lit.lo)}`;
  if (lit.size === 32) return `_f32s ${hex(lit.lo)}`;
  return lit.hi === 0
    ? `_f64 ${hex(lit.lo)}`
    : `_f64 0x${lit.hi.toString(16)}${lit.lo.toString(16).padStart(8, '0')}`;
}

export function src3Text(code: number, w: string): string | null {
  return regName(code, w);
}

const DST_SPECIAL: Record<number, string> = {
  0xcd: '%tst',
  0xce: '%tc',
  0xcf: '%tcd',
  0xd1: '%ctpr1',
  0xd2: '%ctpr2',
  0xd3: '%ctpr3',
  0xde: '%empty.lo',
  0xdf: '%empty.hi',
};

export function dstText(code: number, w: string): string | null {
  return regName(code, w) ?? DST_SPECIAL[code] ?? null;
}
