/**
 * The desktop app loads its UI from `app://glaunch/` (a privileged custom scheme served from
 * dist/renderer) rather than file://: file:// pages may read any local file the app can, get an
 * opaque origin (so 'self' in the CSP is meaningless), and make the IPC sender check weaker.
 * This module maps a request URL to a file inside the renderer folder, refusing escapes.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../common/csp';
import { CONTENT_TYPES } from '../web/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'glaunch';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

export type AppFile =
  | { status: 200; body: Uint8Array; headers: Record<string, string> }
  | { status: 403 | 404; body: string; headers: Record<string, string> };

const baseHeaders = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
};

export async function readAppFile(rendererDir: string, url: string): Promise<AppFile> {
  const u = new URL(url);
  const text = { ...baseHeaders, 'Content-Type': 'text/plain; charset=utf-8' };
  if (`${u.protocol}//${u.host}` !== APP_ORIGIN)
    return { status: 403, body: 'forbidden', headers: text };
  let rel: string;
  try {
    rel = decodeURIComponent(u.pathname);
  } catch {
    return { status: 404, body: 'not found', headers: text };
  }
  const base = path.resolve(rendererDir);
  let file = path.resolve(base, '.' + path.posix.normalize('/' + rel));
  if (rel.includes('\0') || (file !== base && !file.startsWith(base + path.sep)))
    return { status: 403, body: 'forbidden', headers: text };
  if (file === base) file = path.join(base, 'index.html');
  try {
    const body = await fsp.readFile(file);
    return {
      status: 200,
      body,
      headers: {
        ...baseHeaders,
        'Content-Type':
          CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      },
    };
  } catch {
    return { status: 404, body: 'not found', headers: text };
  }
}
