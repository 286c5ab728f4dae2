/**
 * Reading one VM folder into either a valid configuration or an exact reason why it cannot be
 * used. Reading never writes: an inaccessible VM's files stay exactly as the user left them.
 */
import path from 'node:path';
import type { InaccessibleReason } from '../../common/api';
import { SCHEMA_VERSION, vmConfigSchema, zodProblems, type VmConfig } from '../../common/vm-config';
import { readJsonFile } from './atomic-file';
import { VM_FILE } from './paths';

export type LibraryEntry =
  | { kind: 'ok'; folder: string; config: VmConfig }
  | { kind: 'inaccessible'; folder: string; name: string; reason: InaccessibleReason };

/** Validates parsed vm.json content; `folderName` must equal the name inside. */
export function checkVmJson(
  value: unknown,
  file: string,
  folderName: string,
): { ok: true; config: VmConfig } | { ok: false; reason: InaccessibleReason } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: { file, problem: 'must contain a JSON object' } };
  }
  const version = (value as { schemaVersion?: unknown }).schemaVersion;
  if (typeof version === 'number' && version > SCHEMA_VERSION) {
    return {
      ok: false,
      reason: {
        file,
        field: 'schemaVersion',
        problem: `was written by a newer Glaunch (schema version ${version}; this version understands ${SCHEMA_VERSION})`,
      },
    };
  }
  const r = vmConfigSchema.safeParse(value);
  if (!r.success) {
    const first = zodProblems(r.error)[0];
    return {
      ok: false,
      reason: { file, ...(first.field ? { field: first.field } : {}), problem: first.message },
    };
  }
  if (r.data.name !== folderName) {
    return {
      ok: false,
      reason: {
        file,
        field: 'name',
        problem: `'${r.data.name}' does not match the folder name '${folderName}'`,
      },
    };
  }
  return { ok: true, config: r.data };
}

export async function readVmFolder(folder: string): Promise<LibraryEntry> {
  const name = path.basename(folder);
  const file = path.join(folder, VM_FILE);
  const json = await readJsonFile(file);
  if (!json.ok)
    return { kind: 'inaccessible', folder, name, reason: { file, problem: json.problem } };
  const checked = checkVmJson(json.value, file, name);
  if (!checked.ok) return { kind: 'inaccessible', folder, name, reason: checked.reason };
  return { kind: 'ok', folder, config: checked.config };
}

/** vm.json as written: stable key order, two-space indent, trailing newline (diff-friendly). */
export function serializeConfig(config: VmConfig): string {
  return JSON.stringify(config, null, 2) + '\n';
}
