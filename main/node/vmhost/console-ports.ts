/**
 * The VM process's side of the direct console path (desktop app): window MessagePorts, the
 * console scrollback, and flow control per window. The host (main process) creates a channel
 * per window and VM process, gives one end to each and is out of the data path from then on.
 *
 * One subscriber per serial port: the latest `attach` wins (a reloaded window attaches again
 * on a new port; the old one may never report its close, and a dead subscriber must not hold
 * the guest's output back). Guest output of a console port is drained from the machine only
 * while its subscriber has less than CONSOLE_WINDOW_BYTES unacknowledged; without a
 * subscriber it goes to the scrollback alone, so a closed console never stops the guest.
 *
 * Nothing here uses Node APIs beyond the port objects it is given: `PortLike` wraps
 * Electron's MessagePortMain, worker_threads' MessagePort (tests) and the DOM MessagePort.
 */
import {
  CONSOLE_WINDOW_BYTES,
  parseWindowMessage,
  VM_PROTOCOL_VERSION,
  type VmPortMessageBody,
  type WindowMessage,
} from './protocol';
import { Scrollback } from './scrollback';

/** What the console path needs of a MessagePort, whichever runtime made it. */
export interface PortLike {
  post(msg: unknown): void;
  onMessage(listener: (data: unknown) => void): void;
  /** Called when the other end is gone, where the runtime reports it. */
  onClose(listener: () => void): void;
  close(): void;
}

/** Node's worker_threads MessagePort and Electron's MessagePortMain share this shape. */
interface EmitterPort {
  postMessage(msg: unknown): void;
  on(event: 'message', l: (x: unknown) => void): unknown;
  on(event: 'close', l: () => void): unknown;
  start?(): void;
  close(): void;
}

/**
 * Wraps an emitter-style port. Electron's MessagePortMain delivers `{data, ports}` events,
 * worker_threads the value itself: `event: true` unwraps `.data`.
 */
export function wrapEmitterPort(p: EmitterPort, o: { event: boolean }): PortLike {
  return {
    post: (m) => p.postMessage(m),
    onMessage(l) {
      p.on('message', (x) => l(o.event ? (x as { data: unknown }).data : x));
      p.start?.(); // MessagePortMain queues messages until started
    },
    onClose: (l) => void p.on('close', l),
    close: () => p.close(),
  };
}

interface Subscriber {
  port: PortLike;
  inflight: number;
}

export class ConsolePortHub {
  private readonly scrollback = new Map<number, Scrollback>();
  private readonly subscribers = new Map<number, Subscriber>();

  /**
   * @param isConsole whether a serial port is connected to the console (others are refused)
   * @param input keystrokes from a window, for the guest's serial port
   * @param log problems worth the VM's log (invalid messages)
   */
  constructor(
    private readonly isConsole: (port: number) => boolean,
    private readonly input: (port: number, data: Uint8Array) => void,
    private readonly log: (line: string) => void,
  ) {}

  addPort(port: PortLike): void {
    port.onMessage((raw) => {
      const r = parseWindowMessage(raw);
      if (!r.ok) return this.log(r.message);
      this.handle(port, r.msg);
    });
    port.onClose(() => {
      for (const [i, s] of this.subscribers) if (s.port === port) this.subscribers.delete(i);
    });
  }

  private handle(port: PortLike, m: WindowMessage): void {
    const send = (b: VmPortMessageBody) => port.post({ v: VM_PROTOCOL_VERSION, ...b });
    switch (m.type) {
      case 'attach': {
        if (!this.isConsole(m.port)) {
          send({
            type: 'refused',
            id: m.id,
            message: `serial port ${m.port} is not connected to the console`,
          });
          return;
        }
        const prev = this.subscribers.get(m.port);
        // The same window attaching again keeps its unacknowledged count (acks are coming).
        this.subscribers.set(m.port, {
          port,
          inflight: prev?.port === port ? prev.inflight : 0,
        });
        send({ type: 'attached', id: m.id, port: m.port, data: this.contents(m.port) });
        return;
      }
      case 'consoleIn':
        if (this.isConsole(m.port)) this.input(m.port, m.data);
        return;
      case 'consoleAck': {
        const s = this.subscribers.get(m.port);
        if (s?.port === port) s.inflight = Math.max(0, s.inflight - m.bytes);
        return;
      }
    }
  }

  /** False while the serial port's subscriber has a full window unacknowledged. */
  canDrain(port: number): boolean {
    const s = this.subscribers.get(port);
    return !s || s.inflight < CONSOLE_WINDOW_BYTES;
  }

  /** Guest output: into the scrollback and to the subscriber. */
  output(port: number, data: Uint8Array): void {
    let sb = this.scrollback.get(port);
    if (!sb) this.scrollback.set(port, (sb = new Scrollback()));
    sb.write(data);
    const s = this.subscribers.get(port);
    if (!s) return;
    s.inflight += data.length;
    try {
      s.port.post({ v: VM_PROTOCOL_VERSION, type: 'consoleOut', port, data });
    } catch {
      this.subscribers.delete(port); // a closed port: the window is gone
    }
  }

  contents(port: number): Uint8Array {
    return this.scrollback.get(port)?.contents() ?? new Uint8Array(0);
  }
}
