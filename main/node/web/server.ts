/**
 * `glaunch web`: the renderer served to a browser on 127.0.0.1, talking to the same GlaunchApi
 * over a WebSocket (protocol in main/common/ws-protocol.ts). Access rules are in guard.ts.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { GlaunchApi } from '../../common/api';
import { CONTENT_SECURITY_POLICY } from '../../common/csp';
import {
  WS_PATH,
  WS_PROTOCOL_VERSION,
  WS_TOKEN_PARAM,
  wsConsoleSchema,
  wsRequestSchema,
  type WsServerMessage,
} from '../../common/ws-protocol';
import { callApi } from '../api/dispatch';
import { APP_VERSION } from '../version';
import { checkRequest, tokenCookieName } from './guard';
import { send, serveStatic } from './static-files';
import type { VmHost } from '../vmhost/host';

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** Unsent bytes above which a client's monitor samples are skipped. */
const STATS_BACKLOG_BYTES = 1024 * 1024;

export interface WebServerOptions {
  api: GlaunchApi;
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Fixed token for tests; normally random. */
  token?: string;
  log?: (line: string) => void;
  /** The VM host, for console input that bypasses the request handlers. */
  host?: VmHost;
}

export interface WebServer {
  port: number;
  token: string;
  url: string;
  close(): Promise<void>;
}

export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const token = o.token ?? randomBytes(32).toString('base64url');
  const log = o.log ?? (() => undefined);
  let port = 0;
  const server = http.createServer((req, res) => {
    const g = checkRequest(req, port, token);
    if (!g.ok) {
      log(`web: 403 ${req.method} ${req.url?.replace(/token=[^&]*/, 'token=…')}: ${g.reason}`);
      return send(
        res,
        403,
        `Forbidden: ${g.reason}. Open the address printed by 'glaunch web'.\n`,
        SECURITY_HEADERS,
      );
    }
    const headers = { ...SECURITY_HEADERS };
    if (g.viaQuery)
      headers['Set-Cookie'] =
        `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    serveStatic(o.rendererDir, req, res, headers).catch((e: unknown) => {
      log(`web: error serving ${req.url}: ${String(e)}`);
      if (!res.headersSent) send(res, 500, 'internal error\n', SECURITY_HEADERS);
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const g = checkRequest(req, port, token);
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (!g.ok || pathname !== WS_PATH) {
      const status = g.ok ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws) => serveSocket(ws, o.api, log, o.host));

  const broadcast = (m: WsServerMessage, droppable = false) => {
    const msg = JSON.stringify(m);
    for (const c of wss.clients) {
      if (c.readyState !== c.OPEN) continue;
      // Monitor samples are superseded 200 ms later: a page that cannot keep up skips some
      // rather than letting them pile up in this process. Console bytes are never skipped.
      if (droppable && c.bufferedAmount > STATS_BACKLOG_BYTES) continue;
      c.send(msg);
    }
  };
  const unsubscribers = [
    o.api.onLibraryChanged(() => broadcast({ type: 'event', name: 'libraryChanged' })),
    o.api.onVmState((payload) => broadcast({ type: 'event', name: 'vmState', payload })),
    o.api.onVmStats((payload) => broadcast({ type: 'event', name: 'vmStats', payload }, true)),
    o.api.onConsoleData((payload) => broadcast({ type: 'event', name: 'consoleData', payload })),
  ];
  const unsubscribe = () => unsubscribers.forEach((u) => u());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?${WS_TOKEN_PARAM}=${token}`,
    async close() {
      unsubscribe();
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** One client connection: hello, then request → response, never throwing on bad input. */
function serveSocket(
  ws: WebSocket,
  api: GlaunchApi,
  log: (l: string) => void,
  host: VmHost | undefined,
): void {
  const reply = (m: WsServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  reply({ type: 'hello', protocol: WS_PROTOCOL_VERSION, appVersion: APP_VERSION });
  ws.on('error', (e) => log(`web: socket error: ${e.message}`));
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const fail = (id: unknown, message: string) =>
      reply({
        type: 'response',
        id: validId(id),
        ok: false,
        error: { code: 'validation', message },
      });
    if (isBinary) return fail(null, 'binary messages are not supported; send JSON text');
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      return fail(null, 'message is not valid JSON');
    }
    if (typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'console') {
      const c = wsConsoleSchema.safeParse(msg);
      if (!c.success) return fail(null, `malformed console message: ${c.error.issues[0].message}`);
      if (!host) return fail(null, 'this server cannot run VMs');
      try {
        host.writeConsoleNow(
          c.data.name,
          c.data.port,
          new Uint8Array(Buffer.from(c.data.data, 'base64')),
        );
      } catch (e) {
        return fail(null, (e as Error).message);
      }
      return;
    }
    const r = wsRequestSchema.safeParse(msg);
    if (!r.success) {
      const id = typeof msg === 'object' && msg !== null ? (msg as { id?: unknown }).id : null;
      const issue = r.error.issues[0];
      return fail(id, `malformed request: ${issue.path.join('.') || 'message'}: ${issue.message}`);
    }
    const { id, method, args } = r.data;
    void callApi(api, method, args).then((out) => reply({ type: 'response', id, ...out }));
  });
}

function validId(id: unknown): string | number | null {
  if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return id;
  if (typeof id === 'string' && id.length > 0 && id.length <= 100) return id;
  return null;
}
