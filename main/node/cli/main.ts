/**
 * The `glaunch` command line: `main(argv, io)` returns the exit code, so tests run it in-process.
 * Exit codes: 0 success, 1 operational error (VM not found, inaccessible, rejected by the
 * library), 2 bad usage (unknown flag, malformed value) — always one line on stderr.
 */
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../common/api-error';
import { VmLibrary } from '../library/library';
import { defaultLibraryPath } from '../library/paths';
import { APP_VERSION } from '../version';
import { parseArgs, UsageError, type OptionSpec, type ParsedArgs } from './args';
import type { CliIo, Command } from './command';
import { COMMANDS } from './commands';
import { flagForField } from './commands/vm-edit';

const GLOBAL_OPTIONS: OptionSpec[] = [
  {
    name: 'library',
    value: 'DIR',
    help: 'VM library folder (default: $GLAUNCH_HOME or the per-user folder)',
  },
  { name: 'help', short: 'h', help: 'show help' },
];

export async function main(argv: string[], io: CliIo): Promise<number> {
  // `--library DIR` may come before the command; find the command word after global options.
  let i = 0;
  const globals: string[] = [];
  while (i < argv.length && argv[i].startsWith('-')) {
    globals.push(argv[i]);
    if (argv[i] === '--library' && i + 1 < argv.length) globals.push(argv[++i]);
    i++;
  }
  if (globals.at(-1) === '--library' && i >= argv.length) {
    io.err(`glaunch: --library needs a value (DIR)\n`);
    return 2;
  }
  if (globals.includes('--version') || globals.includes('-V')) {
    io.out(`glaunch ${APP_VERSION}\n`);
    return 0;
  }
  const name = argv[i];
  const rest = [...globals, ...argv.slice(i + 1)];
  if (name === undefined) {
    if (globals.some((g) => g === '--help' || g === '-h'))
      return (io.out(overview(libraryFor(io))), 0);
    if (argv.length === 0) return (io.err(overview(libraryFor(io))), 2);
    io.err(`glaunch: missing command (try 'glaunch --help')\n`);
    return 2;
  }
  if (name === 'help') {
    const topic = argv[i + 1];
    if (topic === undefined) return (io.out(overview(libraryFor(io))), 0);
    const cmd = COMMANDS.find((c) => c.name === topic);
    if (!cmd)
      return (io.err(`glaunch: help: unknown command '${topic}' (try 'glaunch --help')\n`), 2);
    io.out(commandHelp(cmd));
    return 0;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`glaunch: unknown command '${name}' (try 'glaunch --help')\n`);
    return 2;
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(rest, [...GLOBAL_OPTIONS, ...cmd.options]);
    if (args.options.has('help')) return (io.out(commandHelp(cmd)), 0);
    checkPositionals(cmd, args.positionals);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, cmd, e.message);
    throw e;
  }
  const libDir = args.options.get('library');
  if (libDir === '') return usage(io, cmd, '--library: needs a folder');
  const root = typeof libDir === 'string' ? path.resolve(io.cwd, libDir) : libraryFor(io);
  try {
    return await cmd.run({ io, args, library: () => new VmLibrary(root) });
  } catch (e) {
    if (e instanceof UsageError) return usage(io, cmd, e.message);
    if (e instanceof ApiError) {
      const p = e.problems?.[0];
      // Point at the flag the user typed rather than at a vm.json field.
      const msg =
        p && e.code === 'validation'
          ? `${flagForField(p.field) ? flagForField(p.field) + ': ' : ''}${p.message}`
          : e.message;
      io.err(`glaunch: ${cmd.name}: ${msg}\n`);
      return 1;
    }
    const err = e as NodeJS.ErrnoException;
    io.err(`glaunch: ${cmd.name}: ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}\n`);
    return 1;
  }
}

/** The library used when --library is not given: $GLAUNCH_HOME or the per-user default. */
function libraryFor(io: CliIo): string {
  return defaultLibraryPath({
    env: io.env,
    platform: process.platform,
    home: io.env.HOME ?? io.env.USERPROFILE ?? os.homedir(),
  });
}

function usage(io: CliIo, cmd: Command, message: string): number {
  io.err(`glaunch: ${cmd.name}: ${message}\n`);
  return 2;
}

function checkPositionals(cmd: Command, given: string[]): void {
  const required = cmd.positionals.filter((p) => !p.endsWith('?'));
  if (given.length < required.length)
    throw new UsageError(`missing ${required[given.length]} (usage: glaunch ${cmd.synopsis})`);
  if (given.length > cmd.positionals.length)
    throw new UsageError(
      `unexpected argument '${given[cmd.positionals.length]}' (usage: glaunch ${cmd.synopsis})`,
    );
}

export function overview(defaultLibrary?: string): string {
  const w = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `glaunch ${APP_VERSION} — manage emulated Elbrus (e2k) virtual machines`,
    '',
    'Usage: glaunch [--library DIR] COMMAND [OPTIONS]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    `  ${'help'.padEnd(w)}  show help for a command (glaunch help COMMAND)`,
    '',
    'Global options:',
    '  --library DIR  VM library folder (also: environment variable GLAUNCH_HOME)',
    '  --version      print the version',
    '  -h, --help     show help',
    '',
    ...(defaultLibrary ? [`Default library (without --library): ${defaultLibrary}`, ''] : []),
  ].join('\n');
}

export function commandHelp(cmd: Command): string {
  const opts = [...cmd.options, GLOBAL_OPTIONS[0], GLOBAL_OPTIONS[1]];
  const label = (o: OptionSpec) =>
    `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.value ? ' ' + o.value : ''}${o.repeat ? ' ...' : ''}`;
  const w = Math.max(...opts.map((o) => label(o).length));
  return [
    `Usage: glaunch ${cmd.synopsis}`,
    '',
    `${cmd.summary[0].toUpperCase()}${cmd.summary.slice(1)}.`,
    ...(cmd.details ? ['', cmd.details] : []),
    '',
    'Options:',
    ...opts.map((o) => `  ${label(o).padEnd(w)}  ${o.help}`),
    '',
  ].join('\n');
}
