/**
 * File serial backend: everything the guest sends is appended to a file (a boot log); no
 * input. The file is opened at start, so a path that cannot be written fails the start.
 */
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { SerialSetupError, type SerialBackend } from './backend';

export async function openFileBackend(portIndex: number, file: string): Promise<SerialBackend> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    handle = await open(file, 'a');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new SerialSetupError(
      `serial port ${portIndex}: cannot open the log file ${file}: ${err.code ?? err.message}`,
    );
  }
  // Writes are chained so the file keeps the guest's byte order.
  let chain: Promise<unknown> = Promise.resolve();
  return {
    endpoint: file,
    onInput: null,
    write(data) {
      const copy = data.slice();
      chain = chain.then(() => handle.write(copy)).catch(() => undefined);
    },
    pauseInput: () => undefined,
    resumeInput: () => undefined,
    async close() {
      await chain;
      await handle.close();
    },
  };
}
