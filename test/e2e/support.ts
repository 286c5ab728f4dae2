// Shared helpers of the end-to-end tests: a real `glaunch web` server from the built bundle
// (npm run build) on a temporary library, and Debian's headless Chromium driven by
// playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const root = new URL('../..', import.meta.url).pathname;
export const screenshotDir = join(root, 'test-output', 'screenshots');

export interface WebServer {
  url: string;
  library: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function tempLibrary(prefix = 'glaunch-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts `glaunch web` on a free port and resolves once it printed its URL. */
export async function startWebServer(library = tempLibrary()): Promise<WebServer> {
  const cli = join(root, 'dist/main/glaunch-cli.cjs');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
  const child = spawn(
    process.execPath,
    [cli, 'web', '--port', '0', '--library', library, '--no-open'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GLAUNCH_HOME: library },
    },
  );
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`glaunch web did not print its URL:\n${out}`)),
      20_000,
    );
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\S*token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`glaunch web exited with ${code}:\n${out}`)));
  });
  return {
    url,
    library,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, `${name}.png`);
  // Let MUI's transitions and ripples settle so the picture shows the resting state.
  await page.waitForTimeout(400);
  await page.screenshot({ path: file });
  return file;
}
