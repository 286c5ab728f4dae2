/**
 * objdump text of the non-ALU syllables: SS (ct, ipd, abn/abp/alc/abg, srp...), CS0
 * (disp, ibranch, return, ...), CS1 (setwd, call, wait, ...).
 */
import type { IsaLevel } from '../isa/bundle-api';
import type { DecodedBundle } from '../isa/decode';
import type { Field } from '../isa/fields';
import { CS0, CS0_OPC, CS1, CS1_OPC, get, PREF, SETR_LTS0, SS, WAIT_BITS } from '../isa/fields';
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
  return cs1 !== -1 && get(cs1, CS1.opc) === CS1_OPC.CALL;
}

/** Lines printed for the SS syllable (format 1 and 2). */
export function ssLines(b: DecodedBundle, out: string[]): void {
  const ss = b.layout.ss;
  if (ss === -1) return;
  const ipd = get(ss, SS.ipd);
  if (get(ss, SS.format2)) {
    if (ipd) out.push(`ipd ${ipd}`);
    return;
  }
  const ctop = get(ss, SS.ctop);
  const ctcond = get(ss, SS.ctcond);
  if (ctop && !isCall(b) && ctcondText(ctcond) !== null) {
    out.push(withCond(`ct %ctpr${ctop}`, ctcond));
  }
  if (ipd) out.push(`ipd ${ipd}`);
  const pair = (name: string, a: string, fa: Field, c: string, fc: Field) => {
    const x = get(ss, fa);
    const y = get(ss, fc);
    if (x | y) out.push(`${name} ${a}=${x}, ${c}=${y}`);
  };
  pair('abg', 'abgi', SS.abgi, 'abgd', SS.abgd);
  pair('abn', 'abnf', SS.abnf, 'abnt', SS.abnt);
  pair('abp', 'abpf', SS.abpf, 'abpt', SS.abpt);
  pair('alc', 'alcf', SS.alcf, 'alct', SS.alct);
  const rp = (get(ss, SS.srp) << 1) | get(ss, SS.crp);
  if (rp) out.push(['', 'crp', 'srp', 'slrp'][rp]);
  if (get(ss, SS.vfdi)) out.push('vfdi');
  if (get(ss, SS.bap)) out.push('bap');
  if (get(ss, SS.eap)) out.push('eap');
}

function target(address: bigint, disp28: number): string {
  const d = BigInt((disp28 << 4) >> 4) * 8n;
  return '0x' + BigInt.asUintN(64, address + d).toString(16);
}

function ctcondOf(b: DecodedBundle): number {
  const ss = b.layout.ss;
  return ss === -1 ? 0 : get(ss, SS.ctcond);
}

const DONE_NAMES = ['done', 'done', 'iret', 'hret', 'glaunch'];

/** Lines printed for CS0. */
export function cs0Lines(b: DecodedBundle, address: bigint, out: string[]): void {
  const cs0 = b.layout.cs0;
  if (cs0 === -1) return;
  const ctpr = get(cs0, CS0.ctpr);
  const opc = get(cs0, CS0.opc);
  const param = get(cs0, CS0.param);
  if (ctpr === 0) {
    if (opc === CS0_OPC.IBRANCH) {
      // With ICALL/HCALL in CS1 this CS0 is their operand, printed with CS1.
      if (isCall(b) && get(b.layout.cs1, CS1.callKind) !== 0) return;
      out.push(withCond(`ibranch ${target(address, param)}`, ctcondOf(b)));
    } else if (opc === CS0_OPC.PREF) {
      out.push(
        `pref %ipr${get(cs0, PREF.ipr)}, disp = ${hex(get(cs0, PREF.disp))}, ipd = ${get(cs0, PREF.ipd)}`,
      );
    } else if (opc === CS0_OPC.PUTTSD) {
      out.push('puttsd');
    } else {
      const n = DONE_NAMES[param & 7];
      if (n) out.push(withCond(n, ctcondOf(b)));
    }
    return;
  }
  if (opc === CS0_OPC.DISP) out.push(`disp %ctpr${ctpr}, ${target(address, param)}`);
  else if (opc === CS0_OPC.LDISP) out.push(`ldisp %ctpr${ctpr}, ${target(address, param)}`);
  else if (opc === CS0_OPC.SDISP) out.push(`sdisp %ctpr${ctpr}, ${hex(param)}`);
  else if ((param & 7) === 0) out.push(`return %ctpr${ctpr}`);
  else if ((param & 7) === 1) out.push(`gettsd %ctpr${ctpr}`);
}

/** WAIT fields in objdump's order; sal/sas only when ld_c/st_c are set, and from v4. */
const WAIT_PRINTED = ['sal', 'sas', 'trap', 'ma_c', 'fl_c', 'ld_c', 'st_c', 'all_e', 'all_c'];

function waitLine(cs1: number, iset: IsaLevel): string {
  const parts: string[] = [];
  for (const n of WAIT_PRINTED) {
    const bit = WAIT_BITS[n][0];
    if (n === 'sal' && (iset < 4 || (cs1 & (1 << WAIT_BITS.ld_c[0])) === 0)) continue;
    if (n === 'sas' && (iset < 4 || (cs1 & (1 << WAIT_BITS.st_c[0])) === 0)) continue;
    parts.push(`${n} = ${(cs1 >>> bit) & 1}`);
  }
  return `wait ${parts.join(', ')}`;
}

/** Lines printed for CS1 (and the LTS0 parameter word of setwd). */
export function cs1Lines(b: DecodedBundle, iset: IsaLevel, out: string[]): void {
  const l = b.layout;
  const cs1 = l.cs1;
  if (cs1 === -1) return;
  const opc = get(cs1, CS1.opc);
  if (opc === CS1_OPC.SETR0 || opc === CS1_OPC.SETR1 || opc === CS1_OPC.SETBR) {
    const lts0 = l.ltsCount > 0 ? l.lts[0] >>> 0 : 0;
    if (opc === CS1_OPC.SETR1 && l.ltsCount > 0)
      out.push(`vfrpsz rpsz = ${hex(get(lts0, SETR_LTS0.rpsz))}`);
    if (opc !== CS1_OPC.SETBR) {
      const dbl = iset >= 3 ? `, dbl = ${hex(get(lts0, SETR_LTS0.dbl))}` : '';
      out.push(
        `setwd wsz = ${hex(get(lts0, SETR_LTS0.wsz))}, nfx = ${hex(get(lts0, SETR_LTS0.nfx))}${dbl}`,
      );
    }
    if (get(cs1, CS1.setbn)) {
      out.push(
        `setbn rbs = ${hex(get(cs1, CS1.rbs))}, rsz = ${hex(get(cs1, CS1.rsz))}, rcur = ${hex(get(cs1, CS1.rcur))}`,
      );
    }
    if (get(cs1, CS1.setbp)) out.push(`setbp psz = ${hex(get(cs1, CS1.psz))}`);
  } else if (opc === CS1_OPC.SETEI) {
    out.push(get(cs1, CS1.setsft) ? 'setsft' : `setei ${hex(get(cs1, CS1.setei))}`);
  } else if (opc === CS1_OPC.WAIT) {
    out.push(waitLine(cs1, iset));
  } else if (opc === CS1_OPC.CALL) {
    const wbs = hex(get(cs1, CS1.wbs));
    const kind = get(cs1, CS1.callKind);
    let text: string;
    if (kind === 1 && l.cs0 !== -1) text = `icall ${hex(get(l.cs0, CS0.param))}, wbs = ${wbs}`;
    else if (kind === 2 && l.cs0 !== -1)
      text = `hcall ${hex(get(l.cs0, CS0.param) >>> 1)}, wbs = ${wbs}`;
    else text = `call %ctpr${l.ss === -1 ? 0 : get(l.ss, SS.ctop)}, wbs = ${wbs}`;
    out.push(withCond(text, ctcondOf(b)));
  } else if (opc === CS1_OPC.FLUSH) {
    if (cs1 & 1) out.push('flushr');
    if (cs1 & 2) out.push('flushc');
    if (cs1 & 4) out.push('fillr');
    if (cs1 & 8) out.push('fillc');
  }
}
