/**
 * A Linux user-mode e2k process: memory, CPU, initial stack and hardware stacks, the run
 * loop that services system calls (sdisp gate 3 + call, control-and-stacks.md §10.3) and
 * delivers signals for architectural exceptions.
 */
import { Cpu, Stop } from '../cpu/cpu';
import { Exc, EXC_NAMES, excSignal, GuestTrap } from '../cpu/exceptions';
import { Memory, MemFault, PAGE_SIZE, PROT_READ, PROT_WRITE } from '../cpu/memory';
import type { CpuModel } from '../cpu/models';
import { disassembleBundle } from '../disasm';
import type { HostIo } from './host';
import { loadElf } from './loader';
import type { LoadedImage } from './loader';
import type { SigAction, SigFrame } from './signals';
import {
  DEFAULT_IGNORED,
  enterHandler,
  restoreFrame,
  saveFrame,
  SA_NODEFER,
  SA_ONSTACK,
  SS_DISABLE,
  SA_RESETHAND,
  SIG_DFL,
  SIG_IGN,
  SIGNAL_NAMES,
  SIGRETURN_ADDR,
} from './signals';
import {
  AT_EGID,
  AT_ENTRY,
  AT_EUID,
  AT_GID,
  AT_PAGESZ,
  AT_PHDR,
  AT_PHENT,
  AT_PHNUM,
  AT_UID,
  buildStack,
} from './stack';
import { doSyscall } from './syscalls';

export const STACK_TOP = 0x7fff00000000;
export const STACK_SIZE = 8 * 1024 * 1024;
/** Hardware procedure / chain stacks (§5.1), far from everything else. */
export const PS_BASE = 0x7ffe00000000;
export const PS_SIZE = 64 * 1024 * 1024;
export const PCS_BASE = 0x7ffd00000000;
export const PCS_SIZE = 16 * 1024 * 1024;
export const MMAP_TOP = 0x7f0000000000;

export interface ProcessOptions {
  model: CpuModel;
  argv: string[];
  envp?: string[];
  host: HostIo;
  strace?: boolean;
  /** Called before each bundle with its disassembly, and with each committed write. */
  trace?: (line: string) => void;
  pid?: number;
}

export class ExitProcess {
  constructor(public code: number) {}
}

export class LinuxProcess {
  readonly mem = new Memory();
  readonly cpu: Cpu;
  readonly image: LoadedImage;
  brkStart: number;
  brk: number;
  mmapNext = MMAP_TOP;
  sigmask = 0;
  readonly actions = new Map<number, SigAction>();
  readonly frames: SigFrame[] = [];
  readonly pending: number[] = [];
  altstack = { sp: 0, flags: 2, size: 0 };
  readonly fds = new Map<number, number>([
    [0, 0],
    [1, 1],
    [2, 2],
  ]);
  readonly pid: number;
  exitCode: number | null = null;

  constructor(
    exe: Uint8Array,
    public readonly opts: ProcessOptions,
  ) {
    this.cpu = new Cpu(this.mem, opts.model);
    this.pid = opts.pid ?? 1000;
    this.image = loadElf(exe, this.mem);
    this.brkStart = this.brk = this.image.brk;
    const c = this.cpu;
    this.mem.map(STACK_TOP - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
    this.mem.map(PS_BASE, PS_SIZE, PROT_READ | PROT_WRITE);
    this.mem.map(PCS_BASE, PCS_SIZE, PROT_READ | PROT_WRITE);
    c.psBase = PS_BASE;
    c.psSize = PS_SIZE;
    c.pcsBase = PCS_BASE;
    c.pcsSize = PCS_SIZE;
    const sp = buildStack(this.mem, STACK_TOP, opts.argv, opts.envp ?? [], [
      [AT_PHDR, this.image.phdr],
      [AT_PHENT, 56],
      [AT_PHNUM, this.image.phnum],
      [AT_PAGESZ, PAGE_SIZE],
      [AT_ENTRY, this.image.entry],
      [AT_UID, 0],
      [AT_EUID, 0],
      [AT_GID, 0],
      [AT_EGID, 0],
    ]);
    c.usdBase = sp;
    c.usdSize = sp - (STACK_TOP - STACK_SIZE);
    c.sbr = STACK_TOP;
    c.ip = this.image.entry;
  }

  /** Runs until exit; returns the exit status. `maxBundles` bounds runaway programs. */
  run(maxBundles = Infinity): number {
    const c = this.cpu;
    const trace = this.opts.trace;
    let left = maxBundles;
    while (this.exitCode === null) {
      if (left <= 0) {
        this.opts.host.diag(`e2k-run: bundle limit reached at ip 0x${c.ip.toString(16)}`);
        return 124;
      }
      let stop: Stop;
      if (trace) {
        trace(this.disasm(c.ip));
        c.traceWrite = (w) => trace(`    ${w}`);
        stop = c.run(1);
        left -= 1;
      } else {
        const chunk = Math.min(left, 1 << 20);
        const before = c.icount;
        stop = c.run(chunk);
        left -= Math.max(1, c.icount - before);
      }
      try {
        if (stop === Stop.Syscall) this.syscall();
        else if (stop === Stop.Exception) this.exception();
        if (this.pending.length && this.exitCode === null) this.deliverPending();
      } catch (e) {
        if (e instanceof ExitProcess) this.exitCode = e.code;
        else if (e instanceof GuestTrap || e instanceof MemFault) {
          // e.g. no room for a signal frame, procedure stack exhausted while filling
          try {
            this.fatal(
              11,
              e instanceof MemFault ? e.addr : e.addr,
              'fault while delivering a signal or returning from a system call',
            );
          } catch (x) {
            if (x instanceof ExitProcess) this.exitCode = x.code;
            else throw x;
          }
        } else throw e;
      }
    }
    return this.exitCode;
  }

  disasm(ip: number): string {
    try {
      const bytes = this.mem.readBytes(ip, 64, 'exec');
      const d = disassembleBundle(bytes, 0, BigInt(ip), this.opts.model.iset);
      return `0x${ip.toString(16)}: ${d.lines.map((l) => l.trim()).join('; ')}`;
    } catch {
      try {
        const bytes = this.mem.readBytes(ip, 8, 'exec');
        const d = disassembleBundle(bytes, 0, BigInt(ip), this.opts.model.iset);
        return `0x${ip.toString(16)}: ${d.lines.map((l) => l.trim()).join('; ')}`;
      } catch {
        return `0x${ip.toString(16)}: <not readable>`;
      }
    }
  }

  private syscall(): void {
    const c = this.cpu;
    const args: number[] = [];
    const nr = c.winLo(0) >>> 0;
    for (let i = 1; i <= 6; i++) args.push((c.winHi(i) >>> 0) * 2 ** 32 + (c.winLo(i) >>> 0));
    if (this.opts.strace && (nr === 1 || nr === 300))
      this.opts.host.diag(`${syscallName(nr)}(${args[0] & 0xff}) = ?`);
    let res: number;
    if (c.syscallGate === 3 || c.syscallGate === 4 || c.syscallGate === 1) {
      res = doSyscall(this, nr, args);
    } else res = -38; // fast system calls (gate 6) and others: ENOSYS
    if (this.opts.strace)
      this.opts.host.diag(
        `${syscallName(nr)}(${args
          .slice(0, 3)
          .map((a) => '0x' + a.toString(16))
          .join(', ')}) = ${res}`,
      );
    if (res === SYSCALL_SIGRETURN) return;
    const lo = (res % 2 ** 32) | 0;
    const hi = res < 0 ? -1 : Math.floor(res / 2 ** 32);
    c.finishSyscall(lo, hi);
  }

  private exception(): void {
    const c = this.cpu;
    if (c.exc === Exc.InstrPage && c.ip === SIGRETURN_ADDR) {
      this.sigreturn();
      return;
    }
    const signo = excSignal(c.exc);
    this.raise(signo, c.excAddr, true);
  }

  /** Restores the innermost signal frame (handler return or rt_sigreturn). */
  sigreturn(): void {
    const f = this.frames.pop();
    if (!f) {
      this.fatal(11, this.cpu.ip, 'sigreturn without a signal frame');
      return;
    }
    restoreFrame(this.cpu, f);
    this.sigmask = f.sigmask;
  }

  /** Queues an asynchronous signal (kill/tgkill to ourselves). */
  queue(signo: number): void {
    this.pending.push(signo);
  }

  private deliverPending(): void {
    const rest: number[] = [];
    while (this.pending.length) {
      const s = this.pending.shift()!;
      if (this.sigmask & (1 << (s - 1))) rest.push(s);
      else this.raise(s, 0, false);
    }
    this.pending.push(...rest);
  }

  /** Delivers `signo`: handler, ignore, or the default action. */
  raise(signo: number, addr: number, sync: boolean): void {
    const act = this.actions.get(signo);
    const handler = act?.handler ?? SIG_DFL;
    const blocked = (this.sigmask & (1 << (signo - 1))) !== 0;
    if (handler === SIG_IGN && !sync) return;
    if (handler === SIG_DFL || handler === SIG_IGN || (sync && blocked)) {
      if (DEFAULT_IGNORED.has(signo) && !sync) return;
      this.fatal(
        signo,
        addr,
        sync ? `${EXC_NAMES[this.cpu.exc]}: ${this.cpu.excDetail}` : 'signal',
      );
      return;
    }
    const c = this.cpu;
    const frame = saveFrame(c, signo, this.sigmask);
    this.frames.push(frame);
    // siginfo + ucontext below the interrupted stack pointer (128-byte red zone kept), or
    // on the alternate stack with SA_ONSTACK when one is set up (sigaltstack).
    const alt = (act!.flags & SA_ONSTACK) !== 0 && this.altstack.flags !== SS_DISABLE;
    const onAlt =
      alt && c.usdBase > this.altstack.sp && c.usdBase <= this.altstack.sp + this.altstack.size;
    const top = alt && !onAlt ? this.altstack.sp + this.altstack.size : c.usdBase - 128;
    const info = Math.floor((top - 256) / 16) * 16;
    const uc = info + 128;
    this.mem.write32(info, signo);
    this.mem.write32(info + 4, 0);
    this.mem.write32(info + 8, sync ? 1 : 0);
    this.mem.write64(info + 16, (addr % 2 ** 32) | 0, Math.floor(addr / 2 ** 32));
    c.usdBase = info;
    if (!(act!.flags & SA_NODEFER)) this.sigmask |= 1 << (signo - 1);
    this.sigmask |= act!.mask;
    if (act!.flags & SA_RESETHAND) this.actions.delete(signo);
    enterHandler(c, handler, signo, info, uc);
  }

  /** Default action of a fatal signal: one diagnostic line, exit status 128 + signo. */
  fatal(signo: number, addr: number, detail: string): never {
    const name = SIGNAL_NAMES[signo] ?? `signal ${signo}`;
    this.opts.host.diag(
      `e2k-run: ${name} (${detail}) at address 0x${addr.toString(16)}, bundle ${this.disasm(this.cpu.ip)}`,
    );
    throw new ExitProcess(128 + signo);
  }
}

/** Marker result: the syscall already restored a signal frame. */
export const SYSCALL_SIGRETURN = 0.5;

const NAMES: Record<number, string> = {
  1: 'exit',
  3: 'read',
  4: 'write',
  5: 'open',
  6: 'close',
  19: 'lseek',
  20: 'getpid',
  37: 'kill',
  45: 'brk',
  90: 'mmap',
  91: 'munmap',
  108: 'fstat',
  122: 'uname',
  125: 'mprotect',
  146: 'writev',
  162: 'nanosleep',
  173: 'rt_sigreturn',
  174: 'rt_sigaction',
  175: 'rt_sigprocmask',
  186: 'sigaltstack',
  244: 'gettid',
  259: 'set_tid_address',
  267: 'clock_gettime',
  270: 'tgkill',
  300: 'exit_group',
  335: 'openat',
  24: 'getuid',
  41: 'dup',
  47: 'getgid',
  49: 'geteuid',
  50: 'getegid',
  54: 'ioctl',
  64: 'getppid',
  145: 'readv',
  183: 'getcwd',
  385: 'getrandom',
};

export function syscallName(nr: number): string {
  return NAMES[nr] ?? `syscall_${nr}`;
}
