/**
 * Assembler diagnostics in the format of gcc/gas-with-carets:
 *   file:line:col: error: message
 *   <source line>
 *   <spaces>^
 */
import type { SrcLoc } from './lexer';

export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  loc: SrcLoc;
}

export function formatDiagnostic(d: Diagnostic): string {
  const { file, line, col, lineText } = d.loc;
  const head = `${file}:${line}:${col + 1}: ${d.severity}: ${d.message}`;
  if (!lineText) return head;
  // Tabs are kept in the caret line so the caret lines up in a terminal.
  const pad = lineText.slice(0, col).replace(/[^\t]/g, ' ');
  return `${head}\n${lineText}\n${pad}^`;
}

export function formatDiagnostics(ds: readonly Diagnostic[]): string {
  return ds.map(formatDiagnostic).join('\n');
}

/** Thrown internally for one statement's error; collected, never escapes `assemble`. */
export class AsmError extends Error {
  constructor(
    message: string,
    /** Column offset relative to the statement start, when known. */
    public readonly column?: number,
  ) {
    super(message);
    this.name = 'AsmError';
  }
}
