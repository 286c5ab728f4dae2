/**
 * The one API the renderer uses to talk to main. The preload script exposes an object of this
 * type as `window.glaunch` (Electron); in web mode the renderer builds the same object over a
 * WebSocket. No component knows which transport it has.
 *
 * Every method returns a Promise; failures reject with an error whose fields match
 * `ApiErrorData` (see api-error.ts) so the UI can show them next to the field they concern.
 * NOTE: `window.glaunch` (Electron preload) rejects with PLAIN ApiErrorData objects — the
 * contextBridge cannot pass ApiError instances — so wrap it: `reviveApiErrors(window.glaunch)`
 * (api-error.ts) to get `instanceof ApiError` as with the WebSocket client.
 * Events are subscriptions: `on*(listener)` returns a function that unsubscribes.
 */
import type { NewVmInput, VmConfig, FieldProblem } from './vm-config';

export type VmState = 'poweredOff' | 'starting' | 'running' | 'paused' | 'stopping' | 'aborted';

/** Why a VM folder cannot be used: the file, the field (if one) and the problem. */
export interface InaccessibleReason {
  file: string;
  field?: string;
  problem: string;
}

export type VmEntry =
  | { kind: 'ok'; folder: string; config: VmConfig; state: VmState }
  | { kind: 'inaccessible'; folder: string; name: string; reason: InaccessibleReason };

export interface AppInfo {
  version: string;
  /** 'electron' inside the desktop app, 'web' when served by `glaunch web`. */
  mode: 'electron' | 'web';
  platform: string;
  libraryPath: string;
  /** Whether pickFile can show a native file dialog. */
  nativeDialogs: boolean;
}

export type Language = 'en' | 'ru';
export type ThemePreference = 'system' | 'light' | 'dark';
export interface Preferences {
  language: Language;
  theme: ThemePreference;
}

export interface PickFileOptions {
  title?: string;
  filters?: { name: string; extensions: string[] }[];
}

export type ApiErrorCode =
  'validation' | 'not_found' | 'conflict' | 'inaccessible' | 'io' | 'unsupported' | 'internal';

export interface ApiErrorData {
  code: ApiErrorCode;
  message: string;
  /** Field problems for validation errors (dotted paths inside vm.json). */
  problems?: FieldProblem[];
}

export interface DeleteOptions {
  /** true: remove the VM folder and everything in it; false: only forget it (folder renamed aside). */
  deleteFiles: boolean;
}

export interface GlaunchApi {
  getAppInfo(): Promise<AppInfo>;
  getPreferences(): Promise<Preferences>;
  setPreferences(p: Partial<Preferences>): Promise<Preferences>;

  listVms(): Promise<VmEntry[]>;
  getVm(name: string): Promise<VmEntry>;
  createVm(input: NewVmInput): Promise<VmConfig>;
  /** Replace the configuration (name must stay; use renameVm). Timestamps are set by main. */
  updateVm(name: string, config: VmConfig): Promise<VmConfig>;
  renameVm(name: string, newName: string): Promise<VmConfig>;
  cloneVm(name: string, newName: string): Promise<VmConfig>;
  deleteVm(name: string, options: DeleteOptions): Promise<void>;
  /** Add an existing VM folder (containing vm.json) to the library. */
  importVm(folderPath: string): Promise<VmEntry>;

  /** Native open-file dialog; resolves null when cancelled. Rejects 'unsupported' in web mode. */
  pickFile(options: PickFileOptions): Promise<string | null>;

  /** Fires whenever the library changes (any client, the CLI, or files on disk). */
  onLibraryChanged(listener: () => void): () => void;

  /**
   * Desktop app only: the native application menu was used (File > New VM, Ctrl+N, ...). The
   * renderer performs the command itself (it knows the selection). Optional: web mode has no
   * native menu and either omits it or never fires it.
   */
  onMenuCommand?(listener: (command: MenuCommand) => void): () => void;
}

/** Commands the native menu sends to the renderer (payload of the 'menuCommand' event). */
export const MENU_COMMANDS = ['newVm', 'settings', 'cloneVm', 'removeVm', 'about'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Names of the request methods, used by both transports to route calls. */
export const API_METHODS = [
  'getAppInfo',
  'getPreferences',
  'setPreferences',
  'listVms',
  'getVm',
  'createVm',
  'updateVm',
  'renameVm',
  'cloneVm',
  'deleteVm',
  'importVm',
  'pickFile',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];
export const API_EVENTS = ['libraryChanged', 'menuCommand'] as const;
export type ApiEvent = (typeof API_EVENTS)[number];
