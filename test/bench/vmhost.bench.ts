// Running VMs from the app: console throughput through the whole host path, keystroke-to-echo
// latency with the demo OS, and memory with 4 VMs running. Prints figures; never fails.
//
//  - console throughput: VM process → IPC → VM host → WebSocket (glaunch web's server) → a
//    client that checks every byte. The guest side is the host tests' double
//    (test/main/node/vmhost/fixtures/echo-vm-process.ts, "flood"): it measures the pipeline,
//    not the emulated UART (the demo OS prints too little to load it).
//  - keystroke → echo: the real demo OS shell (assets/guest/demo-os.img), through WebSocket.
//  - memory: RSS of the host process and of each of 4 demo-OS VM processes.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { Report } from './run';
import { createApiService } from '../../main/node/api/service';
import { VmLibrary } from '../../main/node/library/library';
import { startWebServer } from '../../main/node/web/server';
import { VmHost } from '../../main/node/vmhost/host';
import { forkLauncher } from '../../main/node/vmhost/launcher';

export const title = 'VM host: console pipeline, keystroke latency, memory';

const root = path.resolve(import.meta.dirname, '../..');
const FLOOD = 32 * 1024 * 1024;

async function world(launcher: ReturnType<typeof forkLauncher>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'glaunch-bench-'));
  const library = new VmLibrary(path.join(dir, 'lib'));
  await library.ensure();
  const host = new VmHost({ library, launcher });
  const api = createApiService({ library, mode: 'web', host });
  const server = await startWebServer({ api, host, rendererDir: dir, port: 0 });
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
  await new Promise((r) => ws.once('message', r)); // hello
  return {
    dir,
    library,
    host,
    ws,
    async close() {
      await host.powerOffAll();
      ws.close();
      await server.close();
      api.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function type(ws: WebSocket, name: string, text: string): void {
  const data = Buffer.from(text).toString('base64');
  ws.send(JSON.stringify({ type: 'console', name, port: 0, data }));
}

async function throughput(report: Report): Promise<void> {
  const w = await world(
    forkLauncher({
      entry: path.join(root, 'test/main/node/vmhost/fixtures/echo-vm-process.ts'),
      execArgv: ['--import', 'tsx'],
    }),
  );
  try {
    await w.library.create({ name: 'F', cpuModel: 'e8c', memoryMiB: 256 });
    await w.host.start('F', true);
    let got = 0;
    let bad = 0;
    let skip = 'flood\r'.length; // the shell-like echo of the trigger word
    let t0 = 0;
    const done = new Promise<number>((resolve) => {
      w.ws.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as { name?: string; payload?: { data: string } };
        if (m.name !== 'consoleData' || !m.payload) return;
        const b = Buffer.from(m.payload.data, 'base64');
        let i = 0;
        if (skip > 0) {
          i = Math.min(skip, b.length);
          skip -= i;
          if (skip === 0) t0 = performance.now();
        }
        for (; i < b.length; i++) if (b[i] !== got++ % 251) bad++;
        if (got >= FLOOD) resolve(performance.now() - t0);
      });
    });
    type(w.ws, 'F', 'flood\r');
    const ms = await done;
    report(
      'console pipeline (VM process → WebSocket)',
      ((FLOOD / ms) * 1000) / 1e6,
      'MB/s',
      '>= 2 MB/s',
    );
    report('  bytes lost or out of order', bad, 'bytes', '0');
  } finally {
    await w.close();
  }
}

async function demoVm(w: Awaited<ReturnType<typeof world>>, name: string): Promise<void> {
  const disk = path.join(w.dir, `${name}.img`);
  copyFileSync(path.join(root, 'assets/guest/demo-os.img'), disk);
  await w.library.create({
    name,
    cpuModel: 'e8c2',
    memoryMiB: 256,
    storage: [{ slot: 'vda', type: 'disk', path: disk, readOnly: false }],
    bootOrder: ['disk'],
  });
  await w.host.start(name, true);
}

async function waitFor(w: Awaited<ReturnType<typeof world>>, name: string, re: RegExp, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const text = Buffer.from(await w.host.consoleContents(name, 0)).toString('latin1');
    if (re.test(text)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function latencyAndMemory(report: Report): Promise<void> {
  if (
    !existsSync(path.join(root, 'assets/guest/demo-os.img')) ||
    !existsSync(path.join(root, 'dist/main/vm-process.cjs'))
  ) {
    report('demo OS / dist missing (npm run build): skipped', 0, '');
    return;
  }
  const w = await world(forkLauncher());
  try {
    await demoVm(w, 'D0');
    if (!(await waitFor(w, 'D0', /gsh\$ $/, 60_000))) {
      report('the demo OS did not reach its prompt: latency skipped', 0, '');
    } else {
      const samples: number[] = [];
      for (let i = 0; i < 20; i++) {
        const ch = String.fromCharCode(97 + (i % 26));
        const t0 = performance.now();
        const echoed = new Promise<void>((resolve) => {
          const h = (raw: WebSocket.RawData) => {
            const m = JSON.parse(String(raw)) as { name?: string; payload?: { data: string } };
            if (
              m.name === 'consoleData' &&
              Buffer.from(m.payload!.data, 'base64').toString().includes(ch)
            ) {
              w.ws.off('message', h);
              resolve();
            }
          };
          w.ws.on('message', h);
        });
        type(w.ws, 'D0', ch);
        await echoed;
        samples.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 30));
      }
      type(w.ws, 'D0', '\x15'); // Ctrl-U: kill the typed line
      samples.sort((a, b) => a - b);
      report('keystroke → echo, median (demo OS, WebSocket)', samples[10], 'ms', '<= 20 ms');
      report('keystroke → echo, worst of 20', samples[19], 'ms');
    }
    for (const n of ['D1', 'D2', 'D3']) await demoVm(w, n);
    await new Promise((r) => setTimeout(r, 3000));
    report('host process RSS with 4 VMs running', process.memoryUsage().rss / 1024 / 1024, 'MiB');
    let total = 0;
    for (const n of ['D0', 'D1', 'D2', 'D3']) {
      const s = await w.host.status(n);
      const rss = s.pid ? rssMiB(s.pid) : NaN;
      total += rss;
      report(`  VM process ${n} RSS (256 MiB guest RAM, lazy)`, rss, 'MiB');
    }
    report('4 VM processes together', total, 'MiB');
  } finally {
    await w.close();
  }
}

export async function run(report: Report): Promise<void> {
  await throughput(report);
  await latencyAndMemory(report);
}
