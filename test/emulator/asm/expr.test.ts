import { describe, test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { evaluate, ExprError, parseNumber } from '../../../emulator/asm/expr';
import type { ExprEnv, Value } from '../../../emulator/asm/expr';

const syms: Record<string, Value> = {
  five: { sym: null, add: 5n },
  lab: { sym: 'lab', add: 0n },
  lab2: { sym: 'lab2', add: 0n },
};
const env: ExprEnv = {
  lookup: (n) => syms[n],
  dot: () => ({ sym: '.text', add: 0x40n }),
  difference: (a, b) =>
    a === 'lab2' && b === 'lab' ? 24n : a === '.text' && b === 'lab' ? -0x10n : undefined,
};
const val = (s: string) => {
  const v = evaluate(s, env);
  assert.equal(v.sym, null, `${s} should be absolute`);
  return v.add;
};

describe('numbers', () => {
  test('bases and C suffixes', () => {
    assert.equal(parseNumber('010'), 8n);
    assert.equal(parseNumber('0x00f7b3d591e6a2c48'), 0xf7b3d591e6a2c48n);
    assert.equal(parseNumber('0b101'), 5n);
    assert.equal(parseNumber('1UL'), 1n);
    assert.equal(parseNumber('1ULL'), 1n);
    assert.equal(parseNumber('7u'), 7n);
    assert.equal(parseNumber('08'), undefined);
  });
});

describe('operators', () => {
  test('gas precedence: shifts bind tighter than |, which binds tighter than +', () => {
    assert.equal(val('(32 << 6) | 8'), 2056n);
    assert.equal(val('1 + 2 | 4'), 7n);
    assert.equal(val('2 + 3 * 4'), 14n);
    assert.equal(val('(1UL << 37) | 8'), (1n << 37n) | 8n);
    assert.equal(val('(1ULL << 32) - 1'), 0xffffffffn);
    assert.equal(val('[2 + 3] * 2'), 10n);
  });
  test('unary and comparisons (true = -1)', () => {
    assert.equal(val('-5 + ~0'), -6n);
    assert.equal(val('3 == 3'), -1n);
    assert.equal(val('3 < 2'), 0n);
    assert.equal(val('1 && 0'), 0n);
    assert.equal(val("'A' + 1"), 66n);
  });
  test('64-bit wrap-around', () => {
    assert.equal(val('0xffffffffffffffff'), -1n);
    assert.equal(val('1 << 64'), 0n);
  });
});

describe('symbols', () => {
  test('absolute symbols fold, relocatable ones keep symbol + addend', () => {
    assert.equal(val('five * 2'), 10n);
    assert.deepEqual(evaluate('lab + 8', env), { sym: 'lab', add: 8n });
    assert.deepEqual(evaluate('4 + lab - 1', env), { sym: 'lab', add: 3n });
    assert.deepEqual(evaluate('undefined_sym', env), { sym: 'undefined_sym', add: 0n });
    assert.deepEqual(evaluate('$lab', env), { sym: 'lab', add: 0n });
  });
  test('label differences in one section are constants', () => {
    assert.equal(val('lab2 - lab'), 24n);
    assert.equal(val('. - lab'), 0x30n);
    assert.equal(val('lab - lab'), 0n);
  });
  test('errors name the problem and column', () => {
    const err = (s: string, re: RegExp, col?: number) =>
      assert.throws(
        () => evaluate(s, env),
        (e: unknown) =>
          e instanceof ExprError && re.test(e.message) && (col === undefined || e.column === col),
      );
    err('lab + lab2', /cannot add two symbols/);
    err('lab * 2', /needs absolute operands/, 4);
    err('1 / 0', /division by zero/);
    err('(1 + 2', /missing '\)'/);
    err('1 +', /missing operand/);
    err('5 5', /unexpected '5'/, 2);
    err('0x', /bad number/, 0);
    err('ext - lab', /not a constant/);
  });
});

describe('property: random expressions', () => {
  test('fully parenthesised random expressions evaluate like a BigInt reference', () => {
    type E = { text: string; value: bigint };
    const wrap = (v: bigint) => BigInt.asIntN(64, v);
    const leaf = fc
      .bigInt({ min: 0n, max: (1n << 40n) - 1n })
      .map((n): E => ({ text: `0x${n.toString(16)}`, value: n }));
    const ops: [string, (a: bigint, b: bigint) => bigint | null][] = [
      ['+', (a, b) => wrap(a + b)],
      ['-', (a, b) => wrap(a - b)],
      ['*', (a, b) => wrap(a * b)],
      ['&', (a, b) => wrap(a & b)],
      ['|', (a, b) => wrap(a | b)],
      ['^', (a, b) => wrap(a ^ b)],
      ['/', (a, b) => (b === 0n ? null : wrap(a / b))],
    ];
    const tree: fc.Arbitrary<E> = fc.letrec<{ e: E }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('e'), fc.constantFrom(...ops), tie('e')).map(([a, [op, f], b]): E => {
          const v = f(a.value, b.value);
          return v === null ? a : { text: `(${a.text} ${op} ${b.text})`, value: v };
        }),
        tie('e').map((a): E => ({ text: `~${a.text}`, value: wrap(~a.value) })),
      ),
    })).e;
    fc.assert(
      fc.property(tree, (e) => {
        assert.deepEqual(evaluate(e.text, env), { sym: null, add: e.value });
      }),
      { numRuns: 500 },
    );
  });
});
