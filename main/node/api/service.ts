/**
 * The GlaunchApi implementation on top of the VM library, shared by the Electron main process
 * and `glaunch web`. Transports call it through `callApi` (dispatch.ts), which validates the
 * arguments first; the service itself only deals with library semantics.
 */
import path from 'node:path';
import type {
  AppInfo,
  ConsoleChunk,
  GlaunchApi,
  PickFileOptions,
  VmEntry,
  VmStateEvent,
  VmStatsEvent,
} from '../../common/api';
import { ApiError } from '../../common/api-error';
import type { VmLibrary } from '../library/library';
import { PreferencesStore } from '../library/preferences';
import type { LibraryEntry } from '../library/vm-folder';
import { APP_VERSION } from '../version';
import type { VmHost } from '../vmhost/host';

export interface ApiServiceOptions {
  library: VmLibrary;
  mode: AppInfo['mode'];
  /** Native file dialog of the host; absent in web mode (pickFile rejects 'unsupported'). */
  pickFile?: (options: PickFileOptions) => Promise<string | null>;
  /** The VM host (main/node/vmhost): without one, every VM is powered off and cannot start. */
  host?: VmHost;
  preferences?: PreferencesStore;
}

export interface ApiService extends GlaunchApi {
  /** Stops listening to the library; the library itself stays open. */
  dispose(): void;
}

export function createApiService(o: ApiServiceOptions): ApiService {
  const prefs = o.preferences ?? new PreferencesStore(o.library.root);
  const stateOf = (name: string) => o.host?.stateOf(name) ?? 'poweredOff';
  const host = () => {
    if (!o.host) throw new ApiError('unsupported', 'this Glaunch instance cannot run VMs');
    return o.host;
  };
  const stopped = (name: string, what: string) => o.host?.assertStopped(name, what);
  const hostListeners: (() => void)[] = [];
  const relay = <E extends 'state' | 'stats' | 'console', T>(
    event: E,
    map: (e: never) => T,
    listener: (x: T) => void,
  ) => {
    if (!o.host) return () => undefined;
    const h = (e: unknown) => listener(map(e as never));
    o.host.on(event, h as never);
    const off = () => void o.host?.off(event, h as never);
    hostListeners.push(off);
    return off;
  };
  const withState = (e: LibraryEntry): VmEntry =>
    e.kind === 'ok' ? { ...e, state: stateOf(e.config.name) } : e;
  const listeners = new Set<() => void>();
  const onChanged = () => {
    for (const l of [...listeners]) {
      try {
        l();
      } catch (e) {
        console.error('glaunch: libraryChanged listener failed:', e);
      }
    }
  };
  o.library.on('changed', onChanged);

  return {
    async getAppInfo() {
      return {
        version: APP_VERSION,
        mode: o.mode,
        platform: process.platform,
        libraryPath: path.resolve(o.library.root),
        nativeDialogs: o.pickFile !== undefined,
      };
    },
    getPreferences: () => prefs.get(),
    setPreferences: (p) => prefs.set(p),
    listVms: async () => (await o.library.list()).map(withState),
    getVm: async (name) => withState(await o.library.get(name)),
    createVm: (input) => o.library.create(input),
    updateVm: async (name, config) => {
      stopped(name, 'change the settings of');
      return o.library.update(name, config);
    },
    renameVm: async (name, newName) => {
      stopped(name, 'rename');
      return o.library.rename(name, newName);
    },
    cloneVm: async (name, newName) => (await o.library.clone(name, newName)).config,
    deleteVm: async (name, options) => {
      stopped(name, 'remove');
      await o.library.delete(name, options.deleteFiles);
    },
    importVm: async (folder) => withState(await o.library.import(folder)),
    pickFile: async (options) => {
      if (!o.pickFile)
        throw new ApiError(
          'unsupported',
          'file dialogs are not available in web mode; type the path instead',
        );
      return o.pickFile(options);
    },
    startVm: (name, options) => host().start(name, options.headless),
    pauseVm: (name) => host().pause(name),
    resumeVm: (name) => host().resume(name),
    resetVm: (name) => host().reset(name),
    shutdownVm: (name) => host().shutdown(name),
    powerOffVm: (name) => host().powerOff(name),
    getVmStatus: async (name) => {
      if (o.host) return o.host.status(name);
      const e = await o.library.getOk(name);
      return { name: e.config.name, state: 'poweredOff', headless: false, serial: [] };
    },
    attachConsole: async (name, port) =>
      Buffer.from(await host().consoleContents(name, port)).toString('base64'),
    writeConsole: (name, port, data) =>
      host().writeConsole(name, port, new Uint8Array(Buffer.from(data, 'base64'))),
    getVmRegisters: (name) => host().registers(name),
    readVmLog: (name, run) => host().readLog(name, run),
    onVmState: (listener) => relay('state', (e: VmStateEvent) => e, listener),
    onVmStats: (listener) => relay('stats', (e: VmStatsEvent) => e, listener),
    onConsoleData: (listener) =>
      relay(
        'console',
        (e: { name: string; port: number; data: Uint8Array }): ConsoleChunk => ({
          name: e.name,
          port: e.port,
          data: Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength).toString('base64'),
        }),
        listener,
      ),
    onLibraryChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      o.library.off('changed', onChanged);
      listeners.clear();
      for (const off of hostListeners.splice(0)) off();
    },
  };
}
