// End-to-end: a real VM in headless Chromium through web mode. Creates a VM with the demo
// disk in the wizard, starts it, waits for the demo shell's prompt in the xterm console,
// types `info` and reads the answer, sees the monitor's counters move, powers off from the
// guest, then kills a VM process from the test and sees "aborted" with the reason.
// Screenshots of the console and the monitor land in test-output/screenshots/.
//
// Needs the real machine: the board with its VMM (emulator/machine projectVmm) and the built
// demo image and ROM (npm run build → assets/guest/). Skipped, saying why, until they exist.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectVmm } from '../../emulator/machine/index';
import {
  launchBrowser,
  root,
  screenshot,
  startWebServer,
  tempLibrary,
  type WebServer,
} from './support';

const demoImage = join(root, 'assets/guest/demo-os.img');
const rom = join(root, 'assets/guest/rom.bin');
const missing = [
  ...(projectVmm ? [] : ['the VMM (emulator/machine/index.ts projectVmm is null)']),
  ...(existsSync(demoImage) ? [] : [`${demoImage} (npm run build)`]),
  ...(existsSync(rom) ? [] : [`${rom} (npm run build)`]),
];
const skip = missing.length > 0 ? `needs ${missing.join(', ')}` : false;

let server: WebServer;
let browser: Browser;
let page: Page;
const byId = (id: string) => `[data-testid="${id}"]`;

before(async () => {
  if (skip) return;
  server = await startWebServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The console's visible text, one line per terminal row. */
async function consoleText(): Promise<string> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid="console-terminal"] .xterm-rows > div')]
      .map((r) => r.textContent ?? '')
      .join('\n'),
  );
}

async function waitConsole(re: RegExp, timeoutMs = 120_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < end) {
    text = await consoleText();
    if (re.test(text)) return text;
    await page.waitForTimeout(250);
  }
  throw new Error(`the console never showed ${re}; it shows:\n${text}`);
}

async function listState(name: string): Promise<string> {
  return (await page.locator(byId(`vm-list-item-${name}`)).textContent()) ?? '';
}

test('create a VM with the demo disk, boot it to the shell and run info', { skip }, async () => {
  const disk = join(tempLibrary('glaunch-e2e-disk-'), 'demo-os.img');
  copyFileSync(demoImage, disk); // the guest may write to its disk: never to the built asset
  await page.goto(server.url);
  await page.locator(byId('toolbar-new')).click();
  await page.locator(byId('wizard-name')).fill('Demo');
  await page.locator(byId('wizard-preset-e8c2')).check();
  await page.locator(byId('wizard-next')).click();
  await page.locator(byId('wizard-memory')).fill('256');
  await page.locator(byId('wizard-next')).click();
  await page.locator(byId('wizard-existing-disk')).check();
  await page.locator(byId('wizard-disk-path')).fill(disk);
  await page.locator(byId('wizard-next')).click();
  await page.locator(byId('wizard-create')).click();
  await page.locator(byId('vm-list-item-Demo')).click();

  await page.locator(byId('toolbar-start')).click();
  await page.mouse.move(700, 600);
  await page.locator(byId('console-terminal')).waitFor();
  await waitConsole(/gsh\$\s*$/); // xterm's rows end in non-breaking spaces
  assert.match(await listState('Demo'), /Running/);
  await page.locator(byId('console-terminal')).click();
  await page.keyboard.type('info\r');
  const text = await waitConsole(/machine: e2k[\s\S]*uptime:[\s\S]*gsh\$\s*$/);
  assert.match(text, /cpu model: .*e8c2/i);
  await screenshot(page, 'run-console');
});

test('the monitor shows the counters moving', { skip }, async () => {
  await page.locator(byId('vm-tab-monitor')).click();
  const total = page.locator(byId('monitor-exits-total'));
  await total.waitFor();
  const read = async () => Number(((await total.textContent()) ?? '').replace(/[^0-9]/g, ''));
  const first = await read();
  // The idle guest still takes timer interrupts and quantum exits.
  const end = Date.now() + 20_000;
  let later = first;
  while (later <= first && Date.now() < end) {
    await page.waitForTimeout(300);
    later = await read();
  }
  assert.ok(later > first, `exits did not grow: ${first} → ${later}`);
  await page.waitForTimeout(1500); // a few more samples for the charts
  await screenshot(page, 'run-monitor');
});

test('the guest powers itself off and the state follows', { skip }, async () => {
  await page.locator(byId('vm-tab-console')).click();
  await page.locator(byId('console-terminal')).click();
  await page.keyboard.type('poweroff\r');
  await page
    .locator(byId('vm-list-item-Demo'))
    .getByText('Powered off')
    .waitFor({ timeout: 30_000 });
});

test('a killed VM process shows aborted with the reason and starts again', { skip }, async () => {
  await page.locator(byId('toolbar-start')).click();
  await page.mouse.move(700, 600);
  await page.locator(byId('vm-list-item-Demo')).getByText('Running').waitFor({ timeout: 30_000 });
  const status = await fetchStatus();
  assert.ok(status.pid, 'the VM process has a pid');
  process.kill(status.pid, 'SIGKILL');
  await page.locator(byId('vm-list-item-Demo')).getByText('Aborted').waitFor({ timeout: 20_000 });
  await page
    .locator(byId('vm-aborted'))
    .getByText('The machine aborted: the VM process was killed (SIGKILL)')
    .waitFor();
  await screenshot(page, 'run-aborted');
  await page.locator(byId('toolbar-start')).click();
  await page.locator(byId('vm-list-item-Demo')).getByText('Running').waitFor({ timeout: 30_000 });
  await page.locator(byId('toolbar-poweroff')).click();
  await page
    .locator(byId('vm-list-item-Demo'))
    .getByText('Powered off')
    .waitFor({ timeout: 20_000 });
});

/** The VM's status through the page's own API connection (same host as the GUI). */
async function fetchStatus(): Promise<{ pid: number; state: string }> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync(
    process.execPath,
    [
      join(root, 'dist/main/glaunch-cli.cjs'),
      '--library',
      server.library,
      'status',
      'Demo',
      '--json',
    ],
    { encoding: 'utf8' },
  );
  return JSON.parse(out) as { pid: number; state: string };
}
