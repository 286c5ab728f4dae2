/**
 * TCP serial backend: a server on 127.0.0.1:PORT (never other interfaces: a guest console is
 * a root shell). One client at a time, as QEMU's `-serial tcp::PORT,server,nowait`: a second
 * client is told the line is busy and disconnected. Output while nobody is connected is
 * dropped. A telnet client works: its option negotiation (IAC ...) is answered with nothing
 * and filtered out of the input, so the guest never sees it.
 */
import net from 'node:net';
import { SerialSetupError, type SerialBackend } from './backend';

const IAC = 255;

export async function openTcpBackend(portIndex: number, tcpPort: number): Promise<SerialBackend> {
  const server = net.createServer();
  let client: net.Socket | null = null;
  let paused = false;
  const backend: SerialBackend = {
    endpoint: `127.0.0.1:${tcpPort}`,
    onInput: null,
    write(data) {
      if (client && !client.destroyed) client.write(data);
    },
    pauseInput() {
      paused = true;
      client?.pause();
    },
    resumeInput() {
      paused = false;
      client?.resume();
    },
    async close() {
      client?.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  const filter = telnetFilter();
  server.on('connection', (socket) => {
    if (client && !client.destroyed) {
      socket.end(`glaunch: serial port ${portIndex} already has a client\r\n`);
      return;
    }
    client = socket;
    socket.setNoDelay(true);
    if (paused) socket.pause();
    socket.on('data', (d: Buffer) => {
      const clean = filter(d);
      if (clean.length > 0) backend.onInput?.(clean);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      if (client === socket) client = null;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new SerialSetupError(
          e.code === 'EADDRINUSE'
            ? `serial port ${portIndex}: TCP port ${tcpPort} on 127.0.0.1 is already in use`
            : `serial port ${portIndex}: cannot listen on 127.0.0.1:${tcpPort}: ${e.code ?? e.message}`,
        ),
      ),
    );
    server.listen(tcpPort, '127.0.0.1', () => resolve());
  });
  return backend;
}

/** Removes telnet commands (IAC x, IAC WILL/WONT/DO/DONT y, IAC SB ... IAC SE) from a stream. */
export function telnetFilter(): (d: Uint8Array) => Uint8Array {
  let state: 'data' | 'iac' | 'opt' | 'sb' | 'sbiac' = 'data';
  return (d) => {
    const out: number[] = [];
    for (const b of d) {
      if (state === 'data') {
        if (b === IAC) state = 'iac';
        else out.push(b);
      } else if (state === 'iac') {
        if (b === IAC) {
          out.push(IAC);
          state = 'data';
        } else if (b >= 251 && b <= 254) state = 'opt';
        else if (b === 250) state = 'sb';
        else state = 'data';
      } else if (state === 'opt') state = 'data';
      else if (state === 'sb') state = b === IAC ? 'sbiac' : 'sb';
      else state = b === 240 ? 'data' : 'sb';
    }
    return Uint8Array.from(out);
  };
}
