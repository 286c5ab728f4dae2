// The V8 code cache loader (main/node/boot/code-cache.ts), in child processes: the cache is
// written at exit, used by the next run, replaced when stale or corrupt, and never changes
// what the bundle does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tmpDir } from '../../helpers/tmp';
import {
  cacheFileName,
  ProgramFileError,
  runWithCodeCache,
} from '../../../../main/node/boot/code-cache';

const loader = pathToFileURL(
  path.resolve(import.meta.dirname, '../../../../main/node/boot/code-cache.ts'),
).href;

/** A CommonJS bundle that uses the module variables a real bundle uses. */
const BUNDLE = `#!/usr/bin/env node
"use strict";
const path = require("node:path");
function work(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
module.exports.answer = 42;
process.stdout.write(JSON.stringify({ file: path.basename(__filename), dir: path.basename(__dirname),
  exportsOk: module.exports === exports, sum: work(1000)}) + "\\n");
`;

function run(bundle: string, cacheDir: string, profile = 'test', env: Record<string, string> = {}) {
  const code = `import { runWithCodeCache } from ${JSON.stringify(loader)};
    const r = runWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(profile)});
    process.stderr.write(r.cache);`;
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code, 'x', 'y'],
    {
      encoding: 'utf8',
      env: { ...process.env, GLAUNCH_CACHE_DIR: cacheDir, GLAUNCH_CODE_CACHE: '', ...env },
    },
  );
  assert.equal(r.status, 0, r.stderr);
  return {
    out: JSON.parse(r.stdout) as Record<string, unknown>,
    cache: r.stderr.trim().split('\n').pop(),
  };
}

function setup(): { bundle: string; cacheDir: string } {
  const dir = tmpDir();
  const bundle = path.join(dir, 'app-main.cjs');
  writeFileSync(bundle, BUNDLE);
  return { bundle, cacheDir: path.join(dir, 'cache') };
}

test('first run compiles and writes the cache at exit; the next run uses it; same output', () => {
  const { bundle, cacheDir } = setup();
  const a = run(bundle, cacheDir);
  assert.equal(a.cache, 'miss');
  assert.deepEqual(a.out, { file: 'app-main.cjs', dir: path.basename(path.dirname(bundle)), exportsOk: true, sum: 2997 }); // prettier-ignore
  assert.deepEqual(readdirSync(cacheDir), [cacheFileName(bundle, 'test')]);
  const b = run(bundle, cacheDir);
  assert.equal(b.cache, 'hit');
  assert.deepEqual(b.out, a.out);
});

test('a corrupt cache is rejected, the bundle still runs, and a good cache replaces it', () => {
  const { bundle, cacheDir } = setup();
  run(bundle, cacheDir);
  writeFileSync(path.join(cacheDir, cacheFileName(bundle, 'test')), 'not a V8 code cache');
  const r = run(bundle, cacheDir);
  assert.equal(r.cache, 'rejected');
  assert.equal(r.out.sum, 2997);
  assert.equal(run(bundle, cacheDir).cache, 'hit');
});

test('a changed bundle gets a new cache and the stale one is removed; profiles are separate', () => {
  const { bundle, cacheDir } = setup();
  run(bundle, cacheDir);
  run(bundle, cacheDir, 'other-cmd');
  const old = cacheFileName(bundle, 'test');
  writeFileSync(bundle, BUNDLE + '\n// changed\n');
  utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
  assert.equal(run(bundle, cacheDir).cache, 'miss');
  const files = readdirSync(cacheDir).sort();
  assert.ok(!files.includes(old), 'stale cache of the same profile removed');
  assert.ok(files.includes(cacheFileName(bundle, 'test')));
  assert.equal(files.filter((f) => f.includes('-other-cmd-')).length, 1, 'other profile kept');
});

test('GLAUNCH_CODE_CACHE=0 writes nothing; odd profile names share one file', () => {
  const { bundle, cacheDir } = setup();
  assert.equal(run(bundle, cacheDir, 'test', { GLAUNCH_CODE_CACHE: '0' }).cache, 'off');
  assert.throws(() => readdirSync(cacheDir));
  run(bundle, cacheDir, '../../etc/passwd');
  assert.deepEqual(readdirSync(cacheDir), [cacheFileName(bundle, 'x y')]);
  assert.match(readdirSync(cacheDir)[0], /^app-main\.cjs-other-/);
});

test('a missing bundle is a ProgramFileError that names the file (the loaders print it as one line)', () => {
  const missing = path.join(tmpDir(), 'gone-main.cjs');
  assert.throws(
    () => runWithCodeCache(missing, 'test'),
    (e) =>
      e instanceof ProgramFileError && e.message.includes(missing) && /is missing/.test(e.message),
  );
});
