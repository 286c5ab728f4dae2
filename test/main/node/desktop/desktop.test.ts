import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_STATE,
  loadWindowState,
  restoreWindowState,
  saveWindowState,
} from '../../../../main/node/desktop/window-state';
import { buildMenuSpec, type MenuSpec } from '../../../../main/node/desktop/menu-spec';
import { matchShortcut, worksInConsole } from '../../../../renderer/app/shortcuts';
import { readAppFile } from '../../../../main/node/desktop/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../../../main/common/csp';
import { tmpDir } from '../../helpers/tmp';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  test('round trip through the file', async () => {
    const f = path.join(tmpDir(), 'window-state.json');
    await saveWindowState(f, { x: 10, y: 20, width: 1000, height: 700 }, true);
    assert.deepEqual(await loadWindowState(f, screen), {
      bounds: { x: 10, y: 20, width: 1000, height: 700 },
      width: 1000,
      height: 700,
      maximized: true,
    });
  });
  test('missing or damaged file gives the default', async () => {
    const f = path.join(tmpDir(), 'w.json');
    assert.deepEqual(await loadWindowState(f, screen), DEFAULT_STATE);
    writeFileSync(f, '{"x": 1,');
    assert.deepEqual(await loadWindowState(f, screen), DEFAULT_STATE);
    assert.deepEqual(restoreWindowState({ x: 'a' }, screen), DEFAULT_STATE);
  });
  test('off-screen bounds keep the size but drop the position; tiny sizes grow to the minimum', () => {
    const s = restoreWindowState(
      { x: 5000, y: 100, width: 900, height: 600, maximized: false },
      screen,
    );
    assert.equal(s.bounds, undefined);
    assert.equal(s.width, 900);
    const t = restoreWindowState({ x: 0, y: 0, width: 10, height: 10 }, screen);
    assert.deepEqual(t.bounds, { x: 0, y: 0, width: 800, height: 560 });
  });
});

describe('application menu', () => {
  const flat = (m: MenuSpec[]): MenuSpec[] => m.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
  test('File commands with shortcuts; edit roles; zoom; about', () => {
    const items = flat(buildMenuSpec({ isMac: false, isDev: false }));
    const byCmd = (c: string) => items.find((i) => i.command === c);
    assert.equal(byCmd('newVm')?.accelerator, 'CmdOrCtrl+N');
    assert.equal(byCmd('settings')?.accelerator, 'CmdOrCtrl+S');
    assert.ok(byCmd('cloneVm') && byCmd('removeVm') && byCmd('about'));
    for (const r of [
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'selectAll',
      'zoomIn',
      'zoomOut',
      'resetZoom',
      'quit',
    ]) {
      assert.ok(
        items.some((i) => i.role === r),
        r,
      );
    }
    assert.ok(!items.some((i) => i.role === 'toggleDevTools' || i.role === 'reload'));
  });
  test("Machine menu: every VM command, with the renderer's Ctrl+Shift shortcuts", () => {
    const items = flat(buildMenuSpec({ isMac: false, isDev: false }));
    const acc = (c: string) => items.find((i) => i.command === c)?.accelerator;
    assert.equal(acc('startVm'), 'CmdOrCtrl+Shift+S');
    assert.equal(acc('startHeadless'), 'CmdOrCtrl+Shift+L');
    assert.equal(acc('pauseVm'), 'CmdOrCtrl+Shift+P');
    assert.equal(acc('resetVm'), 'CmdOrCtrl+Shift+E');
    assert.equal(acc('shutdownVm'), 'CmdOrCtrl+Shift+H');
    assert.equal(acc('powerOffVm'), 'CmdOrCtrl+Shift+F');
  });
  test('Ctrl+letter accelerators a console needs are shown but not registered (not on macOS)', () => {
    const items = flat(buildMenuSpec({ isMac: false, isDev: false }));
    const shownOnly = (i: MenuSpec) => i.registerAccelerator === false;
    for (const c of ['newVm', 'settings'])
      assert.ok(shownOnly(items.find((i) => i.command === c)!), c);
    for (const r of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll'])
      assert.ok(shownOnly(items.find((i) => i.role === r)!), r);
    // The Machine menu's Ctrl+Shift keys and quit stay registered.
    for (const i of items.filter((x) => x.accelerator?.includes('Shift') || x.role === 'quit'))
      assert.equal(i.registerAccelerator, undefined, i.label ?? i.role);
    // The renderer's handler runs them outside the console and leaves them to it inside.
    const key = (k: string) => ({
      key: k,
      ctrlKey: true,
      metaKey: false,
      altKey: false,
      shiftKey: false,
    });
    assert.equal(matchShortcut(key('n'), false), 'newVm');
    assert.equal(matchShortcut(key('s'), false), 'settings');
    assert.ok(!worksInConsole('newVm') && !worksInConsole('settings'));
    const mac = flat(buildMenuSpec({ isMac: true, isDev: false }));
    assert.ok(!mac.some(shownOnly));
  });
  test('dev adds reload and devtools; macOS gets the app and window menus', () => {
    const dev = flat(buildMenuSpec({ isMac: false, isDev: true }));
    assert.ok(dev.some((i) => i.role === 'toggleDevTools') && dev.some((i) => i.role === 'reload'));
    const mac = buildMenuSpec({ isMac: true, isDev: false });
    assert.equal(mac[0].role, 'appMenu');
    assert.ok(mac.some((i) => i.role === 'windowMenu'));
  });
});

describe('app:// protocol', () => {
  const dir = path.join(tmpDir(), 'renderer');
  mkdirSync(path.join(dir, 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<html>');
  writeFileSync(path.join(dir, 'assets', 'a.js'), 'x');
  test('serves files with CSP and content type', async () => {
    const f = await readAppFile(dir, 'app://glaunch/index.html');
    assert.equal(f.status, 200);
    assert.equal(f.headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY);
    assert.match(f.headers['Content-Type'], /text\/html/);
    assert.match(
      (await readAppFile(dir, 'app://glaunch/assets/a.js')).headers['Content-Type'],
      /javascript/,
    );
    assert.equal((await readAppFile(dir, 'app://glaunch/')).status, 200);
  });
  test('refuses other hosts, escapes, missing files', async () => {
    assert.equal((await readAppFile(dir, 'app://other/index.html')).status, 403);
    assert.equal((await readAppFile(dir, 'app://glaunch/%2e%2e/%2e%2e/etc/passwd')).status, 404);
    const esc = await readAppFile(dir, 'app://glaunch/..%2f..%2fetc%2fpasswd');
    assert.notEqual(esc.status, 200);
    assert.equal((await readAppFile(dir, 'app://glaunch/nope.js')).status, 404);
    assert.ok(!readFileSync(path.join(dir, 'index.html'), 'utf8').includes('root'));
  });
});
