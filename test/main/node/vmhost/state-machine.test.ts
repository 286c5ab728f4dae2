import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { VmState } from '../../../../main/common/api';
import {
  commandTransition,
  eventTransition,
  type VmCommand,
} from '../../../../main/node/vmhost/state-machine';

const STATES: VmState[] = ['poweredOff', 'starting', 'running', 'paused', 'stopping', 'aborted'];
const COMMANDS: VmCommand[] = ['start', 'pause', 'resume', 'reset', 'shutdown', 'powerOff'];

test('the allowed command transitions', () => {
  const allowed: Record<string, VmState> = {
    'poweredOff/start': 'starting',
    'aborted/start': 'starting',
    'running/pause': 'paused',
    'paused/resume': 'running',
    'running/reset': 'running',
    'paused/reset': 'paused',
    'running/shutdown': 'running',
    'starting/powerOff': 'stopping',
    'running/powerOff': 'stopping',
    'paused/powerOff': 'stopping',
  };
  for (const s of STATES)
    for (const c of COMMANDS) {
      const t = commandTransition('vm1', s, c);
      const want = allowed[`${s}/${c}`];
      if (want) assert.deepEqual(t, { ok: true, next: want }, `${s}/${c}`);
      else {
        assert.equal(t.ok, false, `${s}/${c} must be refused`);
        // The refusal names the VM and the state, so the user knows what to do.
        assert.match(!t.ok ? t.message : '', /VM 'vm1'/);
      }
    }
});

test('refusals explain themselves', () => {
  const t = commandTransition('A', 'paused', 'shutdown');
  assert.ok(!t.ok && /resume it first/.test(t.message));
  const s = commandTransition('A', 'running', 'start');
  assert.ok(!s.ok && /already running/.test(s.message));
  const p = commandTransition('A', 'poweredOff', 'powerOff');
  assert.ok(!p.ok && /cannot power off VM 'A': it is powered off/.test(p.message));
});

test('events from the VM process and the OS', () => {
  assert.equal(eventTransition('starting', 'started'), 'running');
  assert.equal(eventTransition('starting', 'startFailed'), 'poweredOff');
  assert.equal(eventTransition('running', 'guestPowerOff'), 'stopping');
  assert.equal(eventTransition('stopping', 'exited'), 'poweredOff');
  for (const s of ['starting', 'running', 'paused', 'stopping'] as VmState[])
    assert.equal(eventTransition(s, 'crashed'), 'aborted');
  // Events that do not apply leave the state alone.
  assert.equal(eventTransition('poweredOff', 'crashed'), null);
  assert.equal(eventTransition('running', 'started'), null);
});
