// Injected by esbuild into CommonJS bundles so that `import.meta.url` keeps working.
export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;
