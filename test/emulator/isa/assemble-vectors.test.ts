// Every golden vector row: assembleBundle(source ops) must give exactly the assembler's bytes.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { assembleBundle } from '../../../emulator/isa';
import { bytesToHex, loadVectors, makeContext, splitSource, vectorsAvailable } from './vectors';

/** Pass-count floors; raise them as the encoder improves, never lower them. */
const FLOOR: Record<string, number> = {
  'v2.tsv': 3902,
  'v3.tsv': 4058,
  'v4.tsv': 4100,
  'v5.tsv': 6998,
  'v6.tsv': 7452,
};

describe('assembler vs golden vectors', { skip: !vectorsAvailable() }, () => {
  for (const file of Object.keys(FLOOR)) {
    test(file, () => {
      const rows = loadVectors(file);
      let pass = 0;
      const fails: string[] = [];
      for (const r of rows) {
        const { ops, braced } = splitSource(r.source);
        let got: string;
        try {
          const out = assembleBundle(ops, makeContext(r.iset, braced));
          got = bytesToHex(out.bytes);
          assert.equal(out.fixups.length, 0, `no row needs a relocation: ${r.source}`);
        } catch (e) {
          got = `error: ${(e as Error).message}`;
        }
        if (got === r.hex) pass++;
        else if (fails.length < 5)
          fails.push(`line ${r.line}: ${r.source}\n  want ${r.hex}\n  got  ${got}`);
      }
      console.log(`${file.replace('.tsv', '')} assemble: ${pass}/${rows.length}`);
      assert.ok(
        pass >= FLOOR[file],
        `only ${pass} rows pass (floor ${FLOOR[file]}):\n${fails.join('\n')}`,
      );
    });
  }
});
