// The Electron binary cannot run here, so check what can be checked without it: the preload
// bundles to CommonJS that requires nothing but 'electron' (a sandboxed preload cannot load
// anything else), and the main bundle keeps electron external and the security settings on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../../../main/node/build/node-bundle.mjs';

const root = path.resolve(import.meta.dirname, '../../..');

async function bundle(entry: string): Promise<string> {
  const r = await build({
    ...nodeBundleOptions(root),
    entryPoints: [path.join(root, entry)],
    write: false,
    logLevel: 'error',
  });
  return r.outputFiles[0].text;
}

const requires = (code: string) =>
  [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))].sort();

test('preload: CommonJS requiring only electron, exposing window.glaunch', async () => {
  const code = await bundle('main/electron/preload.ts');
  assert.deepEqual(requires(code), ['electron']);
  assert.match(code, /exposeInMainWorld\("glaunch"/);
  assert.ok(!/\bimport\s/.test(code.replace(/\/\/.*$/gm, '')), 'no ESM import statements');
});

test('main: electron external, hardened webPreferences, CSP header, sender-checked IPC', async () => {
  const code = await bundle('main/electron/main.ts');
  assert.ok(requires(code).includes('electron'));
  const src = readFileSync(path.join(root, 'main/electron/main.ts'), 'utf8');
  for (const s of [
    'contextIsolation: true',
    'sandbox: true',
    'nodeIntegration: false',
    'webSecurity: true',
    'requestSingleInstanceLock',
    'setWindowOpenHandler',
    "'will-navigate'",
    'setPermissionRequestHandler',
    'onHeadersReceived',
    'handleIpcCall',
  ]) {
    assert.ok(src.includes(s), s);
  }
});
