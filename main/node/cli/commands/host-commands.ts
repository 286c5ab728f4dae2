/**
 * start, stop, status: run-time commands. They talk to the library's VM host — the running
 * `glaunch web` or desktop-less host (see cli/host-client.ts) — so the CLI, the browser and
 * scripts all see the same running VMs. `start` brings up a background host when none runs.
 */
import type { VmStatus } from '../../../common/api';
import { readHostFile } from '../../vmhost/host-file';
import type { OptionSpec } from '../args';
import type { Command, CommandContext } from '../command';
import { connectHost, spawnHost, type HostConnection } from '../host-client';

const json: OptionSpec = { name: 'json', help: 'machine-readable JSON output' };

const STATE_WORDS: Record<VmStatus['state'], string> = {
  poweredOff: 'powered off',
  starting: 'starting',
  running: 'running',
  paused: 'paused',
  stopping: 'stopping',
  aborted: 'aborted',
};

async function withHost<T>(
  c: CommandContext,
  spawnIfMissing: boolean,
  fn: (h: HostConnection | null) => Promise<T>,
): Promise<T> {
  const root = c.library().root;
  let info = await readHostFile(root);
  if (!info && spawnIfMissing) info = await spawnHost(root);
  if (!info) return fn(null);
  const h = await connectHost(info);
  try {
    return await fn(h);
  } finally {
    h.close();
  }
}

/** The status as `--json` asks, or as the human-readable lines. */
function printStatus(c: CommandContext, s: VmStatus): void {
  c.io.out(c.args.options.has('json') ? JSON.stringify(s, null, 2) + '\n' : describe(s));
}

function describe(s: VmStatus): string {
  const lines = [
    `${s.name}: ${STATE_WORDS[s.state]}${s.headless && s.state !== 'poweredOff' ? ' (headless)' : ''}`,
  ];
  if (s.reason) lines.push(`  reason: ${s.reason}`);
  if (s.pid !== undefined && s.state !== 'poweredOff' && s.state !== 'aborted')
    lines.push(`  process: ${s.pid}`);
  for (const p of s.serial)
    lines.push(`  serial ${p.index}: ${p.mode}${p.endpoint ? ` ${p.endpoint}` : ''}`);
  if (s.lastLog?.length) lines.push('  last log lines:', ...s.lastLog.map((l) => `    ${l}`));
  return lines.join('\n') + '\n';
}

export const startCommand: Command = {
  name: 'start',
  summary: 'start a VM (in the running Glaunch host, or a new background one)',
  synopsis: 'start VM [--headless] [--json]',
  details:
    'Without a running `glaunch web` for the library, a background host is started (its output goes to\n' +
    '<library>/.glaunch/host.log); it keeps running the VM after this command returns. Serial ports in\n' +
    'pty or tcp mode print where to connect (e.g. `screen /dev/pts/3`, `nc 127.0.0.1 5555`).',
  options: [{ name: 'headless', help: 'no console window: serial backends only' }, json],
  positionals: ['VM'],
  async run(c) {
    const name = c.args.positionals[0];
    await c.library().getOk(name); // not found / inaccessible: say so before starting a host
    const s = await withHost(c, true, (h) =>
      h!.call<VmStatus>('startVm', [name, { headless: c.args.options.has('headless') }]),
    );
    printStatus(c, s);
    return 0;
  },
};

export const stopCommand: Command = {
  name: 'stop',
  summary: 'stop a running VM (ACPI-style shutdown request, or power off with --force)',
  synopsis: 'stop VM [--force] [--json]',
  details:
    'Without --force the guest is asked to shut down (the power button) and this returns at once;\n' +
    'with --force the VM is powered off and this returns once its process has ended.',
  options: [{ name: 'force', help: 'power off at once instead of asking the guest' }, json],
  positionals: ['VM'],
  async run(c) {
    const name = c.args.positionals[0];
    const entry = await c.library().getOk(name);
    const s = await withHost(c, false, async (h) => {
      if (!h) {
        c.io.err(
          `glaunch: stop: VM '${entry.config.name}' is not running (no Glaunch host runs for this library)\n`,
        );
        return null;
      }
      return h.call<VmStatus>(c.args.options.has('force') ? 'powerOffVm' : 'shutdownVm', [name]);
    });
    if (!s) return 1;
    printStatus(c, s);
    return 0;
  },
};

export const statusCommand: Command = {
  name: 'status',
  summary: 'show whether a VM runs, and where its serial ports are',
  synopsis: 'status VM [--json]',
  options: [json],
  positionals: ['VM'],
  async run(c) {
    const name = c.args.positionals[0];
    const entry = await c.library().getOk(name);
    const s = await withHost(c, false, async (h): Promise<VmStatus> =>
      h
        ? h.call<VmStatus>('getVmStatus', [name])
        : { name: entry.config.name, state: 'poweredOff', headless: false, serial: [] },
    );
    printStatus(c, s);
    return 0;
  },
};
