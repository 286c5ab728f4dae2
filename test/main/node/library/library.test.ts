import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VmLibrary } from '../../../../main/node/library/library';
import { ApiError } from '../../../../main/common/api-error';
import { FIXED_NOW, tmpDir, validConfig } from '../../helpers/tmp';

const lib = () => new VmLibrary(path.join(tmpDir(), 'lib'), () => FIXED_NOW);
const base = { name: 'Alpha', cpuModel: 'e8c' as const, cpuCount: 2, memoryMiB: 2048 };

async function rejectsWith(p: Promise<unknown>, code: string, field?: string) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError, String(e));
    assert.equal(e.code, code, e.message);
    if (field !== undefined)
      assert.ok(
        e.problems?.some((x) => x.field === field),
        JSON.stringify(e.problems),
      );
    return true;
  });
}

describe('VmLibrary', () => {
  test('create writes vm.json with defaults and timestamps; list and get find it', async () => {
    const l = lib();
    const c = await l.create(base);
    assert.equal(c.createdAt, FIXED_NOW.toISOString());
    assert.equal(c.osType, 'glaunch-demo');
    const onDisk = JSON.parse(readFileSync(path.join(l.root, 'Alpha', 'vm.json'), 'utf8'));
    assert.deepEqual(onDisk, c);
    const all = await l.list();
    assert.equal(all.length, 1);
    assert.equal((await l.get('alpha')).kind, 'ok'); // case-insensitive lookup
  });
  test('list of a library that does not exist yet is empty', async () => {
    assert.deepEqual(await lib().list(), []);
  });
  test('create rejects duplicates (case-insensitive), bad names, RAM and vCPU out of range', async () => {
    const l = lib();
    await l.create(base);
    await rejectsWith(l.create({ ...base, name: 'ALPHA' }), 'validation', 'name');
    await rejectsWith(l.create({ ...base, name: 'a:b' }), 'validation', 'name');
    await rejectsWith(
      l.create({ ...base, name: 'B', memoryMiB: 1 << 30 }),
      'validation',
      'memoryMiB',
    );
    await rejectsWith(
      l.create({ ...base, name: 'B', cpuModel: 'e2c+', cpuCount: 4 }),
      'validation',
      'cpu.count',
    );
    assert.deepEqual(readdirSync(l.root), ['Alpha']); // no leftovers
  });
  test('update validates the whole config, keeps createdAt, refuses a name change', async () => {
    let t = FIXED_NOW.getTime();
    const l = new VmLibrary(path.join(tmpDir(), 'lib'), () => new Date((t += 1000)));
    const c = await l.create(base);
    const u = await l.update('Alpha', { ...c, memoryMiB: 4096, createdAt: '2000-01-01T00:00:00Z' });
    assert.equal(u.memoryMiB, 4096);
    assert.equal(u.createdAt, c.createdAt);
    assert.notEqual(u.modifiedAt, c.modifiedAt);
    await rejectsWith(l.update('Alpha', { ...c, name: 'Beta' }), 'validation', 'name');
    await rejectsWith(
      l.update('Alpha', { ...c, cpu: { model: 'e8c', count: 99 } }),
      'validation',
      'cpu.count',
    );
    await rejectsWith(l.update('Nope', c), 'not_found');
  });
  test('rename moves the folder, handles case-only renames and conflicts', async () => {
    const l = lib();
    await l.create(base);
    await l.create({ ...base, name: 'Beta' });
    const r = await l.rename('Alpha', 'Gamma');
    assert.equal(r.name, 'Gamma');
    assert.ok(
      existsSync(path.join(l.root, 'Gamma', 'vm.json')) && !existsSync(path.join(l.root, 'Alpha')),
    );
    await rejectsWith(l.rename('Gamma', 'beta'), 'validation', 'name');
    const c = await l.rename('Gamma', 'GAMMA');
    assert.equal(c.name, 'GAMMA');
    assert.deepEqual(readdirSync(l.root).sort(), ['Beta', 'GAMMA']);
    await rejectsWith(l.rename('Beta', 'x/y'), 'validation', 'name');
  });
  test('clone keeps read-only media (made absolute) and drops writable disks', async () => {
    const l = lib();
    await l.create({
      ...base,
      storage: [
        { slot: 'vda', type: 'disk', path: 'disk.img' },
        { slot: 'vdb', type: 'optical', path: 'boot.iso', readOnly: true },
      ],
    });
    const r = await l.clone('Alpha', 'Alpha 2');
    assert.deepEqual(
      r.dropped.map((d) => d.slot),
      ['vda'],
    );
    assert.equal(r.config.storage.length, 1);
    assert.equal(r.config.storage[0].path, path.join(l.root, 'Alpha', 'boot.iso'));
    await rejectsWith(l.clone('Alpha', 'alpha 2'), 'validation', 'name');
    await rejectsWith(l.clone('Missing', 'X'), 'not_found');
  });
  test('delete without files moves the folder to .removed; with files removes it', async () => {
    const l = lib();
    await l.create(base);
    await l.create({ ...base, name: 'Beta' });
    const moved = await l.delete('Alpha', false);
    assert.ok(moved && existsSync(path.join(moved, 'vm.json')));
    assert.match(path.basename(moved!), /^Alpha-2026-01-02T03-04-05-000Z$/);
    assert.equal(await l.delete('Beta', true), null);
    assert.deepEqual(readdirSync(l.root), ['.removed']);
    assert.deepEqual(await l.list(), []);
    await rejectsWith(l.delete('Beta', true), 'not_found');
  });
  test('inaccessible VMs are listed, refused for update/rename/clone, and never modified', async () => {
    const l = lib();
    await l.ensure();
    mkdirSync(path.join(l.root, 'Broken'));
    const text = '{"schemaVersion": 1, "name": ';
    writeFileSync(path.join(l.root, 'Broken', 'vm.json'), text);
    const [e] = await l.list();
    assert.equal(e.kind, 'inaccessible');
    await rejectsWith(l.update('Broken', validConfig('Broken')), 'inaccessible');
    await rejectsWith(l.rename('Broken', 'Fixed'), 'inaccessible');
    await rejectsWith(l.clone('Broken', 'Copy'), 'inaccessible');
    assert.equal(readFileSync(path.join(l.root, 'Broken', 'vm.json'), 'utf8'), text);
    // ... but the user may remove it (here: set aside, files intact).
    const moved = await l.delete('Broken', false);
    assert.equal(readFileSync(path.join(moved!, 'vm.json'), 'utf8'), text);
  });
  test('import copies a VM folder and leaves the source untouched', async () => {
    const l = lib();
    const src = path.join(tmpDir(), 'somewhere', 'My VM');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'vm.json'), JSON.stringify(validConfig('My VM')));
    writeFileSync(path.join(src, 'disk.img'), 'DATA');
    const e = await l.import(src);
    assert.equal(e.kind, 'ok');
    assert.equal(readFileSync(path.join(l.root, 'My VM', 'disk.img'), 'utf8'), 'DATA');
    assert.ok(existsSync(path.join(src, 'disk.img')));
    await rejectsWith(l.import(src), 'validation', 'name'); // already there
    await rejectsWith(l.import(path.join(l.root, 'My VM')), 'conflict');
    await rejectsWith(l.import(path.join(src, 'nope')), 'not_found');
    const bad = path.join(tmpDir(), 'bad');
    mkdirSync(bad);
    writeFileSync(path.join(bad, 'vm.json'), '{');
    await rejectsWith(l.import(bad), 'inaccessible');
  });
  test('import uses the name inside vm.json when the folder was renamed by hand', async () => {
    const l = lib();
    const src = path.join(tmpDir(), 'copy-of-vm');
    mkdirSync(src);
    writeFileSync(path.join(src, 'vm.json'), JSON.stringify(validConfig('Original')));
    const e = await l.import(src);
    assert.ok(e.kind === 'ok' && e.config.name === 'Original');
  });
  test('concurrent updates of one VM are serialized, none is lost or torn', async () => {
    const l = lib();
    const c = await l.create(base);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => l.update('Alpha', { ...c, description: `v${i}` })),
    );
    const e = await l.getOk('Alpha');
    assert.match(e.config.description, /^v\d+$/);
    assert.deepEqual(readdirSync(path.join(l.root, 'Alpha')), ['vm.json']); // no temp files left
  });
  test("emits 'changed' on every mutation", async () => {
    const l = lib();
    let n = 0;
    l.on('changed', () => n++);
    const c = await l.create(base);
    await l.update('Alpha', c);
    await l.rename('Alpha', 'B');
    await l.clone('B', 'C');
    await l.delete('C', true);
    assert.equal(n, 5);
  });
  test('the watcher reports changes made by another process', async () => {
    const l = lib();
    await l.create(base);
    await l.watch(50);
    try {
      const fired = new Promise<void>((resolve) => l.once('changed', () => resolve()));
      const file = path.join(l.root, 'Alpha', 'vm.json');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('"description": ""', '"description": "edited"'),
      );
      await fired;
      const e = await l.getOk('Alpha');
      assert.equal(e.config.description, 'edited');
    } finally {
      l.close();
    }
  });
});

describe('stale temp files', () => {
  test('old crash leftovers are removed on the next write, young ones and other files kept', async () => {
    const { utimesSync } = await import('node:fs');
    const l = lib();
    const c = await l.create(base);
    const dir = path.join(l.root, 'Alpha');
    const old = path.join(dir, '.vm.json.123.abcd1234.tmp');
    const young = path.join(dir, '.vm.json.124.abcd1234.tmp');
    writeFileSync(old, '{"half');
    writeFileSync(young, '{"half');
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    utimesSync(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await l.update('Alpha', c);
    assert.deepEqual(readdirSync(dir).sort(), [
      '.vm.json.124.abcd1234.tmp',
      'notes.txt',
      'vm.json',
    ]);
  });
});

describe('preferences', () => {
  test('defaults, merge, undefined keys keep values, damaged file kept aside', async () => {
    const { PreferencesStore } = await import('../../../../main/node/library/preferences');
    const root = path.join(tmpDir(), 'lib');
    const p = new PreferencesStore(root);
    assert.deepEqual(await p.get(), { language: 'en', theme: 'system' });
    await p.set({ language: 'ru' });
    assert.deepEqual(await p.set({ theme: 'dark', language: undefined }), {
      language: 'ru',
      theme: 'dark',
    });
    assert.ok(p.file.startsWith(path.join(root, '.glaunch')));
    writeFileSync(p.file, '{"language": ');
    assert.deepEqual(await p.get(), { language: 'en', theme: 'system' });
    await p.set({ theme: 'light' });
    assert.equal(readFileSync(p.file + '.bad', 'utf8'), '{"language": ');
    assert.equal((await new VmLibrary(root).list()).length, 0); // .glaunch is not a VM
  });
});
