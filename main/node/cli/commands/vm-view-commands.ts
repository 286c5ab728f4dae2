/** Read-only library commands: list, show. */
import { cpuModel } from '../../../../emulator/cpu/models';
import type { VmConfig } from '../../../common/vm-config';
import type { LibraryEntry } from '../../library/vm-folder';
import type { OptionSpec } from '../args';
import type { Command } from '../command';
import { formatMiB, table } from '../format';

const json: OptionSpec = { name: 'json', help: 'machine-readable JSON output' };

function stateOf(e: LibraryEntry): string {
  return e.kind === 'ok' ? 'powered off' : 'inaccessible';
}

function entryJson(e: LibraryEntry) {
  return e.kind === 'ok' ? { ...e, state: 'poweredOff' } : e;
}

export const listCommand: Command = {
  name: 'list',
  summary: 'list the VMs in the library',
  synopsis: 'list [--json]',
  options: [json],
  positionals: [],
  async run(c) {
    const lib = c.library();
    const entries = await lib.list();
    if (c.args.options.has('json')) {
      c.io.out(JSON.stringify(entries.map(entryJson), null, 2) + '\n');
      return 0;
    }
    if (entries.length === 0) {
      c.io.out(
        `No VMs in ${lib.root}. Create one with: glaunch create NAME --preset e8c --ram 2G\n`,
      );
      return 0;
    }
    const rows = entries.map((e) =>
      e.kind === 'ok'
        ? [
            e.config.name,
            stateOf(e),
            e.config.cpu.model,
            String(e.config.cpu.count),
            formatMiB(e.config.memoryMiB),
            e.config.osType,
          ]
        : [e.name, stateOf(e), '-', '-', '-', '-'],
    );
    c.io.out(table(['NAME', 'STATE', 'PRESET', 'vCPUs', 'RAM', 'OS'], rows));
    // Why each inaccessible VM cannot be used, below the table where long reasons fit.
    for (const e of entries) {
      if (e.kind === 'ok') continue;
      const field = e.reason.field ? ` (${e.reason.field})` : '';
      c.io.out(`\n${e.name}: ${e.reason.file}${field}: ${e.reason.problem}`);
    }
    if (entries.some((e) => e.kind === 'inaccessible')) c.io.out('\n');
    return 0;
  },
};

export const showCommand: Command = {
  name: 'show',
  summary: 'show the configuration of a VM',
  synopsis: 'show VM [--json]',
  options: [json],
  positionals: ['VM'],
  async run(c) {
    const e = await c.library().get(c.args.positionals[0]);
    if (c.args.options.has('json')) {
      c.io.out(JSON.stringify(entryJson(e), null, 2) + '\n');
      return 0;
    }
    if (e.kind === 'inaccessible') {
      c.io.out(
        table(
          ['', ''],
          [
            ['Name:', e.name],
            ['State:', 'inaccessible'],
            ['Folder:', e.folder],
            ['File:', e.reason.file],
            ...(e.reason.field ? [['Field:', e.reason.field]] : []),
            ['Problem:', e.reason.problem],
          ],
        ).replace(/^\n/, ''),
      );
      return 0;
    }
    c.io.out(describe(e.config, e.folder));
    return 0;
  },
};

function describe(v: VmConfig, folder: string): string {
  const m = cpuModel(v.cpu.model);
  const rows: string[][] = [
    ['Name:', v.name],
    ['State:', 'powered off'],
    ['Folder:', folder],
    ['CPU:', `${m.name} (${v.cpu.model}), ${v.cpu.count} vCPU${v.cpu.count > 1 ? 's' : ''}`],
    ['RAM:', formatMiB(v.memoryMiB)],
    ['OS type:', v.osType],
    ['Boot order:', v.bootOrder.join(', ')],
    ...v.storage.map((s) => [
      `Storage ${s.slot}:`,
      `${s.type}${s.readOnly ? ' (read-only)' : ''} ${s.path}`,
    ]),
    ...v.serialPorts.map((p) => [
      `Serial ${p.index}:`,
      p.mode + (p.tcpPort ? ` 127.0.0.1:${p.tcpPort}` : '') + (p.filePath ? ` ${p.filePath}` : ''),
    ]),
    ['Quantum:', `${v.virtualization.quantumUs} µs`],
    ['GPA mapping:', v.virtualization.gpaMapping],
    [
      'Intercepts:',
      Object.entries({ ...v.virtualization.cuIntercepts, ...v.virtualization.muIntercepts })
        .filter(([, on]) => on)
        .map(([k]) => k)
        .join(' '),
    ],
    ['Created:', v.createdAt],
    ['Modified:', v.modifiedAt],
  ];
  if (v.description) rows.push(['Description:', v.description]);
  return table(['', ''], rows).replace(/^\n/, '');
}
