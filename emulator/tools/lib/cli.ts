/** Shared plumbing of the e2k command-line tools: usage errors, file access, exit codes. */
import { readFileSync } from 'node:fs';

/** A command-line mistake: one line on stderr, exit status 2. */
export class UsageError extends Error {}

/** A user-facing failure (missing file, bad input): message on stderr, exit status 1. */
export class ToolError extends Error {}

export function readInput(path: string): Uint8Array {
  try {
    return path === '-' ? readFileSync(0) : readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ToolError(
      `${path}: ${code === 'ENOENT' ? 'No such file' : code === 'EISDIR' ? 'Is a directory' : (e as Error).message}`,
    );
  }
}

/** Runs a tool's main; converts errors into messages and exit codes, never a stack trace for user errors. */
export function runTool(tool: string, usageHint: string, main: (argv: string[]) => number): void {
  let code: number;
  try {
    code = main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${tool}: ${e.message} (${usageHint})\n`);
      code = 2;
    } else if (e instanceof ToolError) {
      process.stderr.write(`${tool}: ${e.message}\n`);
      code = 1;
    } else {
      process.stderr.write(`${tool}: internal error: ${(e as Error).stack ?? String(e)}\n`);
      code = 3;
    }
  }
  process.exitCode = code;
}

/** Parses a number for addresses and values: decimal, 0x hex, 0o/leading-0 octal, 0b binary. */
export function parseAddress(s: string, what: string): bigint {
  const t = s.trim();
  try {
    if (/^0[0-7]+$/.test(t)) return BigInt('0o' + t.slice(1));
    if (/^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|\d+)$/.test(t)) return BigInt(t);
  } catch {
    // fall through
  }
  throw new UsageError(`bad ${what} '${s}'`);
}

/**
 * Gets the value of an option written `-x VALUE`, `-xVALUE`, `--opt VALUE` or `--opt=VALUE`.
 * Returns [value, extra args consumed].
 */
export function optionValue(argv: string[], i: number, name: string): [string, number] {
  const a = argv[i];
  if (a === name) {
    if (i + 1 >= argv.length) throw new UsageError(`option '${name}' needs a value`);
    return [argv[i + 1], 1];
  }
  return [a.slice(a.startsWith(`${name}=`) ? name.length + 1 : name.length), 0];
}
