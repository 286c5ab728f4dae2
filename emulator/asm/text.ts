/** Small text helpers for directive operands: argument splitting, string literals, local labels. */
import { utf8Encode } from '../elf/utf8';
import { AsmError } from './diagnostics';

export interface Arg {
  text: string;
  /** 0-based offset of the argument inside the string it was split from. */
  col: number;
}

/** Splits at top-level commas (outside strings, (), []), trimming each piece. */
export function splitArgs(s: string, base = 0): Arg[] {
  const out: Arg[] = [];
  let depth = 0;
  let start = 0;
  const push = (end: number) => {
    const piece = s.slice(start, end);
    const lead = piece.length - piece.trimStart().length;
    out.push({ text: piece.trim(), col: base + start + lead });
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    } else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(s.length);
  if (out.length === 1 && out[0].text === '') return [];
  return out;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  n: 10,
  t: 9,
  r: 13,
  b: 8,
  f: 12,
  v: 11,
  a: 7,
  e: 27,
  '\\': 92,
  '"': 34,
  "'": 39,
};

/**
 * Parses one or more juxtaposed string literals ("a" "b") into bytes, with C escapes
 * (\n \t \\ \" \NNN octal, \xHH hex).
 */
export function parseStrings(s: string): Uint8Array {
  const bytes: number[] = [];
  let i = 0;
  let count = 0;
  for (;;) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    if (s[i] !== '"') throw new AsmError(`expected a string literal, found '${s.slice(i)}'`, i);
    const open = i++;
    for (;;) {
      if (i >= s.length) throw new AsmError('unterminated string literal', open);
      const c = s[i];
      if (c === '"') {
        i++;
        break;
      }
      if (c !== '\\') {
        bytes.push(...utf8Encode(c));
        i++;
        continue;
      }
      const e = s[i + 1];
      if (e === undefined) throw new AsmError('unterminated string literal', open);
      if (/[0-7]/.test(e)) {
        const m = /^[0-7]{1,3}/.exec(s.slice(i + 1))![0];
        bytes.push(parseInt(m, 8) & 0xff);
        i += 1 + m.length;
      } else if (e === 'x' || e === 'X') {
        const m = /^[0-9a-fA-F]+/.exec(s.slice(i + 2));
        if (!m) throw new AsmError('\\x used with no following hex digits', i);
        bytes.push(parseInt(m[0].slice(-2), 16));
        i += 2 + m[0].length;
      } else if (e in SIMPLE_ESCAPES) {
        bytes.push(SIMPLE_ESCAPES[e]);
        i += 2;
      } else {
        // gas keeps the character after an unknown escape
        bytes.push(...utf8Encode(e));
        i += 2;
      }
    }
    count++;
  }
  if (count === 0) throw new AsmError('expected a string literal');
  return Uint8Array.from(bytes);
}

/** Internal name of the k-th definition of local numeric label N (never clashes with user names). */
export const localLabelName = (n: string, k: number): string => `.Lnum.${n}.${k}`;

/**
 * Rewrites references `Nf`/`Nb` (outside strings) to the internal names of the next/previous
 * definition of local label N. `counts` holds how many times each N has been defined so far.
 */
export function rewriteLocalRefs(text: string, counts: Map<string, number>): string {
  if (!/\d[bf]/.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (isWordChar(text.charCodeAt(i)) || c === '%') {
      let j = i + 1;
      while (j < text.length && isWordChar(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      // Only a word of digits ending in b/f can be a local reference (no regex otherwise).
      const c0 = text.charCodeAt(i);
      const cl = text.charCodeAt(j - 1);
      const m =
        j - i >= 2 && c0 >= 48 && c0 <= 57 && (cl === 98 || cl === 102)
          ? /^(\d+)([bf])$/.exec(word)
          : null;
      if (m) {
        const k = counts.get(m[1]) ?? 0;
        if (m[2] === 'b') {
          if (k === 0) throw new AsmError(`backward reference to undefined local label ${m[1]}`, i);
          out += localLabelName(m[1], k);
        } else out += localLabelName(m[1], k + 1);
      } else out += word;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** `[\w.$]` by character code. */
function isWordChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === 95 || // _
    c === 46 || // .
    c === 36 // $
  );
}
