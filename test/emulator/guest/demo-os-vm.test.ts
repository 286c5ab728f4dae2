/**
 * The demo OS on the real board and VMM (createMachine: guest mode, intercepts, lazy GPA
 * mapping, virtual CEPIC): boot to the shell, run commands, power off; the counters show
 * the intercepts the guest caused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGuest } from '../../../emulator/guest/image/build';
import { createMachine } from '../../../emulator/machine/index';
import type { MachineConfig } from '../../../emulator/machine/api';
import { MemoryDiskImage } from '../../../emulator/storage/disk-image';
import { GUEST_ROOT, readText } from './helpers';

test('demo OS boots on glaunch-virt and powers off from its shell', async () => {
  const g = buildGuest(GUEST_ROOT, readText);
  const config: MachineConfig = {
    cpuModel: 'e8c2',
    vcpus: 1,
    memoryMiB: 256,
    serialPorts: 1,
    bootOrder: ['disk'],
    disks: [{ slot: 'vda', medium: 'disk', readOnly: false }],
  };
  const m = createMachine(config, {
    rom: g.rom,
    disks: { vda: new MemoryDiskImage(g.image.slice()) },
  });
  const commands = ['info', 'cat hello.txt', 'mem 2', 'poweroff'];
  const dec = new TextDecoder();
  let out = '';
  let exit = null;
  for (let i = 0; i < 20_000 && !exit; i++) {
    const r = m.runSlice(20);
    out += dec.decode(m.serial[0].drainOutput());
    exit = r.exit;
    if (/gsh\$ $/.test(out) && commands.length)
      m.serial[0].input(new TextEncoder().encode(commands.shift() + '\r'));
    // disk I/O completes on the event loop, as in the VM process
    await new Promise((res) => setTimeout(res, r.idleMs > 0 ? 1 : 0));
  }
  assert.deepEqual(exit, { kind: 'poweroff' }, out);
  assert.match(out, /CPU: {4}Elbrus-8C2 \(e8c2\)/);
  assert.match(out, /Memory: 256 MiB/);
  assert.match(out, /kernel: starting \/shell in user mode/);
  assert.match(out, /cpu model: Elbrus-8C2 \(e8c2\)/);
  assert.match(out, /Hello from a file on a virtio-blk disk!/);
  assert.match(out, /mem: touched 2 MiB at 0x300000000/);
  assert.match(out, /kernel: power off/);
  const c = m.stats().counters;
  assert.ok(c['exits.mmio'] > 0, 'device access is intercepted');
  assert.ok(c['gpa.pages_mapped'] > 512, 'touched guest RAM is mapped lazily');
  assert.ok(c['exits.cause.wait_trap'] > 0, 'the idle wait exits');
});
