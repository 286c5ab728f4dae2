/**
 * Linux system calls for e2k user programs (control-and-stacks.md §10.3 numbering: the
 * i386-compatible table). Arguments arrive as JS numbers (64-bit values below 2^53;
 * signed 32-bit arguments are narrowed with `| 0`). Results are ≥ 0 or -errno. Struct
 * layouts where e2k is not documented here follow the generic 64-bit Linux ones
 * (stat: x86-64 layout; k_sigaction: handler, flags, restorer, mask) — uncertain.
 */
import { utf8Decode, utf8Encode } from '../elf/utf8';
import { MemFault, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../cpu/memory';
import { EBADF, EFAULT, EINVAL, ENOMEM, ENOSYS, ENOTTY, ERANGE, ESRCH } from './host';
import type { LinuxProcess } from './linux-process';
import { ExitProcess, SYSCALL_SIGRETURN } from './linux-process';

const AT_FDCWD = -100;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;

function w64(p: LinuxProcess, addr: number, v: number): void {
  p.mem.write64(addr, (v % 2 ** 32) | 0, Math.floor(v / 2 ** 32));
}

function r64(p: LinuxProcess, addr: number): number {
  const lo = p.mem.read64(addr);
  return (p.mem.hi >>> 0) * 2 ** 32 + (lo >>> 0);
}

function hostFd(p: LinuxProcess, fd: number): number {
  const h = p.fds.get(fd);
  return h === undefined ? -1 : h;
}

function newFd(p: LinuxProcess, h: number): number {
  let fd = 0;
  while (p.fds.has(fd)) fd++;
  p.fds.set(fd, h);
  return fd;
}

function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

function prot(v: number): number {
  return (v & 1 ? PROT_READ : 0) | (v & 2 ? PROT_WRITE : 0) | (v & 4 ? PROT_EXEC : 0);
}

export function doSyscall(p: LinuxProcess, nr: number, a: number[]): number {
  try {
    return dispatch(p, nr, a);
  } catch (e) {
    if (e instanceof MemFault) return -EFAULT;
    throw e;
  }
}

function dispatch(p: LinuxProcess, nr: number, a: number[]): number {
  const host = p.opts.host;
  const mem = p.mem;
  switch (nr) {
    case 1: // exit
    case 300: // exit_group
      throw new ExitProcess(a[0] & 0xff);
    case 3: {
      const h = hostFd(p, a[0] | 0);
      if (h < 0) return -EBADF;
      const r = host.read(h, Math.min(a[2], 1 << 24));
      if (typeof r === 'number') return r;
      mem.writeBytes(a[1], r);
      return r.length;
    }
    case 4: {
      const h = hostFd(p, a[0] | 0);
      if (h < 0) return -EBADF;
      return host.write(h, mem.readBytes(a[1], Math.min(a[2], 1 << 24)));
    }
    case 146: {
      // writev: struct iovec { void *base; size_t len; }
      const h = hostFd(p, a[0] | 0);
      if (h < 0) return -EBADF;
      let total = 0;
      for (let i = 0; i < (a[2] | 0); i++) {
        const base = r64(p, a[1] + 16 * i);
        const len = r64(p, a[1] + 16 * i + 8);
        if (len === 0) continue;
        const r = host.write(h, mem.readBytes(base, len));
        if (r < 0) return total || r;
        total += r;
      }
      return total;
    }
    case 5:
    case 335: {
      const [dirfd, path, flags, mode] =
        nr === 5 ? [AT_FDCWD, a[0], a[1], a[2]] : [a[0] | 0, a[1], a[2], a[3]];
      const name = utf8Decode(mem.readCString(path));
      if (dirfd !== AT_FDCWD && !name.startsWith('/')) return -ENOSYS;
      const h = host.open(name, flags | 0, mode | 0);
      return h < 0 ? h : newFd(p, h);
    }
    case 6: {
      const fd = a[0] | 0;
      const h = hostFd(p, fd);
      if (h < 0) return -EBADF;
      p.fds.delete(fd);
      return h > 2 ? host.close(h) : 0;
    }
    case 19: {
      const h = hostFd(p, a[0] | 0);
      if (h < 0) return -EBADF;
      return host.lseek(h, a[1] >= 2 ** 63 ? a[1] - 2 ** 64 : a[1], a[2] | 0);
    }
    case 108: {
      const h = hostFd(p, a[0] | 0);
      if (h < 0) return -EBADF;
      const st = host.fstat(h);
      if (typeof st === 'number') return st;
      const b = a[1];
      const vals: [number, number][] = [
        [0, st.dev],
        [8, st.ino],
        [16, st.nlink],
        [48, st.size],
        [56, st.blksize],
        [64, st.blocks],
        [32, st.rdev],
      ];
      for (let i = 0; i < 144; i += 8) w64(p, b + i, 0);
      for (const [o, v] of vals) w64(p, b + o, v);
      mem.write32(b + 24, st.mode);
      mem.write32(b + 28, st.uid);
      mem.write32(b + 32 - 4 + 4, st.gid);
      [st.atimeMs, st.mtimeMs, st.ctimeMs].forEach((ms, i) => {
        w64(p, b + 72 + 16 * i, Math.floor(ms / 1000));
        w64(p, b + 80 + 16 * i, Math.floor((ms % 1000) * 1e6));
      });
      return 0;
    }
    case 45: {
      const want = a[0];
      if (want === 0 || want < p.brkStart) return p.brk;
      if (want > p.brkStart + 1024 * 1024 * 1024) return p.brk;
      const oldTop = pageUp(p.brk);
      const newTop = pageUp(want);
      if (newTop > oldTop) mem.map(oldTop, newTop - oldTop, PROT_READ | PROT_WRITE);
      else if (newTop < oldTop) mem.unmap(newTop, oldTop - newTop);
      p.brk = want;
      return p.brk;
    }
    case 90: {
      const [addr, len, pr, flags, fd, off] = a;
      if (len === 0) return -EINVAL;
      const size = pageUp(len);
      let at: number;
      if (flags & MAP_FIXED) {
        if (addr % PAGE_SIZE) return -EINVAL;
        at = addr;
      } else {
        p.mmapNext -= size;
        at = p.mmapNext;
      }
      if (at <= 0) return -ENOMEM;
      mem.map(at, size, PROT_READ | PROT_WRITE);
      if (!(flags & MAP_ANONYMOUS)) {
        const h = hostFd(p, fd | 0);
        if (h < 0) return -EBADF;
        const pos = host.lseek(h, 0, 1);
        host.lseek(h, off, 0);
        const data = host.read(h, len);
        host.lseek(h, pos, 0);
        if (typeof data !== 'number') mem.writeBytes(at, data, true);
      }
      mem.protect(at, size, prot(pr));
      return at;
    }
    case 91:
      if (a[0] % PAGE_SIZE) return -EINVAL;
      mem.unmap(a[0], pageUp(a[1]));
      return 0;
    case 125:
      if (a[0] % PAGE_SIZE) return -EINVAL;
      return mem.protect(a[0], pageUp(a[1]), prot(a[2])) ? 0 : -ENOMEM;
    case 122: {
      const fields = ['Linux', 'glaunch', '5.4.0-e2k', '#1 SMP glaunch e2k-run', 'e2k', '(none)'];
      fields.forEach((f, i) => {
        const b = new Uint8Array(65);
        b.set(utf8Encode(f).subarray(0, 64));
        mem.writeBytes(a[0] + 65 * i, b);
      });
      return 0;
    }
    case 267: {
      const ms = (a[0] | 0) === 0 ? host.realtimeMs() : host.monotonicMs();
      w64(p, a[1], Math.floor(ms / 1000));
      w64(p, a[1] + 8, Math.floor((ms % 1000) * 1e6));
      return 0;
    }
    case 162: {
      const sec = r64(p, a[0]);
      const nsec = r64(p, a[0] + 8);
      if (nsec >= 1e9) return -EINVAL;
      host.sleepMs(sec * 1000 + nsec / 1e6);
      if (a[1]) {
        w64(p, a[1], 0);
        w64(p, a[1] + 8, 0);
      }
      return 0;
    }
    case 20:
    case 244:
      return p.pid;
    case 259:
      return p.pid;
    case 174: {
      const sig = a[0] | 0;
      if (sig < 1 || sig > 64 || sig === 9 || sig === 19) return -EINVAL;
      if (a[2]) {
        const old = p.actions.get(sig);
        w64(p, a[2], old?.handler ?? 0);
        w64(p, a[2] + 8, old?.flags ?? 0);
        w64(p, a[2] + 16, old?.restorer ?? 0);
        w64(p, a[2] + 24, old?.mask ?? 0);
      }
      if (a[1]) {
        p.actions.set(sig, {
          handler: r64(p, a[1]),
          flags: r64(p, a[1] + 8),
          restorer: r64(p, a[1] + 16),
          mask: mem.read32(a[1] + 24) >>> 0,
        });
      }
      return 0;
    }
    case 175: {
      const how = a[0] | 0;
      if (a[2]) w64(p, a[2], p.sigmask >>> 0);
      if (a[1]) {
        const set = mem.read32(a[1]) & ~((1 << 8) | (1 << 18)); // SIGKILL/SIGSTOP cannot be blocked
        if (how === 0) p.sigmask |= set;
        else if (how === 1) p.sigmask &= ~set;
        else if (how === 2) p.sigmask = set;
        else return -EINVAL;
      }
      return 0;
    }
    case 173:
      p.sigreturn();
      return SYSCALL_SIGRETURN;
    case 186: {
      if (a[1]) {
        w64(p, a[1], p.altstack.sp);
        mem.write32(a[1] + 8, p.altstack.flags);
        w64(p, a[1] + 16, p.altstack.size);
      }
      if (a[0]) {
        p.altstack = { sp: r64(p, a[0]), flags: mem.read32(a[0] + 8), size: r64(p, a[0] + 16) };
      }
      return 0;
    }
    case 37:
    case 270: {
      const [pid, sig] = nr === 37 ? [a[0] | 0, a[1] | 0] : [a[1] | 0, a[2] | 0];
      if (pid !== p.pid && pid !== 0 && pid !== -1) return -ESRCH;
      if (sig < 0 || sig > 64) return -EINVAL;
      if (sig !== 0) p.queue(sig);
      return 0;
    }
    case 145: {
      // readv: struct iovec { void *base; size_t len; }
      const h = hostFd(p, a[0] | 0);
      if (h < 0) return -EBADF;
      let total = 0;
      for (let i = 0; i < (a[2] | 0); i++) {
        const base = r64(p, a[1] + 16 * i);
        const len = r64(p, a[1] + 16 * i + 8);
        const r = host.read(h, Math.min(len, 1 << 24));
        if (typeof r === 'number') return total || r;
        mem.writeBytes(base, r);
        total += r.length;
        if (r.length < len) break;
      }
      return total;
    }
    case 24: // getuid
    case 47: // getgid
    case 49: // geteuid
    case 50: // getegid
      return 0;
    case 64: // getppid
      return 1;
    case 54: // ioctl: no terminals here
      return -ENOTTY;
    case 41: {
      // dup
      const h = hostFd(p, a[0] | 0);
      return h < 0 ? -EBADF : newFd(p, h);
    }
    case 183: {
      // getcwd: the guest sees "/"
      if (a[1] < 2) return -ERANGE;
      mem.writeBytes(a[0], Uint8Array.of(0x2f, 0));
      return 2;
    }
    case 385: {
      // getrandom: deterministic bytes (reproducible runs)
      const n = Math.min(a[1], 1 << 20);
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = (i * 167 + 13) & 0xff;
      mem.writeBytes(a[0], b);
      return n;
    }
    default:
      return -ENOSYS;
  }
}
