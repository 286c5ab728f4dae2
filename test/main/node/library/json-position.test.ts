import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeJsonError, jsonErrorOffset } from '../../../../main/node/library/json-position';
import { parseJsonWithPosition } from '../../../../main/node/library/atomic-file';

const parses = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

test('agrees with JSON.parse on valid documents and on random text', () => {
  fc.assert(fc.property(fc.json(), (s) => jsonErrorOffset(s) === -1));
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.json().map((j) => j.slice(0, -1) + '}'),
        fc.json().map((j) => j.replace(/"/, '')),
      ),
      (s) => {
        assert.equal(jsonErrorOffset(s) === -1, parses(s), JSON.stringify(s));
      },
    ),
  );
});

test('points at the first bad character', () => {
  const cases: [string, string][] = [
    ['{"x": }', "line 1, column 7: unexpected '}'"],
    ['{\n  "a": 1,\n}', "line 3, column 1: unexpected '}'"],
    ['{"a": 1', 'line 1, column 8: unexpected end of file'],
    ['{"a": tru}', "line 1, column 10: unexpected '}'"],
    ['{"a": "x\ny"}', 'line 1, column 9: unexpected control character U+000a'],
    ["{'a': 1}", "line 1, column 2: unexpected '''"],
    ['{"a": 01}', "line 1, column 8: unexpected '1'"],
    ['', 'line 1, column 1: unexpected end of file'],
    ['{} x', "line 1, column 4: unexpected 'x'"],
  ];
  for (const [text, want] of cases) {
    const r = parseJsonWithPosition(text);
    assert.equal(r.ok, false, text);
    assert.equal(!r.ok && r.problem, `not valid JSON at ${want}`, text);
  }
  assert.equal(describeJsonError('x', 5), 'unexpected end of file');
});

test('a BOM is accepted', () => {
  assert.deepEqual(parseJsonWithPosition('\ufeff{"a":1}'), { ok: true, value: { a: 1 } });
});
