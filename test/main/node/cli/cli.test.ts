import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../../../main/node/cli/main';
import { COMMANDS } from '../../../../main/node/cli/commands';
import { parseSizeMiB, UsageError } from '../../../../main/node/cli/args';
import { cli } from '../../helpers/cli';
import { tmpDir, validConfig } from '../../helpers/tmp';

const newLib = () => path.join(tmpDir(), 'lib');
const oneLine = (s: string) =>
  assert.equal(s.trimEnd().split('\n').length, 1, `expected one line, got: ${s}`);

describe('sizes', () => {
  test('512M, 2G, 1.5G, 1536, 1T', () => {
    assert.equal(parseSizeMiB('--ram', '512M'), 512);
    assert.equal(parseSizeMiB('--ram', '2G'), 2048);
    assert.equal(parseSizeMiB('--ram', '1.5G'), 1536);
    assert.equal(parseSizeMiB('--ram', '1536'), 1536);
    assert.equal(parseSizeMiB('--ram', '2GiB'), 2048);
    assert.equal(parseSizeMiB('--ram', '1T'), 1024 * 1024);
    assert.throws(() => parseSizeMiB('--ram', '2X'), UsageError);
    assert.throws(() => parseSizeMiB('--ram', '0.3M'), UsageError);
  });
});

describe('glaunch CLI (in-process)', () => {
  test('--version, --help, help COMMAND and COMMAND --help for every command', async () => {
    const lib = newLib();
    assert.match((await cli(lib, ['--version'])).out, /^glaunch \d+\.\d+\.\d+/);
    const h = await cli(lib, ['--help']);
    assert.equal(h.code, 0);
    for (const c of COMMANDS) {
      assert.match(h.out, new RegExp(`\\n  ${c.name} `));
      const a = await cli(lib, ['help', c.name]);
      const b = await cli(lib, [c.name, '--help']);
      assert.equal(a.code, 0);
      assert.equal(b.code, 0);
      assert.equal(a.out, b.out);
      assert.match(a.out, new RegExp(`^Usage: glaunch ${c.name}`));
    }
    const none = await main([], { out: () => undefined, err: () => undefined, env: {}, cwd: '/' });
    assert.equal(none, 2);
  });
  test('usage errors: one line on stderr, exit 2', async () => {
    const lib = newLib();
    const cases: [string[], RegExp][] = [
      [
        ['create', 'A', '--preset', 'e8c', '--ram', '2X'],
        /^glaunch: create: --ram: '2X' is not a size \(use e\.g\. 512M or 2G\)$/,
      ],
      [['create', 'A', '--preset', 'e9c'], /--preset: 'e9c' is not one of/],
      [['create', 'A'], /--preset is required/],
      [['create', 'A', '--preset', 'e8c', '--rma', '1G'], /unknown option '--rma'/],
      [['create', '--preset', 'e8c'], /missing NAME/],
      [['create', 'A', 'B', '--preset', 'e8c'], /unexpected argument 'B'/],
      [['create', 'A', '--preset', 'e8c', '--cpus', 'two'], /--cpus: 'two' is not a whole number/],
      [['create', 'A', '--preset', 'e8c', '--serial', 'tcp'], /tcp needs a port/],
      [
        ['create', 'A', '--preset', 'e8c', '--serial', 'telnet:1'],
        /--serial: 'telnet' is not one of/,
      ],
      [['create', 'A', '--preset', 'e8c', '--ram'], /--ram needs a value/],
      [['list', '--json=yes'], /--json takes no value/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['help', 'frobnicate'], /unknown command 'frobnicate'/],
      [['modify', 'X', '--intercept', 'bogus=on'], /unknown intercept 'bogus'/],
      [['web', '--port', '70000'], /--port: 70000 is out of range/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(lib, argv);
      assert.equal(r.code, argv[0] === 'modify' ? 1 : 2, `${argv.join(' ')}: ${r.err}`);
      if (argv[0] !== 'modify') {
        oneLine(r.err);
        assert.match(r.err.trim(), re);
      }
    }
    assert.ok(!existsSync(path.join(lib, 'A')));
  });
  test('create, list (table and JSON), show', async () => {
    const lib = newLib();
    const iso = path.join(tmpDir(), 'boot.iso');
    const c = await cli(lib, [
      'create',
      'Web Server',
      '--preset',
      'e8c',
      '--ram',
      '2G',
      '--cpus',
      '2',
      '--disk',
      'disk.img',
      '--iso',
      iso,
      '--os',
      'alt-linux',
      '--description',
      'hello',
      '--serial',
      'tcp:5555',
      '--serial',
      'file:serial.log',
    ]);
    assert.equal(c.code, 0, c.err);
    const cfg = JSON.parse(readFileSync(path.join(lib, 'Web Server', 'vm.json'), 'utf8'));
    assert.equal(cfg.memoryMiB, 2048);
    assert.equal(cfg.cpu.count, 2);
    assert.equal(cfg.osType, 'alt-linux');
    assert.deepEqual(
      cfg.storage.map((s: { slot: string; type: string; readOnly: boolean }) => [
        s.slot,
        s.type,
        s.readOnly,
      ]),
      [
        ['vda', 'disk', false],
        ['vdb', 'optical', true],
      ],
    );
    assert.equal(cfg.storage[0].path, path.resolve('disk.img'));
    assert.deepEqual(cfg.serialPorts[0], { index: 0, mode: 'tcp', tcpPort: 5555 });
    const l = await cli(lib, ['list']);
    assert.match(l.out, /^NAME\s+STATE\s+PRESET\s+vCPUs\s+RAM\s+OS\n/);
    assert.match(l.out, /Web Server\s+powered off\s+e8c\s+2\s+2 GiB\s+alt-linux/);
    const j = JSON.parse((await cli(lib, ['list', '--json'])).out);
    assert.equal(j[0].config.name, 'Web Server');
    assert.equal(j[0].state, 'poweredOff');
    assert.match((await cli(lib, ['show', 'web server'])).out, /CPU:\s+Elbrus-8C \(e8c\), 2 vCPUs/);
    assert.equal(
      JSON.parse((await cli(lib, ['show', 'Web Server', '--json'])).out).config.description,
      'hello',
    );
  });
  test('operational errors exit 1 with one line', async () => {
    const lib = newLib();
    await cli(lib, ['create', 'A', '--preset', 'e8c']);
    const cases: [string[], RegExp][] = [
      [['show', 'Nope'], /^glaunch: show: no VM named 'Nope'/],
      [['create', 'a', '--preset', 'e8c'], /^glaunch: create: name: a VM named 'A' already exists/],
      [
        ['create', 'B', '--preset', 'e2c+', '--cpus', '4'],
        /^glaunch: create: --cpus: Elbrus-2C\+ has at most 2 vCPUs/,
      ],
      [
        ['create', 'B', '--preset', 'e8c', '--ram', '1T'],
        /^glaunch: create: --ram: must be between 16 MiB and 131072 MiB/,
      ],
      [['create', 'B/C', '--preset', 'e8c'], /^glaunch: create: name: must not contain/],
      [['modify', 'A', '--quantum-us', '5'], /--quantum-us: must be at least 100/],
      [['clone', 'Nope', 'X'], /no VM named 'Nope'/],
      [['delete', 'Nope'], /no VM named 'Nope'/],
      [['import', '/definitely/not/here'], /no folder/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(lib, argv);
      assert.equal(r.code, 1, `${argv.join(' ')}: ${r.err}`);
      oneLine(r.err);
      assert.match(r.err, re);
    }
  });
  test('modify changes fields, renames, and changes nothing on a bad flag', async () => {
    const lib = newLib();
    await cli(lib, ['create', 'A', '--preset', 'e8c', '--disk', '/img/a.img']);
    const before = readFileSync(path.join(lib, 'A', 'vm.json'), 'utf8');
    assert.equal((await cli(lib, ['modify', 'A', '--ram', '4G', '--cpus', 'x'])).code, 2);
    assert.equal(readFileSync(path.join(lib, 'A', 'vm.json'), 'utf8'), before);
    const r = await cli(lib, [
      'modify',
      'A',
      '--name',
      'B',
      '--ram',
      '4G',
      '--cpus',
      '4',
      '--preset',
      'e16c',
      '--disk',
      'none',
      '--iso',
      '/img/x.iso',
      '--quantum-us',
      '2000',
      '--intercept',
      'rr_pptb=on',
      '--intercept',
      'rr_idr=off',
      '--serial',
      'none',
      '--description',
      'd',
    ]);
    assert.equal(r.code, 0, r.err);
    const cfg = JSON.parse(readFileSync(path.join(lib, 'B', 'vm.json'), 'utf8'));
    assert.equal(cfg.name, 'B');
    assert.equal(cfg.memoryMiB, 4096);
    assert.equal(cfg.cpu.model, 'e16c');
    assert.deepEqual(cfg.storage, [
      { slot: 'vda', type: 'optical', path: '/img/x.iso', readOnly: true },
    ]);
    assert.equal(cfg.virtualization.quantumUs, 2000);
    assert.equal(cfg.virtualization.muIntercepts.rr_pptb, true);
    assert.equal(cfg.virtualization.cuIntercepts.rr_idr, false);
    assert.deepEqual(cfg.serialPorts, []);
    assert.match((await cli(lib, ['modify', 'B'])).out, /Nothing to change/);
  });
  test('clone, delete (aside and with files), import', async () => {
    const lib = newLib();
    await cli(lib, [
      'create',
      'A',
      '--preset',
      'e8c',
      '--disk',
      '/img/a.img',
      '--iso',
      '/img/b.iso',
    ]);
    const c = await cli(lib, ['clone', 'A', 'A2']);
    assert.equal(c.code, 0);
    assert.match(c.out, /Note: writable disk vda/);
    const d = await cli(lib, ['delete', 'A2']);
    assert.match(d.out, /its files are in .*\.removed/);
    assert.equal((await cli(lib, ['delete', 'A', '--files'])).code, 0);
    assert.deepEqual(readdirSync(lib), ['.removed']);
    const src = path.join(tmpDir(), 'elsewhere');
    mkdirSync(src);
    writeFileSync(path.join(src, 'vm.json'), JSON.stringify(validConfig('Imported')));
    const i = await cli(lib, ['import', src]);
    assert.equal(i.code, 0, i.err);
    assert.match((await cli(lib, ['list'])).out, /Imported/);
  });
  test('inaccessible VMs are listed with the reason and left alone', async () => {
    const lib = newLib();
    mkdirSync(path.join(lib, 'Broken'), { recursive: true });
    writeFileSync(
      path.join(lib, 'Broken', 'vm.json'),
      JSON.stringify({ ...validConfig('Broken'), schemaVersion: 7 }),
    );
    const before = readFileSync(path.join(lib, 'Broken', 'vm.json'), 'utf8');
    assert.match(
      (await cli(lib, ['list'])).out,
      /Broken\s+inaccessible[^\n]*\n\nBroken: \S+vm\.json \(schemaVersion\): was written by a newer Glaunch/,
    );
    const m = await cli(lib, ['modify', 'Broken', '--ram', '1G']);
    assert.equal(m.code, 1);
    assert.match(m.err, /inaccessible/);
    assert.equal(readFileSync(path.join(lib, 'Broken', 'vm.json'), 'utf8'), before);
  });
  test('GLAUNCH_HOME selects the library when --library is absent', async () => {
    const lib = newLib();
    let out = '';
    const code = await main(['create', 'E', '--preset', 'e2s'], {
      out: (s) => (out += s),
      err: () => undefined,
      env: { GLAUNCH_HOME: lib },
      cwd: '/',
    });
    assert.equal(code, 0);
    assert.ok(existsSync(path.join(lib, 'E', 'vm.json')), out);
  });
});

describe('modify is all-or-nothing', () => {
  test('a rename onto an existing name changes nothing else', async () => {
    const lib = newLib();
    await cli(lib, ['create', 'A', '--preset', 'e8c']);
    await cli(lib, ['create', 'B', '--preset', 'e8c']);
    const before = readFileSync(path.join(lib, 'A', 'vm.json'), 'utf8');
    const r = await cli(lib, ['modify', 'A', '--ram', '4G', '--name', 'b']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^glaunch: modify: name: a VM named 'b' already exists\n$/);
    assert.equal(readFileSync(path.join(lib, 'A', 'vm.json'), 'utf8'), before);
    const bad = await cli(lib, ['modify', 'A', '--ram', '4G', '--name', 'x:y']);
    assert.equal(bad.code, 1);
    assert.equal(readFileSync(path.join(lib, 'A', 'vm.json'), 'utf8'), before);
    const ram = await cli(lib, ['modify', 'A', '--ram', '999G', '--name', 'C']);
    assert.match(ram.err, /--ram: must be between/);
    assert.ok(existsSync(path.join(lib, 'A')));
  });
});

test('glaunch --library without a value is a usage error', async () => {
  let err = '';
  const code = await main(['--library'], {
    out: () => undefined,
    err: (s) => (err += s),
    env: {},
    cwd: '/',
  });
  assert.equal(code, 2);
  assert.equal(err, 'glaunch: --library needs a value (DIR)\n');
});
