/**
 * The per-VM log: `<VM folder>/logs/vm.log` for the current (or last) run, `vm.1.log` and
 * `vm.2.log` for the two before; a new run rotates them, so the last three runs are kept.
 * The VM host is the only writer (the VM process sends its lines over the protocol), so a
 * crashing VM process cannot lose what it reported before it died. Writes are appended in
 * order through one promise chain; `tail()` serves "the last lines" for an aborted VM.
 */
import { appendFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export const LOG_RUNS_KEPT = 3;
const TAIL_LINES = 40;

export function logFile(folder: string, run: number): string {
  return path.join(folder, 'logs', run === 0 ? 'vm.log' : `vm.${run}.log`);
}

/** Shifts vm.log → vm.1.log → vm.2.log; the oldest falls off. */
export async function rotateLogs(folder: string): Promise<void> {
  await mkdir(path.join(folder, 'logs'), { recursive: true });
  await rm(logFile(folder, LOG_RUNS_KEPT - 1), { force: true });
  for (let run = LOG_RUNS_KEPT - 2; run >= 0; run--) {
    await rename(logFile(folder, run), logFile(folder, run + 1)).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    });
  }
}

export async function readLog(
  folder: string,
  run: number,
): Promise<{ text: string; available: number[] }> {
  const available: number[] = [];
  let text = '';
  for (let r = 0; r < LOG_RUNS_KEPT; r++) {
    try {
      const t = await readFile(logFile(folder, r), 'utf8');
      available.push(r);
      if (r === run) text = t;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return { text, available };
}

export class VmLogWriter {
  private chain: Promise<void> = Promise.resolve();
  private readonly recent: string[] = [];
  private failed = false;

  constructor(
    readonly folder: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Rotates the old runs away; call once before the first line of a run. */
  begin(): Promise<void> {
    this.recent.length = 0;
    this.chain = this.chain.then(() => rotateLogs(this.folder)).catch((e) => this.fail(e));
    return this.chain;
  }

  line(level: 'info' | 'warn' | 'error', text: string): void {
    const stamp = this.now().toISOString();
    const lines = text.split(/\r?\n/).map((l) => `${stamp} ${level.padEnd(5)} ${l}`);
    for (const l of lines) {
      this.recent.push(l);
      if (this.recent.length > TAIL_LINES) this.recent.shift();
    }
    const file = logFile(this.folder, 0);
    this.chain = this.chain
      .then(() => appendFile(file, lines.join('\n') + '\n'))
      .catch((e) => this.fail(e));
  }

  /** The last `n` lines written in this run. */
  tail(n = 10): string[] {
    return this.recent.slice(-n);
  }

  /** Resolves when everything written so far is on disk. */
  flush(): Promise<void> {
    return this.chain;
  }

  private fail(e: unknown): void {
    // A log that cannot be written must not stop the VM; say it once on stderr.
    if (!this.failed)
      console.error(`glaunch: cannot write the log of ${this.folder}: ${String(e)}`);
    this.failed = true;
  }
}
