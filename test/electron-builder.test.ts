// Packaging cannot run offline (electron-builder downloads Electron and platform tools), so
// this test checks electron-builder.yml against electron-builder's own JSON schema and checks
// that everything it points at exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { load } from 'js-yaml';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const config = load(readFileSync(`${root}/electron-builder.yml`, 'utf8')) as Record<
  string,
  unknown
>;
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(
    config: unknown,
    logger: { isEnabled: boolean; add(): void },
  ): Promise<void>;
};
const logger = { isEnabled: false, add() {} };

test('electron-builder.yml validates against the electron-builder schema', async () => {
  await validateConfiguration(config, logger);
});

test('the schema check rejects an invalid option (the validator really runs)', async () => {
  await assert.rejects(validateConfiguration({ ...config, notAnOption: 1 }, logger), /notAnOption/);
});

test('targets: AppImage + deb, NSIS, dmg; native modules unpacked; no npm rebuild', () => {
  const c = config as {
    linux: { target: string[] };
    win: { target: string[] };
    mac: { target: string[] };
    asarUnpack: string[];
    npmRebuild: boolean;
    appId: string;
  };
  assert.deepEqual(c.linux.target, ['AppImage', 'deb']);
  assert.deepEqual(c.win.target, ['nsis']);
  assert.deepEqual(c.mac.target, ['dmg']);
  assert.ok(c.asarUnpack.some((p) => p.includes('node-pty')));
  assert.equal(c.npmRebuild, false);
  assert.match(c.appId, /^[a-z]+(\.[a-z]+)+$/);
});

test('icons referenced by the config exist', () => {
  for (const f of [
    'assets/icons/256x256.png',
    'assets/icons/512x512.png',
    'assets/icons/glaunch.ico',
    'assets/icons/glaunch.icns',
  ]) {
    assert.ok(existsSync(`${root}/${f}`), `${f} is missing`);
  }
});

test('package.json: name glaunch, main points at the Electron bundle, glaunch bin', () => {
  const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
    name: string;
    main: string;
    bin: Record<string, string>;
  };
  assert.equal(pkg.name, 'glaunch');
  assert.equal(pkg.main, 'dist/main/electron-main.cjs');
  assert.ok(pkg.bin.glaunch);
});
