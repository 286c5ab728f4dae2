/** e2k-objdump: displays e2k ELF files (see --help). */
import { objdump } from '../elf/objdump';
import { ElfError } from '../elf/types';
import { disassembleBundle } from '../isa';
import { readInput, runTool, ToolError, UsageError } from './lib/cli';

const HELP = `Usage: e2k-objdump OPTION... FILE...
Displays information from e2k ELF64 object files and executables.

Options (at least one; short options can be combined, e.g. -dr):
  -d, --disassemble       disassemble executable sections, one operation per line
  -h, --section-headers   section headers
  -t, --syms              symbol table
  -r, --reloc             relocation records
  -x, --all-headers       file header, program headers, sections, symbols, relocations
  --help                  show this help

Exit status: 0 success, 1 unreadable or malformed file, 2 bad command line.
`;

const LONG: Record<string, string> = {
  '--disassemble': 'd',
  '--section-headers': 'h',
  '--headers': 'h',
  '--syms': 't',
  '--reloc': 'r',
  '--all-headers': 'x',
};

function main(argv: string[]): number {
  const flags = new Set<string>();
  const files: string[] = [];
  for (const a of argv) {
    if (a === '--help') {
      process.stdout.write(HELP);
      return 0;
    } else if (a.startsWith('--')) {
      if (!LONG[a]) throw new UsageError(`unknown option '${a}'`);
      flags.add(LONG[a]);
    } else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (!'dhtrxz'.includes(c)) throw new UsageError(`unknown option '-${c}'`);
        flags.add(c);
      }
    } else files.push(a);
  }
  if (![...flags].some((f) => f !== 'z'))
    throw new UsageError('no action given (one of -d, -h, -t, -r, -x)');
  if (!files.length) throw new UsageError('no input files');
  let status = 0;
  for (const f of files) {
    try {
      const text = objdump(readInput(f), {
        fileName: f,
        disassemble: flags.has('d'),
        headers: flags.has('h'),
        syms: flags.has('t'),
        relocs: flags.has('r'),
        all: flags.has('x'),
        disassembler: disassembleBundle,
      });
      process.stdout.write(text);
    } catch (e) {
      if (e instanceof ElfError || e instanceof ToolError) {
        process.stderr.write(`e2k-objdump: ${f}: ${e.message.replace(`${f}: `, '')}\n`);
        status = 1;
      } else throw e;
    }
  }
  return status;
}

runTool('e2k-objdump', "try 'e2k-objdump --help'", main);
