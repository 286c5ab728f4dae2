// Temporary library folders for tests, removed after each test file.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

export function tmpDir(prefix = 'glaunch-test-'): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}

export const FIXED_NOW = new Date('2026-01-02T03:04:05.000Z');

export function validConfig(name: string, extra: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    name,
    description: '',
    osType: 'glaunch-demo',
    cpu: { model: 'e8c', count: 2 },
    memoryMiB: 2048,
    createdAt: FIXED_NOW.toISOString(),
    modifiedAt: FIXED_NOW.toISOString(),
    ...extra,
  };
}
