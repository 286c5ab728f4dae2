/**
 * User preferences (language, theme), stored atomically in `<library>/.glaunch/preferences.json`
 * next to the VMs they belong with, so `--library` / GLAUNCH_HOME keeps setups apart. A missing
 * or damaged file means defaults; a damaged file is kept as `preferences.json.bad` when first
 * overwritten, so nothing the user wrote is silently lost.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Preferences } from '../../common/api';
import { readJsonFile, writeFileAtomic } from './atomic-file';
import { META_DIR, PREFERENCES_FILE } from './paths';

export const DEFAULT_PREFERENCES: Preferences = { language: 'en', theme: 'system' };

const prefsSchema = z.object({
  language: z.enum(['en', 'ru']).catch(DEFAULT_PREFERENCES.language),
  theme: z.enum(['system', 'light', 'dark']).catch(DEFAULT_PREFERENCES.theme),
});

export class PreferencesStore {
  readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(libraryRoot: string) {
    this.file = path.join(libraryRoot, META_DIR, PREFERENCES_FILE);
  }

  async get(): Promise<Preferences> {
    const r = await readJsonFile(this.file);
    if (!r.ok || typeof r.value !== 'object' || r.value === null) return { ...DEFAULT_PREFERENCES };
    return prefsSchema.parse(r.value);
  }

  /** Merges and saves; serialized so two quick changes cannot overwrite each other. */
  set(patch: Partial<Preferences>): Promise<Preferences> {
    const run = this.queue.then(async () => {
      const before = await readJsonFile(this.file);
      if (!before.ok && before.kind === 'syntax')
        await fsp.copyFile(this.file, this.file + '.bad').catch(() => undefined);
      // Keys present but undefined (IPC keeps them) mean "unchanged", not "reset".
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const next = prefsSchema.parse({ ...(await this.get()), ...defined });
      await fsp.mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n');
      return next;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
