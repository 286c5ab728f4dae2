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
  // The later stages run even after first-pass errors so that every error of the file is
  // reported in one go (e.g. undefined local labels, values that do not fit).
  settleLayout(a);
  const finals = finalBytes(a);
  const object = buildObject(a, finals);
  const listing = options.listing ? renderListing(a, finals) : undefined;
  // Re-encoding during layout can repeat a warning; report each once.
  const seen = new Set<string>();
  const diagnostics = a.diagnostics.filter((d) => {
    const k = `${d.severity}|${d.message}|${d.loc.file}|${d.loc.line}|${d.loc.col}`;
    return !seen.has(k) && (seen.add(k), true);
  });
  // Report in source order (late-stage errors were found after the first pass).
  const fileOrder = new Map<string, number>();
  for (const d of diagnostics)
    if (!fileOrder.has(d.loc.file)) fileOrder.set(d.loc.file, fileOrder.size);
  diagnostics.sort(
    (x, y) =>
      fileOrder.get(x.loc.file)! - fileOrder.get(y.loc.file)! ||
      x.loc.line - y.loc.line ||
      x.loc.col - y.loc.col,
  );
  const errorCount = diagnostics.filter((d) => d.severity === 'error').length;
  return {
    object: errorCount ? undefined : object,
    diagnostics,
    errorCount,
    listing: errorCount ? undefined : listing,
  };
}
