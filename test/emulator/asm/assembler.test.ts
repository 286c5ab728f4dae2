import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble, formatDiagnostic } from '../../../emulator/asm/index';
import { EM_MCST_ELBRUS, ET_REL, SHT_NOBITS } from '../../../emulator/elf/types';
import { readElf } from '../../../emulator/elf/reader';
import { fakeEncoder } from './fake-encoder';
import { asmErrors, asmOk, hex, relocs, section, sym } from './helpers';

describe('bundles and labels', () => {
  test('braced bundles are one bundle, braceless statements one each', () => {
    const e = asmOk('{ a\n b }\n a; b\n{ x; y; z }');
    const t = section(e, '.text');
    // fake encoder: 8-byte header + 8 bytes per op; header byte 1 = braced
    assert.equal(t.size, 24n + 16n + 16n + 32n);
    assert.equal(t.data[0], 2);
    assert.equal(t.data[1], 1);
    assert.equal(t.data[24 + 1], 0);
    assert.equal(t.addralign, 8n);
  });
  test('ELF header: ET_REL, EM_MCST_ELBRUS, ISA level in e_flags', () => {
    const e = asmOk('nop', { iset: 5 });
    assert.equal(e.type, ET_REL);
    assert.equal(e.machine, EM_MCST_ELBRUS);
    assert.equal(e.flags >>> 24, 5);
    assert.equal(asmOk('nop').flags >>> 24, 2, 'default is elbrus-v2 like MCST gas');
  });
  test('labels: locals, globals, .L labels not in the symbol table', () => {
    const e = asmOk('.globl g\ng: nop\nl: nop\n.Lhidden: nop\n.type g, @function\n.size g, . - g');
    assert.deepEqual(
      [sym(e, 'g')?.value, sym(e, 'g')?.bind, sym(e, 'g')?.type, sym(e, 'g')?.size],
      [0n, 1, 2, 24n],
    );
    assert.deepEqual([sym(e, 'l')?.value, sym(e, 'l')?.bind], [8n, 0]);
    assert.equal(sym(e, '.Lhidden'), undefined);
  });
  test('pc-relative displacement to a label in the same section is resolved locally', () => {
    const e = asmOk('start: nop\n disp %ctpr1, target\n nop\ntarget: nop\n disp %ctpr2, start');
    const t = section(e, '.text').data;
    // bundle at 8: field at 8+8+4 = 20; target at 32 -> (32-8)/8 = 3
    assert.equal(t[20], 3);
    // bundle at 40: start -> (0-40)/8 = -5 masked to 28 bits
    assert.equal(hex(t.subarray(40 + 12, 40 + 16)), 'fbffff0f');
    assert.deepEqual(relocs(e, '.text'), []);
  });
  test('local numeric labels 0:/0f/0b may be redefined', () => {
    const e = asmOk('1: nop\n disp %ctpr1, 1f\n1: nop\n disp %ctpr1, 1b\n disp %ctpr2, 1b');
    const t = section(e, '.text').data;
    assert.equal(t[8 + 12], 2); // from 8 to 24
    assert.equal(hex(t.subarray(32 + 12, 32 + 16)), 'ffffff0f'); // from 32 back to 24
    assert.equal(hex(t.subarray(48 + 12, 48 + 16)), 'fdffff0f'); // from 48 back to 24
    assert.equal(
      e.symbols.some((s) => s.name.includes('Lnum')),
      false,
    );
  });
  test('forward reference to a constant is re-encoded as a constant', () => {
    const e = asmOk('lit X\nX = 0x1122334455667788');
    assert.equal(hex(section(e, '.text').data.subarray(8, 16)), '4433221188776655');
    assert.deepEqual(relocs(e, '.text'), []);
  });
  test('references to other sections and undefined symbols become relocations', () => {
    const e = asmOk('lit msg + 2\n disp %ctpr1, far\n word ext\n.data\n.quad 0\nmsg: .byte 1');
    assert.deepEqual(relocs(e, '.text'), [
      { offset: 8, type: 51, sym: '.data', addend: 10n },
      { offset: 28, type: 110, sym: 'far', addend: 12n },
      { offset: 44, type: 0, sym: 'ext', addend: 0n },
    ]);
    assert.equal(sym(e, 'far')?.shndx, 0);
    assert.equal(sym(e, 'far')?.bind, 1);
  });
  test('encoder warnings are reported as warnings', () => {
    const e = asmOk('warn me');
    assert.deepEqual(e.warnings, ['fake warning']);
  });
});

describe('data directives', () => {
  test('integers are little-endian; .word is 4 bytes on e2k', () => {
    const e = asmOk(
      '.data\n.byte 1, -1\n.short 0x1234\n.hword 2\n.word 0x11223344\n.long 5\n.quad 0x0102030405060708\n.dword -2',
    );
    assert.equal(
      hex(section(e, '.data').data),
      '01ff341202004433221105000000' + '0807060504030201' + 'feffffffffffffff',
    );
  });
  test('strings: .ascii, .asciz, .string, juxtaposition, escapes', () => {
    const e = asmOk('.data\n.ascii "ab" "c\\n"\n.asciz "x", "y"\n.string "\\101\\x42\\t\\\\\\""');
    assert.equal(new TextDecoder().decode(section(e, '.data').data), 'abc\nx\0y\0AB\t\\"\0');
  });
  test('.fill, .skip/.space, .zero, .align (byte count), .p2align, .balign', () => {
    const e = asmOk(
      '.data\n.byte 1\n.align 4\n.fill 2, 2, 0x0102\n.skip 2, 7\n.zero 1\n.p2align 3\n.byte 9\n.balign 4, 0xee',
    );
    assert.equal(
      hex(section(e, '.data').data),
      '01000000' + '02010201' + '0707' + '00' + '0000000000' + '09eeeeee',
    );
    assert.equal(section(e, '.data').addralign, 8n);
  });
  test('symbol values: .quad → R_E2K_64_ABS, .word → R_E2K_32_ABS', () => {
    const e = asmOk('.data\n.quad ext + 8, here\nhere: .word ext2\n.word here - .data');
    assert.deepEqual(relocs(e, '.data'), [
      { offset: 0, type: 50, sym: 'ext', addend: 8n },
      { offset: 8, type: 50, sym: '.data', addend: 16n },
      { offset: 16, type: 0, sym: 'ext2', addend: 0n },
    ]);
    assert.equal(hex(section(e, '.data').data.subarray(20)), '10000000');
  });
  test('.bss is NOBITS; .section with flags; push/pop/previous', () => {
    const e = asmOk(
      '.bss\n.skip 100\n.section ".rodata"\n.byte 1\n.pushsection .mysec, "aw", @progbits\n.byte 2\n.popsection\n.byte 3\n.data\n.byte 4\n.previous\n.byte 5',
    );
    assert.equal(section(e, '.bss').type, SHT_NOBITS);
    assert.equal(section(e, '.bss').size, 100n);
    assert.equal(hex(section(e, '.rodata').data), '010305');
    assert.equal(section(e, '.mysec').flags, 3n);
  });
  test('.set/.equ/= with . and label differences', () => {
    const e = asmOk(
      '.data\nmsg: .ascii "hello"\nlen = . - msg\n.set twice, len * 2\n.equ three, 3\n.byte len, twice, three',
    );
    assert.equal(hex(section(e, '.data').data.subarray(5)), '050a03');
    assert.equal(sym(e, 'len')?.value, 5n);
  });
  test('.reg emits the register operand code', () => {
    assert.equal(
      hex(section(asmOk('.data\n.reg %r5\n.reg %b[3]\n.reg %dg2'), '.data').data),
      '0583e2',
    );
  });
});

describe('macros and repetition', () => {
  test('parameters, defaults, keyword arguments, \\@ and \\()', () => {
    const e = asmOk(
      '.macro put a, b=7\n.byte \\a, \\b\n.endm\n.macro lbl\nl\\@\\()x: .byte \\@\n.endm\n.data\nput 1\nput 2, 3\nput b=4, a=5\nlbl\nlbl',
    );
    // \@ counts every macro expansion so far (gas), so the two lbl expansions get 3 and 4
    assert.equal(hex(section(e, '.data').data), '010702030504' + '0304');
    assert.ok(sym(e, 'l3x') && sym(e, 'l4x'));
  });
  test('.endm after ; on the same line, nested macro use, .exitm, blank-separated args', () => {
    const e = asmOk(
      '.macro one x; .byte \\x; .endm\n.macro two x, y\none \\x\n.exitm\none \\y\n.endm\n.data\ntwo 1 2',
    );
    assert.equal(hex(section(e, '.data').data), '01');
  });
  test('.rept and .irp', () => {
    const e = asmOk('.data\n.rept 3\n.byte 7\n.endr\n.irp r, 1, 2, 3\n.byte \\r * 2\n.endr');
    assert.equal(hex(section(e, '.data').data), '070707020406');
  });
  test('an error inside a macro is reported at the invocation', () => {
    const errs = asmErrors('.macro m\n.bogus\n.endm\n\nm');
    assert.deepEqual(errs, ["5:1: unknown directive '.bogus' (in expansion of macro 'm')"]);
  });
});

describe('conditionals, defines and includes', () => {
  test('.if/.elseif/.else/.endif with nesting', () => {
    const src =
      '.data\n.if X == 1\n.byte 1\n.elseif X == 2\n.byte 2\n.if 0\n.byte 99\n.else\n.byte 3\n.endif\n.else\n.byte 4\n.endif';
    const run = (x: bigint) => hex(section(asmOk(src, { defines: { X: x } }), '.data').data);
    assert.equal(run(1n), '01');
    assert.equal(run(2n), '0203');
    assert.equal(run(5n), '04');
  });
  test('.ifdef/.ifndef/.ifc/.ifb', () => {
    const e = asmOk(
      '.data\n.ifdef D\n.byte 1\n.endif\n.ifndef U\n.byte 2\n.endif\n.ifc a,a\n.byte 3\n.endif\n.ifnb x\n.byte 4\n.endif',
      { defines: { D: 1n } },
    );
    assert.equal(hex(section(e, '.data').data), '01020304');
  });
  test('.include searches the including directory, then -I directories', () => {
    const files: Record<string, string> = {
      'src/a.inc': '.byte 1\n.include "b.inc"',
      'inc/b.inc': '.byte 2',
    };
    const e = asmOk('.data\n.include "a.inc"\n.byte 3', {
      file: 'src/main.s',
      includeDirs: ['inc'],
      readFile: (p) => files[p],
    });
    assert.equal(hex(section(e, '.data').data), '010203');
  });
  test('a missing include file is an error naming it', () => {
    assert.deepEqual(asmErrors('.include "nope.inc"', { readFile: () => undefined }), [
      "1:10: cannot find include file 'nope.inc'",
    ]);
  });
  test('recursive include is stopped', () => {
    const errs = asmErrors('.include "self.s"', { readFile: () => '.include "self.s"' });
    assert.match(errs[0], /too deep/);
  });
});

describe('errors', () => {
  test('format: file:line:col: error: message, source line, caret', () => {
    const r = assemble('  nop\n  .byte 1, @\n', { encoder: fakeEncoder, file: 'x.s' });
    const text = r.diagnostics
      .map(
        (d) =>
          `${d.loc.file}:${d.loc.line}:${d.loc.col + 1}: ${d.severity}: ${d.message}\n${d.loc.lineText}`,
      )
      .join('\n');
    assert.match(
      text,
      /^x\.s:2:\d+: error: unexpected character '@' in expression\n {2}\.byte 1, @$/,
    );
    const formatted = formatDiagnostic(r.diagnostics[0]);
    assert.equal(
      formatted,
      "x.s:2:12: error: unexpected character '@' in expression\n  .byte 1, @\n           ^",
    );
  });
  test('all errors of a file are reported', () => {
    const errs = asmErrors(
      '.bogus\nbad op\n.quad 1 +\nlab: nop\nlab: nop\n{ nop\nx: nop }\n}\n disp %ctpr1, 3f\n.data\n.byte ext\n{ nop',
    );
    assert.deepEqual(errs, [
      "1:1: unknown directive '.bogus'",
      "2:1: bad operation 'bad op'",
      '3:10: missing operand',
      "5:1: symbol 'lab' is already defined (at t.s:4)",
      "7:1: label 'x' inside a bundle (labels must come between bundles)",
      "8:1: '}' without a matching '{'",
      "9:2: undefined local symbol '3f'",
      "11:7: cannot store the address of 'ext' in 1 byte (use .word or .quad)",
      "12:1: missing '}' at end of input",
    ]);
  });
  test('errors found after the first pass: undefined local label, bad data relocation', () => {
    assert.deepEqual(asmErrors(' disp %ctpr1, 3f'), ["1:2: undefined local symbol '3f'"]);
    assert.deepEqual(asmErrors('.data\n.byte ext'), [
      "2:7: cannot store the address of 'ext' in 1 byte (use .word or .quad)",
    ]);
    assert.deepEqual(asmErrors('.data\n.byte 300'), ['2:7: value 0x12c does not fit in 1 byte']);
  });
  test('misaligned bundle, instruction in data, conditional mismatch', () => {
    assert.deepEqual(asmErrors('.byte 1\nnop'), [
      "2:1: bundle at offset 0x1 of '.text' is not 8-byte aligned (add '.align 8')",
    ]);
    assert.deepEqual(asmErrors('.data\nnop'), [
      "2:1: instructions in non-executable section '.data'",
    ]);
    assert.deepEqual(asmErrors('.endif'), ["1:1: '.endif' without '.if'"]);
    assert.match(asmErrors('.if 1\n')[0], /missing '\.endif'/);
    assert.match(asmErrors('.macro m\n')[0], /missing '\.endm'/);
  });
  test('backward reference without definition', () => {
    assert.deepEqual(asmErrors(' disp %ctpr1, 4b'), [
      '1:15: backward reference to undefined local label 4',
    ]);
  });
});

describe('listing', () => {
  test('-al lists address, bytes and source', () => {
    const r = assemble('start:\n  nop\n.data\n  .byte 1, 2\n', {
      encoder: fakeEncoder,
      listing: true,
    });
    assert.equal(
      r.listing,
      '    1                           start:\n    2 0000 0000000000000000    nop\n    3                           .data\n    4 0000 0102                .byte 1, 2\n',
    );
  });
});

describe('robustness', () => {
  test('arbitrary text never throws: only diagnostics (fake and real encoder)', async () => {
    const fc = (await import('fast-check')).default;
    const alphabet = fc.constantFrom(
      ...'{};:!#".,=+-*/()[]\\@%$ \n\tabcdefnopxyz0123456789'.split(''),
      '.macro m a\n',
      '.endm\n',
      '.if 1\n',
      '.endif\n',
      '.rept 2\n',
      '.endr\n',
      '1f',
      '1b',
      '.data\n',
      '.quad ',
      'disp %ctpr1, ',
      'lit ',
      '.include "x"\n',
      'addd,0 %dr0, ',
      ' %r1',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => {
        const src = parts.join('');
        for (const encoder of [fakeEncoder, undefined]) {
          const r = assemble(src, { encoder, readFile: () => '.byte 1' });
          assert.equal(r.object === undefined, r.errorCount > 0);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('listing of macro expansions', () => {
  test('bytes of an expansion are listed at the invocation line', () => {
    const r = assemble('.macro two\n.byte 1\n.byte 2\n.endm\n.data\ntwo\n', {
      encoder: fakeEncoder,
      listing: true,
    });
    assert.match(r.listing!, /^ {4}6 0000 0102 {14}two$/m);
  });
});

describe('.org', () => {
  test('pads to a section offset, with fill; backwards is an error', () => {
    const e = asmOk('.data\n.byte 1\n.org 4, 0xee\n.byte 2\nhere: .org here + 2\n.byte 3');
    assert.equal(hex(section(e, '.data').data), '01eeeeee020000' + '03');
    const t = asmOk('nop\n.org 0x20\nvec: nop');
    assert.equal(sym(t, 'vec')?.value, 0x20n);
    assert.deepEqual(asmErrors('.data\n.skip 8\n.org 4'), [
      "3:6: '.org 0x4' would move backwards (already at 0x8)",
    ]);
    assert.deepEqual(asmErrors('.data\n.org ext'), [
      "2:6: .org needs an offset in section '.data'",
    ]);
  });
});

describe('.label', () => {
  test('an internal label inside a bundle names the bundle', () => {
    const e = asmOk('nop\n{ a\n .label inner\n b }');
    assert.equal(sym(e, 'inner')?.value, 8n);
  });
});

describe('large repetitions', () => {
  test('.rept with a large count and .irpc', () => {
    const e = asmOk('.data\n.rept 5000\n.byte 1\n.endr\n.irpc c, 123\n.byte \\c\n.endr');
    assert.equal(section(e, '.data').size, 5003n);
    assert.equal(hex(section(e, '.data').data.subarray(5000)), '010203');
    assert.match(asmErrors('.macro r\nr\n.endm\nr')[0], /macro expansion nesting too deep/);
  });
});

describe('.exitm', () => {
  test('leaves the whole macro, also from inside a .rept', () => {
    const e = asmOk('.macro m\n.rept 3\n.byte 1\n.exitm\n.endr\n.byte 2\n.endm\n.data\nm\n.byte 3');
    assert.equal(hex(section(e, '.data').data), '0103');
    assert.deepEqual(asmErrors('.rept 1\n.exitm\n.endr'), ["2:1: '.exitm' outside a macro"]);
  });
});

describe('layout pass re-encoding (real encoder)', () => {
  // Volatile bundles are re-encoded only when their pc or an evaluated value changed: a value
  // defined after its use must still give the same code as one defined before it, also when
  // it changes the literal size (and so moves the bundles after it).
  const body = (early: string, late: string) =>
    `  .text\n${early}a:\n  addd,0 %dr0, val, %dr1\n  disp %ctpr1, b\n` +
    `  addd,0 %dr0, val + 0x10000, %dr2\n  nop\nb:\n  ct %ctpr1\n${late}`;
  const textAndRelocs = (src: string) => {
    const r = assemble(src, { iset: 6 });
    assert.equal(r.errorCount, 0);
    const e = readElf(r.object!);
    return { text: hex(section(e, '.text').data), relocs: relocs(e, '.text') };
  };
  for (const v of ['5', '0x123456789', 'ext + 8']) {
    test(`val = ${v} after its uses`, () => {
      assert.deepEqual(
        textAndRelocs(body('', `  val = ${v}\n`)),
        textAndRelocs(body(`  val = ${v}\n`, '')),
      );
    });
  }
});
