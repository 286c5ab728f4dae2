// The esbuild settings of every Node bundle (main process, preload, CLI, VM process, tools):
// one place, used by esbuild.config.mjs and by the tests and benches that bundle an entry
// themselves, so what they measure is what ships.
import path from 'node:path';

/**
 * @param {string} root repository root
 * @returns {import('esbuild').BuildOptions}
 */
export function nodeBundleOptions(root) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', 'node-pty'],
    // import.meta.url is used by a few modules to find assets; map it for CJS output.
    define: { 'import.meta.url': 'importMetaUrl' },
    inject: [path.join(root, 'main/node/build/import-meta-url.mjs')],
    // Whitespace and syntax only (names stay readable in stack traces; the linked source map
    // has the rest). Why: V8 keeps a bundle's source text on its heap for the life of the
    // process, and comments with non-ASCII characters made it a two-byte string — the CLI's
    // 1.7 MB became 3.3 MiB of heap; minified it is 1.2 MB of one-byte text, parsed faster.
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
    plugins: [zodEnglishOnly],
  };
}

/**
 * zod re-exports all of its ~40 message locales as `z.locales`, a namespace esbuild cannot
 * tree-shake: 291 KiB of the CLI's 1.2 MB bundle, parsed and initialised at every start of
 * the CLI and of each VM process. Nothing here calls `z.locales` (zod's messages are turned
 * into our own, see zodProblems); the default English one stays, so `z.locales.en` is the
 * only locale left in the Node bundles.
 * @type {import('esbuild').Plugin}
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? {
            path: path.join(path.dirname(args.importer), '../locales/index.js'),
            namespace: 'zod-en',
          }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-en' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: path.dirname(args.path),
    }));
  },
};
