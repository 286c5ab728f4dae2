/**
 * GlaunchApi over a WebSocket (web mode, see main/common/ws-protocol.ts). Calls are matched
 * to responses by id; calls made while the socket is down wait in a queue and go out after the
 * next hello. When the connection drops, calls already sent are rejected (we cannot know
 * whether the server ran them) and the client reconnects with exponential backoff.
 *
 * The socket and timers are injected so unit tests can drive the client with fakes.
 */
import { MENU_COMMANDS } from '../../main/common/api';
import type {
  ApiMethod,
  ConsoleChunk,
  GlaunchApi,
  MenuCommand,
  VmStateEvent,
  VmStatsEvent,
} from '../../main/common/api';
import { ApiError } from '../../main/common/api-error';
import { WS_PROTOCOL_VERSION, wsServerMessageSchema } from '../../main/common/ws-protocol';
import type { WsConsoleMessage, WsRequest } from '../../main/common/ws-protocol';
import type { ConnectionSource, ConnectionState } from './connection';

/** The part of the browser WebSocket the client uses. */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WsClientOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Backoff of the n-th consecutive reconnect attempt (n ≥ 0). */
  backoffMs?: (attempt: number) => number;
}

/** 0.5 s, 1 s, 2 s, ... capped at 10 s: quick after a server restart, quiet when it is gone. */
export const defaultBackoff = (attempt: number): number => Math.min(10_000, 500 * 2 ** attempt);

interface Pending {
  method: ApiMethod;
  args: unknown[];
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  sent: boolean;
}

export class WsApiClient implements ConnectionSource {
  private socket: SocketLike | null = null;
  private ready = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly libraryListeners = new Set<() => void>();
  private readonly menuListeners = new Set<(c: MenuCommand) => void>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly vmStateListeners = new Set<(e: VmStateEvent) => void>();
  private readonly vmStatsListeners = new Set<(e: VmStatsEvent) => void>();
  private readonly consoleListeners = new Set<(c: ConsoleChunk) => void>();
  private attempt = 0;
  private timer: unknown = null;
  private closed = false;
  private everConnected = false;
  state: ConnectionState = 'connecting';

  private readonly createSocket: (url: string) => SocketLike;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly backoffMs: (attempt: number) => number;

  constructor(private readonly options: WsClientOptions) {
    this.createSocket =
      options.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer =
      options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.backoffMs = options.backoffMs ?? defaultBackoff;
    this.connect();
  }

  readonly api: GlaunchApi = {
    getAppInfo: () => this.call('getAppInfo', []),
    getPreferences: () => this.call('getPreferences', []),
    setPreferences: (p) => this.call('setPreferences', [p]),
    listVms: () => this.call('listVms', []),
    getVm: (name) => this.call('getVm', [name]),
    createVm: (input) => this.call('createVm', [input]),
    updateVm: (name, config) => this.call('updateVm', [name, config]),
    renameVm: (name, newName) => this.call('renameVm', [name, newName]),
    cloneVm: (name, newName) => this.call('cloneVm', [name, newName]),
    deleteVm: async (name, options) => {
      await this.call('deleteVm', [name, options]);
    },
    importVm: (folder) => this.call('importVm', [folder]),
    pickFile: (options) => this.call('pickFile', [options]),
    startVm: (name, options) => this.call('startVm', [name, options]),
    pauseVm: (name) => this.call('pauseVm', [name]),
    resumeVm: (name) => this.call('resumeVm', [name]),
    resetVm: (name) => this.call('resetVm', [name]),
    shutdownVm: (name) => this.call('shutdownVm', [name]),
    powerOffVm: (name) => this.call('powerOffVm', [name]),
    getVmStatus: (name) => this.call('getVmStatus', [name]),
    attachConsole: (name, port) => this.call('attachConsole', [name, port]),
    // Keystrokes go as console messages (no request/response per key); see ws-protocol.ts.
    writeConsole: async (name, port, data) => {
      if (!this.ready || !this.socket) throw new ApiError('io', 'not connected to Glaunch');
      const msg: WsConsoleMessage = { type: 'console', name, port, data };
      this.socket.send(JSON.stringify(msg));
    },
    getVmRegisters: (name) => this.call('getVmRegisters', [name]),
    readVmLog: (name, run) => this.call('readVmLog', [name, run]),
    onVmState: (listener) => this.listen(this.vmStateListeners, listener),
    onVmStats: (listener) => this.listen(this.vmStatsListeners, listener),
    onConsoleData: (listener) => this.listen(this.consoleListeners, listener),
    onLibraryChanged: (listener) => {
      this.libraryListeners.add(listener);
      return () => this.libraryListeners.delete(listener);
    },
    onMenuCommand: (listener) => {
      this.menuListeners.add(listener);
      return () => this.menuListeners.delete(listener);
    },
  };

  private listen<T>(set: Set<(x: T) => void>, listener: (x: T) => void): () => void {
    set.add(listener);
    return () => void set.delete(listener);
  }

  onStateChange(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Stops reconnecting and rejects everything outstanding. */
  close(): void {
    this.closed = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    const s = this.socket;
    this.socket = null;
    s?.close();
    this.failPending(() => true, 'the connection was closed');
  }

  private call<T>(method: ApiMethod, args: unknown[]): Promise<T> {
    if (this.closed || this.state === 'incompatible')
      return Promise.reject(new ApiError('io', 'not connected to Glaunch'));
    return new Promise<T>((resolve, reject) => {
      const id = this.nextId++;
      const p: Pending = {
        method,
        args,
        resolve: resolve as (v: unknown) => void,
        reject,
        sent: false,
      };
      this.pending.set(id, p);
      if (this.ready) this.send(id, p);
    });
  }

  private send(id: number, p: Pending): void {
    const msg: WsRequest = { type: 'request', id, method: p.method, args: p.args };
    p.sent = true;
    this.socket?.send(JSON.stringify(msg));
  }

  private setState(s: ConnectionState): void {
    if (this.state === s) return;
    this.state = s;
    for (const l of [...this.stateListeners]) l(s);
  }

  private connect(): void {
    this.timer = null;
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.options.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (ev) => {
      if (this.socket === socket) this.handle(ev.data);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.dropped();
    };
    // Errors are always followed by close; nothing to do here.
    socket.onerror = () => {};
  }

  private dropped(): void {
    this.socket = null;
    this.ready = false;
    this.failPending((p) => p.sent, 'the connection to Glaunch was lost');
    if (!this.closed && this.state !== 'incompatible') this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    this.timer = this.setTimer(() => this.connect(), this.backoffMs(this.attempt++));
  }

  private failPending(which: (p: Pending) => boolean, message: string): void {
    for (const [id, p] of [...this.pending]) {
      if (!which(p)) continue;
      this.pending.delete(id);
      p.reject(new ApiError('io', message));
    }
  }

  private handle(raw: unknown): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(raw));
    } catch {
      console.error('glaunch: unreadable message from the server');
      return;
    }
    const r = wsServerMessageSchema.safeParse(parsed);
    if (!r.success) {
      console.error('glaunch: unexpected message from the server', r.error.issues);
      return;
    }
    const msg = r.data;
    if (msg.type === 'hello') {
      if (msg.protocol !== WS_PROTOCOL_VERSION) {
        // Guessing at another protocol version could corrupt VM files; ask for a reload.
        this.setState('incompatible');
        this.failPending(() => true, 'incompatible Glaunch server: reload the page');
        const s = this.socket;
        this.socket = null;
        s?.close();
        return;
      }
      const reconnected = this.everConnected;
      this.ready = true;
      this.everConnected = true;
      this.attempt = 0;
      this.setState('open');
      for (const [id, p] of this.pending) if (!p.sent) this.send(id, p);
      // Changes made while we were away produced events we never saw.
      if (reconnected) this.emitLibraryChanged();
    } else if (msg.type === 'response') {
      if (msg.id === null || typeof msg.id !== 'number') {
        if (!msg.ok) console.error('glaunch: server rejected a message:', msg.error.message);
        return;
      }
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(ApiError.fromData(msg.error));
    } else if (msg.name === 'libraryChanged') {
      this.emitLibraryChanged();
    } else if (msg.name === 'vmState') {
      this.emit(this.vmStateListeners, msg.payload as VmStateEvent);
    } else if (msg.name === 'vmStats') {
      this.emit(this.vmStatsListeners, msg.payload as VmStatsEvent);
    } else if (msg.name === 'consoleData') {
      this.emit(this.consoleListeners, msg.payload as ConsoleChunk);
    } else if (msg.name === 'menuCommand') {
      const c = msg.payload;
      if ((MENU_COMMANDS as readonly unknown[]).includes(c))
        for (const l of [...this.menuListeners]) l(c as MenuCommand);
    }
  }

  private emit<T>(set: Set<(x: T) => void>, payload: T): void {
    for (const l of [...set]) {
      try {
        l(payload);
      } catch (e) {
        console.error('glaunch: event listener failed:', e);
      }
    }
  }

  private emitLibraryChanged(): void {
    for (const l of [...this.libraryListeners]) {
      try {
        l();
      } catch (e) {
        console.error('glaunch: libraryChanged listener failed:', e);
      }
    }
  }
}
