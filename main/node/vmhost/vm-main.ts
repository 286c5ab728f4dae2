/**
 * What a VM process does, independent of how it was created (vm-process.ts wires it to
 * Electron's parentPort or to the child_process IPC channel): waits for `start`, sets up the
 * serial backends and the machine, then drives the machine's cooperative loop — runSlice,
 * serial bytes in and out, stats every STATS_INTERVAL_MS — and obeys pause / resume / reset
 * / power button / power off. Every incoming message is validated (protocol.ts); nothing a
 * message contains can make this throw.
 *
 * The loop yields to the event loop between slices (setImmediate), so control messages and
 * backend I/O are served within one slice (SLICE_MS); when every vCPU idles it sleeps for the
 * machine's idle time (capped) instead of spinning.
 */
import type { Machine } from '../../../emulator/machine/api';
import type { BuiltMachine, MachineFactory, StartMessage } from './machine-factory';
import {
  CONSOLE_WINDOW_BYTES,
  parseHostMessage,
  STATS_INTERVAL_MS,
  VM_PROTOCOL_VERSION,
  type HostMessage,
  type VmMessageBody,
} from './protocol';
import { ConsolePortHub, type PortLike } from './console-ports';
import { openSerialBackend, type SerialBackend } from './serial';

export const SLICE_MS = 10;
const MAX_IDLE_SLEEP_MS = 10;
/** Input bytes queued for the guest before a backend is asked to pause. */
const INPUT_HIGH_WATER = 64 * 1024;
/** Intercept records per stats message: the monitor's table shows the most recent ones. */
const INTERCEPTS_PER_STATS = 64;

export interface VmEndpoint {
  send(msg: unknown): void;
  /** `ports`: MessagePorts that came with the message (only where the runtime transfers them). */
  onMessage(listener: (raw: unknown, ports?: PortLike[]) => void): void;
  /** Resolves once everything sent has left the process; then it may exit. */
  flush(): Promise<void>;
  exit(code: number): void;
}

interface Port {
  index: number;
  console: boolean;
  backend: SerialBackend | null;
  inflight: number;
  input: Uint8Array[];
  inputBytes: number;
}

export function runVmMain(endpoint: VmEndpoint, factory: MachineFactory): void {
  const send = (m: VmMessageBody) => endpoint.send({ v: VM_PROTOCOL_VERSION, ...m });
  const log = (level: 'info' | 'warn' | 'error', line: string) =>
    send({ type: 'log', level, line });
  let phase: 'idle' | 'starting' | 'running' | 'paused' | 'closing' = 'idle';
  let built: BuiltMachine | null = null;
  let machine: Machine | null = null;
  let ports: Port[] = [];
  let statsTimer: NodeJS.Timeout | null = null;
  let loopScheduled = false;
  /** Console bytes go to window ports (start's `consolePorts`), not to the host. */
  let portMode = false;
  const hub = new ConsolePortHub(
    (i) => ports[i]?.console === true,
    (i, d) => {
      const p = ports[i];
      if (p) queueInput(p, d);
    },
    (line) => log('warn', line),
  );

  send({ type: 'hello', pid: process.pid });

  endpoint.onMessage((raw, transferred) => {
    const r = parseHostMessage(raw);
    if (!r.ok) return log('error', r.message);
    try {
      if (r.msg.type === 'consolePort') {
        const p = transferred?.[0];
        if (p) hub.addPort(p);
        else log('error', "'consolePort' came without a port");
        return;
      }
      handle(r.msg);
    } catch (e) {
      fail(`internal error handling '${r.msg.type}': ${(e as Error).stack ?? String(e)}`);
    }
  });

  function handle(m: HostMessage): void {
    switch (m.type) {
      case 'start':
        if (phase !== 'idle') return log('warn', 'start ignored: the VM was already started');
        phase = 'starting';
        portMode = m.consolePorts === true;
        void start(m);
        return;
      case 'pause':
        if (phase === 'running') phase = 'paused';
        send({ type: 'paused' });
        return;
      case 'resume':
        if (phase === 'paused') {
          phase = 'running';
          schedule();
        }
        send({ type: 'resumed' });
        return;
      case 'reset':
        if (machine && (phase === 'running' || phase === 'paused')) {
          machine.reset();
          log('info', 'hardware reset');
        }
        return;
      case 'powerButton':
        if (machine && phase === 'running') {
          machine.powerButton();
          log('info', 'power button pressed (ACPI-style shutdown request)');
        }
        return;
      case 'powerOff':
        void shutdown('forced', 'powered off by the user', 0);
        return;
      case 'consoleIn': {
        const p = ports[m.port];
        if (p?.console) queueInput(p, m.data);
        return;
      }
      case 'consoleAck': {
        const p = ports[m.port];
        if (p) p.inflight = Math.max(0, p.inflight - m.bytes);
        return;
      }
      case 'registers':
        send({ type: 'registers', id: m.id, regs: machine ? machine.registers() : [] });
        return;
      case 'consoleContents':
        send({ type: 'consoleContents', id: m.id, port: m.port, data: hub.contents(m.port) });
        return;
      case 'consolePort':
        return; // handled above (it needs the transferred port)
    }
  }

  async function start(setup: StartMessage): Promise<void> {
    const opened: SerialBackend[] = [];
    try {
      for (const s of setup.serial) {
        const port: Port = {
          index: s.index,
          console: s.mode === 'console',
          backend: null,
          inflight: 0,
          input: [],
          inputBytes: 0,
        };
        if (!port.console && s.mode !== 'disconnected') {
          const b = await openSerialBackend(s);
          opened.push(b);
          port.backend = b;
          b.onInput = (d) => queueInput(port, d);
          log('info', `serial port ${s.index}: ${s.mode} at ${b.endpoint ?? '-'}`);
        }
        ports[s.index] = port;
      }
      built = await factory(setup, (m) => log('warn', `machine: ${m}`));
      machine = built.machine;
    } catch (e) {
      for (const b of opened) await b.close().catch(() => undefined);
      ports = [];
      send({ type: 'startFailed', message: (e as Error).message });
      await endpoint.flush();
      endpoint.exit(0);
      return;
    }
    if (phase !== 'starting') return; // powered off while starting
    phase = 'running';
    send({
      type: 'started',
      serial: setup.serial.map((s) => ({
        index: s.index,
        ...(ports[s.index]?.backend?.endpoint
          ? { endpoint: ports[s.index]!.backend!.endpoint }
          : {}),
      })),
    });
    statsTimer = setInterval(sendStats, STATS_INTERVAL_MS);
    schedule();
  }

  function queueInput(p: Port, data: Uint8Array): void {
    if (data.length === 0) return;
    p.input.push(data.slice());
    p.inputBytes += data.length;
    if (p.inputBytes > INPUT_HIGH_WATER) p.backend?.pauseInput();
  }

  function schedule(delayMs = 0): void {
    if (loopScheduled) return;
    loopScheduled = true;
    const run = () => {
      loopScheduled = false;
      loop();
    };
    if (delayMs > 0) setTimeout(run, delayMs);
    else setImmediate(run);
  }

  function loop(): void {
    if (phase !== 'running' || !machine) return;
    let idleMs: number;
    try {
      feedInput(machine);
      const r = machine.runSlice(SLICE_MS);
      drainOutput(machine);
      if (r.exit) {
        if (r.exit.kind === 'reset') {
          log('info', 'the guest asked for a reboot: hardware reset');
          machine.reset();
        } else if (r.exit.kind === 'poweroff') {
          void shutdown('poweroff', 'the guest powered off', 0);
          return;
        } else {
          void shutdown('halted', r.exit.reason, 0);
          return;
        }
      }
      idleMs = r.idleMs;
    } catch (e) {
      // A machine that throws is a bug in the emulator, not in the guest: stop with the trace.
      void shutdown('halted', `emulator error: ${(e as Error).stack ?? String(e)}`, 0);
      return;
    }
    schedule(idleMs > 0 ? Math.min(idleMs, MAX_IDLE_SLEEP_MS) : 0);
  }

  function feedInput(m: Machine): void {
    for (const p of ports) {
      if (!p || p.input.length === 0) continue;
      const serial = m.serial[p.index];
      if (!serial) continue;
      while (p.input.length > 0) {
        const head = p.input[0];
        const n = serial.input(head);
        p.inputBytes -= n;
        if (n < head.length) {
          p.input[0] = head.subarray(n);
          break;
        }
        p.input.shift();
      }
      if (p.inputBytes <= INPUT_HIGH_WATER / 2) p.backend?.resumeInput();
    }
  }

  function drainOutput(m: Machine): void {
    for (const p of ports) {
      if (!p) continue;
      const serial = m.serial[p.index];
      if (!serial) continue;
      // A console whose window is full leaves the bytes in the machine until acknowledged.
      if (p.console && (portMode ? !hub.canDrain(p.index) : p.inflight >= CONSOLE_WINDOW_BYTES))
        continue;
      const out = serial.drainOutput();
      if (out.length === 0) continue;
      if (p.console && portMode) hub.output(p.index, out);
      else if (p.console) {
        p.inflight += out.length;
        send({ type: 'consoleOut', port: p.index, data: out });
      } else p.backend?.write(out);
    }
  }

  function sendStats(): void {
    if (!machine) return;
    try {
      const stats = machine.stats();
      const recent = stats.recentIntercepts;
      send({
        type: 'stats',
        atMs: Date.now(),
        stats: { ...stats, recentIntercepts: recent.slice(-INTERCEPTS_PER_STATS) },
      });
    } catch (e) {
      log('error', `cannot read the machine's counters: ${(e as Error).message}`);
    }
  }

  async function shutdown(
    kind: 'poweroff' | 'halted' | 'forced',
    reason: string,
    code: number,
  ): Promise<void> {
    if (phase === 'closing') return;
    const wasStarting = phase === 'starting';
    phase = 'closing';
    if (statsTimer) clearInterval(statsTimer);
    if (machine) {
      try {
        drainOutput(machine);
        sendStats();
        machine.close();
      } catch (e) {
        log('error', `closing the machine failed: ${(e as Error).message}`);
      }
    }
    for (const p of ports) await p?.backend?.close().catch(() => undefined);
    await built?.closeDisks().catch((e: unknown) => log('error', `closing disks: ${String(e)}`));
    if (!wasStarting || kind !== 'forced') send({ type: 'exit', kind, reason });
    else send({ type: 'startFailed', message: 'powered off while starting' });
    await endpoint.flush();
    endpoint.exit(code);
  }

  function fail(message: string): void {
    log('error', message);
    void shutdown('halted', message, 1);
  }
}
