/**
 * objdump-compatible disassembler for one bundle. Line order follows binutils' e2k-dis.c:
 * HS (nop, loop_mode), SS, ALU channels 0..5, CS0, CS1, AAS, PLS.
 */
import type { DisassembledBundle, IsaLevel } from '../isa/bundle-api';
import { decodeBundle, newDecodedBundle } from '../isa/decode';
import { u32 } from '../isa/layout';
import { aluLines } from './alu';
import { cs0Lines, cs1Lines, ssLines } from './control';
import { aasLines, plsLines } from './pls';

function wordLines(bytes: Uint8Array, offset: number, n: number, why: string): string[] {
  const lines: string[] = [];
  for (let i = 0; i + 4 <= n; i += 4) {
    lines.push(
      `.word 0x${u32(bytes, offset + i)
        .toString(16)
        .padStart(8, '0')}${i === 0 ? ` ! ${why}` : ''}`,
    );
  }
  return lines;
}

function apbLines(bytes: Uint8Array, offset: number): string[] {
  const c = u32(bytes, offset);
  const disp = u32(bytes, offset + 4);
  const r = u32(bytes, offset + 8);
  const f = (sh: number, m: number) => (c >>> sh) & m;
  return [
    `apb ct=${f(31, 1)}, dcd=${f(28, 3)}, fmt=${f(25, 7)}, mrng=${f(20, 31)}, d=${f(15, 31)}, ` +
      `incr=${f(12, 7)}, ind=${f(8, 15)}, asz=${f(5, 7)}, abs=${f(0, 31)}, disp=0x${disp.toString(16)}`,
    `apb dpl=${r >>> 31}, fmt=${(r >>> 25) & 7}`,
  ];
}

/** Reused decode buffers: disassembly is synchronous and keeps nothing from them. */
const scratch = newDecodedBundle();

export function disassembleBundle(
  bytes: Uint8Array,
  offset: number,
  address: bigint,
  iset: IsaLevel,
): DisassembledBundle {
  const avail = bytes.length - offset;
  if (avail < 8) {
    // Fewer bytes than the smallest bundle: print and consume whatever is left.
    const rest = Math.max(0, avail);
    const n = rest & ~3;
    const lines = n ? wordLines(bytes, offset, n, 'truncated bundle') : [];
    if (rest > n) {
      const tail = Array.from(
        bytes.subarray(offset + n, offset + rest),
        (x) => `0x${x.toString(16).padStart(2, '0')}`,
      );
      lines.push(`.byte ${tail.join(', ')}${n ? '' : ' ! truncated bundle'}`);
    }
    return { length: rest, lines, invalid: true };
  }
  const b = decodeBundle(bytes, offset, iset, scratch);
  if (b.invalid && avail >= 16 && !b.invalid.startsWith('PLS')) {
    // objdump takes bytes whose header does not describe a bundle for an asynchronous
    // array-prefetch program entry (two 8-byte halves, encoding.md §13).
    return { length: 16, lines: apbLines(bytes, offset), invalid: false };
  }
  if (b.invalid) {
    return {
      length: b.length,
      lines: wordLines(bytes, offset, b.length, b.invalid),
      invalid: true,
    };
  }
  const out: string[] = [];
  if (b.nop) out.push(`nop ${b.nop}`);
  if (b.loopMode) out.push('loop_mode');
  ssLines(b, out);
  for (let ch = 0; ch < 6; ch++) {
    const a = b.alu[ch];
    if (!a) continue;
    if (a.pairHalf && !a.op?.pairPrinted) continue;
    if (!aluLines(b, a, out)) {
      return {
        length: b.length,
        lines: wordLines(bytes, offset, b.length, `invalid operand in channel ${ch}`),
        invalid: true,
      };
    }
  }
  cs0Lines(b, address, out);
  cs1Lines(b, iset, out);
  aasLines(b, out);
  plsLines(b, out);
  return { length: b.length, lines: out, invalid: false };
}
