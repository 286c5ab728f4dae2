/**
 * Splits source text into statements (asm-syntax.md §2): newline, `;`, `{` and `}` end a
 * statement; `{`/`}` are also returned as tokens because they delimit bundles. Comments:
 * `!` to end of line, a `#` in column 1 (cpp line markers, which also move the reported
 * file/line), and C comments `/* *\/` and `//` (normally removed by cpp already).
 */

export interface SrcLoc {
  file: string;
  /** 1-based line. */
  line: number;
  /** 0-based column of the statement's first character in `lineText`. */
  col: number;
  /** The whole source line, for error carets and listings. */
  lineText: string;
}

export interface Stmt {
  kind: 'stmt' | 'open' | 'close';
  /** Statement text with surrounding blanks removed ('' for braces). */
  text: string;
  loc: SrcLoc;
}

const LINE_MARKER = /^#\s*(?:line\s+)?(\d+)(?:\s+"((?:[^"\\]|\\.)*)")?/;

export function splitStatements(source: string, file: string): Stmt[] {
  const out: Stmt[] = [];
  const lines = source.split(/\r?\n/);
  let curFile = file;
  let lineNo = 0;
  let inBlockComment = false;
  for (const raw of lines) {
    lineNo++;
    if (!inBlockComment && raw.startsWith('#')) {
      const m = LINE_MARKER.exec(raw);
      if (m) {
        // The marker names the line number of the *next* line.
        lineNo = Number(m[1]) - 1;
        if (m[2] !== undefined) curFile = m[2];
      }
      continue;
    }
    // Fast path: most lines have no strings, comments or separators.
    if (!inBlockComment && !/["'!/;{}]/.test(raw)) {
      const t = raw.trim();
      if (t)
        out.push({
          kind: 'stmt',
          text: t,
          loc: {
            file: curFile,
            line: lineNo,
            col: raw.length - raw.trimStart().length,
            lineText: raw,
          },
        });
      continue;
    }
    let start = 0;
    let text = '';
    const flush = (end: number) => {
      const t = text.trim();
      if (t) {
        const lead = text.length - text.trimStart().length;
        out.push({
          kind: 'stmt',
          text: t,
          loc: { file: curFile, line: lineNo, col: start + lead, lineText: raw },
        });
      }
      text = '';
      start = end + 1;
    };
    let i = 0;
    if (inBlockComment) {
      const e = raw.indexOf('*/');
      if (e < 0) continue;
      inBlockComment = false;
      i = e + 2;
      start = i;
    }
    for (; i < raw.length; i++) {
      const c = raw[i];
      if (c === '"') {
        let j = i + 1;
        while (j < raw.length && raw[j] !== '"') j += raw[j] === '\\' ? 2 : 1;
        text += raw.slice(i, j + 1);
        i = j;
      } else if (c === "'" && i + 1 < raw.length) {
        // character constant: its character must not be taken as a separator or comment
        const n = raw[i + 1] === '\\' ? 3 : 2;
        text += raw.slice(i, i + n);
        i += n - 1;
      } else if (c === '!' && raw[i + 1] !== '=') {
        break;
      } else if (c === '/' && raw[i + 1] === '/') {
        break;
      } else if (c === '/' && raw[i + 1] === '*') {
        const e = raw.indexOf('*/', i + 2);
        if (e < 0) {
          inBlockComment = true;
          break;
        }
        text += ' ';
        i = e + 1;
      } else if (c === ';') {
        flush(i);
      } else if (c === '{' || c === '}') {
        flush(i);
        out.push({
          kind: c === '{' ? 'open' : 'close',
          text: '',
          loc: { file: curFile, line: lineNo, col: i, lineText: raw },
        });
      } else {
        text += c;
      }
    }
    flush(raw.length);
  }
  return out;
}
