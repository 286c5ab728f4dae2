/**
 * The window's side of the direct console path (desktop app), run in the sandboxed preload:
 * wraps the IPC GlaunchApi so that attachConsole / writeConsole / onConsoleData go over a
 * MessagePort straight to the VM process (console-ports.ts), with the same contract for the
 * renderer. The preload keeps the ports; the page only ever sees base64 strings.
 *
 * Ports: one per running VM, pushed by the main process when the VM starts running and on
 * request (a reloaded window has none). A new port for a VM replaces the old one (the VM was
 * restarted): serial ports that were attached are attached again and their scrollback — the
 * new run's output so far — is delivered as console data. Without a port (the VM process
 * could not take one) the IPC methods are used.
 *
 * Uses no Node APIs: it runs in Electron's sandboxed preload (btoa/atob, setTimeout).
 */
import type { ConsoleChunk, GlaunchApi } from '../../common/api';
import type { PortLike } from './console-ports';
import {
  parseVmPortMessage,
  VM_PROTOCOL_VERSION,
  type VmPortMessage,
  type WindowMessageBody,
} from './protocol';

export interface ConsolePortSource {
  /** Asks the main process for a port to VM `name` (it answers through onPort, or not). */
  requestPort(name: string): void;
  onPort(listener: (name: string, port: PortLike) => void): void;
}

/** How long attachConsole waits for a requested port before using IPC. */
export const PORT_WAIT_MS = 2_000;

interface VmPort {
  port: PortLike;
  pending: Map<number, (m: VmPortMessage | null) => void>;
  /** Serial ports whose attach answer is being handed out: live chunks wait one turn. */
  settling: Map<number, Uint8Array[]>;
}

export function withConsolePorts(api: GlaunchApi, source: ConsolePortSource): GlaunchApi {
  const ports = new Map<string, VmPort>();
  const waiting = new Map<string, ((p: VmPort | null) => void)[]>();
  const listeners = new Set<(c: ConsoleChunk) => void>();
  /** Serial ports the page has attached, per VM: kept across the VM's restarts. */
  const attached = new Map<string, Set<number>>();
  let nextId = 1;
  const key = (name: string) => name.toLowerCase();

  const emit = (name: string, port: number, data: Uint8Array) => {
    const chunk = { name, port, data: toBase64(data) };
    for (const l of [...listeners]) {
      try {
        l(chunk);
      } catch (e) {
        console.error('glaunch: console listener failed:', e);
      }
    }
  };
  const post = (vp: VmPort, m: WindowMessageBody) => vp.port.post({ v: VM_PROTOCOL_VERSION, ...m });

  function onMessage(name: string, vp: VmPort, raw: unknown): void {
    const r = parseVmPortMessage(raw);
    if (!r.ok) return void console.error(`glaunch: VM '${name}': ${r.message}`);
    const m = r.msg;
    if (m.type === 'consoleOut') {
      const held = vp.settling.get(m.port);
      if (held) held.push(m.data);
      else emit(name, m.port, m.data);
      // Handed to the page (xterm queues what it has not drawn yet): acknowledged.
      post(vp, { type: 'consoleAck', port: m.port, bytes: m.data.length });
      return;
    }
    // Chunks sent before this answer are in it; those after wait until the page has it.
    if (m.type === 'attached') settle(name, vp, m.port);
    const done = vp.pending.get(m.id);
    vp.pending.delete(m.id);
    done?.(m);
  }

  function attach(vp: VmPort, port: number): Promise<VmPortMessage | null> {
    const id = nextId++;
    return new Promise((resolve) => {
      vp.pending.set(id, resolve);
      post(vp, { type: 'attach', id, port });
    });
  }

  /**
   * Live chunks of `port` wait one turn after an attach answer: the page drops chunks until
   * it has the answer (they would be in it twice), and it gets the answer in a microtask.
   */
  function settle(name: string, vp: VmPort, port: number): void {
    vp.settling.set(port, []);
    setTimeout(() => {
      const held = vp.settling.get(port) ?? [];
      vp.settling.delete(port);
      for (const d of held) emit(name, port, d);
    }, 0);
  }

  function drop(k: string): void {
    const vp = ports.get(k);
    if (!vp) return;
    ports.delete(k);
    for (const done of vp.pending.values()) done(null);
    vp.pending.clear();
    try {
      vp.port.close();
    } catch {
      // already closed
    }
  }

  source.onPort((name, port) => {
    const k = key(name);
    drop(k);
    const vp: VmPort = { port, pending: new Map(), settling: new Map() };
    ports.set(k, vp);
    port.onMessage((raw) => onMessage(name, vp, raw));
    port.onClose(() => {
      if (ports.get(k) === vp) drop(k);
    });
    for (const w of waiting.get(k) ?? []) w(vp);
    waiting.delete(k);
    // A restarted VM: consoles that were open get the new run's output so far.
    for (const p of attached.get(k) ?? []) {
      void attach(vp, p).then((m) => {
        if (m?.type === 'attached' && m.data.length > 0) emit(name, p, m.data);
      });
    }
  });

  // A VM that stopped has no process at the other end any more.
  api.onVmState((e) => {
    if (e.state === 'poweredOff' || e.state === 'aborted') drop(key(e.name));
  });

  function portOf(name: string): Promise<VmPort | null> {
    const k = key(name);
    const have = ports.get(k);
    if (have) return Promise.resolve(have);
    return new Promise((resolve) => {
      const list = waiting.get(k) ?? [];
      waiting.set(k, list);
      const timer = setTimeout(() => {
        const i = list.indexOf(w);
        if (i >= 0) list.splice(i, 1);
        resolve(null);
      }, PORT_WAIT_MS);
      const w = (p: VmPort | null) => {
        clearTimeout(timer);
        resolve(p);
      };
      list.push(w);
      if (list.length === 1) source.requestPort(name);
    });
  }

  return {
    ...api,
    async attachConsole(name, port) {
      const vp = await portOf(name);
      if (!vp) return api.attachConsole(name, port);
      const m = await attach(vp, port);
      if (m === null) return api.attachConsole(name, port); // the port went away meanwhile
      if (m.type === 'refused')
        throw { name: 'ApiError', code: 'validation', message: `VM '${name}': ${m.message}` };
      if (m.type !== 'attached') throw new Error(`unexpected '${m.type}' on the console port`);
      const set = attached.get(key(name)) ?? new Set<number>();
      attached.set(key(name), set.add(port));
      return toBase64(m.data);
    },
    async writeConsole(name, port, data) {
      const vp = ports.get(key(name));
      if (!vp) return api.writeConsole(name, port, data);
      post(vp, { type: 'consoleIn', port, data: fromBase64(data) });
    },
    onConsoleData(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
