/**
 * The VM library: a folder with one sub-folder per VM (`<library>/<name>/vm.json`).
 *
 * Choices (documented in the README):
 *  - delete without files moves the folder to `<library>/.removed/<name>-<timestamp>`, so nothing
 *    is lost and the user can move it back; delete with files removes the folder.
 *  - import COPIES the folder into the library (a partial copy is made under a dot-name and only
 *    renamed into place when complete); the original is left untouched.
 *  - clone copies the configuration only: read-only attachments (ISO images, shared base disks)
 *    keep pointing at the same image (made absolute); writable disks are dropped, since two VMs
 *    writing one image would corrupt it. `clone` reports what it dropped.
 *  - names are unique case-insensitively (folders must coexist on Windows/macOS).
 * Every mutation holds the per-name lock of every name it touches and emits 'changed'.
 */
import { EventEmitter } from 'node:events';
import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ApiError } from '../../common/api-error';
import {
  SCHEMA_VERSION,
  newVmInputSchema,
  vmConfigSchema,
  zodProblems,
  type NewVmInput,
  type StorageAttachment,
  type VmConfig,
} from '../../common/vm-config';
import { fsyncDir, writeFileAtomic } from './atomic-file';
import { KeyedMutex } from './keyed-mutex';
import { REMOVED_DIR, VM_FILE } from './paths';
import { readVmFolder, serializeConfig, type LibraryEntry } from './vm-folder';
import {
  checkName,
  entryName,
  exists,
  fail,
  ioError,
  readNamedConfig,
  removeStaleTempFiles,
  validation,
} from './library-util';
import { LibraryWatcher } from './watcher';

export interface CloneResult {
  config: VmConfig;
  /** Writable attachments of the source that the clone does not get. */
  dropped: StorageAttachment[];
}

export class VmLibrary extends EventEmitter<{ changed: [] }> {
  private readonly locks = new KeyedMutex();
  private watcher: LibraryWatcher | undefined;

  constructor(
    readonly root: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    super();
  }

  /** Creates the library folder if needed (first run). */
  async ensure(): Promise<void> {
    await fsp.mkdir(this.root, { recursive: true });
  }

  /** Starts watching the folder so changes by other processes (CLI, editors) emit 'changed'. */
  async watch(debounceMs = 200): Promise<void> {
    if (this.watcher) return;
    await this.ensure();
    this.watcher = new LibraryWatcher(this.root, debounceMs, () => this.emit('changed'));
    await this.watcher.start();
  }

  close(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  async list(): Promise<LibraryEntry[]> {
    const names = await this.folderNames();
    const entries = await Promise.all(names.map((n) => readVmFolder(path.join(this.root, n))));
    return entries.sort((a, b) =>
      entryName(a).localeCompare(entryName(b), undefined, { sensitivity: 'base' }),
    );
  }

  /** Exact folder name first, then a unique case-insensitive match. */
  async get(name: string): Promise<LibraryEntry> {
    return readVmFolder(path.join(this.root, await this.resolveFolder(name)));
  }

  async getOk(name: string): Promise<Extract<LibraryEntry, { kind: 'ok' }>> {
    const e = await this.get(name);
    if (e.kind === 'inaccessible') {
      const field = e.reason.field ? ` (${e.reason.field})` : '';
      throw new ApiError(
        'inaccessible',
        `VM '${e.name}' is inaccessible: ${e.reason.file}${field}: ${e.reason.problem}`,
      );
    }
    return e;
  }

  async create(input: NewVmInput): Promise<VmConfig> {
    const parsed = newVmInputSchema.safeParse(input);
    if (!parsed.success) throw validation('invalid VM settings', zodProblems(parsed.error));
    const i = parsed.data;
    const stamp = this.now().toISOString();
    const config = this.validateConfig({
      schemaVersion: SCHEMA_VERSION,
      name: i.name,
      description: i.description ?? '',
      osType: i.osType,
      cpu: { model: i.cpuModel, count: i.cpuCount },
      memoryMiB: i.memoryMiB,
      ...(i.storage ? { storage: i.storage } : {}),
      ...(i.serialPorts ? { serialPorts: i.serialPorts } : {}),
      ...(i.bootOrder ? { bootOrder: i.bootOrder } : {}),
      virtualization: i.virtualization ?? {},
      createdAt: stamp,
      modifiedAt: stamp,
    });
    return this.locked([config.name], async () => {
      await this.ensure();
      await this.assertNameFree(config.name);
      await this.writeNewFolder(config.name, async (dir) =>
        writeFileAtomic(path.join(dir, VM_FILE), serializeConfig(config)),
      );
      return config;
    });
  }

  /** Replaces the configuration; createdAt is kept, modifiedAt set now, the name may not change. */
  async update(name: string, next: unknown): Promise<VmConfig> {
    return this.locked([name], async () => {
      const cur = await this.getOk(name);
      const nextName =
        typeof next === 'object' && next !== null ? (next as { name?: unknown }).name : undefined;
      if (nextName !== cur.config.name) {
        throw validation(`the name cannot be changed by an update (use rename)`, [
          { field: 'name', message: `must stay '${cur.config.name}'; use rename` },
        ]);
      }
      const config = this.validateConfig({
        ...(next as object),
        createdAt: cur.config.createdAt,
        modifiedAt: this.now().toISOString(),
      });
      await writeFileAtomic(path.join(cur.folder, VM_FILE), serializeConfig(config));
      await removeStaleTempFiles(cur.folder);
      return config;
    });
  }

  async rename(name: string, newName: string): Promise<VmConfig> {
    checkName(newName);
    return this.locked([name, newName], async () => {
      const cur = await this.getOk(name);
      const oldName = cur.config.name;
      if (oldName === newName) return cur.config;
      if (oldName.toLowerCase() !== newName.toLowerCase()) await this.assertNameFree(newName);
      const target = path.join(this.root, newName);
      if (oldName.toLowerCase() === newName.toLowerCase()) {
        // Case-only rename ('web' → 'Web'): a direct rename is a no-op or an error on
        // case-insensitive file systems, so go through a temporary name. The temporary folder
        // is visible (not a dot-name): after a crash it shows up instead of vanishing.
        const tmp = path.join(this.root, `${newName}.renaming-${randomBytes(3).toString('hex')}`);
        await fsp.rename(cur.folder, tmp);
        try {
          await fsp.rename(tmp, target);
        } catch (e) {
          await fsp.rename(tmp, cur.folder);
          throw ioError(`cannot rename '${oldName}' to '${newName}'`, e);
        }
      } else {
        await fsp.rename(cur.folder, target).catch((e: unknown) => {
          throw ioError(`cannot rename '${oldName}' to '${newName}'`, e);
        });
      }
      const config: VmConfig = {
        ...cur.config,
        name: newName,
        modifiedAt: this.now().toISOString(),
      };
      try {
        await writeFileAtomic(path.join(target, VM_FILE), serializeConfig(config));
      } catch (e) {
        await fsp.rename(target, cur.folder).catch(() => undefined); // put it back as it was
        throw ioError(`cannot rename '${oldName}' to '${newName}'`, e);
      }
      await fsyncDir(this.root);
      return config;
    });
  }

  async clone(name: string, newName: string): Promise<CloneResult> {
    checkName(newName);
    return this.locked([name, newName], async () => {
      const src = await this.getOk(name);
      await this.assertNameFree(newName);
      const kept: StorageAttachment[] = [];
      const dropped: StorageAttachment[] = [];
      for (const s of src.config.storage) {
        if (s.readOnly) kept.push({ ...s, path: path.resolve(src.folder, s.path) });
        else dropped.push(s);
      }
      const stamp = this.now().toISOString();
      const config = this.validateConfig({
        ...src.config,
        name: newName,
        storage: kept,
        createdAt: stamp,
        modifiedAt: stamp,
      });
      await this.writeNewFolder(newName, async (dir) =>
        writeFileAtomic(path.join(dir, VM_FILE), serializeConfig(config)),
      );
      return { config, dropped };
    });
  }

  /** deleteFiles=false moves the folder to `.removed/`; returns where it went (or null). */
  async delete(name: string, deleteFiles: boolean): Promise<string | null> {
    return this.locked([name], async () => {
      const folder = path.join(this.root, await this.resolveFolder(name));
      if (deleteFiles) {
        await fsp.rm(folder, { recursive: true, force: true, maxRetries: 3 });
        return null;
      }
      const removed = path.join(this.root, REMOVED_DIR);
      await fsp.mkdir(removed, { recursive: true });
      const stamp = this.now().toISOString().replace(/[:.]/g, '-');
      let dest = path.join(removed, `${path.basename(folder)}-${stamp}`);
      for (let n = 2; await exists(dest); n++)
        dest = path.join(removed, `${path.basename(folder)}-${stamp}-${n}`);
      await fsp.rename(folder, dest);
      await fsyncDir(this.root);
      return dest;
    });
  }

  /** Copies an existing VM folder (with a valid vm.json) into the library. */
  async import(source: string): Promise<LibraryEntry> {
    const src = path.resolve(source);
    const stat = await fsp.stat(src).catch(() => null);
    if (!stat) throw new ApiError('not_found', `no folder '${src}'`);
    if (!stat.isDirectory())
      throw validation(`'${src}' is not a folder`, [{ field: '', message: 'not a folder' }]);
    const rel = path.relative(this.root, src);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)))
      throw new ApiError('conflict', `'${src}' is already inside the library`);
    const entry = await readVmFolder(src);
    let config: VmConfig;
    if (entry.kind === 'ok') config = entry.config;
    else if (
      entry.reason.field === 'name' &&
      /does not match the folder name/.test(entry.reason.problem)
    ) {
      // The folder was renamed by hand: the name inside vm.json is what the VM is called.
      config = (await readNamedConfig(src)) ?? fail(entry);
    } else fail(entry);
    return this.locked([config.name], async () => {
      await this.ensure();
      await this.assertNameFree(config.name);
      await this.writeNewFolder(config.name, (dir) =>
        fsp.cp(src, dir, { recursive: true, errorOnExist: true, force: false }),
      );
      return readVmFolder(path.join(this.root, config.name));
    });
  }

  // --- helpers -------------------------------------------------------------------------------

  private async locked<T>(names: string[], fn: () => Promise<T>): Promise<T> {
    const r = await this.locks.run(
      names.map((n) => n.toLowerCase()),
      fn,
    );
    this.emit('changed');
    return r;
  }

  private validateConfig(candidate: unknown): VmConfig {
    const r = vmConfigSchema.safeParse(candidate);
    if (!r.success) throw validation('invalid VM configuration', zodProblems(r.error));
    return r.data;
  }

  private async folderNames(): Promise<string[]> {
    let dirents;
    try {
      dirents = await fsp.readdir(this.root, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []; // not created yet: empty
      throw ioError(`cannot read the library folder '${this.root}'`, e);
    }
    return dirents.filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name);
  }

  private async resolveFolder(name: string): Promise<string> {
    const names = await this.folderNames();
    if (names.includes(name)) return name;
    const ci = names.filter((n) => n.toLowerCase() === name.toLowerCase());
    if (ci.length === 1) return ci[0];
    throw new ApiError('not_found', `no VM named '${name}' in ${this.root}`);
  }

  private async assertNameFree(name: string): Promise<void> {
    const clash = (await this.folderNames()).find((n) => n.toLowerCase() === name.toLowerCase());
    if (clash !== undefined)
      throw validation(`a VM named '${clash}' already exists`, [
        { field: 'name', message: `a VM named '${clash}' already exists` },
      ]);
  }

  /** Builds the folder under a dot-name and renames it into place, so a half-made VM never shows. */
  private async writeNewFolder(name: string, fill: (dir: string) => Promise<void>): Promise<void> {
    const tmp = path.join(this.root, `.creating-${randomBytes(4).toString('hex')}`);
    try {
      await fsp.mkdir(tmp);
      await fill(tmp);
      await fsp.rename(tmp, path.join(this.root, name));
      await fsyncDir(this.root);
    } catch (e) {
      await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      if (
        (e as NodeJS.ErrnoException).code === 'EEXIST' ||
        (e as NodeJS.ErrnoException).code === 'ENOTEMPTY'
      ) {
        throw new ApiError('conflict', `a folder named '${name}' already exists in ${this.root}`);
      }
      throw e instanceof ApiError ? e : ioError(`cannot create VM '${name}'`, e);
    }
  }
}
