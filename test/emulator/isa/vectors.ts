// Loads the golden vectors for the ISA tests: $E2K_VECTORS, or ../shared/isa/vectors beside the
// repository (where CI and the development machines have them).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundleContext, ExprValue, IsaLevel } from '../../../emulator/isa';
import { BundleError } from '../../../emulator/isa';

export const VECTOR_DIR =
  process.env.E2K_VECTORS ??
  fileURLToPath(new URL('../../../../shared/isa/vectors', import.meta.url));
export const LEVELS: IsaLevel[] = [2, 3, 4, 5, 6];

export interface VectorRow {
  line: number;
  iset: IsaLevel;
  source: string;
  hex: string;
  objdump: string;
}

export function vectorsAvailable(): boolean {
  return existsSync(join(VECTOR_DIR, 'v2.tsv'));
}

export function loadVectors(file: string): VectorRow[] {
  const lines = readFileSync(join(VECTOR_DIR, file), 'utf8').split('\n');
  const rows: VectorRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i]) continue;
    const [iset, source, hex, objdump] = lines[i].split('\t');
    rows.push({
      line: i + 1,
      iset: Number(iset.slice(1)) as IsaLevel,
      source,
      hex,
      objdump: objdump ?? '',
    });
  }
  return rows;
}

/** Splits a vector source into bundle operations: strip braces, split on ' ; '. */
export function splitSource(source: string): { ops: string[]; braced: boolean } {
  const t = source.trim();
  if (t.startsWith('{')) {
    const inner = t
      .replace(/^\{\s*/, '')
      .replace(/\s*\}$/, '')
      .trim();
    return { ops: inner === '' ? [] : inner.split(' ; '), braced: true };
  }
  return { ops: [t], braced: false };
}

/** A small expression evaluator: numbers, '.', + and -. */
export function makeContext(iset: IsaLevel, braced: boolean, pc = 0n): BundleContext {
  return {
    iset,
    braced,
    pc,
    evaluate(expr: string): ExprValue {
      const toks = expr.replace(/\s+/g, '').match(/[+-]|[^+-]+/g);
      if (!toks) throw new BundleError(`bad expression '${expr}'`);
      let value = 0n;
      let sign = 1n;
      let symbol: string | null = null;
      for (const t of toks) {
        if (t === '+') continue;
        if (t === '-') {
          sign = -sign;
          continue;
        }
        let v: bigint;
        if (t === '.') v = pc;
        else if (/^(0x[0-9a-f]+|\d+)$/i.test(t)) v = BigInt(t);
        else {
          if (symbol !== null || sign < 0n) throw new BundleError(`bad expression '${expr}'`);
          symbol = t;
          sign = 1n;
          continue;
        }
        value += sign * v;
        sign = 1n;
      }
      return symbol === null ? { kind: 'const', value } : { kind: 'symbol', symbol, addend: value };
    },
  };
}

export function hexToBytes(hex: string): Uint8Array {
  const b = new Uint8Array(hex.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return b;
}

export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}
