/**
 * The New VM wizard's form: its state, the NewVmInput it produces, and validation with the
 * shared schema. Problems use the form's own field names (name, cpuCount, disk, ...), so
 * problems from main (vm.json paths or NewVmInput paths) are mapped with `wizardField`.
 */
import type { NewVmInput, OsType, StorageAttachment } from '../../main/common/vm-config';
import { SCHEMA_VERSION, vmConfigSchema, zodProblems } from '../../main/common/vm-config';
import type { FieldProblem } from '../../main/common/vm-config';
import type { CpuModelId } from '../../emulator/cpu/models';
import { cpuModel } from '../../emulator/cpu/models';

export interface NewVmForm {
  name: string;
  osType: OsType;
  cpuModel: CpuModelId;
  cpuCount: number;
  memoryMiB: number;
  useDisk: boolean;
  diskPath: string;
  useIso: boolean;
  isoPath: string;
}

export type WizardField =
  'name' | 'osType' | 'cpuModel' | 'cpuCount' | 'memoryMiB' | 'disk' | 'iso';

/** Which wizard step shows which field; the last step (summary) has none. */
export const WIZARD_STEP_FIELDS: readonly (readonly WizardField[])[] = [
  ['name', 'osType', 'cpuModel'],
  ['cpuCount', 'memoryMiB'],
  ['disk', 'iso'],
  [],
];

export function defaultNewVmForm(): NewVmForm {
  return {
    name: '',
    osType: 'glaunch-demo',
    cpuModel: 'e8c',
    cpuCount: 2,
    memoryMiB: 1024,
    useDisk: false,
    diskPath: '',
    useIso: false,
    isoPath: '',
  };
}

/** Keeps vCPUs and memory inside the new preset's limits when the preset changes. */
export function withPreset(form: NewVmForm, id: CpuModelId): NewVmForm {
  const m = cpuModel(id);
  const clamp = (v: number, lo: number, hi: number) =>
    Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
  return {
    ...form,
    cpuModel: id,
    cpuCount: clamp(form.cpuCount, 1, m.maxCpus),
    memoryMiB: clamp(form.memoryMiB, m.minRamMiB, m.maxRamMiB),
  };
}

function storageOf(form: NewVmForm): StorageAttachment[] {
  const s: StorageAttachment[] = [];
  if (form.useDisk)
    s.push({ slot: 'vda', type: 'disk', path: form.diskPath.trim(), readOnly: false });
  if (form.useIso)
    s.push({
      slot: form.useDisk ? 'vdb' : 'vda',
      type: 'optical',
      path: form.isoPath.trim(),
      readOnly: true,
    });
  return s;
}

export function toNewVmInput(form: NewVmForm): NewVmInput {
  const storage = storageOf(form);
  return {
    name: form.name,
    osType: form.osType,
    cpuModel: form.cpuModel,
    cpuCount: form.cpuCount,
    memoryMiB: form.memoryMiB,
    ...(storage.length ? { storage } : {}),
    // An installer ISO is attached to be booted from; a disk alone boots from the disk.
    bootOrder: form.useIso ? ['optical', 'disk'] : ['disk'],
  };
}

/** Maps a problem path of NewVmInput or vm.json to the wizard field that shows it. */
export function wizardField(form: NewVmForm, field: string): WizardField | null {
  const [head, second, third] = field.split('.');
  if (head === 'name' || head === 'osType' || head === 'cpuModel' || head === 'memoryMiB')
    return head;
  if (head === 'cpuCount' || (head === 'cpu' && second === 'count')) return 'cpuCount';
  if (head === 'cpu' && second === 'model') return 'cpuModel';
  if (head === 'storage') {
    const i = Number(second);
    const s = storageOf(form)[i];
    if (s && (third === undefined || third === 'path' || third === 'slot'))
      return s.type === 'optical' ? 'iso' : 'disk';
    return form.useDisk ? 'disk' : 'iso';
  }
  return null;
}

export type WizardProblems = Partial<Record<WizardField, string>>;

/** Problems of vm.json paths as wizard fields; unplaceable ones go under 'name' (step 1). */
export function toWizardProblems(
  form: NewVmForm,
  problems: readonly FieldProblem[],
): WizardProblems {
  const out: WizardProblems = {};
  for (const p of problems) {
    const f = wizardField(form, p.field) ?? 'name';
    out[f] ??= p.message;
  }
  return out;
}

/**
 * Main's "already exists" problem, found early: names are compared case-insensitively because
 * the folder names must also work on case-insensitive file systems.
 */
export function nameClash(name: string, taken: readonly string[]): FieldProblem | null {
  const clash = taken.find((n) => n.toLowerCase() === name.toLowerCase());
  return clash === undefined
    ? null
    : { field: 'name', message: `a VM named '${clash}' already exists` };
}

/** Validates the form exactly as main will validate the resulting vm.json. */
export function validateNewVm(form: NewVmForm, taken: readonly string[] = []): WizardProblems {
  const input = toNewVmInput(form);
  const epoch = new Date(0).toISOString();
  const r = vmConfigSchema.safeParse({
    schemaVersion: SCHEMA_VERSION,
    name: input.name,
    description: '',
    osType: input.osType,
    cpu: { model: input.cpuModel, count: input.cpuCount },
    memoryMiB: input.memoryMiB,
    storage: input.storage ?? [],
    bootOrder: input.bootOrder,
    createdAt: epoch,
    modifiedAt: epoch,
  });
  const clash = nameClash(form.name, taken);
  return toWizardProblems(form, [
    ...(clash ? [clash] : []),
    ...(r.success ? [] : zodProblems(r.error)),
  ]);
}

export function firstStepWithProblem(problems: WizardProblems): number {
  const i = WIZARD_STEP_FIELDS.findIndex((fields) => fields.some((f) => problems[f]));
  return i < 0 ? WIZARD_STEP_FIELDS.length - 1 : i;
}
