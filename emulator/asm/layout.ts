/**
 * Second stage of the assembler: settles the layout (re-encoding bundles whose size could
 * depend on symbols defined later, until no offset moves), then produces the final bytes of
 * every section, resolving fixups that stay inside one section (pc-relative displacements)
 * and turning the rest into relocation requests.
 */
import { BundleError } from '../isa/bundle-api';
import type { RelocName } from '../isa/bundle-api';
import type { Assembler } from './assembler';
import { ExprError } from './expr';
import type { Section } from './model';
import { itemSize } from './model';

export interface PendingReloc {
  offset: number;
  type: RelocName;
  symbol: string;
  addend: bigint;
}

export interface FinalSection {
  section: Section;
  bytes: Uint8Array;
  relocs: PendingReloc[];
}

const MAX_ITERATIONS = 16;
/** Largest section with contents (512 MiB). */
const MAX_SECTION = 1 << 29;

export function settleLayout(a: Assembler): void {
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    let changed = false;
    for (const s of a.sections.values()) {
      let off = 0;
      s.items.forEach((it, idx) => {
        if (it.offset !== off) changed = true;
        it.offset = off;
        if (it.kind === 'align') {
          const pad =
            it.org >= 0 ? Math.max(0, it.org - off) : (it.align - (off % it.align)) % it.align;
          const size = pad <= it.max ? pad : 0;
          if (size !== it.size) changed = true;
          it.size = size;
        } else if (it.kind === 'bundle' && it.volatile) {
          const before = it.len;
          try {
            a.reencodeBundle(it, s, idx);
          } catch (e) {
            if (!(e instanceof BundleError)) throw e;
            a.error(e.message, undefined, it.loc);
            it.volatile = false;
          }
          if (it.len !== before) changed = true;
        }
        off += itemSize(it);
      });
      s.size = off;
    }
    if (!changed) return;
  }
  a.error(`layout did not settle after ${MAX_ITERATIONS} passes (sizes keep changing)`, undefined, {
    file: a.mainFile,
    line: 0,
    col: 0,
    lineText: '',
  });
}

export function finalBytes(a: Assembler): FinalSection[] {
  const out: FinalSection[] = [];
  for (const s of a.sections.values()) {
    if (!s.nobits && s.size > MAX_SECTION) {
      a.error(
        `section '${s.name}' is ${s.size} bytes; at most ${MAX_SECTION} are supported`,
        undefined,
        s.items[0]?.loc ?? a.loc,
      );
      out.push({ section: s, bytes: new Uint8Array(0), relocs: [] });
      continue;
    }
    const bytes = new Uint8Array(s.nobits ? 0 : s.size);
    const relocs: PendingReloc[] = [];
    s.items.forEach((it, idx) => {
      if (s.nobits && it.kind !== 'zero' && it.kind !== 'align') {
        if (it.kind === 'data') a.error(`data in NOBITS section '${s.name}'`, it.col, it.loc);
        return;
      }
      switch (it.kind) {
        case 'bundle':
          if (it.bytes) bytes.set(it.bytes, it.offset);
          else s.store.copyTo(bytes, it.offset, it.pos, it.len);
          for (const f of it.fixups) {
            const where = a.locate(f.symbol);
            if (f.type === 'R_E2K_DISP' && where && where.section === s) {
              try {
                a.encoder.applyFixup(
                  bytes,
                  it.offset,
                  f,
                  where.offset + f.addend,
                  BigInt(it.offset),
                );
              } catch (e) {
                a.error(
                  e instanceof BundleError
                    ? e.message
                    : `internal error in applyFixup: ${(e as Error).message}`,
                  undefined,
                  it.loc,
                );
              }
            } else {
              // Relocation offsets point at the patched field. For R_E2K_DISP (value relative
              // to the bundle start) the field's distance from the bundle start goes into the
              // addend so that S + A - P works with P = the field address.
              const adj = f.type === 'R_E2K_DISP' ? BigInt(f.offset) : 0n;
              relocs.push({
                offset: it.offset + f.offset,
                type: f.type,
                symbol: f.symbol,
                addend: f.addend + adj,
              });
            }
          }
          break;
        case 'bytes':
          bytes.set(it.data, it.offset);
          break;
        case 'align':
          if (it.org >= 0 && it.offset > it.org)
            a.error(
              `'.org 0x${it.org.toString(16)}' would move backwards (already at 0x${it.offset.toString(16)} in '${s.name}')`,
              undefined,
              it.loc,
            );
          bytes.fill(it.fill, it.offset, it.offset + it.size);
          break;
        case 'zero':
          break;
        case 'data':
          try {
            const v = a.eval(it.expr, s, idx);
            if (v.sym === null) writeInt(bytes, it.offset, it.width, v.add);
            else if (it.width === 8 || it.width === 16)
              relocs.push({
                offset: it.offset,
                type: 'R_E2K_64_ABS',
                symbol: v.sym,
                addend: v.add,
              });
            else if (it.width === 4)
              relocs.push({
                offset: it.offset,
                type: 'R_E2K_32_ABS',
                symbol: v.sym,
                addend: v.add,
              });
            else
              a.error(
                `cannot store the address of '${v.sym}' in ${it.width} byte${it.width > 1 ? 's' : ''} (use .word or .quad)`,
                it.col,
                it.loc,
              );
          } catch (e) {
            if (e instanceof ExprError || e instanceof RangeError)
              a.error(e.message, it.col + ((e as ExprError).column ?? 0), it.loc);
            else throw e;
          }
          break;
      }
    });
    out.push({ section: s, bytes, relocs });
  }
  return out;
}

function writeInt(bytes: Uint8Array, off: number, width: number, v: bigint): void {
  const bits = BigInt(Math.min(width, 8) * 8);
  if (bits < 64n && (v >= 1n << bits || v < -(1n << (bits - 1n)))) {
    throw new RangeError(
      `value 0x${BigInt.asUintN(64, v).toString(16)} does not fit in ${width} byte${width > 1 ? 's' : ''}`,
    );
  }
  let u = BigInt.asUintN(64, v);
  for (let i = 0; i < Math.min(width, 8); i++) {
    bytes[off + i] = Number(u & 0xffn);
    u >>= 8n;
  }
  if (width === 16 && v < 0n) bytes.fill(0xff, off + 8, off + 16);
}
