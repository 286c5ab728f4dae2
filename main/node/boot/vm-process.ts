/**
 * Entry of a VM process as forked by the host (bundled to dist/main/vm-process.cjs): runs
 * the VM-process bundle beside it (vm-process-main.cjs, from main/node/vmhost/vm-process.ts)
 * through the V8 code cache (code-cache.ts), so starting a VM does not re-parse the emulator.
 */
import '../heap-tuning'; // before compiling: V8 accepts a cache only under the same flags
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProgramFileError, runWithCodeCache } from './code-cache';

try {
  runWithCodeCache(
    path.join(path.dirname(fileURLToPath(import.meta.url)), 'vm-process-main.cjs'),
    'vm',
  );
} catch (e) {
  if (!(e instanceof ProgramFileError)) throw e;
  // a broken installation: one line, not a stack trace
  process.stderr.write(`glaunch VM process: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
