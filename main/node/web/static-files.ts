/**
 * Serving the built renderer (dist/renderer/) to the browser: GET/HEAD only, no path escapes the
 * folder, unknown routes without a file extension fall back to index.html (client-side routes).
 */
import { promises as fsp, existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
};

/**
 * dist/renderer relative to this code: next to the CLI bundle (dist/main/glaunch-cli.cjs →
 * dist/renderer) or, running from sources with tsx, the repository's dist/renderer.
 */
export function defaultRendererDir(): string {
  const candidates = [
    fileURLToPath(new URL('../renderer/', import.meta.url)),
    fileURLToPath(new URL('../../../dist/renderer/', import.meta.url)),
  ];
  return candidates.find((d) => existsSync(path.join(d, 'index.html'))) ?? candidates[0];
}

export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Record<string, string>,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(res, 405, 'method not allowed\n', { ...headers, Allow: 'GET, HEAD' });
  let rel: string;
  try {
    rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return send(res, 400, 'bad path\n', headers);
  }
  if (rel.includes('\0')) return send(res, 400, 'bad path\n', headers);
  const base = path.resolve(root);
  let file = path.resolve(base, '.' + path.posix.normalize('/' + rel));
  if (file !== base && !file.startsWith(base + path.sep))
    return send(res, 403, 'forbidden\n', headers);
  let stat = await fsp.stat(file).catch(() => null);
  if (stat?.isDirectory()) {
    file = path.join(file, 'index.html');
    stat = await fsp.stat(file).catch(() => null);
  }
  if (!stat && path.extname(rel) === '') {
    file = path.join(base, 'index.html');
    stat = await fsp.stat(file).catch(() => null);
  }
  if (!stat || !stat.isFile()) {
    if (!existsSync(path.join(base, 'index.html'))) {
      return send(
        res,
        503,
        `The web UI is not built (no ${path.join(base, 'index.html')}). Run: npm run build\n`,
        headers,
      );
    }
    return send(res, 404, 'not found\n', headers);
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(stat.size),
  });
  if (req.method === 'HEAD') return void res.end();
  res.end(await fsp.readFile(file));
}

export function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string>,
): void {
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
