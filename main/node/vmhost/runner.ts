/**
 * One VM as the host sees it: its state (state-machine.ts), its VM process (through a
 * VmChannel), its log, its console scrollback and its latest counters. Commands return once
 * the VM process has confirmed them; the process ending is always noticed, whatever the
 * cause, and turns into poweredOff (expected) or aborted (with the reason and the last log
 * lines).
 */
import { EventEmitter } from 'node:events';
import type { SerialEndpoint, VmState, VmStatsEvent, VmStatus } from '../../common/api';
import { ApiError } from '../../common/api-error';
import type { VmConfig } from '../../common/vm-config';
import { APP_VERSION } from '../version';
import type { VmChannel, VmExitInfo, VmLauncher } from './launcher';
import {
  parseVmMessage,
  VM_PROTOCOL_VERSION,
  type HostMessageBody,
  type VmMessage,
} from './protocol';
import { Scrollback } from './scrollback';
import { configSummary, startMessage } from './start-setup';
import { commandTransition, eventTransition, type VmCommand, type VmEvent } from './state-machine';
import { VmLogWriter } from './vm-log';

export interface RunnerTimeouts {
  /** From fork to 'started' (opening images and backends, building the board). */
  startMs: number;
  /** From power off to the process's end before it is killed. */
  stopMs: number;
}

export const DEFAULT_TIMEOUTS: RunnerTimeouts = { startMs: 60_000, stopMs: 5_000 };

export interface RunnerEvents {
  state: [{ name: string; state: VmState; reason?: string }];
  stats: [VmStatsEvent];
  console: [{ name: string; port: number; data: Uint8Array }];
}

export class VmRunner extends EventEmitter<RunnerEvents> {
  state: VmState = 'poweredOff';
  reason: string | undefined;
  lastLog: string[] | undefined;
  headless = false;
  startedAt: string | undefined;
  serial: SerialEndpoint[] = [];
  lastStats: VmStatsEvent | null = null;
  private channel: VmChannel | null = null;
  private log: VmLogWriter | null = null;
  private readonly scrollback = new Map<number, Scrollback>();
  private exitMessage: Extract<VmMessage, { type: 'exit' }> | null = null;
  private readonly waiters = new Set<(m: VmMessage | null) => void>();
  private nextRequest = 1;
  private stopTimer: NodeJS.Timeout | null = null;
  private stderrTail: string[] = [];
  /** What the VM process said when its start failed (it exits right after). */
  private startFailure: string | undefined;

  constructor(
    public name: string,
    private readonly launcher: VmLauncher,
    private readonly timeouts: RunnerTimeouts = DEFAULT_TIMEOUTS,
  ) {
    super();
  }

  status(): VmStatus {
    return {
      name: this.name,
      state: this.state,
      headless: this.headless,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.lastLog ? { lastLog: this.lastLog } : {}),
      ...(this.channel?.pid !== undefined ? { pid: this.channel.pid } : {}),
      ...(this.startedAt ? { startedAt: this.startedAt } : {}),
      serial: this.serial,
    };
  }

  private setState(next: VmState, reason?: string): void {
    if (reason !== undefined) this.reason = reason;
    if (next === this.state) return;
    this.state = next;
    this.emit('state', {
      name: this.name,
      state: next,
      ...(this.reason ? { reason: this.reason } : {}),
    });
  }

  private command(c: VmCommand): void {
    const t = commandTransition(this.name, this.state, c);
    if (!t.ok) throw new ApiError('conflict', t.message);
    this.setState(t.next);
  }

  private event(e: VmEvent, reason?: string): void {
    const next = eventTransition(this.state, e);
    if (next) this.setState(next, reason);
  }

  async start(config: VmConfig, folder: string, headless: boolean): Promise<VmStatus> {
    this.command('start');
    this.headless = headless;
    this.reason = undefined;
    this.lastLog = undefined;
    this.serial = [];
    this.lastStats = null;
    this.exitMessage = null;
    this.stderrTail = [];
    this.startFailure = undefined;
    this.scrollback.clear();
    this.startedAt = new Date().toISOString();
    const log = new VmLogWriter(folder);
    this.log = log;
    await log.begin();
    const setup = {
      ...startMessage(config, folder),
      ...(this.launcher.consolePorts ? { consolePorts: true } : {}),
    };
    log.line(
      'info',
      `Glaunch ${APP_VERSION}: starting VM '${config.name}'${headless ? ' (headless)' : ''}`,
    );
    for (const l of configSummary(setup)) log.line('info', l);

    let channel: VmChannel;
    try {
      channel = this.launcher.launch(config.name);
    } catch (e) {
      return this.failStart(`cannot create the VM process: ${(e as Error).message}`);
    }
    this.channel = channel;
    log.line('info', `VM process ${channel.pid ?? '?'} created`);
    channel.onMessage((raw) => this.onMessage(raw));
    channel.onStderr((l) => {
      this.stderrTail.push(l);
      if (this.stderrTail.length > 20) this.stderrTail.shift();
      log.line('error', `[vm process] ${l}`);
    });
    channel.onExit((info) => this.onExit(channel, info));

    const first = await this.waitFor(['hello'], this.timeouts.startMs);
    if (!first) return this.failStart('the VM process did not answer');
    if (first.type !== 'hello')
      return this.failStart(`unexpected '${first.type}' from the VM process`);
    if (first.v !== VM_PROTOCOL_VERSION) {
      channel.kill();
      return this.failStart(
        `the VM process speaks protocol ${first.v}, the host ${VM_PROTOCOL_VERSION}: rebuild (npm run build)`,
      );
    }
    channel.send(setup);
    const answer = await this.waitFor(['started', 'startFailed'], this.timeouts.startMs);
    // The process may already be gone (it exits right after startFailed): the reason counts.
    const failure = answer?.type === 'startFailed' ? answer.message : this.startFailure;
    if (failure !== undefined && this.state !== 'stopping') return this.failStart(failure);
    if (this.state !== 'starting') {
      // Powered off or crashed meanwhile: onExit/powerOff already set the state.
      throw new ApiError(
        'conflict',
        `VM '${this.name}' did not start: ${this.reason ?? 'stopped while starting'}`,
      );
    }
    if (!answer) {
      channel.kill();
      return this.failStart(
        `the VM process did not start within ${this.timeouts.startMs / 1000} s`,
      );
    }
    if (answer.type !== 'started') return this.failStart(`unexpected '${answer.type}'`);
    this.serial = setup.serial.map((s) => {
      const ep = answer.serial.find((x) => x.index === s.index)?.endpoint;
      return { index: s.index, mode: s.mode, ...(ep ? { endpoint: ep } : {}) };
    });
    for (const s of this.serial)
      if (s.endpoint) log.line('info', `serial port ${s.index} (${s.mode}): ${s.endpoint}`);
    log.line('info', 'running');
    this.event('started');
    return this.status();
  }

  private failStart(why: string): never {
    // A process that died while starting is aborted already; its reason says more.
    const message = this.state === 'aborted' && this.reason ? this.reason : why;
    this.log?.line('error', `start failed: ${message}`);
    this.reason = message;
    this.event('startFailed', message);
    throw new ApiError('io', `cannot start VM '${this.name}': ${message}`);
  }

  pause(): Promise<VmStatus> {
    return this.simple('pause', { type: 'pause' }, 'paused');
  }
  resume(): Promise<VmStatus> {
    return this.simple('resume', { type: 'resume' }, 'resumed');
  }

  private async simple(
    c: VmCommand,
    msg: HostMessageBody,
    ack: 'paused' | 'resumed',
  ): Promise<VmStatus> {
    this.command(c);
    this.send(msg);
    await this.waitFor([ack], 5_000);
    this.log?.line('info', c === 'pause' ? 'paused' : 'resumed');
    return this.status();
  }

  reset(): VmStatus {
    this.command('reset');
    this.send({ type: 'reset' });
    return this.status();
  }

  shutdown(): VmStatus {
    this.command('shutdown');
    this.send({ type: 'powerButton' });
    return this.status();
  }

  async powerOff(): Promise<VmStatus> {
    this.command('powerOff');
    this.log?.line('info', 'power off requested');
    const channel = this.channel;
    this.send({ type: 'powerOff' });
    if (channel) {
      const gone = new Promise<void>((r) => channel.onExit(() => r()));
      this.stopTimer = setTimeout(() => {
        this.log?.line(
          'warn',
          `the VM process did not stop within ${this.timeouts.stopMs} ms: killed`,
        );
        channel.kill();
      }, this.timeouts.stopMs);
      await gone;
    }
    return this.status();
  }

  /** The scrollback: the host's own, or (console ports) the VM process's. */
  async consoleContents(port: number): Promise<Uint8Array> {
    if (!this.launcher.consolePorts || !this.channel)
      return this.scrollback.get(port)?.contents() ?? new Uint8Array(0);
    const id = this.nextRequest++;
    this.send({ type: 'consoleContents', id, port });
    const m = await this.waitFor(
      ['consoleContents'],
      5_000,
      (x) => x.type === 'consoleContents' && x.id === id,
    );
    if (!m || m.type !== 'consoleContents')
      throw new ApiError('io', `VM '${this.name}' did not answer`);
    return m.data;
  }

  /**
   * Hands one end of a window's console channel to the VM process (console ports). False when
   * there is no VM process to take it or the launcher cannot transfer ports.
   */
  openConsolePort(port: unknown): boolean {
    const c = this.channel;
    if (!c?.sendWithPort || (this.state !== 'running' && this.state !== 'paused')) return false;
    c.sendWithPort({ v: VM_PROTOCOL_VERSION, type: 'consolePort' }, port);
    return true;
  }

  writeConsole(port: number, data: Uint8Array): void {
    if (this.state !== 'running' && this.state !== 'paused')
      throw new ApiError('conflict', `VM '${this.name}' is not running: nothing to type into`);
    const s = this.serial.find((p) => p.index === port);
    if (!s || s.mode !== 'console')
      throw new ApiError(
        'validation',
        `serial port ${port} of VM '${this.name}' is not connected to the console`,
      );
    this.send({ type: 'consoleIn', port, data });
  }

  async registers(): Promise<Record<string, string>[]> {
    if (this.state !== 'running' && this.state !== 'paused')
      throw new ApiError(
        'conflict',
        `VM '${this.name}' is not running: there are no registers to show`,
      );
    const id = this.nextRequest++;
    this.send({ type: 'registers', id });
    const m = await this.waitFor(
      ['registers'],
      5_000,
      (x) => x.type === 'registers' && x.id === id,
    );
    if (!m || m.type !== 'registers') throw new ApiError('io', `VM '${this.name}' did not answer`);
    return m.regs;
  }

  /** Kills the process (app quitting with VMs running: they are powered off hard). */
  kill(): void {
    this.channel?.kill();
  }

  private send(msg: HostMessageBody): void {
    this.channel?.send({ v: VM_PROTOCOL_VERSION, ...msg });
  }

  /** Resolves with the first matching message, or null on timeout or the process's end. */
  private waitFor(
    types: VmMessage['type'][],
    ms: number,
    match: (m: VmMessage) => boolean = () => true,
  ): Promise<VmMessage | null> {
    return new Promise((resolve) => {
      const w = (m: VmMessage | null) => {
        if (m !== null && (!types.includes(m.type) || !match(m))) return;
        this.waiters.delete(w);
        clearTimeout(timer);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        resolve(null);
      }, ms);
      this.waiters.add(w);
    });
  }

  /** null: the process has ended. */
  private deliver(m: VmMessage | null): void {
    for (const w of [...this.waiters]) w(m);
  }

  private onMessage(raw: unknown): void {
    const r = parseVmMessage(raw);
    if (!r.ok) {
      this.log?.line('error', r.message);
      return;
    }
    const m = r.msg;
    switch (m.type) {
      case 'log':
        this.log?.line(m.level, m.line);
        break;
      case 'stats':
        this.lastStats = { name: this.name, state: this.state, atMs: m.atMs, stats: m.stats };
        this.emit('stats', this.lastStats);
        break;
      case 'consoleOut': {
        let sb = this.scrollback.get(m.port);
        if (!sb) this.scrollback.set(m.port, (sb = new Scrollback()));
        sb.write(m.data);
        this.emit('console', { name: this.name, port: m.port, data: m.data });
        this.send({ type: 'consoleAck', port: m.port, bytes: m.data.length });
        break;
      }
      case 'startFailed':
        this.startFailure = m.message;
        break;
      case 'exit':
        this.exitMessage = m;
        this.log?.line(
          m.kind === 'halted' ? 'error' : 'info',
          `machine stopped (${m.kind}): ${m.reason ?? ''}`,
        );
        if (m.kind === 'poweroff') this.event('guestPowerOff', m.reason);
        break;
      default:
        break;
    }
    this.deliver(m);
  }

  private onExit(channel: VmChannel, info: VmExitInfo): void {
    if (this.channel !== channel) return;
    this.channel = null;
    if (this.stopTimer) clearTimeout(this.stopTimer);
    this.stopTimer = null;
    const how = info.signal ? `killed by ${info.signal}` : `exited with code ${info.code}`;
    const exit = this.exitMessage;
    this.log?.line('info', `VM process ${how}`);
    if (this.state === 'poweredOff' || this.state === 'aborted') {
      // Already settled (a failed start reported its reason before the process left).
    } else if (exit && exit.kind !== 'halted' && info.code === 0) {
      this.event('exited', exit.reason);
    } else if (
      this.state === 'stopping' &&
      !exit &&
      (info.code === 0 || info.signal === 'SIGKILL')
    ) {
      this.event('exited', 'powered off');
    } else if (this.state === 'starting' && info.code === 0) {
      this.event('startFailed', this.startFailure ?? 'the VM process exited while starting');
    } else {
      const reason =
        exit?.kind === 'halted'
          ? `the machine stopped: ${exit.reason}`
          : abortReason(info, this.stderrTail);
      this.log?.line('error', `aborted: ${reason}`);
      this.lastLog = this.log?.tail(12);
      this.event('crashed', reason);
    }
    this.deliver(null);
  }

  /** Resolves once the log has reached the disk (tests and status readers). */
  flushLog(): Promise<void> {
    return this.log?.flush() ?? Promise.resolve();
  }
}

function abortReason(info: VmExitInfo, stderr: string[]): string {
  const text = stderr.join('\n');
  if (/heap out of memory|Allocation failed|out of memory/i.test(text))
    return 'the VM process ran out of memory';
  if (info.signal) return `the VM process was killed (${info.signal})`;
  if (info.code !== null && info.code !== 0)
    return `the VM process crashed (exit code ${info.code})`;
  return 'the VM process ended unexpectedly';
}
