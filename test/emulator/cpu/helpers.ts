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

export function memHost(
  stdin = '',
  files: Record<string, string> = {},
): HostIo & { out: string; err: string } {
  let inPos = 0;
  const inBytes = new TextEncoder().encode(stdin);
  // host fds ≥ 10 are open in-memory files: [contents, position]
  const open = new Map<number, [Uint8Array, number]>();
  let nextFd = 10;
  const h = {
    out: '',
    err: '',
    read(fd: number, max: number) {
      const f = open.get(fd);
      if (f) {
        const r = f[0].subarray(f[1], f[1] + max);
        f[1] += r.length;
        return r;
      }
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
    open(path: string) {
      if (!(path in files)) return -2;
      open.set(nextFd, [new TextEncoder().encode(files[path]), 0]);
      return nextFd++;
    },
    close: (fd: number) => (open.delete(fd) ? 0 : -9),
    lseek(fd: number, off: number, whence: number) {
      const f = open.get(fd);
      if (!f) return -29;
      f[1] = whence === 0 ? off : whence === 1 ? f[1] + off : f[0].length + off;
      return f[1];
    },
    fstat(fd: number) {
      const f = open.get(fd);
      if (!f) return -9;
      return {
        dev: 1,
        ino: fd,
        mode: 0o100644,
        nlink: 1,
        uid: 0,
        gid: 0,
        rdev: 0,
        size: f[0].length,
        blksize: 4096,
        blocks: 1,
        atimeMs: 0,
        mtimeMs: 0,
        ctimeMs: 0,
      };
    },
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
  opts: {
    cpu?: CpuModelId;
    argv?: string[];
    max?: number;
    stdin?: string;
    strace?: boolean;
    files?: Record<string, string>;
  } = {},
): RunResult {
  const host = memHost(opts.stdin, opts.files);
  const proc = new LinuxProcess(exe, {
    model: cpuModel(opts.cpu ?? 'e8c2'),
    argv: opts.argv ?? ['prog'],
    host,
    strace: opts.strace,
  });
  const code = proc.run(opts.max ?? 10_000_000);
  return { code, stdout: host.out, stderr: host.err, proc };
}
