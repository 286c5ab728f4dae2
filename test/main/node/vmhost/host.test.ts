// The VM host with real VM processes (child_process.fork): start, console, pause, power off,
// guest power-off, crash, kill and out-of-memory → aborted and startable again, log files.
// The processes run the real VM process logic (vm-main.ts) with a test-double machine
// (fixtures/echo-vm-process.ts): these tests are about the host, not the emulator.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiError } from '../../../../main/common/api-error';
import { VmLibrary } from '../../../../main/node/library/library';
import { VmHost } from '../../../../main/node/vmhost/host';
import { forkLauncher } from '../../../../main/node/vmhost/launcher';
import { tmpDir } from '../../helpers/tmp';

const entry = path.join(import.meta.dirname, 'fixtures/echo-vm-process.ts');

async function setup(launcherOpts: { execArgv?: string[] } = {}) {
  const library = new VmLibrary(tmpDir());
  await library.create({ name: 'Demo', cpuModel: 'e8c', memoryMiB: 256 });
  await library.create({ name: 'will fail', cpuModel: 'e2c+', memoryMiB: 256 });
  const host = new VmHost({
    library,
    launcher: forkLauncher({
      entry,
      execArgv: ['--import', 'tsx', ...(launcherOpts.execArgv ?? [])],
    }),
    timeouts: { startMs: 30_000, stopMs: 3_000 },
  });
  return { library, host };
}

const hosts: VmHost[] = [];
after(async () => {
  for (const h of hosts) await h.powerOffAll();
});

function waitState(host: VmHost, name: string, state: string): Promise<{ reason?: string }> {
  return new Promise((resolve) => {
    const h = (e: { name: string; state: string; reason?: string }) => {
      if (e.name === name && e.state === state) {
        host.off('state', h);
        resolve(e);
      }
    };
    host.on('state', h);
  });
}

function typeLine(host: VmHost, text: string) {
  return host.writeConsole('Demo', 0, new TextEncoder().encode(text + '\r'));
}

test('start, console echo with scrollback, pause/resume, stats, power off', async () => {
  const { host, library } = await setup();
  hosts.push(host);
  const states: string[] = [];
  host.on('state', (e) => states.push(e.state));
  const s = await host.start('Demo', true);
  assert.equal(s.state, 'running');
  assert.equal(s.headless, true);
  assert.ok(s.pid);

  const echoed = new Promise<string>((resolve) => {
    let text = '';
    host.on('console', (c) => {
      text += new TextDecoder().decode(c.data);
      if (text.includes('hello\r')) resolve(text);
    });
  });
  await typeLine(host, 'hello');
  assert.equal(await echoed, 'hello\r');
  // Reopening the console gets everything back from the host's scrollback.
  assert.equal(new TextDecoder().decode(await host.consoleContents('Demo', 0)), 'hello\r');

  const stats = await new Promise<number>((r) =>
    host.once('stats', (e) => r(e.stats.counters['exits.total'])),
  );
  assert.ok(stats >= 0);

  assert.equal((await host.pause('Demo')).state, 'paused');
  await assert.rejects(
    host.pause('Demo'),
    (e: ApiError) => e.code === 'conflict' && /already paused/.test(e.message),
  );
  await assert.rejects(host.shutdown('Demo'), /resume it first/);
  assert.equal((await host.resume('Demo')).state, 'running');
  assert.deepEqual(await host.registers('Demo'), [{ ip: '0x10000' }]);
  await assert.rejects(host.start('Demo', false), /already running/);

  const off = await host.powerOff('Demo');
  assert.equal(off.state, 'poweredOff');
  assert.deepEqual(states, ['starting', 'running', 'paused', 'running', 'stopping', 'poweredOff']);
  await assert.rejects(host.powerOff('Demo'), /it is powered off/);

  const log = await host.readLog('Demo', 0);
  assert.match(log.text, /starting VM 'Demo' \(headless\)/);
  assert.match(log.text, /CPU e8c × 1, RAM 256 MiB/);
  assert.match(log.text, /power off requested/);
  assert.match(log.text, /VM process exited with code 0/);
  const entry = await library.getOk('Demo');
  assert.ok(readFileSync(path.join(entry.folder, 'logs', 'vm.log'), 'utf8').length > 0);
});

test('the guest powers off by itself; ACPI button; a halt is aborted with the reason', async () => {
  const { host } = await setup();
  hosts.push(host);
  await host.start('Demo', false);
  const off = waitState(host, 'Demo', 'poweredOff');
  await typeLine(host, 'poweroff');
  assert.match((await off).reason ?? '', /the guest powered off/);

  await host.start('Demo', false);
  const off2 = waitState(host, 'Demo', 'poweredOff');
  await host.shutdown('Demo'); // the test machine honours the button at once
  await off2;

  await host.start('Demo', false);
  const halted = waitState(host, 'Demo', 'aborted');
  await typeLine(host, 'halt');
  assert.match((await halted).reason ?? '', /the machine stopped: test halt/);
});

test('a killed VM process is aborted with the reason and the last log lines, and can start again', async () => {
  const { host } = await setup();
  hosts.push(host);
  const s = await host.start('Demo', false);
  const aborted = waitState(host, 'Demo', 'aborted');
  process.kill(s.pid!, 'SIGKILL');
  assert.equal((await aborted).reason, 'the VM process was killed (SIGKILL)');
  const st = await host.status('Demo');
  assert.equal(st.state, 'aborted');
  assert.ok(st.lastLog && st.lastLog.some((l) => /running/.test(l)), JSON.stringify(st.lastLog));
  assert.equal((await host.start('Demo', false)).state, 'running');
  await host.powerOff('Demo');
});

test('a crash (exit code) and an out-of-memory end as aborted; the host goes on', async () => {
  const { host } = await setup({ execArgv: ['--max-old-space-size=32'] });
  hosts.push(host);
  await host.start('Demo', false);
  const crashed = waitState(host, 'Demo', 'aborted');
  await typeLine(host, 'crash');
  assert.equal((await crashed).reason, 'the VM process crashed (exit code 3)');

  await host.start('Demo', false);
  const oom = waitState(host, 'Demo', 'aborted');
  await typeLine(host, 'oom');
  assert.equal((await oom).reason, 'the VM process ran out of memory');
  assert.match((await host.readLog('Demo', 0)).text, /heap out of memory/);
});

test('a start that fails leaves the VM powered off with the reason', async () => {
  const { host } = await setup();
  hosts.push(host);
  await assert.rejects(host.start('will fail', false), (e: ApiError) => {
    assert.equal(e.code, 'io');
    assert.equal(e.message, "cannot start VM 'will fail': the test machine refuses to start");
    return true;
  });
  const st = await host.status('will fail');
  assert.equal(st.state, 'poweredOff');
  const log = (await host.readLog('will fail', 0)).text;
  assert.match(log, /start failed: the test machine refuses to start/);
  assert.doesNotMatch(log, /aborted/);
  assert.equal(st.reason, 'the test machine refuses to start');
  await assert.rejects(host.start('nope', false), (e: ApiError) => e.code === 'not_found');
});

test('a serial backend that cannot be set up fails the start with its message', async () => {
  const { host, library } = await setup();
  hosts.push(host);
  const net = await import('node:net');
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as { port: number }).port;
  const cfg = (await library.getOk('Demo')).config;
  await library.update('Demo', {
    ...cfg,
    serialPorts: [
      { index: 0, mode: 'console' },
      { index: 1, mode: 'tcp', tcpPort: port },
    ],
  });
  await assert.rejects(host.start('Demo', true), {
    message: `cannot start VM 'Demo': serial port 1: TCP port ${port} on 127.0.0.1 is already in use`,
  });
  assert.equal(host.stateOf('Demo'), 'poweredOff');
  await new Promise<void>((r) => blocker.close(() => r()));
  // With the port free the same VM starts and reports where to connect.
  const s = await host.start('Demo', true);
  assert.deepEqual(s.serial, [
    { index: 0, mode: 'console' },
    { index: 1, mode: 'tcp', endpoint: `127.0.0.1:${port}` },
  ]);
  await host.powerOff('Demo');
});
