/**
 * Where the built boot ROM is: `$GLAUNCH_ROM`, else assets/guest/rom.bin of the app (beside
 * dist/) or of the sources. Its own module because `glaunch run` needs it before it loads
 * the emulator (machine-factory.ts pulls the whole board in).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function defaultRomPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GLAUNCH_ROM) return env.GLAUNCH_ROM;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    path.resolve(here, '../../assets/guest/rom.bin'), // dist/main/*.cjs
    path.resolve(here, '../../../assets/guest/rom.bin'), // main/node/vmhost/ (sources)
  ];
  return candidates.find((f) => existsSync(f)) ?? candidates[0];
}
