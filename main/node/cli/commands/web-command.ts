/** `glaunch web`: serve the GUI to a local browser until Ctrl+C. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createApiService } from '../../api/service';
import { defaultRendererDir } from '../../web/static-files';
import { VmHost } from '../../vmhost/host';
import { removeHostFile, writeHostFile } from '../../vmhost/host-file';
import { forkLauncher } from '../../vmhost/launcher';
import { parseIntArg } from '../args';
import type { Command } from '../command';

/** How long the background host of `glaunch start` stays up with no VM running. */
const IDLE_EXIT_MS = 30_000;

export const webCommand: Command = {
  name: 'web',
  summary: 'serve the Glaunch UI to a browser on this computer',
  synopsis: 'web [--port N] [--no-open]',
  details:
    'Listens on 127.0.0.1 only and prints an address with a random token (new at every start); every request and the\n' +
    'WebSocket must carry that token. Stop with Ctrl+C.',
  options: [
    { name: 'port', value: 'N', help: 'TCP port (default: a free one)' },
    { name: 'no-open', help: 'do not open a browser' },
    {
      name: 'exit-when-idle',
      help: 'stop once no VM has run for 30 s (the background host of `glaunch start`)',
    },
  ],
  positionals: [],
  async run(c) {
    const port = c.args.options.has('port')
      ? parseIntArg('--port', c.args.options.get('port') as string, 0, 65535)
      : 0;
    const library = c.library();
    await library.watch();
    const host = new VmHost({ library, launcher: forkLauncher() });
    const api = createApiService({ library, mode: 'web', host });
    const rendererDir = defaultRendererDir();
    let server;
    try {
      // Loaded on use: the server brings `ws` and Node's http/https/tls/zlib (see host-client.ts).
      const { startWebServer } = await import('../../web/server');
      server = await startWebServer({
        api,
        rendererDir,
        port,
        host,
        log: (l) => c.io.err(l + '\n'),
      });
    } catch (e) {
      library.close();
      const err = e as NodeJS.ErrnoException;
      c.io.err(`glaunch: web: cannot listen on 127.0.0.1:${port}: ${err.code ?? err.message}\n`);
      return 1;
    }
    await writeHostFile(library.root, {
      pid: process.pid,
      port: server.port,
      token: server.token,
      url: server.url,
    });
    c.io.out(`Glaunch web UI: ${server.url}\nLibrary: ${library.root}\nPress Ctrl+C to stop.\n`);
    if (!existsSync(path.join(rendererDir, 'index.html'))) {
      c.io.err(
        `glaunch: web: warning: the web UI is not built (${rendererDir} has no index.html); run: npm run build\n`,
      );
    }
    c.io.onWebReady?.(server.url);
    const idle = new AbortController();
    let idleTimer: NodeJS.Timeout | undefined;
    if (c.args.options.has('exit-when-idle')) {
      let idleSince = Date.now();
      idleTimer = setInterval(() => {
        if (host.activeNames().length > 0) idleSince = Date.now();
        else if (Date.now() - idleSince > IDLE_EXIT_MS) idle.abort();
      }, 1000);
    }
    if (!c.args.options.has('no-open')) (c.io.openUrl ?? openInBrowser)(server.url);
    await new Promise<void>((resolve) => {
      idle.signal.addEventListener('abort', () => resolve(), { once: true });
      if (!c.io.signal) return; // otherwise the process ends on a signal
      if (c.io.signal.aborted) return resolve();
      c.io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    clearInterval(idleTimer);
    // Running VMs belong to this host: power them off (forcibly after a timeout) before leaving.
    await host.powerOffAll();
    await removeHostFile(library.root).catch(() => undefined);
    await server.close();
    api.dispose();
    library.close();
    return 0;
  },
};

function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '""', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  try {
    const p = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    p.on('error', () => undefined); // no browser launcher: the printed address is enough
    p.unref();
  } catch {
    // same
  }
}
