import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readVmFolder } from '../../../../main/node/library/vm-folder';
import { parseJsonWithPosition } from '../../../../main/node/library/atomic-file';
import { vmConfigSchema } from '../../../../main/common/vm-config';
import { tmpDir, validConfig } from '../../helpers/tmp';

function vmDir(name: string, content: string | null): string {
  const dir = path.join(tmpDir(), name);
  mkdirSync(dir);
  if (content !== null) writeFileSync(path.join(dir, 'vm.json'), content);
  return dir;
}

describe('vm.json schema', () => {
  test('a valid config parses and gets defaults', () => {
    const c = vmConfigSchema.parse(validConfig('A'));
    assert.equal(c.virtualization.quantumUs, 10_000);
    assert.deepEqual(c.serialPorts, [{ index: 0, mode: 'console' }]);
  });
  const bad: [string, Record<string, unknown>, string][] = [
    ['cpu.count', { cpu: { model: 'e8c', count: 9 } }, 'at most 8'],
    ['cpu.model', { cpu: { model: 'x86', count: 1 } }, ''],
    ['memoryMiB', { memoryMiB: 8 }, 'between'],
    ['osType', { osType: 'windows' }, ''],
    ['name', { name: 'a/b' }, 'must not contain'],
    [
      'storage.0.readOnly',
      { storage: [{ slot: 'vda', type: 'optical', path: 'x.iso' }] },
      'read-only',
    ],
    ['serialPorts.0.tcpPort', { serialPorts: [{ index: 0, mode: 'tcp' }] }, 'TCP port'],
    ['virtualization.quantumUs', { virtualization: { quantumUs: 5 } }, 'at least'],
    ['createdAt', { createdAt: 'yesterday' }, 'ISO'],
  ];
  for (const [field, patch, msg] of bad) {
    test(`invalid ${field} is reported with its path`, () => {
      const r = vmConfigSchema.safeParse({ ...validConfig('A'), ...patch });
      assert.equal(r.success, false);
      const paths = r.error!.issues.map((i) => i.path.join('.'));
      assert.ok(paths.includes(field), `${paths.join(',')} should include ${field}`);
      if (msg)
        assert.match(
          r.error!.issues.find((i) => i.path.join('.') === field)!.message,
          new RegExp(msg),
        );
    });
  }
});

describe('readVmFolder', () => {
  test('valid folder', async () => {
    const e = await readVmFolder(vmDir('Good', JSON.stringify(validConfig('Good'))));
    assert.equal(e.kind, 'ok');
  });
  test('missing vm.json', async () => {
    const e = await readVmFolder(vmDir('Empty', null));
    assert.equal(e.kind, 'inaccessible');
    assert.ok(e.kind === 'inaccessible' && e.reason.file.endsWith('vm.json'));
    assert.match(e.kind === 'inaccessible' ? e.reason.problem : '', /missing/);
  });
  test('corrupt JSON reports line and column, file untouched', async () => {
    const text = '{\n  "schemaVersion": 1,\n  "name": "Bad",\n  oops\n}\n';
    const dir = vmDir('Bad', text);
    const before = statSync(path.join(dir, 'vm.json')).mtimeMs;
    const e = await readVmFolder(dir);
    assert.equal(e.kind, 'inaccessible');
    assert.match(e.kind === 'inaccessible' ? e.reason.problem : '', /line 4, column 3/);
    assert.equal(readFileSync(path.join(dir, 'vm.json'), 'utf8'), text);
    assert.equal(statSync(path.join(dir, 'vm.json')).mtimeMs, before);
  });
  test('truncated JSON points at the end', () => {
    const r = parseJsonWithPosition('{\n "a": 1');
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.problem : '', /line 2, column 8/);
  });
  test('newer schemaVersion', async () => {
    const e = await readVmFolder(
      vmDir('Future', JSON.stringify({ ...validConfig('Future'), schemaVersion: 2, newThing: 1 })),
    );
    assert.equal(e.kind, 'inaccessible');
    if (e.kind !== 'inaccessible') return;
    assert.equal(e.reason.field, 'schemaVersion');
    assert.match(e.reason.problem, /newer Glaunch \(schema version 2/);
  });
  test('failing field is named', async () => {
    const e = await readVmFolder(
      vmDir('Big', JSON.stringify(validConfig('Big', { memoryMiB: 999_999_999 }))),
    );
    assert.ok(e.kind === 'inaccessible');
    assert.equal(e.reason.field, 'memoryMiB');
  });
  test('name not matching the folder', async () => {
    const e = await readVmFolder(vmDir('Folder', JSON.stringify(validConfig('Other'))));
    assert.ok(e.kind === 'inaccessible');
    assert.equal(e.reason.field, 'name');
  });
  test('JSON that is not an object', async () => {
    const e = await readVmFolder(vmDir('Arr', '[1,2]'));
    assert.ok(e.kind === 'inaccessible');
    assert.match(e.reason.problem, /JSON object/);
  });
});

test('unreadable vm.json (here: a folder) is inaccessible with the reason', async () => {
  const dir = vmDir('Odd', null);
  mkdirSync(path.join(dir, 'vm.json'));
  const e = await readVmFolder(dir);
  assert.ok(e.kind === 'inaccessible');
  assert.match(e.reason.problem, /cannot be read \(EISDIR\)/);
});
