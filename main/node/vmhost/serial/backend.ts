/**
 * Serial port backends of the VM process: where a guest UART's bytes go and where its input
 * comes from. 'console' is the app's console (bytes travel to the VM host over the protocol,
 * handled by vm-main.ts); the others live entirely inside the VM process so their data never
 * passes through the app: a TCP server on 127.0.0.1 (tcp.ts), a host pseudo-terminal
 * (pty.ts), an append-only log file (file.ts), or nothing.
 *
 * A backend that cannot be set up (port in use, PTY unavailable, file not writable) rejects
 * with a message that names the serial port and the problem; the start then fails with it.
 */
export interface SerialBackend {
  /** Where a user reaches it: "127.0.0.1:5555", "/dev/pts/4", a file path. */
  readonly endpoint?: string;
  /** Guest → outside. Never blocks; a backend without a reader drops the bytes (as a real line). */
  write(data: Uint8Array): void;
  /** Outside → guest; set by the VM loop. */
  onInput: ((data: Uint8Array) => void) | null;
  /** Stop delivering input until resume() (the guest's receiver is full). */
  pauseInput(): void;
  resumeInput(): void;
  close(): Promise<void>;
}

export class SerialSetupError extends Error {}

/** Nothing attached: output is dropped, no input ever arrives. */
export function disconnectedBackend(): SerialBackend {
  return {
    write: () => undefined,
    onInput: null,
    pauseInput: () => undefined,
    resumeInput: () => undefined,
    close: async () => undefined,
  };
}
