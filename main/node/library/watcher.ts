/**
 * Watches the library so that changes made by another process (the CLI, a text editor, a file
 * manager) reach an open GUI. fs.watch is not recursive on Linux with Node 20, so there is one
 * watcher on the library folder (VMs added, removed, renamed) and one per VM folder (vm.json
 * rewritten); the per-VM set is refreshed whenever the library folder changes. Bursts of events
 * (an atomic write is several) are debounced into one notification.
 */
import { watch, promises as fsp, type FSWatcher } from 'node:fs';
import path from 'node:path';

export class LibraryWatcher {
  private root: FSWatcher | undefined;
  private readonly vms = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly debounceMs: number,
    private readonly onChange: () => void,
  ) {}

  async start(): Promise<void> {
    this.root = watch(this.dir, () => {
      this.poke();
      void this.refresh();
    });
    this.root.on('error', () => this.close()); // library folder removed: stop quietly
    await this.refresh();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.root?.close();
    for (const w of this.vms.values()) w.close();
    this.vms.clear();
  }

  private poke(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (!this.closed) this.onChange();
    }, this.debounceMs);
    this.timer.unref?.();
  }

  private async refresh(): Promise<void> {
    const names = new Set(
      (await fsp.readdir(this.dir, { withFileTypes: true }).catch(() => []))
        .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
        .map((d) => d.name),
    );
    if (this.closed) return;
    for (const [n, w] of this.vms) {
      if (!names.has(n)) {
        w.close();
        this.vms.delete(n);
      }
    }
    for (const n of names) {
      if (this.vms.has(n)) continue;
      try {
        const w = watch(path.join(this.dir, n), () => this.poke());
        w.on('error', () => {
          w.close();
          this.vms.delete(n);
        });
        this.vms.set(n, w);
      } catch {
        // Vanished between readdir and watch: the root watcher reports that anyway.
      }
    }
  }
}
