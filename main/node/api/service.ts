/**
 * The GlaunchApi implementation on top of the VM library, shared by the Electron main process
 * and `glaunch web`. Transports call it through `callApi` (dispatch.ts), which validates the
 * arguments first; the service itself only deals with library semantics.
 */
import path from 'node:path';
import type { AppInfo, GlaunchApi, PickFileOptions, VmEntry, VmState } from '../../common/api';
import { ApiError } from '../../common/api-error';
import type { VmLibrary } from '../library/library';
import { PreferencesStore } from '../library/preferences';
import type { LibraryEntry } from '../library/vm-folder';
import { APP_VERSION } from '../version';

export interface ApiServiceOptions {
  library: VmLibrary;
  mode: AppInfo['mode'];
  /** Native file dialog of the host; absent in web mode (pickFile rejects 'unsupported'). */
  pickFile?: (options: PickFileOptions) => Promise<string | null>;
  /** Run state of a VM; until the VM runner exists every VM is powered off. */
  vmState?: (name: string) => VmState;
  preferences?: PreferencesStore;
}

export interface ApiService extends GlaunchApi {
  /** Stops listening to the library; the library itself stays open. */
  dispose(): void;
}

export function createApiService(o: ApiServiceOptions): ApiService {
  const prefs = o.preferences ?? new PreferencesStore(o.library.root);
  const stateOf = o.vmState ?? (() => 'poweredOff' as const);
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
    updateVm: (name, config) => o.library.update(name, config),
    renameVm: (name, newName) => o.library.rename(name, newName),
    cloneVm: async (name, newName) => (await o.library.clone(name, newName)).config,
    deleteVm: async (name, options) => {
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
    onLibraryChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      o.library.off('changed', onChanged);
      listeners.clear();
    },
  };
}
