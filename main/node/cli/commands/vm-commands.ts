/** Library commands that change things: create, modify, clone, delete, import. */
import path from 'node:path';
import { CPU_MODEL_IDS } from '../../../../emulator/cpu/models';
import { ApiError } from '../../../common/api-error';
import {
  CU_INTERCEPTS,
  MU_INTERCEPTS,
  OS_TYPES,
  vmConfigSchema,
  vmNameSchema,
  zodProblems,
  type NewVmInput,
  type VmConfig,
} from '../../../common/vm-config';
import { parseChoice, parseIntArg, parseSizeMiB, UsageError, type OptionSpec } from '../args';
import type { Command, CommandContext } from '../command';
import { applyIntercept, parseSerials, setMedium } from './vm-edit';

const presets = CPU_MODEL_IDS.join(', ');
const vmOptions: OptionSpec[] = [
  { name: 'preset', value: 'CPU', help: `CPU model preset: ${presets}` },
  { name: 'ram', value: 'SIZE', help: 'guest RAM: 512M, 2G, or MiB (1536)' },
  { name: 'cpus', value: 'N', help: 'number of vCPUs (1..the preset maximum)' },
  { name: 'disk', value: 'IMAGE', help: 'hard disk image (modify: "none" detaches)' },
  { name: 'iso', value: 'IMAGE', help: 'optical image, read-only (modify: "none" ejects)' },
  { name: 'os', value: 'TYPE', help: `guest OS type: ${OS_TYPES.join(', ')}` },
  { name: 'description', value: 'TEXT', help: 'free text' },
  {
    name: 'serial',
    value: 'MODE[:ARG]',
    repeat: true,
    help: 'serial port 0, 1, ... in order: console, pty, disconnected, tcp:PORT, file:PATH ("none": no ports)',
  },
];

const str = (c: CommandContext, name: string) => c.args.options.get(name) as string | undefined;
const has = (c: CommandContext, name: string) => c.args.options.has(name);
export const createCommand: Command = {
  name: 'create',
  summary: 'create a new VM',
  synopsis:
    'create NAME --preset CPU [--ram SIZE] [--cpus N] [--disk IMAGE] [--iso IMAGE] [--os TYPE] [--description TEXT] [--serial MODE[:ARG]]...',
  details: 'Defaults: --ram 1G, --cpus 1, --os glaunch-demo, one serial port on the console.',
  options: vmOptions,
  positionals: ['NAME'],
  async run(c) {
    const preset = str(c, 'preset');
    if (!preset) throw new UsageError('--preset is required (one of ' + presets + ')');
    const input: NewVmInput = {
      name: c.args.positionals[0],
      cpuModel: parseChoice('--preset', preset, CPU_MODEL_IDS),
      memoryMiB: has(c, 'ram') ? parseSizeMiB('--ram', str(c, 'ram')!) : 1024,
      cpuCount: has(c, 'cpus') ? parseIntArg('--cpus', str(c, 'cpus')!, 1, 1024) : 1,
      ...(has(c, 'os') ? { osType: parseChoice('--os', str(c, 'os')!, OS_TYPES) } : {}),
      ...(has(c, 'description') ? { description: str(c, 'description') } : {}),
    };
    let storage: VmConfig['storage'] = [];
    if (has(c, 'disk')) storage = setMedium(storage, 'disk', str(c, 'disk')!, c.io.cwd);
    if (has(c, 'iso')) storage = setMedium(storage, 'optical', str(c, 'iso')!, c.io.cwd);
    if (storage.length) input.storage = storage;
    const serial = c.args.repeated.get('serial');
    if (serial) input.serialPorts = parseSerials(serial, c.io.cwd);
    const lib = c.library();
    const cfg = await lib.create(input);
    c.io.out(`Created VM '${cfg.name}' in ${path.join(lib.root, cfg.name)}\n`);
    return 0;
  },
};

export const modifyCommand: Command = {
  name: 'modify',
  summary: 'change the configuration of a VM',
  synopsis:
    'modify VM [--name NEW] [--preset CPU] [--ram SIZE] [--cpus N] [--disk IMAGE|none] [--iso IMAGE|none] [--os TYPE] [--description TEXT] [--serial MODE[:ARG]]... [--quantum-us N] [--intercept NAME=on|off]...',
  details:
    '--serial replaces all serial ports. Flags are checked before anything is written.\n' +
    `Intercept names: ${[...CU_INTERCEPTS, ...MU_INTERCEPTS].join(', ')}.`,
  options: [
    { name: 'name', value: 'NEW', help: 'rename the VM (and its folder)' },
    ...vmOptions,
    { name: 'quantum-us', value: 'N', help: 'vCPU time slice in microseconds (100..1000000)' },
    { name: 'intercept', value: 'NAME=on|off', repeat: true, help: 'switch a CU/MU intercept' },
  ],
  positionals: ['VM'],
  async run(c) {
    const lib = c.library();
    const name = c.args.positionals[0];
    // Parse every flag before touching anything, so a bad flag changes nothing.
    const cur = (await lib.getOk(name)).config;
    const v: VmConfig = { ...cur, cpu: { ...cur.cpu } };
    if (has(c, 'preset')) v.cpu.model = parseChoice('--preset', str(c, 'preset')!, CPU_MODEL_IDS);
    if (has(c, 'ram')) v.memoryMiB = parseSizeMiB('--ram', str(c, 'ram')!);
    if (has(c, 'cpus')) v.cpu.count = parseIntArg('--cpus', str(c, 'cpus')!, 1, 1024);
    if (has(c, 'os')) v.osType = parseChoice('--os', str(c, 'os')!, OS_TYPES);
    if (has(c, 'description')) v.description = str(c, 'description')!;
    if (has(c, 'disk')) v.storage = setMedium(v.storage, 'disk', str(c, 'disk')!, c.io.cwd);
    if (has(c, 'iso')) v.storage = setMedium(v.storage, 'optical', str(c, 'iso')!, c.io.cwd);
    const serial = c.args.repeated.get('serial');
    if (serial) v.serialPorts = parseSerials(serial, c.io.cwd);
    if (has(c, 'quantum-us'))
      v.virtualization = {
        ...v.virtualization,
        quantumUs: parseIntArg('--quantum-us', str(c, 'quantum-us')!, 0, 1e9),
      };
    for (const i of c.args.repeated.get('intercept') ?? [])
      v.virtualization = applyIntercept(v.virtualization, i);
    const newName = str(c, 'name');
    const changed = JSON.stringify(v) !== JSON.stringify(cur);
    if (!changed && newName === undefined) {
      c.io.out(`Nothing to change for '${cur.name}' (see glaunch help modify)\n`);
      return 0;
    }
    // Check everything before the first write, so a rejected rename does not leave the other
    // changes half-applied (update and rename are two steps).
    const problems = vmConfigSchema.safeParse(v);
    if (!problems.success)
      throw new ApiError('validation', 'invalid configuration', zodProblems(problems.error));
    if (newName !== undefined && newName.toLowerCase() !== cur.name.toLowerCase()) {
      const n = vmNameSchema.safeParse(newName);
      if (!n.success)
        throw new ApiError(
          'validation',
          'invalid name',
          zodProblems(n.error).map((p) => ({ ...p, field: 'name' })),
        );
      const clash = (await lib.list()).find(
        (e) => (e.kind === 'ok' ? e.config.name : e.name).toLowerCase() === newName.toLowerCase(),
      );
      if (clash)
        throw new ApiError('validation', 'name taken', [
          { field: 'name', message: `a VM named '${newName}' already exists` },
        ]);
    }
    if (changed) await lib.update(cur.name, v);
    if (newName !== undefined && newName !== cur.name) await lib.rename(cur.name, newName);
    c.io.out(`Modified VM '${newName ?? cur.name}'\n`);
    return 0;
  },
};

export const cloneCommand: Command = {
  name: 'clone',
  summary: 'copy the configuration of a VM under a new name',
  synopsis: 'clone VM NEW',
  details:
    'Only the configuration is copied. Read-only media (ISO images) stay attached; writable disks are not shared between VMs and are left out.',
  options: [],
  positionals: ['VM', 'NEW'],
  async run(c) {
    const [from, to] = c.args.positionals;
    const r = await c.library().clone(from, to);
    c.io.out(`Cloned '${from}' to '${r.config.name}'\n`);
    for (const d of r.dropped)
      c.io.out(`Note: writable disk ${d.slot} (${d.path}) was not attached to the clone\n`);
    return 0;
  },
};

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'remove a VM from the library',
  synopsis: 'delete VM [--files]',
  details:
    'Without --files the VM folder is moved to <library>/.removed/ and can be moved back; with --files it is deleted with everything in it.',
  options: [{ name: 'files', help: 'also delete the VM folder and its disks' }],
  positionals: ['VM'],
  async run(c) {
    const name = c.args.positionals[0];
    const moved = await c.library().delete(name, has(c, 'files'));
    c.io.out(
      moved
        ? `Removed '${name}' from the library; its files are in ${moved}\n`
        : `Deleted '${name}' and its files\n`,
    );
    return 0;
  },
};

export const importCommand: Command = {
  name: 'import',
  summary: 'copy an existing VM folder into the library',
  synopsis: 'import DIR',
  details: 'DIR must contain a valid vm.json. The folder is copied; the original is left as it is.',
  options: [],
  positionals: ['DIR'],
  async run(c) {
    const e = await c.library().import(path.resolve(c.io.cwd, c.args.positionals[0]));
    c.io.out(`Imported '${e.kind === 'ok' ? e.config.name : e.name}' into ${e.folder}\n`);
    return 0;
  },
};
