/**
 * Process entry of the `glaunch` CLI (bundled to dist/main/glaunch-main.cjs, which the
 * installed command dist/main/glaunch-cli.cjs runs through a V8 code cache: main/node/boot).
 */
import '../heap-tuning'; // first: before the bundle's modules load
import { main } from './main';

const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
process.once('SIGTERM', () => stop.abort());

main(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  signal: stop.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `glaunch: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 1;
  },
);
