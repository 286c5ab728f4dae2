/**
 * Web mode wire protocol (`glaunch web`): the renderer talks to the same `GlaunchApi` over one
 * WebSocket instead of Electron IPC. Both sides validate every message with these schemas.
 *
 * Connection: `ws://127.0.0.1:PORT/api?token=TOKEN` (same origin as the page). The token is the
 * one in the page URL (`?token=...`); after the first tokened page load the server also sets an
 * HttpOnly cookie, so a plain `/api` works too. Use `webSocketUrl(window.location)`.
 *
 *   server → client, first:  { type: 'hello', protocol: 1, appVersion }
 *   client → server:         { type: 'request', id, method, args }         args: positional array
 *   server → client:         { type: 'response', id, ok: true, result }
 *                          | { type: 'response', id, ok: false, error: ApiErrorData }
 *   server → client:         { type: 'event', name: 'libraryChanged' }
 *                          | { type: 'event', name: 'vmState' | 'vmStats' | 'consoleData', payload }
 *   client → server:         { type: 'console', name, port, data }            keyboard → VM
 *
 * Console bytes (base64) travel as their own messages in both directions — consoleData
 * events out, 'console' messages in — straight between the VM host and the page, without a
 * request/response round trip per keystroke. A 'console' message gets no answer unless it
 * fails (then a response with id null says why).
 *
 * `id` is chosen by the client (number or string) and echoed. Responses may come out of order.
 * A message the server cannot parse gets `{ type: 'response', id: null, ok: false, error }`
 * (id is null when it could not be read). `result` of a void method is `null` (JSON has no
 * undefined). If the hello's `protocol` differs from WS_PROTOCOL_VERSION the client should
 * show "please reload / update" rather than guess.
 */
import { z } from 'zod';
import { API_EVENTS, API_METHODS } from './api';
import type { ApiErrorData, ApiEvent, ApiMethod } from './api';

/** 2: running VMs (vmState/vmStats/consoleData events, console messages). */
export const WS_PROTOCOL_VERSION = 2;
/** Path of the WebSocket endpoint on the web server. */
export const WS_PATH = '/api';
/** Name of the query parameter and cookie carrying the session token. */
export const WS_TOKEN_PARAM = 'token';

const requestId = z.union([z.number().int().nonnegative(), z.string().min(1).max(100)]);

export const wsRequestSchema = z
  .object({
    type: z.literal('request'),
    id: requestId,
    method: z.enum(API_METHODS),
    args: z.array(z.unknown()).max(8),
  })
  .strict();

export const wsConsoleSchema = z
  .object({
    type: z.literal('console'),
    name: z.string().min(1).max(260),
    port: z.number().int().min(0).max(3),
    data: z.base64().max(65536),
  })
  .strict();
export type WsConsoleMessage = z.infer<typeof wsConsoleSchema>;

const apiErrorDataSchema = z.object({
  code: z.enum([
    'validation',
    'not_found',
    'conflict',
    'inaccessible',
    'io',
    'unsupported',
    'internal',
  ]),
  message: z.string(),
  problems: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

// A plain union: two variants share type 'response' (ok true/false), which a discriminated
// union on 'type' cannot express.
export const wsServerMessageSchema = z.union([
  z.object({ type: z.literal('hello'), protocol: z.number().int(), appVersion: z.string() }),
  z.object({
    type: z.literal('response'),
    id: requestId.nullable(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    type: z.literal('response'),
    id: requestId.nullable(),
    ok: z.literal(false),
    error: apiErrorDataSchema,
  }),
  z.object({ type: z.literal('event'), name: z.enum(API_EVENTS), payload: z.unknown().optional() }),
]);

export type WsRequestId = z.infer<typeof requestId>;
export interface WsRequest {
  type: 'request';
  id: WsRequestId;
  method: ApiMethod;
  args: unknown[];
}
export interface WsHello {
  type: 'hello';
  protocol: number;
  appVersion: string;
}
export type WsResponse =
  | { type: 'response'; id: WsRequestId | null; ok: true; result: unknown }
  | { type: 'response'; id: WsRequestId | null; ok: false; error: ApiErrorData };
export interface WsEvent {
  type: 'event';
  name: ApiEvent;
  payload?: unknown;
}
export type WsServerMessage = WsHello | WsResponse | WsEvent;
export type WsClientMessage = WsRequest | WsConsoleMessage;

/** The WebSocket URL for a page served by `glaunch web`, carrying the page's token along. */
export function webSocketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get(WS_TOKEN_PARAM);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}${token ? `?${WS_TOKEN_PARAM}=${encodeURIComponent(token)}` : ''}`;
}
