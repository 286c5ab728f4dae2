/**
 * Operand-level syntax of MCST gas for one bundle operation (asm-syntax.md §4-§6):
 * splitting operands, registers, predicates and literal prefixes. No encoding decisions here.
 */
import { BundleError } from '../bundle-api';

const LIT_PREFIXES =
  /^(?:_(?:f16s?|f32s?|f64|lts\d(?:lo|hi)?|lit\d+_ref)\s*,\s*)*_(?:f16s?|f32s?|f64|lts\d(?:lo|hi)?|lit\d+_ref)$/;

/** Splits on top-level commas; `_f16s,_lts1 0x7` (literal prefixes) stay one operand. */
export function splitOperands(text: string): string[] {
  const out: string[] = [];
  if (text.indexOf('[') < 0 && text.indexOf(']') < 0) {
    // No brackets: every comma separates (same result as the loop below, found natively).
    let start = 0;
    for (;;) {
      const i = text.indexOf(',', start);
      const part = (i < 0 ? text.slice(start) : text.slice(start, i)).trim();
      const prev = out.length ? out[out.length - 1] : undefined;
      if (prev !== undefined && prev.charCodeAt(0) === 95 && LIT_PREFIXES.test(prev)) {
        out[out.length - 1] = `${prev},${part}`;
      } else out.push(part);
      if (i < 0) break;
      start = i + 1;
    }
    if (out.length === 1 && out[0] === '') return [];
    return out;
  }
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 44;
    if (c === 91) depth++;
    else if (c === 93) depth--;
    else if (c === 44 && depth === 0) {
      const part = text.slice(start, i).trim();
      start = i + 1;
      const prev = out.length ? out[out.length - 1] : undefined;
      // `_f16s,_lts1 0x7`: literal prefixes belong to the operand that follows them.
      if (prev !== undefined && prev.charCodeAt(0) === 95 && LIT_PREFIXES.test(prev)) {
        out[out.length - 1] = `${prev},${part}`;
      } else out.push(part);
    }
  }
  if (out.length === 1 && out[0] === '') return [];
  return out;
}

/** Counts `[` and `]`; true when they balance. */
export function bracketsBalanced(text: string): boolean {
  if (text.indexOf('[') < 0 && text.indexOf(']') < 0) return true;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91) n++;
    else if (c === 93) n--;
  }
  return n === 0;
}

/** Register code (encoding.md §7.1) for `%r5`, `%dr5`, `%b[3]`, `%r[3]`, `%qpg2`..., or null. */
export function parseRegister(text: string): number | null {
  const n = text.length;
  if (n === 0 || text.charCodeAt(0) !== 37 /* % */) {
    // Not a register unless blanks surround one.
    if (n === 0 || !isBlankish(text.charCodeAt(0))) return null;
    return parseRegisterRegex(text);
  }
  // Fast path for `%[qp|d|x|q](r|g)N` written without blanks; anything else: the regex.
  let i = 1;
  let c = text.charCodeAt(1);
  if (c === 113 /* q */) i = text.charCodeAt(2) === 112 /* p */ ? 3 : 2;
  else if (c === 100 /* d */ || c === 120 /* x */) i = 2;
  c = text.charCodeAt(i);
  if ((c === 114 /* r */ || c === 103) /* g */ && i + 1 < n) {
    let v = 0;
    let j = i + 1;
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d < 48 || d > 57) break;
      v = v * 10 + (d - 48);
    }
    if (j === n && n - i - 1 <= 15) {
      if (c === 114) {
        if (v > 63) throw new BundleError('Illegal register index');
        return 0x80 | v;
      }
      if (v > 31) throw new BundleError('Illegal register index');
      return 0xe0 | v;
    }
  }
  return parseRegisterRegex(text);
}

/** Could be the start of blanks that `trim` removes (then the regex decides). */
function isBlankish(c: number): boolean {
  return c <= 32 || c >= 160;
}

function parseRegisterRegex(text: string): number | null {
  const m = /^%(?:qp|d|x|q)?(?:r(\d+)|[br]\s*\[\s*(\d+)\s*\]|g(\d+))$/.exec(text.trim());
  if (!m) return null;
  if (m[1] !== undefined) {
    const n = Number(m[1]);
    if (n > 63) throw new BundleError('Illegal register index');
    return 0x80 | n;
  }
  if (m[2] !== undefined) {
    const n = Number(m[2]);
    if (n > 127) throw new BundleError('Illegal register index');
    return n;
  }
  const n = Number(m[3]);
  if (n > 31) throw new BundleError('Illegal register index');
  return 0xe0 | n;
}

/** Destination-only special registers (encoding.md §7.2). */
export const SPECIAL_DST: Record<string, number> = {
  '%empty': 0xdf,
  '%empty.hi': 0xdf,
  '%empty.lo': 0xde,
  '%tst': 0xcd,
  '%tc': 0xce,
  '%tcd': 0xcf,
  '%ctpr1': 0xd1,
  '%ctpr2': 0xd2,
  '%ctpr3': 0xd3,
};

export interface PredRef {
  kind: 'pred' | 'pcnt';
  n: number;
  neg: boolean;
}

/** `%predN`, `~%predN`, `%pcntN`; null if the text is something else. */
export function parsePred(text: string): PredRef | null {
  const m = /^(~?)\s*%(pred|pcnt)(\d+)$/.exec(text.trim());
  if (!m) return null;
  const n = Number(m[3]);
  // gas lets %pred32 overflow into the next field; we reject it.
  if (n > 31) throw new BundleError(`invalid predicate \`${text.trim()}'`);
  return { kind: m[2] as 'pred' | 'pcnt', n, neg: m[1] === '~' };
}

/** Parsed literal prefixes: `_f16s,_lts1lo value`. */
export interface LiteralSpec {
  /** Explicit size, or 0 for automatic. */
  size: 0 | 16 | 32 | 64;
  /** Explicit LTS number or -1. */
  lts: number;
  /** Explicit half: 'lo' / 'hi' or null. */
  half: 'lo' | 'hi' | null;
  /** `_litNN_ref`: reuse a literal already placed (no new literal). */
  ref: boolean;
  expr: string;
}

/** Splits literal prefixes off an operand, or returns null if it has none. */
export function parseLiteralSpec(text: string): LiteralSpec | null {
  const t = text.trim();
  if (!t.startsWith('_')) return null;
  const spec: LiteralSpec = { size: 0, lts: -1, half: null, ref: false, expr: '' };
  let rest = t;
  let matched = false;
  for (;;) {
    const m = /^_(f16s?|f32s?|f64|lts(\d)(lo|hi)?|lit(16|32|64)_ref)\s*(,\s*|\s+|$)/.exec(rest);
    if (!m) break;
    matched = true;
    if (m[1].startsWith('f')) {
      spec.size = m[1].startsWith('f16') ? 16 : m[1].startsWith('f32') ? 32 : 64;
    } else if (m[1].startsWith('lts')) {
      spec.lts = Number(m[2]);
      spec.half = (m[3] as 'lo' | 'hi' | undefined) ?? null;
    } else {
      spec.ref = true;
      spec.size = Number(m[4]) as 16 | 32 | 64;
    }
    rest = rest.slice(m[0].length);
    if (!m[5].includes(',')) break;
  }
  if (!matched) return null;
  spec.expr = rest.trim();
  return spec;
}

/** Parses `name = value` parameter lists such as `wsz = 0x8, nfx = 1`. */
export function parseParams(text: string): [string, string][] {
  return splitOperands(text)
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      if (i < 0) return [p.trim(), ''];
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
    });
}

/** Plain number (decimal, 0x hex, 0 octal, 0b binary); null if not a plain number. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  const c = t.charCodeAt(0);
  if (!(c >= 48 && c <= 57)) return null; // every form below starts with a digit
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^0b[01]+$/i.test(t)) return parseInt(t.slice(2), 2);
  if (/^0[0-7]+$/.test(t)) return parseInt(t.slice(1), 8);
  if (/^\d+$/.test(t)) return Number(t);
  return null;
}
