/**
 * assembleBundle: the operations of one bundle → bytes + fixups, packed like MCST gas.
 * Statements are parsed in source order; ALU channels are then assigned (gas's odometer
 * search, encoding.md §15 step 2), operations encoded, implicit parts added and the bundle
 * packed.
 */
import type { AssembledBundle, BundleContext } from '../bundle-api';
import { BundleError } from '../bundle-api';
import { encodeAlu } from './alu-encode';
import type { PendingAlu } from './alu-parse';
import { parseAlu, parseHead } from './alu-parse';
import { Bundle } from './bundle';
import type { ControlState } from './control';
import { controlStatement, setCtcond } from './control';
import { parseCtCond } from './ctcond';
import { fapbEntry } from './fapb';
import type { Incr } from './aau';
import { attachIncrs, parseIncr } from './aau';
import { expandClp, movaStatement, pluStatement } from './plu';

/** State registers whose braceless write also gets `wait all_e=1` (encoding.md §15). */
const WAIT_AFTER_WRITE = new Set([
  0x00, 0x06, 0x07, 0x09, 0x0b, 0x0d, 0x0f, 0x21, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2c, 0x2d, 0x34,
  0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
]);
const NEEDS_WHOLE = new Set([
  'ct',
  'call',
  'ibranch',
  'rbranch',
  'done',
  'iret',
  'hret',
  'glaunch',
  'hcall',
  'icall',
  'setwd',
]);
/** %cud.hi/lo, %gd.hi/lo: a braceless read gets `nop 4`. */
const NOP4_READ = new Set([0x30, 0x31, 0x32, 0x33]);

/**
 * gas's channel search: operations in source order, each trying its allowed channels in
 * ascending order (odometer, last operation fastest); the first conflict-free assignment wins.
 */
function assignFrom(alus: PendingAlu[], i: number, used: number): boolean {
  if (i === alus.length) return true;
  const p = alus[i];
  for (let c = 0; c < 6; c++) {
    if (p.explicitCh >= 0 ? c !== p.explicitCh : (p.mask & (1 << c)) === 0) continue;
    if (p.pair && c + p.pair > 5) continue;
    const need = (1 << c) | (p.pair ? 1 << (c + p.pair) : 0);
    if (used & need) continue;
    p.ch = c;
    if (assignFrom(alus, i + 1, used | need)) return true;
  }
  return false;
}

/** The Bundle reused by assembleBundle; null while it is in use (a nested call makes its own). */
let spare: Bundle | null = null;

export function assembleBundle(ops: string[], ctx: BundleContext): AssembledBundle {
  const b = spare ?? new Bundle(ctx.iset);
  if (b === spare) {
    spare = null;
    b.reset(ctx.iset);
  }
  try {
    return assembleInto(b, ops, ctx);
  } finally {
    spare = b;
  }
}

function assembleInto(b: Bundle, ops: string[], ctx: BundleContext): AssembledBundle {
  const st: ControlState = { mlock: null, nop: -1, cs1Name: null, setwd: false };
  const alus: { p: PendingAlu; stmt: number }[] = [];
  const incrs: Incr[] = [];
  let statements = 0;
  for (let i = 0; i < ops.length; i++) {
    const text = ops[i].trim();
    if (text === '') continue;
    if (text.indexOf('{') >= 0) throw new BundleError("unexpected `{'");
    if (text.indexOf('}') >= 0) throw new BundleError("unexpected `}'");
    statements++;
    b.stmt = i;
    const head = parseHead(text);
    const name = head.name;
    // The statement as gas echoes it in some messages (operands without blanks).
    const whole = NEEDS_WHOLE.has(name) ? `${name} ${head.rest.replace(/\s+/g, '')}` : name;
    if (name === 'clpandp' || name === 'clplandp') {
      expandClp(b, ctx, name, head.rest);
      continue;
    }
    if (name === 'fapb') {
      if (ops.filter((o) => o.trim() !== '').length !== 1)
        throw new BundleError('fapb must be alone');
      return { bytes: fapbEntry(ctx, head.rest), fixups: [], warnings: [] };
    }
    if (pluStatement(b, ctx, name, head.rest)) continue;
    if (name.startsWith('mova') && movaStatement(b, ctx, name, head.ch, head.rest)) continue;
    if (name === 'incr') {
      incrs.push(parseIncr(head.ch, head.rest, i));
      continue;
    }
    if (controlStatement(b, st, ctx, name, head.rest, whole)) continue;
    const p = parseAlu(ctx, text, head);
    alus.push({ p, stmt: i });
    if (alus.length > 6) throw new BundleError('An excessive ALF instruction');
  }
  const pending = alus.map((a) => a.p);
  if (!assignFrom(pending, 0, 0))
    throw new BundleError('ALSes cannot be packed into a wide command');
  attachIncrs(b, incrs, pending);
  for (const a of alus) {
    b.stmt = a.stmt;
    encodeAlu(b, a.p, a.stmt);
    if (a.p.warning) b.warnings.push(a.p.warning);
    if (a.p.ctcond !== null) setCtcond(b, parseCtCond(a.p.ctcond, a.p.name).value);
  }
  checkMlock(st, pending, b);
  if (st.nop >= 0) b.nop = st.nop;
  else if (st.nop === -2 && statements > 1) b.nop = 1;
  if (!ctx.braced && alus.length === 1) braceless(b, alus[0].p);
  const { bytes, fixups } = b.pack();
  return { bytes, fixups, warnings: b.warnings };
}

/** gas's implicit delays for a statement written without braces (asm-syntax.md §9). */
function braceless(b: Bundle, p: PendingAlu): void {
  if (p.kind === 'cmp') b.nop = /^(f|pf|qpf)/.test(p.name) ? 4 : 2;
  else if (p.kind === 'ccto') b.nop = 2;
  else if (p.kind === 'rw') {
    b.nop = 5;
    if (WAIT_AFTER_WRITE.has(p.dst) && b.cs1 === -1) b.cs1 = ((3 << 28) | 2) >>> 0;
  } else if (p.kind === 'rr' && NOP4_READ.has(p.src1)) b.nop = 4;
}

/** `%MLOCK || %dt_alN / %cmpN` must name speculative ops / compares of this bundle. */
function checkMlock(st: ControlState, alus: PendingAlu[], b: Bundle): void {
  const m = st.mlock;
  if (!m) return;
  void b;
  for (const c of m.items) {
    if (m.kind === 'dt_al' && !alus.some((p) => p.ch === c && p.sm && p.explicitCh === c)) {
      throw new BundleError(
        `no speculative operation with an explicit ALC matches %dt_al[${c}] in control transfer condition`,
      );
    }
    if (
      m.kind === 'cmp' &&
      !alus.some((p) => p.ch === c && p.kind === 'cmp' && p.explicitCh === c)
    ) {
      throw new BundleError(
        `no integer comparison with an explicitly specified ALC matches %cmp${c} in ctcond`,
      );
    }
  }
}
