import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitStatements } from '../../../emulator/asm/lexer';

const kinds = (src: string) =>
  splitStatements(src, 'f.s').map((s) => (s.kind === 'stmt' ? s.text : s.kind));

describe('splitStatements', () => {
  test('; { } and newlines end statements; braces are tokens', () => {
    assert.deepEqual(kinds('{ a; b }\nc;d'), ['open', 'a', 'b', 'close', 'c', 'd']);
    assert.deepEqual(kinds('{ cmpedb %r0, 5, %pred31; nop 2; } ibranch .L1 ? %pred31; .L1:'), [
      'open',
      'cmpedb %r0, 5, %pred31',
      'nop 2',
      'close',
      'ibranch .L1 ? %pred31',
      '.L1:',
    ]);
  });
  test('comments: ! anywhere, # in column 1, C comments', () => {
    assert.deepEqual(
      kinds('a ! comment ; not a statement\n# line comment\n  #x\nb /* c; */ d // e;f'),
      ['a', '#x', 'b   d'],
    );
    assert.deepEqual(kinds('a /* multi\nline; */ b'), ['a', 'b']);
  });
  test('separators inside strings and character constants are kept', () => {
    assert.deepEqual(kinds('.ascii "a;b!{c}" ; x'), ['.ascii "a;b!{c}"', 'x']);
    assert.deepEqual(kinds(".byte ';', 1"), [".byte ';', 1"]);
  });
  test('!= is an operator, not a comment', () => {
    assert.deepEqual(kinds('.if a != b'), ['.if a != b']);
  });
  test('locations: line, column, source line; cpp line markers move them', () => {
    const s = splitStatements('\n  foo; bar\n# 10 "orig.S"\nbaz', 'f.s');
    assert.deepEqual(
      s.map((x) => [x.loc.file, x.loc.line, x.loc.col]),
      [
        ['f.s', 2, 2],
        ['f.s', 2, 7],
        ['orig.S', 10, 0],
      ],
    );
    assert.equal(s[1].loc.lineText, '  foo; bar');
  });
});
