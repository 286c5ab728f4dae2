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

/**
 * Reads statements lazily, one source line at a time, so a large file never exists as one
 * big array of statements (they would all survive into the old generation of the GC).
 */
export class StatementReader {
  private readonly lines: string[];
  private lineIdx = 0;
  private lineNo = 0;
  private curFile: string;
  private inBlockComment = false;
  private queue: Stmt[] = [];
  private qi = 0;

  constructor(source: string, file: string) {
    this.lines = source.split(/\r?\n/);
    this.curFile = file;
  }

  next(): Stmt | undefined {
    while (this.qi >= this.queue.length) {
      if (this.lineIdx >= this.lines.length) return undefined;
      this.queue = [];
      this.qi = 0;
      this.lexLine(this.lines[this.lineIdx++]);
    }
    return this.queue[this.qi++];
  }

  private lexLine(raw: string): void {
    const out = this.queue;
    const curFile = () => this.curFile;
    this.lineNo++;
    const lineNo = this.lineNo;
    if (!this.inBlockComment && raw.startsWith('#')) {
      const m = LINE_MARKER.exec(raw);
      if (m) {
        // The marker names the line number of the *next* line.
        this.lineNo = Number(m[1]) - 1;
        if (m[2] !== undefined) this.curFile = m[2];
      }
      return;
    }
    // Fast path: most lines have no strings, comments or separators.
    if (!this.inBlockComment && !/["'!/;{}]/.test(raw)) {
      const t = raw.trim();
      if (t)
        out.push({
          kind: 'stmt',
          text: t,
          loc: {
            file: curFile(),
            line: lineNo,
            col: raw.length - raw.trimStart().length,
            lineText: raw,
          },
        });
      return;
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
          loc: { file: curFile(), line: lineNo, col: start + lead, lineText: raw },
        });
      }
      text = '';
      start = end + 1;
    };
    let i = 0;
    if (this.inBlockComment) {
      const e = raw.indexOf('*/');
      if (e < 0) return;
      this.inBlockComment = false;
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
          this.inBlockComment = true;
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
          loc: { file: curFile(), line: lineNo, col: i, lineText: raw },
        });
      } else {
        // Copy a run of ordinary characters at once.
        let j = i + 1;
        while (j < raw.length && !'"\'!/;{}'.includes(raw[j])) j++;
        text += raw.slice(i, j);
        i = j - 1;
      }
    }
    flush(raw.length);
  }
}

/** All statements of a source text (eager form of StatementReader). */
export function splitStatements(source: string, file: string): Stmt[] {
  const r = new StatementReader(source, file);
  const out: Stmt[] = [];
  for (let st = r.next(); st; st = r.next()) out.push(st);
  return out;
}
