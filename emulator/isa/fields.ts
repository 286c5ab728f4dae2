/**
 * Bit fields of the control-type syllables (encoding.md §5, §9-§13), described once as data
 * and shared by the encoder and the decoder/disassembler. `get`/`set` read and write them.
 */
export interface Field {
  readonly shift: number;
  readonly mask: number;
}

function f(hi: number, lo: number): Field {
  return { shift: lo, mask: hi - lo === 31 ? 0xffffffff : (1 << (hi - lo + 1)) - 1 };
}

export function get(word: number, fl: Field): number {
  return (word >>> fl.shift) & fl.mask;
}

/** `word` with field `fl` replaced by `value` (as an unsigned 32-bit number). */
export function set(word: number, fl: Field, value: number): number {
  return ((word & ~(fl.mask << fl.shift)) | ((value & fl.mask) << fl.shift)) >>> 0;
}

/** SS, format 1 (bit 20 = 0). */
export const SS = {
  ipd: f(31, 30),
  eap: f(29, 29),
  bap: f(28, 28),
  srp: f(27, 27),
  vfdi: f(26, 26),
  crp: f(25, 25),
  abgi: f(24, 24),
  abgd: f(23, 23),
  abnf: f(22, 22),
  abnt: f(21, 21),
  format2: f(20, 20),
  abpf: f(19, 19),
  abpt: f(18, 18),
  alcf: f(17, 17),
  alct: f(16, 16),
  /** mova channel c present: bit 12 + c. */
  aa: f(15, 12),
  ctop: f(11, 10),
  ctcond: f(8, 0),
  ctcondType: f(8, 5),
  ctcondPsrc: f(4, 0),
} as const;

/** gas's encoding of `flushts` (SS format 2). */
export const SS_FLUSHTS = 0xd4100000;

export const CS0 = { ctpr: f(31, 30), opc: f(29, 28), param: f(27, 0) } as const;
/** CS0 operations with ctpr = 0 (opc) and ctpr ≠ 0 (opc). */
export const CS0_OPC = {
  IBRANCH: 0,
  PREF: 1,
  PUTTSD: 2,
  DONE: 3,
  DISP: 0,
  LDISP: 1,
  SDISP: 2,
  RETURN: 3,
} as const;
export const PREF = { disp: f(27, 4), ipd: f(3, 3), ipr: f(2, 0) } as const;

export const CS1 = {
  opc: f(31, 28),
  /** SETR0/SETR1/SETBR parameters. */
  rbs: f(5, 0),
  rsz: f(11, 6),
  rcur: f(17, 12),
  psz: f(22, 18),
  settr: f(25, 25),
  setbn: f(26, 26),
  setbp: f(27, 27),
  /** SETEI/SETSFT. */
  setsft: f(27, 27),
  setei: f(7, 0),
  /** CALL. */
  wbs: f(6, 0),
  callKind: f(9, 7),
  /** MAS per channel 0, 2, 3, 5. */
  mas0: f(27, 21),
  mas2: f(20, 14),
  mas3: f(13, 7),
  mas5: f(6, 0),
} as const;
export const CS1_OPC = {
  SETR0: 0,
  SETR1: 1,
  SETEI: 2,
  WAIT: 3,
  SETBR: 4,
  CALL: 5,
  MAS: 6,
  FLUSH: 7,
  VFBG: 8,
} as const;
/** MAS field of each load/store channel (-1: no MAS). */
export const MAS_FIELD: readonly (Field | null)[] = [
  CS1.mas0,
  null,
  CS1.mas2,
  CS1.mas3,
  null,
  CS1.mas5,
];

/** LTS0 parameter word of SETR0/SETR1. */
export const SETR_LTS0 = {
  dbl: f(3, 3),
  nfx: f(4, 4),
  wsz: f(11, 5),
  rpsz: f(16, 12),
  type: f(31, 17),
} as const;

/** WAIT bits: name → [bit, first ISA level, bit also set (-1 none)]. */
export const WAIT_BITS: Readonly<Record<string, readonly [number, number, number]>> = {
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

export const PLS = {
  elp0: f(30, 24),
  elp1: f(22, 16),
  clpOpc: f(15, 14),
  neg0: f(13, 13),
  p0: f(12, 10),
  neg1: f(9, 9),
  p1: f(8, 6),
  vdst: f(5, 5),
  pred: f(4, 0),
} as const;
/** CLP/MLP opcodes (PLS.clpOpc). */
export const CLP_OPS = ['andp', 'landp', '', 'movep'] as const;

/** One 16-bit CDS entry. */
export const CDS = { opc: f(15, 14), mask: f(13, 10), neg: f(9, 7), pred: f(6, 0) } as const;

/** AAS2..AAS5 (mova operation halves). */
export const AAS = {
  be: f(15, 15),
  opc: f(14, 12),
  area: f(10, 6),
  ind: f(5, 1),
  am: f(0, 0),
} as const;
export const MOVA_OPS = ['', 'movab', 'movah', 'movaw', 'movad', 'movaq', '', 'movaqp'] as const;
