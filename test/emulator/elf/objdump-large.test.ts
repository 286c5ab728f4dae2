// A big object (tens of thousands of bundles and relocations) dumps completely: every bundle
// and every inline relocation (addend +4: the binutils R_E2K_DISP convention) appears once, in address order (no argument-count overflow,
// no relocation listed under the wrong bundle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assemble } from '../../../emulator/asm/index';
import { objdump } from '../../../emulator/elf/objdump';
import { disassembleBundle } from '../../../emulator/disasm';

test('objdump -d -r of a 60 000-bundle object with 30 000 relocations', () => {
  const n = 30_000;
  const lines = ['  .text', '  .global _start', '_start:'];
  for (let i = 0; i < n; i++) lines.push(`  disp %ctpr1, far${i}`, '  nop');
  const r = assemble(lines.join('\n') + '\n', { iset: 6 });
  assert.equal(r.errorCount, 0);
  const text = objdump(r.object!, {
    fileName: 'big.o',
    disassemble: true,
    relocs: true,
    disassembler: disassembleBundle,
  });
  const relocLines = text.split('\n').filter((l) => l.includes('R_E2K_DISP'));
  assert.equal(relocLines.length, n);
  // The k-th relocation names far<k> and sits right after the k-th disp bundle.
  const all = text.split('\n');
  let k = 0;
  for (let i = 0; i < all.length; i++) {
    if (!all[i].includes('R_E2K_DISP')) continue;
    assert.match(all[i], new RegExp(`\\tfar${k}\\+0x0+4$`));
    assert.match(all[i - 1], /disp\s+%ctpr1/);
    k++;
  }
});
