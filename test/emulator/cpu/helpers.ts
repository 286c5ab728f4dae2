/** Test helpers: assemble + link e2k programs with the project's own tools, run them. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assemble, formatDiagnostic } from '../../../emulator/asm/index';
import { link } from '../../../emulator/link/linker';
import { cpuModel } from '../../../emulator/cpu/models';
import type { CpuModelId, IsaLevel } from '../../../emulator/cpu/models';
import type { HostIo } from '../../../emulator/linux-user/host';
import { LinuxProcess } from '../../../emulator/linux-user/linux-process';

export const PROGRAMS = join(fileURLToPath(new URL('.', import.meta.url)), 'programs');

export function build(source: string, iset: IsaLevel = 5, file = 'test.S'): Uint8Array {
  const r = assemble(source, {
    iset,
    file,
    includeDirs: [PROGRAMS],
    readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
  });
  if (!r.object) throw new Error(r.diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  const l = link([{ name: file, bytes: r.object }]);
  if (!l.output) throw new Error(l.errors.join('\n'));
  return l.output;
}

export function buildFile(name: string, iset: IsaLevel = 5): Uint8Array {
  return build(readFileSync(join(PROGRAMS, name), 'utf8'), iset, name);
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  proc: LinuxProcess;
}

export function memHost(stdin = ''): HostIo & { out: string; err: string } {
  let inPos = 0;
  const inBytes = new TextEncoder().encode(stdin);
  const h = {
    out: '',
    err: '',
    read(fd: number, max: number) {
      if (fd !== 0) return -9;
      const r = inBytes.subarray(inPos, inPos + max);
      inPos += r.length;
      return r;
    },
    write(fd: number, data: Uint8Array) {
      const s = new TextDecoder().decode(data);
      if (fd === 1) h.out += s;
      else if (fd === 2) h.err += s;
      else return -9;
      return data.length;
    },
    open: () => -2,
    close: () => 0,
    lseek: () => -29,
    fstat: () => -9,
    realtimeMs: () => 1.7e12,
    monotonicMs: () => 1000,
    sleepMs: () => {},
    diag(line: string) {
      h.err += line + '\n';
    },
  };
  return h;
}

export function runElf(
  exe: Uint8Array,
  opts: { cpu?: CpuModelId; argv?: string[]; max?: number; stdin?: string; strace?: boolean } = {},
): RunResult {
  const host = memHost(opts.stdin);
  const proc = new LinuxProcess(exe, {
    model: cpuModel(opts.cpu ?? 'e8c2'),
    argv: opts.argv ?? ['prog'],
    host,
    strace: opts.strace,
  });
  const code = proc.run(opts.max ?? 10_000_000);
  return { code, stdout: host.out, stderr: host.err, proc };
}
