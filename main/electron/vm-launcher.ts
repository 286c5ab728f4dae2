/**
 * VM processes in the desktop app: Electron's `utilityProcess.fork` (a Node child managed by
 * Electron, crash-isolated from the app). Same protocol and VmChannel as the child_process
 * launcher of web mode (main/node/vmhost/launcher.ts); the VM process detects
 * `process.parentPort` and talks over it. Its channels transfer MessagePorts, so console bytes
 * go straight between the VM process and the window (main/node/vmhost/console-broker.ts).
 */
import { utilityProcess, type MessagePortMain } from 'electron';
import type { VmChannel, VmExitInfo, VmLauncher } from '../node/vmhost/launcher';
import { defaultVmProcessEntry, stderrLines, vmProcessEnv } from '../node/vmhost/launcher';

export function utilityLauncher(): VmLauncher {
  return {
    consolePorts: true,
    launch(name): VmChannel {
      const child = utilityProcess.fork(defaultVmProcessEntry(), ['--vm', name], {
        serviceName: `Glaunch VM ${name}`,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: vmProcessEnv(),
      });
      const exitListeners: ((i: VmExitInfo) => void)[] = [];
      const stderr = stderrLines(child.stderr);
      child.on('exit', (code) => {
        // utilityProcess reports no signal; a kill shows as a non-zero code. Messages sent
        // just before the exit get a turn first (see the child_process launcher).
        setTimeout(() => {
          stderr.flush();
          for (const f of exitListeners) f({ code, signal: null });
        }, 20);
      });
      return {
        get pid() {
          return child.pid;
        },
        send: (m) => child.postMessage(m),
        sendWithPort: (m, port) => child.postMessage(m, [port as MessagePortMain]),
        onMessage: (l) => void child.on('message', l),
        onExit: (l) => void exitListeners.push(l),
        onStderr: (l) => void stderr.listeners.push(l),
        kill: () => void child.kill(),
      };
    },
  };
}
