/**
 * objdump text of PLS syllables (encoding.md §11) and AAS (mova) syllables (§13).
 * objdump prints PLS2, PLS1, PLS0 in that order and leaves out every ELP/CLP whose local
 * predicate nothing reads (neither a printed CLP, a global `pass`, nor a `%clpN` ctcond).
 */
import type { DecodedBundle } from '../isa/decode';
import { AAS, CLP_OPS, get, MOVA_OPS, PLS, SS } from '../isa/fields';
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
    if (get(w, PLS.vdst) || used.has(4 + i)) {
      clpPrinted[i] = true;
      used.add(get(w, PLS.p0));
      used.add(get(w, PLS.p1));
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const w = l.pls[i] >>> 0;
    if (i < 2) {
      if (used.has(2 * i)) out.push(`pass ${elpText(get(w, PLS.elp0))}, @p${2 * i}`);
      if (used.has(2 * i + 1)) out.push(`pass ${elpText(get(w, PLS.elp1))}, @p${2 * i + 1}`);
    }
    if (clpPrinted[i]) {
      const opc = CLP_OPS[get(w, PLS.clpOpc)] || 'andp';
      const a = `${get(w, PLS.neg0) ? '~' : ''}@p${get(w, PLS.p0)}`;
      const c = `${get(w, PLS.neg1) ? '~' : ''}@p${get(w, PLS.p1)}`;
      out.push(`${opc} ${a}, ${c}, @p${4 + i}`);
      if (get(w, PLS.vdst)) out.push(`pass @p${4 + i}, %pred${get(w, PLS.pred)}`);
    }
  }
}

export function aasLines(b: DecodedBundle, out: string[]): void {
  const l = b.layout;
  if (l.ss === -1 || get(l.ss, SS.format2)) return;
  const aa = get(l.ss, SS.aa);
  for (let c = 0; c < 4; c++) {
    if ((aa & (1 << c)) === 0) continue;
    const op = l.aas[2 + c];
    const dsts = l.aas[c >> 1];
    const dst = c & 1 ? dsts & 0xff : dsts >>> 8;
    const name = MOVA_OPS[get(op, AAS.opc)] || 'unrecognized';
    const reg = dstText(dst, name === 'movaq' || name === 'movaqp' ? 'q' : 'd') ?? hex(dst);
    out.push(
      `${name},${c} area = ${get(op, AAS.area)}, ind = ${get(op, AAS.ind)}, ` +
        `am = ${get(op, AAS.am)}, be = ${get(op, AAS.be)}, ${reg}`,
    );
  }
}
