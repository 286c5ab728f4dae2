// Machine lifecycle without guest code: start-up validation, reset state handed to the VMM,
// ROM and direct kernel boot images in guest memory, power-controller exits, reset, stats,
// disk flush/close ordering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as B from '../../../emulator/machine/board';
import { parseBootblock } from '../../../emulator/machine/bootblock';
import { MachineConfigError } from '../../../emulator/machine/config';
import { MemoryDiskImage } from '../../../emulator/storage/disk-image';
import type { DiskImage } from '../../../emulator/storage/disk-image';
import { RawFileImage } from '../../../emulator/tools/lib/raw-file-image';
import { BusDriver, blkHeader, makeMachine, tinyElf } from './helpers';

const err = (f: () => unknown, re: RegExp): void =>
  assert.throws(f, (e: unknown) => e instanceof MachineConfigError && re.test(e.message));

test('start-up validation: one clear line per problem, before anything runs', () => {
  err(
    () => makeMachine({ cpuModel: 'e90s' }),
    /^cpuModel: unsupported CPU preset 'e90s' \(use e2c\+, e2s, e8c, e8c2, e16c\)$/,
  );
  err(
    () => makeMachine({ cpuModel: 'e2c+', vcpus: 3 }),
    /^vcpus: 3 is not between 1 and 2 for Elbrus-2C\+$/,
  );
  err(() => makeMachine({ memoryMiB: 2 }), /^memoryMiB: 2 MiB is not between 16 and/);
  err(() => makeMachine({ serialPorts: 5 }), /^serialPorts: 5/);
  err(
    () => makeMachine({ cuIntercepts: ['rr_idr', 'bogus'] }),
    /^cuIntercepts: 'bogus' is not a VIRT_CTRL_CU bit$/,
  );
  err(
    () => makeMachine({ disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] }),
    /^disk vda: no image opened for this slot$/,
  );
  err(
    () =>
      makeMachine(
        { disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] },
        { disks: { vda: new MemoryDiskImage(new Uint8Array(512), { readOnly: true }) } },
      ),
    /^disk vda: the image is read-only but the disk is attached writable$/,
  );
  err(
    () =>
      makeMachine(
        { disks: [{ slot: 'vda', medium: 'optical', readOnly: false }] },
        { disks: { vda: new MemoryDiskImage(new Uint8Array(512)) } },
      ),
    /optical media are always read-only/,
  );
  err(
    () => makeMachine({}, { rom: undefined }),
    /^firmware: neither a boot ROM nor a kernel is given$/,
  );
  err(() => makeMachine({}, { rom: new Uint8Array(17 * B.MiB) }), /^boot ROM: /);
  assert.throws(
    () => makeMachine({}, { kernel: new Uint8Array(3) }),
    /^Error: kernel: not a valid ELF file|kernel: not a valid ELF/,
  );
});

test('missing or read-only image files: clear errors from the image layer before the VM starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'glaunch-machine-'));
  try {
    await assert.rejects(
      RawFileImage.open(join(dir, 'nope.img')),
      /disk image not found: .*nope\.img/,
    );
    const ro = join(dir, 'ro.img');
    writeFileSync(ro, new Uint8Array(1024));
    chmodSync(ro, 0o444);
    if (process.getuid?.() !== 0)
      await assert.rejects(
        RawFileImage.open(ro),
        /disk image is not writable: .*ro\.img \(attach it read-only/,
      );
    const img = await RawFileImage.open(ro, { readOnly: true });
    err(
      () =>
        makeMachine(
          { disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] },
          { disks: { vda: img } },
        ),
      /read-only but the disk is attached writable/,
    );
    await img.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ROM boot: image in the read-only ROM window, vCPU 0 reset state at the ROM base', () => {
  const rom = new Uint8Array(5000).map((_, i) => i & 0xff);
  const { m, vmm } = makeMachine({}, { rom });
  const b = vmm.boots[0];
  assert.equal(b.ip, B.ROM_BASE);
  assert.equal(b.psr, 1);
  assert.equal(b.upsr, 0x81);
  assert.deepEqual(b.code, { base: B.ROM_BASE, size: 8192 });
  assert.deepEqual(b.psp, { base: 0x10_0000, size: 256 * 1024 });
  assert.deepEqual(b.pcsp, { base: 0x14_0000, size: 64 * 1024 });
  assert.deepEqual(b.stack, { base: 0x1c_0000, size: 256 * 1024 });
  assert.equal(b.entry12, undefined);
  const pa = m.space.hostAddr(B.ROM_BASE + 4999);
  assert.equal(m.mem.read8(pa), 4999 & 0xff);
  assert.equal(m.space.resolveFault(B.ROM_BASE + 8, true), 'write_protect');
  assert.equal(m.space.resolveFault(B.uartBase(0), false), 'mmio');
  assert.equal(m.space.resolveFault(0x9000_0000, false), 'unbacked');
  assert.equal(m.space.resolveFault(0x1000, true), 'mapped', 'RAM on first touch');
});

test('direct kernel boot: segments, bootblock at 0x1000, entry 12 with %dr1 = bootblock', () => {
  const kernel = tinyElf([
    { paddr: 0x20_0000, data: new Uint8Array(0x7000).fill(0xaa) },
    { paddr: 0x20_8000, data: Uint8Array.of(1, 2, 3), memsz: 0x1000 },
  ]);
  const { m, vmm } = makeMachine({ vcpus: 2, commandLine: 'init=/sh' }, { rom: undefined, kernel });
  const b = vmm.boots[0];
  assert.equal(b.ip, 0x20_6000);
  assert.deepEqual(b.code, { base: 0x20_0000, size: 0x9000 });
  assert.deepEqual(b.entry12, { dr0: 0, dr1: 0x1000, returnIp: B.ROM_BASE });
  const bb = new Uint8Array(4096);
  assert.ok(m.ram.read(0x1000, bb));
  const p = parseBootblock(bb);
  assert.equal(p.signature, 0xe200);
  assert.equal(p.kernelBase, 0x20_0000);
  assert.equal(p.cpus, 2);
  assert.equal(p.targetMdl, 0x0b);
  assert.equal(p.serialBase, 0xf000_0000);
  assert.equal(p.commandLine, 'init=/sh');
  assert.deepEqual(p.banks, [{ base: 0, size: 64 * B.MiB }]);
  const seg = new Uint8Array(4);
  m.ram.read(0x20_8000, seg);
  assert.deepEqual([...seg], [1, 2, 3, 0]);
});

test('power controller: poweroff and reset requests become exits; reset() restarts the board', () => {
  const { m, vmm } = makeMachine();
  assert.deepEqual(m.runSlice(10), { exit: null, idleMs: 5 });
  m.ram.write(0x5000, Uint8Array.of(42));
  vmm.step = (p) => void p.bus.write(B.POWER_BASE, 4, 0x4757_0002);
  assert.deepEqual(m.runSlice(10).exit, { kind: 'reset' });
  assert.deepEqual(m.runSlice(10).exit, { kind: 'reset' }, 'stays stopped until the host acts');
  vmm.step = null;
  m.reset();
  assert.equal(vmm.boots.length, 2);
  assert.equal(vmm.instances, 2, 'a reset builds fresh vCPUs');
  const b = new Uint8Array(1);
  m.ram.read(0x5000, b);
  assert.equal(b[0], 42, 'warm reset keeps RAM');
  assert.equal(m.devices.bus.read(B.POWER_BASE + 8, 4)!.lo, 2, 'LAST survives');
  vmm.step = (p) => void p.bus.write(B.POWER_BASE, 4, 0x4757_0003);
  assert.deepEqual(m.runSlice(10).exit, { kind: 'reset' });
  vmm.step = null;
  m.reset();
  m.ram.read(0x5000, b);
  assert.equal(b[0], 0, 'reboot clears RAM');
  assert.equal(
    m.stats().guestRamResidentBytes,
    4096,
    'and gives its pages back (the ROM page stays)',
  );
  vmm.step = (p) => void p.bus.write(B.POWER_BASE, 4, 0x4757_0001);
  assert.deepEqual(m.runSlice(10), { exit: { kind: 'poweroff' }, idleMs: 0 });
  vmm.step = (p) => void p.bus.write(B.POWER_BASE, 4, 0x1234_0001);
  m.reset();
  assert.equal(m.runSlice(10).exit, null, 'a command without the key is ignored');
});

test('power button: an edge on vector 0x50 of vCPU 0', () => {
  const { m } = makeMachine();
  m.powerButton();
  assert.ok(m.cepics[0].postedPmirr[0x50 >>> 5] & (1 << (0x50 & 31)));
});

test('stats: plain data, counters, disks, lazily mapped RAM', () => {
  const { m } = makeMachine(
    { disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] },
    { disks: { vda: new MemoryDiskImage(new Uint8Array(1024)) } },
  );
  const before = m.stats().guestRamResidentBytes;
  m.ram.write(0x40_0000, new Uint8Array(3 * 4096));
  const s = m.stats();
  assert.equal(s.guestRamResidentBytes - before, 3 * 4096);
  assert.equal(s.counters['gpa.pages_mapped'] * 4096, s.guestRamResidentBytes);
  assert.deepEqual(s.disks, { vda: { readBytes: 0, writtenBytes: 0 } });
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
  assert.deepEqual(m.registers(), [{ ip: '0x0' }]);
});

class OrderedDisk implements DiskImage {
  readonly ops: string[] = [];
  constructor(
    readonly sizeBytes: number,
    readonly readOnly = false,
  ) {}
  async read(o: number): Promise<void> {
    this.ops.push(`r${o}`);
  }
  async write(o: number, s: Uint8Array): Promise<void> {
    await new Promise((r) => setTimeout(r, o === 0 ? 5 : 0)); // the first write is slow
    this.ops.push(`w${o}:${s[0]}`);
  }
  async flush(): Promise<void> {
    this.ops.push('flush');
  }
  async close(): Promise<void> {
    this.ops.push('close');
  }
}

test('disk writes reach the image in order; guest flush and stop flush', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'glaunch-machine-'));
  try {
    const path = join(dir, 'disk.img');
    writeFileSync(path, new Uint8Array(64 * 1024));
    const img = await RawFileImage.open(path);
    const { m } = makeMachine(
      { disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] },
      { disks: { vda: img } },
    );
    const d = new BusDriver(m, B.virtioBase(0), 0x20_0000, 64);
    d.init();
    for (let i = 0; i < 8; i++) {
      const H = 0x30_0000 + i * 0x2000;
      d.put(H, blkHeader(1, 0)); // all to sector 0: the last must win
      d.put(H + 0x100, new Uint8Array(512).fill(i + 1));
      d.submit([
        [H, 16, false],
        [H + 0x100, 512, false],
        [H + 0x1000, 1, true],
      ]);
    }
    d.put(0x40_0000, blkHeader(4, 0));
    d.submit([
      [0x40_0000, 16, false],
      [0x40_1000, 1, true],
    ]);
    await m.devices.idle();
    assert.equal(d.usedEntries().length, 9);
    assert.equal(readFileSync(path)[0], 8, 'last write wins: submission order kept');
    assert.equal(m.stats().disks.vda.writtenBytes, 8 * 512);
    const problems = await m.closeAsync();
    assert.deepEqual(problems, []);
    await assert.rejects(img.read(0, new Uint8Array(1)), 'closed on stop');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stop waits for in-flight writes, then flushes, then closes', async () => {
  const disk = new OrderedDisk(4096);
  const { m } = makeMachine(
    { disks: [{ slot: 'vda', medium: 'disk', readOnly: false }] },
    { disks: { vda: disk } },
  );
  const d = new BusDriver(m, B.virtioBase(0));
  d.init();
  for (const [i, sector] of [
    [0, 0],
    [1, 1],
  ]) {
    const H = 0x30_0000 + i * 0x2000;
    d.put(H, blkHeader(1, sector));
    d.put(H + 0x100, new Uint8Array(512).fill(i + 1));
    d.submit([
      [H, 16, false],
      [H + 0x100, 512, false],
      [H + 0x1000, 1, true],
    ]);
  }
  await m.closeAsync();
  assert.deepEqual(disk.ops.slice(-2), ['flush', 'close']);
  assert.deepEqual(disk.ops.filter((o) => o.startsWith('w')).sort(), ['w0:1', 'w512:2']);
});
