// Every golden vector row: disassembleBundle(hex) must print exactly objdump's text.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { disassembleBundle } from '../../../emulator/isa';
import { hexToBytes, loadVectors, vectorsAvailable } from '../isa/vectors';

/** Pass-count floors; raise them as the disassembler improves, never lower them. */
const FLOOR: Record<string, number> = {
  'v2.tsv': 3902,
  'v3.tsv': 4058,
  'v4.tsv': 4100,
  'v5.tsv': 6998,
  'v6.tsv': 7452,
};

describe('disassembler vs golden vectors', { skip: !vectorsAvailable() }, () => {
  for (const file of Object.keys(FLOOR)) {
    test(file, () => {
      const rows = loadVectors(file);
      let pass = 0;
      const fails: string[] = [];
      for (const r of rows) {
        const got = disassembleBundle(hexToBytes(r.hex), 0, 0n, r.iset).lines.join(' | ');
        if (got === r.objdump) pass++;
        else if (fails.length < 5)
          fails.push(`line ${r.line}: ${r.source}\n  want ${r.objdump}\n  got  ${got}`);
      }
      console.log(`${file.replace('.tsv', '')} disassemble: ${pass}/${rows.length}`);
      assert.ok(
        pass >= FLOOR[file],
        `only ${pass} rows pass (floor ${FLOOR[file]}):\n${fails.join('\n')}`,
      );
    });
  }
});
