// Runs the CLI in-process and captures its output.
import { main } from '../../../main/node/cli/main';
import type { CliIo } from '../../../main/node/cli/command';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function cli(
  library: string,
  argv: string[],
  extra: Partial<CliIo> = {},
): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(['--library', library, ...argv], {
    out: (s) => (out += s),
    err: (s) => (err += s),
    env: {},
    cwd: process.cwd(),
    ...extra,
  });
  return { code, out, err };
}
