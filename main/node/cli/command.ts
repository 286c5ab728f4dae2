/**
 * What a CLI command is. The table in commands/index.ts lists them; adding `run`, `start`,
 * `stop`, `status` later means one more file exporting a Command and one line in the table.
 */
import type { VmLibrary } from '../library/library';
import type { OptionSpec, ParsedArgs } from './args';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Long-running commands (web) stop when this aborts (SIGINT/SIGTERM in the real CLI). */
  signal?: AbortSignal;
  /** Opens a URL in the user's browser (web without --no-open). */
  openUrl?(url: string): void;
  /** Told the web UI address once the server listens (tests use it). */
  onWebReady?(url: string): void;
}

export interface CommandContext {
  io: CliIo;
  args: ParsedArgs;
  /** Opens the library chosen by --library / GLAUNCH_HOME / the default. */
  library(): VmLibrary;
}

export interface Command {
  name: string;
  /** One line for `glaunch --help`. */
  summary: string;
  /** Synopsis after `glaunch `, e.g. 'show VM [--json]'. */
  synopsis: string;
  /** Extra paragraphs for `glaunch help COMMAND`. */
  details?: string;
  options: OptionSpec[];
  /** Positional argument names; a trailing '?' marks an optional one. */
  positionals: string[];
  run(ctx: CommandContext): Promise<number>;
}
