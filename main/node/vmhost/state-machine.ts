/**
 * The run state of one VM and every transition it can make. Commands come from the GUI, the
 * CLI and the web UI (all through the VM host); events come from the VM process (started,
 * guest power-off) and from the operating system (process exit). A command that is impossible
 * in the current state is answered with a message naming the VM, the command and the state,
 * never ignored.
 *
 *   poweredOff/aborted --start--> starting --started--> running <--pause/resume--> paused
 *   starting --startFailed--> poweredOff              running/paused --powerOff--> stopping
 *   running --guestPowerOff--> stopping --exited--> poweredOff
 *   starting/running/paused --crashed--> aborted      stopping --crashed--> aborted
 *
 * reset and shutdown (the ACPI-style power button) keep the state: the machine resets in place,
 * and the guest decides whether to honour the button (it then powers off: guestPowerOff).
 */
import type { VmState } from '../../common/api';

export type VmCommand = 'start' | 'pause' | 'resume' | 'reset' | 'shutdown' | 'powerOff';
export type VmEvent = 'started' | 'startFailed' | 'guestPowerOff' | 'exited' | 'crashed';

const COMMANDS: Record<VmCommand, Partial<Record<VmState, VmState>>> = {
  start: { poweredOff: 'starting', aborted: 'starting' },
  pause: { running: 'paused' },
  resume: { paused: 'running' },
  reset: { running: 'running', paused: 'paused' },
  shutdown: { running: 'running' },
  powerOff: { starting: 'stopping', running: 'stopping', paused: 'stopping' },
};

const EVENTS: Record<VmEvent, Partial<Record<VmState, VmState>>> = {
  started: { starting: 'running' },
  startFailed: { starting: 'poweredOff', stopping: 'poweredOff' },
  guestPowerOff: { running: 'stopping', paused: 'stopping', stopping: 'stopping' },
  exited: { stopping: 'poweredOff', starting: 'poweredOff' },
  crashed: { starting: 'aborted', running: 'aborted', paused: 'aborted', stopping: 'aborted' },
};

const STATE_WORDS: Record<VmState, string> = {
  poweredOff: 'powered off',
  starting: 'starting',
  running: 'running',
  paused: 'paused',
  stopping: 'stopping',
  aborted: 'aborted',
};

/** Why a command cannot run in a state, in words a user understands. */
function refusal(name: string, command: VmCommand, state: VmState): string {
  const s = STATE_WORDS[state];
  const hint: Partial<Record<VmCommand, string>> = {
    start: state === 'stopping' ? 'wait until it has stopped' : 'it is already running',
    pause: state === 'paused' ? 'it is already paused' : 'only a running VM can be paused',
    resume: 'only a paused VM can be resumed',
    reset: 'only a running or paused VM can be reset',
    shutdown:
      state === 'paused'
        ? 'resume it first: a paused guest cannot react to the power button'
        : 'only a running VM can be asked to shut down',
    powerOff: 'it is not running',
  };
  const verb =
    command === 'powerOff' ? 'power off' : command === 'shutdown' ? 'shut down' : command;
  return `cannot ${verb} VM '${name}': it is ${s} (${hint[command]})`;
}

export type Transition = { ok: true; next: VmState } | { ok: false; message: string };

export function commandTransition(name: string, state: VmState, command: VmCommand): Transition {
  const next = COMMANDS[command][state];
  return next ? { ok: true, next } : { ok: false, message: refusal(name, command, state) };
}

/** Events never fail: one that does not apply to the state leaves it unchanged (null). */
export function eventTransition(state: VmState, event: VmEvent): VmState | null {
  return EVENTS[event][state] ?? null;
}

/** States in which a VM process exists (or is being created). */
export function isActive(state: VmState): boolean {
  return state === 'starting' || state === 'running' || state === 'paused' || state === 'stopping';
}
