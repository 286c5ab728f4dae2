/** e2k-as: assembles e2k source files into an ELF64 relocatable object (see --help). */
import { readFileSync, writeFileSync } from 'node:fs';
import { assemble, formatDiagnostic, predefinedMacros, preprocess } from '../asm/index';
import type { Diagnostic } from '../asm/index';
import type { IsaLevel } from '../isa/bundle-api';
import { optionValue, parseAddress, readInput, runTool, ToolError, UsageError } from './lib/cli';

const HELP = `Usage: e2k-as [options] FILE...
Assembles e2k (Elbrus) assembler source into an ELF64 relocatable object.
Several files are assembled as if concatenated; '-' reads standard input.

Options:
  -o FILE              write the object to FILE (default a.out)
  -mcpu=elbrus-vN      target ISA level N = 2..6 (default elbrus-v2, as MCST gas)
  --iset N             same as -mcpu=elbrus-vN
  -I DIR               search DIR for .include files (after the including file's directory)
  -D NAME[=VALUE]      define NAME (default 1): an assembler symbol for .if/.ifdef, and
                       a preprocessor macro for files that go through cpp
  --cpp                run the C preprocessor on every input (always done for *.S files;
                       predefines __iset__, __e2k__, __ASSEMBLER__, __LCC__=125)
  --defsym NAME=VALUE  same as -D NAME=VALUE
  -al[=FILE]           print a listing (address, bytes, source) to stdout or FILE
  -W, --no-warn        suppress warnings
  --fatal-warnings     treat warnings as errors
  -no_strict_delay     no implicit nops/wait after braceless statements (like .ignore strict_delay)
  -mptr64              64-bit ELF (the default; accepted for compatibility)
  -h, --help           show this help

Exit status: 0 success, 1 assembly errors, 2 bad command line.
`;

function main(argv: string[]): number {
  const files: string[] = [];
  let out = 'a.out';
  let iset: IsaLevel = 2;
  const includeDirs: string[] = [];
  const defines: Record<string, bigint> = {};
  const cppDefines: Record<string, string> = {};
  let cppAll = false;
  let listing: string | null = null;
  let noWarn = false;
  let fatalWarnings = false;
  let strictDelay = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let v: string;
    let n: number;
    if (a === '-h' || a === '--help') {
      process.stdout.write(HELP);
      return 0;
    } else if (a === '-o' || (a.startsWith('-o') && a.length > 2)) {
      [out, n] = optionValue(argv, i, '-o');
      i += n;
    } else if (a.startsWith('-mcpu=')) {
      const m = /^-mcpu=elbrus-v([2-6])$/.exec(a);
      if (!m)
        throw new UsageError(`unsupported CPU '${a.slice(6)}' (expected elbrus-v2 … elbrus-v6)`);
      iset = Number(m[1]) as IsaLevel;
    } else if (a === '--iset' || a.startsWith('--iset=')) {
      [v, n] = optionValue(argv, i, '--iset');
      i += n;
      if (!/^[2-6]$/.test(v)) throw new UsageError(`bad ISA level '${v}' (expected 2 … 6)`);
      iset = Number(v) as IsaLevel;
    } else if (a.startsWith('-I')) {
      [v, n] = optionValue(argv, i, '-I');
      i += n;
      includeDirs.push(v);
    } else if (a.startsWith('-D') || a.startsWith('--defsym')) {
      [v, n] = optionValue(argv, i, a.startsWith('-D') ? '-D' : '--defsym');
      i += n;
      const m = /^([A-Za-z_.$][\w.$]*)(?:=(.*))?$/.exec(v);
      if (!m) throw new UsageError(`bad symbol definition '${v}' (expected NAME or NAME=VALUE)`);
      cppDefines[m[1]] = m[2] ?? '1';
      // Numeric values also become assembler symbols; other text is only a cpp macro.
      if (m[2] === undefined || /^-?(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)$/.test(m[2])) {
        const neg = m[2]?.startsWith('-') ?? false;
        defines[m[1]] =
          m[2] === undefined
            ? 1n
            : parseAddress(m[2].replace(/^-/, ''), 'value') * (neg ? -1n : 1n);
      }
    } else if (a === '-al' || a.startsWith('-al=')) {
      listing = a.length > 4 ? a.slice(4) : '';
    } else if (a === '--cpp' || a === '-x' || a === '-xassembler-with-cpp') {
      if (a === '-x' && argv[++i] !== 'assembler-with-cpp')
        throw new UsageError(`unsupported language '${argv[i] ?? ''}' for -x`);
      cppAll = true;
    } else if (a === '-W' || a === '--no-warn') {
      noWarn = true;
    } else if (a === '--fatal-warnings') {
      fatalWarnings = true;
    } else if (a === '-no_strict_delay') {
      strictDelay = false;
    } else if (a === '-mptr64') {
      // default
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      files.push(a);
    }
  }
  if (!files.length) throw new UsageError('no input files');

  const texts = new Map<string, string>();
  for (const f of files) texts.set(f, new TextDecoder().decode(readInput(f)));
  const readFile = (p: string): string | undefined => {
    if (texts.has(p)) return texts.get(p);
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  };
  // Each input is preprocessed on its own if needed; the texts are then assembled as one
  // unit, like gas does, with line markers keeping every statement's original location.
  const pre: Diagnostic[] = [];
  const chunks: string[] = [];
  for (const f of files) {
    const name = f === '-' ? '<stdin>' : f;
    if (cppAll || f.endsWith('.S')) {
      const p = preprocess(texts.get(f)!, name, {
        readFile,
        includeDirs,
        defines: { ...predefinedMacros(iset), ...cppDefines },
      });
      pre.push(...p.diagnostics);
      chunks.push(p.text);
    } else chunks.push(files.length > 1 ? `# 1 "${name}"\n${texts.get(f)!}` : texts.get(f)!);
  }
  const cppFailed = pre.some((d) => d.severity === 'error');
  const asm = cppFailed
    ? { diagnostics: [], errorCount: 0, object: undefined, listing: undefined }
    : assemble(chunks.join('\n'), {
        file: files[0] === '-' ? '<stdin>' : files[0],
        iset,
        includeDirs,
        readFile,
        defines,
        strictDelay,
        listing: listing !== null,
      });
  const r = {
    ...asm,
    diagnostics: [...pre, ...asm.diagnostics],
    errorCount: asm.errorCount + pre.filter((d) => d.severity === 'error').length,
  };
  let errors = r.errorCount;
  for (const d of r.diagnostics) {
    if (d.severity === 'warning' && noWarn) continue;
    if (d.severity === 'warning' && fatalWarnings) errors++;
    process.stderr.write(formatDiagnostic(d) + '\n');
  }
  if (errors || !r.object) {
    process.stderr.write(`e2k-as: ${errors} error${errors === 1 ? '' : 's'}; no output written\n`);
    return 1;
  }
  try {
    writeFileSync(out, r.object);
    if (listing === '') process.stdout.write(r.listing ?? '');
    else if (listing) writeFileSync(listing, r.listing ?? '');
  } catch (e) {
    throw new ToolError(`cannot write output: ${(e as Error).message}`);
  }
  return 0;
}

runTool('e2k-as', "try 'e2k-as --help'", main);
