import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble, formatDiagnostics } from '../../../emulator/asm/index';
import { readElf } from '../../../emulator/elf/reader';
import { ET_EXEC, PF_R, PF_W, PF_X } from '../../../emulator/elf/types';
import { link } from '../../../emulator/link/linker';
import type { LinkOptions } from '../../../emulator/link/linker';
import { fakeApplyFixup, fakeEncoder } from '../asm/fake-encoder';

function obj(name: string, src: string) {
  const r = assemble(src, { encoder: fakeEncoder, file: name });
  assert.equal(r.errorCount, 0, formatDiagnostics(r.diagnostics));
  return { name: name.replace(/\.s$/, '.o'), bytes: r.object! };
}

const MAIN = obj(
  'main.s',
  '.globl _start\n_start: disp %ctpr1, func\n lit msg\n.data\n.quad func\nmsg: .asciz "hi"\n.bss\nbuf: .skip 32',
);
const LIB = obj(
  'lib.s',
  '.globl func\n.globl msg2\nfunc: nop\n word func\n.section .rodata\nmsg2: .byte 7',
);

const doLink = (inputs: { name: string; bytes: Uint8Array }[], opts: LinkOptions = {}) =>
  link(inputs, { applyFixup: fakeApplyFixup, ...opts });
const u32 = (b: Uint8Array, o: number) =>
  (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

describe('linker', () => {
  test('default layout, entry, segments, relocations', () => {
    const r = doLink([MAIN, LIB]);
    assert.deepEqual(r.errors, []);
    const e = readElf(r.output!);
    assert.equal(e.type, ET_EXEC);
    assert.equal(e.entry, 0x10000n);
    const text = e.sections.find((s) => s.name === '.text')!;
    const data = e.sections.find((s) => s.name === '.data')!;
    const bss = e.sections.find((s) => s.name === '.bss')!;
    const ro = e.sections.find((s) => s.name === '.rodata')!;
    assert.equal(text.addr, 0x10000n);
    const func = r.symbols.get('func')!;
    assert.equal(func, 0x10000n + 32n, 'main.o .text is 32 bytes');
    // disp from bundle 0x10000 to func: (32)/8 = 4 at field offset 12
    assert.equal(u32(text.data, 12), 4);
    // lit msg: 64-bit literal, high word first
    const msg = data.addr + 8n;
    assert.equal(u32(text.data, 24), Number(msg >> 32n));
    assert.equal(u32(text.data, 28), Number(msg & 0xffffffffn));
    // .quad func in .data, .word func (R_E2K_32_ABS) in lib's text
    assert.equal(new DataView(data.data.buffer, data.data.byteOffset).getBigUint64(0, true), func);
    assert.equal(u32(text.data, 32 + 20), Number(func));
    assert.ok(
      ro.addr > text.addr + text.size - 1n && ro.addr % 0x1000n === 0n,
      'read-only data on its own page',
    );
    assert.ok(data.addr % 0x1000n === 0n);
    assert.equal(bss.addr, data.addr + data.size, '.bss (alignment 1) follows .data');
    const flags = e.segments.map((p) => p.flags);
    assert.deepEqual(flags, [PF_R | PF_X, PF_R, PF_R | PF_W]);
    for (const p of e.segments) assert.equal(p.offset % 0x1000n, p.vaddr % 0x1000n);
    const msgSym = e.symbols.find((s) => s.name === 'msg')!;
    assert.deepEqual(
      [msgSym.bind, msgSym.value, e.sections[msgSym.shndx].name],
      [0, msg, '.data'],
      'input locals are kept',
    );
    const rw = e.segments[2];
    assert.ok(rw.memsz > rw.filesz, '.bss is memory only');
  });
  test('-Ttext/-Tdata/-Tbss and -e', () => {
    const r = doLink([MAIN, LIB], {
      textAddr: 0x100000n,
      dataAddr: 0x200000n,
      bssAddr: 0x300000n,
      entry: 'func',
    });
    assert.deepEqual(r.errors, []);
    const e = readElf(r.output!);
    assert.equal(e.entry, 0x100020n);
    assert.equal(e.sections.find((s) => s.name === '.data')!.addr, 0x200000n);
    assert.equal(e.sections.find((s) => s.name === '.bss')!.addr, 0x300000n);
  });
  test('undefined and duplicate symbols name the objects', () => {
    assert.deepEqual(doLink([MAIN]).errors, ["undefined symbol 'func' (referenced from main.o)"]);
    const dup = obj('dup.s', '.globl func\nfunc: nop');
    assert.deepEqual(doLink([MAIN, LIB, dup]).errors, [
      "duplicate symbol 'func': defined in lib.o and in dup.o",
    ]);
    assert.deepEqual(doLink([LIB], { entry: 'nothere' }).errors, [
      "entry symbol 'nothere' is not defined",
    ]);
    assert.match(doLink([LIB]).warnings[0], /cannot find entry symbol '_start'/);
  });
  test('relocation overflow is reported with object, section and offset', () => {
    const o = obj('big.s', '.globl _start\n_start: word far\n disp %ctpr1, far');
    const farAbs = obj('far.s', '.globl far\n.data\nfar: .byte 0');
    const r = doLink([o, farAbs], { dataAddr: 0x1_0000_0000n });
    assert.deepEqual(r.errors, [
      "big.o: .text+0xc: relocation R_E2K_32_ABS overflow: value 0x100000000 against 'far' does not fit in 32 bits",
      "big.o: .text+0x1c: relocation R_E2K_DISP overflow: displacement 0xfffefff0 to 'far' is out of the ±1 GiB range",
    ]);
  });
  test('--oformat binary: raw image from the lowest load address', () => {
    const r = doLink([obj('rom.s', '.globl _start\n_start: nop\n.data\n.byte 0xaa')], {
      oformat: 'binary',
      textAddr: 0xf000n,
      dataAddr: 0xf010n,
    });
    assert.deepEqual(r.errors, []);
    assert.deepEqual([...r.output!], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xaa]);
  });
  test('linker script: fixed addresses, ALIGN, AT, symbols, ENTRY', () => {
    const script = `/* firmware */
ENTRY(func)
SECTIONS {
  . = 0x80000000;
  .text : { *(.text*) }
  . = ALIGN(0x100);
  .rodata : { *(.rodata) }
  .data 0x1000 : AT(0x80001000) { *(.data .data.*) }
  _edata = .;
  .bss : { *(.bss*) *(COMMON) }
  _end = .;
}`;
    const user = obj('user.s', '.data\n.quad _end, _edata');
    const r = doLink([MAIN, LIB, user], { script });
    assert.deepEqual(r.errors, []);
    const e = readElf(r.output!);
    assert.equal(e.entry, 0x80000020n);
    assert.equal(e.sections.find((s) => s.name === '.rodata')!.addr, 0x80000100n);
    const data = e.sections.find((s) => s.name === '.data')!;
    assert.equal(data.addr, 0x1000n);
    assert.equal(
      r.symbols.get('_end'),
      0x1000n + 11n + 16n + 32n,
      '.data: main 11 + user 16 bytes, then .bss 32',
    );
    assert.equal(r.symbols.get('_edata'), 0x1000n + 27n);
    assert.equal(e.segments.find((p) => p.vaddr === 0x1000n)!.paddr, 0x80001000n);
    const bin = doLink([MAIN, LIB, user], { script, oformat: 'binary' });
    assert.equal(
      bin.output!.length,
      0x1000 + 27,
      'from text at 0x80000000 to the end of .data loaded at 0x80001000',
    );
  });
  test('script errors name the line', () => {
    assert.deepEqual(
      doLink([MAIN, LIB], { script: 'SECTIONS {\n  .text : { *(.text) \n' }).errors,
      ["linker script line 2: expected '}' but found 'end of file'"],
    );
    assert.match(
      doLink([MAIN, LIB], { script: 'SECTIONS { . = nosuch; }' }).errors[0],
      /line 1: undefined symbol 'nosuch'/,
    );
  });
  test('bad input files', () => {
    assert.deepEqual(doLink([{ name: 'junk.o', bytes: new Uint8Array(5) }]).errors, [
      'junk.o: file too short for an ELF header (5 bytes, need 64) (at offset 0x0)',
    ]);
    const exe = doLink([MAIN, LIB]).output!;
    assert.deepEqual(doLink([{ name: 'a.out', bytes: exe }]).errors, [
      'a.out: not a relocatable object (e_type 2)',
    ]);
  });
});

describe('linker robustness', () => {
  test('mutated objects give errors, never exceptions', async () => {
    const fc = (await import('fast-check')).default;
    const good = MAIN.bytes;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (muts) => {
          const b = good.slice();
          for (const [i, v] of muts) b[i] = v;
          const r = doLink([{ name: 'm.o', bytes: b }, LIB]);
          assert.ok(r.output !== undefined || r.errors.length > 0);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
