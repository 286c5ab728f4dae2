/**
 * The CLI's way to the VM host of a library (see vmhost/host-file.ts): finds the running
 * `glaunch web` of the library — or starts one in the background, without a browser, when
 * asked to — and calls GlaunchApi methods on it over its WebSocket (ws-protocol.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { ApiMethod } from '../../common/api';
import { ApiError } from '../../common/api-error';
import { WS_PATH, WS_TOKEN_PARAM, wsServerMessageSchema } from '../../common/ws-protocol';
import { META_DIR } from '../library/paths';
import { readHostFile, type HostInfo } from '../vmhost/host-file';
import { bundledFile } from '../vmhost/launcher';

export interface HostConnection {
  call<T>(method: ApiMethod, args: unknown[]): Promise<T>;
  close(): void;
}

export async function connectHost(info: HostInfo): Promise<HostConnection> {
  const url = `ws://127.0.0.1:${info.port}${WS_PATH}?${WS_TOKEN_PARAM}=${encodeURIComponent(info.token)}`;
  // Loaded here, not at the top: `ws` pulls in http/https/tls/zlib, which every other CLI
  // command (and `glaunch run` before its guest boots) would otherwise pay for at start-up.
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(url);
  const pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void }
  >();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    ws.once('error', (e) =>
      reject(
        new ApiError('io', `cannot reach the Glaunch host at 127.0.0.1:${info.port}: ${e.message}`),
      ),
    );
    ws.on('message', (data) => {
      let msg;
      try {
        msg = wsServerMessageSchema.parse(JSON.parse(String(data)));
      } catch {
        return;
      }
      if (msg.type === 'hello') resolve();
      else if (msg.type === 'response' && typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.result);
        else p.reject(ApiError.fromData(msg.error));
      }
    });
  });
  ws.on('close', () => {
    for (const p of pending.values())
      p.reject(new ApiError('io', 'the Glaunch host closed the connection'));
    pending.clear();
  });
  return {
    call<T>(method: ApiMethod, args: unknown[]) {
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ type: 'request', id, method, args }));
      });
    },
    close: () => ws.close(),
  };
}

/**
 * Starts `glaunch web --no-open --exit-when-idle` for the library in the background (it
 * outlives this CLI run, keeps the VMs it starts, and stops 30 s after the last one) and
 * waits for its host file. Its output goes to `<library>/.glaunch/host.log`.
 */
export async function spawnHost(library: string, timeoutMs = 15_000): Promise<HostInfo> {
  const meta = path.join(library, META_DIR);
  mkdirSync(meta, { recursive: true });
  const out = openSync(path.join(meta, 'host.log'), 'a');
  const child = spawn(
    process.execPath,
    [
      bundledFile('glaunch-cli.cjs'),
      '--library',
      library,
      'web',
      '--no-open',
      '--port',
      '0',
      '--exit-when-idle',
    ],
    { detached: true, stdio: ['ignore', out, out], env: process.env },
  );
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = await readHostFile(library);
    if (info && info.pid === child.pid) return info;
    if (child.exitCode !== null)
      throw new ApiError(
        'io',
        `the background Glaunch host exited (code ${child.exitCode}); see ${path.join(meta, 'host.log')}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ApiError(
    'io',
    `the background Glaunch host did not come up; see ${path.join(meta, 'host.log')}`,
  );
}
