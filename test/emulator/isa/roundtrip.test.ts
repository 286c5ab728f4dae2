// Round trip over the whole operation table: generated source → bytes → disassembly →
// bytes again. objdump prints stores as `st*,CH src1, src2, value`; the assembler takes the
// value first, so those lines are reordered before re-assembling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleBundle, disassembleBundle } from '../../../emulator/isa';
import { opsByName } from '../../../emulator/isa/ops';
import { splitOperands } from '../../../emulator/isa/asm/syntax';
import { bytesToHex, LEVELS, makeContext } from './vectors';
import { sampleSources } from './samples';

/** Drops the printed second half of a quad (channel-pair) operation. */
function dropPairHalves(lines: string[]): string[] {
  return lines.filter((l, i) => {
    const m = /^([a-z0-9_]+),(\d)/.exec(l);
    const prev = i > 0 ? /^([a-z0-9_]+),(\d)/.exec(lines[i - 1]) : null;
    if (!m || !prev || m[1] !== prev[1]) return true;
    const pair = opsByName(m[1])?.[0]?.pair ?? 0;
    return !(pair && Number(m[2]) === Number(prev[2]) + pair);
  });
}

function toSource(line: string): string {
  const m = /^([a-z0-9_]+)(,\d(?:,sm)?) (.*?)((?:, mas = 0x[0-9a-f]+)?(?: \? .*)?)$/.exec(line);
  if (!m || opsByName(m[1])?.[0]?.kind !== 'store') return line;
  const ops = splitOperands(m[3]);
  return `${m[1]}${m[2]} ${ops[2]}, ${ops[0]}, ${ops[1]}${m[4]}`;
}

for (const iset of LEVELS) {
  test(`table round trip at v${iset}`, () => {
    const ctx = makeContext(iset, true);
    let n = 0;
    const bad: string[] = [];
    for (const ops of sampleSources(iset)) {
      const first = assembleBundle(ops, ctx).bytes;
      const dis = disassembleBundle(first, 0, 0n, iset);
      assert.equal(dis.invalid, false, ops.join(' ; '));
      assert.equal(dis.length, first.length);
      if (dis.lines.some((l) => /^(ambiguous|unrecognized),/.test(l))) continue; // plog_*: objdump cannot name them
      let again: string;
      try {
        again = bytesToHex(assembleBundle(dropPairHalves(dis.lines).map(toSource), ctx).bytes);
      } catch (e) {
        again = `error ${(e as Error).message}`;
      }
      if (again !== bytesToHex(first) && bad.length < 10) {
        bad.push(
          `${ops.join(' ; ')}\n  ${dis.lines.join(' | ')}\n  ${bytesToHex(first)} != ${again}`,
        );
      }
      n++;
    }
    assert.ok(n > 900, `only ${n} samples`);
    assert.deepEqual(bad, []);
  });
}
