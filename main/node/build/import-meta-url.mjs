// Injected by esbuild into CommonJS bundles so that `import.meta.url` keeps working there.
// No imports on purpose: the shim is injected into the SANDBOXED preload too, whose require()
// only knows 'electron' and a few modules, and where __filename may not exist. So the file URL
// is built by hand (as url.pathToFileURL would: '/'-separated, '%', '#', '?' and spaces escaped).
export const importMetaUrl =
  typeof __filename === 'string'
    ? 'file://' +
      encodeURI(__filename.replace(/\\/g, '/').replace(/^(?!\/)/, '/'))
        .replace(/#/g, '%23')
        .replace(/\?/g, '%3F')
    : 'file:///';
