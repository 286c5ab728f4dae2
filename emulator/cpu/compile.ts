/**
 * Turns a decoded bundle (emulator/isa decodeBundle) into the executor's form, once per
 * bundle address (cached per code page, cpu.ts). Everything that depends only on the bytes
 * is resolved here: operation implementations, operand kinds, literal values, CDS/PLS
 * conditions, control syllable fields. Encodings the hardware rejects (encoding.md §16)
 * become `illegal` so executing the bundle raises illegal-opcode.
 *
 * The result keeps nothing of the decoder's output (no layout, no DecodedAlu records): the
 * CPU decodes every bundle into one reused DecodedBundle, and a cached bundle costs only its
 * CompiledBundle and CAlu objects (conditions absent → one shared empty array).
 */
import type { DecodedBundle } from '../isa/decode';
import { literalOf } from '../isa/decode';
import type { OpEntry } from '../isa/ops';
import { FP_OPS, fpCompare } from './alu-fp';
import { ccTest, INT_OPS, intCompare } from './alu-int';
import { flagOp } from './alu-flags';
import type { Impl } from './operands';
import { BRANCHD, SPECIAL_OPS } from './alu-special';
import { combinedOp } from './alu-combined';
import { PACKED_OPS } from './alu-packed';
import { quadOp } from './alu-quad';
import { packedPredCompare, qpxOp } from './alu-qpx';
import { AAU_AAD_HI, aauSelector } from './aau';
import { lit8Op, SHUFFLE_OPS } from './alu-shuffle';
import { isX80, X80_OPS, x80Compare } from './alu-x80';

/** Destination kinds. */
export const enum DK {
  None = 0,
  Reg = 1,
  Pred = 2,
  Ctpr = 3,
  State = 4,
}

/** Memory behaviour of an ALU operation. */
export const enum MK {
  None = 0,
  Load = 1,
  Store = 2,
}

export interface CAlu {
  ch: number;
  name: string;
  op: OpEntry;
  impl: Impl | null;
  sm: boolean;
  /** Operand kinds: 0 register (code), 1 immediate (value), -1 absent. */
  k1: number;
  c1: number;
  i1lo: number;
  i1hi: number;
  k2: number;
  c2: number;
  i2lo: number;
  i2hi: number;
  k3: number;
  c3: number;
  /** Source widths (32 or 64) used for tag checks; result width. */
  w1: number;
  w2: number;
  w3: number;
  dw: number;
  dk: DK;
  /** Destination code (register code, predicate number, ctpr number, state register). */
  dst: number;
  /** Tags are copied/inspected by the op itself (movt*, puttag, gettag). */
  tagPass: boolean;
  mk: MK;
  memSize: number;
  /**
   * Register-pair loads/stores (ldq/stq): byte offset of this channel's half (0 first, 8
   * second) and the alignment the whole 16-byte access needs; 0 for other memory ops.
   */
  memOff: number;
  memAlign: number;
  /**
   * AAU (aau.ts): staa — aad | aasti << 5 | aaincr << 9 | incr-enabled << 12 (literal in
   * i2lo); aaurw/aaurr — the register selector (class << 8 | index).
   */
  aau: number;
  /** Special handling in the executor: 'rr', 'getsp', 'gettag', 'puttag', 'movt'. */
  special: string;
  /** RLP: %pred conditions (code 0x60|n with neg bit 7), %pcnt conditions; empty = always. */
  rlpPred: number[];
  rlpPcnt: number[];
  /**
   * CDS conditions of the AM unit (mask bit 3, encoding.md §12) for staa/ldaa in ALC2/ALC5:
   * the `incr` post-increment happens only when they hold; %pred n | neg << 7, %pcnt ones
   * with bit 8 set; empty = always.
   */
  amRlp: number[];
  /** MRGC condition (pred number | neg<<7) or -1. */
  mrgc: number;
  /** MAS for this channel (CS1 MAS). */
  mas: number;
  /** Has RLP conditions (rlpPred or rlpPcnt non-empty). */
  hasRlp: boolean;
  /** merges/merged (value selected by the MRGC condition). */
  isMerge: boolean;
  /**
   * Common case for the executor's fast path: no RLP, implemented, no memory/special/tag
   * handling, result to a register (1 = 64-bit, 2 = 32-bit) or predicate (3); 0 = general path.
   */
  plain: number;
  /** Has 128-bit operands or result (v5+ quad registers). */
  quad: boolean;
  /** 80-bit operation (rounding control and flags from %fpcr/%fpsr). */
  x80: boolean;
}

export interface CompiledBundle {
  ip: number;
  length: number;
  illegal: string | null;
  alu: CAlu[];
  loopMode: boolean;
  /** SS fields, -1 ss absent. */
  hasSS: boolean;
  ctop: number;
  ctcond: number;
  alct: boolean;
  alcf: boolean;
  abnt: boolean;
  abnf: boolean;
  abpt: boolean;
  abpf: boolean;
  /** CS0: 0 none, 1 disp, 2 sdisp, 3 return, 4 ibranch. */
  cs0Kind: number;
  /**
   * Privileged control operation (system mode, emulator/cpu/system): 0 none, 1 done,
   * 2 iret, 3 hret, 4 glaunch, 5 hcall (number in `sysArg`). Such bundles also carry
   * `illegal` so the user-mode executor refuses them (exc_priv_action).
   */
  sysop: number;
  sysArg: number;
  /** CS1 WAIT fields (encoding.md §10; bit 12 `int` = wait for interrupt), 0 if none. */
  waitBits: number;
  cs0Ctpr: number;
  cs0Target: number;
  /** CS1 */
  setwd: boolean;
  wsz: number;
  nfx: number;
  dbl: number;
  setbn: boolean;
  rbs: number;
  rsz: number;
  rcur: number;
  setbp: boolean;
  psz: number;
  call: boolean;
  wbs: number;
  /** PLS: ELP sources (7-bit codes, -1 none) for @p0..@p3 and CLP words. */
  elp: number[];
  clp: number[];
  /** Has PLS syllables. */
  hasPls: boolean;
  /** Has setbn/setbp/alc/abn/abp/loop_mode work after the commit. */
  stubs: boolean;
  /** Has floating-point operations (the executor then loads the rounding mode). */
  fp: boolean;
  /** Has 80-bit operations (%fpcr rounding, %fpsr flags). */
  x80: boolean;
  /**
   * mova channels (aau.ts), each ch | opc << 2 | am << 5 | ind << 6 | area << 11 | be << 16
   * | dst << 17 (the AAS half's low 11 bits shifted by 5); null when the bundle has none.
   */
  mova: number[] | null;
  /** SS bap / eap: start / end the array prefetch program (aau.ts). */
  bap: boolean;
  eap: boolean;
  /** Has mova, bap or eap work (one test on the executor's path). */
  aauOps: boolean;
  /**
   * Only plain ALU channels (CAlu.plain) and ordinary loads/stores, with at most a ctpr preparation
   * and a ct/ibranch: nothing else to do before or after the commit, so the executor may
   * take its short path (cpu.ts execPlain).
   */
  plainOnly: boolean;
}

/** The one empty condition/PLS list every bundle without them shares (never pushed to). */
const NO_CONDS: number[] = [];

function sext28(v: number): number {
  return (v << 4) >> 4;
}

/** Width of the i-th operand letter. */
function width(c: string | undefined): number {
  return c === 's' ? 32 : c === 'p' ? 128 : 64;
}

/** The implementation of a table operation, or null when the CPU does not implement it. */
export function lookupImpl(op: OpEntry): Impl | null {
  if (op.kind === 'cmp') {
    if (op.opc >= 0x20 && op.opc <= 0x23) return intCompare(op.opc, (op.dstHi >> 5) & 7);
    if (op.opc === 0x2e || op.opc === 0x2f) return fpCompare(op.opc === 0x2f, (op.dstHi >> 5) & 7);
    // v6 packed compares to a predicate: any (op) / every (ap) lane
    if (op.opc2 === 2 && (op.opc === 0x28 || op.opc === 0x2c))
      return packedPredCompare(op.alesLo, op.opc === 0x2c);
    if (op.opc === 0x28 || op.opc === 0x29 || op.opc === 0x2b)
      return x80Compare(op.opc, (op.dstHi >> 5) & 7);
    return null;
  }
  if (op.kind === 'ccto') return ccTest((op.dstHi >> 5) & 7);
  if (/^(ld[bhwdq]|st[bhwdq]|ldqp|stqp)$/.test(op.name)) return SPECIAL_OPS.nop;
  if (SEGMENT_MEM.test(op.name)) return SPECIAL_OPS.nop;
  // register-pair move: each channel of the pair moves its own register (opcodes.md §4)
  if (op.name === 'movtq' || op.name === 'movtcq') return SPECIAL_OPS.movtd;
  // pmrgp (v6) is merged on a packed register (QEMU gen_merged); the executor selects
  if (op.name === 'pmrgp') return SPECIAL_OPS.merged;
  if (op.name.startsWith('qp')) return qpxOp(op.name, quadOp) ?? quadOp(op.name);
  if (op.name in X80_OPS) return X80_OPS[op.name];
  if (op.name.includes('_f') && op.opc2 >= 4 && op.opc2 <= 7) return flagOp(op.name);
  return (
    INT_OPS[op.name] ??
    FP_OPS[op.name] ??
    SPECIAL_OPS[op.name] ??
    PACKED_OPS[op.name] ??
    SHUFFLE_OPS[op.name] ??
    qpxOp(op.name, quadOp) ??
    combinedOp(op.name)
  );
}

const LOADS: Record<string, number> = { ldb: 1, ldh: 2, ldw: 4, ldd: 8, ldq: 8, ldqp: 16 };
const SIZE_LETTER: Record<string, number> = { b: 1, h: 2, w: 4, d: 8 };

/**
 * Segment-relative loads/stores of x86 binary translation (`ld{c,d,e,f,g,s}s{b,h,w,d}`,
 * `st…s{b,h,w,d}`, opcodes.md §6.1 appendix): the offset is the 32-bit sum of the two 32-bit
 * sources (wrapping). The docs leave the segment base uncertain; like QEMU the base is 0
 * (data.ts `segmentBase`, overridable). The register-pair forms `ld…sq/st…sq` stay illegal.
 */
const SEGMENT_MEM = /^(ld|st)[cdefgs]s[bhwd]$/;
const STORES: Record<string, number> = {
  stb: 1,
  sth: 2,
  stw: 4,
  std: 8,
  stq: 8,
  stqp: 16,
  stmqp: 16,
};

/**
 * staaq/ldaaq (register pair, opcodes.md §10): each channel of the pair moves its own 8-byte
 * register, the first at the AAU address, the second at +8 (QEMU gen_staaq stores the even
 * register low, the odd one high); the 16-byte access must be 16-byte aligned as ldq/stq
 * (QEMU, which lets MAS 0 accesses be unaligned, does not check), and the `incr`
 * post-increment is AAINCR << 3 (QEMU gen_aasti_incr: OP_STAAQ len 3), applied once, by
 * the first channel.
 */
function aauPair(u: CAlu, second: boolean): void {
  u.memSize = 8;
  u.memAlign = 16;
  if (second) {
    u.memOff = 8;
    u.aau &= ~(1 << 12);
  }
}

/**
 * staa/ldaa address fields (ALOPF10/19, opcodes.md §10) into u.aau = aad | aasti << 5 |
 * aaincr << 9 | incr-enabled << 12 and the literal into u.i2lo; false for a literal beyond
 * the LTS.
 */
function aauAddressing(u: CAlu, als: number, l: DecodedBundle['layout']): boolean {
  u.aau =
    ((als >>> 19) & 31) |
    (((als >>> 15) & 15) << 5) |
    (((als >>> 12) & 7) << 9) |
    (((als >>> 10) & 1) << 12);
  const sel = (als >>> 8) & 3;
  if (sel) {
    if (sel > l.ltsCount) return false;
    u.i2lo = l.lts[sel - 1] | 0;
  }
  return true;
}

/**
 * A load or store the short executor path takes too: ordinary (MAS 0, up to 8 bytes, no
 * RLP/MRGC/tag handling, not staa/ldaa/stmqp); a load's result is an ordinary register result.
 */
function plainMem(u: CAlu): boolean {
  return (
    (u.mk === MK.Load ? u.dk === DK.Reg : u.mk === MK.Store) &&
    u.special === '' &&
    u.mas === 0 &&
    u.memSize <= 8 &&
    !u.quad &&
    !u.hasRlp &&
    u.mrgc < 0 &&
    !u.tagPass
  );
}

export function compileBundle(db: DecodedBundle, ip: number): CompiledBundle {
  const l = db.layout;
  const cb: CompiledBundle = {
    ip,
    length: db.length || 8,
    illegal: db.invalid,
    alu: [],
    loopMode: db.loopMode,
    hasSS: l.ss !== -1,
    ctop: 0,
    ctcond: 0,
    alct: false,
    alcf: false,
    abnt: false,
    abnf: false,
    abpt: false,
    abpf: false,
    cs0Kind: 0,
    sysop: 0,
    sysArg: 0,
    waitBits: 0,
    cs0Ctpr: 0,
    cs0Target: 0,
    setwd: false,
    wsz: 0,
    nfx: 0,
    dbl: 0,
    setbn: false,
    rbs: 0,
    rsz: 0,
    rcur: 0,
    setbp: false,
    psz: 0,
    call: false,
    wbs: 0,
    elp: l.plsCount > 0 ? [] : NO_CONDS,
    clp: l.plsCount > 0 ? [] : NO_CONDS,
    hasPls: l.plsCount > 0,
    stubs: false,
    fp: false,
    x80: false,
    mova: null,
    bap: false,
    eap: false,
    aauOps: false,
    plainOnly: false,
  };
  if (cb.illegal) return cb;
  const bad = (why: string): CompiledBundle => {
    cb.illegal = why;
    return cb;
  };

  // SS (encoding.md §5)
  if (l.ss !== -1 && (l.ss & (1 << 20)) === 0) {
    const ss = l.ss;
    cb.ctop = (ss >>> 10) & 3;
    cb.ctcond = ss & 0x1ff;
    cb.alct = ((ss >>> 16) & 1) === 1;
    cb.alcf = ((ss >>> 17) & 1) === 1;
    cb.abpt = ((ss >>> 18) & 1) === 1;
    cb.abpf = ((ss >>> 19) & 1) === 1;
    cb.abnt = ((ss >>> 21) & 1) === 1;
    cb.abnf = ((ss >>> 22) & 1) === 1;
    const type = (cb.ctcond >>> 5) & 15;
    if (type >= 10 && type <= 13) return bad('reserved ct condition');
    cb.bap = ((ss >>> 28) & 1) === 1;
    cb.eap = ((ss >>> 29) & 1) === 1;
    for (let c = 0; c < 4; c++) {
      if (((ss >>> (12 + c)) & 1) === 0) continue;
      const aas = l.aas[2 + c];
      const dh = l.aas[c >> 1];
      if (aas < 0 || dh < 0) return bad(`mova channel ${c} without its AAS halves`);
      const opc = (aas >>> 12) & 7;
      if (opc === 0) continue; // QEMU: an empty mova slot
      if (opc === 6) return bad(`reserved mova opcode 6 in channel ${c}`);
      if (aas & (1 << 11)) return bad(`mova area above 31 in channel ${c}`);
      const dst = (c & 1 ? dh : dh >>> 8) & 0xff;
      if (dst >= 0xc0 && dst < 0xe0 && dst !== 0xdf) return bad(`bad mova destination ${dst}`);
      (cb.mova ??= []).push(
        c | (opc << 2) | ((aas & 0x7ff) << 5) | ((aas >>> 15) << 16) | (dst << 17),
      );
    }
    cb.aauOps = cb.mova !== null || cb.bap || cb.eap;
  }

  // CS1 (encoding.md §10)
  let masWord = 0;
  if (l.cs1 !== -1) {
    const cs1 = l.cs1 >>> 0;
    const opc = cs1 >>> 28;
    if (opc === 0 || opc === 1 || opc === 4) {
      if (opc !== 4) {
        if (l.ltsCount < 1) return bad('setwd without LTS0');
        const lts0 = l.lts[0];
        cb.setwd = true;
        cb.wsz = (lts0 >>> 5) & 0x7f;
        cb.nfx = (lts0 >>> 4) & 1;
        cb.dbl = (lts0 >>> 3) & 1;
        if (cb.wsz > 112) return bad('setwd wsz > 112');
      }
      if (cs1 & (1 << 26)) {
        cb.setbn = true;
        cb.rbs = cs1 & 0x3f;
        cb.rsz = (cs1 >>> 6) & 0x3f;
        cb.rcur = (cs1 >>> 12) & 0x3f;
      }
      if (cs1 & (1 << 27)) {
        cb.setbp = true;
        cb.psz = (cs1 >>> 18) & 0x1f;
      }
    } else if (opc === 5) {
      const ic = (cs1 >>> 7) & 7;
      if (ic === 2) {
        // hcall N (v6): N is the CS0 IBRANCH-form field (encoding.md §9)
        cb.sysop = 5;
        cb.wbs = cs1 & 0x7f;
        cb.sysArg = l.cs0 !== -1 ? ((l.cs0 >>> 0) & 0x0fffffff) >>> 1 : 0; // as binutils/disasm
        return bad('hcall is a hypervisor-call operation (privileged system mode only)');
      }
      if (ic) return bad('icall is not supported');
      cb.call = true;
      cb.wbs = cs1 & 0x7f;
      if (cb.ctop === 0) return bad('call without a ctpr');
    } else if (opc === 6) {
      masWord = cs1;
    } else if (opc >= 9) {
      return bad(`CS1 opcode ${opc}`);
    } else if (opc === 3) {
      cb.waitBits = cs1 & 0x3fff;
    }
    // 2 SETEI/SETSFT, 3 WAIT, 7 FLUSH, 8 VFBG: no architectural effect for user code here.
  }

  // CS0 (encoding.md §9)
  if (l.cs0 !== -1) {
    const cs0 = l.cs0 >>> 0;
    const ctpr = cs0 >>> 30;
    const opc = (cs0 >>> 28) & 3;
    const param = cs0 & 0x0fffffff;
    cb.cs0Ctpr = ctpr;
    if (ctpr !== 0) {
      if (opc === 0 || opc === 1) {
        if (opc === 1 && ctpr !== 2) return bad('ldisp with a ctpr other than %ctpr2');
        cb.cs0Kind = 1;
        cb.cs0Target = ip + sext28(param) * 8;
      } else if (opc === 2) {
        cb.cs0Kind = 2;
        cb.cs0Target = param;
      } else if ((param & 7) === 0) {
        if (ctpr !== 3) return bad('return needs %ctpr3');
        cb.cs0Kind = 3;
      } else return bad('gettsd is not supported');
    } else if (opc === 0) {
      cb.cs0Kind = 4;
      cb.cs0Target = ip + sext28(param) * 8;
      if (!cb.hasSS || cb.ctop !== 0 || cb.ctcond === 0 || cb.call)
        return bad('ibranch needs SS with ctop 0 and a condition');
    } else if (opc === 3) {
      const k = param & 7;
      cb.sysop = k === 0 ? 1 : k === 2 ? 2 : k === 3 ? 3 : k === 4 ? 4 : 0;
      if (cb.sysop === 0) return bad(`CS0 control operation ${k}`);
      return bad(`${['', 'done', 'iret', 'hret', 'glaunch'][cb.sysop]} is privileged`);
    }
    // opc 1 PREF, 2 PUTTSD: hints, no effect.
  }

  // CDS (encoding.md §12): RLP and MRGC entries per channel.
  const rlpPred: number[][] = [[], [], [], [], [], []];
  const rlpPcnt: number[][] = [[], [], [], [], [], []];
  const mrgc = [-1, -1, -1, -1, -1, -1];
  const amRlp: number[][] = [[], []];
  for (let i = 0; i < l.cdsCount; i++) {
    for (const e of [l.cds[i] >>> 16, l.cds[i] & 0xffff]) {
      if (e === 0) continue;
      const opc = (e >>> 14) & 3;
      const mask = (e >>> 10) & 15;
      const neg = (e >>> 7) & 7;
      const p = e & 0x7f;
      if (opc < 2 && mask & 8) {
        // the AM unit of ALC2 / ALC5 (shares neg bit 2)
        const n = (neg >>> 2) & 1;
        if ((p & 0x60) === 0x60) amRlp[opc].push((p & 31) | (n << 7));
        else if ((p & 0x60) === 0x40) amRlp[opc].push((p & 31) | (n << 7) | 0x100);
        else return bad('bad AM RLP predicate');
      }
      for (let j = 0; j < 3; j++) {
        if ((mask & (1 << j)) === 0) continue;
        const ch = j + (opc & 1) * 3;
        const n = (neg >>> j) & 1;
        if (opc < 2) {
          if ((p & 0x60) === 0x60) rlpPred[ch].push((p & 31) | (n << 7));
          else if ((p & 0x60) === 0x40) rlpPcnt[ch].push((p & 31) | (n << 7));
          else return bad('bad RLP predicate');
        } else {
          if ((p & 0x60) !== 0x60) return bad('bad MRGC predicate');
          mrgc[ch] = (p & 31) | (n << 7);
        }
      }
    }
  }

  // PLS (encoding.md §11)
  for (let i = 0; i < l.plsCount; i++) {
    const w = l.pls[i];
    if (i < 2) {
      cb.elp[2 * i] = (w >>> 24) & 0x7f;
      cb.elp[2 * i + 1] = (w >>> 16) & 0x7f;
    }
    if (((w >>> 14) & 3) === 2) return bad('reserved CLP opcode');
    cb.clp.push(w & 0xffff);
  }

  // ALU channels
  let loadMask = 0;
  let storeMask = 0;
  for (let ch = 0; ch < 6; ch++) {
    const a = db.alu[ch];
    if (!a) continue;
    if (!a.op) return bad(`unknown operation in ALS${ch}`);
    const op = a.op;
    // two-channel ops (movtq, ldq, stq): the decoder pairs channel ch with ch + op.pair;
    // each half carries its own register fields and executes as its own channel
    if (op.pair && !a.pairHalf && db.alu[ch + op.pair]?.pairHalf !== true)
      return bad(`${op.name} without its second channel`);
    let impl = lookupImpl(op);
    if (op.kind === 'lit8' || op.kind === 'lit8b') impl = lit8Op(op.name, a.ales & 0xff);
    const w = op.widths;
    const u: CAlu = {
      ch,
      name: op.name,
      op,
      impl,
      sm: a.sm,
      k1: -1,
      c1: 0,
      i1lo: 0,
      i1hi: 0,
      k2: -1,
      c2: 0,
      i2lo: 0,
      i2hi: 0,
      k3: -1,
      c3: 0,
      w1: 64,
      w2: 64,
      w3: 64,
      dw: 64,
      dk: DK.Reg,
      dst: a.dst,
      tagPass: false,
      mk: MK.None,
      memSize: 0,
      memOff: 0,
      memAlign: 0,
      aau: 0,
      special: '',
      rlpPred: rlpPred[ch].length > 0 ? rlpPred[ch] : NO_CONDS,
      rlpPcnt: rlpPcnt[ch].length > 0 ? rlpPcnt[ch] : NO_CONDS,
      amRlp:
        ch === 2 && amRlp[0].length > 0
          ? amRlp[0]
          : ch === 5 && amRlp[1].length > 0
            ? amRlp[1]
            : NO_CONDS,
      mrgc: mrgc[ch],
      mas: 0,
      hasRlp: rlpPred[ch].length + rlpPcnt[ch].length > 0,
      // qpmrgp selects whole 128-bit values in its implementation (x.mrg)
      isMerge: op.kind === 'merge' && op.name !== 'qpmrgp',
      plain: 0,
      quad: w.includes('p') || op.name.startsWith('qp'),
      x80: false,
    };
    if (masWord) {
      const shift = ch === 0 ? 21 : ch === 2 ? 14 : ch === 3 ? 7 : ch === 5 ? 0 : -1;
      if (shift >= 0) u.mas = (masWord >>> shift) & 0x7f;
    }
    const src1 = (): boolean => {
      if (a.src1 >= 0xc0 && a.src1 < 0xe0) {
        u.k1 = 1;
        u.i1lo = a.src1 & 0x1f;
      } else {
        u.k1 = 0;
        u.c1 = a.src1;
      }
      return true;
    };
    const src2 = (): boolean => {
      const c = a.src2;
      if (c < 0xc0 || c >= 0xe0) {
        u.k2 = 0;
        u.c2 = c;
        return true;
      }
      u.k2 = 1;
      if (c < 0xd0) {
        u.i2lo = c & 15;
        return true;
      }
      const lit = literalOf(l, c);
      if (!lit) return false;
      if (lit.size === 16) {
        u.i2lo = (lit.lo << 16) >> 16;
        u.i2hi = u.i2lo >> 31;
      } else if (lit.size === 32) {
        u.i2lo = lit.lo | 0;
        u.i2hi = u.i2lo >> 31;
      } else {
        u.i2lo = lit.lo | 0;
        u.i2hi = lit.hi | 0;
      }
      return true;
    };
    const src3 = (code: number): boolean => {
      if (code >= 0xc0 && code < 0xe0) return false;
      u.k3 = 0;
      u.c3 = code;
      return true;
    };
    const dstReg = (): boolean => {
      const c = a.dst;
      if (c < 0xc0 || c >= 0xe0) return true;
      if (c === 0xdf || c === 0xde || (c >= 0xcd && c <= 0xcf)) {
        u.dk = DK.None;
        return true;
      }
      if (c >= 0xd1 && c <= 0xd3) {
        if (ch !== 0 || !/^(movtc?d|getpl)$/.test(op.name)) return false;
        u.dk = DK.Ctpr;
        u.dst = c - 0xd0;
        return true;
      }
      return false;
    };
    if (op.name === 'ibranchd' || op.name === 'icalld') {
      // v6 computed branch/call (QEMU gen_ibranchd/gen_icalld): target = src2, the SS
      // condition (ctop 0) decides, icalld's wbs is the src1 field; cpu.ts transfers
      if (!cb.hasSS || cb.ctop !== 0 || cb.ctcond === 0 || cb.cs0Kind !== 0 || cb.call)
        return bad(`${op.name} needs SS with ctop 0 and a condition, and no other CS0/call`);
      if (a.sm || u.hasRlp) return bad(`${op.name} with ,sm or a channel predicate`);
      if (!src2()) return bad(`bad operand in ALS${ch} (${op.name})`);
      cb.cs0Kind = op.name === 'ibranchd' ? 5 : 6;
      if (cb.cs0Kind === 6) cb.wbs = a.src1 & 0x7f;
      const next = ip + (db.length || 8);
      u.k1 = 1;
      u.i1lo = (next % 4294967296) | 0;
      u.i1hi = Math.floor(next / 4294967296) | 0;
      u.w1 = u.w2 = u.dw = 64;
      u.impl = SPECIAL_OPS.branchd;
      if (a.dst === 0xdf) u.dk = DK.None;
      else if (BRANCHD.dst === 'illegal')
        u.impl = null; // QEMU implements only %empty
      else if (!dstReg() || u.dk !== DK.Reg) return bad(`bad destination of ${op.name}`);
      cb.alu.push(u);
      continue;
    }
    let ok = true;
    switch (op.kind) {
      case 'alu3':
        ok = src1() && src2() && dstReg();
        u.w1 = width(w[0]);
        u.w2 = width(w[1]);
        u.dw = width(w[2]);
        break;
      case 'alu2':
        ok = src2() && dstReg();
        u.w2 = width(w[0]);
        u.dw = width(w[1]);
        break;
      case 'cmp':
        ok = src1() && src2();
        u.w1 = width(w[0]);
        u.w2 = width(w[1]);
        u.dk = DK.Pred;
        u.dst = a.dst & 31;
        break;
      case 'ccto':
        ok = src2();
        u.w2 = 32;
        u.dk = DK.Pred;
        u.dst = a.dst & 31;
        break;
      case 'merge':
        ok = src1() && src2() && dstReg();
        u.w1 = u.w2 = u.dw = width(w[0]);
        if (u.mrgc < 0) ok = false;
        break;
      case 'mrg4':
        // merge_<op>: the MRGC condition selects src1/src2, then <op> with src3
        ok = src1() && src2() && src3(a.ales & 0xff) && dstReg() && u.mrgc >= 0;
        u.w1 = width(w[0]);
        u.w2 = width(w[1]);
        u.w3 = width(w[2]);
        u.dw = width(w[3]);
        break;
      case 'alu4':
        ok = src1() && src2() && src3(a.ales & 0xff) && dstReg();
        u.w1 = width(w[0]);
        u.w2 = width(w[1]);
        u.w3 = width(w[2]);
        u.dw = width(w[3]);
        break;
      case 'lit8':
        ok = src1() && src2() && dstReg();
        u.w1 = width(w[0]);
        u.w2 = width(w[1]);
        u.dw = width(w[3]);
        break;
      case 'lit8b':
        ok = src2() && dstReg();
        u.w2 = width(w[0]);
        u.dw = width(w[2]);
        break;
      case 'store':
        ok = src1() && src2() && src3(a.dst);
        u.dk = DK.None;
        u.w3 = width(w[2]);
        break;
      case 'rr':
        ok = dstReg();
        u.special = 'rr';
        u.dst = a.dst;
        u.c1 = a.src1;
        u.dw = width(w[1]);
        break;
      case 'rw':
        ok = src2();
        u.w2 = width(w[0]);
        u.dk = DK.State;
        u.dst = a.dst;
        break;
      case 'staa': {
        ok = src3(a.dst);
        u.dk = DK.None;
        u.w3 = width(w[0]);
        if (op.pair && u.mas === 0x3f && aauSelector((a.als >>> 8) & 0xffff) >>> 8 !== 0) {
          u.impl = null; // aaurwq of other than %aadN: not modelled
          break;
        }
        if (u.mas === 0x3f) {
          // aaurw: write an AAU register (MAS 0x3f selects it over staa); aaurwq's second
          // channel writes the descriptor's high half
          u.aau = aauSelector((a.als >>> 8) & 0xffff);
          if (u.aau < 0) return bad(`AAU register selector ${(a.als >>> 8) & 0xffff}`);
          if (op.pair && a.pairHalf) u.aau |= AAU_AAD_HI << 8;
          u.special = 'aaurw';
          u.impl = SPECIAL_OPS.nop;
          u.mas = 0;
          break;
        }
        u.special = 'staa';
        u.mk = MK.Store;
        // staab…staad 0x1c…0x1f; staaqp (opc2 2) 0x20: 16 bytes
        u.memSize = 1 << (op.opc - 0x1c);
        u.impl = SPECIAL_OPS.nop;
        storeMask |= 1 << ch;
        if (!aauAddressing(u, a.als, l)) return bad('staa literal beyond the LTS');
        if (op.pair) aauPair(u, a.pairHalf === true);
        break;
      }
      case 'ldaa':
        ok = dstReg();
        u.dw = width(w[1]);
        if (op.pair && u.mas === 0x3f && aauSelector((a.als >>> 8) & 0xffff) >>> 8 !== 0) {
          u.impl = null; // aaurrq of other than %aadN: not modelled
          break;
        }
        if (u.mas !== 0x3f) {
          // array load: the load twin of staa (aau.ts)
          u.special = 'ldaa';
          u.mk = MK.Load;
          // ldaab…ldaad 0x5c…0x5f; ldaaqp (opc2 2) 0x60: 16 bytes
          u.memSize = 1 << (op.opc - 0x5c);
          u.impl = SPECIAL_OPS.nop;
          loadMask |= 1 << ch;
          if (!aauAddressing(u, a.als, l)) return bad('ldaa literal beyond the LTS');
          if (op.pair) aauPair(u, a.pairHalf === true);
          break;
        }
        u.aau = aauSelector((a.als >>> 8) & 0xffff);
        if (u.aau < 0) return bad(`AAU register selector ${(a.als >>> 8) & 0xffff}`);
        if (op.pair && a.pairHalf) u.aau |= AAU_AAD_HI << 8;
        u.special = 'aaurr';
        u.impl = SPECIAL_OPS.nop;
        u.mas = 0;
        break;
      default:
        u.impl = null; // anything new
    }
    if (!ok) return bad(`bad operand in ALS${ch} (${op.name})`);
    if (SEGMENT_MEM.test(op.name)) {
      if (op.name.startsWith('ld')) {
        u.mk = MK.Load;
        loadMask |= 1 << ch;
      } else {
        u.mk = MK.Store;
        storeMask |= 1 << ch;
      }
      u.memSize = SIZE_LETTER[op.name[4]];
      u.impl = SPECIAL_OPS.nop;
      u.special = 'seg'; // data.ts: 32-bit offset + segment base
    } else if (op.name in LOADS) {
      u.mk = MK.Load;
      u.memSize = LOADS[op.name];
      u.impl = SPECIAL_OPS.nop;
      loadMask |= 1 << ch;
      if (op.name === 'ldq') {
        u.memOff = a.pairHalf ? 8 : 0;
        u.memAlign = 16;
      }
    } else if (op.name in STORES) {
      u.mk = MK.Store;
      u.memSize = STORES[op.name];
      u.impl = SPECIAL_OPS.nop;
      storeMask |= 1 << ch;
      if (op.name === 'stmqp') {
        u.special = 'stmqp'; // address src1, byte mask src2 (data.ts)
        u.w2 = 32;
      }
      if (op.name === 'stq') {
        u.memOff = a.pairHalf ? 8 : 0;
        u.memAlign = 16;
      }
    }
    if (/^(movt|gettag|puttag)/.test(op.name)) u.tagPass = true;
    if (op.name === 'getsp') u.special = 'getsp';
    if (op.name.startsWith('gettag')) u.special = 'gettag';
    if (op.name.startsWith('puttag')) u.special = 'puttag';
    if (op.name.startsWith('movt') && op.kind === 'alu2') u.special = 'movt';
    if (u.quad && w.length < 2) u.w1 = u.w2 = u.w3 = u.dw = 128; // qplog_N: widths not listed
    if (isX80(op.name)) {
      // x80 values keep sign/exponent in the register extension: read it for every source,
      // write it when the destination is 80-bit (opcodes.md §7.4)
      u.quad = true;
      u.w1 = u.w2 = 128;
      const dstX = /x$/.test(op.name) || /^(movif|movx[ac])$/.test(op.name);
      if (dstX && u.dk === DK.Reg) u.dw = 128;
      u.x80 = true;
      cb.x80 = true;
    }
    if (
      !u.quad &&
      !u.hasRlp &&
      u.impl !== null &&
      !u.tagPass &&
      u.mk === MK.None &&
      u.special === '' &&
      !u.isMerge &&
      u.mrgc < 0
    ) {
      if (u.dk === DK.Reg) u.plain = u.dw === 32 ? 2 : 1;
      else if (u.dk === DK.Pred) u.plain = 3;
    }
    if (/^(q?p?f|[a-z]+to[a-z]+$)/.test(op.name) || op.name.includes('_f')) cb.fp = true;
    cb.alu.push(u);
  }
  cb.stubs =
    cb.setbn ||
    cb.setbp ||
    cb.alct ||
    cb.alcf ||
    cb.abnt ||
    cb.abnf ||
    cb.abpt ||
    cb.abpf ||
    cb.loopMode;
  // encoding.md §16: store in ALC2 with a load in ALC3, or store in ALC5 with a load in ALC0.
  if ((storeMask & 4 && loadMask & 8) || (storeMask & 32 && loadMask & 1))
    return bad('store and load channel conflict');
  cb.plainOnly =
    !cb.setwd &&
    !cb.fp &&
    !cb.x80 &&
    !cb.loopMode &&
    !cb.aauOps &&
    !cb.hasPls &&
    !cb.stubs &&
    !cb.call &&
    cb.sysop === 0 &&
    cb.alu.every((u) => u.plain !== 0 || plainMem(u));
  return cb;
}
