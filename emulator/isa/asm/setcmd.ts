/**
 * Set commands sharing CS1 (setwd/settr/vfrpsz → SETR0/SETR1 with the LTS0 parameter word,
 * setbn/setbp → SETBR; encoding.md §10) and `wait`.
 */
import type { BundleContext } from '../bundle-api';
import { BundleError } from '../bundle-api';
import type { Bundle } from './bundle';
import type { ControlState } from './control';
import { setCs1, value } from './control';
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
    b.setrWord =
      ((b.setrWord === -1 ? 0 : b.setrWord) |
        (wsz << 5) |
        (get('nfx') << 4) |
        (get('dbl') << 3)) >>>
      0;
  } else if (name === 'settr') {
    b.setrWord = ((b.setrWord === -1 ? 0 : b.setrWord) | ((get('type') & 0x7fff) << 17)) >>> 0;
  } else if (name === 'vfrpsz') {
    const r = get('rpsz');
    if (r < 1 || r > 32) throw new BundleError('invalid value for register parameter size');
    b.setrWord = ((b.setrWord === -1 ? 0 : b.setrWord) | ((r - 1) << 12)) >>> 0;
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
    bits = (1 << 26) | rbs | (rsz << 6) | (rcur << 12);
  } else if (name === 'setbp') {
    const psz = get('psz');
    if (psz < 0 || psz > 0x1f)
      throw new BundleError('invalid value for rotated predicate area size');
    bits = (1 << 27) | (psz << 18);
  } else if (name === 'settr') bits = 1 << 25;
  // setwd/settr/vfrpsz/setbn/setbp share one CS1 (SETR0/SETR1 with LTS0, else SETBR).
  if (b.cs1 !== -1 && st.cs1Name !== 'setr') {
    // gas names the set-command occupying CS1 when it is setei/setsft, else SETBR.
    const who =
      st.cs1Name === 'setsft' || st.cs1Name === 'setei' ? st.cs1Name.toUpperCase() : 'SETBR';
    throw new BundleError(`cannot encode ${who}, CS1 syllable is already busy`);
  }
  let cs1 = b.cs1 === -1 ? 4 << 28 : b.cs1;
  cs1 |= bits;
  if (setr) {
    const opc = name === 'vfrpsz' || cs1 >>> 28 === 1 ? 1 : 0;
    cs1 = (cs1 & 0x0fffffff) | (opc << 28);
  }
  b.cs1 = cs1 >>> 0;
  st.cs1Name = 'setr';
}

const WAIT_BITS: Record<string, [number, number, number]> = {
  // name: bit, first ISA level, extra bit implied
  all_c: [0, 2, -1],
  all_e: [1, 2, -1],
  st_c: [2, 2, -1],
  ld_c: [3, 2, -1],
  fl_c: [4, 2, -1],
  ma_c: [5, 2, -1],
  trap: [6, 2, -1],
  sas: [7, 5, 2],
  sal: [8, 5, 3],
  las: [9, 6, 2],
  lal: [10, 6, 3],
  mt: [11, 6, -1],
  int: [12, 6, -1],
  mem_mod: [13, 6, -1],
};

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
  setCs1(b, st, (3 << 28) | v, 'wait', 'Cannot encode WAIT because CS1 is busy');
}
