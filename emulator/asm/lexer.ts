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
          loc: { file: this.curFile, line: lineNo, col: leadingBlanks(raw), lineText: raw },
        });
      return;
    }
    // The current statement started at column `start`; its text is `text` (what preceded a
    // block comment, which reads as one blank) followed by the source from `seg` on, cut out
    // only when the statement ends (no concatenation for ordinary statements).
    let start = 0;
    let text = '';
    let seg = 0;
    let i = 0;
    if (this.inBlockComment) {
      const e = raw.indexOf('*/');
      if (e < 0) return;
      this.inBlockComment = false;
      i = e + 2;
      start = i;
      seg = i;
    }
    const n = raw.length;
    let end = n;
    for (; i < n; i++) {
      const c = raw.charCodeAt(i);
      if (c === 34 /* " */) {
        let j = i + 1;
        while (j < n && raw.charCodeAt(j) !== 34) j += raw.charCodeAt(j) === 92 ? 2 : 1;
        i = j;
      } else if (c === 39 /* ' */ && i + 1 < n) {
        // character constant: its character must not be taken as a separator or comment
        i += raw.charCodeAt(i + 1) === 92 ? 2 : 1;
      } else if (c === 33 /* ! */ && raw.charCodeAt(i + 1) !== 61 /* = */) {
        end = i;
        break;
      } else if (c === 47 /* / */ && raw.charCodeAt(i + 1) === 47) {
        end = i;
        break;
      } else if (c === 47 && raw.charCodeAt(i + 1) === 42 /* * */) {
        const e = raw.indexOf('*/', i + 2);
        if (e < 0) {
          this.inBlockComment = true;
          end = i;
          break;
        }
        text += raw.slice(seg, i) + ' ';
        i = e + 1;
        seg = e + 2;
      } else if (c === 59 /* ; */) {
        this.flush(text, seg, i, start, lineNo, raw);
        text = '';
        start = seg = i + 1;
      } else if (c === 123 /* { */ || c === 125 /* } */) {
        this.flush(text, seg, i, start, lineNo, raw);
        text = '';
        start = seg = i + 1;
        out.push({
          kind: c === 123 ? 'open' : 'close',
          text: '',
          loc: { file: this.curFile, line: lineNo, col: i, lineText: raw },
        });
      }
    }
    this.flush(text, seg, Math.min(end, n), start, lineNo, raw);
  }

  /**
   * Queues the statement `text` + raw[seg, end) (which started at column `start`), unless
   * it is blank.
   */
  private flush(
    text: string,
    seg: number,
    end: number,
    start: number,
    lineNo: number,
    raw: string,
  ): void {
    const whole = text === '' ? raw.slice(seg, end) : text + raw.slice(seg, end);
    const t = whole.trim();
    if (!t) return;
    this.queue.push({
      kind: 'stmt',
      text: t,
      loc: {
        file: this.curFile,
        line: lineNo,
        col: start + leadingBlanks(whole),
        lineText: raw,
      },
    });
  }
}

/** Length of the blanks `trimStart` would remove from `s`. */
function leadingBlanks(s: string): number {
  const c = s.charCodeAt(0);
  // A printable ASCII character is never a blank: no string to build in the usual case.
  if (c > 32 && c < 127) return 0;
  return s.length - s.trimStart().length;
}

const SPECIAL = /["'!/;{}]/;

/** All statements of a source text (eager form of StatementReader). */
export function splitStatements(source: string, file: string): Stmt[] {
  const r = new StatementReader(source, file);
  const out: Stmt[] = [];
  for (let st = r.next(); st; st = r.next()) out.push(st);
  return out;
}
