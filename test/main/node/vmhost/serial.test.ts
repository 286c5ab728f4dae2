// Serial backends with real sockets, a real file and a real pseudo-terminal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tty from 'node:tty';
import { openSerialBackend } from '../../../../main/node/vmhost/serial';
import { telnetFilter } from '../../../../main/node/vmhost/serial/tcp';
import { tmpDir } from '../../helpers/tmp';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

function nextData(s: net.Socket): Promise<string> {
  return new Promise((r) => s.once('data', (d) => r(d.toString())));
}

test('tcp: a client on 127.0.0.1 talks to the guest both ways', async () => {
  const port = await freePort();
  const b = await openSerialBackend({ index: 1, mode: 'tcp', tcpPort: port });
  assert.equal(b.endpoint, `127.0.0.1:${port}`);
  const got: string[] = [];
  b.onInput = (d) => got.push(dec(d));
  const c = await connect(port);
  const fromGuest = nextData(c);
  await new Promise((r) => setTimeout(r, 20));
  b.write(enc('login: '));
  assert.equal(await fromGuest, 'login: ');
  c.write('root\r');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(got.join(''), 'root\r');

  // A second client is told the line is busy.
  const second = await connect(port);
  assert.match(await nextData(second), /already has a client/);
  second.destroy();
  c.destroy();
  await b.close();
});

test('tcp: a port in use fails with a clear message', async () => {
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as net.AddressInfo).port;
  await assert.rejects(openSerialBackend({ index: 0, mode: 'tcp', tcpPort: port }), {
    message: `serial port 0: TCP port ${port} on 127.0.0.1 is already in use`,
  });
  await new Promise<void>((r) => blocker.close(() => r()));
});

test('telnet negotiation never reaches the guest', () => {
  const f = telnetFilter();
  const raw = Uint8Array.from([255, 251, 1, 104, 105, 255, 250, 24, 0, 1, 255, 240, 255, 255, 33]);
  assert.deepEqual([...f(raw)], [104, 105, 255, 33]);
  // Split across chunks.
  const g = telnetFilter();
  assert.deepEqual([...g(Uint8Array.from([97, 255]))], [97]);
  assert.deepEqual([...g(Uint8Array.from([253, 3, 98]))], [98]);
});

test('file: output is appended in order; an unwritable path fails the start', async () => {
  const dir = tmpDir();
  const file = path.join(dir, 'logs', 'ttyS0.log');
  const b = await openSerialBackend({ index: 0, mode: 'file', filePath: file });
  b.write(enc('one '));
  b.write(enc('two\n'));
  await b.close();
  assert.equal(fs.readFileSync(file, 'utf8'), 'one two\n');
  fs.writeFileSync(path.join(dir, 'plain'), '');
  await assert.rejects(
    openSerialBackend({ index: 2, mode: 'file', filePath: path.join(dir, 'plain', 'x.log') }),
    /serial port 2: cannot open the log file .*plain\/x\.log: (ENOTDIR|EEXIST)/,
  );
});

test(
  'pty: a terminal on /dev/pts/N sees the guest and types to it',
  { skip: process.platform === 'win32' },
  async () => {
    const b = await openSerialBackend({ index: 0, mode: 'pty' });
    assert.match(b.endpoint ?? '', /^\/dev\/pts\/\d+$/);
    const fd = fs.openSync(b.endpoint!, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    const user = new tty.ReadStream(fd);
    const seen = new Promise<string>((r) => user.once('data', (d) => r(d.toString())));
    const typed = new Promise<string>((r) => (b.onInput = (d) => r(dec(d))));
    b.write(enc('guest says hi\r\n'));
    assert.equal(await seen, 'guest says hi\r\n');
    fs.writeSync(fd, 'ls\r');
    assert.equal(await typed, 'ls\r');
    user.destroy();
    await b.close();
  },
);
