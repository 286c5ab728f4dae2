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
import type { MachineStats } from '../../emulator/machine/api';
import type { NewVmInput, VmConfig, FieldProblem, SerialMode } from './vm-config';

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

/** How a VM runs: with the app's console window, or headless (serial backends only). */
export interface StartOptions {
  headless: boolean;
}

/** One serial port of a running VM and where it can be reached. */
export interface SerialEndpoint {
  index: number;
  mode: SerialMode;
  /** 'pty': /dev/pts/N; 'tcp': 127.0.0.1:PORT; 'file': the absolute path. */
  endpoint?: string;
}

/** The run-time side of a VM, kept by the VM host (main/node/vmhost). */
export interface VmStatus {
  name: string;
  state: VmState;
  headless: boolean;
  /** Why the VM is aborted, or why its last start failed / how it last stopped. */
  reason?: string;
  /** The last lines of the VM's log, when it aborted. */
  lastLog?: string[];
  /** Process id of the VM process while it exists. */
  pid?: number;
  /** ISO time of the last start. */
  startedAt?: string;
  serial: SerialEndpoint[];
}

/** Monitor data of a running VM, pushed every 200 ms ('vmStats' event). */
export interface VmStatsEvent {
  name: string;
  state: VmState;
  /** Host wall-clock ms when the VM process sampled it. */
  atMs: number;
  stats: MachineStats;
}

/** Console bytes, base64 so both JSON (WebSocket) and structured clone carry them. */
export interface ConsoleChunk {
  name: string;
  port: number;
  data: string;
}

export interface VmStateEvent {
  name: string;
  state: VmState;
  reason?: string;
}

export interface VmLog {
  /** 0 = the current (or last) run, 1 = the one before, 2 = the oldest kept. */
  run: number;
  /** Runs that have a log (subset of [0, 1, 2]). */
  available: number[];
  text: string;
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

  // --- running VMs (main/node/vmhost) -------------------------------------------------
  /** Starts a powered-off or aborted VM; resolves once it runs (rejects with the reason). */
  startVm(name: string, options: StartOptions): Promise<VmStatus>;
  pauseVm(name: string): Promise<VmStatus>;
  resumeVm(name: string): Promise<VmStatus>;
  /** Hardware reset (the reset button). */
  resetVm(name: string): Promise<VmStatus>;
  /** ACPI-style power button: asks the guest to shut down; the guest may ignore it. */
  shutdownVm(name: string): Promise<VmStatus>;
  /** Forced power off; resolves once the VM process is gone. */
  powerOffVm(name: string): Promise<VmStatus>;
  getVmStatus(name: string): Promise<VmStatus>;
  /** Console output kept by the host (base64, at most the scrollback size) for a re-opened console. */
  attachConsole(name: string, port: number): Promise<string>;
  /** Keyboard → guest serial port (base64). */
  writeConsole(name: string, port: number, data: string): Promise<void>;
  /** Shadow and guest registers of every vCPU (pause first for a stable picture). */
  getVmRegisters(name: string): Promise<Record<string, string>[]>;
  readVmLog(name: string, run: number): Promise<VmLog>;
  onVmState(listener: (e: VmStateEvent) => void): () => void;
  onVmStats(listener: (e: VmStatsEvent) => void): () => void;
  onConsoleData(listener: (c: ConsoleChunk) => void): () => void;

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
export const MENU_COMMANDS = [
  'newVm',
  'settings',
  'cloneVm',
  'removeVm',
  'about',
  'startVm',
  'startHeadless',
  'pauseVm',
  'resetVm',
  'shutdownVm',
  'powerOffVm',
] as const;
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
  'startVm',
  'pauseVm',
  'resumeVm',
  'resetVm',
  'shutdownVm',
  'powerOffVm',
  'getVmStatus',
  'attachConsole',
  'writeConsole',
  'getVmRegisters',
  'readVmLog',
] as const;
export type ApiMethod = (typeof API_METHODS)[number];
export const API_EVENTS = [
  'libraryChanged',
  'menuCommand',
  'vmState',
  'vmStats',
  'consoleData',
] as const;
export type ApiEvent = (typeof API_EVENTS)[number];
