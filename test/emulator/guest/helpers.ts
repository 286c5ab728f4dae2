/** Builds guest programs from emulator/guest with the real toolchain, once per process. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildProgram, PROGRAMS } from '../../../emulator/guest/image/build';

export const GUEST_ROOT = fileURLToPath(new URL('../../../emulator/guest', import.meta.url));

export function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

const cache = new Map<string, Uint8Array>();

export function guestProgram(name: keyof typeof PROGRAMS): Uint8Array {
  let b = cache.get(name);
  if (!b) {
    b = buildProgram(GUEST_ROOT, PROGRAMS[name], readText);
    cache.set(name, b);
  }
  return b;
}
