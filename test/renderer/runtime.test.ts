// The monitor's arithmetic: rates between samples, shares of wall time, exit causes, and the
// runtime store fed by the API's events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GlaunchApi, VmStateEvent, VmStatsEvent } from '../../main/common/api';
import {
  exitCauses,
  formatUptime,
  fromBase64,
  rate,
  RuntimeStore,
  share,
  toBase64,
} from '../../renderer/vm/runtime';

const sample = (atMs: number, counters: Record<string, number>): VmStatsEvent => ({
  name: 'A',
  state: 'running',
  atMs,
  stats: {
    uptimeMs: atMs,
    counters,
    vcpus: [],
    recentIntercepts: [],
    disks: {},
    guestRamResidentBytes: 0,
  },
});

test('rates per second between consecutive samples; unknown where a counter is missing or reset', () => {
  const s = [
    sample(0, { 'exits.mmio': 0 }),
    sample(200, { 'exits.mmio': 100 }),
    sample(400, {}),
    sample(600, { 'exits.mmio': 50 }),
  ];
  assert.deepEqual(rate(s, 'exits.mmio'), [null, 500, null, null]);
});

test('shares of wall time from millisecond counters, capped at 100 %', () => {
  const s = [
    sample(0, { 'time.guest_ms': 0 }),
    sample(1000, { 'time.guest_ms': 250 }),
    sample(2000, { 'time.guest_ms': 2000 }),
  ];
  assert.deepEqual(share(s, 'time.guest_ms'), [null, 25, 100]);
});

test('exit causes: the VMM classification only, busiest first', () => {
  const s = [
    sample(0, {
      'exits.total': 10,
      'exits.mmio': 5,
      'exits.idle': 7,
      'exits.cause.wait_trap': 7,
      'exits.mu.GPA_DATA': 5,
      'exits.idr_substituted': 1,
    }),
  ];
  assert.deepEqual(exitCauses(s), ['idle', 'mmio']);
});

test('base64 round trip of every byte value; uptime format', () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(fromBase64(toBase64(all)), all);
  assert.equal(formatUptime(3_723_000), '1:02:03');
});

test('the store keeps a bounded history per VM and starts over on a new run', () => {
  let stats: ((e: VmStatsEvent) => void) | null = null;
  let state: ((e: VmStateEvent) => void) | null = null;
  const api = {
    onVmStats: (l: (e: VmStatsEvent) => void) => ((stats = l), () => (stats = null)),
    onVmState: (l: (e: VmStateEvent) => void) => ((state = l), () => (state = null)),
  } as unknown as GlaunchApi;
  const store = new RuntimeStore(api);
  store.start();
  let notified = 0;
  store.subscribe(() => notified++);
  for (let i = 0; i < 400; i++) stats!(sample(i * 200, { 'exits.total': i }));
  assert.equal(store.get('A').samples.length, 300);
  state!({ name: 'A', state: 'starting' });
  assert.equal(store.get('A').samples.length, 0);
  assert.equal(store.get('A').state, 'starting');
  assert.equal(notified, 401);
  store.stop();
  assert.equal(stats, null);
});
