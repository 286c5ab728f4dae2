// The demo OS on the glaunch-virt machine under the VMM: boot through the ROM from a
// virtio-blk disk, drive the shell over UART 0, power off; assert output and counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMachine, projectVmm } from '../../../emulator/machine/index';
import { MemoryDiskImage } from '../../../emulator/storage/disk-image';
import { Console, demoArtifacts, demoRom, startDemo } from './demo-driver';

test(
  'boot ROM: banner with the CPU model and memory, then "no bootable medium"',
  { timeout: 120_000 },
  async (t) => {
    if (!projectVmm) return t.skip('the VMM is not part of the build yet');
    const rom = await demoRom();
    if (typeof rom === 'string') return t.skip(rom);
    const m = createMachine(
      {
        cpuModel: 'e16c',
        vcpus: 1,
        memoryMiB: 128,
        serialPorts: 1,
        bootOrder: ['disk', 'optical'],
      },
      { rom },
    );
    const con = new Console(m);
    const out = await con.waitFor(/no bootable medium/i, 60_000);
    assert.match(out, /Elbrus-16C/);
    assert.match(out, /128 MiB/);
    assert.ok(m.stats().counters['exits.mmio'] > 0);
  },
);

test('demo OS: boot to the shell, info/ls/cat/mem, poweroff', { timeout: 300_000 }, async (t) => {
  const s = await startDemo();
  if (typeof s === 'string') return t.skip(s);
  const { m, con } = s;
  const boot = await con.waitFor('gsh$ ', 120_000);
  assert.match(boot, /Glaunch/);
  assert.match(boot, /Elbrus-8C2/, 'ROM banner names the CPU model from IDR');

  const info = await con.command('info');
  assert.match(info, /Elbrus-8C2/);
  assert.match(info, /256 MiB/);

  const ls = await con.command('ls');
  for (const f of ['README', 'motd', 'hello.txt', 'elbrus.txt', 'shell', 'kernel.elf'])
    assert.match(ls, new RegExp(f.replace('.', '\\.')));

  const cat = await con.command('cat hello.txt');
  assert.ok(cat.length > 'cat hello.txt'.length + 8, cat);

  const before = m.stats().counters['gpa.pages_mapped'];
  await con.command('mem 8');
  const after = m.stats().counters['gpa.pages_mapped'];
  assert.ok(after - before >= (8 << 20) / 4096, `mem 8 mapped ${after - before} pages`);

  // reboot: the guest asks the power controller for a cold restart; the host resets the
  // board and the ROM boots the disk again.
  m.serial[0].input(Buffer.from('reboot\r'));
  assert.deepEqual(await con.untilExit(), { kind: 'reset' });
  m.reset();
  const again = await con.waitFor('gsh$ ', 120_000, con.text.length);
  assert.match(again, /Glaunch boot ROM/);

  m.serial[0].input(Buffer.from('poweroff\r'));
  assert.deepEqual(await con.untilExit(), { kind: 'poweroff' });
  const c = m.stats().counters;
  assert.ok(c['exits.total'] > 0);
  assert.ok(c['exits.mmio'] > 0, 'device accesses exit as MMIO intercepts');
  assert.ok(c['gpa.faults'] > 0, 'RAM is mapped on first touch');
  assert.ok(m.stats().disks.vda.readBytes > 0, 'kernel and files read through virtio-blk');
  assert.deepEqual(await m.closeAsync(), []);
});

test(
  'direct kernel boot: the board loads kernel.elf and builds the bootblock, no ROM',
  { timeout: 300_000 },
  async (t) => {
    if (!projectVmm) return t.skip('the VMM is not part of the build yet');
    const a = await demoArtifacts();
    if (typeof a === 'string') return t.skip(a);
    const m = createMachine(
      {
        cpuModel: 'e2s',
        vcpus: 1,
        memoryMiB: 64,
        serialPorts: 1,
        bootOrder: ['disk'],
        commandLine: 'console=ttyS0 init=/shell boot=vda',
        disks: [{ slot: 'vda', medium: 'disk', readOnly: true }],
      },
      { kernel: a.kernel, disks: { vda: new MemoryDiskImage(a.image, { readOnly: true }) } },
    );
    const con = new Console(m);
    const boot = await con.waitFor('gsh$ ', 120_000);
    assert.doesNotMatch(boot, /boot ROM/);
    assert.match(boot, /init=\/shell boot=vda/, 'command line from the bootblock');
    const info = await con.command('info');
    assert.match(info, /Elbrus-4C/);
    m.serial[0].input(Buffer.from('poweroff\r'));
    assert.deepEqual(await con.untilExit(), { kind: 'poweroff' });
  },
);
