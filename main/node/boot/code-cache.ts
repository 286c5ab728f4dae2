/**
 * Runs a CommonJS bundle through a V8 code cache, so the second and later starts of the
 * `glaunch` CLI and of each VM process skip most of V8's parsing and bytecode generation
 * (what Node 22's `module.enableCompileCache()` does; this project runs on Node 20).
 *
 * How: the bundle is compiled with `vm.Script` and the cached data of an earlier run; when
 * there was none (first run after an install or upgrade) or V8 rejected it (other Node
 * version or V8 flags), the process writes a new cache at exit — taken after the run, so it
 * also holds the functions compiled lazily on the way (start-up and the guest's boot).
 * Measured on `glaunch run` of the demo OS (emulator/machine/README.md, "Start-up"):
 * process start → shell prompt ≈ 60–90 ms faster with a warm cache.
 *
 * The cache is an optimisation only: a missing, unreadable, corrupt or stale file means a
 * normal compile, and a failed write is ignored. Files live in the per-user cache folder
 * (`$GLAUNCH_CACHE_DIR`, else `$XDG_CACHE_HOME/glaunch`, `~/.cache/glaunch`, macOS
 * `~/Library/Caches/glaunch`, Windows `%LOCALAPPDATA%\glaunch\cache`), named after the
 * bundle, the profile (the CLI command: `run` compiles other functions than `list`), the
 * bundle's size and mtime and the Node version; older caches of the same bundle and profile
 * are removed when a new one is written. `GLAUNCH_CODE_CACHE=0` turns it off.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'; // prettier-ignore
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

/** Node's CommonJS wrapper (module.wrap), so the bundle sees the usual module variables. */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n});';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GLAUNCH_CACHE_DIR) return env.GLAUNCH_CACHE_DIR;
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'glaunch', 'cache'); // prettier-ignore
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'glaunch'); // prettier-ignore
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'glaunch');
}

/**
 * Cache file name: the bundle and the profile (what the process does: the functions a run
 * compiles differ, e.g. `glaunch run` and `glaunch list`), the bundle's identity (size,
 * mtime) and the runtime's.
 */
export function cacheFileName(bundle: string, profile: string): string {
  const st = statSync(bundle);
  const id = `${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}`;
  const runtime = `${process.version}-${process.arch}`.replace(/[^\w.-]/g, '_');
  return `${cachePrefix(bundle, profile)}${id}-${runtime}.v8cache`;
}

function cachePrefix(bundle: string, profile: string): string {
  return `${path.basename(bundle)}-${/^[a-z][a-z0-9-]{0,15}$/.test(profile) ? profile : 'other'}-`;
}

/** The bundle to run is missing or unreadable (a broken installation). */
export class ProgramFileError extends Error {}

export interface CodeCacheResult {
  /** 'hit': compiled from the cache; 'miss': no cache yet; 'rejected': V8 refused it. */
  cache: 'hit' | 'miss' | 'rejected' | 'off';
}

/**
 * Loads and runs `bundle` as the main module of this process, with the cache of `profile`
 * (a short lower-case word; anything else shares the profile 'other'). Returns how the
 * cache was used (the bundle itself has started running by then).
 */
export function runWithCodeCache(
  bundle: string,
  profile: string,
  env: NodeJS.ProcessEnv = process.env,
): CodeCacheResult {
  let source: string;
  try {
    source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(e as Error).message})`; // prettier-ignore
    throw new ProgramFileError(
      `the program file ${bundle} ${why}: reinstall, or run npm run build`,
    );
  }
  const off = env.GLAUNCH_CODE_CACHE === '0';
  let file = '';
  let cachedData: Buffer | undefined;
  if (!off) {
    try {
      file = path.join(defaultCacheDir(env), cacheFileName(bundle, profile));
      cachedData = readFileSync(file);
    } catch {
      cachedData = undefined; // no cache yet (or unreadable): compile normally
    }
  }
  const script = new Script(WRAP_HEAD + source + WRAP_TAIL, { filename: bundle, cachedData });
  const cache = off ? 'off' : cachedData === undefined ? 'miss' : script.cachedDataRejected ? 'rejected' : 'hit'; // prettier-ignore
  if (file && cache !== 'hit')
    process.once('exit', () => writeCache(file, cachePrefix(bundle, profile), script));
  const fn = script.runInThisContext() as (...a: unknown[]) => void;
  const require = createRequire(bundle);
  const module = { exports: {}, filename: bundle, id: '.', loaded: false, require };
  fn.call(module.exports, module.exports, require, module, bundle, path.dirname(bundle));
  return { cache };
}

/** Writes the cache atomically (temporary file + rename) and drops older ones; never throws. */
function writeCache(file: string, prefix: string, script: Script): void {
  try {
    const data = script.createCachedData();
    const dir = path.dirname(file);
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    for (const f of readdirSync(dir))
      if (f.startsWith(prefix) && f !== path.basename(file) && f.endsWith('.v8cache'))
        unlinkSync(path.join(dir, f));
  } catch {
    // best effort: the next start compiles normally
  }
}
