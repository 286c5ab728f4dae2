// The direct console path of the desktop app, in plain Node with real MessagePorts
// (worker_threads): the VM process's hub (scrollback, one subscriber per serial port, flow
// control), and end to end — VmHost with VM "processes" in worker threads (the real vm-main
// logic, the echo machine), the ConsoleBroker handing out channel ends, and the window's
// client (what the preload exposes) — with the host never seeing a console byte.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { ConsoleChunk, GlaunchApi } from '../../../../main/common/api';
import { VmLibrary } from '../../../../main/node/library/library';
import { ConsoleBroker } from '../../../../main/node/vmhost/console-broker';
import { withConsolePorts } from '../../../../main/node/vmhost/console-port-client';
import {
  ConsolePortHub,
  wrapEmitterPort,
  type PortLike,
} from '../../../../main/node/vmhost/console-ports';
import { VmHost } from '../../../../main/node/vmhost/host';
import {
  CONSOLE_WINDOW_BYTES,
  parseVmPortMessage,
  VM_PROTOCOL_VERSION,
  type VmPortMessage,
} from '../../../../main/node/vmhost/protocol';
import { tmpDir } from '../../helpers/tmp';
import { FLOOD_TOTAL } from './fixtures/echo-machine';
import { workerLauncher } from './fixtures/worker-launcher';

const wrap = (p: MessagePort) => wrapEmitterPort(p, { event: false });
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string) => Buffer.from(s, 'base64').toString();

/** A raw window end: collects what the VM process sends. */
function rawWindow(p: MessagePort) {
  const got: VmPortMessage[] = [];
  const waiters: (() => void)[] = [];
  p.on('message', (raw) => {
    const r = parseVmPortMessage(raw);
    assert.ok(r.ok, r.ok ? '' : r.message);
    got.push(r.msg);
    for (const w of waiters.splice(0)) w();
  });
  const post = (m: object) => p.postMessage({ v: VM_PROTOCOL_VERSION, ...m });
  const next = (pred: (m: VmPortMessage) => boolean) =>
    new Promise<VmPortMessage>((resolve) => {
      const check = () => {
        const m = got.find(pred);
        if (m) resolve(m);
        else waiters.push(check);
      };
      check();
    });
  return { got, post, next };
}

test('hub: attach answers with the scrollback; live output; flow control; refusals', async () => {
  const { port1, port2 } = new MessageChannel();
  const typed: string[] = [];
  const logged: string[] = [];
  const hub = new ConsolePortHub(
    (i) => i === 0,
    (_i, d) => typed.push(dec(d)),
    (l) => logged.push(l),
  );
  hub.output(0, enc('before '));
  hub.addPort(wrap(port1));
  const w = rawWindow(port2);
  w.post({ type: 'attach', id: 1, port: 0 });
  const a = await w.next((m) => m.type === 'attached');
  assert.equal(a.type === 'attached' && dec(a.data), 'before ');

  // A full window unacknowledged stops the draining; an ack lets it go on.
  assert.ok(hub.canDrain(0));
  hub.output(0, new Uint8Array(CONSOLE_WINDOW_BYTES));
  assert.ok(!hub.canDrain(0));
  await w.next((m) => m.type === 'consoleOut');
  w.post({ type: 'consoleAck', port: 0, bytes: CONSOLE_WINDOW_BYTES });
  w.post({ type: 'consoleIn', port: 0, data: enc('ls\r') });
  w.post({ type: 'consoleIn', port: 1, data: enc('not a console') });
  w.post({ type: 'attach', id: 2, port: 1 });
  w.post({ type: 'consoleIn', port: 0, data: 'not bytes' });
  const refused = await w.next((m) => m.type === 'refused');
  assert.match(refused.type === 'refused' ? refused.message : '', /not connected to the console/);
  assert.ok(hub.canDrain(0));
  assert.deepEqual(typed, ['ls\r']);
  await new Promise((r) => setTimeout(r, 10));
  assert.match(logged.join('\n'), /consoleIn.*data: must be a Uint8Array/);

  // Another window attaching takes over: the old one's unacknowledged bytes no longer count.
  hub.output(0, new Uint8Array(CONSOLE_WINDOW_BYTES));
  assert.ok(!hub.canDrain(0));
  const second = new MessageChannel();
  hub.addPort(wrap(second.port1));
  const w2 = rawWindow(second.port2);
  w2.post({ type: 'attach', id: 1, port: 0 });
  const a2 = await w2.next((m) => m.type === 'attached');
  assert.equal(a2.type === 'attached' && a2.data.length, 7 + 2 * CONSOLE_WINDOW_BYTES);
  assert.ok(hub.canDrain(0));
  // Its end closing (the window went away) leaves no subscriber holding the guest back.
  hub.output(0, new Uint8Array(CONSOLE_WINDOW_BYTES));
  assert.ok(!hub.canDrain(0));
  second.port2.close();
  await new Promise((r) => setTimeout(r, 20));
  assert.ok(hub.canDrain(0));
  port1.close();
});

const hosts: VmHost[] = [];
after(async () => {
  for (const h of hosts) await h.powerOffAll();
});

async function setup() {
  const library = new VmLibrary(tmpDir());
  await library.create({ name: 'Demo', cpuModel: 'e8c', memoryMiB: 256 });
  const host = new VmHost({
    library,
    launcher: workerLauncher(),
    timeouts: { startMs: 30_000, stopMs: 3_000 },
  });
  hosts.push(host);
  const hostConsole: Uint8Array[] = [];
  host.on('console', (c) => hostConsole.push(c.data));

  // The window: its ends arrive here (webContents.postMessage in the app).
  const windowPorts: ((name: string, p: PortLike) => void)[] = [];
  let windowOpen = true;
  const broker = new ConsoleBroker({
    host,
    newChannel() {
      const c = new MessageChannel();
      return { vmEnd: c.port1, windowEnd: c.port2, close: () => c.port1.close() };
    },
    toWindow(name, end) {
      if (!windowOpen || windowPorts.length === 0) return false;
      for (const f of windowPorts) f(name, wrap(end as MessagePort));
      return true;
    },
  });
  // What the IPC GlaunchApi does for these methods (the fallback path): the host.
  const ipcCalls: string[] = [];
  const ipcApi = {
    attachConsole: async (name: string, port: number) => {
      ipcCalls.push('attachConsole');
      return Buffer.from(await host.consoleContents(name, port)).toString('base64');
    },
    writeConsole: async (name: string, port: number, data: string) => {
      ipcCalls.push('writeConsole');
      await host.writeConsole(name, port, Buffer.from(data, 'base64'));
    },
    onVmState: (l: (e: { name: string; state: string }) => void) => {
      host.on('state', l);
      return () => void host.off('state', l);
    },
  } as unknown as GlaunchApi;
  const openWindow = () => {
    windowPorts.length = 0;
    return withConsolePorts(ipcApi, {
      requestPort: (name) => void broker.request(name),
      onPort: (l) => void windowPorts.push(l),
    });
  };
  const closeWindow = () => {
    windowOpen = false;
    windowPorts.length = 0;
  };
  return { host, broker, hostConsole, ipcCalls, openWindow, closeWindow };
}

function collect(api: GlaunchApi) {
  let text = '';
  const waiters: (() => void)[] = [];
  api.onConsoleData((c: ConsoleChunk) => {
    text += unb64(c.data);
    for (const w of waiters.splice(0)) w();
  });
  return {
    text: () => text,
    until: (s: string) =>
      new Promise<void>((resolve) => {
        const check = () => (text.includes(s) ? resolve() : waiters.push(check));
        check();
      }),
  };
}

test('end to end: console bytes go VM process ↔ window over the port, not through the host', async () => {
  const { host, hostConsole, ipcCalls, openWindow, broker } = await setup();
  const win = openWindow();
  const out = collect(win);
  await host.start('Demo', false);
  assert.equal(await win.attachConsole('Demo', 0), '');
  await win.writeConsole('Demo', 0, b64('hello\r'));
  await out.until('hello\r');
  assert.equal(out.text(), 'hello\r');
  assert.deepEqual(ipcCalls, [], 'no IPC call for attach or keys');
  assert.equal(hostConsole.length, 0, 'the host saw no console byte');

  // The scrollback is the VM process's: the host asks it (IPC attach), a reloaded window
  // gets it over its new port.
  assert.equal(dec(await host.consoleContents('Demo', 0)), 'hello\r');
  const reloaded = openWindow();
  assert.equal(unb64(await reloaded.attachConsole('Demo', 0)), 'hello\r');
  const out2 = collect(reloaded);
  await reloaded.writeConsole('Demo', 0, b64('again\r'));
  await out2.until('again\r');
  assert.equal(out2.text(), 'again\r');
  // Refusals reject like IPC failures: a plain ApiErrorData object.
  await assert.rejects(
    reloaded.attachConsole('Demo', 1),
    (e: { code: string; message: string }) =>
      e.code === 'validation' && /not connected to the console/.test(e.message),
  );
  assert.equal(broker.request('Nope'), false);

  // Flood: 32 MiB through the port with acknowledgements, every byte in order.
  let seen = 0;
  let bad = -1;
  const done = new Promise<void>((resolve) => {
    reloaded.onConsoleData((c) => {
      const d = Buffer.from(c.data, 'base64');
      for (const b of d) {
        if (seen >= 6 && bad < 0 && b !== (seen - 6) % 251) bad = seen;
        seen++;
      }
      if (seen >= 6 + FLOOD_TOTAL) resolve();
    });
  });
  await reloaded.writeConsole('Demo', 0, b64('flood\r'));
  await done;
  assert.equal(bad, -1);
  assert.equal(hostConsole.length, 0);
  await host.powerOff('Demo');
});

test('flow control over the port: a window that does not acknowledge holds the guest back', async () => {
  const { host, hostConsole } = await setup();
  await host.start('Demo', false);
  const c = new MessageChannel();
  assert.ok(host.openConsolePort('Demo', c.port1));
  const w = rawWindow(c.port2);
  w.post({ type: 'attach', id: 1, port: 0 });
  await w.next((m) => m.type === 'attached');
  w.post({ type: 'consoleIn', port: 0, data: enc('flood\r') });
  const received = () =>
    w.got.reduce((n, m) => n + (m.type === 'consoleOut' ? m.data.length : 0), 0);
  while (received() < CONSOLE_WINDOW_BYTES) await new Promise((r) => setTimeout(r, 20));
  // Several slices later nothing more has come: at most one drain beyond the window.
  await new Promise((r) => setTimeout(r, 300));
  const held = received();
  assert.ok(held >= CONSOLE_WINDOW_BYTES && held <= CONSOLE_WINDOW_BYTES + 64 * 1024, `${held}`);
  w.post({ type: 'consoleAck', port: 0, bytes: held });
  while (received() === held) await new Promise((r) => setTimeout(r, 20));
  assert.ok(received() > held);
  assert.equal(hostConsole.length, 0);
  await host.powerOff('Demo');
});

test('a restarted VM: the open window gets a new port and the new run’s output', async () => {
  const { host, openWindow } = await setup();
  const win = openWindow();
  const out = collect(win);
  await host.start('Demo', false);
  await win.attachConsole('Demo', 0);
  await win.writeConsole('Demo', 0, b64('one\r'));
  await out.until('one\r');
  await host.powerOff('Demo');
  await host.start('Demo', false);
  await win.writeConsole('Demo', 0, b64('two\r'));
  await out.until('two\r');
  assert.equal(out.text(), 'one\rtwo\r');
  await host.powerOff('Demo');
});
