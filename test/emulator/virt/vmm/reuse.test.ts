/**
 * The exit path reuses its objects (pooled MU records, alternating CU records, one exit and
 * replay object, log slots filled in place): many exits in a row must still replay the
 * right access each time and leave an intact, decoded log of the newest exits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testVm, HEAD } from './helpers';
import type { InterceptLogEntry } from '../../../../emulator/virt/counters';

const PAGES = 12;

test('lazy faults on many pages: each replayed store lands, the log ring keeps the newest copies', () => {
  const touch = Array.from({ length: PAGES }, (_, i) => ` { std,2 %dr3, [ %dr2 + ${8 * i} ] }\n { addd %dr2, 0x1000, %dr2 ; addd %dr3, 1, %dr3 }`).join('\n'); // prettier-ignore
  const t = testVm(
    `${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { addd 0, 0x800000, %dr2 ; addd 0, 0x100, %dr3 }
${touch}
 { wait int=1 }
`,
    { vmm: { logCapacity: 4 } },
  );
  const r = t.vmm.run(200);
  assert.equal(r.halted, undefined);
  for (let i = 0; i < PAGES; i++) {
    const gpa = 0x800000 + i * 0x1000 + 8 * i;
    assert.equal(t.mem.read32(t.space.hostAddr(gpa)), 0x100 + i, `page ${i}`);
  }
  const l = t.vmm.recentIntercepts() as InterceptLogEntry[];
  assert.equal(l.length, 4, 'capacity');
  for (let k = 1; k < l.length; k++) assert.equal(l[k].seq, l[k - 1].seq + 1);
  const faults = l.filter((e) => e.causes.includes('mu.GPA_DATA'));
  assert.ok(faults.length >= 2);
  for (const e of faults) {
    const gpa = Number(e.entries[0].gpa);
    assert.match(e.action!, new RegExp(`GPA 0x${gpa.toString(16)}: page mapped, access replayed`));
  }
  // the newest fault is the last page's store (its copy was not overwritten by reuse)
  const last = faults[faults.length - 1];
  assert.equal(last.entries[0].gpa, '0x' + (0x800000 + (PAGES - 1) * 0x1008).toString(16));
  assert.equal(t.vmm.counters()['gpa.faults.data'], PAGES);
});
