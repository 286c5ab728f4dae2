/**
 * Where the VM library lives. The CLI, web mode and the desktop app share one default so that a
 * VM created with `glaunch create` shows up in the GUI:
 *   $GLAUNCH_HOME                                  if set (all three honour it)
 *   Linux/BSD:  $XDG_DATA_HOME/glaunch, else ~/.local/share/glaunch
 *   macOS:      ~/Library/Application Support/Glaunch/VMs
 *   Windows:    %APPDATA%\Glaunch\VMs
 * Inside the library: one folder per VM; `.glaunch/` holds preferences, `.removed/` holds VMs
 * removed without deleting their files. Dot-folders are never listed as VMs.
 */
import os from 'node:os';
import path from 'node:path';

export interface PathEnv {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  home: string;
}

export function defaultLibraryPath(
  p: PathEnv = { env: process.env, platform: process.platform, home: os.homedir() },
): string {
  const fromEnv = p.env.GLAUNCH_HOME;
  if (fromEnv && fromEnv.trim() !== '') return path.resolve(fromEnv);
  if (p.platform === 'win32') {
    const appData = p.env.APPDATA ?? path.join(p.home, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Glaunch', 'VMs');
  }
  if (p.platform === 'darwin')
    return path.join(p.home, 'Library', 'Application Support', 'Glaunch', 'VMs');
  const xdg = p.env.XDG_DATA_HOME;
  return path.join(
    xdg && path.isAbsolute(xdg) ? xdg : path.join(p.home, '.local', 'share'),
    'glaunch',
  );
}

export const VM_FILE = 'vm.json';
export const META_DIR = '.glaunch';
export const REMOVED_DIR = '.removed';
export const PREFERENCES_FILE = 'preferences.json';
