/**
 * Electron IPC contract between main/electron/main.ts and the preload script.
 *  - one invoke channel per API method: `glaunch:<method>`, arguments positional;
 *  - main answers every invoke with an IpcOutcome envelope (never a rejection, because Electron
 *    reduces rejected invokes to a message string and the error code would be lost); the preload
 *    unwraps it and rejects with a plain ApiErrorData object (plain objects survive the
 *    contextBridge; Error subclasses lose their fields) — use ApiError.fromData in the renderer;
 *  - events on one channel `glaunch:event` with (name, payload?).
 */
import type { ApiErrorData, ApiMethod } from './api';

export const IPC_PREFIX = 'glaunch:';
export const IPC_EVENT_CHANNEL = 'glaunch:event';
/**
 * Console MessagePorts (main/node/vmhost/console-broker.ts): the window asks with
 * `ipcRenderer.send(IPC_CONSOLE_PORT_REQUEST, vmName)`; main answers (and pushes when a VM
 * starts running) with `webContents.postMessage(IPC_CONSOLE_PORT_CHANNEL, {name}, [port])`.
 */
export const IPC_CONSOLE_PORT_REQUEST = 'glaunch:console-port-request';
export const IPC_CONSOLE_PORT_CHANNEL = 'glaunch:console-port';

export function ipcChannel(method: ApiMethod): string {
  return IPC_PREFIX + method;
}

export type IpcOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorData };
