/**
 * Initial user stack like Linux's (System V layout): at the stack pointer argc, argv[],
 * NULL, envp[], NULL, auxv pairs ending with AT_NULL; strings and AT_RANDOM bytes above.
 * control-and-stacks.md §10.1: %usd.lo base = this 16-byte aligned pointer, %sbr = top.
 */
import type { Memory } from '../cpu/memory';
import { utf8Encode } from '../elf/utf8';

export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_RANDOM = 25;
export const AT_EXECFN = 31;

/** Writes the block below `top`; returns the stack pointer (address of argc). */
export function buildStack(
  mem: Memory,
  top: number,
  argv: string[],
  envp: string[],
  aux: [number, number][],
): number {
  let p = top;
  const put = (s: string): number => {
    const b = utf8Encode(s + '\0');
    p -= b.length;
    mem.writeBytes(p, b);
    return p;
  };
  const argAddrs = argv.map(put);
  const envAddrs = envp.map(put);
  p -= 16;
  const random = p;
  const rnd = new Uint8Array(16);
  for (let i = 0; i < 16; i++) rnd[i] = (i * 73 + 41) & 0xff; // deterministic AT_RANDOM
  mem.writeBytes(random, rnd);
  const auxAll: [number, number][] = [
    ...aux,
    [AT_RANDOM, random],
    [AT_EXECFN, argAddrs[0] ?? 0],
    [AT_NULL, 0],
  ];
  const words = 1 + argv.length + 1 + envp.length + 1 + auxAll.length * 2;
  p = Math.floor((p - words * 8) / 16) * 16;
  const sp = p;
  const w = (v: number): void => {
    mem.write64(p, (v % 2 ** 32) | 0, Math.floor(v / 2 ** 32));
    p += 8;
  };
  w(argv.length);
  argAddrs.forEach(w);
  w(0);
  envAddrs.forEach(w);
  w(0);
  for (const [k, v] of auxAll) {
    w(k);
    w(v);
  }
  return sp;
}
