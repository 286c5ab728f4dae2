/**
 * Where a JSON text first goes wrong. V8's JSON.parse messages carry a position only for some
 * errors and differ between Node versions, so a small strict scanner (RFC 8259) finds the offset
 * of the first bad character itself; the user gets "line L, column C: unexpected '}'".
 */
export function jsonErrorOffset(s: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const ws = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const str = () => {
    i++; // opening quote
    while (i < s.length) {
      const ch = s[i];
      if (ch === '"') return void i++;
      if (ch === '\\') {
        i++;
        if (s[i] !== undefined && '"\\/bfnrt'.includes(s[i])) i++;
        else if (s[i] === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 1, i + 5))) i += 5;
        else fail();
        continue;
      }
      if (ch < ' ') fail(); // raw control characters (a newline inside a string) are not allowed
      i++;
    }
    fail();
  };
  const lit = (word: string) => {
    for (const ch of word) {
      if (s[i] !== ch) fail();
      i++;
    }
  };
  const num = () => {
    const re = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') return void i++;
      for (;;) {
        ws();
        if (s[i] !== '"') fail();
        str();
        ws();
        if (s[i] !== ':') fail();
        i++;
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (s[i] === ',') i++;
        else if (s[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return str();
    if (c === 't') return lit('true');
    if (c === 'f') return lit('false');
    if (c === 'n') return lit('null');
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    fail();
  };
  try {
    value();
    ws();
    if (i < s.length) fail();
    return -1;
  } catch (e) {
    if (e instanceof JsonStop) return e.offset;
    return -1; // nesting too deep for the stack: no position
  }
}

class JsonStop {
  constructor(readonly offset: number) {}
}

/** "unexpected '}'" or "unexpected end of file" for the character at `offset`. */
export function describeJsonError(s: string, offset: number): string {
  if (offset < 0 || offset >= s.length) return 'unexpected end of file';
  const cp = s.codePointAt(offset)!;
  const ch = String.fromCodePoint(cp);
  return cp < 0x20
    ? `unexpected control character U+${cp.toString(16).padStart(4, '0')}`
    : `unexpected '${ch}'`;
}
