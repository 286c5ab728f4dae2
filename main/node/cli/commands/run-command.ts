/**
 * `glaunch run VM` / `glaunch run --config vm.json`: runs a VM in this process with its first
 * serial port on the terminal (raw mode), QEMU-style escape keys after Ctrl-A:
 *   x quit · s virtualization counters (`name: value` per line) · h help · a send Ctrl-A.
 * Serial ports after the first use their configured backend (tcp, pty, file, none).
 * Exit 0 after a guest power-off or Ctrl-A x; 1 for start-up failures (one line, before
 * anything runs) and for a VM that stops with an error.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { vmConfigSchema, zodProblems, type VmConfig } from '../../../common/vm-config';
import type { GlaunchVirtMachine, VmmFactory } from '../../../../emulator/machine/index';
import { defaultRomPath } from '../../vmhost/rom-path';
import { startMessage } from '../../vmhost/start-setup';
import { openSerialBackend, type SerialBackend } from '../../vmhost/serial/index';
import type { Command, CliIo } from '../command';

/** The terminal the first serial port is attached to (process stdin/stdout by default). */
export interface RunTerminal {
  write(bytes: Uint8Array): void;
  /** Subscribes to keyboard bytes; returns the unsubscribe function. */
  onInput(cb: (bytes: Uint8Array) => void): () => void;
  /** Raw mode on/off (a TTY only). */
  setRaw?(raw: boolean): void;
}

export const ESCAPE = 0x01; // Ctrl-A
export const RUN_KEYS_HELP =
  'C-a h    print this help\r\n' +
  'C-a x    exit (power the VM off)\r\n' +
  'C-a s    print the virtualization counters\r\n' +
  'C-a a    send C-a to the guest\r\n';

const SLICE_MS = 20;

/** Test hooks: a VMM other than the project's, a ROM other than the built one. */
export interface RunHooks {
  vmm?: VmmFactory;
  terminal?: RunTerminal;
}
let hooks: RunHooks = {};
export function setRunHooks(h: RunHooks): void {
  hooks = h;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a VM in this terminal (first serial port on the console)',
  synopsis: 'run VM | run --config FILE [--rom FILE] [--kernel ELF]',
  details:
    'The first serial port is the terminal in raw mode. Keys after Ctrl-A: x quit, s print the\n' +
    'virtualization counters, h help, a send Ctrl-A. Exit status 0 after the guest powers off.\n' +
    '--rom replaces the built boot ROM (assets/guest/rom.bin); --kernel boots an ELF kernel\n' +
    'directly (the board builds the bootblock, no ROM needed).',
  options: [
    {
      name: 'config',
      value: 'FILE',
      help: 'run the VM described by this vm.json (not from the library)',
    },
    { name: 'rom', value: 'FILE', help: 'boot ROM image (default: the built one)' },
    { name: 'kernel', value: 'ELF', help: 'boot this kernel directly instead of through the ROM' },
  ],
  positionals: ['VM?'],
  async run(c) {
    const fail = (msg: string): number => (c.io.err(`glaunch: run: ${msg}\n`), 1);
    const configFile = c.args.options.get('config');
    const vmName = c.args.positionals[0];
    if ((configFile === undefined) === (vmName === undefined)) {
      c.io.err(`glaunch: run: give a VM name or --config FILE (one of them)\n`);
      return 2;
    }

    // 1. The configuration.
    let config: VmConfig;
    let folder: string;
    if (typeof configFile === 'string') {
      const file = path.resolve(c.io.cwd, configFile);
      const loaded = await loadConfigFile(file);
      if ('error' in loaded) return fail(loaded.error);
      config = loaded.config;
      folder = path.dirname(file);
    } else {
      try {
        const e = await c.library().getOk(vmName!);
        config = e.config;
        folder = e.folder;
      } catch (e) {
        return fail(e instanceof Error ? e.message : String(e));
      }
    }
    const setup = startMessage(config, folder);

    // 2. Firmware.
    const opt = (n: string): string | undefined => {
      const v = c.args.options.get(n);
      return typeof v === 'string' ? path.resolve(c.io.cwd, v) : undefined;
    };
    const kernelPath = opt('kernel');
    const romPath = opt('rom') ?? (kernelPath ? undefined : defaultRomPath(c.io.env));
    let rom: Uint8Array | undefined;
    let kernel: Uint8Array | undefined;
    try {
      if (romPath) rom = await readImage(romPath, 'boot ROM');
      if (kernelPath) kernel = await readImage(kernelPath, 'kernel');
    } catch (e) {
      return fail((e as Error).message);
    }

    // 3. Disks and the machine: missing, unreadable or read-only images and what the board
    // refuses (preset, sizes, intercepts, media) are reported before anything runs. Loaded
    // on demand: the emulator is large, and no other command needs it.
    let machine: GlaunchVirtMachine;
    try {
      const { buildMachine } = await import('../../vmhost/machine-factory');
      machine = await buildMachine(setup, {
        rom,
        kernel,
        log: (m) => c.io.err(`\r\n[glaunch] ${m}\r\n`),
        vmm: hooks.vmm,
      });
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }

    // 4. Other serial ports on their backends.
    const backends: SerialBackend[] = [];
    try {
      for (const s of setup.serial)
        if (s.index > 0 && s.index < machine.serial.length) {
          const b = await openSerialBackend(s);
          const port = machine.serial[s.index];
          b.onInput = (bytes) => void port.input(bytes);
          backends[s.index] = b;
        }
    } catch (e) {
      await machine.closeAsync();
      for (const b of backends) await b?.close();
      return fail((e as Error).message);
    }

    return runLoop(machine, c.io, hooks.terminal ?? processTerminal(), backends, fail);
  },
};

async function runLoop(
  m: GlaunchVirtMachine,
  io: CliIo,
  term: RunTerminal,
  backends: SerialBackend[],
  fail: (msg: string) => number,
): Promise<number> {
  const console0 = m.serial[0];
  const pendingIn: Uint8Array[] = [];
  let escape = false;
  let quit = false;
  let wake: (() => void) | null = null;
  const say = (text: string): void => term.write(Buffer.from(text, 'utf8'));
  const unsubscribe = term.onInput((bytes) => {
    for (const b of bytes) {
      if (escape) {
        escape = false;
        if (b === 0x78 /* x */) quit = true;
        else if (b === 0x73 /* s */) say('\r\n' + countersText(m).replace(/\n/g, '\r\n'));
        else if (b === 0x68 /* h */ || b === 0x3f) say('\r\n' + RUN_KEYS_HELP);
        else if (b === 0x61 /* a */ || b === ESCAPE) pendingIn.push(Uint8Array.of(ESCAPE));
        continue;
      }
      if (b === ESCAPE) escape = true;
      else pendingIn.push(Uint8Array.of(b));
    }
    wake?.();
  });
  term.setRaw?.(true);
  const aborted = (): boolean => io.signal?.aborted ?? false;
  let code = 0;
  try {
    for (;;) {
      // Keyboard → UART 0, as much as the port takes now (the rest waits: flow control).
      while (pendingIn.length && console0) {
        const head = pendingIn[0];
        const took = console0.input(head);
        if (took === head.length) pendingIn.shift();
        else {
          pendingIn[0] = head.subarray(took);
          break;
        }
      }
      const r = m.runSlice(SLICE_MS);
      flushSerial(m, term, backends);
      if (quit || aborted()) {
        say('\r\nglaunch: VM stopped\r\n');
        break;
      }
      if (r.exit?.kind === 'poweroff') break;
      if (r.exit?.kind === 'reset') {
        m.reset();
        continue;
      }
      if (r.exit?.kind === 'halted') {
        term.setRaw?.(false);
        code = fail(`the VM stopped: ${r.exit.reason}`);
        break;
      }
      // Yield to the event loop: disk completions and keyboard input arrive there. An idle
      // guest sleeps until its next timer or the next key, whichever comes first.
      await new Promise<void>((resolve) => {
        if (r.idleMs <= 0) return void setImmediate(resolve);
        const t = setTimeout(done, Math.min(r.idleMs, 50));
        function done(): void {
          clearTimeout(t);
          wake = null;
          resolve();
        }
        wake = done;
      });
    }
  } finally {
    unsubscribe();
    term.setRaw?.(false);
    flushSerial(m, term, backends);
    const problems = await m.closeAsync();
    for (const b of backends) await b?.close().catch(() => undefined);
    for (const p of problems) {
      io.err(`glaunch: run: closing disk ${p}\n`);
      code = 1;
    }
  }
  return code;
}

function flushSerial(m: GlaunchVirtMachine, term: RunTerminal, backends: SerialBackend[]): void {
  m.serial.forEach((s, i) => {
    const out = s.drainOutput();
    if (!out.length) return;
    if (i === 0) term.write(out);
    else backends[i]?.write(out);
  });
}

/** The counters of `Ctrl-A s`: one per line, `name: value`, sorted by name. */
export function countersText(m: GlaunchVirtMachine): string {
  const s = m.stats();
  const all: Record<string, number> = {
    ...s.counters,
    uptime_ms: Math.round(s.uptimeMs),
    'guest_ram.resident_bytes': s.guestRamResidentBytes,
  };
  for (const [slot, d] of Object.entries(s.disks)) {
    all[`disk.${slot}.read_bytes`] = d.readBytes;
    all[`disk.${slot}.written_bytes`] = d.writtenBytes;
  }
  return Object.keys(all)
    .sort()
    .map((k) => `${k}: ${all[k]}\n`)
    .join('');
}

async function loadConfigFile(file: string): Promise<{ config: VmConfig } | { error: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      error: code === 'ENOENT' ? `${file}: file not found` : `${file}: cannot read (${code ?? e})`,
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `${file}: not valid JSON: ${(e as Error).message}` };
  }
  const r = vmConfigSchema.safeParse(value);
  if (!r.success) {
    const p = zodProblems(r.error)[0];
    return { error: `${file}: invalid configuration: ${p.field || '(file)'}: ${p.message}` };
  }
  return { config: r.data };
}

async function readImage(file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `${what} not found: ${file}`
        : `cannot read ${what} ${file}: ${code ?? e}`,
      {
        cause: e,
      },
    );
  }
}

function processTerminal(): RunTerminal {
  const stdin = process.stdin;
  return {
    write: (bytes) => void process.stdout.write(bytes),
    onInput(cb) {
      const on = (d: Buffer): void => cb(new Uint8Array(d));
      stdin.on('data', on);
      stdin.resume();
      return () => {
        stdin.off('data', on);
        stdin.pause();
      };
    },
    setRaw(raw) {
      if (stdin.isTTY) stdin.setRawMode(raw);
    },
  };
}
