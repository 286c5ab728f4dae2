/** The VMM plugs into the board's seam (emulator/machine/vmm-port.ts) unchanged. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VmmFactory } from '../../../../emulator/machine/vmm-port';
import { createVmm } from '../../../../emulator/virt/vmm/vmm';
import { testVm, HEAD } from './helpers';

test('createVmm is a VmmFactory; snapshot() is plain serializable data', () => {
  const factory: VmmFactory = (port) => createVmm(port);
  assert.equal(typeof factory, 'function');
  const t = testVm(`${HEAD}
.org 0x6000
 { setwd wsz=8 }
 { rrd %idr, %dg16 }
 { wait int=1 }
`);
  t.vmm.run(10);
  const snap = t.vmm.snapshot();
  const back = JSON.parse(JSON.stringify(snap)) as typeof snap;
  assert.deepEqual(back, snap);
  assert.equal(snap.vcpus[0].state, 'idle');
  assert.equal(snap.counters['exits.idr_read'], 1);
  assert.equal(snap.vcpus[0].registers['sh.SH_CORE_MODE'], '0x0000000000000018');
  assert.ok(snap.intercepts.length === 2);
  assert.deepEqual(t.vmm.vcpuStats()[0].counters['exits.total'], 2);
  assert.equal(t.vmm.registers()[0].vcpu, '0');
});
