/**
 * Set commands sharing CS1 (setwd/settr/vfrpsz → SETR0/SETR1 with the LTS0 parameter word,
 * setbn/setbp → SETBR; encoding.md §10) and `wait`.
 */
import type { BundleContext } from '../bundle-api';
import { BundleError } from '../bundle-api';
import type { Bundle } from './bundle';
import type { ControlState } from './control';
import { setCs1, value } from './control';
import { CS1, CS1_OPC, get as get1, set, SETR_LTS0, WAIT_BITS } from '../fields';
import { parseParams } from './syntax';

export function setCommand(
  b: Bundle,
  st: ControlState,
  ctx: BundleContext,
  name: string,
  rest: string,
  whole: string,
) {
  const allowed: Record<string, string[]> = {
    setwd: ctx.iset >= 3 ? ['wsz', 'nfx', 'dbl'] : ['wsz', 'nfx'],
    settr: ['type'],
    vfrpsz: ['rpsz'],
    setbn: ['rsz', 'rbs', 'rcur'],
    setbp: ['psz'],
  };
  const list = parseParams(rest);
  if (list.length === 0) throw new BundleError(`no parameters for \`${name}'`);
  const p = new Map<string, number>();
  for (const [k, v] of list) {
    if (!allowed[name].includes(k)) {
      if (name === 'setwd' && k === 'dbl') {
        throw new BundleError(
          `unrecognized arguments \`${k}=${v}' in \`${whole.replace(/\s*([=,])\s*/g, '$1')}'`,
        );
      }
      throw new BundleError(`invalid parameter \`${k}=${v}'`);
    }
    p.set(k, value(ctx, v));
  }
  const get = (k: string) => p.get(k) ?? 0;
  const setr = name === 'setwd' || name === 'settr' || name === 'vfrpsz';
  if (name === 'setwd') {
    if (st.setwd)
      throw new BundleError('a wide command cannon contain more than one instance of setwd');
    st.setwd = true;
    const wsz = get('wsz');
    if (wsz < 0 || wsz > 0x7f) throw new BundleError('invalid value for register window size');
    let w = set(b.setrWord === -1 ? 0 : b.setrWord, SETR_LTS0.wsz, wsz);
    w = set(set(w, SETR_LTS0.nfx, get('nfx')), SETR_LTS0.dbl, get('dbl'));
    b.setrWord = w;
  } else if (name === 'settr') {
    b.setrWord = set(b.setrWord === -1 ? 0 : b.setrWord, SETR_LTS0.type, get('type'));
  } else if (name === 'vfrpsz') {
    const r = get('rpsz');
    if (r < 1 || r > 32) throw new BundleError('invalid value for register parameter size');
    // The field holds the size minus one.
    b.setrWord = set(b.setrWord === -1 ? 0 : b.setrWord, SETR_LTS0.rpsz, r - 1);
  }
  let bits = 0;
  if (name === 'setbn') {
    const rsz = get('rsz');
    const rbs = get('rbs');
    const rcur = get('rcur');
    if (rsz < 0 || rsz > 0x3f)
      throw new BundleError('invalid value for rotated register area size');
    if (rbs < 0 || rbs > 0x3f)
      throw new BundleError('invalid value for rotated register area base');
    if (rcur < 0 || rcur > 0x3f)
      throw new BundleError('invalid value for rotated register area current');
    bits = set(set(set(set(0, CS1.setbn, 1), CS1.rbs, rbs), CS1.rsz, rsz), CS1.rcur, rcur);
  } else if (name === 'setbp') {
    const psz = get('psz');
    if (psz < 0 || psz > 0x1f)
      throw new BundleError('invalid value for rotated predicate area size');
    bits = set(set(0, CS1.setbp, 1), CS1.psz, psz);
  } else if (name === 'settr') bits = set(0, CS1.settr, 1);
  // setwd/settr/vfrpsz/setbn/setbp share one CS1 (SETR0/SETR1 with LTS0, else SETBR).
  if (b.cs1 !== -1 && st.cs1Name !== 'setr') {
    // gas names the set-command occupying CS1 when it is setei/setsft, else SETBR.
    const who =
      st.cs1Name === 'setsft' || st.cs1Name === 'setei' ? st.cs1Name.toUpperCase() : 'SETBR';
    throw new BundleError(`cannot encode ${who}, CS1 syllable is already busy`);
  }
  let cs1 = (b.cs1 === -1 ? set(0, CS1.opc, CS1_OPC.SETBR) : b.cs1) | bits;
  if (setr) {
    const r1 = name === 'vfrpsz' || get1(cs1, CS1.opc) === CS1_OPC.SETR1;
    cs1 = set(cs1, CS1.opc, r1 ? CS1_OPC.SETR1 : CS1_OPC.SETR0);
  }
  b.cs1 = cs1 >>> 0;
  st.cs1Name = 'setr';
}

export function waitCommand(b: Bundle, st: ControlState, ctx: BundleContext, rest: string): void {
  const list = parseParams(rest);
  if (list.length === 0) throw new BundleError('no parameters specified for WAIT command');
  let v = 0;
  for (const [k, val] of list) {
    const d = WAIT_BITS[k];
    if (!d || ctx.iset < d[1])
      throw new BundleError(`Invalid \`${k}=' WAIT parameter for elbrus-v${ctx.iset}`);
    const n = value(ctx, val);
    if (n !== 0 && n !== 1) throw new BundleError(`${k}={0,1} expected`);
    if (n) v |= (1 << d[0]) | (d[2] >= 0 ? 1 << d[2] : 0);
  }
  setCs1(b, st, set(v, CS1.opc, CS1_OPC.WAIT), 'wait', 'Cannot encode WAIT because CS1 is busy');
}
