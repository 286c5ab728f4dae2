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
  };
}
