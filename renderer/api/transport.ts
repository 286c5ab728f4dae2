/**
 * Picks the transport once, at start-up: the preload's `window.glaunch` inside Electron,
 * otherwise a WebSocket to the `glaunch web` server that served this page.
 */
import type { GlaunchApi } from '../../main/common/api';
import { reviveApiErrors } from '../../main/common/api-error';
import { webSocketUrl } from '../../main/common/ws-protocol';
import type { ConnectionSource } from './connection';
import { WsApiClient } from './ws-client';

declare global {
  interface Window {
    glaunch?: GlaunchApi;
  }
}

export interface Transport {
  api: GlaunchApi;
  /** null for Electron IPC, which cannot drop. */
  connection: ConnectionSource | null;
}

export function chooseTransport(win: Window = window): Transport {
  // The contextBridge turns ApiError rejections into plain objects; make them ApiErrors again.
  if (win.glaunch) return { api: reviveApiErrors(win.glaunch), connection: null };
  const client = new WsApiClient({ url: webSocketUrl(win.location) });
  return { api: client.api, connection: client };
}
