// `glaunch web` through the CLI: prints the tokened URL, serves, and stops on abort (Ctrl+C).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cli } from '../../helpers/cli';
import { tmpDir } from '../../helpers/tmp';

test('glaunch web --no-open serves until stopped', async () => {
  const stop = new AbortController();
  let opened = false;
  let ready!: (url: string) => void;
  const url = new Promise<string>((r) => (ready = r));
  const run = cli(path.join(tmpDir(), 'lib'), ['web', '--no-open'], {
    signal: stop.signal,
    onWebReady: ready,
    openUrl: () => (opened = true),
  });
  const u = await url;
  assert.match(u, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  const denied = await fetch(u.replace(/\?token=.*/, ''));
  assert.equal(denied.status, 403);
  const page = await fetch(u);
  assert.ok(page.status === 200 || page.status === 503, `status ${page.status}`); // 503: renderer not built
  stop.abort();
  const r = await run;
  assert.equal(r.code, 0);
  assert.match(r.out, /^Glaunch web UI: http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n/);
  assert.equal(opened, false);
});

test('glaunch web reports a port in use as one line, exit 1', async () => {
  const stop = new AbortController();
  let ready!: (url: string) => void;
  const url = new Promise<string>((r) => (ready = r));
  const first = cli(path.join(tmpDir(), 'lib'), ['web', '--no-open'], {
    signal: stop.signal,
    onWebReady: ready,
  });
  const port = new URL(await url).port;
  const second = await cli(path.join(tmpDir(), 'lib'), ['web', '--no-open', '--port', port]);
  assert.equal(second.code, 1);
  assert.match(second.err, /^glaunch: web: cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE\n$/);
  stop.abort();
  await first;
});
