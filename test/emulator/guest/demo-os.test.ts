/**
 * The whole demo OS on a bare machine (SysCpu + the board's devices): boot ROM → kernel
 * through entry 12 → /shell in user mode, driven over the serial console.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGuest, buildProgram } from '../../../emulator/guest/image/build';
import { buildGdfs, readGdfs } from '../../../emulator/guest/image/gdfs';
import { BareMachine } from './bare-machine';
import { GUEST_ROOT, readText } from './helpers';

const PROMPT = /gsh\$ $/;

async function command(m: BareMachine, line: string): Promise<string> {
  const from = m.serialOut.length;
  m.input(line + '\r');
  await m.run(PROMPT, 40_000_000);
  return m.serialOut.slice(from);
}

describe('Glaunch demo OS', () => {
  const g = buildGuest(GUEST_ROOT, readText);

  test('the image is a bootable GDFS disk with the kernel and the shell', () => {
    const img = readGdfs(g.image);
    assert.equal(img.bootable, true);
    assert.deepEqual(
      img.files.map((f) => f.name),
      ['README', 'motd', 'hello.txt', 'elbrus.txt', 'shell', 'kernel.elf'],
    );
    assert.equal(img.kernelBytes, g.kernel.length);
  });

  test('boots to the shell and runs info, ls, cat, echo, mem, bench, poweroff', async () => {
    const m = new BareMachine({
      rom: g.rom,
      cpu: 'e16c',
      memoryMiB: 128,
      vcpus: 2,
      disks: [{ slot: 'vda', image: g.image }],
    });
    await m.run(PROMPT, 60_000_000);
    const boot = m.serialOut;
    assert.match(boot, /CPU: {4}Elbrus-16C \(e16c\), IDR 0xb, 2 vCPU\(s\)\r\nMemory: 128 MiB/);
    assert.match(boot, /kernel: command line 'console=ttyS0 init=\/shell boot=vda'/);
    assert.match(boot, /translation on/);
    assert.match(boot, /kernel: disk vda: GDFS 'Glaunch demo OS', 6 files/);
    assert.match(boot, /Welcome to the Glaunch demo OS/);
    assert.match(boot, /kernel: starting \/shell in user mode\r\n/);
    assert.match(boot, /Glaunch demo OS shell/);

    // let the timer tick while the shell waits for input
    for (let i = 0; i < 5; i++) await m.run(/never/, 200_000);
    const info = await command(m, 'info');
    assert.match(info, /system: {2}Glaunch 0\.1 #1 Glaunch demo OS\r\nmachine: e2k\r\n/);
    assert.match(info, /cpu model: Elbrus-16C \(e16c\)\r\nIDR: {7}0xb\r\nvCPUs: {5}2 /);
    assert.match(info, /timer: {5}CEPIC, 100 Hz, interrupts: [1-9]\d*\r\n/);
    assert.match(info, /memory: {2}128 MiB total, 12\d MiB free\r\n/);
    assert.match(info, /uptime: {2}\d+\.\d{3} s\r\n/);

    const ls = await command(m, 'ls');
    for (const f of ['README', 'motd', 'hello.txt', 'elbrus.txt', 'shell', 'kernel.elf'])
      assert.ok(ls.includes(`  ${f}\r\n`), f);
    assert.match(await command(m, 'cat /hello.txt'), /Hello from a file on a virtio-blk disk!\r\n/);
    assert.match(await command(m, 'cat elbrus.txt'), /VLIW architecture[^]*lazily\.\r\n/);
    assert.match(await command(m, 'cat nope'), /cat: nope: no such file\r\n/);
    assert.match(await command(m, 'echo  hi  there'), /\r\nhi {2}there\r\n/);
    assert.match(await command(m, 'frob'), /frob: command not found/);

    const faultsBefore = m.cpu.traps;
    assert.match(await command(m, 'mem 8'), /mem: touched 8 MiB at 0x300000000\r\n/);
    assert.ok(m.cpu.traps - faultsBefore >= 2048, 'one demand-paging fault per page');
    // munmap gave the pages back: the same range is reused
    assert.match(await command(m, 'mem 8'), /at 0x300000000\r\n/);
    assert.match(await command(m, 'cat /proc/cpuinfo'), /page faults served: 4096\r\n/);

    assert.match(await command(m, 'bench 20'), /bench: 20000 iterations in \d+\.\d{3} ms/);

    m.input('poweroff\r');
    await m.run(null, 10_000_000);
    assert.ok(m.powerOff);
    assert.match(m.serialOut, /kernel: power off\r\n$/);
  });

  test('the oldest preset (e2c+, elbrus-v2) boots it too', async () => {
    const m = new BareMachine({
      rom: g.rom,
      cpu: 'e2c+',
      disks: [{ slot: 'vda', image: g.image }],
    });
    await m.run(PROMPT, 60_000_000);
    assert.match(m.serialOut, /CPU: {4}Elbrus-2C\+ \(e2c\+\), IDR 0x4/);
    assert.match(await command(m, 'cat /proc/cpuinfo'), /cpu model: Elbrus-2C\+ \(e2c\+\)/);
  });

  test('running out of RAM ends the process (init) cleanly', async () => {
    const m = new BareMachine({
      rom: g.rom,
      memoryMiB: 16,
      disks: [{ slot: 'vda', image: g.image }],
    });
    await m.run(PROMPT, 60_000_000);
    m.input('mem 64\r');
    await m.run(null, 200_000_000);
    assert.ok(m.powerOff, m.serialOut.slice(-300));
    assert.match(m.serialOut, /kernel: out of memory, killing init at address 0x30[0-9a-f]+\r\n/);
    assert.match(m.serialOut, /kernel: init exited with status 137, powering off/);
  });

  test('reboot asks the power controller for a cold reboot', async () => {
    const m = new BareMachine({ rom: g.rom, disks: [{ slot: 'vda', image: g.image }] });
    await m.run(PROMPT, 60_000_000);
    m.input('reboot\r');
    await m.run(null, 10_000_000);
    assert.equal(m.powerCommand, 'reboot');
    assert.match(m.serialOut, /kernel: rebooting\r\n$/);
  });

  test('the power button shuts the system down', async () => {
    const m = new BareMachine({ rom: g.rom, disks: [{ slot: 'vda', image: g.image }] });
    await m.run(PROMPT, 60_000_000);
    m.devices.pressPowerButton();
    await m.run(null, 10_000_000);
    assert.ok(m.powerOff);
    assert.match(m.serialOut, /kernel: power button pressed, powering off\r\n$/);
  });

  test('cat of a file spanning many sectors is exact', async () => {
    const text = Array.from({ length: 900 }, (_, i) => `line ${i} ${'x'.repeat(i % 17)}\n`).join(
      '',
    );
    const image = buildGdfs({
      label: 'big',
      files: [
        { name: 'big.txt', data: new TextEncoder().encode(text) },
        { name: 'shell', data: g.shell },
        { name: 'kernel.elf', data: g.kernel },
      ],
      kernel: 'kernel.elf',
    });
    const m = new BareMachine({ rom: g.rom, disks: [{ slot: 'vda', image }] });
    await m.run(PROMPT, 60_000_000);
    const out = await command(m, 'cat big.txt');
    assert.ok(out.includes(text.replace(/\n/g, '\r\n')), 'file content, byte for byte');
  });

  test('system calls refuse kernel addresses with EFAULT', async () => {
    // init = a probe: write(1, <kernel text>, 16), exit(-result)
    const src = `
    .include "proc.inc"
    .text
    .global _start
_start:
    PROC_ENTRY
    {
        addd,0 0, 4, %r16
        addd,1 0, 1, %r17
        addd,2 0, 0x200000, %r18
        addd,3 0, 16, %r19
    }
    SCALL
    {
        subd,0 0, %r16, %r17
        addd,1 0, 1, %r16
    }
    SCALL
`;
    const path = `${GUEST_ROOT}/user/probe.S`;
    const probe = buildProgram(
      GUEST_ROOT,
      { sources: ['user/probe.S'], iset: 2, textAddr: 0x200000000n },
      (p) => (p === path ? src : readText(p)),
    );
    const image = buildGdfs({
      label: 'probe',
      files: [
        { name: 'shell', data: probe },
        { name: 'kernel.elf', data: g.kernel },
      ],
      kernel: 'kernel.elf',
    });
    const m = new BareMachine({ rom: g.rom, disks: [{ slot: 'vda', image }] });
    await m.run(null, 60_000_000);
    assert.ok(m.powerOff, m.serialOut);
    assert.match(m.serialOut, /kernel: init exited with status 14, powering off/);
  });

  test('exit from the shell (init) powers the machine off with its status', async () => {
    const m = new BareMachine({ rom: g.rom, disks: [{ slot: 'vda', image: g.image }] });
    await m.run(PROMPT, 60_000_000);
    m.input('exit\r');
    await m.run(null, 10_000_000);
    assert.ok(m.powerOff);
    assert.match(m.serialOut, /kernel: init exited with status 0, powering off/);
  });
});
