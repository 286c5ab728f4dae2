/**
 * What the Linux user-mode layer needs from the host. The library stays pure: the Node
 * implementation lives in emulator/tools/e2k-run.ts, tests inject in-memory ones.
 * Every method returns a non-negative result or a negative Linux errno.
 */
export interface HostStat {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atimeMs: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface HostIo {
  read(fd: number, max: number): Uint8Array | number;
  write(fd: number, data: Uint8Array): number;
  /** `flags`/`mode` are Linux values (asm-generic O_* numbers). */
  open(path: string, flags: number, mode: number): number;
  close(fd: number): number;
  lseek(fd: number, offset: number, whence: number): number;
  fstat(fd: number): HostStat | number;
  /** Wall clock in ms (CLOCK_REALTIME) and a monotonic clock in ms. */
  realtimeMs(): number;
  monotonicMs(): number;
  sleepMs(ms: number): void;
  /** Diagnostics of the runner itself (strace, fatal signals). */
  diag(line: string): void;
}

export const ENOENT = 2;
export const EBADF = 9;
export const ENOMEM = 12;
export const EFAULT = 14;
export const EINVAL = 22;
export const ESRCH = 3;
export const ENOSYS = 38;
export const ENODEV = 19;
export const ENOTTY = 25;
export const ERANGE = 34;
