/**
 * The GlaunchApi object the preload script exposes as `window.glaunch`, built over anything
 * shaped like Electron's ipcRenderer (so it is tested in plain Node with a fake). Calls go to
 * `glaunch:<method>` and unwrap the IpcOutcome envelope; failures reject with a plain
 * ApiErrorData object (see ipc.ts for why not an Error subclass).
 */
import {
  API_METHODS,
  type ApiMethod,
  type ConsoleChunk,
  type GlaunchApi,
  type MenuCommand,
  type VmStateEvent,
  type VmStatsEvent,
} from './api';
import { IPC_EVENT_CHANNEL, ipcChannel, type IpcOutcome } from './ipc';

type Handler = (event: unknown, ...args: unknown[]) => void;
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: Handler): unknown;
  removeListener(channel: string, listener: Handler): unknown;
}

export function createIpcApi(ipc: IpcRendererLike): GlaunchApi {
  const call =
    (method: ApiMethod) =>
    async (...args: unknown[]) => {
      const r = (await ipc.invoke(ipcChannel(method), ...args)) as IpcOutcome;
      if (r.ok) return r.result;
      throw { name: 'ApiError', ...r.error };
    };
  const subscribe = (name: string, listener: (payload: unknown) => void) => {
    const h: Handler = (_e, n, payload) => {
      if (n === name) listener(payload);
    };
    ipc.on(IPC_EVENT_CHANNEL, h);
    return () => void ipc.removeListener(IPC_EVENT_CHANNEL, h);
  };
  const methods = Object.fromEntries(API_METHODS.map((m) => [m, call(m)]));
  return {
    ...(methods as unknown as Omit<GlaunchApi, `on${string}`>),
    onLibraryChanged: (listener: () => void) => subscribe('libraryChanged', () => listener()),
    onMenuCommand: (listener: (c: MenuCommand) => void) =>
      subscribe('menuCommand', (p) => listener(p as MenuCommand)),
    onVmState: (listener: (e: VmStateEvent) => void) =>
      subscribe('vmState', (p) => listener(p as VmStateEvent)),
    onVmStats: (listener: (e: VmStatsEvent) => void) =>
      subscribe('vmStats', (p) => listener(p as VmStatsEvent)),
    onConsoleData: (listener: (c: ConsoleChunk) => void) =>
      subscribe('consoleData', (p) => listener(p as ConsoleChunk)),
  };
}
