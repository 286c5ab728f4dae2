import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import fc from 'fast-check';
import { VmLibrary } from '../../../../main/node/library/library';
import { createApiService, type ApiService } from '../../../../main/node/api/service';
import { startWebServer, type WebServer } from '../../../../main/node/web/server';
import { CONTENT_SECURITY_POLICY } from '../../../../main/common/csp';
import {
  WS_PROTOCOL_VERSION,
  wsServerMessageSchema,
  type WsServerMessage,
} from '../../../../main/common/ws-protocol';
import { tmpDir } from '../../helpers/tmp';

let server: WebServer;
let api: ApiService;
let library: VmLibrary;

function get(
  p: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port: server.port,
        path: p,
        headers: { host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
  });
}

/** Opens a socket and collects messages; `next()` resolves with the next one. */
async function connect(query = `?token=${server.token}`, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api${query}`, { headers });
  const queue: WsServerMessage[] = [];
  const waiters: ((m: WsServerMessage) => void)[] = [];
  ws.on('message', (d) => {
    const m = wsServerMessageSchema.parse(JSON.parse(String(d))) as WsServerMessage;
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = () =>
    new Promise<WsServerMessage>((r) => (queue.length ? r(queue.shift()!) : waiters.push(r)));
  return { ws, next };
}

describe('glaunch web server', () => {
  before(async () => {
    const renderer = path.join(tmpDir(), 'renderer');
    mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Glaunch</title>');
    writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
    library = new VmLibrary(path.join(tmpDir(), 'lib'));
    api = createApiService({ library, mode: 'web' });
    server = await startWebServer({ api, rendererDir: renderer, port: 0 });
  });
  after(async () => {
    await server.close();
    api.dispose();
  });

  test('prints a tokened 127.0.0.1 URL', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });
  test('403 without or with a wrong token', async () => {
    assert.equal((await get('/')).status, 403);
    assert.equal((await get('/?token=wrong')).status, 403);
    assert.equal((await get('/assets/app.js')).status, 403);
  });
  test('tokened page load: security headers, cookie, then the cookie is enough', async () => {
    const r = await get(`/?token=${server.token}`);
    assert.equal(r.status, 200);
    assert.match(r.body, /Glaunch/);
    assert.equal(r.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['x-frame-options'], 'DENY');
    const cookie = String(r.headers['set-cookie']).split(';')[0];
    assert.match(String(r.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
    const js = await get('/assets/app.js', { cookie });
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
  });
  test('path traversal and unknown files', async () => {
    const t = `?token=${server.token}`;
    assert.notEqual((await get(`/../../etc/passwd${t}`)).body.includes('root:'), true);
    assert.notEqual((await get(`/%2e%2e/%2e%2e/etc/passwd${t}`)).body.includes('root:'), true);
    assert.equal((await get(`/missing.js${t}`)).status, 404);
    assert.equal((await get(`/some/route${t}`)).status, 200); // SPA fallback
  });
  test('Host and Origin checks block DNS rebinding and cross-site requests', async () => {
    const t = `/?token=${server.token}`;
    assert.equal((await get(t, { host: `evil.example:${server.port}` })).status, 403);
    assert.equal((await get(t, { origin: 'http://evil.example' })).status, 403);
    assert.equal(
      (
        await get(t, {
          host: `localhost:${server.port}`,
          origin: `http://localhost:${server.port}`,
        })
      ).status,
      200,
    );
  });
  test('WebSocket: refused without token, with a foreign Origin or on another path', async () => {
    const refused = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
    const base = `ws://127.0.0.1:${server.port}`;
    assert.equal(await refused(`${base}/api`), 403);
    assert.equal(await refused(`${base}/api?token=nope`), 403);
    assert.equal(
      await refused(`${base}/api?token=${server.token}`, { origin: 'http://evil.example' }),
      403,
    );
    assert.equal(await refused(`${base}/other?token=${server.token}`), 404);
  });
  test('hello, request/response round trip, and libraryChanged events', async () => {
    const { ws, next } = await connect();
    assert.deepEqual(await next(), {
      type: 'hello',
      protocol: WS_PROTOCOL_VERSION,
      appVersion: (await api.getAppInfo()).version,
    });
    ws.send(JSON.stringify({ type: 'request', id: 1, method: 'getAppInfo', args: [] }));
    const info = await next();
    assert.ok(info.type === 'response' && info.ok && info.id === 1);
    assert.equal((info.result as { mode: string }).mode, 'web');
    ws.send(
      JSON.stringify({
        type: 'request',
        id: 'c1',
        method: 'createVm',
        args: [{ name: 'WS', cpuModel: 'e8c', memoryMiB: 1024 }],
      }),
    );
    const msgs = [await next(), await next()];
    const created = msgs.find((m) => m.type === 'response');
    assert.ok(created && created.type === 'response' && created.ok && created.id === 'c1');
    assert.ok(msgs.some((m) => m.type === 'event' && m.name === 'libraryChanged'));
    ws.send(
      JSON.stringify({
        type: 'request',
        id: 2,
        method: 'deleteVm',
        args: ['WS', { deleteFiles: true }],
      }),
    );
    let del: WsServerMessage;
    do del = await next();
    while (del.type !== 'response');
    assert.ok(del.ok && del.result === null);
    ws.close();
  });
  test('fuzz: 300 random messages each get an error response; the server keeps serving', async () => {
    const { ws, next } = await connect();
    await next(); // hello
    const junk = [
      ...fc.sample(fc.string({ maxLength: 40 }), 100),
      ...fc.sample(fc.json(), 100),
      ...fc
        .sample(
          fc.record({
            type: fc.constantFrom('request', 'response', 'x'),
            id: fc.anything(),
            method: fc.string(),
            args: fc.anything(),
          }),
          100,
        )
        .map((m) => JSON.stringify(m) ?? 'null'),
    ];
    for (const j of junk) ws.send(j);
    let errors = 0;
    while (errors < junk.length) {
      const m = await next();
      if (m.type === 'response') {
        assert.equal(m.ok, false);
        errors++;
      }
    }
    ws.send(JSON.stringify({ type: 'request', id: 99, method: 'listVms', args: [] }));
    let m: WsServerMessage;
    do m = await next();
    while (m.type !== 'response');
    assert.ok(m.ok && m.id === 99);
    ws.close();
  });
  test('a change made outside (CLI, editor) reaches WebSocket clients as libraryChanged', async () => {
    await library.watch(50);
    try {
      const { ws, next } = await connect();
      await next(); // hello
      const dir = path.join(library.root, 'Outside');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'vm.json'), '{}');
      let m: WsServerMessage;
      do m = await next();
      while (m.type !== 'event');
      assert.equal(m.name, 'libraryChanged');
      ws.close();
    } finally {
      library.close();
    }
  });
  test('errors: API errors, bad args, malformed messages — the server keeps going', async () => {
    const { ws, next } = await connect(`?token=${server.token}`, {
      origin: `http://127.0.0.1:${server.port}`,
    });
    await next(); // hello
    const ask = async (raw: string) => {
      ws.send(raw);
      let m: WsServerMessage;
      do m = await next();
      while (m.type !== 'response');
      return m;
    };
    const nf = await ask(
      JSON.stringify({ type: 'request', id: 3, method: 'getVm', args: ['Nope'] }),
    );
    assert.ok(!nf.ok && nf.error.code === 'not_found' && nf.id === 3);
    const bad = await ask(
      JSON.stringify({
        type: 'request',
        id: 4,
        method: 'createVm',
        args: [{ name: 'X', cpuModel: 'e8c', memoryMiB: 'lots' }],
      }),
    );
    assert.ok(
      !bad.ok && bad.error.code === 'validation' && bad.error.problems?.[0].field === 'memoryMiB',
    );
    const notJson = await ask('{nope');
    assert.ok(!notJson.ok && notJson.id === null && /not valid JSON/.test(notJson.error.message));
    const unknown = await ask(JSON.stringify({ type: 'request', id: 5, method: 'rmRf', args: [] }));
    assert.ok(!unknown.ok && unknown.id === 5 && /method/.test(unknown.error.message));
    const noArgs = await ask(JSON.stringify({ type: 'request', id: 6, method: 'getVm' }));
    assert.ok(!noArgs.ok && noArgs.id === 6);
    // An id the protocol cannot carry (not a safe integer) is not echoed back.
    const huge = await ask('{"type":"request","id":1e300,"method":"listVms","args":[]}');
    assert.ok(!huge.ok && huge.id === null);
    const pick = await ask(
      JSON.stringify({ type: 'request', id: 7, method: 'pickFile', args: [{}] }),
    );
    assert.ok(!pick.ok && pick.error.code === 'unsupported');
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    const bin = await next();
    assert.ok(bin.type === 'response' && !bin.ok);
    const ok = await ask(JSON.stringify({ type: 'request', id: 8, method: 'listVms', args: [] }));
    assert.ok(ok.ok);
    ws.close();
  });
});
