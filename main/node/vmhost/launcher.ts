/**
 * Creating VM processes: the one place that knows how. The app (Electron) forks with
 * `utilityProcess.fork` (main/electron/vm-launcher.ts); web mode, the CLI's host and tests use
 * `child_process.fork` below. Both give a VmChannel that carries structured-clone messages
 * (protocol.ts) and reports the process's end.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface VmExitInfo {
  code: number | null;
  signal: string | null;
}

export interface VmChannel {
  readonly pid: number | undefined;
  send(msg: unknown): void;
  /**
   * Sends a message with a MessagePort in its transfer list (runtimes that can: Electron's
   * utilityProcess, worker threads). The port is the runtime's own object.
   */
  sendWithPort?(msg: unknown, port: unknown): void;
  onMessage(listener: (msg: unknown) => void): void;
  /** Called once, when the process is gone (for whatever reason). */
  onExit(listener: (info: VmExitInfo) => void): void;
  /** Lines the process printed on stderr (crash traces, out-of-memory messages). */
  onStderr(listener: (line: string) => void): void;
  kill(): void;
}

export interface VmLauncher {
  launch(name: string): VmChannel;
  /**
   * Its channels transfer MessagePorts: console bytes then go straight between the VM process
   * and the windows (console-ports.ts), the VM process keeps the scrollback.
   */
  readonly consolePorts?: boolean;
}

/**
 * Where the bundled VM process entry lives: beside the running bundle (dist/main/), or, when
 * running from sources (tsx, tests), dist/main/vm-process.cjs of the repository.
 */
export function defaultVmProcessEntry(): string {
  return bundledFile('vm-process.cjs');
}

/** A file of dist/main/: beside this bundle, or in the repository's dist/ from sources. */
export function bundledFile(name: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, name), path.resolve(here, '../../../dist/main', name)];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

export interface ForkLauncherOptions {
  entry?: string;
  /** Extra arguments for node (e.g. --max-old-space-size for a memory limit). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Environment of a VM process: the host's, with glibc limited to one malloc arena unless
 * the user set MALLOC_ARENA_MAX. Why: V8's compiler and GC threads otherwise each get an
 * arena that keeps its freed memory — ≈ 3–5 MiB of RSS per VM process measured on the demo
 * OS (emulator/machine/README.md, "Start-up and host memory"); the emulator's own thread
 * does nearly all the work, so there is no contention to avoid. Ignored off glibc.
 */
export function vmProcessEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, MALLOC_ARENA_MAX: base.MALLOC_ARENA_MAX ?? '1' };
}

/**
 * A VM process's stderr as lines for `onStderr` listeners (both launchers); `flush` hands
 * over an unterminated last line — call it when the process has ended.
 */
export function stderrLines(stream: NodeJS.ReadableStream | null | undefined): {
  listeners: ((line: string) => void)[];
  flush(): void;
} {
  const listeners: ((line: string) => void)[] = [];
  let buf = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (d: string) => {
    buf += d;
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const l of lines) for (const f of listeners) f(l);
  });
  return {
    listeners,
    flush() {
      if (buf) for (const f of listeners) f(buf);
      buf = '';
    },
  };
}

/** child_process.fork: web mode, the CLI host, tests. */
export function forkLauncher(o: ForkLauncherOptions = {}): VmLauncher {
  return {
    launch(name) {
      const entry = o.entry ?? defaultVmProcessEntry();
      if (!existsSync(entry))
        throw new Error(`the VM process program ${entry} is missing: run npm run build`);
      const child = fork(entry, ['--vm', name], {
        serialization: 'advanced',
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        execArgv: o.execArgv ?? [],
        env: vmProcessEnv(o.env ?? process.env),
      });
      const stderr = stderrLines(child.stderr);
      const exitListeners: ((i: VmExitInfo) => void)[] = [];
      let exited = false;
      const done = (info: VmExitInfo) => {
        if (exited) return;
        exited = true;
        stderr.flush();
        for (const f of exitListeners) f(info);
      };
      // 'close' comes after stdio is drained, so the last stderr lines are in the log. IPC
      // messages the process sent just before exiting can still be queued behind it: give
      // them a turn of the event loop first, so a reason (startFailed, exit) is never lost.
      child.on('close', (code, signal) => void setTimeout(() => done({ code, signal }), 20));
      child.on('error', (e) => {
        if (child.pid === undefined) done({ code: null, signal: `spawn failed: ${e.message}` });
      });
      return {
        pid: child.pid,
        send(msg) {
          if (child.connected) child.send(msg as never, (e) => void e);
        },
        onMessage: (l) => void child.on('message', l),
        onExit: (l) => void exitListeners.push(l),
        onStderr: (l) => void stderr.listeners.push(l),
        kill: () => void child.kill('SIGKILL'),
      };
    },
  };
}
