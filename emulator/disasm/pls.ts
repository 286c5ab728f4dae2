/**
 * objdump text of PLS syllables (encoding.md §11) and AAS (mova) syllables (§13).
 * objdump prints PLS2, PLS1, PLS0 in that order and leaves out every ELP/CLP whose local
 * predicate nothing reads (neither a printed CLP, a global `pass`, nor a `%clpN` ctcond).
 */
import type { DecodedBundle } from '../isa/decode';
import { dstText, hex } from './operands';

function elpText(code: number): string {
  if (code & 0x40) {
    if ((code & 0x20) === 0x20) return `%pred${code & 0x1f}`;
    if ((code & 0x1f) === 0) return '%bgrpred';
    return `%rndpred${code & 0x1f}`;
  }
  if (code === 0) return '%lcntex';
  let s = '%spred';
  // objdump prints channels 0..4 only (bit 5 is dropped, as in its output).
  for (let i = 0; i < 5; i++) if (code & (1 << i)) s += i;
  return s;
}

const CLP_OPS = ['andp', 'landp', '', 'movep'];

export function plsLines(b: DecodedBundle, out: string[]): void {
  const l = b.layout;
  const n = l.plsCount;
  if (n === 0) return;
  const used = new Set<number>(); // local predicates read by something printed
  const ss = l.ss;
  if (ss !== -1 && ((ss >>> 5) & 15) === 9 && ((ss >>> 3) & 3) === 2)
    used.add(4 + ((ss >>> 1) & 3));
  const clpPrinted = [false, false, false];
  for (let i = n - 1; i >= 0; i--) {
    const w = l.pls[i] >>> 0;
    const vdst = (w & 0x20) !== 0;
    if (vdst || used.has(4 + i)) {
      clpPrinted[i] = true;
      used.add((w >>> 10) & 7);
      used.add((w >>> 6) & 7);
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const w = l.pls[i] >>> 0;
    if (i < 2) {
      if (used.has(2 * i)) out.push(`pass ${elpText((w >>> 24) & 0x7f)}, @p${2 * i}`);
      if (used.has(2 * i + 1)) out.push(`pass ${elpText((w >>> 16) & 0x7f)}, @p${2 * i + 1}`);
    }
    if (clpPrinted[i]) {
      const opc = CLP_OPS[(w >>> 14) & 3] || 'andp';
      const a = `${w & (1 << 13) ? '~' : ''}@p${(w >>> 10) & 7}`;
      const c = `${w & (1 << 9) ? '~' : ''}@p${(w >>> 6) & 7}`;
      out.push(`${opc} ${a}, ${c}, @p${4 + i}`);
      if (w & 0x20) out.push(`pass @p${4 + i}, %pred${w & 31}`);
    }
  }
}

const MOVA = ['', 'movab', 'movah', 'movaw', 'movad', 'movaq', '', 'movaqp'];

export function aasLines(b: DecodedBundle, out: string[]): void {
  const l = b.layout;
  if (l.ss === -1 || l.ss & (1 << 20)) return;
  for (let c = 0; c < 4; c++) {
    if ((l.ss & (1 << (12 + c))) === 0) continue;
    const op = l.aas[2 + c];
    const dsts = l.aas[c >> 1];
    const dst = c & 1 ? dsts & 0xff : dsts >>> 8;
    const name = MOVA[(op >>> 12) & 7] || 'unrecognized';
    const reg = dstText(dst, name === 'movaq' || name === 'movaqp' ? 'q' : 'd') ?? hex(dst);
    out.push(
      `${name},${c} area = ${(op >>> 6) & 31}, ind = ${(op >>> 1) & 31}, am = ${op & 1}, be = ${op >>> 15}, ${reg}`,
    );
  }
}
