// Injected by esbuild into CommonJS bundles so that `import.meta.url` keeps working there.
import { pathToFileURL } from 'node:url';
export const importMetaUrl = pathToFileURL(__filename).href;
