/**
 * e2k-run: runs a static e2k Linux executable in user mode (see --help). The Linux layer
 * is the pure library in emulator/linux-user; this file supplies the Node host (files,
 * clocks, stdio) and the command line.
 */
import * as fs from 'node:fs';
import { cpuModel, CPU_MODEL_IDS, CPU_MODELS } from '../cpu/models';
import type { CpuModelId } from '../cpu/models';
import type { HostIo, HostStat } from '../linux-user/host';
import { LoadError } from '../linux-user/loader';
import { LinuxProcess } from '../linux-user/linux-process';
import { readInput, runTool, ToolError, UsageError } from './lib/cli';

const HELP = `Usage: e2k-run [options] [--] PROGRAM [ARGS...]
Runs a static e2k (Elbrus) Linux executable in user mode.

Options:
  --cpu MODEL     CPU preset: ${CPU_MODEL_IDS.join(', ')} (default: the model of the
                  ISA level in the executable's e_flags, else e8c2 = ISA v5);
                  operations absent from the model's ISA level raise SIGILL
  --strace        print every system call with its result on stderr
  --trace         print every executed bundle (disassembled) and its register changes
  --max-bundles N stop (exit 124) after N bundles
  -h, --help      show this help

Exit status: the program's own; 128+N when it is killed by signal N; 1 when the
executable cannot be loaded; 2 for a bad command line.
`;

function errno(e: unknown): number {
  const code = (e as NodeJS.ErrnoException).code;
  const map: Record<string, number> = {
    ENOENT: 2,
    EBADF: 9,
    EACCES: 13,
    EEXIST: 17,
    EISDIR: 21,
    EINVAL: 22,
    ENOTDIR: 20,
    ESPIPE: 29,
    EAGAIN: 11,
    EPIPE: 32,
  };
  return -(map[code ?? ''] ?? 5);
}

/** Node implementation of the injected host interface. Positions are tracked per fd. */
export function nodeHost(): HostIo {
  const pos = new Map<number, number>();
  const seekable = (fd: number): boolean => {
    try {
      return fs.fstatSync(fd).isFile();
    } catch {
      return false;
    }
  };
  return {
    read(fd, max) {
      try {
        const buf = new Uint8Array(max);
        const p = seekable(fd) ? (pos.get(fd) ?? 0) : null;
        const n = fs.readSync(fd, buf, 0, max, p);
        if (p !== null) pos.set(fd, p + n);
        return buf.subarray(0, n);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EOF') return new Uint8Array(0);
        return errno(e);
      }
    },
    write(fd, data) {
      try {
        const p = fd > 2 && seekable(fd) ? (pos.get(fd) ?? 0) : null;
        let off = 0;
        while (off < data.length)
          off += fs.writeSync(fd, data, off, data.length - off, p === null ? null : p + off);
        if (p !== null) pos.set(fd, p + off);
        return off;
      } catch (e) {
        return errno(e);
      }
    },
    open(path, flags, mode) {
      try {
        const fd = fs.openSync(path, flags, mode);
        pos.set(fd, 0);
        return fd;
      } catch (e) {
        return errno(e);
      }
    },
    close(fd) {
      try {
        fs.closeSync(fd);
        pos.delete(fd);
        return 0;
      } catch (e) {
        return errno(e);
      }
    },
    lseek(fd, offset, whence) {
      if (!seekable(fd)) return -29;
      const cur = pos.get(fd) ?? 0;
      const size = fs.fstatSync(fd).size;
      const n =
        whence === 0 ? offset : whence === 1 ? cur + offset : whence === 2 ? size + offset : -1;
      if (n < 0) return -22;
      pos.set(fd, n);
      return n;
    },
    fstat(fd): HostStat | number {
      try {
        const s = fs.fstatSync(fd);
        return {
          dev: s.dev,
          ino: s.ino,
          mode: s.mode,
          nlink: s.nlink,
          uid: s.uid,
          gid: s.gid,
          rdev: s.rdev,
          size: s.size,
          blksize: s.blksize,
          blocks: s.blocks,
          atimeMs: s.atimeMs,
          mtimeMs: s.mtimeMs,
          ctimeMs: s.ctimeMs,
        };
      } catch (e) {
        return errno(e);
      }
    },
    realtimeMs: () => Date.now(),
    monotonicMs: () => performance.now(),
    sleepMs(ms) {
      if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    },
    diag(line) {
      fs.writeSync(2, line + '\n');
    },
  };
}

function main(argv: string[]): number {
  let cpu: CpuModelId | null = null;
  let strace = false;
  let trace = false;
  let max = Infinity;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-h' || a === '--help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === '--strace') strace = true;
    else if (a === '--trace') trace = true;
    else if (a === '--cpu' || a.startsWith('--cpu=')) {
      const v = a === '--cpu' ? argv[++i] : a.slice(6);
      if (!v || !(CPU_MODEL_IDS as string[]).includes(v))
        throw new UsageError(`unknown CPU model '${v ?? ''}' (one of ${CPU_MODEL_IDS.join(', ')})`);
      cpu = v as CpuModelId;
    } else if (a === '--max-bundles') {
      max = Number(argv[++i]);
      if (!Number.isInteger(max) || max <= 0) throw new UsageError('bad --max-bundles value');
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
    else break;
  }
  const prog = argv[i];
  if (!prog) throw new UsageError('no program given');
  const exe = readInput(prog);
  if (cpu === null) {
    // e_flags[31:24] = elbrus-vN (control-and-stacks.md §10.1)
    const iset = exe.length >= 52 ? exe[51] : 0;
    cpu = CPU_MODELS.find((m) => m.iset === iset)?.id ?? 'e8c2';
  }
  const host = nodeHost();
  let p: LinuxProcess;
  try {
    p = new LinuxProcess(exe, {
      model: cpuModel(cpu),
      argv: argv.slice(i),
      envp: Object.entries(process.env).map(([k, v]) => `${k}=${v}`),
      host,
      strace,
      trace: trace ? (line) => fs.writeSync(2, line + '\n') : undefined,
      pid: process.pid,
    });
  } catch (e) {
    if (e instanceof LoadError) throw new ToolError(`${prog}: ${e.message}`);
    throw e;
  }
  return p.run(max);
}

runTool('e2k-run', 'try --help', main);
