/**
 * Fuzz: random bundles (arbitrary bytes and real encodings from the golden vectors)
 * executed for many steps never throw out of the emulator — every problem is an
 * architectural exception reported by Cpu.run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { VECTOR_DIR } from '../isa/vectors';
import { Cpu, Stop } from '../../../emulator/cpu/cpu';
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../../emulator/cpu/memory';
import { cpuModel } from '../../../emulator/cpu/models';

const rows = readFileSync(`${VECTOR_DIR}/v5.tsv`, 'utf8')
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t')[2])
  .filter((h): h is string => !!h && /^[0-9a-f]+$/.test(h))
  // hex = the bundle bytes in memory order
  .map((h) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16)));

const CODE = 0x10000;

function runCode(code: Uint8Array, steps: number): void {
  const mem = new Memory();
  mem.map(CODE, 0x4000, PROT_READ | PROT_WRITE | PROT_EXEC);
  mem.writeBytes(CODE, code);
  mem.map(0x100000000, 1 << 22, PROT_READ | PROT_WRITE);
  mem.map(0, 0x1000, PROT_READ | PROT_WRITE);
  const c = new Cpu(mem, cpuModel('e16c'));
  c.psBase = 0x100000000;
  c.psSize = 1 << 22;
  c.wdSize = 64;
  c.ensureResident(64);
  c.bSize = 16;
  c.ip = CODE;
  for (let i = 0; i < steps; i++) {
    const s = c.run(1);
    if (s === Stop.Syscall) c.finishSyscall(0, 0);
    else if (s === Stop.Exception) {
      assert.ok(c.excDetail && !c.excDetail.startsWith('internal error'), c.excDetail);
      c.ip = CODE + (((c.ip - CODE + 8) % 0x3000) & ~7);
    }
    if (c.ip < CODE || c.ip >= CODE + 0x3000) c.ip = CODE;
  }
}

test('random bytes never escape as JS exceptions', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 64, maxLength: 1024 }), (bytes) => {
      runCode(bytes, 300);
    }),
    { numRuns: 150 },
  );
});

test('random sequences of real bundles never escape as JS exceptions', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: rows.length - 1 }), { minLength: 4, maxLength: 64 }),
      (idx) => {
        const parts = idx.map((i) => rows[i]);
        const code = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let o = 0;
        for (const p of parts) {
          code.set(p, o);
          o += p.length;
        }
        runCode(code, 400);
      },
    ),
    { numRuns: 200 },
  );
});
