/** Helpers of VmLibrary: error construction and small file-system utilities. */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../common/api-error';
import { vmConfigSchema, vmNameSchema, zodProblems, type VmConfig } from '../../common/vm-config';
import { VM_FILE } from './paths';
import type { LibraryEntry } from './vm-folder';

export function entryName(e: LibraryEntry): string {
  return e.kind === 'ok' ? e.config.name : e.name;
}

export function checkName(name: string): void {
  const r = vmNameSchema.safeParse(name);
  if (!r.success)
    throw validation(
      `invalid name '${name}': ${r.error.issues[0].message}`,
      zodProblems(r.error).map((p) => ({ ...p, field: 'name' })),
    );
}

export function validation(
  message: string,
  problems: { field: string; message: string }[],
): ApiError {
  const first = problems[0];
  const detail = first ? `: ${first.field ? first.field + ': ' : ''}${first.message}` : '';
  return new ApiError('validation', `${message}${detail}`, problems);
}

export function ioError(what: string, e: unknown): ApiError {
  const err = e as NodeJS.ErrnoException;
  return new ApiError('io', `${what}: ${err.code ?? err.message}`);
}

export function fail(entry: Extract<LibraryEntry, { kind: 'inaccessible' }>): never {
  const field = entry.reason.field ? ` (${entry.reason.field})` : '';
  throw new ApiError(
    'inaccessible',
    `cannot import: ${entry.reason.file}${field}: ${entry.reason.problem}`,
  );
}

export async function readNamedConfig(dir: string): Promise<VmConfig | null> {
  const text = await fsp.readFile(path.join(dir, VM_FILE), 'utf8');
  const r = vmConfigSchema.safeParse(JSON.parse(text));
  return r.success ? r.data : null;
}

/**
 * Temp files left by a writer that crashed (`.vm.json.<pid>.<random>.tmp`). Only old ones are
 * removed: a young one may belong to another process (the CLI) writing right now.
 */
export async function removeStaleTempFiles(folder: string, maxAgeMs = 60_000): Promise<void> {
  const names = await fsp.readdir(folder).catch(() => [] as string[]);
  const now = Date.now();
  for (const n of names) {
    if (!/^\.vm\.json\.\d+\.[0-9a-f]+\.tmp$/.test(n)) continue;
    const p = path.join(folder, n);
    const st = await fsp.stat(p).catch(() => null);
    if (st && now - st.mtimeMs > maxAgeMs) await fsp.rm(p, { force: true }).catch(() => undefined);
  }
}

export async function exists(p: string): Promise<boolean> {
  return fsp.access(p).then(
    () => true,
    () => false,
  );
}
