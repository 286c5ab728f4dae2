/**
 * Access checks for `glaunch web`. The server listens on 127.0.0.1 only, but any web page the
 * user visits can still send requests to it, so:
 *  - every request must carry the session token (query `token` or the cookie set on the first
 *    tokened page load) — a random 32-byte value other sites cannot know;
 *  - the Host header must be 127.0.0.1:PORT or localhost:PORT, which defeats DNS rebinding
 *    (evil.example resolving to 127.0.0.1 still sends Host: evil.example);
 *  - an Origin header, when present (always for browser WebSockets and cross-site requests),
 *    must be our own origin, which blocks cross-site WebSocket hijacking.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WS_TOKEN_PARAM } from '../../common/ws-protocol';

export type GuardResult =
  { ok: true; viaQuery: boolean } | { ok: false; status: 403; reason: string };

export function tokenCookieName(port: number): string {
  // Cookies are not port-specific: two servers on different ports must not clash.
  return `glaunch_token_${port}`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function checkRequest(req: IncomingMessage, port: number, token: string): GuardResult {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts(port).includes(host))
    return { ok: false, status: 403, reason: `Host '${host}' is not allowed` };
  const origin = req.headers.origin;
  if (
    origin !== undefined &&
    !allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`)
  ) {
    return { ok: false, status: 403, reason: `Origin '${origin}' is not allowed` };
  }
  const url = new URL(req.url ?? '/', `http://${host}`);
  const q = url.searchParams.get(WS_TOKEN_PARAM);
  if (q !== null && sameSecret(q, token)) return { ok: true, viaQuery: true };
  const cookie = parseCookies(req.headers.cookie ?? '')[tokenCookieName(port)];
  if (cookie !== undefined && sameSecret(cookie, token)) return { ok: true, viaQuery: false };
  return { ok: false, status: 403, reason: 'missing or wrong token' };
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // A malformed cookie is simply not ours.
    }
  }
  return out;
}
