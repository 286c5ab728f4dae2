/**
 * The native application menu as plain data; main/electron turns it into an Electron Menu and
 * makes `command` items send a 'menuCommand' event to the renderer, which acts on its selection.
 * Kept out of main/electron so the structure (and its shortcuts) is tested in plain Node.
 */
import type { MenuCommand } from '../../common/api';

export type MenuRole =
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'delete'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'quit'
  | 'close'
  | 'minimize'
  | 'appMenu'
  | 'windowMenu'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'front'
  | 'about'
  | 'services';

export interface MenuSpec {
  label?: string;
  role?: MenuRole;
  accelerator?: string;
  /**
   * false: the accelerator is shown in the menu but not registered with the system, so the key
   * reaches the page (Electron's MenuItem `registerAccelerator`). Used where the key is also
   * typed into a VM console: the renderer's own shortcut handler (renderer/app/shortcuts.ts)
   * runs the command outside the console and leaves the key to the guest inside it.
   */
  registerAccelerator?: false;
  command?: MenuCommand;
  type?: 'separator';
  submenu?: MenuSpec[];
}

const sep: MenuSpec = { type: 'separator' };

export function buildMenuSpec(o: { isMac: boolean; isDev: boolean }): MenuSpec[] {
  // Ctrl+letter keys belong to the guest while a VM console has the focus (Ctrl+C interrupt,
  // Ctrl+A/E line editing, Ctrl+Z suspend, Ctrl+N/S ...). A registered menu accelerator would
  // take them before the console sees them, so outside macOS they are only shown: File
  // commands are run by the renderer's shortcut handler (which skips them inside the console),
  // and the edit keys by Chromium itself in text fields. On macOS the menu keys use Command,
  // which a terminal never sends, so they stay registered (Cmd+C/V need the Edit menu there).
  // Kept registered on purpose: Ctrl+Q (quit; XON is not typed by hand), zoom (Ctrl+=/-/0),
  // and the Machine menu's Ctrl+Shift keys, which the console leaves to the app.
  const shownOnly: Pick<MenuSpec, 'registerAccelerator'> = o.isMac
    ? {}
    : { registerAccelerator: false };
  const file: MenuSpec = {
    label: '&File',
    submenu: [
      { label: 'New VM…', accelerator: 'CmdOrCtrl+N', command: 'newVm', ...shownOnly },
      { label: 'Clone VM…', command: 'cloneVm' },
      { label: 'Remove VM…', command: 'removeVm' },
      sep,
      { label: 'Settings…', accelerator: 'CmdOrCtrl+S', command: 'settings', ...shownOnly },
      sep,
      o.isMac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
    ],
  };
  const edit: MenuSpec = {
    label: '&Edit',
    submenu: [
      { role: 'undo', ...shownOnly },
      { role: 'redo', ...shownOnly },
      sep,
      { role: 'cut', ...shownOnly },
      { role: 'copy', ...shownOnly },
      { role: 'paste', ...shownOnly },
      { role: 'delete' },
      sep,
      { role: 'selectAll', ...shownOnly },
    ],
  };
  const view: MenuSpec = {
    label: '&View',
    submenu: [
      ...(o.isDev
        ? [
            { role: 'reload' } as MenuSpec,
            { role: 'forceReload' } as MenuSpec,
            { role: 'toggleDevTools' } as MenuSpec,
            sep,
          ]
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      sep,
      { role: 'togglefullscreen' },
    ],
  };
  // Ctrl+Shift like the renderer's shortcuts (renderer/app/shortcuts.ts): plain Ctrl+letters
  // typed in a VM console must reach the guest.
  const machine: MenuSpec = {
    label: '&Machine',
    submenu: [
      { label: 'Start', accelerator: 'CmdOrCtrl+Shift+S', command: 'startVm' },
      { label: 'Start Headless', accelerator: 'CmdOrCtrl+Shift+L', command: 'startHeadless' },
      { label: 'Pause / Resume', accelerator: 'CmdOrCtrl+Shift+P', command: 'pauseVm' },
      { label: 'Reset', accelerator: 'CmdOrCtrl+Shift+E', command: 'resetVm' },
      sep,
      { label: 'ACPI Shutdown', accelerator: 'CmdOrCtrl+Shift+H', command: 'shutdownVm' },
      { label: 'Power Off', accelerator: 'CmdOrCtrl+Shift+F', command: 'powerOffVm' },
    ],
  };
  const help: MenuSpec = {
    label: '&Help',
    submenu: [{ label: 'About Glaunch', command: 'about' }],
  };
  return o.isMac
    ? [{ role: 'appMenu' }, file, edit, view, machine, { role: 'windowMenu' }, help]
    : [file, edit, view, machine, help];
}
