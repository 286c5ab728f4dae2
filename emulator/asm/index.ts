/**
 * The file-level e2k assembler: source text in, ELF64 relocatable object out.
 * Pure library: files are read through `options.readFile`; the bundle encoder is injected
 * (default: the real one from emulator/isa) so this layer can be tested on its own.
 */
import * as isa from '../isa';
import { Assembler } from './assembler';
import { preprocess } from './cpp';
import type { Diagnostic } from './diagnostics';
import { finalBytes, settleLayout } from './layout';
import { renderListing } from './listing';
import type { AssembleOptions, Encoder } from './model';
import { buildObject } from './object';

export type { AssembleOptions, Encoder } from './model';
export type { Diagnostic } from './diagnostics';
export { formatDiagnostic, formatDiagnostics } from './diagnostics';
export { preprocess } from './cpp';
export type { CppOptions, CppResult } from './cpp';

export interface AssembleResult {
  /** The object file; undefined when there were errors. */
  object?: Uint8Array;
  diagnostics: Diagnostic[];
  errorCount: number;
  listing?: string;
}

export const realEncoder: Encoder = {
  assembleBundle: isa.assembleBundle,
  applyFixup: isa.applyFixup,
};

/** Macros the MCST driver predefines for `.S` files (asm-syntax.md §1). */
export function predefinedMacros(iset: number): Record<string, string> {
  return {
    __iset__: String(iset),
    __e2k__: '1',
    __ASSEMBLER__: '1',
    __LCC__: '125',
    __ELF__: '1',
    __linux__: '1',
    __ptr64__: '1',
  };
}

export function assemble(source: string, options: AssembleOptions = {}): AssembleResult {
  if (options.cpp) {
    const file = options.file ?? '<input>';
    const pre = preprocess(source, file, {
      readFile: options.readFile,
      includeDirs: options.includeDirs,
      defines: { ...predefinedMacros(options.iset ?? 2), ...options.cppDefines },
    });
    if (pre.diagnostics.some((d) => d.severity === 'error')) {
      return {
        diagnostics: pre.diagnostics,
        errorCount: pre.diagnostics.filter((d) => d.severity === 'error').length,
      };
    }
    const r = assemble(pre.text, { ...options, cpp: false });
    return { ...r, diagnostics: [...pre.diagnostics, ...r.diagnostics] };
  }
  const a = new Assembler(
    { ...options, encoder: options.encoder ?? realEncoder },
    options.file ?? '<input>',
  );
  a.run(source);
  let object: Uint8Array | undefined;
  let listing: string | undefined;
  if (!hasErrors(a.diagnostics)) {
    settleLayout(a);
    const finals = finalBytes(a);
    object = buildObject(a, finals);
    if (options.listing) listing = renderListing(a, finals);
  }
  // Re-encoding during layout can repeat a warning; report each once.
  const seen = new Set<string>();
  const diagnostics = a.diagnostics.filter((d) => {
    const k = `${d.severity}|${d.message}|${d.loc.file}|${d.loc.line}|${d.loc.col}`;
    return !seen.has(k) && (seen.add(k), true);
  });
  const errorCount = diagnostics.filter((d) => d.severity === 'error').length;
  return {
    object: errorCount ? undefined : object,
    diagnostics,
    errorCount,
    listing: errorCount ? undefined : listing,
  };
}

function hasErrors(ds: Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}
