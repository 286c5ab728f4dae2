/** Data model shared by the statement processor, the layout pass and the object writer. */
import type {
  ApplyFixupFn,
  AssembleBundleFn,
  BundleFixup,
  ExprValue,
  IsaLevel,
} from '../isa/bundle-api';
import type { Value } from './expr';
import type { SrcLoc } from './lexer';

export interface Encoder {
  assembleBundle: AssembleBundleFn;
  applyFixup: ApplyFixupFn;
}

export interface AssembleOptions {
  /** Name of the main file in messages (default `<input>`). */
  file?: string;
  /** ISA level (`-mcpu=elbrus-vN`); MCST gas defaults to v2. */
  iset?: IsaLevel;
  /** Directories searched by `.include` after the including file's directory. */
  includeDirs?: string[];
  /** Reads an include file; `undefined` when it does not exist. Without it `.include` fails. */
  readFile?: (path: string) => string | undefined;
  /** Symbols predefined with `-D NAME=VALUE` (usable in `.if`). */
  defines?: Record<string, bigint>;
  /** The bundle encoder (default: the real one from emulator/isa). */
  encoder?: Encoder;
  /** false = `-no_strict_delay`: no implicit nops/wait for braceless statements. */
  strictDelay?: boolean;
  /** Run the C preprocessor first (`.S` files). */
  cpp?: boolean;
  /** Extra preprocessor macros (`-D NAME=VALUE` for `.S` files), besides the predefined ones. */
  cppDefines?: Record<string, string>;
  /** Produce a listing (`-al`). */
  listing?: boolean;
}

/** What the encoding of a volatile bundle depended on besides its text. */
export interface VolatileInputs {
  pc: number;
  /** Expression, result, expression, result, ... as `evaluate` returned them. */
  evals: (string | ExprValue)[];
  warnings: string[];
}

export type Item =
  | {
      kind: 'bundle';
      loc: SrcLoc;
      ops: string[];
      braced: boolean;
      offset: number;
      /**
       * Null while the bytes are the ones in the section's store at `pos` (one buffer instead
       * of 100 000 small arrays); a re-encoding in the layout pass that yields new bytes (a
       * volatile bundle) keeps them here instead.
       */
      bytes: Uint8Array | null;
      pos: number;
      len: number;
      fixups: BundleFixup[];
      /** Encoding depended on layout or on symbols not yet defined: re-encode after layout. */
      volatile: boolean;
      /** For a volatile bundle: what its encoding read (see Assembler.reencodeBundle). */
      inputs: VolatileInputs | null;
    }
  | { kind: 'data'; loc: SrcLoc; offset: number; width: number; expr: string; col: number }
  | { kind: 'bytes'; loc: SrcLoc; offset: number; data: Uint8Array }
  | { kind: 'zero'; loc: SrcLoc; offset: number; size: number }
  | {
      kind: 'align';
      loc: SrcLoc;
      offset: number;
      align: number;
      fill: number;
      max: number;
      size: number;
      /** `.org`: pad up to this section offset instead of to an alignment (-1 for .align). */
      org: number;
    };

export interface Section {
  name: string;
  type: number;
  flags: bigint;
  align: number;
  items: Item[];
  /** Current size (provisional during the first pass). */
  size: number;
  nobits: boolean;
  code: boolean;
  /** Bytes of settled bundles. */
  store: ByteStore;
  /** 1-based index in the ELF file, set by the object writer. */
  index: number;
}

export interface SymbolDef {
  name: string;
  /** label: section + item index; equ: eager value or lazy expression; undef: only declared/referenced. */
  kind: 'label' | 'equ' | 'undef';
  section?: Section;
  itemIndex?: number;
  value?: Value;
  /** Lazy `=` expression (depends on layout), evaluated with `.` at (section, itemIndex). */
  expr?: string;
  global: boolean;
  weak: boolean;
  type: number;
  visibility: number;
  sizeExpr?: { expr: string; section: Section; itemIndex: number; loc: SrcLoc };
  loc?: SrcLoc;
}

export const itemSize = (it: Item): number =>
  it.kind === 'bundle'
    ? it.len
    : it.kind === 'data'
      ? it.width
      : it.kind === 'bytes'
        ? it.data.length
        : it.size;

/** Offset of the item at `index` (or the section end). */
export const offsetAt = (s: Section, index: number): number =>
  index < s.items.length ? s.items[index].offset : s.size;

/** Append-only byte buffer. */
export class ByteStore {
  private buf = new Uint8Array(1024);
  private used = 0;
  push(b: Uint8Array): number {
    if (this.used + b.length > this.buf.length) {
      const n = new Uint8Array(Math.max(this.buf.length * 2, this.used + b.length));
      n.set(this.buf.subarray(0, this.used));
      this.buf = n;
    }
    this.buf.set(b, this.used);
    this.used += b.length;
    return this.used - b.length;
  }
  view(pos: number, len: number): Uint8Array {
    return this.buf.subarray(pos, pos + len);
  }
  /** Copies stored bytes into `dst` (a loop: no view object per bundle). */
  copyTo(dst: Uint8Array, at: number, pos: number, len: number): void {
    const b = this.buf;
    for (let i = 0; i < len; i++) dst[at + i] = b[pos + i];
  }
}

/** Shared empty fixup list (most bundles have none). */
export const NO_FIXUPS: BundleFixup[] = [];
