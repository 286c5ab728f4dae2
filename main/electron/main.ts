/**
 * Electron main process: a thin adapter. All logic (library, API, argument validation, sender
 * checks, window-state file, menu structure, app:// file mapping) lives in main/node and
 * main/common where it is tested in plain Node; this file wires Electron objects to it.
 *
 * Security: contextIsolation + sandbox, no Node in the renderer, the UI served from app://glaunch
 * with the shared CSP header, navigation and new windows blocked (http(s) links open in the
 * browser), all permission requests denied, every IPC call checked for its sender and arguments.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  protocol,
  screen,
  session,
  shell,
} from 'electron';
import type { IpcMainEvent, IpcMainInvokeEvent, MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_METHODS, type ApiEvent } from '../common/api';
import { CONTENT_SECURITY_POLICY } from '../common/csp';
import {
  IPC_CONSOLE_PORT_CHANNEL,
  IPC_CONSOLE_PORT_REQUEST,
  IPC_EVENT_CHANNEL,
  ipcChannel,
} from '../common/ipc';
import { createApiService, type ApiService } from '../node/api/service';
import { APP_INDEX_URL, APP_ORIGIN, APP_SCHEME, readAppFile } from '../node/desktop/app-protocol';
import {
  handleIpcCall,
  untrustedSenderReason,
  type IpcSenderFacts,
} from '../node/desktop/ipc-guard';
import { buildMenuSpec, type MenuSpec } from '../node/desktop/menu-spec';
import {
  loadWindowState,
  MIN_HEIGHT,
  MIN_WIDTH,
  saveWindowState,
} from '../node/desktop/window-state';
import { VmLibrary } from '../node/library/library';
import { defaultLibraryPath } from '../node/library/paths';
import { defaultRendererDir } from '../node/web/static-files';
import { ConsoleBroker } from '../node/vmhost/console-broker';
import { VmHost } from '../node/vmhost/host';
import { utilityLauncher } from './vm-launcher';

const isDev = !app.isPackaged;
/** Dev only: load the renderer from the Vite dev server instead of app://. */
const devUrl = isDev ? process.env.GLAUNCH_RENDERER_URL : undefined;
const appOrigins = [APP_ORIGIN, ...(devUrl ? [new URL(devUrl).origin] : [])];

let mainWindow: BrowserWindow | null = null;
let api: ApiService | null = null;
let library: VmLibrary | null = null;
let host: VmHost | null = null;
let quitting = false;

// Must happen before 'ready': app:// behaves like https (standard, secure origin, fetch).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit(); // another Glaunch is running; it gets 'second-instance' and comes to the front
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!mainWindow && app.isReady()) void createWindow();
  });
  app.on('before-quit', (event) => {
    // Running VMs are powered off (forcibly after a timeout) before the app goes.
    if (quitting || !host || host.activeNames().length === 0) return;
    event.preventDefault();
    quitting = true;
    void host.powerOffAll().finally(() => app.quit());
  });
  app.on('will-quit', () => {
    api?.dispose();
    library?.close();
  });
  app.on('web-contents-created', (_e, contents) => hardenContents(contents));
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => fatal(e));
}

async function start(): Promise<void> {
  const rendererDir = defaultRendererDir();
  protocol.handle(APP_SCHEME, async (request) => {
    const f = await readAppFile(rendererDir, request.url);
    return new Response(typeof f.body === 'string' ? f.body : new Uint8Array(f.body), {
      status: f.status,
      headers: f.headers,
    });
  });
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  library = new VmLibrary(defaultLibraryPath());
  await library.watch();
  host = new VmHost({ library, launcher: utilityLauncher() });
  api = createApiService({ library, mode: 'electron', pickFile, host });
  api.onLibraryChanged(() => sendEvent('libraryChanged'));
  api.onVmState((e) => sendEvent('vmState', e));
  api.onVmStats((e) => sendEvent('vmStats', e));
  // Console bytes do not pass through here: each window gets a MessagePort to the VM process.
  const broker = new ConsoleBroker({
    host,
    newChannel() {
      const { port1, port2 } = new MessageChannelMain();
      return { vmEnd: port1, windowEnd: port2, close: () => port1.close() };
    },
    toWindow(name, end) {
      if (!mainWindow || mainWindow.isDestroyed()) return false;
      mainWindow.webContents.postMessage(IPC_CONSOLE_PORT_CHANNEL, { name }, [
        end as Electron.MessagePortMain,
      ]);
      return true;
    },
  });
  ipcMain.on(IPC_CONSOLE_PORT_REQUEST, (event, name: unknown) => {
    const trusted = { mainWindowId: mainWindow?.webContents.id, origins: appOrigins };
    if (untrustedSenderReason(senderFacts(event), trusted) !== null) return;
    if (typeof name === 'string' && name.length > 0 && name.length <= 200) broker.request(name);
  });
  for (const method of API_METHODS) {
    ipcMain.handle(ipcChannel(method), (event, ...args: unknown[]) =>
      handleIpcCall(api!, method, args, senderFacts(event), {
        mainWindowId: mainWindow?.webContents.id,
        origins: appOrigins,
      }),
    );
  }
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      toElectronMenu(buildMenuSpec({ isMac: process.platform === 'darwin', isDev })),
    ),
  );
  await createWindow();
}

async function createWindow(): Promise<void> {
  const stateFile = path.join(app.getPath('userData'), 'window-state.json');
  const state = await loadWindowState(
    stateFile,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(state.bounds ?? { width: state.width, height: state.height, center: true }),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Glaunch',
    webPreferences: {
      preload: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: isDev,
      spellcheck: false,
    },
  });
  mainWindow = win;
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  // Remember the normal (un-maximized) bounds; debounced while dragging, final on close.
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (win.isDestroyed() || win.isMinimized()) return;
    saveWindowState(stateFile, win.getNormalBounds(), win.isMaximized()).catch((e: unknown) =>
      console.error('glaunch: cannot save window state:', e),
    );
  };
  for (const ev of ['resize', 'move', 'maximize', 'unmaximize'] as const) {
    win.on(ev as 'resize', () => {
      clearTimeout(timer);
      timer = setTimeout(save, 500);
    });
  }
  win.on('close', () => {
    clearTimeout(timer);
    save();
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  await win.loadURL(devUrl ?? APP_INDEX_URL);
}

/** No navigation away from the app, no new windows, no webviews; external links go to the browser. */
function hardenContents(contents: Electron.WebContents): void {
  const openExternally = (url: string) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
  };
  contents.on('will-navigate', (event, url) => {
    const sameApp = appOrigins.some((o) => url.startsWith(o + '/'));
    if (sameApp && isDev) return; // dev reload
    event.preventDefault();
    openExternally(url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function senderFacts(event: IpcMainInvokeEvent | IpcMainEvent): IpcSenderFacts {
  const frame = event.senderFrame;
  return {
    senderId: event.sender.id,
    frameUrl: frame ? frame.url : null,
    isMainFrame: frame !== null && frame.parent === null,
  };
}

function sendEvent(name: ApiEvent, payload?: unknown): void {
  if (mainWindow && !mainWindow.isDestroyed())
    mainWindow.webContents.send(IPC_EVENT_CHANNEL, name, payload);
}

async function pickFile(o: {
  title?: string;
  filters?: { name: string; extensions: string[] }[];
}): Promise<string | null> {
  const opts = { title: o.title, filters: o.filters, properties: ['openFile' as const] };
  const r = mainWindow
    ? await dialog.showOpenDialog(mainWindow, opts)
    : await dialog.showOpenDialog(opts);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

function toElectronMenu(spec: MenuSpec[]): MenuItemConstructorOptions[] {
  return spec.map((s) => {
    const item: MenuItemConstructorOptions = {};
    if (s.type) item.type = s.type;
    if (s.label) item.label = s.label;
    if (s.role) item.role = s.role;
    if (s.accelerator) item.accelerator = s.accelerator;
    if (s.registerAccelerator === false) item.registerAccelerator = false;
    if (s.command) {
      const command = s.command;
      item.click = () => sendEvent('menuCommand', command);
    }
    if (s.submenu) item.submenu = toElectronMenu(s.submenu);
    return item;
  });
}

function fatal(e: unknown): void {
  dialog.showErrorBox('Glaunch cannot start', e instanceof Error ? e.message : String(e));
  app.exit(1);
}
