// `glaunch run`: start-up validation (one line, exit 1 before anything runs) and the terminal
// loop (raw console, Ctrl-A keys, power-off exit) with a VMM double that plays a guest
// talking to UART 0 through the board's MMIO bus — the VMM's side of the MMIO intercepts.
import { test, describe, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../../helpers/cli';
import { tmpDir, validConfig } from '../../helpers/tmp';
import { setRunHooks, type RunTerminal } from '../../../../main/node/cli/commands/run-command';
import type { Vmm, VmmPort } from '../../../../emulator/machine/index';
import { uartBase, POWER_BASE } from '../../../../emulator/machine/board';
import { demoArtifacts } from '../../../emulator/machine/demo-driver';

const oneLine = (s: string): void =>
  assert.equal(s.trimEnd().split('\n').length, 1, `expected one line, got: ${s}`);

function setupFiles(extra: Record<string, unknown> = {}): {
  dir: string;
  cfg: string;
  rom: string;
} {
  const dir = tmpDir();
  const rom = path.join(dir, 'rom.bin');
  writeFileSync(rom, new Uint8Array(64));
  const cfg = path.join(dir, 'vm.json');
  writeFileSync(
    cfg,
    JSON.stringify(validConfig('T', { memoryMiB: 64, cpu: { model: 'e16c', count: 1 }, ...extra })),
  );
  return { dir, cfg, rom };
}

/** A "guest": prints a banner, echoes what it reads upper-cased, powers off on 'q'. */
class EchoGuestVmm implements Vmm {
  private started = false;
  constructor(private readonly p: VmmPort) {}
  reset(): void {
    this.started = false;
  }
  run(): { idleMs: number } {
    const U = uartBase(0);
    const bus = this.p.bus;
    if (!this.started) {
      for (const ch of 'Hello from the guest\r\n') bus.write(U, 1, ch.charCodeAt(0));
      this.started = true;
    }
    while (bus.read(U + 5 * 4, 1)!.lo & 1) {
      const c = bus.read(U, 1)!.lo;
      if (c === 0x71) bus.write(POWER_BASE, 4, 0x4757_0001);
      else bus.write(U, 1, String.fromCharCode(c).toUpperCase().charCodeAt(0));
    }
    return { idleMs: 1 };
  }
  counters(): Record<string, number> {
    return { 'exits.total': 7, 'exits.mmio': 5 };
  }
  vcpuStats() {
    return [];
  }
  recentIntercepts(): unknown[] {
    return [];
  }
  registers(): Record<string, string>[] {
    return [];
  }
}

function fakeTerminal(
  script: (string | number[])[],
): RunTerminal & { out: () => string; raw: boolean[] } {
  let out = '';
  const raw: boolean[] = [];
  return {
    raw,
    out: () => out,
    write: (b) => void (out += Buffer.from(b).toString('utf8')),
    setRaw: (r) => void raw.push(r),
    onInput(cb) {
      let i = 0;
      const t = setInterval(() => {
        if (i >= script.length) return clearInterval(t);
        const s = script[i++];
        cb(typeof s === 'string' ? new Uint8Array(Buffer.from(s)) : Uint8Array.from(s));
      }, 15);
      return () => clearInterval(t);
    },
  };
}

describe('glaunch run', () => {
  afterEach(() => setRunHooks({}));

  test('start-up failures: one clear line, non-zero exit, nothing runs', async () => {
    const lib = path.join(tmpDir(), 'lib');
    const { dir, cfg, rom } = setupFiles();
    const cases: [string[], RegExp, number][] = [
      [['run'], /give a VM name or --config FILE/, 2],
      [['run', 'nope'], /^glaunch: run: .*nope/, 1],
      [['run', '--config', path.join(dir, 'missing.json')], /missing\.json: file not found\n$/, 1],
      [
        ['run', '--config', cfg, '--rom', path.join(dir, 'norom.bin')],
        /^glaunch: run: boot ROM not found: .*norom\.bin\n$/,
        1,
      ],
    ];
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(validConfig('T', { cpu: { model: 'e90s', count: 1 } })));
    cases.push([
      ['run', '--config', bad, '--rom', rom],
      /bad\.json: invalid configuration: cpu\.model: /,
      1,
    ]);
    const nojson = path.join(dir, 'x.json');
    writeFileSync(nojson, '{ nope');
    cases.push([['run', '--config', nojson, '--rom', rom], /x\.json: not valid JSON/, 1]);
    const withDisk = path.join(dir, 'disk.json');
    writeFileSync(
      withDisk,
      JSON.stringify(
        validConfig('T', {
          memoryMiB: 64,
          storage: [{ slot: 'vda', type: 'disk', path: 'gone.img' }],
        }),
      ),
    );
    cases.push([
      ['run', '--config', withDisk, '--rom', rom],
      /^glaunch: run: disk image not found: .*gone\.img\n$/,
      1,
    ]);
    for (const [argv, re, code] of cases) {
      const term = fakeTerminal([]);
      setRunHooks({ vmm: (p) => new EchoGuestVmm(p), terminal: term });
      const r = await cli(lib, argv);
      assert.equal(r.code, code, `${argv.join(' ')}: ${r.err}`);
      oneLine(r.err);
      assert.match(r.err, re);
      assert.equal(term.out(), '', 'nothing ran');
      assert.deepEqual(term.raw, []);
    }
  });

  test('console in raw mode: guest output, keyboard input, Ctrl-A h and s, exit 0 on power-off', async () => {
    const lib = path.join(tmpDir(), 'lib');
    const { cfg, rom } = setupFiles();
    const term = fakeTerminal(['abc', [1, 0x68], [1, 0x73], 'q']);
    setRunHooks({ vmm: (p) => new EchoGuestVmm(p), terminal: term });
    const r = await cli(lib, ['run', '--config', cfg, '--rom', rom]);
    assert.equal(r.code, 0, r.err);
    const out = term.out();
    assert.match(out, /^Hello from the guest\r\nABC/);
    assert.match(out, /C-a x {4}exit/);
    assert.match(out, /\r\nexits\.mmio: 5\r\nexits\.total: 7\r\n/);
    assert.match(out, /\r\nserial0\.tx_bytes: \d+\r\n/);
    assert.equal(term.raw[0], true, 'raw mode while running');
    assert.equal(term.raw.at(-1), false, 'restored on exit');
  });

  test('Ctrl-A x quits; Ctrl-A a sends a literal Ctrl-A', async () => {
    const lib = path.join(tmpDir(), 'lib');
    const { cfg, rom } = setupFiles();
    const term = fakeTerminal([
      [1, 0x61],
      [1, 0x78],
    ]);
    setRunHooks({ vmm: (p) => new EchoGuestVmm(p), terminal: term });
    const r = await cli(lib, ['run', '--config', cfg, '--rom', rom]);
    assert.equal(r.code, 0);
    assert.ok(
      term.out().includes('Hello from the guest\r\n\u0001\r\nglaunch: VM stopped'),
      JSON.stringify(term.out()),
    );
  });

  test('a VM that stops with an error: one line with the reason, exit 1', async () => {
    const lib = path.join(tmpDir(), 'lib');
    const { cfg, rom } = setupFiles();
    const term = fakeTerminal([]);
    class Halting extends EchoGuestVmm {
      override run(): { idleMs: number; halted?: string } {
        super.run();
        return { idleMs: 0, halted: 'triple fault on vCPU 0' };
      }
    }
    setRunHooks({ vmm: (p) => new Halting(p), terminal: term });
    const r = await cli(lib, ['run', '--config', cfg, '--rom', rom]);
    assert.equal(r.code, 1);
    assert.equal(r.err, 'glaunch: run: the VM stopped: triple fault on vCPU 0\n');
    assert.match(term.out(), /Hello from the guest/);
  });

  test('a VM from the library', async () => {
    const lib = path.join(tmpDir(), 'lib');
    const { rom } = setupFiles();
    const c = await cli(lib, ['create', 'Demo', '--preset', 'e8c', '--ram', '64M']);
    assert.equal(c.code, 0, c.err);
    const term = fakeTerminal(['q']);
    setRunHooks({ vmm: (p) => new EchoGuestVmm(p), terminal: term });
    const r = await cli(lib, ['run', 'Demo', '--rom', rom]);
    assert.equal(r.code, 0, r.err);
    assert.match(term.out(), /Hello from the guest/);
  });
});

/** A terminal that types each line once `expect` has appeared in the output so far. */
function scriptedTerminal(steps: { expect: string; send: string | number[] }[]): RunTerminal & {
  out: () => string;
} {
  let out = '';
  let cb: ((b: Uint8Array) => void) | null = null;
  let i = 0;
  const pump = (): void => {
    while (cb && i < steps.length && out.includes(steps[i].expect)) {
      const s = steps[i++].send;
      const bytes = typeof s === 'string' ? new Uint8Array(Buffer.from(s)) : Uint8Array.from(s);
      setImmediate(() => cb?.(bytes));
    }
  };
  return {
    out: () => out,
    write: (b) => {
      out += Buffer.from(b).toString('utf8');
      pump();
    },
    onInput(f) {
      cb = f;
      pump();
      return () => (cb = null);
    },
  };
}

describe('glaunch run with the VMM and the demo OS', () => {
  afterEach(() => setRunHooks({}));

  test(
    'boots to the shell, runs commands, Ctrl-A s counters, exit 0 after poweroff',
    { timeout: 300_000 },
    async (t) => {
      const a = await demoArtifacts();
      if (typeof a === 'string') return t.skip(a);
      const dir = tmpDir();
      writeFileSync(path.join(dir, 'rom.bin'), a.rom);
      writeFileSync(path.join(dir, 'demo-os.img'), a.image);
      const cfg = path.join(dir, 'vm.json');
      writeFileSync(
        cfg,
        JSON.stringify(
          validConfig('Demo', {
            cpu: { model: 'e16c', count: 1 },
            memoryMiB: 128,
            bootOrder: ['disk'],
            storage: [{ slot: 'vda', type: 'disk', path: 'demo-os.img' }],
          }),
        ),
      );
      const term = scriptedTerminal([
        { expect: 'gsh$ ', send: 'info\r' },
        { expect: 'uptime', send: 'cat motd\r' },
        { expect: 'cat motd', send: [1, 0x73] },
        { expect: 'exits.total: ', send: 'poweroff\r' },
      ]);
      setRunHooks({ terminal: term });
      const r = await cli(path.join(dir, 'lib'), [
        'run',
        '--config',
        cfg,
        '--rom',
        path.join(dir, 'rom.bin'),
      ]);
      assert.equal(r.code, 0, r.err + term.out());
      const out = term.out();
      assert.match(out, /Glaunch boot ROM/);
      assert.match(out, /Elbrus-16C/);
      assert.match(out, /128 MiB/);
      const counters = Object.fromEntries(
        [...out.matchAll(/^([a-z_][\w.]*): (\d+(?:\.\d+)?)\r?$/gm)].map((m) => [
          m[1],
          Number(m[2]),
        ]),
      );
      assert.ok(counters['exits.total'] > 0, out);
      assert.ok(counters['exits.mmio'] > 0);
      assert.ok(counters['gpa.pages_mapped'] > 0);
      assert.ok(counters['disk.vda.read_bytes'] > 0);
      assert.match(out, /kernel: power off/);
    },
  );
});
