/**
 * Builds the guest software from its assembler sources with the project's own toolchain
 * (emulator/asm + emulator/link) and packs the demo disk image. Pure library: file access
 * is injected, paths are '/'-joined strings relative to the guest source root.
 */
import { assemble, formatDiagnostic } from '../../asm/index';
import type { IsaLevel } from '../../isa/bundle-api';
import { link } from '../../link/linker';
import { utf8Encode } from '../../elf/utf8';
import { buildGdfs, MODE_EXEC } from './gdfs';
import type { GdfsFile } from './gdfs';

export type ReadText = (path: string) => string | undefined;

export class GuestBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuestBuildError';
  }
}

export interface ProgramSpec {
  /** Source files, relative to the guest root (e.g. 'user/shell.S'). */
  sources: string[];
  /** ISA level the code is assembled for (v2 = runs on every preset). */
  iset: IsaLevel;
  textAddr?: bigint;
  /** Linker script file (relative to the guest root). */
  script?: string;
  oformat?: 'elf' | 'binary';
  entry?: string;
}

/** The guest programs: load addresses here are the ones documented in the guest README. */
export const PROGRAMS = {
  shell: { sources: ['user/shell.S'], iset: 2, textAddr: 0x200000000n },
  kernel: { sources: ['kernel/kernel.S'], iset: 2, script: 'kernel/kernel.ld' },
  rom: { sources: ['rom/rom.S'], iset: 2, script: 'rom/rom.ld', oformat: 'binary' },
} satisfies Record<string, ProgramSpec>;

export function buildProgram(root: string, spec: ProgramSpec, read: ReadText): Uint8Array {
  const objects = spec.sources.map((src) => {
    const path = `${root}/${src}`;
    const text = read(path);
    if (text === undefined) throw new GuestBuildError(`${path}: source file not found`);
    const r = assemble(text, {
      file: path,
      iset: spec.iset,
      includeDirs: [`${root}/include`],
      readFile: read,
    });
    if (!r.object)
      throw new GuestBuildError(r.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
    return { name: path, bytes: r.object };
  });
  let script: string | undefined;
  if (spec.script) {
    script = read(`${root}/${spec.script}`);
    if (script === undefined) throw new GuestBuildError(`${root}/${spec.script}: not found`);
  }
  const l = link(objects, {
    textAddr: spec.textAddr,
    script,
    oformat: spec.oformat,
    entry: spec.entry,
  });
  if (!l.output) throw new GuestBuildError(l.errors.join('\n'));
  return l.output;
}

export interface GuestArtifacts {
  shell: Uint8Array;
  kernel: Uint8Array;
  rom: Uint8Array;
  image: Uint8Array;
}

/** Text files put on the demo disk (guest root 'files/'), in directory order. */
export const DISK_TEXT_FILES = ['README', 'motd', 'hello.txt', 'elbrus.txt'];

export function buildGuest(root: string, read: ReadText): GuestArtifacts {
  const shell = buildProgram(root, PROGRAMS.shell, read);
  const kernel = buildProgram(root, PROGRAMS.kernel, read);
  const rom = buildProgram(root, PROGRAMS.rom, read);
  const files: GdfsFile[] = DISK_TEXT_FILES.map((name) => {
    const text = read(`${root}/files/${name}`);
    if (text === undefined) throw new GuestBuildError(`${root}/files/${name}: not found`);
    return { name, data: utf8Encode(text) };
  });
  files.push({ name: 'shell', data: shell, mode: MODE_EXEC });
  files.push({ name: 'kernel.elf', data: kernel });
  const image = buildGdfs({
    label: 'Glaunch demo OS',
    files,
    kernel: 'kernel.elf',
    cmdline: 'console=ttyS0 init=/shell',
    minBytes: 1024 * 1024,
  });
  return { shell, kernel, rom, image };
}
