/**
 * The boot ROM on a bare machine (SysCpu + the board's devices): banner, boot order,
 * GDFS boot sector, ELF loading, bootblock and the entry-12 protocol, error messages.
 * The "kernel" here is a probe that reports what it was entered with and powers off.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgram } from '../../../emulator/guest/image/build';
import { buildGdfs } from '../../../emulator/guest/image/gdfs';
import type { GdfsFile } from '../../../emulator/guest/image/gdfs';
import { BareMachine } from './bare-machine';
import { GUEST_ROOT, guestProgram, readText } from './helpers';

const PROBE = `
    .include "proc.inc"
    .include "board.inc"
UART_SCRATCH = 0x300000
    .text
ttable:
    .skip 0x6000                        ! entries 0..11 unused by the probe
    .global entry12
entry12:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8
        addd,1 %r1, 0, %r9
    }
    {
        addd,0 0, s_k, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r8, 0, %r16
    }
    FCALL uart_puthex
    {
        addd,0 0, s_dr1, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r9, 0, %r16
    }
    FCALL uart_puthex
    {
        addd,0 0, s_nl, %r16
    }
    FCALL uart_puts
    {
        addd,0 0, POWER_BASE, %r1
        addd,1 0, POWER_OFF, %r2
    }
    {
        stw,2 %r2, [ %r1 + POWER_CMD ]
    }
1:
    {
        ibranch 1b
    }
    .include "../lib/uart.S"
    .section .rodata
s_k:    .asciz "probe: dr0="
s_dr1:  .asciz " dr1="
s_nl:   .asciz "\\n"
    .data
    .byte 7
    .bss
    .skip 4133                          ! odd size: byte head/tail around the 16-byte loop
`;
const PROBE_LD =
  'ENTRY(entry12)\nSECTIONS {\n  . = 0x200000;\n  .text : { *(.text) }\n  .rodata : { *(.rodata) }\n' +
  '  .data 0x20a003 : { *(.data) }\n  .bss : { *(.bss) }\n}\n';

function probeKernel(): Uint8Array {
  const files: Record<string, string> = {
    [`${GUEST_ROOT}/kernel/probe.S`]: PROBE,
    [`${GUEST_ROOT}/kernel/probe.ld`]: PROBE_LD,
  };
  return buildProgram(
    GUEST_ROOT,
    { sources: ['kernel/probe.S'], iset: 2, script: 'kernel/probe.ld' },
    (p) => files[p] ?? readText(p),
  );
}

function disk(kernel: Uint8Array | null, cmdline = 'console=ttyS0'): Uint8Array {
  const files: GdfsFile[] = [{ name: 'motd', data: new TextEncoder().encode('hi\n') }];
  if (kernel) files.push({ name: 'kernel.elf', data: kernel });
  return buildGdfs({ label: 't', files, kernel: kernel ? 'kernel.elf' : undefined, cmdline });
}

const rd64 = (m: BareMachine, a: number) => {
  const b = m.phys.readBytes(a, 8);
  const v = new DataView(b.buffer, b.byteOffset);
  return v.getUint32(0, true) + v.getUint32(4, true) * 2 ** 32;
};

describe('boot ROM', () => {
  const rom = guestProgram('rom');
  const probe = probeKernel();

  test('banner, kernel load, bootblock and entry 12 with dr0 = 0, dr1 = 0x1000', async () => {
    const m = new BareMachine({
      rom,
      cpu: 'e8c2',
      memoryMiB: 64,
      vcpus: 2,
      disks: [{ slot: 'vda', image: disk(probe) }],
    });
    await m.run(null);
    assert.ok(m.powerOff, m.serialOut + m.cpu.haltReason);
    const out = m.serialOut;
    assert.match(out, /Glaunch boot ROM/);
    assert.match(out, /CPU: {4}Elbrus-8C2 \(e8c2\), IDR 0x9, 2 vCPU\(s\)\r\nMemory: 64 MiB\r\n/);
    assert.match(out, /Boot: {3}vda: kernel \d+ bytes at LBA 4\r\n/);
    assert.match(out, /probe: dr0=0x0 dr1=0x1000\r\n/);
    const bb = 0x1000;
    const b = m.phys.readBytes(bb, 0x1000);
    const v = new DataView(b.buffer, b.byteOffset);
    assert.equal(v.getUint16(0, true), 0xe200);
    assert.equal(b[2], 9); // target_mdl
    assert.equal(b[7], 1); // one RAM bank
    assert.equal(rd64(m, bb + 8), 0x200000); // kernel_base
    assert.ok(rd64(m, bb + 0x10) > 0x6000); // kernel_size
    assert.equal(v.getUint16(0x28, true), 2); // num_of_cpus
    assert.equal(v.getUint16(0x2a, true), 0x100); // KVM guest
    assert.equal(rd64(m, bb + 0x38), 0xf0000000); // serial_base
    const args = new TextDecoder().decode(b.subarray(0x58, 0x58 + 128)).replace(/\0.*$/s, '');
    assert.equal(args, 'console=ttyS0 boot=vda');
    assert.equal(rd64(m, bb + 0xd8), 0);
    assert.equal(rd64(m, bb + 0xe0), 64 * 1024 * 1024);
    assert.equal(rd64(m, bb + 0x2d8), 0x100000); // busy[0] = firmware area
    assert.equal(new TextDecoder().decode(b.subarray(0x538, 0x53f)), 'E2KBIOS');
    assert.equal(b[0x538 + 0x8a], 9);
    assert.equal(v.getUint16(0xffe, true), 0xaa55);
  });

  test('segments are copied and zero-filled exactly (no byte past p_memsz)', async () => {
    const m = new BareMachine({ rom, disks: [{ slot: 'vda', image: disk(probe) }] });
    m.phys.writeBytes(0x20a000, new Uint8Array(0x3000).fill(0xff));
    await m.run(null);
    assert.ok(m.powerOff, m.serialOut);
    const b = m.phys.readBytes(0x20a000, 0x3000);
    assert.deepEqual([...b.subarray(0, 3)], [0xff, 0xff, 0xff]); // below .data: untouched
    assert.equal(b[3], 7); // .data
    assert.ok(
      b.subarray(4, 4 + 4133).every((x) => x === 0),
      '.bss zeroed',
    );
    assert.equal(b[4 + 4133], 0xff); // past p_memsz: untouched
  });

  test('no medium: a clear message, then the ROM waits', async () => {
    const m = new BareMachine({ rom });
    await m.run(/Halted/, 5_000_000);
    assert.match(m.serialOut, /No bootable medium found/);
    assert.equal(m.cpu.idle, true);
  });

  test('boot order: an unbootable vda is skipped for a bootable vdb', async () => {
    const m = new BareMachine({
      rom,
      disks: [
        { slot: 'vda', image: disk(null) },
        { slot: 'vdb', image: disk(probe, 'x=1') },
      ],
    });
    await m.run(null);
    assert.match(m.serialOut, /vda: not bootable/);
    assert.match(m.serialOut, /vdb: kernel/);
    assert.match(m.serialOut, /probe: dr0=0x0 dr1=0x1000/);
    const args = new TextDecoder().decode(m.phys.readBytes(0x1058, 16)).replace(/\0.*$/s, '');
    assert.equal(args, 'x=1 boot=vdb');
  });

  test('optical media are tried only when the boot order names them', async () => {
    const m = new BareMachine({
      rom,
      disks: [{ slot: 'vda', image: disk(probe), medium: 'optical' }],
    });
    await m.run(/Halted/, 5_000_000);
    assert.doesNotMatch(m.serialOut, /vda/);
    const m2 = new BareMachine({
      rom,
      bootOrder: ['disk', 'optical'],
      disks: [{ slot: 'vda', image: disk(probe), medium: 'optical' }],
    });
    await m2.run(null);
    assert.match(m2.serialOut, /probe: dr0/);
  });

  test('an exception inside the ROM is reported, not rebooted into', async () => {
    const m = new BareMachine({ rom });
    await m.run(/Halted/, 5_000_000);
    m.cpu.takeTrap(1 << 0, 0, 0x100000040); // exc_illegal_opcode, as the core would raise it
    await m.run(/halted\r\n/, 5_000_000);
    assert.match(m.serialOut, /ROM: unexpected exception, TIR\.hi 0x1 at IP 0x100000040; halted/);
    assert.doesNotMatch(m.serialOut.split('unexpected')[1], /Glaunch boot ROM/);
  });

  test('a read error is reported with the virtio status and the next medium is tried', async () => {
    const broken = disk(probe);
    new DataView(broken.buffer).setUint32(0x10, 0x7fffff, true); // kernel LBA past the end
    const m = new BareMachine({
      rom,
      disks: [
        { slot: 'vda', image: broken },
        { slot: 'vdb', image: disk(probe) },
      ],
    });
    await m.run(null);
    assert.match(
      m.serialOut,
      /vda: kernel \d+ bytes at LBA 8388607\r\nBoot: {3}disk read error \(virtio status 1\)\r\n/,
    );
    assert.match(m.serialOut, /Boot: {3}vdb: kernel/);
    assert.match(m.serialOut, /probe: dr0=0x0 dr1=0x1000/);
  });

  test('a kernel file that is not an e2k ELF is refused', async () => {
    const junk = new TextEncoder().encode('this is not an ELF file at all'.repeat(10));
    const m = new BareMachine({ rom, disks: [{ slot: 'vda', image: disk(junk) }] });
    await m.run(/Halted/, 5_000_000);
    assert.match(m.serialOut, /kernel is not an ELF64 file/);
    assert.match(m.serialOut, /No bootable medium found/);
  });
});
