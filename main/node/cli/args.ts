/**
 * A small, strict command-line parser. Each command declares its options; anything else is a
 * usage error naming the offending word, so `glaunch create X --rma 2G` fails loudly instead of
 * being ignored. Supports `--opt value`, `--opt=value`, repeatable options and `--`.
 */
export class UsageError extends Error {}

export interface OptionSpec {
  /** Long name without dashes, e.g. 'ram'. */
  name: string;
  /** Placeholder shown in help; absent for boolean switches. */
  value?: string;
  repeat?: boolean;
  short?: string;
  help: string;
}

export interface ParsedArgs {
  positionals: string[];
  /** Last value of single options, `true` for switches. */
  options: Map<string, string | true>;
  /** Every value of repeatable options, in order. */
  repeated: Map<string, string[]>;
}

export function parseArgs(argv: string[], specs: OptionSpec[]): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: new Map(), repeated: new Map() };
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown option '--${name}'`);
    } else if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      spec = byShort.get(a.slice(1));
      if (!spec) throw new UsageError(`unknown option '${a}'`);
    } else {
      out.positionals.push(a);
      continue;
    }
    if (spec.value === undefined) {
      if (inline !== undefined) throw new UsageError(`--${spec.name} takes no value`);
      out.options.set(spec.name, true);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length)
        throw new UsageError(`--${spec.name} needs a value (${spec.value})`);
      value = argv[++i];
    }
    if (spec.repeat) out.repeated.set(spec.name, [...(out.repeated.get(spec.name) ?? []), value]);
    else if (out.options.has(spec.name)) throw new UsageError(`--${spec.name} given twice`);
    else out.options.set(spec.name, value);
  }
  return out;
}

/** Parses `512M`, `2G`, `1.5G`, `1T` or a plain number of MiB into whole MiB. */
export function parseSizeMiB(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(?:([mgt])(?:i?b)?)?$/i.exec(text.trim());
  if (!m) throw new UsageError(`${flag}: '${text}' is not a size (use e.g. 512M or 2G)`);
  const mult = { m: 1, g: 1024, t: 1024 * 1024 }[(m[2] ?? 'm').toLowerCase() as 'm' | 'g' | 't'];
  const mib = Number(m[1]) * mult;
  if (!Number.isInteger(mib) || mib <= 0)
    throw new UsageError(`${flag}: '${text}' is not a whole positive number of MiB`);
  return mib;
}

export function parseIntArg(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag}: '${text}' is not a whole number`);
  const n = Number(text);
  if (n < min || n > max) throw new UsageError(`${flag}: ${n} is out of range (${min}..${max})`);
  return n;
}

export function parseChoice<T extends string>(
  flag: string,
  text: string,
  choices: readonly T[],
): T {
  if ((choices as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${flag}: '${text}' is not one of ${choices.join(', ')}`);
}
