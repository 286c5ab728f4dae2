/**
 * The file-level e2k assembler: source text in, ELF64 relocatable object out.
 * Pure library: files are read through `options.readFile`; the bundle encoder is injected
 * (default: the real one from emulator/isa) so this layer can be tested on its own.
 */
import * as isa from '../isa';
import { Assembler } from './assembler';
import type { Diagnostic } from './diagnostics';
import { finalBytes, settleLayout } from './layout';
import { renderListing } from './listing';
import type { AssembleOptions, Encoder } from './model';
import { buildObject } from './object';

export type { AssembleOptions, Encoder } from './model';
export type { Diagnostic } from './diagnostics';
export { formatDiagnostic, formatDiagnostics } from './diagnostics';

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

export function assemble(source: string, options: AssembleOptions = {}): AssembleResult {
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
