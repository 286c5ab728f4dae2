/**
 * Control-transfer conditions (`? %pred3`, `? ~%pred1 && #NOT_LOOP_END`, `? %MLOCK || %cmp0`)
 * → SS.ctcond (encoding.md §5.3). `%`/`#` prefixes are interchangeable.
 */
import { BundleError } from '../bundle-api';

export interface MlockRef {
  kind: 'dt_al' | 'cmp' | 'clp';
  /** dt_al: channels; cmp: channels; clp: index. */
  items: number[];
  neg: boolean;
}

export interface CtCond {
  value: number;
  /** Parts of a %MLOCK condition that refer to other operations of the bundle. */
  mlock: MlockRef | null;
}

const CMP_CH = [0, 1, 3, 4];
const CMP_PAIRS = ['0,1', '0,3', '1,4', '3,4'];

/** Parses a condition text (after `?`). `mlockImplicit`: rbranch (`%MLOCK ||` implied). */
export function parseCtCond(text: string, whole: string, mlockImplicit = false, iset = 6): CtCond {
  const t = text.replace(/#/g, '%').replace(/\s+/g, '');
  if (t === '' || t === '%always') return { value: mlockImplicit ? 8 << 5 : 1 << 5, mlock: null };
  if (t === '%never') return { value: 0, mlock: null };
  let m: RegExpExecArray | null;
  if (mlockImplicit || t.startsWith('%MLOCK')) {
    if (iset < 3 && /%(cmp|clp)/.test(t)) {
      const m2 = /(~?%(?:cmp|clp)\d)/.exec(t)!;
      throw new BundleError(
        `invalid control transfer condition \`${m2[1]}' after ibranch %MLOCK ||`,
      );
    }
    const rest = t.startsWith('%MLOCK') ? t.slice(6).replace(/^\|\|/, '') : t;
    if (rest === '') return { value: 8 << 5, mlock: null };
    if ((m = /^%dt_al([0134]+)$/.exec(rest))) {
      const chans = [...m[1]].map(Number);
      let mask = 0;
      for (const c of chans) mask |= 1 << CMP_CH.indexOf(c);
      return { value: (8 << 5) | mask, mlock: { kind: 'dt_al', items: chans, neg: false } };
    }
    if ((m = /^(~?)%cmp([0134])$/.exec(rest))) {
      const idx = CMP_CH.indexOf(Number(m[2]));
      return {
        value: (9 << 5) | (idx << 1) | (m[1] ? 1 : 0),
        mlock: { kind: 'cmp', items: [Number(m[2])], neg: !!m[1] },
      };
    }
    if ((m = /^(~?)%cmp([0134])\|\|(~?)%cmp([0134])$/.exec(rest)) && m[1] === m[3]) {
      const idx = CMP_PAIRS.indexOf(`${m[2]},${m[4]}`);
      if (idx >= 0) {
        return {
          value: (9 << 5) | (1 << 3) | (idx << 1) | (m[1] ? 1 : 0),
          mlock: { kind: 'cmp', items: [Number(m[2]), Number(m[4])], neg: !!m[1] },
        };
      }
    }
    if ((m = /^(~?)%clp([012])$/.exec(rest))) {
      return {
        value: (9 << 5) | (2 << 3) | (Number(m[2]) << 1) | (m[1] ? 1 : 0),
        mlock: { kind: 'clp', items: [Number(m[2])], neg: !!m[1] },
      };
    }
    throw new BundleError(`invalid control transfer condition \`${rest}'`);
  }
  if (t === '%LOOP_END') return { value: 4 << 5, mlock: null };
  if (t === '%NOT_LOOP_END') return { value: 5 << 5, mlock: null };
  if ((m = /^(~?)%pred(\d+)(.*)$/.exec(t))) {
    const neg = m[1] === '~';
    const n = Number(m[2]);
    if (n > 31) throw new BundleError(`invalid predicate \`%pred${n}'`);
    const tail = m[3];
    let type: number;
    if (tail === '') type = neg ? 3 : 2;
    else if (tail === '||%LOOP_END') type = neg ? 14 : 6;
    else if (tail === '&&%NOT_LOOP_END') type = neg ? 7 : 15;
    else throw new BundleError(`unrecognized arguments \`${tail}' in \`${whole}'`);
    return { value: (type << 5) | n, mlock: null };
  }
  if (/^%(clp|cmp|dt_al)/.test(t))
    throw new BundleError(`invalid control transfer condition \`${t}'`);
  throw new BundleError(`invalid control transfer condition \`${t}'`);
}
