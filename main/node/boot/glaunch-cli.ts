/**
 * The installed `glaunch` command (bundled to dist/main/glaunch-cli.cjs): runs the CLI
 * bundle beside it (glaunch-main.cjs, from main/node/cli/glaunch.ts) through the V8 code
 * cache (code-cache.ts). Kept tiny: everything it imports is compiled without a cache.
 */
import '../heap-tuning'; // before compiling: V8 accepts a cache only under the same flags
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProgramFileError, runWithCodeCache } from './code-cache';

const here = path.dirname(fileURLToPath(import.meta.url));
// The command word (after global options such as --library DIR) picks the cache profile.
const args = process.argv.slice(2);
let i = 0;
while (i < args.length && args[i].startsWith('-')) i += args[i] === '--library' ? 2 : 1;
try {
  runWithCodeCache(path.join(here, 'glaunch-main.cjs'), args[i] ?? 'none');
} catch (e) {
  if (!(e instanceof ProgramFileError)) throw e;
  // a broken installation: one line, not a stack trace
  process.stderr.write(`glaunch: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
