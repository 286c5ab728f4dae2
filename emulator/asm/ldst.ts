/**
 * `.ignore ld_st_style` (asm-syntax.md §6): stores are then written like objdump prints them,
 * with the stored value last (`stw,2 %dr2, %dr3, %r1`). The bundle encoder only knows the
 * traditional value-first order, so such statements are rewritten before encoding.
 */
import { splitArgs } from './text';

const HEAD = /^([a-z_][a-z0-9_]*(?:\s*,\s*(?:\d+|sm|s)(?![a-z0-9_]))*)\s*(.*)$/;

/** Stores of the ALU channels (not the AAU `staa*`, which have their own operand form). */
const isStore = (mnemonic: string) => /^st/.test(mnemonic) && !/^staa/.test(mnemonic);

/** Moves the last operand of a store to the front; other statements are returned unchanged. */
export function valueFirst(op: string): string {
  const m = HEAD.exec(op);
  if (!m || !isStore(m[1].split(',')[0].trim())) return op;
  let rest = m[2];
  let cond = '';
  const q = topLevelIndex(rest, '?');
  if (q >= 0) {
    cond = ' ' + rest.slice(q).trim();
    rest = rest.slice(0, q);
  }
  const args = splitArgs(rest).map((a) => a.text);
  const mas = args.filter((a) => /^mas\s*=/.test(a));
  const operands = args.filter((a) => !/^mas\s*=/.test(a));
  if (operands.length < 2) return op;
  const reordered = [operands[operands.length - 1], ...operands.slice(0, -1), ...mas];
  return `${m[1]} ${reordered.join(', ')}${cond}`;
}

function topLevelIndex(s: string, ch: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ch && depth === 0) return i;
  }
  return -1;
}
