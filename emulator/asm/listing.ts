/**
 * `-al` listing in the spirit of gas: one line per source line, with the section offset and
 * up to 8 bytes emitted by it; longer output continues on extra lines.
 */
import type { Assembler } from './assembler';
import type { FinalSection } from './layout';
import { itemSize } from './model';

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

export function renderListing(a: Assembler, finals: FinalSection[]): string {
  // Bytes emitted per source line, in emission order.
  const byLine = new Map<string, { offset: number; bytes: Uint8Array }[]>();
  for (const f of finals) {
    for (const it of f.section.items) {
      const size = itemSize(it);
      if (size === 0) continue;
      const key = `${it.loc.file}\0${it.loc.line}`;
      const bytes = f.section.nobits
        ? new Uint8Array(size)
        : f.bytes.subarray(it.offset, it.offset + size);
      const list = byLine.get(key) ?? [];
      const last = list[list.length - 1];
      // Consecutive values of one directive are shown as one run of bytes.
      if (last && last.offset + last.bytes.length === it.offset)
        last.bytes = Uint8Array.from([...last.bytes, ...bytes]);
      else list.push({ offset: it.offset, bytes });
      byLine.set(key, list);
    }
  }
  const out: string[] = [];
  for (const loc of a.listedLines) {
    const chunks = byLine.get(`${loc.file}\0${loc.line}`) ?? [];
    byLine.delete(`${loc.file}\0${loc.line}`);
    const ln = String(loc.line).padStart(5);
    if (!chunks.length) {
      out.push(`${ln}                           ${loc.lineText}`);
      continue;
    }
    let first = true;
    for (const c of chunks) {
      for (let i = 0; i < c.bytes.length; i += 8) {
        const addr = (c.offset + i).toString(16).padStart(4, '0');
        const b = hex(c.bytes.subarray(i, i + 8)).padEnd(16);
        out.push(`${ln} ${addr} ${b}  ${first ? loc.lineText : ''}`.trimEnd());
        first = false;
      }
    }
  }
  return out.join('\n') + '\n';
}
