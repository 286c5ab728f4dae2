// The VM process side of the protocol, in-process: every incoming message is validated, bad
// ones are reported (never acted upon), and a failing start reports its reason and exits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tmpDir } from '../../helpers/tmp';
import { VM_PROTOCOL_VERSION as v } from '../../../../main/node/vmhost/protocol';
import { runVmMain } from '../../../../main/node/vmhost/vm-main';

function endpoint() {
  const sent: Record<string, unknown>[] = [];
  let deliver: (m: unknown) => void = () => undefined;
  let exited: number | null = null;
  return {
    sent,
    push: (m: unknown) => deliver(m),
    exitCode: () => exited,
    ep: {
      send: (m: unknown) => void sent.push(m as Record<string, unknown>),
      onMessage: (l: (m: unknown) => void) => void (deliver = l),
      flush: async () => undefined,
      exit: (code: number) => void (exited = code),
    },
  };
}

const start = {
  v,
  type: 'start',
  name: 'T',
  folder: '/tmp/T',
  machine: { cpuModel: 'e8c', vcpus: 1, memoryMiB: 64, serialPorts: 1, bootOrder: ['disk'] },
  quantumUs: 10000,
  gpaMapping: 'lazy',
  disks: [],
  serial: [{ index: 0, mode: 'console' }],
};

test('hello first; invalid messages are logged and ignored', async () => {
  const e = endpoint();
  runVmMain(e.ep, async () => {
    throw new Error('unused');
  });
  assert.deepEqual(e.sent[0], { v, type: 'hello', pid: process.pid });
  e.push({ v, type: 'reformat' });
  e.push({ v: 99, type: 'pause' });
  e.push({ v, type: 'consoleIn', port: 0, data: 'not bytes' });
  const logs = e.sent.filter((m) => m.type === 'log').map((m) => m.line as string);
  assert.equal(logs.length, 3);
  assert.match(logs[0], /invalid message from the VM host \(type "reformat"\)/);
  assert.match(logs[2], /data/);
  assert.equal(e.exitCode(), null);
});

test('a machine that cannot be built: startFailed with the reason, then exit 0', async () => {
  const e = endpoint();
  runVmMain(e.ep, async () => {
    throw new Error('disk image not found: /x.img');
  });
  e.push(start);
  for (let i = 0; i < 50 && e.exitCode() === null; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(e.sent.at(-1), {
    v,
    type: 'startFailed',
    message: 'disk image not found: /x.img',
  });
  assert.equal(e.exitCode(), 0);
});

test('a serial backend that cannot be set up fails the start before the machine is built', async () => {
  const e = endpoint();
  let built = false;
  runVmMain(e.ep, async () => {
    built = true;
    throw new Error('unreachable');
  });
  const plain = path.join(tmpDir(), 'plain');
  writeFileSync(plain, '');
  e.push({ ...start, serial: [{ index: 0, mode: 'file', filePath: path.join(plain, 'x.log') }] });
  for (let i = 0; i < 50 && e.exitCode() === null; i++) await new Promise((r) => setTimeout(r, 10));
  const last = e.sent.at(-1) as { type: string; message: string };
  assert.equal(last.type, 'startFailed');
  assert.match(last.message, /^serial port 0: cannot open the log file .*plain\/x\.log: E/);
  assert.equal(built, false);
});
