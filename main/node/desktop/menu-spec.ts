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
  command?: MenuCommand;
  type?: 'separator';
  submenu?: MenuSpec[];
}

const sep: MenuSpec = { type: 'separator' };

export function buildMenuSpec(o: { isMac: boolean; isDev: boolean }): MenuSpec[] {
  const file: MenuSpec = {
    label: '&File',
    submenu: [
      { label: 'New VM…', accelerator: 'CmdOrCtrl+N', command: 'newVm' },
      { label: 'Clone VM…', command: 'cloneVm' },
      { label: 'Remove VM…', command: 'removeVm' },
      sep,
      { label: 'Settings…', accelerator: 'CmdOrCtrl+S', command: 'settings' },
      sep,
      o.isMac ? { role: 'close' } : { role: 'quit', accelerator: 'Ctrl+Q' },
    ],
  };
  const edit: MenuSpec = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      sep,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      sep,
      { role: 'selectAll' },
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
