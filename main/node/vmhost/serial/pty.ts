/**
 * Host pseudo-terminal backend (Linux, macOS): node-pty's `open()` creates a PTY pair; the
 * guest's UART is the master side and the user attaches any terminal program to the slave,
 * e.g. `screen /dev/pts/4`. The slave path is printed in the log, the status and the CLI.
 *
 * node-pty's JavaScript `open()` is not usable for this: it reads the slave side itself (so it
 * would swallow the guest's output before `screen` sees it) and its onData is not wired for
 * opened terminals. So the native `open(cols, rows)` it wraps is called directly (exported
 * as `native`), and the two fds are managed here. node-pty is loaded lazily: a machine
 * without its native module can still use every other backend.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import tty from 'node:tty';
import { SerialSetupError, type SerialBackend } from './backend';

/** node-pty's native binding (exported as `native` on Linux and macOS). */
interface NodePty {
  native: {
    open(cols: number, rows: number): { master: number; slave: number; pty: string };
  } | null;
}

function loadNodePty(portIndex: number): NodePty {
  try {
    const req = createRequire(import.meta.url);
    return req('node-pty') as NodePty;
  } catch (e) {
    throw new SerialSetupError(
      `serial port ${portIndex}: host PTYs need the node-pty module, which is not available here (${(e as Error).message.split('\n')[0]})`,
    );
  }
}

export async function openPtyBackend(portIndex: number): Promise<SerialBackend> {
  if (process.platform === 'win32')
    throw new SerialSetupError(
      `serial port ${portIndex}: host PTYs are not available on Windows; use a TCP port instead`,
    );
  const native = loadNodePty(portIndex).native;
  if (!native)
    throw new SerialSetupError(`serial port ${portIndex}: node-pty has no native PTY support here`);
  let pair: { master: number; slave: number; pty: string };
  try {
    pair = native.open(80, 24);
  } catch (e) {
    throw new SerialSetupError(
      `serial port ${portIndex}: cannot create a pseudo-terminal: ${(e as Error).message}`,
    );
  }
  // Raw mode on the slave: no echo of guest output back to the guest, no CR/LF rewriting.
  // The stream is never resumed, so it reads nothing: the user's terminal program does.
  const slave = new tty.ReadStream(pair.slave);
  slave.setRawMode(true);
  const master = new tty.ReadStream(pair.master);
  const queue: Uint8Array[] = [];
  let writing = false;
  let closed = false;
  // Writes go straight to the fd (non-blocking): a full kernel buffer (nobody reading the
  // slave) gives EAGAIN, and then the oldest output is dropped rather than stalling the VM.
  const pump = () => {
    if (writing || closed || queue.length === 0) return;
    writing = true;
    const chunk = queue[0];
    fs.write(pair.master, chunk, 0, chunk.length, null, (err, n) => {
      writing = false;
      if (err) {
        if (err.code === 'EAGAIN') {
          if (queue.length > 64) queue.splice(0, queue.length - 64);
          setTimeout(pump, 10);
        }
        return;
      }
      if (n < chunk.length) queue[0] = chunk.subarray(n);
      else queue.shift();
      pump();
    });
  };
  const backend: SerialBackend = {
    endpoint: pair.pty,
    onInput: null,
    write(data) {
      queue.push(data.slice());
      pump();
    },
    pauseInput: () => void master.pause(),
    resumeInput: () => void master.resume(),
    async close() {
      closed = true;
      master.destroy();
      slave.destroy();
    },
  };
  master.on('data', (d: Buffer) =>
    backend.onInput?.(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)),
  );
  // EIO when the last slave user closes on some systems; the backend stays usable.
  master.on('error', () => undefined);
  return backend;
}
