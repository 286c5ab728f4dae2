// Build: main process, preload, CLI and emulator tools with esbuild; renderer with Vite.
// `node esbuild.config.mjs` builds everything into dist/. Entries that do not exist yet are
// skipped, so the script keeps working while the project grows.
import { build } from 'esbuild';
import { existsSync, mkdirSync, chmodSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { build as viteBuild } from 'vite';
import { nodeBundleOptions } from './main/node/build/node-bundle.mjs';

const nodeEntries = [
  // [entry, outfile, isExecutable]
  ['main/electron/main.ts', 'dist/main/electron-main.cjs', false],
  ['main/electron/preload.ts', 'dist/main/preload.cjs', false],
  // The `glaunch` command and the VM process are small loaders that run the real bundles
  // (…-main.cjs) through a V8 code cache (main/node/boot/code-cache.ts).
  ['main/node/boot/glaunch-cli.ts', 'dist/main/glaunch-cli.cjs', true],
  ['main/node/cli/glaunch.ts', 'dist/main/glaunch-main.cjs', false],
  ['main/node/boot/vm-process.ts', 'dist/main/vm-process.cjs', false],
  ['main/node/vmhost/vm-process.ts', 'dist/main/vm-process-main.cjs', false],
];
if (existsSync('emulator/tools')) {
  for (const f of readdirSync('emulator/tools')) {
    if (/^[a-z0-9-]+\.ts$/.test(f)) {
      nodeEntries.push([`emulator/tools/${f}`, `dist/tools/${f.replace(/\.ts$/, '.cjs')}`, true]);
    }
  }
}

mkdirSync('dist', { recursive: true });
const started = Date.now();
await Promise.all(
  nodeEntries
    .filter(([entry]) => existsSync(entry))
    .map(async ([entry, outfile, executable]) => {
      await build({
        ...nodeBundleOptions(process.cwd()),
        entryPoints: [entry],
        outfile,
        sourcemap: 'linked',
        banner: executable ? { js: '#!/usr/bin/env node' } : undefined,
        logLevel: 'warning',
      });
      if (executable) chmodSync(outfile, 0o755);
    }),
);

// Guest software (boot ROM, demo OS kernel, shell, disk image) from its e2k assembler
// sources, with the project's own toolchain: assets/guest/ (not committed).
if (existsSync('dist/tools/mkdemoimg.cjs') && existsSync('emulator/guest/kernel/kernel.S')) {
  execFileSync(process.execPath, ['dist/tools/mkdemoimg.cjs', '--out', 'assets/guest'], {
    stdio: 'inherit',
  });
}

if (existsSync('renderer/index.html')) {
  await viteBuild({ configFile: 'renderer/vite.config.ts', logLevel: 'warn' });
}
console.log(`build: done in ${Date.now() - started} ms`);
