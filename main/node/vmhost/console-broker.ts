/**
 * The main process's part of the direct console path (desktop app): it creates a message
 * channel, gives one end to the VM process (VmHost.openConsolePort) and the other to the
 * window, and is out of the data path from then on. A window gets a port when a VM starts
 * running (so an open console follows a restart) and when it asks (a reloaded window).
 *
 * Runtime-neutral: main/electron passes MessageChannelMain and webContents.postMessage; the
 * tests pass worker_threads' MessageChannel.
 */
import type { VmHost } from './host';

export interface ConsoleBrokerOptions {
  host: VmHost;
  /** A new channel: one end for the VM process, one for the window. */
  newChannel(): { vmEnd: unknown; windowEnd: unknown; close(): void };
  /** Hands the window its end; false if there is no window to take it. */
  toWindow(name: string, windowEnd: unknown): boolean;
}

export class ConsoleBroker {
  /** VMs whose current run has handed out a port (a new run gets a new one). */
  private readonly offered = new Set<string>();

  constructor(private readonly o: ConsoleBrokerOptions) {
    o.host.on('state', (e) => {
      const k = e.name.toLowerCase();
      if (e.state === 'running' && !this.offered.has(k)) this.offer(e.name);
      else if (e.state !== 'running' && e.state !== 'paused') this.offered.delete(k);
    });
  }

  /** A window asks for a port to VM `name` (it has none: first console, reload). */
  request(name: string): boolean {
    return this.offer(name);
  }

  private offer(name: string): boolean {
    const ch = this.o.newChannel();
    if (!this.o.host.openConsolePort(name, ch.vmEnd)) {
      ch.close();
      return false;
    }
    this.offered.add(name.toLowerCase());
    if (this.o.toWindow(name, ch.windowEnd)) return true;
    ch.close(); // the VM process sees its end close and forgets it
    return false;
  }
}
