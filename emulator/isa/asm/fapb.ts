/**
 * `fapb`: one 16-byte entry of an asynchronous array-prefetch program (encoding.md §13).
 * `ct=` fills the left half (API_L), `dpl=` the right half (API_R).
 */
import type { BundleContext } from '../bundle-api';
import { BundleError } from '../bundle-api';
import { evalExpr } from './operands';
import { parseParams } from './syntax';

const LEFT: Record<string, [number, number]> = {
  ct: [31, 1],
  si: [30, 1],
  dcd: [28, 3],
  fmt: [25, 7],
  mrng: [20, 31],
  d: [15, 31],
  incr: [12, 7],
  ind: [8, 15],
  asz: [5, 7],
  abs: [0, 31],
};
const RIGHT: Record<string, [number, number]> = {
  dpl: [31, 1],
  si: [30, 1],
  dcd: [28, 3],
  fmt: [25, 7],
  mrng: [20, 31],
  d: [15, 31],
  be: [14, 1],
  am: [13, 1],
  area: [8, 31],
  asz: [5, 7],
  abs: [0, 31],
};

export function fapbEntry(ctx: BundleContext, rest: string): Uint8Array {
  const p = new Map(parseParams(rest));
  if (p.has('ct') && p.has('dpl'))
    throw new BundleError("`ct' and `dpl' can't be set within the same fapb");
  if (!p.has('ct') && !p.has('dpl'))
    throw new BundleError("neither `ct', nor `dpl' has been specified");
  const fields = p.has('ct') ? LEFT : RIGHT;
  let ctrl = 0;
  let disp = 0;
  for (const [k, v] of p) {
    const e = evalExpr(ctx, v);
    if (e.value === null) throw new BundleError(`invalid expression at \`${v}'`);
    if (k === 'disp') {
      disp = Number(BigInt.asUintN(32, e.value));
      continue;
    }
    const f = fields[k];
    if (!f) throw new BundleError(`invalid parameter \`${k}=${v}'`);
    const n = Number(e.value);
    if (n < 0 || n > f[1]) throw new BundleError(`${n} exceeds maximal value for ${k}=`);
    ctrl |= n << f[0];
  }
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  const base = p.has('ct') ? 0 : 8;
  dv.setUint32(base, ctrl >>> 0, true);
  dv.setUint32(base + 4, disp >>> 0, true);
  return out;
}
