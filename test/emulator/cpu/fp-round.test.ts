/**
 * Directed rounding of + - * / (fp-round.ts) checked against exact rational arithmetic on
 * BigInt: RD ≤ exact ≤ RU, RU is RD or its successor, RN is one of them, RZ is the one
 * toward zero; inexact is raised exactly when RD ≠ exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FE_INEXACT, fma32, fma64, FPENV, op32, op64 } from '../../../emulator/cpu/fp-round';
import type { FpOp } from '../../../emulator/cpu/fp-round';

const dv = new DataView(new ArrayBuffer(8));
/** x = m · 2^e exactly (finite x). */
function rat(x: number): [bigint, number] {
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const ex = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = ex === 0 ? frac : frac | (1n << 52n);
  return [sign * m, (ex === 0 ? 1 : ex) - 1075];
}
/** sign of (x - exact(a op b)) using exact BigInt arithmetic. */
function cmpExact(x: number, op: FpOp, a: number, b: number): number {
  const [mx, ex] = rat(x);
  const [ma, ea] = rat(a);
  const [mb, eb] = rat(b);
  // bring everything to a common exponent
  const sh = (m: bigint, e: number, to: number) => m << BigInt(e - to);
  let lhs: bigint;
  let rhs: bigint;
  if (op === 'add' || op === 'sub') {
    const e = Math.min(ex, ea, eb);
    lhs = sh(mx, ex, e);
    rhs = sh(ma, ea, e) + (op === 'sub' ? -1n : 1n) * sh(mb, eb, e);
  } else if (op === 'mul') {
    const e = Math.min(ex, ea + eb);
    lhs = sh(mx, ex, e);
    rhs = sh(ma * mb, ea + eb, e);
  } else {
    // x - a/b compared as (x·b - a)·sign(b)
    const e = Math.min(ex + eb, ea);
    lhs = sh(mx * mb, ex + eb, e) * (mb < 0n ? -1n : 1n);
    rhs = sh(ma, ea, e) * (mb < 0n ? -1n : 1n);
  }
  return lhs === rhs ? 0 : lhs > rhs ? 1 : -1;
}

function withMode(rc: number, f: () => number): [number, number] {
  FPENV.rc = rc;
  FPENV.flags = 0;
  const r = f();
  const flags = FPENV.flags;
  FPENV.rc = 0;
  FPENV.flags = 0;
  return [r, flags];
}

// Error-free transformations are exact while no intermediate under/overflows: keep the
// magnitudes in [1e-140, 1e140] (documented limitation of fp-round.ts).
const finite = fc
  .tuple(
    fc.double({ noNaN: true, min: 1, max: 2, maxExcluded: true }),
    fc.integer({ min: -465, max: 465 }),
    fc.boolean(),
  )
  .map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e);

for (const op of ['add', 'sub', 'mul', 'div'] as FpOp[]) {
  test(`binary64 ${op}: directed rounding brackets the exact result`, () => {
    fc.assert(
      fc.property(finite, finite, (a, b) => {
        if (op === 'div' && b === 0) return;
        const [rn] = withMode(0, () => op64(op, a, b));
        const [rd, fl] = withMode(1, () => op64(op, a, b));
        const [ru] = withMode(2, () => op64(op, a, b));
        const [rz] = withMode(3, () => op64(op, a, b));
        if (!Number.isFinite(rn) || !Number.isFinite(rd) || !Number.isFinite(ru)) return;
        if (Math.abs(rn) < 2 ** -1000) return; // subnormal range: error terms not exact
        assert.ok(cmpExact(rd, op, a, b) <= 0, 'RD above exact');
        assert.ok(cmpExact(ru, op, a, b) >= 0, 'RU below exact');
        assert.ok(rn === rd || rn === ru);
        const exact = cmpExact(rd, op, a, b) === 0;
        assert.equal((fl & FE_INEXACT) !== 0, !exact);
        if (!exact) assert.ok(ru > rd);
        assert.equal(rz, rn >= 0 && rd >= 0 ? rd : ru >= 0 && rd < 0 ? (rn > 0 ? rd : ru) : ru);
      }),
      { numRuns: 400 },
    );
  });
}

test('binary32 division by 3 rounds per mode', () => {
  const [up] = withMode(2, () => op32('div', 1, 3));
  const [down] = withMode(1, () => op32('div', 1, 3));
  assert.equal(Math.fround(up), up);
  assert.ok(down < 1 / 3 && 1 / 3 < up);
});

/** sign of (x + y − k·(a·b + c)) exactly (y = 0, k = 1: x against the exact result). */
function cmpFma(x: number, a: number, b: number, c: number, y = 0, k = 1n): number {
  const [mx, ex] = rat(x);
  const [my, ey] = rat(y);
  const [ma, ea] = rat(a);
  const [mb, eb] = rat(b);
  const [mc, ec] = rat(c);
  const e = Math.min(ex, ey, ea + eb, ec);
  const sh = (m: bigint, from: number) => m << BigInt(from - e);
  const lhs = sh(mx, ex) + sh(my, ey);
  const rhs = k * (sh(ma * mb, ea + eb) + sh(mc, ec));
  return lhs === rhs ? 0 : lhs > rhs ? 1 : -1;
}

const mid = fc
  .tuple(
    fc.double({ noNaN: true, min: 1, max: 2, maxExcluded: true }),
    fc.integer({ min: -200, max: 200 }),
    fc.boolean(),
  )
  .map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e);

for (const single of [false, true]) {
  test(`fused multiply-add binary${single ? 32 : 64}: one rounding in every mode`, () => {
    const r = single ? Math.fround : (v: number) => v;
    const fma = single ? fma32 : fma64;
    fc.assert(
      fc.property(mid, mid, mid, fc.integer({ min: 0, max: 3 }), (a0, b0, c0, kind) => {
        const a = r(a0);
        const b = r(b0);
        // kind 0: independent c; 1-3: c near −a·b (cancellation, the hard cases)
        const c = r(
          kind === 0
            ? c0
            : -(a * b) * (1 + (kind - 2) * 2 ** -30) + (kind === 3 ? c0 * 2 ** -60 : 0),
        );
        const [rn] = withMode(0, () => fma(a, b, c));
        const [rd, fl] = withMode(1, () => fma(a, b, c));
        const [ru] = withMode(2, () => fma(a, b, c));
        const [rz] = withMode(3, () => fma(a, b, c));
        if (![rn, rd, ru].every(Number.isFinite)) return;
        if (Math.abs(rd) < (single ? 2 ** -126 : 2 ** -1000) && rd !== 0) return;
        assert.equal(r(rd), rd);
        assert.equal(r(ru), ru);
        assert.ok(cmpFma(rd, a, b, c) <= 0, 'RD above exact');
        assert.ok(cmpFma(ru, a, b, c) >= 0, 'RU below exact');
        const exact = cmpFma(rd, a, b, c) === 0;
        assert.equal((fl & FE_INEXACT) !== 0, !exact);
        if (exact) {
          assert.ok(rn === rd && ru === rd && rz === rd);
          return;
        }
        assert.ok(ru > rd);
        // RN: compare 2·exact with rd + ru (ties to even)
        const side = cmpFma(rd, a, b, c, ru, 2n);
        if (side > 0) assert.equal(rn, rd, 'RN should round down');
        else if (side < 0) assert.equal(rn, ru, 'RN should round up');
        else assert.ok(rn === rd || rn === ru);
        assert.equal(rz, rd >= 0 ? rd : ru);
      }),
      { numRuns: 600 },
    );
  });
}

test('fused multiply-add: the double-rounding cases', () => {
  // binary64: (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 (unfused: 0)
  assert.equal(fma64(1 + 2 ** -52, 1 - 2 ** -52, -1), -(2 ** -104));
  // binary32: exact 1 + 3·2^-24 - 2^-70 is below the float midpoint; rounding through
  // binary64 first would land on the midpoint and go to even (1 + 2^-22)
  const a = Math.fround(1 + 2 ** -23);
  const b = Math.fround((1 - 2 ** -23) * 2 ** -24);
  assert.equal(fma32(a, b, a), 1 + 2 ** -23);
  // exact zero: +0, −0 when rounding down
  assert.ok(Object.is(fma64(2, 3, -6), 0));
  assert.ok(Object.is(withMode(1, () => fma64(2, 3, -6))[0], -0));
  // ∞·0 + 1 is invalid
  const [nan, fl] = withMode(0, () => fma64(Infinity, 0, 1));
  assert.ok(Number.isNaN(nan));
  assert.equal(fl & 1, 1);
});
