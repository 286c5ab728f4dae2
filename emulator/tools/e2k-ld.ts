/** e2k-ld: links e2k ELF64 relocatable objects into an executable or a raw image (see --help). */
import { readFileSync, writeFileSync } from 'node:fs';
import { link } from '../link/linker';
import { optionValue, parseAddress, readInput, runTool, ToolError, UsageError } from './lib/cli';

const HELP = `Usage: e2k-ld [options] OBJECT...
Links e2k ELF64 relocatable objects into a static ELF64 executable (ET_EXEC).

Options:
  -o FILE                 output file (default a.out)
  -e SYM, --entry=SYM     entry symbol or address (default _start)
  -Ttext ADDR             address of .text (default 0x10000)
  -Tdata ADDR             address of .data (default: next page after read-only data)
  -Tbss ADDR              address of .bss (default: right after .data)
  -T SCRIPT               linker script (subset: ENTRY, SECTIONS, '. =', ALIGN, AT, KEEP, PROVIDE)
  --oformat binary        write a raw image from the lowest to the highest load address
  --oformat elf64-e2k     write an ELF executable (default)
  -h, --help              show this help

Exit status: 0 success, 1 link errors, 2 bad command line.
`;

function main(argv: string[]): number {
  const files: string[] = [];
  let out = 'a.out';
  let entry: string | undefined;
  let script: string | undefined;
  let oformat: 'elf' | 'binary' = 'elf';
  const addrs: { textAddr?: bigint; dataAddr?: bigint; bssAddr?: bigint } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let v: string;
    let n: number;
    const tseg =
      /^-T(text|data|bss)(?:=(.*))?$/.exec(a) ?? /^--section-start=\.(text|data|bss)=(.*)$/.exec(a);
    if (a === '-h' || a === '--help') {
      process.stdout.write(HELP);
      return 0;
    } else if (tseg) {
      v = tseg[2] ?? argv[++i];
      if (v === undefined) throw new UsageError(`option '${a}' needs an address`);
      addrs[`${tseg[1]}Addr` as 'textAddr'] = parseAddress(v, `${tseg[1]} address`);
    } else if (a === '-o' || (a.startsWith('-o') && a.length > 2)) {
      [out, n] = optionValue(argv, i, '-o');
      i += n;
    } else if (a === '-e' || (a.startsWith('-e') && a.length > 2 && !a.startsWith('--'))) {
      [entry, n] = optionValue(argv, i, '-e');
      i += n;
    } else if (a === '--entry' || a.startsWith('--entry=')) {
      [entry, n] = optionValue(argv, i, '--entry');
      i += n;
    } else if (a === '-T' || (a.startsWith('-T') && a.length > 2)) {
      [v, n] = optionValue(argv, i, '-T');
      i += n;
      try {
        script = readFileSync(v, 'utf8');
      } catch {
        throw new ToolError(`cannot read linker script '${v}'`);
      }
    } else if (a === '--oformat' || a.startsWith('--oformat=')) {
      [v, n] = optionValue(argv, i, '--oformat');
      i += n;
      if (v === 'binary') oformat = 'binary';
      else if (v === 'elf' || v === 'elf64-e2k') oformat = 'elf';
      else throw new UsageError(`unknown output format '${v}' (expected binary or elf64-e2k)`);
    } else if (a === '-static' || a === '-nostdlib' || a === '-N' || a === '--no-relax') {
      // accepted for compatibility: linking is always static and without libraries
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      files.push(a);
    }
  }
  if (!files.length) throw new UsageError('no input files');
  const inputs = files.map((f) => ({ name: f, bytes: readInput(f) }));
  const r = link(inputs, { entry, script, oformat, ...addrs });
  for (const w of r.warnings) process.stderr.write(`e2k-ld: warning: ${w}\n`);
  for (const e of r.errors) process.stderr.write(`e2k-ld: error: ${e}\n`);
  if (r.errors.length || !r.output) return 1;
  try {
    writeFileSync(out, r.output, { mode: oformat === 'elf' ? 0o755 : 0o644 });
  } catch (e) {
    throw new ToolError(`cannot write '${out}': ${(e as Error).message}`);
  }
  return 0;
}

runTool('e2k-ld', "try 'e2k-ld --help'", main);
