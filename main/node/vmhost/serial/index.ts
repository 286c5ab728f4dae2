/** Opens the backend a serial port's configuration asks for (see backend.ts). */
import type { SerialSetup } from '../protocol';
import { disconnectedBackend, SerialSetupError, type SerialBackend } from './backend';
import { openFileBackend } from './file';
import { openPtyBackend } from './pty';
import { openTcpBackend } from './tcp';

export { SerialSetupError, type SerialBackend } from './backend';

/** 'console' is handled by the VM loop itself (bytes go to the host); others open here. */
export async function openSerialBackend(s: SerialSetup): Promise<SerialBackend> {
  switch (s.mode) {
    case 'tcp':
      if (s.tcpPort === undefined)
        throw new SerialSetupError(`serial port ${s.index}: tcp mode needs a port`);
      return openTcpBackend(s.index, s.tcpPort);
    case 'pty':
      return openPtyBackend(s.index);
    case 'file':
      if (!s.filePath) throw new SerialSetupError(`serial port ${s.index}: file mode needs a path`);
      return openFileBackend(s.index, s.filePath);
    case 'console':
    case 'disconnected':
      return disconnectedBackend();
  }
}
