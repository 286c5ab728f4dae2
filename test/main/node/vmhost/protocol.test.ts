import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseHostMessage,
  parseVmMessage,
  parseVmPortMessage,
  parseWindowMessage,
  VM_PROTOCOL_VERSION as v,
} from '../../../../main/node/vmhost/protocol';

test('valid host messages pass, with bytes kept as Uint8Array', () => {
  const r = parseHostMessage({ v, type: 'consoleIn', port: 0, data: new Uint8Array([65, 66]) });
  assert.ok(r.ok);
  assert.ok(r.ok && r.msg.type === 'consoleIn' && r.msg.data instanceof Uint8Array);
  for (const type of ['pause', 'resume', 'reset', 'powerButton', 'powerOff'])
    assert.ok(parseHostMessage({ v, type }).ok, type);
});

test('a message of another protocol version is refused', () => {
  const r = parseHostMessage({ v: v + 1, type: 'pause' });
  assert.equal(r.ok, false);
});

test('unknown types, missing fields and extra fields are refused with a message', () => {
  const a = parseHostMessage({ v, type: 'format-disk' });
  assert.ok(!a.ok && /format-disk/.test(a.message));
  const b = parseHostMessage({ v, type: 'consoleIn', port: 0, data: 'AAAA' });
  assert.ok(!b.ok && /data/.test(b.message), !b.ok ? b.message : '');
  const c = parseHostMessage({ v, type: 'pause', extra: 1 });
  assert.equal(c.ok, false);
  const d = parseHostMessage({ v, type: 'consoleIn', port: 9, data: new Uint8Array() });
  assert.ok(!d.ok && /port/.test(d.message));
  assert.equal(parseHostMessage(null).ok, false);
  assert.equal(parseHostMessage('pause').ok, false);
});

test('VM process messages: stats, exit, console, hello of any version', () => {
  assert.ok(parseVmMessage({ v: 99, type: 'hello', pid: 5 }).ok);
  const stats = {
    uptimeMs: 1,
    counters: { 'exits.total': 3 },
    vcpus: [{ id: 0, state: 'running', counters: {} }],
    recentIntercepts: [],
    disks: { vda: { readBytes: 0, writtenBytes: 0 } },
    guestRamResidentBytes: 4096,
  };
  assert.ok(parseVmMessage({ v, type: 'stats', atMs: 1, stats }).ok);
  assert.ok(parseVmMessage({ v, type: 'exit', kind: 'poweroff' }).ok);
  assert.ok(!parseVmMessage({ v, type: 'exit', kind: 'exploded' }).ok);
  const bad = parseVmMessage({
    v,
    type: 'stats',
    atMs: 1,
    stats: { ...stats, counters: { a: 'x' } },
  });
  assert.ok(!bad.ok && /counters/.test(bad.message));
});

test('console port messages: window ↔ VM process, validated with who sent them', () => {
  assert.ok(parseWindowMessage({ v, type: 'attach', id: 1, port: 0 }).ok);
  assert.ok(parseWindowMessage({ v, type: 'consoleAck', port: 0, bytes: 10 }).ok);
  const bad = parseWindowMessage({ v, type: 'consoleIn', port: 0, data: 'x' });
  assert.ok(!bad.ok && /window \(console port\).*data/.test(bad.message));
  assert.equal(parseWindowMessage({ v, type: 'pause' }).ok, false); // host messages are not
  const out = parseVmPortMessage({ v, type: 'consoleOut', port: 1, data: new Uint8Array(1) });
  assert.ok(out.ok);
  assert.ok(parseVmPortMessage({ v, type: 'refused', id: 2, message: 'no' }).ok);
  assert.equal(
    parseVmPortMessage({ v: v + 1, type: 'consoleOut', port: 1, data: new Uint8Array(1) }).ok,
    false,
  );
  assert.ok(parseHostMessage({ v, type: 'consolePort' }).ok);
  assert.ok(parseHostMessage({ v, type: 'consoleContents', id: 3, port: 0 }).ok);
  assert.ok(
    parseVmMessage({ v, type: 'consoleContents', id: 3, port: 0, data: new Uint8Array() }).ok,
  );
});
