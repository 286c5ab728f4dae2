/**
 * The executor's short path for plain bundles (cpu.ts execPlain, compile.ts plainOnly: plain
 * ALU channels, ordinary loads/stores, ctpr preparation, ct/ibranch) must behave exactly like the
 * full exec(): every real plain bundle of the golden vectors is run
 * from the same random state both ways (a trace hook forces the full path) and the
 * registers, tags, predicates, memory, ip and exception must agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { VECTOR_DIR } from '../isa/vectors';
import { Cpu, Stop } from '../../../emulator/cpu/cpu';
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../emulator/cpu/memory';
import { cpuModel } from '../../../emulator/cpu/models';
import { compileBundle } from '../../../emulator/cpu/compile';
import { decodeBundle } from '../../../emulator/isa/decode';

const CODE = 0x10000;
const DATA = 0;

function bundles(level: 5 | 6): Uint8Array[] {
  return readFileSync(`${VECTOR_DIR}/v${level}.tsv`, 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t')[2])
    .filter((h): h is string => !!h && /^[0-9a-f]+$/.test(h))
    .map((h) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16)))
    .filter((b) => {
      const cb = compileBundle(decodeBundle(b, 0, level), CODE);
      return cb.plainOnly && !cb.illegal;
    });
}

/** A CPU with `code` at CODE and a state derived from `seed` (some tagged registers). */
function cpuWith(code: Uint8Array, seed: number[], level: 5 | 6): Cpu {
  const mem = new Memory();
  mem.map(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  mem.writeBytes(CODE, code);
  mem.map(0x100000000, 1 << 20, PROT_READ | PROT_WRITE);
  const c = new Cpu(mem, cpuModel(level === 6 ? 'e16c' : 'e8c2'));
  c.psBase = 0x100000000;
  c.psSize = 1 << 20;
  c.wdSize = 64;
  c.ensureResident(64);
  c.bSize = 16;
  c.ip = CODE;
  // a data page: every other register points into it, so loads succeed as well as fault
  mem.map(DATA, 0x2000, PROT_READ | PROT_WRITE);
  for (let a = 0; a < 0x2000; a += 4) mem.write32(DATA + a, Math.imul(a + seed[0], 0x27d4eb2d));
  for (let i = 0; i < c.lo.length; i++) {
    const r = seed[i % seed.length] ^ Math.imul(i, 0x9e3779b1);
    c.lo[i] = i & 1 ? DATA + (r & 0xff8) : r;
    c.hi[i] = i & 1 ? 0 : Math.imul(r, 0x85ebca6b);
    if (i & 2 && i & 1) c.lo[i] = r & 0x7f8;
    c.tag[i] = (r & 0xff) === 7 ? 5 : 0;
  }
  c.preds = seed[0] ^ seed[1];
  c.predTags = (seed[2] & 0xff) === 3 ? 1 << (seed[2] & 31) : 0;
  c.ctprTag[1] = 3;
  c.ctprTarget[1] = CODE + 0x100;
  return c;
}

function compare(code: Uint8Array, seed: number[], level: 5 | 6): void {
  const fast = cpuWith(code, seed, level);
  const full = cpuWith(code, seed, level);
  full.traceWrite = () => {};
  const s1 = fast.run(1);
  const s2 = full.run(1);
  assert.equal(s1, s2);
  if (s1 === Stop.Exception) assert.equal(fast.excDetail, full.excDetail);
  assert.equal(fast.ip, full.ip);
  assert.deepEqual(fast.lo, full.lo);
  assert.deepEqual(fast.hi, full.hi);
  assert.deepEqual(fast.tag, full.tag);
  assert.equal(fast.preds, full.preds);
  assert.equal(fast.predTags, full.predTags);
  assert.equal(fast.icount, full.icount);
  assert.deepEqual(fast.mem.readBytes(DATA, 0x2000), full.mem.readBytes(DATA, 0x2000));
}

function check(list: Uint8Array[], level: 5 | 6, runs: number): void {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: list.length - 1 }),
      fc.array(fc.integer(), { minLength: 3, maxLength: 8 }),
      (i, seed) => compare(list[i], seed, level),
    ),
    { numRuns: runs },
  );
}

for (const level of [5, 6] as const) {
  test(`plain bundles of the v${level} vectors: execPlain ≡ exec`, () => {
    const list = bundles(level);
    assert.ok(list.length > 100, `only ${list.length} plain bundles`);
    check(list, level, 400);
    // the ones with loads/stores (rare in the vectors) on their own
    const loads = list.filter((b) =>
      compileBundle(decodeBundle(b, 0, level), CODE).alu.some((u) => u.plain === 0),
    );
    assert.ok(loads.length > 10, `only ${loads.length} plain bundles with memory accesses`);
    check(loads, level, 300);
  });
}
