// The WebSocket transport against a fake socket and fake timers: request/response matching,
// queueing until the hello, ApiError rebuilding, events, reconnect with backoff.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../main/common/api-error';
import { WS_PROTOCOL_VERSION } from '../../main/common/ws-protocol';
import { WsApiClient, defaultBackoff } from '../../renderer/api/ws-client';
import type { SocketLike } from '../../renderer/api/ws-client';

class FakeSocket implements SocketLike {
  sent: { id: number; method: string; args: unknown[] }[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.closed = true;
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  hello(protocol = WS_PROTOCOL_VERSION) {
    this.receive({ type: 'hello', protocol, appVersion: '0.1.0' });
  }
  drop() {
    this.onclose?.({});
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const client = new WsApiClient({
    url: 'ws://127.0.0.1:1/api?token=t',
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  const states: string[] = [];
  client.onStateChange((s) => states.push(s));
  const fire = () => timers.shift()!.fn();
  return {
    client,
    api: client.api,
    sockets,
    timers,
    states,
    fire,
    last: () => sockets[sockets.length - 1],
  };
}

describe('WsApiClient', () => {
  test('calls wait for the hello, then go out with ids; responses resolve them out of order', async () => {
    const { api, last, states } = setup();
    const a = api.listVms();
    const b = api.getVm('x');
    assert.equal(last().sent.length, 0);
    last().hello();
    assert.deepEqual(states, ['open']);
    const [ra, rb] = last().sent;
    assert.deepEqual([ra.method, rb.method, rb.args], ['listVms', 'getVm', ['x']]);
    last().receive({ type: 'response', id: rb.id, ok: true, result: { kind: 'x' } });
    last().receive({ type: 'response', id: ra.id, ok: true, result: [] });
    assert.deepEqual(await a, []);
    assert.deepEqual(await b, { kind: 'x' });
  });

  test('errors come back as ApiError with problems', async () => {
    const { api, last } = setup();
    last().hello();
    const p = api.createVm({ name: '', cpuModel: 'e8c', memoryMiB: 1 });
    const req = last().sent[0];
    last().receive({
      type: 'response',
      id: req.id,
      ok: false,
      error: {
        code: 'validation',
        message: 'bad',
        problems: [{ field: 'name', message: 'must not be empty' }],
      },
    });
    await assert.rejects(
      p,
      (e: unknown) =>
        e instanceof ApiError && e.code === 'validation' && e.problems?.[0].field === 'name',
    );
  });

  test('void results and malformed messages', async () => {
    const { api, last } = setup();
    last().hello();
    const p = api.deleteVm('a', { deleteFiles: false });
    last().onmessage?.({ data: 'not json' });
    last().receive({ type: 'nonsense' });
    last().receive({ type: 'response', id: last().sent[0].id, ok: true, result: null });
    assert.equal(await p, undefined);
  });

  test('events reach subscribers until they unsubscribe; menu commands are checked', () => {
    const { api, last } = setup();
    last().hello();
    let lib = 0;
    const menu: string[] = [];
    const off = api.onLibraryChanged(() => lib++);
    api.onMenuCommand!((c) => menu.push(c));
    last().receive({ type: 'event', name: 'libraryChanged' });
    last().receive({ type: 'event', name: 'menuCommand', payload: 'newVm' });
    last().receive({ type: 'event', name: 'menuCommand', payload: 'rm -rf' });
    off();
    last().receive({ type: 'event', name: 'libraryChanged' });
    assert.equal(lib, 1);
    assert.deepEqual(menu, ['newVm']);
  });

  test('a dropped connection rejects sent calls, keeps unsent ones, reconnects with backoff', async () => {
    const { api, sockets, timers, states, fire, last } = setup();
    last().hello();
    let changed = 0;
    api.onLibraryChanged(() => changed++);
    const inFlight = api.listVms();
    last().drop();
    await assert.rejects(inFlight, (e: unknown) => e instanceof ApiError && e.code === 'io');
    assert.equal(states.at(-1), 'reconnecting');
    assert.equal(timers[0].ms, defaultBackoff(0));
    const queued = api.getAppInfo();
    fire();
    assert.equal(sockets.length, 2);
    last().drop(); // the server is still down
    assert.equal(timers[0].ms, defaultBackoff(1));
    fire();
    last().hello();
    assert.equal(states.at(-1), 'open');
    assert.equal(changed, 1, 'a reconnect reports a library change (events may have been missed)');
    const req = last().sent[0];
    assert.equal(req.method, 'getAppInfo');
    last().receive({ type: 'response', id: req.id, ok: true, result: { version: '1' } });
    assert.deepEqual(await queued, { version: '1' });
    // Backoff restarts after a successful connection.
    last().drop();
    assert.equal(timers[0].ms, defaultBackoff(0));
  });

  test('a hello with another protocol version stops the client', async () => {
    const { api, last, states, timers } = setup();
    const p = api.listVms();
    last().hello(WS_PROTOCOL_VERSION + 1);
    assert.equal(states.at(-1), 'incompatible');
    await assert.rejects(p, ApiError);
    await assert.rejects(api.listVms(), ApiError);
    assert.equal(timers.length, 0);
  });

  test('backoff grows and is capped', () => {
    assert.deepEqual([0, 1, 2, 3].map(defaultBackoff), [500, 1000, 2000, 4000]);
    assert.equal(defaultBackoff(20), 10_000);
  });

  test('close rejects everything and stops reconnecting', async () => {
    const { client, api, last, timers } = setup();
    const p = api.listVms();
    client.close();
    await assert.rejects(p, ApiError);
    assert.ok(last().closed);
    assert.equal(timers.length, 0);
  });
});
