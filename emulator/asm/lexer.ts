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
  private readonly source: string;
  /** Start of the next line in `source` (-1 once every line was read). */
  private pos = 0;
  private readonly crlf: boolean;
  private lineNo = 0;
  private curFile: string;
  private inBlockComment = false;
  private queue: Stmt[] = [];
  private qi = 0;

  constructor(source: string, file: string) {
    // Lines are cut out one at a time (no array of every line up front: lines that no
    // retained location refers to die young); a CR before the LF is dropped.
    this.source = source;
    this.crlf = source.includes('\r');
    this.curFile = file;
  }

  next(): Stmt | undefined {
    while (this.qi >= this.queue.length) {
      const pos = this.pos;
      if (pos < 0) return undefined;
      const src = this.source;
      const nl = src.indexOf('\n', pos);
      let line: string;
      if (nl < 0) {
        line = pos === 0 ? src : src.slice(pos);
        this.pos = -1;
      } else {
        line = src.slice(pos, this.crlf && nl > pos && src.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
        this.pos = nl + 1;
      }
      this.queue.length = 0; // the statements were handed out; the array itself is reused
      this.qi = 0;
      this.lexLine(line);
    }
    return this.queue[this.qi++];
  }

  private lexLine(raw: string): void {
    const out = this.queue;
    this.lineNo++;
    const lineNo = this.lineNo;
    if (!this.inBlockComment && raw.charCodeAt(0) === 35 /* # */) {
      const m = LINE_MARKER.exec(raw);
      if (m) {
        // The marker names the line number of the *next* line.
        this.lineNo = Number(m[1]) - 1;
        if (m[2] !== undefined) this.curFile = m[2];
      }
      return;
    }
    // Fast path: most lines have no strings, comments or separators.
    if (!this.inBlockComment && !SPECIAL.test(raw)) {
      const t = raw.trim();
      if (t)
        out.push({
          kind: 'stmt',
          text: t,
          loc: {
            file: this.curFile,
            line: lineNo,
            col: raw.length - raw.trimStart().length,
            lineText: raw,
          },
        });
      return;
    }
    // `text` collects the current statement from `start` (comments become blanks).
    let start = 0;
    let text = '';
    let i = 0;
    if (this.inBlockComment) {
      const e = raw.indexOf('*/');
      if (e < 0) return;
      this.inBlockComment = false;
      i = e + 2;
      start = i;
    }
    const n = raw.length;
    for (; i < n; i++) {
      const c = raw.charCodeAt(i);
      if (c === 34 /* " */) {
        let j = i + 1;
        while (j < n && raw.charCodeAt(j) !== 34) j += raw.charCodeAt(j) === 92 ? 2 : 1;
        text += raw.slice(i, j + 1);
        i = j;
      } else if (c === 39 /* ' */ && i + 1 < n) {
        // character constant: its character must not be taken as a separator or comment
        const k = raw.charCodeAt(i + 1) === 92 ? 3 : 2;
        text += raw.slice(i, i + k);
        i += k - 1;
      } else if (c === 33 /* ! */ && raw.charCodeAt(i + 1) !== 61 /* = */) {
        break;
      } else if (c === 47 /* / */ && raw.charCodeAt(i + 1) === 47) {
        break;
      } else if (c === 47 && raw.charCodeAt(i + 1) === 42 /* * */) {
        const e = raw.indexOf('*/', i + 2);
        if (e < 0) {
          this.inBlockComment = true;
          break;
        }
        text += ' ';
        i = e + 1;
      } else if (c === 59 /* ; */) {
        this.flush(text, start, lineNo, raw);
        text = '';
        start = i + 1;
      } else if (c === 123 /* { */ || c === 125 /* } */) {
        this.flush(text, start, lineNo, raw);
        text = '';
        start = i + 1;
        out.push({
          kind: c === 123 ? 'open' : 'close',
          text: '',
          loc: { file: this.curFile, line: lineNo, col: i, lineText: raw },
        });
      } else {
        // Copy a run of ordinary characters at once.
        let j = i + 1;
        while (j < n && !isSpecial(raw.charCodeAt(j))) j++;
        text += raw.slice(i, j);
        i = j - 1;
      }
    }
    this.flush(text, start, lineNo, raw);
  }

  /** Queues the statement collected in `text` (which started at column `start`). */
  private flush(text: string, start: number, lineNo: number, raw: string): void {
    const t = text.trim();
    if (!t) return;
    const lead = text.length - text.trimStart().length;
    this.queue.push({
      kind: 'stmt',
      text: t,
      loc: { file: this.curFile, line: lineNo, col: start + lead, lineText: raw },
    });
  }
}

const SPECIAL = /["'!/;{}]/;

/** `"`, `'`, `!`, `/`, `;`, `{`, `}`: characters that end a run of ordinary text. */
function isSpecial(c: number): boolean {
  return c === 34 || c === 39 || c === 33 || c === 47 || c === 59 || c === 123 || c === 125;
}

/** All statements of a source text (eager form of StatementReader). */
export function splitStatements(source: string, file: string): Stmt[] {
  const r = new StatementReader(source, file);
  const out: Stmt[] = [];
  for (let st = r.next(); st; st = r.next()) out.push(st);
  return out;
}
