/**
 * Non-ALU statements of a bundle: SS stubs, CS0/CS1 control, set commands, nop, PLS
 * predicate logic and AAS (mova). Each handler validates like gas and updates the Bundle.
 */
import type { BundleContext } from '../bundle-api';
import { BundleError } from '../bundle-api';
import type { Bundle } from './bundle';
import { parseCtCond } from './ctcond';
import type { MlockRef } from './ctcond';
import type { Field } from '../fields';
import { CDS, CS0, CS0_OPC, CS1, CS1_OPC, PREF, set, SS, SS_FLUSHTS } from '../fields';
import { evalExpr } from './operands';
import { setCommand, waitCommand } from './setcmd';
import { parseNumber, parseParams, parsePred, splitOperands } from './syntax';

export interface ControlState {
  /** A `%MLOCK ||` condition to check against the bundle's ALU ops at the end. */
  mlock: MlockRef | null;
  /** Last `nop` seen: -1 none, -2 bare `nop`. */
  nop: number;
  cs1Name: string | null;
  setwd: boolean;
}

export function value(ctx: BundleContext, text: string): number {
  const e = evalExpr(ctx, text);
  if (e.value === null) throw new BundleError(`invalid expression at \`${text}'`);
  return Number(BigInt.asIntN(64, e.value));
}

function params(text: string, allowed: string[], cmd: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of parseParams(text)) {
    if (!allowed.includes(k)) throw new BundleError(`invalid parameter \`${k}=${v}'`);
    out.set(k, v);
  }
  if (out.size === 0) throw new BundleError(`no parameters for \`${cmd}'`);
  return out;
}

function ctprOf(text: string, what: string): number {
  const m = /^%ctpr(\d+)$/.exec(text.trim());
  if (!m) throw new BundleError(`invalid \`%ctpr' number (should be 1, 2 or 3)`);
  const n = Number(m[1]);
  if (n < 1 || n > 3) {
    if (what === 'ct') throw new BundleError(`invalid \`%ctpr' number (should be 1, 2 or 3)`);
    throw new BundleError(`invalid %ctpr${n} specified`);
  }
  return n;
}

/** CS0/IBRANCH displacement field: bare number = raw 8-byte units, else relative to pc. */
function dispField(b: Bundle, ctx: BundleContext, text: string): number {
  const raw = parseNumber(text.includes('disp') ? text.replace(/^\s*disp\s*=\s*/, '') : text);
  if (raw !== null) return raw & 0x0fffffff;
  const e = evalExpr(ctx, text);
  if (e.value === null) {
    b.cs0Fixup = { symbol: e.symbol!, addend: e.addend };
    return 0;
  }
  return Number(BigInt.asUintN(28, (e.value - ctx.pc) >> 3n));
}

function cs0(ctpr: number, opc: number, param: number): number {
  return set(set(set(0, CS0.ctpr, ctpr), CS0.opc, opc), CS0.param, param);
}

function setCs0(b: Bundle, v: number, name: string): void {
  if (b.cs0 !== -1)
    throw new BundleError(
      `cannot encode \`${name}': CS0 in the current wide instruction is already busy`,
    );
  b.cs0 = v >>> 0;
}

export function setCtcond(b: Bundle, v: number): void {
  if (b.ctcond !== -1)
    throw new BundleError('explicitly overriding non-default value of ss.ctcond');
  b.ctcond = v;
  b.useSS();
}

export function setCs1(b: Bundle, st: ControlState, v: number, name: string, msg: string): void {
  if (b.cs1 !== -1) throw new BundleError(msg);
  b.cs1 = v >>> 0;
  st.cs1Name = name;
}

function splitCond(rest: string): [string, string | null] {
  const q = rest.indexOf('?');
  return q < 0 ? [rest.trim(), null] : [rest.slice(0, q).trim(), rest.slice(q + 1).trim()];
}

function bit(ctx: BundleContext, name: string, v: string | undefined): number {
  if (v === undefined) return 0;
  const n = value(ctx, v);
  if (n !== 0 && n !== 1) throw new BundleError(`invalid ${name} value; should be either 0 or 1`);
  return n;
}

const V6ONLY = new Set(['fillr', 'fillc', 'iret', 'hret', 'glaunch', 'hcall', 'icall']);
const V3PLUS = new Set(['gettsd', 'flushts', 'slrp']);
const CONTROL = new Set([
  ...V6ONLY,
  ...V3PLUS,
  ...['nop', 'loop_mode', 'set_mark', 'ipd', 'alc', 'abn', 'abp', 'abg', 'bap', 'eap', 'vfdi'],
  ...['srp', 'crp', 'disp', 'ldisp', 'sdisp', 'return', 'pref', 'ct', 'call', 'ibranch'],
  ...['rbranch', 'done', 'setwd', 'settr', 'vfrpsz', 'setbn', 'setbp', 'setei', 'setsft'],
  ...['wait', 'flushr', 'flushc'],
]);

/** Handles one control statement; returns false if `name` is not a control mnemonic. */
export function controlStatement(
  b: Bundle,
  st: ControlState,
  ctx: BundleContext,
  name: string,
  rest: string,
  whole: string,
): boolean {
  const iset = ctx.iset;
  if (!CONTROL.has(name)) return false;
  if ((V6ONLY.has(name) && iset < 6) || (V3PLUS.has(name) && iset < 3)) {
    throw new BundleError(`unknown instruction \`${name}'`);
  }
  switch (name) {
    case 'nop': {
      if (rest.trim() === '') {
        st.nop = -2;
        return true;
      }
      const n = value(ctx, rest);
      if (n < 0 || n > 7) throw new BundleError('illegal nop number');
      st.nop = n;
      return true;
    }
    case 'loop_mode':
      b.loopMode = true;
      return true;
    case 'set_mark':
      b.setMark = true;
      return true;
    case 'ipd': {
      const n = value(ctx, rest);
      if (n < 0 || n > 3) throw new BundleError(`invalid ipd value ${n}; should be < 3`);
      if (b.ipd !== -1 && b.ipd !== n)
        throw new BundleError('explicitly overriding non-default value of ss.ipd');
      b.ipd = n;
      b.useSS();
      return true;
    }
    case 'alc':
    case 'abn':
    case 'abp': {
      const [f, t, sf, stt] = {
        alc: ['alcf', 'alct', SS.alcf, SS.alct],
        abn: ['abnf', 'abnt', SS.abnf, SS.abnt],
        abp: ['abpf', 'abpt', SS.abpf, SS.abpt],
      }[name] as [string, string, Field, Field];
      let fv: number;
      let tv: number;
      const n = parseNumber(rest);
      if (n !== null) {
        if (n > 3)
          throw new BundleError(`invalid ${name} value: should lie in the interval from 0 to 3`);
        fv = n >> 1;
        tv = n & 1;
      } else {
        const p = params(rest, [f, t], name);
        fv = bit(ctx, f, p.get(f));
        tv = bit(ctx, t, p.get(t));
      }
      b.ssBits = set(set(b.ssBits, sf, fv), stt, tv);
      b.useSS();
      return true;
    }
    case 'abg': {
      const n = value(ctx, rest);
      if (n < 0 || n > 3)
        throw new BundleError('invalid abg value: should lie in the interval from 0 to 3');
      b.ssBits = set(set(b.ssBits, SS.abgi, n >> 1), SS.abgd, n & 1);
      b.useSS();
      return true;
    }
    case 'bap':
    case 'eap':
    case 'vfdi':
      b.ssBits = set(b.ssBits, name === 'bap' ? SS.bap : name === 'eap' ? SS.eap : SS.vfdi, 1);
      b.useSS();
      return true;
    case 'srp':
    case 'crp':
    case 'slrp': {
      const [, cond] = splitCond(rest);
      if (name !== 'crp') b.ssBits = set(b.ssBits, SS.srp, 1);
      if (name !== 'srp') b.ssBits = set(b.ssBits, SS.crp, 1);
      b.useSS();
      if (cond !== null) {
        if (iset < 3)
          throw new BundleError('Recovery Point Conditions are not supported for elbrus-v2');
        const p = parsePred(cond);
        if (!p) throw new BundleError(`invalid predicate \`${cond}'`);
        // A recovery-point condition is an MRGC entry for ALC0..2 with only mask bit 3.
        let e = set(set(0, CDS.opc, 2), CDS.mask, 8);
        e = set(set(e, CDS.neg, p.neg ? 4 : 0), CDS.pred, (p.kind === 'pred' ? 0x60 : 0x40) | p.n);
        b.addCds(e);
      }
      return true;
    }
    case 'flushts':
      b.ss2 = SS_FLUSHTS;
      return true;
    case 'disp':
    case 'ldisp': {
      const ops = splitOperands(rest);
      const n = ctprOf(ops[0] ?? '', name);
      if (name === 'ldisp' && n !== 2) throw new BundleError(`%ctpr${n} is not supported by ldisp`);
      const d = dispField(b, ctx, ops[1] ?? '');
      setCs0(b, cs0(n, name === 'ldisp' ? CS0_OPC.LDISP : CS0_OPC.DISP, d), name);
      return true;
    }
    case 'sdisp': {
      const ops = splitOperands(rest);
      const n = ctprOf(ops[0] ?? '', name);
      const v = value(ctx, ops[1] ?? '');
      if (v < 0 || v > 31) throw new BundleError('invalid value for CS0.disp in SDISP specified');
      setCs0(b, cs0(n, CS0_OPC.SDISP, v), name);
      return true;
    }
    case 'return':
    case 'gettsd': {
      const n = ctprOf(rest, name);
      if (name === 'return' && n !== 3)
        throw new BundleError(`%ctpr${n} is not supported by return`);
      setCs0(b, cs0(n, CS0_OPC.RETURN, name === 'gettsd' ? 1 : 0), name);
      return true;
    }
    case 'pref': {
      const ops = splitOperands(rest);
      const m = /^%ipr(\d+)$/.exec((ops[0] ?? '').trim());
      if (!m || Number(m[1]) > 7) throw new BundleError('invalid index for %ipr');
      const p = new Map(parseParams(ops.slice(1).join(',')));
      const ipd = p.has('ipd') ? value(ctx, p.get('ipd')!) : 0;
      if (ipd !== 0 && ipd !== 1) throw new BundleError('invalid value for ipd');
      const disp = p.has('disp') ? value(ctx, p.get('disp')!) : 0;
      const param = set(set(set(0, PREF.disp, disp), PREF.ipd, ipd), PREF.ipr, Number(m[1]));
      setCs0(b, set(param, CS0.opc, CS0_OPC.PREF), name);
      return true;
    }
    case 'ct': {
      const [target, cond] = splitCond(rest);
      const n = ctprOf(target, 'ct');
      if (cond !== null && /%MLOCK/.test(cond)) {
        throw new BundleError('%MLOCK control transfer condition is applicable only to ibranch');
      }
      const c = parseCtCond(cond ?? '', whole);
      b.ssBits = set(b.ssBits, SS.ctop, n);
      setCtcond(b, c.value);
      return true;
    }
    case 'call': {
      const [args, cond] = splitCond(rest);
      const ops = splitOperands(args);
      const n = ctprOf(ops[0] ?? '', 'ct');
      const w = ops[1]?.replace(/^wbs\s*=\s*/, '');
      if (w === undefined || w.trim() === '') throw new BundleError('wbs value expected');
      const wbs = value(ctx, w);
      b.ssBits = set(b.ssBits, SS.ctop, n);
      setCtcond(b, parseCtCond(cond ?? '', whole).value);
      setCs1(
        b,
        st,
        set(set(0, CS1.opc, CS1_OPC.CALL), CS1.wbs, wbs),
        'call',
        'cannot encode CALL, CS1 syllable is already busy',
      );
      return true;
    }
    case 'ibranch':
    case 'rbranch': {
      const [target, cond] = splitCond(rest);
      const c = parseCtCond(cond ?? '', whole, name === 'rbranch', iset);
      st.mlock = c.mlock;
      setCs0(b, dispField(b, ctx, target), name);
      setCtcond(b, c.value);
      return true;
    }
    case 'done':
    case 'iret':
    case 'hret':
    case 'glaunch': {
      const [, cond] = splitCond(rest);
      const code = { done: 0, iret: 2, hret: 3, glaunch: 4 }[name];
      setCs0(b, cs0(0, CS0_OPC.DONE, code), name);
      setCtcond(b, parseCtCond(cond ?? '', whole).value);
      return true;
    }
    case 'hcall':
    case 'icall': {
      const [args, cond] = splitCond(rest);
      const ops = splitOperands(args);
      const w = ops[1]?.replace(/^wbs\s*=\s*/, '');
      if (w === undefined) throw new BundleError('wbs value expected');
      if (name === 'hcall') {
        const n = value(ctx, ops[0]);
        if (n < 0 || n > 15) throw new BundleError('invalid value for CS0.disp in HCALL specified');
        setCs0(b, cs0(0, CS0_OPC.IBRANCH, n << 1), name);
      } else setCs0(b, dispField(b, ctx, ops[0]), name);
      setCtcond(b, parseCtCond(cond ?? '', whole).value);
      const kind = name === 'icall' ? 1 : 2;
      setCs1(
        b,
        st,
        set(set(set(0, CS1.opc, CS1_OPC.CALL), CS1.callKind, kind), CS1.wbs, value(ctx, w)),
        name,
        'cannot encode CALL, CS1 syllable is already busy',
      );
      return true;
    }
    case 'setwd':
    case 'settr':
    case 'vfrpsz':
    case 'setbn':
    case 'setbp':
      setCommand(b, st, ctx, name, rest, whole);
      return true;
    case 'setei':
    case 'setsft': {
      const v = name === 'setsft' ? set(0, CS1.setsft, 1) : set(0, CS1.setei, value(ctx, rest));
      setCs1(
        b,
        st,
        set(v, CS1.opc, CS1_OPC.SETEI),
        name,
        `cannot encode ${name.toUpperCase()}, CS1 syllable is already busy`,
      );
      return true;
    }
    case 'wait':
      waitCommand(b, st, ctx, rest);
      return true;
    case 'flushr':
    case 'flushc':
    case 'fillr':
    case 'fillc': {
      const bitv = { flushr: 1, flushc: 2, fillr: 4, fillc: 8 }[name];
      if (b.cs1 !== -1 && st.cs1Name !== 'flush')
        throw new BundleError(`Cannot encode \`${name}' because CS1 is busy`);
      b.cs1 = ((b.cs1 === -1 ? set(0, CS1.opc, CS1_OPC.FLUSH) : b.cs1) | bitv) >>> 0;
      st.cs1Name = 'flush';
      return true;
    }
    default:
      return false;
  }
}
