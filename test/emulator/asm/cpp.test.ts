import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../../emulator/asm/index';
import { cExpr, preprocess } from '../../../emulator/asm/cpp';
import { fakeEncoder } from './fake-encoder';
import { hex, section } from './helpers';
import { readElf } from '../../../emulator/elf/reader';

const pp = (
  src: string,
  defines: Record<string, string> = {},
  files: Record<string, string> = {},
) => {
  const r = preprocess(src, 'm.S', {
    defines,
    readFile: (p) => files[p],
    includeDirs: ['include'],
  });
  return {
    text: r.text.split('\n').filter((l) => l.trim() && !l.startsWith('#')),
    errors: r.diagnostics.map((d) => `${d.loc.file}:${d.loc.line}: ${d.message}`),
  };
};

describe('C preprocessor', () => {
  test('object- and function-like macros, # and ##, nesting', () => {
    const r = pp(
      '#define N 4\n#define ADD(a, b) addd,0 a, b, %r##a\n#define STR(x) #x\n#define TWICE(x) ADD(x, N)\nADD(1, N)\n.ascii STR(hi there)\nTWICE(2)',
    );
    assert.deepEqual(r.text, ['addd,0 1, 4, %r1', '.ascii "hi there"', 'addd,0 2, 4, %r2']);
  });
  test('conditionals with defined, arithmetic, #elif/#else', () => {
    const src =
      '#if defined(A) && __iset__ >= 5\nyes\n#elif !defined A\nno_a\n#else\nold\n#endif\n#ifdef UNDEFINED\nx\n#endif';
    assert.deepEqual(pp(src, { A: '1', __iset__: '6' }).text, ['yes']);
    assert.deepEqual(pp(src, { __iset__: '6' }).text, ['no_a']);
    assert.deepEqual(pp(src, { A: '1', __iset__: '3' }).text, ['old']);
    assert.deepEqual(
      pp('#if __LCC__ < 120\nskip\n#endif').text,
      ['skip'],
      'undefined identifiers are 0',
    );
  });
  test('includes, __FILE__/__LINE__, splicing, comments, line markers', () => {
    const r = preprocess(
      '#include "common.S"\nline __LINE__ __FILE__ /* c */ // d\n#define LONG a \\\n  b\nLONG',
      'm.S',
      {
        readFile: (p) => (p === 'include/common.S' ? '#define X 1\nX' : undefined),
        includeDirs: ['include'],
      },
    );
    assert.deepEqual(r.diagnostics, []);
    assert.equal(
      r.text,
      '# 1 "m.S"\n# 1 "include/common.S"\n\n1\n# 2 "m.S"\nline 2 "m.S"   \n\n\na   b\n',
    );
  });
  test('errors: #error, missing include, unterminated #if, bad arity', () => {
    assert.deepEqual(pp('#error stop here').errors, ['m.S:1: #error stop here']);
    assert.deepEqual(pp('#include "nope.h"').errors, ["m.S:1: cannot find include file 'nope.h'"]);
    assert.deepEqual(pp('#if 1\n').errors, ['m.S:2: unterminated #if']);
    assert.deepEqual(pp('#define F(a,b) a\nF(1)').errors, [
      "m.S:2: macro 'F' requires 2 arguments, but 1 given",
    ]);
  });
  test('C expression precedence and ternary', () => {
    assert.equal(cExpr('1 + 2 * 3 << 1'), 14n);
    assert.equal(cExpr('(1 | 2) == 3 ? 10 : 20'), 10n);
    assert.equal(cExpr('0x10 >> 2 & 1'), 0n);
    assert.equal(cExpr('1UL << 37'), 1n << 37n);
  });
  test('assemble with cpp: a multi-statement macro line and original locations in errors', () => {
    const src =
      '#define PUT(v) .byte v; .byte v + 1\n.data\nPUT(1)\n#if __iset__ == 6\nPUT(5)\n#endif\n.bogus';
    const ok = assemble(src.replace('.bogus', ''), {
      encoder: fakeEncoder,
      cpp: true,
      iset: 6,
      file: 'x.S',
    });
    assert.equal(ok.errorCount, 0);
    assert.equal(hex(section(readElf(ok.object!), '.data').data), '01020506');
    const bad = assemble(src, { encoder: fakeEncoder, cpp: true, iset: 6, file: 'x.S' });
    assert.deepEqual(
      bad.diagnostics.map((d) => `${d.loc.file}:${d.loc.line}: ${d.message}`),
      ["x.S:7: unknown directive '.bogus'"],
    );
  });
});

describe('preprocessor robustness', () => {
  test('random directive soup yields text and diagnostics, never an exception', async () => {
    const fc = (await import('fast-check')).default;
    const piece = fc.constantFrom(
      '#define A B\n',
      '#define B A\n',
      '#define F(x) F(x) #x x##x\n',
      '#if A\n',
      '#elif 1/0\n',
      '#else\n',
      '#endif\n',
      '#include "x"\n',
      '#undef A\n',
      'F(',
      ')',
      'A',
      ' ',
      '"',
      '\\\n',
      '/*',
      '*/',
      '//',
      '#error e\n',
      '#if (1 ?\n',
      '__LINE__',
      ',',
      '\n',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const r = preprocess(parts.join(''), 'f.S', { readFile: () => '#include "x"\n' });
        assert.equal(typeof r.text, 'string');
      }),
      { numRuns: 500 },
    );
  });
});
