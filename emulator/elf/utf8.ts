/** UTF-8 helpers (the emulator's lib settings have no TextEncoder/TextDecoder). */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Decodes UTF-8; invalid sequences become U+FFFD (never throws). */
export function utf8Decode(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const need = c < 0x80 ? 0 : c >= 0xf0 && c < 0xf8 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
    if (
      need < 0 ||
      i + need >= b.length + (need ? 0 : 1) ||
      [...b.subarray(i + 1, i + 1 + need)].some((x) => (x & 0xc0) !== 0x80)
    ) {
      s += need === 0 ? String.fromCharCode(c) : '\ufffd';
      i++;
      continue;
    }
    let cp = need === 0 ? c : c & (0x3f >> need);
    for (let k = 1; k <= need; k++) cp = (cp << 6) | (b[i + k] & 63);
    s += String.fromCodePoint(Math.min(cp, 0x10ffff));
    i += need + 1;
  }
  return s;
}
