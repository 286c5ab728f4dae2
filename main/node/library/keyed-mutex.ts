/**
 * Serializes operations per key (a VM name, lower-cased). An operation may hold several keys at
 * once (rename holds the old and the new name): it queues behind all of them in one synchronous
 * step, so two multi-key operations can never wait on each other in a cycle.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    const waits = unique.map((k) => this.tails.get(k) ?? Promise.resolve());
    for (const k of unique) this.tails.set(k, done);
    await Promise.all(waits);
    try {
      return await fn();
    } finally {
      release();
      // Forget keys nobody queued behind, so the map does not grow with every name ever used.
      for (const k of unique) if (this.tails.get(k) === done) this.tails.delete(k);
    }
  }
}
