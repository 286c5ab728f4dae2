/**
 * End to end with the real bundle encoder and disassembler: two source files assembled,
 * linked, and disassembled with the objdump library.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assemble, formatDiagnostic, formatDiagnostics } from '../../../emulator/asm/index';
import { objdump } from '../../../emulator/elf/objdump';
import { readElf } from '../../../emulator/elf/reader';
import { disassembleBundle } from '../../../emulator/isa';
import { link } from '../../../emulator/link/linker';

const START = `
  .text
  .global _start
  .type _start, @function
_start:
  {
    setwd wsz=8, nfx=1
    disp %ctpr1, test_entry
    nop 4
  }
  call %ctpr1, wbs=4
  { adds,0 %r1, %r2, %r3 }
  addd,0 %dr0, message, %dr1
0:
  ibranch 0b
  .size _start, . - _start
`;
const LIB = `
  .global test_entry, message
  .text
test_entry:
  addd,0 0, len, %dr8
  return %ctpr3
  ct %ctpr3
  .section ".rodata"
message: .ascii "hello\\n"
len = . - message
`;

function asm(name: string, src: string) {
  const r = assemble(src, { file: name, iset: 6 });
  assert.equal(r.errorCount, 0, formatDiagnostics(r.diagnostics));
  return { name: name.replace(/\.s$/, '.o'), bytes: r.object! };
}

describe('assemble + link + objdump (real encoder)', () => {
  test('a two-file program links and disassembles', () => {
    const a = asm('start.s', START);
    const b = asm('lib.s', LIB);
    const objText = objdump(a.bytes, {
      fileName: 'start.o',
      disassemble: true,
      relocs: true,
      disassembler: disassembleBundle,
    });
    assert.match(
      objText,
      /\n\t\tdisp %ctpr1, 0x0\n(\t\t.*\n)*\t\t\t4: R_E2K_DISP\ttest_entry\+0x0000000000000004\n/,
      'inline under its bundle',
    );
    assert.match(objText, /R_E2K_64_ABS_LIT\s+message/);
    assert.match(objText, /adds,0 %r1, %r2, %r3/);

    const r = link([a, b], { textAddr: 0x10000n });
    assert.deepEqual(r.errors, []);
    const exe = readElf(r.output!);
    assert.equal(exe.entry, 0x10000n);
    assert.equal(exe.flags >>> 24, 6);
    const entry = r.symbols.get('test_entry')!;
    const msg = r.symbols.get('message')!;
    const text = objdump(r.output!, {
      fileName: 'a.out',
      disassemble: true,
      syms: true,
      headers: true,
      disassembler: disassembleBundle,
    });
    assert.match(text, new RegExp(`disp %ctpr1, 0x${entry.toString(16)}`));
    assert.match(text, new RegExp(`addd,0 %dr0, _f64 0x${msg.toString(16)}, %dr1`));
    assert.match(text, /addd,0 0x0, 0x6, %dr8/);
    assert.match(text, /ibranch 0x10038/);
    assert.match(text, /0000000000010000 <_start>:/);
    assert.match(text, /\.text\s+00000060\s+0000000000010000/);
    assert.match(text, /0000000000010000 g {5}F \.text\t0000000000000048 _start/);
    assert.doesNotMatch(text, /\.word/);
  });
  test('bundle-level errors come back with file, line and column', () => {
    const r = assemble('  nop\n  adds,9 %r1, %r2, %r3\n  { nop; frobnicate %r1 }\n', {
      file: 'bad.s',
      iset: 6,
    });
    assert.equal(r.errorCount, 2);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.loc.line, d.loc.col]),
      [
        [2, 2],
        [3, 9],
      ],
    );
    assert.equal(r.diagnostics[0].loc.file, 'bad.s');
    assert.match(
      formatDiagnostic(r.diagnostics[0]),
      /^bad\.s:2:3: error: .*channel.*\n {2}adds,9 %r1, %r2, %r3\n {2}\^$/,
    );
  });
  test('objdump never fails on arbitrary code bytes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 24 }),
        (words) => {
          const r = assemble(`.word ${words.join(', ')}`, { iset: 6 });
          const text = objdump(r.object!, {
            fileName: 'x.o',
            disassemble: true,
            disassembler: disassembleBundle,
          });
          assert.match(text, /Disassembly of section \.text/);
        },
      ),
      { numRuns: 300 },
    );
  });
  test('preprocessed test-suite style sources: one-line macro expansions with bundles, sections and labels', () => {
    const files: Record<string, string> = {
      'inc/defs.h': [
        '#define CAT2(a, b) a ## b',
        '#define CAT(a, b) CAT2(a, b)',
        '#define HERE(name) CAT(CAT(.L, name), __LINE__)',
        '#define STR2(x) #x',
        '#define STR(x) STR2(x)',
        '#define CHECK_EQ(REG, VAL) \\',
        '        { cmpedb,0 REG, VAL, %pred31; nop 2; } \\',
        '        ibranch HERE(ok) ? %pred31; \\',
        '        .pushsection ".rodata"; HERE(msg):; .ascii "check at line " STR(__LINE__) "\\n"; \\',
        '        HERE(len) = . - HERE(msg); .popsection; \\',
        '        report HERE(msg), HERE(len); \\',
        '    HERE(ok):',
        '    .macro report msg, len',
        '    { addd,0 0, \\msg, %r8; addd,1 0, \\len, %r9 }',
        '    .endm',
      ].join('\n'),
      't.S': [
        '#include "defs.h"',
        '    .text',
        '    .global _start',
        '    .type _start, #function',
        '_start:',
        '    addd,0 0, 5, %dr0',
        '    CHECK_EQ(%dr0, 5)',
        '    CHECK_EQ(%dr0, 6)',
        '    .size _start, . - _start',
      ].join('\n'),
    };
    const r = assemble(files['t.S'], {
      file: 't.S',
      cpp: true,
      iset: 5,
      includeDirs: ['inc'],
      readFile: (p) => files[p],
    });
    assert.equal(r.errorCount, 0, formatDiagnostics(r.diagnostics));
    const exe = link([{ name: 't.o', bytes: r.object! }], { textAddr: 0x10000n });
    assert.deepEqual(exe.errors, []);
    const text = objdump(exe.output!, {
      fileName: 'a.out',
      disassemble: true,
      disassembler: disassembleBundle,
    });
    assert.equal((text.match(/cmpedb,0 %dr0, 0x5, %pred31/g) ?? []).length, 1);
    assert.equal((text.match(/ibranch 0x[0-9a-f]+ \? %pred31/g) ?? []).length, 2);
    assert.match(text, /addd,0 0x0, _f64 0x11000, %dr8/);
    assert.match(
      text,
      /addd,1 0x0, _f16s 0x10, %dr9/,
      'message length (16) from a symbol defined as . - label',
    );
    const ro = readElf(exe.output!).sections.find((s) => s.name === '.rodata')!;
    assert.equal(new TextDecoder().decode(ro.data), 'check at line 7\ncheck at line 8\n');
  });
});

describe('error locations inside braced bundles (real encoder)', () => {
  test('the failing operation of a multi-line bundle is pointed at', () => {
    const r = assemble(
      '{\n  nop 1\n  adds,9 %r1, %r2, %r3\n}\n{ addd,0 %dr1, 1, %dr2 ; frob %r1 }\n',
      { file: 'b.s', iset: 6 },
    );
    assert.deepEqual(
      r.diagnostics.map((d) => [d.loc.line, d.loc.col]),
      [
        [3, 2],
        [5, 25],
      ],
    );
  });
});

describe('encoding cache', () => {
  test('repeated bundles encode identically; pc-relative constants are not shared', () => {
    const r = assemble(
      '{ adds,0 %r1, %r2, %r3 }\ndisp %ctpr1, 0x40 + 0x40\n{ adds,0 %r1, %r2, %r3 }\ndisp %ctpr1, 0x40 + 0x40\n',
      { iset: 6 },
    );
    assert.equal(r.errorCount, 0, formatDiagnostics(r.diagnostics));
    const text = objdump(r.object!, {
      fileName: 'c.o',
      disassemble: true,
      disassembler: disassembleBundle,
    });
    assert.equal((text.match(/adds,0 %r1, %r2, %r3/g) ?? []).length, 2);
    // both displacements point at absolute 0x80 from their own bundles
    assert.deepEqual(text.match(/disp %ctpr1, 0x[0-9a-f]+/g), [
      'disp %ctpr1, 0x80',
      'disp %ctpr1, 0x80',
    ]);
  });
});

describe('strict_delay', () => {
  test('.ignore strict_delay drops the implicit nop of a braceless compare', () => {
    const strict = assemble('cmpedb,0 0, 0, %pred0', { iset: 6 });
    const relaxed = assemble(
      '.ignore strict_delay\ncmpedb,0 0, 0, %pred0\n.accept strict_delay\ncmpedb,0 0, 0, %pred0',
      { iset: 6 },
    );
    const relaxedOpt = assemble('cmpedb,0 0, 0, %pred0', { iset: 6, strictDelay: false });
    const code = (o: Uint8Array) => readElf(o).sections.find((s) => s.name === '.text')!.data;
    // asm-syntax.md §9: braceless cmpedb gets nop 2 → HS 0x04000101
    assert.deepEqual([...code(strict.object!).subarray(0, 4)], [0x01, 0x01, 0x00, 0x04]);
    assert.deepEqual([...code(relaxed.object!).subarray(0, 4)], [0x01, 0x00, 0x00, 0x04]);
    assert.deepEqual([...code(relaxed.object!).subarray(8, 12)], [0x01, 0x01, 0x00, 0x04]);
    assert.deepEqual([...code(relaxedOpt.object!).subarray(0, 4)], [0x01, 0x00, 0x00, 0x04]);
  });
});

describe('ld_st_style', () => {
  test('.ignore ld_st_style accepts stores with the value last (objdump order)', () => {
    const text = (src: string) => {
      const r = assemble(src, { iset: 6 });
      assert.equal(r.errorCount, 0, formatDiagnostics(r.diagnostics));
      return objdump(r.object!, {
        fileName: 's.o',
        disassemble: true,
        disassembler: disassembleBundle,
      })
        .split('\n')
        .filter((l) => /st[bw]/.test(l));
    };
    const classic = text('stw,2 %r1, [ %dr2 + %dr3 ] ? %pred0\nstb,5 %r4, %dr5, 8, mas=0x4');
    const objdumpOrder = text(
      '.ignore ld_st_style\nstw,2 [ %dr2 + %dr3 ], %r1 ? %pred0\nstb,5 %dr5, 8, %r4, mas=0x4\n.accept ld_st_style',
    );
    assert.equal(classic.length, 2);
    assert.deepEqual(objdumpOrder, classic);
  });
});

describe('R_E2K_DISP convention (binutils: r_offset = CS0, addend += CS0 offset in the bundle)', () => {
  // MCST gas (gas/config/tc-e2k.c, pack_wide_command) creates the fixup at the CS0 field
  // and adds that field's offset inside the wide instruction to the addend of a pc-relative
  // relocation; bfd/elfxx-e2k.c's HOWTO (R_E2K_DISP: rightshift 3, 28 bits, pc-relative,
  // pcrel_offset) then computes (S + A - P) >> 3 with P = the CS0 field address, i.e. the
  // distance from the bundle start.
  const SRC = `
  .text
  .global _start
_start:
  nop
  {
    adds,0 %r1, %r2, %r3
    addd,1 %dr1, %dr2, %dr3
    disp %ctpr2, far + 0x10
  }
  {
    adds,0 %r1, %r2, %r3
    disp %ctpr1, near
  }
near:
  nop
`;
  const FAR = `
  .global far
  .text
  nop
  nop
far:
  nop
  nop
  nop
`;
  test('CS0 after two ALS: r_offset is the CS0 word, the addend includes its offset', () => {
    const r = assemble(SRC, { file: 'a.s', iset: 6 });
    assert.equal(r.errorCount, 0, formatDiagnostics(r.diagnostics));
    const elf = readElf(r.object!);
    const text = elf.sections.findIndex((s) => s.name === '.text');
    const rel = (elf.relocations.get(text) ?? []).map((x) => ({
      offset: x.offset,
      type: x.type,
      sym: elf.symbols[x.sym].name,
      addend: x.addend,
    }));
    // The bundle starts at 8 (after the 8-byte nop): HS, ALS0, ALS1, CS0 → CS0 at +12.
    assert.deepEqual(rel, [{ offset: 8n + 12n, type: 110, sym: 'far', addend: 0x10n + 12n }]);
    // The local target is resolved at assembly time relative to the bundle start:
    // bundle at 0x18 (8 + 16), `near` at 0x28.
    const data = elf.sections[text].data;
    const dis = disassembleBundle(data, 0x18, 0x18n, 6);
    assert.ok(dis.lines.includes('disp %ctpr1, 0x28'), dis.lines.join('\n'));
    // CS0 (after HS and ALS0) holds (0x28 - 0x18) / 8 = 2.
    assert.equal(
      new DataView(data.buffer, data.byteOffset).getUint32(0x18 + 8, true) & 0x0fffffff,
      2,
    );
  });
  test('after linking, the displacement is measured from the bundle start', () => {
    const a = assemble(SRC, { file: 'a.s', iset: 6 });
    const b = assemble(FAR, { file: 'far.s', iset: 6 });
    assert.equal(a.errorCount + b.errorCount, 0);
    const r = link(
      [
        { name: 'a.o', bytes: a.object! },
        { name: 'far.o', bytes: b.object! },
      ],
      { textAddr: 0x10000n },
    );
    assert.deepEqual(r.errors, []);
    const far = r.symbols.get('far')!;
    const exe = readElf(r.output!);
    const t = exe.sections.find((s) => s.name === '.text')!;
    const dis = disassembleBundle(t.data, 8, t.addr + 8n, 6);
    assert.ok(
      dis.lines.includes(`disp %ctpr2, 0x${(far + 0x10n).toString(16)}`),
      dis.lines.join('\n'),
    );
    const words = new DataView(t.data.buffer, t.data.byteOffset);
    // CS0 displacement field = (far + 0x10 - bundle) / 8, the bundle at textAddr + 8.
    const disp = BigInt(words.getUint32(8 + 12, true) & 0x0fffffff);
    assert.equal(disp, (far + 0x10n - (0x10000n + 8n)) / 8n);
  });
});
