/**
 * Predicate logic unit (encoding.md §11): ELPs load @p0..@p3 from predicates (or %lcntex,
 * %pcnt-free sources), CLP/MLP i computes @p(4+i) and may write a predicate. Reads the
 * state before the bundle; writes are staged like ALU results.
 */
import type { CompiledBundle } from './compile';
import type { Cpu } from './cpu';
import { ST_PRED } from './cpu';
import { Exc } from './exceptions';

function elpValue(c: Cpu, src: number): number {
  if ((src & 0x60) === 0x60) {
    if (c.getPredTag(src & 31)) c.trap(Exc.IllegalOperand, c.ip, 'tagged predicate in PLU');
    return c.getPred(src & 31);
  }
  if (src === 0) return c.lcnt === 0 ? 1 : 0; // %lcntex
  // %rndpred/%bgrpred/%spred: no random predicates or speculative-compare masks here.
  return 0;
}

export function evalPls(c: Cpu, cb: CompiledBundle): void {
  const p = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 4 && i < cb.elp.length; i++) p[i] = elpValue(c, cb.elp[i]);
  for (let i = 0; i < cb.clp.length; i++) {
    const w = cb.clp[i];
    const opc = (w >>> 14) & 3;
    const a = p[(w >>> 10) & 7] ^ ((w >>> 13) & 1);
    const b = p[(w >>> 6) & 7] ^ ((w >>> 9) & 1);
    const r = a & b;
    p[4 + i] = r;
    if ((w >>> 5) & 1) {
      const dst = c.physPred(w & 31);
      if (opc === 3) {
        // movep: %predN = a ? b : %predN
        if (a) c.stage(ST_PRED, dst, b, 0, 0);
      } else c.stage(ST_PRED, dst, r, 0, 0);
    }
  }
}
