/**
 * How the CLI finds the VM host of a library: `glaunch web` (the web-mode host) writes
 * `<library>/.glaunch/host.json` — its pid, address and session token, readable by the user
 * only — while it serves, and removes it when it stops. `glaunch start/stop/status` read it
 * and talk to that host over its WebSocket, so the CLI and the browser see the same VMs. A
 * file whose process is gone is stale and ignored.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { META_DIR } from '../library/paths';

export const HOST_FILE = 'host.json';

export interface HostInfo {
  pid: number;
  port: number;
  token: string;
  url: string;
}

export function hostFilePath(library: string): string {
  return path.join(library, META_DIR, HOST_FILE);
}

export async function writeHostFile(library: string, info: HostInfo): Promise<void> {
  await mkdir(path.join(library, META_DIR), { recursive: true });
  await writeFile(hostFilePath(library), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
}

export async function removeHostFile(library: string, pid = process.pid): Promise<void> {
  // Only our own: another host may have replaced it meanwhile.
  const info = await readHostFile(library, false);
  if (info && info.pid !== pid) return;
  await rm(hostFilePath(library), { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running host of this library, or null (none, unreadable, or its process is gone). */
export async function readHostFile(library: string, checkAlive = true): Promise<HostInfo | null> {
  let raw: string;
  try {
    raw = await readFile(hostFilePath(library), 'utf8');
  } catch {
    return null;
  }
  try {
    const v = JSON.parse(raw) as Partial<HostInfo>;
    if (
      typeof v.pid !== 'number' ||
      typeof v.port !== 'number' ||
      typeof v.token !== 'string' ||
      typeof v.url !== 'string'
    )
      return null;
    if (checkAlive && !alive(v.pid)) return null;
    return v as HostInfo;
  } catch {
    return null;
  }
}
