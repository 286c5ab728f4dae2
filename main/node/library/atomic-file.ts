/**
 * Crash-safe file replacement and JSON reading with precise error positions.
 *
 * writeFileAtomic: temp file in the SAME folder (rename is only atomic within one file system),
 * write, fsync the file (data on disk before the rename makes it visible), rename over the
 * target, fsync the folder (the rename itself survives a power cut). A crash at any point leaves
 * either the old or the new file, plus at worst a stray `.*.tmp` file that readers ignore.
 */
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describeJsonError, jsonErrorOffset } from './json-position';

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const fh = await fsp.open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dir);
}

/** Makes a rename/create in `dir` durable. Windows cannot open folders for fsync: skipped there. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const dh = await fsp.open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

export type JsonReadResult =
  | { ok: true; value: unknown }
  | { ok: false; kind: 'missing' | 'unreadable' | 'syntax'; problem: string };

/** Reads and parses a JSON file; syntax errors are reported as "line L, column C: ...". */
export async function readJsonFile(file: string): Promise<JsonReadResult> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return { ok: false, kind: 'missing', problem: 'file is missing' };
    return {
      ok: false,
      kind: 'unreadable',
      problem: `cannot be read (${err.code ?? err.message})`,
    };
  }
  const parsed = parseJsonWithPosition(text);
  return parsed.ok ? parsed : { ok: false, kind: 'syntax', problem: parsed.problem };
}

export function parseJsonWithPosition(
  text: string,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  // A UTF-8 BOM (Notepad) is not an error worth refusing a VM over.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch (e) {
    const offset = jsonErrorOffset(body);
    if (offset < 0) return { ok: false, problem: `not valid JSON: ${(e as Error).message}` };
    const { line, column } = lineColumn(body, offset);
    return {
      ok: false,
      problem: `not valid JSON at line ${line}, column ${column}: ${describeJsonError(body, offset)}`,
    };
  }
}

export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: pos - start + 1 };
}
