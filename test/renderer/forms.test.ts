// Form helpers: the wizard validates like main, maps main's problem paths to its fields, and
// known schema messages are translated.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defaultNewVmForm,
  firstStepWithProblem,
  toNewVmInput,
  toWizardProblems,
  validateNewVm,
  withPreset,
} from '../../renderer/forms/new-vm';
import { hasProblemUnder, problemAt, translateProblem } from '../../renderer/forms/problems';
import {
  bootChoiceOf,
  bootOrderOf,
  formatMiB,
  tabOfField,
  tabsWithProblems,
  validateConfig,
} from '../../renderer/forms/vm-config-form';
import { newVmInputSchema, vmConfigSchema } from '../../main/common/vm-config';

const form = (patch = {}) => ({ ...defaultNewVmForm(), name: 'Test', ...patch });

describe('new VM form', () => {
  test('the default form with a name is valid and its input passes the shared schema', () => {
    assert.deepEqual(validateNewVm(form()), {});
    assert.ok(newVmInputSchema.safeParse(toNewVmInput(form())).success);
  });
  test('an empty or bad name is a problem of the name field (step 0)', () => {
    assert.equal(validateNewVm(form({ name: '' })).name, 'must not be empty');
    assert.match(validateNewVm(form({ name: 'a/b' })).name!, /must not contain/);
    assert.equal(firstStepWithProblem(validateNewVm(form({ name: '' }))), 0);
  });
  test('vCPUs and memory are checked against the preset', () => {
    const p = validateNewVm(form({ cpuModel: 'e2c+', cpuCount: 4, memoryMiB: 8 }));
    assert.match(p.cpuCount!, /at most 2 vCPUs/);
    assert.match(p.memoryMiB!, /between 16 MiB/);
    assert.equal(firstStepWithProblem(p), 1);
    assert.ok(validateNewVm(form({ cpuCount: Number.NaN })).cpuCount);
  });
  test('changing the preset clamps vCPUs and memory into its range', () => {
    const f = withPreset(form({ cpuModel: 'e16c', cpuCount: 16, memoryMiB: 200 * 1024 }), 'e2c+');
    assert.equal(f.cpuCount, 2);
    assert.equal(f.memoryMiB, 16 * 1024);
  });
  test('storage: an empty disk path is a problem of the disk field; ISO is read-only optical', () => {
    const p = validateNewVm(form({ useDisk: true, diskPath: '' }));
    assert.equal(p.disk, 'must name an image file');
    assert.equal(firstStepWithProblem(p), 2);
    const input = toNewVmInput(
      form({ useDisk: true, diskPath: 'a.img', useIso: true, isoPath: 'b.iso' }),
    );
    assert.deepEqual(input.storage, [
      { slot: 'vda', type: 'disk', path: 'a.img', readOnly: false },
      { slot: 'vdb', type: 'optical', path: 'b.iso', readOnly: true },
    ]);
    assert.deepEqual(input.bootOrder, ['optical', 'disk']);
    const isoOnly = form({ useIso: true, isoPath: '' });
    assert.equal(validateNewVm(isoOnly).iso, 'must name an image file');
  });
  test("main's problem paths land on the wizard's fields", () => {
    const f = form({ useIso: true, isoPath: 'x.iso' });
    assert.deepEqual(
      toWizardProblems(f, [
        { field: 'name', message: "a VM named 'Test' already exists" },
        { field: 'cpu.count', message: 'too many' },
        { field: 'storage.0.path', message: 'missing' },
        { field: '', message: 'whole file' },
      ]),
      { name: "a VM named 'Test' already exists", cpuCount: 'too many', iso: 'missing' },
    );
  });
});

describe('settings form', () => {
  const config = vmConfigSchema.parse({
    schemaVersion: 1,
    name: 'A',
    osType: 'other',
    cpu: { model: 'e8c', count: 1 },
    memoryMiB: 512,
    createdAt: '2026-01-01T00:00:00Z',
    modifiedAt: '2026-01-01T00:00:00Z',
  });
  test('problems are found and assigned to tabs', () => {
    assert.deepEqual(validateConfig(config), []);
    const bad = {
      ...config,
      cpu: { model: 'e8c' as const, count: 99 },
      serialPorts: [{ index: 0, mode: 'tcp' as const }],
    };
    const ps = validateConfig(bad);
    assert.deepEqual([...tabsWithProblems(ps)].sort(), ['serial', 'system']);
    assert.equal(tabOfField('storage.1.path'), 'storage');
    assert.equal(tabOfField('virtualization.quantumUs'), 'virtualization');
    assert.equal(tabOfField(''), 'general');
    assert.ok(problemAt(ps, 'serialPorts.0.tcpPort'));
    assert.ok(hasProblemUnder(ps, 'serialPorts'));
    assert.ok(!hasProblemUnder(ps, 'serial'));
  });
  test('boot order choices round-trip', () => {
    for (const o of [['optical', 'disk'], ['disk'], [], ['disk', 'optical'], ['optical']] as const)
      assert.deepEqual(bootOrderOf(bootChoiceOf(o)), o);
  });
  test('memory is shown in GiB only when whole', () => {
    assert.deepEqual(formatMiB(2048), { key: 'units.gib', value: 2 });
    assert.deepEqual(formatMiB(1536), { key: 'units.mib', value: 1536 });
  });
});

describe('problem messages', () => {
  const t = (k: string, o?: Record<string, unknown>) =>
    `${k}${o && Object.keys(o).length ? JSON.stringify(o) : ''}`;
  test('known schema and main messages become translation keys with parameters', () => {
    assert.equal(translateProblem('must not be empty', t), 'problem.nameEmpty');
    assert.equal(
      translateProblem("a VM named 'X' already exists", t),
      'problem.nameTaken{"name":"X"}',
    );
    assert.equal(
      translateProblem('Elbrus-2C+ has at most 2 vCPUs', t),
      'problem.maxCpus{"chip":"Elbrus-2C+","max":"2"}',
    );
    assert.equal(
      translateProblem('must be between 16 MiB and 16384 MiB for Elbrus-2C+', t),
      'problem.memoryRange{"min":"16","max":"16384","chip":"Elbrus-2C+"}',
    );
    assert.equal(
      translateProblem('Invalid input: expected number, received NaN', t),
      'problem.notANumber',
    );
    assert.equal(
      translateProblem('Too small: expected number to be >=1', t),
      'problem.atLeast{"min":"1"}',
    );
  });
  test('unknown messages pass through, capitalised', () => {
    assert.equal(translateProblem('something odd', t), 'Something odd');
  });
});

describe('paths', async () => {
  const { folderOf } = await import('../../renderer/forms/paths');
  test('a picked vm.json stands for its folder', () => {
    assert.equal(folderOf('/home/u/VMs/A/vm.json'), '/home/u/VMs/A');
    assert.equal(folderOf('C:\\VMs\\A\\VM.JSON'), 'C:\\VMs\\A');
    assert.equal(folderOf('/home/u/VMs/A'), '/home/u/VMs/A');
  });
});
