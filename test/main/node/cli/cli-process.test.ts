// The CLI as a real process: bundled with the same esbuild settings as esbuild.config.mjs (so
// the bundle-only paths — package.json inlining, import.meta.url shim — are exercised), and
// once through tsx from sources.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../../../../main/node/build/node-bundle.mjs';
import { tmpDir } from '../../helpers/tmp';

const root = path.resolve(import.meta.dirname, '../../../..');
let bundle = '';

function run(cmd: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, cmd, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('glaunch as a child process', () => {
  before(async () => {
    bundle = path.join(tmpDir(), 'main', 'glaunch-cli.cjs');
    await build({
      ...nodeBundleOptions(root),
      entryPoints: [path.join(root, 'main/node/cli/glaunch.ts')],
      outfile: bundle,
      logLevel: 'error',
    });
  });
  test('bundle: --version and --help', () => {
    const v = run([bundle, '--version']);
    assert.equal(v.code, 0);
    assert.match(v.out, /^glaunch \d+\.\d+\.\d+\n$/);
    assert.match(run([bundle, '--help']).out, /Commands:/);
  });
  test('bundle: create, list --json, bad flag exit 2, not found exit 1', () => {
    const lib = path.join(tmpDir(), 'lib');
    const c = run([bundle, 'create', 'Proc', '--preset', 'e8c2', '--ram', '512M'], {
      GLAUNCH_HOME: lib,
    });
    assert.equal(c.code, 0, c.err);
    const l = run([bundle, '--library', lib, 'list', '--json']);
    assert.equal(JSON.parse(l.out)[0].config.memoryMiB, 512);
    const bad = run([bundle, '--library', lib, 'create', 'X', '--preset', 'e8c', '--ram', '2X']);
    assert.equal(bad.code, 2);
    assert.equal(bad.err, "glaunch: create: --ram: '2X' is not a size (use e.g. 512M or 2G)\n");
    const nf = run([bundle, '--library', lib, 'show', 'Nope']);
    assert.equal(nf.code, 1);
    assert.match(nf.err, /^glaunch: show: no VM named 'Nope'/);
  });
  test('tsx from sources: delete --files', () => {
    const lib = path.join(tmpDir(), 'lib');
    const tsx = ['--import', 'tsx', 'main/node/cli/glaunch.ts', '--library', lib];
    assert.equal(run([...tsx, 'create', 'T', '--preset', 'e2s']).code, 0);
    const d = run([...tsx, 'delete', 'T', '--files']);
    assert.equal(d.code, 0, d.err);
    assert.match(run([...tsx, 'list']).out, /No VMs/);
  });
});
