/**
 * mkdemoimg: builds the Glaunch demo OS from its e2k assembler sources (emulator/guest) with
 * the project's own assembler and linker, and writes the boot ROM, the shell and the raw
 * GDFS disk image (see --help). Run by `npm run build`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildGuest, GuestBuildError } from '../guest/image/build';
import { GdfsError } from '../guest/image/gdfs';
import { optionValue, runTool, ToolError, UsageError } from './lib/cli';

const HELP = `Usage: mkdemoimg [--guest DIR] [--out DIR]
Builds the Glaunch demo OS from its e2k assembler sources and writes:
  OUT/demo-os.img   raw disk image: GDFS boot sector, kernel, shell and text files
  OUT/rom.bin       the boot ROM (loaded by the board at 0x1_0000_0000)
  OUT/shell.elf     the user-mode shell (also runs under e2k-run)
  OUT/kernel.elf    the kernel (for a direct kernel boot)

Options:
  --guest DIR   guest sources (default emulator/guest)
  --out DIR     output directory (default assets/guest)
  -h, --help    show this help

Exit status: 0 success, 1 build errors, 2 bad command line.
`;

function main(argv: string[]): number {
  let guest = 'emulator/guest';
  let out = 'assets/guest';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let n: number;
    if (a === '-h' || a === '--help') {
      process.stdout.write(HELP);
      return 0;
    } else if (a === '--guest' || a.startsWith('--guest=')) {
      [guest, n] = optionValue(argv, i, '--guest');
      i += n;
    } else if (a === '--out' || a.startsWith('--out=')) {
      [out, n] = optionValue(argv, i, '--out');
      i += n;
    } else {
      throw new UsageError(`unknown argument '${a}'`);
    }
  }
  const root = resolve(guest);
  if (!existsSync(join(root, 'kernel/kernel.S')))
    throw new ToolError(`${root}: not the guest source folder (no kernel/kernel.S)`);
  const read = (p: string): string | undefined =>
    existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  let g;
  try {
    g = buildGuest(root, read);
  } catch (e) {
    if (e instanceof GuestBuildError || e instanceof GdfsError) throw new ToolError(e.message);
    throw e;
  }
  try {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'demo-os.img'), g.image);
    writeFileSync(join(out, 'rom.bin'), g.rom);
    writeFileSync(join(out, 'shell.elf'), g.shell, { mode: 0o755 });
    writeFileSync(join(out, 'kernel.elf'), g.kernel);
  } catch (e) {
    throw new ToolError(`cannot write to '${out}': ${(e as Error).message}`);
  }
  process.stdout.write(
    `mkdemoimg: ${out}/demo-os.img (${g.image.length >> 10} KiB), rom.bin (${g.rom.length} bytes), ` +
      `shell.elf, kernel.elf\n`,
  );
  return 0;
}

runTool('mkdemoimg', "try 'mkdemoimg --help'", main);
