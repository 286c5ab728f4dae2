/**
 * objdump text of the non-ALU syllables: SS (ct, ipd, abn/abp/alc/abg, srp...), CS0
 * (disp, ibranch, return, ...), CS1 (setwd, call, wait, ...).
 */
import type { IsaLevel } from '../isa/bundle-api';
import type { DecodedBundle } from '../isa/decode';
import { hex } from './operands';

const CMP_CH = [0, 1, 3, 4];

/** Text after `? ` for a ctcond, '' for "always", null for "never". */
export function ctcondText(ctcond: number): string | null {
  const type = (ctcond >>> 5) & 15;
  const p = ctcond & 31;
  switch (type) {
    case 0:
      return null;
    case 1:
      return '';
    case 2:
      return `%pred${p}`;
    case 3:
      return `~%pred${p}`;
    case 4:
      return '%LOOP_END';
    case 5:
      return '%NOT_LOOP_END';
    case 6:
      return `%pred${p} || %LOOP_END`;
    case 7:
      return `~%pred${p} && %NOT_LOOP_END`;
    case 8: {
      let s = '%MLOCK';
      if (p & 15) s += ' || %dt_al' + CMP_CH.filter((_, i) => p & (1 << i)).join('');
      return s;
    }
    case 9: {
      const neg = p & 1 ? '~' : '';
      const kind = p >>> 3;
      if (kind === 0) return `%MLOCK || ${neg}%cmp${CMP_CH[(p >>> 1) & 3]}`;
      if (kind === 1) {
        const pairs = [
          [0, 1],
          [0, 3],
          [1, 4],
          [3, 4],
        ][(p >>> 1) & 3];
        return `%MLOCK || ${neg}%cmp${pairs[0]} || ${neg}%cmp${pairs[1]}`;
      }
      if (kind === 2) return `%MLOCK || ${neg}%clp${(p >>> 1) & 3}`;
      return `%MLOCK`;
    }
    case 14:
      return `~%pred${p} || %LOOP_END`;
    case 15:
      return `%pred${p} && %NOT_LOOP_END`;
    default:
      return null;
  }
}

function withCond(text: string, ctcond: number): string {
  const c = ctcondText(ctcond);
  return c ? `${text} ? ${c}` : text;
}

export function isCall(b: DecodedBundle): boolean {
  const cs1 = b.layout.cs1;
  return cs1 !== -1 && cs1 >>> 28 === 5;
}

/** Lines printed for the SS syllable (format 1 and 2). */
export function ssLines(b: DecodedBundle, out: string[]): void {
  const ss = b.layout.ss;
  if (ss === -1) return;
  const ipd = ss >>> 30;
  if (ss & (1 << 20)) {
    if (ipd) out.push(`ipd ${ipd}`);
    return;
  }
  const ctop = (ss >>> 10) & 3;
  const ctcond = ss & 0x1ff;
  if (ctop && !isCall(b) && ctcondText(ctcond) !== null)
    out.push(withCond(`ct %ctpr${ctop}`, ctcond));
  if (ipd) out.push(`ipd ${ipd}`);
  if (ss & (3 << 23)) out.push(`abg abgi=${(ss >>> 24) & 1}, abgd=${(ss >>> 23) & 1}`);
  if (ss & (3 << 21)) out.push(`abn abnf=${(ss >>> 22) & 1}, abnt=${(ss >>> 21) & 1}`);
  if (ss & (3 << 18)) out.push(`abp abpf=${(ss >>> 19) & 1}, abpt=${(ss >>> 18) & 1}`);
  if (ss & (3 << 16)) out.push(`alc alcf=${(ss >>> 17) & 1}, alct=${(ss >>> 16) & 1}`);
  const rp = ((ss >>> 26) & 2) | ((ss >>> 25) & 1);
  if (rp) out.push(['', 'crp', 'srp', 'slrp'][rp]);
  if (ss & (1 << 26)) out.push('vfdi');
  if (ss & (1 << 28)) out.push('bap');
  if (ss & (1 << 29)) out.push('eap');
}

function target(address: bigint, disp28: number): string {
  const d = BigInt((disp28 << 4) >> 4) * 8n;
  return '0x' + BigInt.asUintN(64, address + d).toString(16);
}

/** Lines printed for CS0. */
export function cs0Lines(b: DecodedBundle, address: bigint, iset: IsaLevel, out: string[]): void {
  const cs0 = b.layout.cs0;
  if (cs0 === -1) return;
  void iset;
  const ctpr = cs0 >>> 30;
  const opc = (cs0 >>> 28) & 3;
  const param = cs0 & 0x0fffffff;
  const ss = b.layout.ss;
  const ctcond = ss === -1 ? 0 : ss & 0x1ff;
  if (ctpr === 0) {
    if (opc === 0) {
      const cs1 = b.layout.cs1;
      if (isCall(b) && ((cs1 >>> 7) & 7) !== 0) return; // icall/hcall operand, printed with CS1
      out.push(withCond(`ibranch ${target(address, param)}`, ctcond));
    } else if (opc === 1) {
      out.push(`pref %ipr${param & 7}, disp = ${hex(param >>> 4)}, ipd = ${(param >>> 3) & 1}`);
    } else if (opc === 2) {
      out.push('puttsd');
    } else {
      const names = ['done', 'done', 'iret', 'hret', 'glaunch'];
      const n = names[param & 7];
      if (n) out.push(withCond(n, ctcond));
    }
    return;
  }
  if (opc === 0) out.push(`disp %ctpr${ctpr}, ${target(address, param)}`);
  else if (opc === 1) out.push(`ldisp %ctpr${ctpr}, ${target(address, param)}`);
  else if (opc === 2) out.push(`sdisp %ctpr${ctpr}, ${hex(param)}`);
  else if ((param & 7) === 0) out.push(`return %ctpr${ctpr}`);
  else if ((param & 7) === 1) out.push(`gettsd %ctpr${ctpr}`);
}

const WAIT_FIELDS: [string, number, number][] = [
  // name, bit, first ISA level where objdump prints it
  ['sal', 8, 4],
  ['sas', 7, 4],
  ['trap', 6, 2],
  ['ma_c', 5, 2],
  ['fl_c', 4, 2],
  ['ld_c', 3, 2],
  ['st_c', 2, 2],
  ['all_e', 1, 2],
  ['all_c', 0, 2],
];

/** Lines printed for CS1 (and the LTS0 parameter word of setwd). */
export function cs1Lines(b: DecodedBundle, address: bigint, iset: IsaLevel, out: string[]): void {
  const l = b.layout;
  const cs1 = l.cs1;
  if (cs1 === -1) return;
  const opc = cs1 >>> 28;
  if (opc === 0 || opc === 1 || opc === 4) {
    if (opc === 1 && l.ltsCount > 0) out.push(`vfrpsz rpsz = ${hex((l.lts[0] >>> 12) & 31)}`);
    if (opc !== 4) {
      const lts0 = l.ltsCount > 0 ? l.lts[0] >>> 0 : 0;
      const dbl = iset >= 3 ? `, dbl = ${hex((lts0 >>> 3) & 1)}` : '';
      out.push(`setwd wsz = ${hex((lts0 >>> 5) & 0x7f)}, nfx = ${hex((lts0 >>> 4) & 1)}${dbl}`);
    }
    if (cs1 & (1 << 26)) {
      out.push(
        `setbn rbs = ${hex(cs1 & 63)}, rsz = ${hex((cs1 >>> 6) & 63)}, rcur = ${hex((cs1 >>> 12) & 63)}`,
      );
    }
    if (cs1 & (1 << 27)) out.push(`setbp psz = ${hex((cs1 >>> 18) & 31)}`);
  } else if (opc === 2) {
    out.push(cs1 & (1 << 27) ? 'setsft' : `setei ${hex(cs1 & 0xff)}`);
  } else if (opc === 3) {
    const fields = WAIT_FIELDS.filter(([n, bit, lv]) => {
      if (iset < lv) return false;
      if (n === 'sal') return (cs1 & (1 << 3)) !== 0;
      if (n === 'sas') return (cs1 & (1 << 2)) !== 0;
      return bit >= 0;
    });
    out.push('wait ' + fields.map(([n, bit]) => `${n} = ${(cs1 >>> bit) & 1}`).join(', '));
  } else if (opc === 5) {
    const ss = l.ss;
    const ctcond = ss === -1 ? 0 : ss & 0x1ff;
    const wbs = hex(cs1 & 0x7f);
    const kind = (cs1 >>> 7) & 7;
    let text: string;
    if (kind === 1 && l.cs0 !== -1) text = `icall ${hex(l.cs0 & 0x0fffffff)}, wbs = ${wbs}`;
    else if (kind === 2 && l.cs0 !== -1)
      text = `hcall ${hex((l.cs0 & 0x0fffffff) >>> 1)}, wbs = ${wbs}`;
    else text = `call %ctpr${ss === -1 ? 0 : (ss >>> 10) & 3}, wbs = ${wbs}`;
    const c = ctcondText(ctcond);
    if (c) text += ` ? ${c}`;
    out.push(text);
  } else if (opc === 7) {
    if (cs1 & 1) out.push('flushr');
    if (cs1 & 2) out.push('flushc');
    if (cs1 & 4) out.push('fillr');
    if (cs1 & 8) out.push('fillc');
  }
}
