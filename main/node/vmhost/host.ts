/**
 * The VM host: every running VM of one app (or `glaunch web`) instance, by name. The API
 * service calls it for start/stop/console/monitor requests; its events feed the transports
 * (state changes, 200 ms stats, console bytes). It never throws for a VM process's failure:
 * that is a state (aborted) with a reason.
 */
import { EventEmitter } from 'node:events';
import type { VmState, VmStatus, VmLog } from '../../common/api';
import { ApiError } from '../../common/api-error';
import type { VmLibrary } from '../library/library';
import type { VmLauncher } from './launcher';
import { DEFAULT_TIMEOUTS, VmRunner, type RunnerEvents, type RunnerTimeouts } from './runner';
import { isActive } from './state-machine';
import { readLog } from './vm-log';

export interface VmHostOptions {
  library: VmLibrary;
  launcher: VmLauncher;
  timeouts?: RunnerTimeouts;
}

export class VmHost extends EventEmitter<RunnerEvents> {
  private readonly runners = new Map<string, VmRunner>();

  constructor(private readonly o: VmHostOptions) {
    super();
  }

  private key(name: string): string {
    return name.toLowerCase();
  }

  private runnerOf(name: string): VmRunner | undefined {
    return this.runners.get(this.key(name));
  }

  stateOf(name: string): VmState {
    return this.runnerOf(name)?.state ?? 'poweredOff';
  }

  isActive(name: string): boolean {
    return isActive(this.stateOf(name));
  }

  /** The runner of an existing VM (created on first use); not_found/inaccessible otherwise. */
  private async runner(
    name: string,
  ): Promise<{ runner: VmRunner; folder: string; entry: Awaited<ReturnType<VmLibrary['getOk']>> }> {
    const entry = await this.o.library.getOk(name);
    let r = this.runnerOf(entry.config.name);
    if (!r) {
      r = new VmRunner(entry.config.name, this.o.launcher, this.o.timeouts ?? DEFAULT_TIMEOUTS);
      r.on('state', (e) => this.emit('state', e));
      r.on('stats', (e) => this.emit('stats', e));
      r.on('console', (e) => this.emit('console', e));
      this.runners.set(this.key(entry.config.name), r);
    }
    return { runner: r, folder: entry.folder, entry };
  }

  async start(name: string, headless: boolean): Promise<VmStatus> {
    const { runner, entry } = await this.runner(name);
    return runner.start(entry.config, entry.folder, headless);
  }

  async pause(name: string): Promise<VmStatus> {
    return (await this.runner(name)).runner.pause();
  }
  async resume(name: string): Promise<VmStatus> {
    return (await this.runner(name)).runner.resume();
  }
  async reset(name: string): Promise<VmStatus> {
    return (await this.runner(name)).runner.reset();
  }
  async shutdown(name: string): Promise<VmStatus> {
    return (await this.runner(name)).runner.shutdown();
  }
  async powerOff(name: string): Promise<VmStatus> {
    return (await this.runner(name)).runner.powerOff();
  }
  async status(name: string): Promise<VmStatus> {
    return (await this.runner(name)).runner.status();
  }
  async consoleContents(name: string, port: number): Promise<Uint8Array> {
    return (await this.runner(name)).runner.consoleContents(port);
  }
  /** See VmRunner.openConsolePort: false unless the VM is running and ports can travel. */
  openConsolePort(name: string, port: unknown): boolean {
    return this.runnerOf(name)?.openConsolePort(port) ?? false;
  }
  async writeConsole(name: string, port: number, data: Uint8Array): Promise<void> {
    (await this.runner(name)).runner.writeConsole(port, data);
  }
  /** For the WebSocket's console messages: no file access, the VM must be known and running. */
  writeConsoleNow(name: string, port: number, data: Uint8Array): void {
    const r = this.runnerOf(name);
    if (!r) throw new ApiError('conflict', `VM '${name}' is not running`);
    r.writeConsole(port, data);
  }
  async registers(name: string): Promise<Record<string, string>[]> {
    return (await this.runner(name)).runner.registers();
  }
  async readLog(name: string, run: number): Promise<VmLog> {
    const { folder } = await this.runner(name);
    const r = await readLog(folder, run);
    return { run, available: r.available, text: r.text };
  }

  /** Refuses changes to a VM whose process exists (renaming, deleting, editing its settings). */
  assertStopped(name: string, what: string): void {
    const r = this.runnerOf(name);
    if (r && isActive(r.state))
      throw new ApiError(
        'conflict',
        `cannot ${what} VM '${r.name}' while it is ${r.state === 'paused' ? 'paused' : 'running'}: power it off first`,
      );
  }

  /** Latest stats of every running VM (for a client that just connected). */
  lastStats() {
    return [...this.runners.values()].flatMap((r) =>
      r.lastStats && isActive(r.state) ? [r.lastStats] : [],
    );
  }

  /** Names of VMs whose process exists. */
  activeNames(): string[] {
    return [...this.runners.values()].filter((r) => isActive(r.state)).map((r) => r.name);
  }

  /** App quitting: powers every VM off, killing those that do not stop in time. */
  async powerOffAll(): Promise<void> {
    await Promise.all(
      [...this.runners.values()]
        .filter((r) => isActive(r.state))
        .map((r) =>
          r.state === 'stopping'
            ? Promise.resolve()
            : r.powerOff().then(
                () => undefined,
                () => r.kill(),
              ),
        ),
    );
  }
}
