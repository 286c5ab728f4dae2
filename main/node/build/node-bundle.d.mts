import type { BuildOptions } from 'esbuild';
/** The esbuild settings of every Node bundle (see node-bundle.mjs). */
export function nodeBundleOptions(root: string): BuildOptions;
