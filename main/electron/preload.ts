/**
 * Preload (sandboxed, bundled to CommonJS): exposes exactly one object, `window.glaunch`, that
 * implements GlaunchApi over IPC — except the console, whose bytes go over a MessagePort
 * straight to the VM process (main/node/vmhost/console-port-client.ts). The ports stay here;
 * the page sees only the GlaunchApi methods. Imports electron, main/common and that
 * Node-free client.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CONSOLE_PORT_CHANNEL, IPC_CONSOLE_PORT_REQUEST } from '../common/ipc';
import { createIpcApi } from '../common/ipc-client';
import type { PortLike } from '../node/vmhost/console-ports';
import { withConsolePorts } from '../node/vmhost/console-port-client';

/** The page's MessagePort (DOM), as far as used here (main's tsconfig has no DOM types). */
interface DomPort {
  postMessage(m: unknown): void;
  onmessage: ((e: { data: unknown }) => void) | null;
  addEventListener(type: 'close', l: () => void): void;
  close(): void;
}

function domPort(p: DomPort): PortLike {
  return {
    post: (m) => p.postMessage(m),
    onMessage(l) {
      p.onmessage = (e) => l(e.data);
    },
    onClose: (l) => p.addEventListener('close', l),
    close: () => p.close(),
  };
}

const api = withConsolePorts(createIpcApi(ipcRenderer), {
  requestPort: (name) => ipcRenderer.send(IPC_CONSOLE_PORT_REQUEST, name),
  onPort(listener) {
    ipcRenderer.on(IPC_CONSOLE_PORT_CHANNEL, (e, msg: { name?: unknown } | undefined) => {
      const port = e.ports[0];
      if (port && typeof msg?.name === 'string')
        listener(msg.name, domPort(port as unknown as DomPort));
    });
  },
});

contextBridge.exposeInMainWorld('glaunch', api);
