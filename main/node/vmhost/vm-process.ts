/**
 * Entry of a VM process (bundled to dist/main/vm-process-main.cjs, run by the loader
 * dist/main/vm-process.cjs through a V8 code cache: main/node/boot). One process per running VM:
 * a crash, an out-of-memory or a kill here takes only this VM down; the host sees the
 * process end and marks the VM aborted. Talks to the host over Electron's parentPort when
 * forked by `utilityProcess.fork`, else over the child_process IPC channel.
 */
import '../heap-tuning'; // first: before the bundle's modules load
import { createBoardMachine } from './machine-factory';
import { wrapEmitterPort } from './console-ports';
import { runVmMain, type VmEndpoint } from './vm-main';

/** Electron's MessagePortMain, as far as this process uses it (no Electron types here). */
interface MainPort {
  postMessage(msg: unknown): void;
  on(event: 'message', l: (e: unknown) => void): unknown;
  on(event: 'close', l: () => void): unknown;
  start(): void;
  close(): void;
}

interface ParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', listener: (e: { data: unknown; ports?: MainPort[] }) => void): void;
}

function endpoint(): VmEndpoint {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (m) => parentPort.postMessage(m),
      // Console MessagePorts (console-ports.ts) arrive in the event's transfer list.
      onMessage: (l) =>
        parentPort.on('message', (e) =>
          l(
            e.data,
            (e.ports ?? []).map((p) => wrapEmitterPort(p, { event: true })),
          ),
        ),
      flush: () => new Promise((r) => setTimeout(r, 50)),
      exit: (code) => process.exit(code),
    };
  }
  if (!process.send) {
    console.error('glaunch vm-process: must be started by the Glaunch VM host (no IPC channel)');
    process.exit(2);
  }
  let last: Promise<void> = Promise.resolve();
  return {
    send(m) {
      last = new Promise((resolve) => {
        if (!process.connected) return resolve();
        process.send!(m, undefined, {}, () => resolve());
      });
    },
    onMessage: (l) => void process.on('message', l),
    flush: () => last,
    exit: (code) => process.exit(code),
  };
}

// The host going away (app quit, crash) must not leave an orphan VM running.
process.on('disconnect', () => process.exit(0));
runVmMain(endpoint(), createBoardMachine);
