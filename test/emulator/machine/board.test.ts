import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as B from '../../../emulator/machine/board';
import { buildBootblock, parseBootblock, BB } from '../../../emulator/machine/bootblock';
import { parseKernel } from '../../../emulator/machine/kernel-image';
import { tinyElf } from './helpers';

const root = fileURLToPath(new URL('../../..', import.meta.url));

test('RAM banks: low RAM from 0 up to 2 GiB, the rest at 0x4_0000_0000', () => {
  assert.deepEqual(B.ramBanks(64), [{ base: 0, size: 64 * B.MiB }]);
  assert.deepEqual(B.ramBanks(2048), [{ base: 0, size: 2 * B.GiB }]);
  assert.deepEqual(B.ramBanks(3072), [
    { base: 0, size: 2 * B.GiB },
    { base: 0x4_0000_0000, size: B.GiB },
  ]);
});

test('MMIO windows: page-aligned, one per page, no overlap, none inside RAM or ROM', () => {
  const w = B.mmioWindows(4);
  const pages = new Set<number>();
  for (const x of w) {
    assert.equal(x.base % 4096, 0, x.name);
    assert.ok(x.base >= B.LOW_RAM_MAX && x.base + x.size <= B.ROM_BASE, x.name);
    for (let a = x.base; a < x.base + x.size; a += 4096) {
      assert.ok(!pages.has(a), `${x.name} shares a page`);
      pages.add(a);
    }
  }
  assert.equal(w.find((x) => x.name === 'uart0')!.base, 0xf000_0000);
  assert.equal(w.find((x) => x.name === 'vda')!.base, 0xf001_0000);
  assert.equal(w.find((x) => x.name === 'rng')!.base, 0xf001_4000);
  assert.equal(w.find((x) => x.name === 'rtc')!.base, 0xf002_0000);
  assert.equal(w.find((x) => x.name === 'power')!.base, 0xf002_1000);
  assert.equal(w.find((x) => x.name === 'board-info')!.base, 0xf002_2000);
  assert.equal(w.find((x) => x.name === 'cepic')!.base, 0xfee0_0000);
  const vecs = w.filter((x) => x.vector !== undefined).map((x) => x.vector!);
  assert.equal(new Set(vecs).size, vecs.length, 'vectors are distinct');
  assert.ok(
    vecs.every((v) => v < 0x100),
    'all priority-1 vectors',
  );
});

test('README documents the addresses and vectors of board.ts', () => {
  const readme = readFileSync(join(root, 'emulator/machine/README.md'), 'utf8');
  const hex = (n: number): string => {
    const s = n.toString(16).toUpperCase().padStart(8, '0');
    return n > 0xffff_ffff
      ? `0x${s.slice(0, -8).replace(/^0+/, '')}_${s.slice(-8, -4)}_${s.slice(-4)}`
      : `0x${s.slice(0, 4)}_${s.slice(4)}`;
  };
  for (const a of [
    B.UART_BASE,
    B.VIRTIO_BASE,
    B.RTC_BASE,
    B.POWER_BASE,
    B.BOARD_INFO_BASE,
    B.CEPIC_BASE,
    B.ROM_BASE,
    B.HIGH_RAM_BASE,
  ])
    assert.ok(readme.includes(hex(a)), `README lacks ${hex(a)}`);
  for (const v of [B.VEC_UART0, B.VEC_VIRTIO0, B.VEC_POWER_BUTTON])
    assert.ok(readme.includes(`0x${v.toString(16)}`), `README lacks vector 0x${v.toString(16)}`);
});

test('firmware board.inc agrees with board.ts where it names the same thing', (t) => {
  const inc = join(root, 'emulator/guest/include/board.inc');
  if (!existsSync(inc)) return t.skip('emulator/guest/include/board.inc not written yet');
  const text = readFileSync(inc, 'utf8');
  const val = (name: string): number | undefined => {
    const m = new RegExp(`^\\s*${name}\\s*=\\s*(0x[0-9a-fA-F_]+|\\d+)`, 'm').exec(text);
    return m ? Number(m[1].replace(/_/g, '')) : undefined;
  };
  const expect: Record<string, number> = {
    ROM_BASE: B.ROM_BASE,
    UART0_BASE: B.uartBase(0),
    UART1_BASE: B.uartBase(1),
    VIRTIO_BASE: B.VIRTIO_BASE,
    VIRTIO_STRIDE: B.VIRTIO_STRIDE,
    VIRTIO_SLOTS: B.VIRTIO_SLOTS,
    RTC_BASE: B.RTC_BASE,
    POWER_BASE: B.POWER_BASE,
    BOARD_INFO: B.BOARD_INFO_BASE,
    CEPIC_BASE: B.CEPIC_BASE,
    BOOTBLOCK: B.BOOTBLOCK_ADDR,
    VEC_UART0: B.VEC_UART0,
    VEC_VIRTIO0: B.VEC_VIRTIO0,
  };
  const wrong = Object.entries(expect)
    .filter(([n, v]) => val(n) !== undefined && val(n) !== v)
    .map(([n, v]) => `${n} = 0x${val(n)!.toString(16)} (board: 0x${v.toString(16)})`);
  assert.deepEqual(wrong, [], 'board.inc differs from emulator/machine/README.md');
});

test('bootblock: signature, banks, kernel, serial_base, command line, markers', () => {
  const bb = buildBootblock({
    idrModel: 0x0b,
    banks: B.ramBanks(3072),
    kernelBase: 0x20_0000,
    kernelSize: 0x3_0000,
    cpus: 2,
    serialBase: B.uartBase(0),
    commandLine: 'console=ttyS0 quiet',
    busy: [{ base: B.FW_AREA_BASE, size: B.FW_AREA_SIZE }],
  });
  assert.equal(bb.length, 4096);
  const p = parseBootblock(bb);
  assert.equal(p.signature, 0xe200);
  assert.equal(p.targetMdl, 0x0b);
  assert.equal(p.cpuType, 0x0b);
  assert.deepEqual(p.banks, B.ramBanks(3072));
  assert.equal(p.kernelBase, 0x20_0000);
  assert.equal(p.kernelSize, 0x3_0000);
  assert.equal(p.cpus, 2);
  assert.equal(p.machFlags, 0x100);
  assert.equal(p.serialBase, 0xf000_0000);
  assert.equal(p.commandLine, 'console=ttyS0 quiet');
  assert.equal(p.x86Marker, 0xaa55);
  assert.equal(String.fromCharCode(...bb.subarray(BB.bios, BB.bios + 7)), 'E2KBIOS');
  assert.throws(
    () =>
      buildBootblock({
        idrModel: 0,
        banks: [],
        kernelBase: 0,
        kernelSize: 0,
        cpus: 1,
        serialBase: 0,
        commandLine: '',
      }),
    /RAM banks/,
  );
  assert.throws(
    () =>
      buildBootblock({
        idrModel: 0,
        banks: B.ramBanks(16),
        kernelBase: 0,
        kernelSize: 0,
        cpus: 1,
        serialBase: 0,
        commandLine: 'x'.repeat(128),
      }),
    /command line is 128 bytes/,
  );
});

test('kernel image: segments by physical address, base, page-rounded size, clear errors', () => {
  const banks = B.ramBanks(64);
  const k = parseKernel(
    tinyElf([
      { paddr: 0x20_0000, data: new Uint8Array(0x100).fill(1) },
      { paddr: 0x20_8000, data: new Uint8Array(8).fill(2), memsz: 0x2000 },
    ]),
    banks,
  );
  assert.equal(k.base, 0x20_0000);
  assert.equal(k.size, 0xa000);
  assert.equal(k.segments.length, 2);
  assert.throws(() => parseKernel(new Uint8Array(10), banks), /kernel: not a valid ELF file/);
  assert.throws(
    () => parseKernel(tinyElf([{ paddr: 0x20_0000, data: new Uint8Array(4) }], 62), banks),
    /e_machine 62 is not e2k/,
  );
  assert.throws(
    () => parseKernel(tinyElf([{ paddr: 0x8000_0000, data: new Uint8Array(4) }]), banks),
    /outside guest RAM/,
  );
  assert.throws(
    () => parseKernel(tinyElf([{ paddr: 0x10_0000, data: new Uint8Array(4) }]), banks),
    /overlaps the bootblock/,
  );
  assert.throws(
    () => parseKernel(tinyElf([{ paddr: 0x20_0010, data: new Uint8Array(4) }]), banks),
    /not page aligned/,
  );
});
