// glaunch start / stop / status against the library's host: a real web server with a real
// VM host (VM processes from the host test's fixture), found through .glaunch/host.json.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createApiService } from '../../../../main/node/api/service';
import { VmLibrary } from '../../../../main/node/library/library';
import { startWebServer } from '../../../../main/node/web/server';
import { VmHost } from '../../../../main/node/vmhost/host';
import { removeHostFile, writeHostFile } from '../../../../main/node/vmhost/host-file';
import { forkLauncher } from '../../../../main/node/vmhost/launcher';
import { cli } from '../../helpers/cli';
import { tmpDir } from '../../helpers/tmp';

const entry = path.join(import.meta.dirname, '../vmhost/fixtures/echo-vm-process.ts');

test('without a host: status is powered off, stop says the VM is not running', async () => {
  const lib = tmpDir();
  assert.equal((await cli(lib, ['create', 'Demo', '--preset', 'e8c'])).code, 0);
  const s = await cli(lib, ['status', 'Demo', '--json']);
  assert.equal(s.code, 0);
  assert.equal(JSON.parse(s.out).state, 'poweredOff');
  const stop = await cli(lib, ['stop', 'Demo']);
  assert.equal(stop.code, 1);
  assert.match(stop.err, /VM 'Demo' is not running \(no Glaunch host runs for this library\)/);
  const missing = await cli(lib, ['status', 'Nope']);
  assert.equal(missing.code, 1);
});

test('start --headless, status --json, stop and stop --force go through the running host', async () => {
  const root = tmpDir();
  const library = new VmLibrary(root);
  await library.create({
    name: 'Demo',
    cpuModel: 'e8c',
    memoryMiB: 256,
    serialPorts: [{ index: 0, mode: 'console' }],
  });
  const host = new VmHost({
    library,
    launcher: forkLauncher({ entry, execArgv: ['--import', 'tsx'] }),
  });
  const api = createApiService({ library, mode: 'web', host });
  const server = await startWebServer({ api, host, rendererDir: tmpDir(), port: 0 });
  await writeHostFile(root, {
    pid: process.pid,
    port: server.port,
    token: server.token,
    url: server.url,
  });
  after(async () => {
    await host.powerOffAll();
    await removeHostFile(root);
    await server.close();
    api.dispose();
  });

  const start = await cli(root, ['start', 'Demo', '--headless']);
  assert.equal(start.code, 0, start.err);
  assert.match(
    start.out,
    /^Demo: running \(headless\)\n {2}process: \d+\n {2}serial 0: console\n$/,
  );
  assert.equal(host.stateOf('Demo'), 'running');

  const again = await cli(root, ['start', 'Demo']);
  assert.equal(again.code, 1);
  assert.match(again.err, /cannot start VM 'Demo': it is running \(it is already running\)/);

  const status = await cli(root, ['status', 'Demo', '--json']);
  const st = JSON.parse(status.out);
  assert.equal(st.state, 'running');
  assert.equal(st.headless, true);

  // The fixture machine honours the power button at once.
  const stop = await cli(root, ['stop', 'Demo']);
  assert.equal(stop.code, 0, stop.err);
  for (let i = 0; i < 100 && host.stateOf('Demo') !== 'poweredOff'; i++)
    await new Promise((r) => setTimeout(r, 50));
  assert.equal(host.stateOf('Demo'), 'poweredOff');

  await cli(root, ['start', 'Demo']);
  const force = await cli(root, ['stop', 'Demo', '--force', '--json']);
  assert.equal(force.code, 0, force.err);
  assert.equal(JSON.parse(force.out).state, 'poweredOff');
});
