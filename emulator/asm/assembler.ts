/**
 * First pass of the file-level assembler: reads statements (following `.include`, expanding
 * macros and `.rept/.irp`, honouring `.if`), defines labels and symbols, and turns every
 * bundle and data directive into an Item of its section. Bundles are encoded right away
 * through the injected encoder; the layout pass (layout.ts) re-encodes the few whose bytes
 * depended on symbols that were not known yet.
 */
import type { ExprValue, IsaLevel } from '../isa/bundle-api';
import { BundleError } from '../isa/bundle-api';
import type { Diagnostic } from './diagnostics';
import { AsmError } from './diagnostics';
import { Conditionals, isConditional } from './conditionals';
import { directive } from './directives';
import type { ExprEnv, Value } from './expr';
import { evaluate, ExprError } from './expr';
import type { SrcLoc, Stmt } from './lexer';
import { StatementReader } from './lexer';
import type { Macro } from './macros';
import { valueFirst } from './ldst';
import { bindArgs, substitute } from './macros';
import type { AssembleOptions, Encoder, Item, Section, SymbolDef } from './model';
import { ByteStore, itemSize, NO_FIXUPS, offsetAt } from './model';

const NO_OPS: string[] = [];
const NO_WARNINGS: string[] = [];

/** Entries (texts seen once included) before the bundle cache starts over: small enough
 * to stay in the CPU caches; repeated bundles are found again right after a reset. */
const CACHE_LIMIT = 4096;

interface CachedBundle {
  bytes: Uint8Array;
  warnings: string[];
}
const PC_RELATIVE = /\b(?:l?disp|[ir]branchd?|icalld?|pref)\b/;
import { localLabelName, rewriteLocalRefs } from './text';

interface Frame {
  /** Next statement of this file or expansion; undefined at its end. */
  next: () => Stmt | undefined;
  /** Set by `.exitm` to end a macro expansion early. */
  done?: boolean;
  /** Location errors are reported at for statements of a macro expansion. */
  origin?: SrcLoc;
  macro?: string;
  /** Not a file: a macro expansion or a repetition (.rept/.irp). */
  isMacro: boolean;
  /** A macro expansion proper (what `.exitm` ends). */
  isExpansion?: boolean;
}

interface Collect {
  kind: 'macro' | 'rept';
  header: string;
  body: Stmt[];
  depth: number;
  loc: SrcLoc;
}

const SECTION_DEFAULTS: [RegExp, string][] = [
  [/^\.text/, 'ax'],
  [/^\.(data|sdata)/, 'aw'],
  [/^\.(bss|sbss|tbss)/, 'aw'],
  [/^\.rodata/, 'a'],
];

export class Assembler {
  readonly diagnostics: Diagnostic[] = [];
  readonly sections = new Map<string, Section>();
  readonly symbols = new Map<string, SymbolDef>();
  readonly macros = new Map<string, Macro>();
  readonly iset: IsaLevel;
  readonly encoder: Encoder;
  /** Source lines in processing order, for the listing. */
  readonly listedLines: SrcLoc[] = [];
  cur!: Section;
  prev!: Section;
  sectionStack: [Section, Section][] = [];
  private frames: Frame[] = [];
  private readonly conds = new Conditionals();
  private collecting: Collect | null = null;
  private bundle: { ops: string[]; loc: SrcLoc; opLocs: SrcLoc[] } | null = null;
  readonly localCounts = new Map<string, number>();
  private macroCounter = 0;
  /** Statement being processed (its reported location). */
  loc!: SrcLoc;
  /** Set while evaluating if the result depends on layout or on undefined symbols. */
  volatileHit = false;
  stopped = false;
  /** `.accept/.ignore strict_delay`, `-no_strict_delay`. */
  strictDelay: boolean;
  /** `.ignore ld_st_style`: stores are written with the value last. */
  valueLastStores = false;

  constructor(
    readonly opts: AssembleOptions & { encoder: Encoder },
    readonly mainFile: string,
  ) {
    this.iset = opts.iset ?? 2;
    this.encoder = opts.encoder;
    this.strictDelay = opts.strictDelay ?? true;
    this.switchSection('.text');
    this.prev = this.cur;
    for (const [k, v] of Object.entries(opts.defines ?? {})) {
      this.symbols.set(k, {
        name: k,
        kind: 'equ',
        value: { sym: null, add: v },
        global: false,
        weak: false,
        type: 0,
        visibility: 0,
      });
    }
  }

  // ---- diagnostics -------------------------------------------------------------------

  error(message: string, column?: number, loc = this.loc): void {
    this.report('error', message, column, loc);
  }
  warning(message: string, column?: number, loc = this.loc): void {
    this.report('warning', message, column, loc);
  }
  private report(
    severity: 'error' | 'warning',
    message: string,
    column: number | undefined,
    loc: SrcLoc,
  ): void {
    const frame = this.frames[this.frames.length - 1];
    if (frame?.origin) {
      this.diagnostics.push({
        severity,
        message: `${message} (in expansion of macro '${frame.macro ?? ''}')`,
        loc: frame.origin,
      });
      return;
    }
    const col = column !== undefined ? Math.min(loc.col + column, loc.lineText.length) : loc.col;
    this.diagnostics.push({ severity, message, loc: { ...loc, col } });
  }

  // ---- sections ----------------------------------------------------------------------

  switchSection(name: string, flags?: string, type?: string): void {
    let s = this.sections.get(name);
    if (!s) {
      const f = flags ?? SECTION_DEFAULTS.find(([re]) => re.test(name))?.[1] ?? '';
      const nobits = type
        ? type.replace(/^[@%#]/, '') === 'nobits'
        : /^\.(bss|sbss|tbss)/.test(name);
      const code = f.includes('x');
      s = {
        name,
        type: nobits ? 8 : 1,
        flags: (f.includes('w') ? 1n : 0n) | (f.includes('a') ? 2n : 0n) | (code ? 4n : 0n),
        align: code ? 8 : 1,
        items: [],
        size: 0,
        nobits,
        code,
        store: new ByteStore(),
        index: 0,
      };
      this.sections.set(name, s);
    }
    if (this.cur !== s) this.prev = this.cur;
    this.cur = s;
  }

  addItem(it: Item): void {
    if (this.bundle)
      throw new AsmError('data and directives that emit bytes are not allowed inside a bundle');
    it.offset = this.cur.size;
    this.cur.items.push(it);
    this.cur.size += itemSize(it);
  }

  // ---- expressions -------------------------------------------------------------------

  /** Evaluates with `.` = current location; unknown symbols are external. */
  // One environment object for every evaluation (no per-call closures: this runs for every
  // operand of every bundle); `.` comes from the fields below, saved around nested calls.
  private dotSection!: Section;
  private dotIndex = 0;
  private readonly env: ExprEnv = {
    lookup: (n: string) => {
      this.symbolHit = true;
      return this.lookup(n);
    },
    dot: (): Value => {
      this.volatileHit = true;
      this.symbolHit = true;
      return { sym: this.dotSection.name, add: BigInt(offsetAt(this.dotSection, this.dotIndex)) };
    },
    difference: (a: string, b: string) => {
      this.volatileHit = true;
      this.symbolHit = true;
      const la = this.locate(a);
      const lb = this.locate(b);
      return la && lb && la.section === lb.section ? la.offset - lb.offset : undefined;
    },
  };

  /** Evaluates with `.` = the given location (default: current); unknown symbols are external. */
  eval(expr: string, dotSection = this.cur, dotIndex = dotSection.items.length): Value {
    const [s, i] = [this.dotSection, this.dotIndex];
    this.dotSection = dotSection;
    this.dotIndex = dotIndex;
    try {
      return evaluate(expr, this.env);
    } finally {
      this.dotSection = s;
      this.dotIndex = i;
    }
  }

  /** Absolute value required now (e.g. `.if`, `.fill` count). */
  absolute(expr: string, what: string): bigint {
    const v = this.eval(expr);
    if (v.sym !== null)
      throw new AsmError(
        `${what} must be an absolute expression ('${v.sym}' is not a constant here)`,
      );
    return v.add;
  }

  private evalDepth = 0;
  lookup(name: string): Value | undefined {
    const d = this.symbols.get(name);
    if (!d || d.kind === 'undef') {
      if (this.sections.has(name)) return { sym: name, add: 0n };
      this.volatileHit = true;
      return undefined;
    }
    if (d.kind === 'label') return { sym: name, add: 0n };
    if (d.value) return d.value;
    this.volatileHit = true;
    if (this.evalDepth > 50)
      throw new ExprError(`symbol '${name}' is defined in terms of itself`, 0);
    this.evalDepth++;
    try {
      return this.eval(d.expr!, d.section, d.itemIndex);
    } finally {
      this.evalDepth--;
    }
  }

  /** Section and offset of a relocatable symbol, if it is defined in this file. */
  locate(name: string, depth = 0): { section: Section; offset: bigint } | undefined {
    const d = this.symbols.get(name);
    if (!d || d.kind === 'undef') {
      const s = this.sections.get(name);
      return s ? { section: s, offset: 0n } : undefined;
    }
    if (d.kind === 'label')
      return { section: d.section!, offset: BigInt(offsetAt(d.section!, d.itemIndex!)) };
    if (depth > 50) return undefined;
    const v = d.value ?? this.lookup(name);
    if (!v || v.sym === null) return undefined;
    const base = this.locate(v.sym, depth + 1);
    return base && { section: base.section, offset: base.offset + v.add };
  }

  defineLabel(name: string, inBundleOk = false): void {
    if (this.bundle && !inBundleOk)
      throw new AsmError(`label '${name}' inside a bundle (labels must come between bundles)`);
    const old = this.symbols.get(name);
    if (old && old.kind !== 'undef')
      throw new AsmError(
        `symbol '${name}' is already defined${old.loc ? ` (at ${old.loc.file}:${old.loc.line})` : ''}`,
      );
    // Plain object literal (no spread): keeps one hidden class for every symbol.
    this.symbols.set(name, {
      name,
      kind: 'label',
      section: this.cur,
      itemIndex: this.cur.items.length,
      value: undefined,
      expr: undefined,
      global: old?.global ?? false,
      weak: old?.weak ?? false,
      type: old?.type ?? 0,
      visibility: old?.visibility ?? 0,
      sizeExpr: old?.sizeExpr,
      loc: this.loc,
    });
  }

  defineEqu(name: string, expr: string): void {
    const old = this.symbols.get(name);
    if (old?.kind === 'label') throw new AsmError(`symbol '${name}' is already defined as a label`);
    this.volatileHit = false;
    const v = this.eval(expr);
    const lazy = this.volatileHit;
    this.symbols.set(name, {
      ...(old ?? { global: false, weak: false, type: 0, visibility: 0 }),
      name,
      kind: 'equ',
      value: lazy ? undefined : v,
      expr: lazy ? expr : undefined,
      section: this.cur,
      itemIndex: this.cur.items.length,
      loc: this.loc,
    });
  }

  symbol(name: string): SymbolDef {
    let d = this.symbols.get(name);
    if (!d) {
      d = { name, kind: 'undef', global: false, weak: false, type: 0, visibility: 0 };
      this.symbols.set(name, d);
    }
    return d;
  }

  isDefined(name: string): boolean {
    const d = this.symbols.get(name);
    return !!d && d.kind !== 'undef';
  }

  // ---- bundles -----------------------------------------------------------------------

  private encSection!: Section;
  private encIndex = 0;
  private readonly ctxEvaluate = (e: string): ExprValue => {
    let r: ExprValue;
    try {
      const v = this.eval(e, this.encSection, this.encIndex);
      r =
        v.sym === null
          ? { kind: 'const', value: v.add }
          : { kind: 'symbol', symbol: v.sym, addend: v.add };
    } catch (err) {
      if (err instanceof ExprError) throw new BundleError(`${err.message} in '${e}'`);
      throw err;
    }
    this.evalLog.push(e, r);
    return r;
  };
  /** Expressions the encoder evaluated for the bundle being encoded, with their results. */
  private evalLog: (string | ExprValue)[] = [];

  /**
   * Layout pass: re-encodes a volatile bundle unless nothing its encoding read changed. The
   * encoder is a function of the operation texts, ISA level, bracing, pc and the values it
   * got from `evaluate`: with the same pc and the same values the encoding is the same.
   */
  reencodeBundle(it: Extract<Item, { kind: 'bundle' }>, section: Section, index: number): void {
    const m = it.inputs;
    if (m && m.pc === it.offset && this.sameValues(m.evals, section, index)) {
      it.volatile = this.volatileHit;
      if (!it.volatile) it.inputs = null;
      for (const w of m.warnings) this.warning(w, undefined, it.loc);
      return;
    }
    this.encodeBundle(it, section, index);
  }

  /** Re-evaluates a recorded evaluation log; sets `volatileHit` like an encoding would. */
  private sameValues(evals: (string | ExprValue)[], section: Section, index: number): boolean {
    this.symbolHit = false;
    this.volatileHit = false;
    this.encSection = section;
    this.encIndex = index;
    for (let k = 0; k < evals.length; k += 2) {
      let v: Value;
      try {
        v = this.eval(evals[k] as string, section, index);
      } catch {
        return false;
      }
      const old = evals[k + 1] as ExprValue;
      if (v.sym === null) {
        if (old.kind !== 'const' || old.value !== v.add) return false;
      } else if (old.kind !== 'symbol' || old.symbol !== v.sym || old.addend !== v.add) {
        return false;
      }
    }
    return true;
  }

  /** Set when an evaluation consulted a symbol or `.` (the result is then not cacheable). */
  private symbolHit = false;
  /**
   * Encodings of bundles whose operands were plain numbers, by their text: real code repeats
   * many bundles (nop, ct, return, register-only ALU ops), and encoding is the costly part.
   */
  private readonly cache = new Map<string, CachedBundle | null>();
  /** The same for braceless statements (keys are the texts alone: no concatenation). */
  private readonly bareCache = new Map<string, CachedBundle | null>();

  encodeBundle(it: Extract<Item, { kind: 'bundle' }>, section: Section, index: number): void {
    const ops = it.ops;
    const key = ops.length === 1 ? ops[0] : ops.join('\n');
    const cache = it.braced ? this.cache : this.bareCache;
    const hit = cache.get(key);
    if (hit) {
      it.volatile = false;
      it.inputs = null;
      it.bytes = hit.bytes;
      it.len = hit.bytes.length;
      it.fixups = NO_FIXUPS;
      for (const w of hit.warnings) this.warning(w, undefined, it.loc);
      return;
    }
    this.symbolHit = false;
    this.volatileHit = false;
    this.encSection = section;
    this.encIndex = index;
    this.evalLog.length = 0;
    const ctx = {
      iset: this.iset,
      braced: it.braced,
      pc: BigInt(it.offset),
      evaluate: this.ctxEvaluate,
    };
    let r;
    try {
      r = this.encoder.assembleBundle(it.ops, ctx);
    } catch (e) {
      // A bug in the encoder must become a diagnostic for this bundle, not a crash.
      if (e instanceof BundleError || e instanceof AsmError || !(e instanceof Error)) throw e;
      throw new BundleError(`internal error in the bundle encoder: ${e.message}`);
    }
    it.volatile = this.volatileHit;
    it.bytes = r.bytes;
    it.len = r.bytes.length;
    // An exact-size copy: the encoder's list grew by push (room for 16 more entries), and
    // the list lives as long as the item.
    it.fixups = r.fixups.length ? r.fixups.slice() : NO_FIXUPS;
    it.inputs = it.volatile
      ? {
          pc: it.offset,
          evals: this.evalLog.slice(),
          warnings: r.warnings.length ? r.warnings : NO_WARNINGS,
        }
      : null;
    for (const w of r.warnings) this.warning(w, undefined, it.loc);
    // Not cached: anything with a pc-relative target (a constant target there still depends on pc).
    if (!this.symbolHit && !r.fixups.length && !PC_RELATIVE.test(key)) {
      if (this.cache.size + this.bareCache.size >= CACHE_LIMIT) {
        this.cache.clear();
        this.bareCache.clear();
      }
      // A text is cached from its second encoding on (null marks one seen once): bundles
      // with unique operands (literals) would only fill the cache with garbage for the GC.
      // The cached array is shared: it is only ever copied (into the store or the section).
      cache.set(key, hit === null ? { bytes: r.bytes, warnings: r.warnings } : null);
    }
  }

  /** Location of settled bundles that no diagnostic can refer to (see emitBundle). */
  private readonly settledLoc: SrcLoc = { file: '', line: 0, col: 0, lineText: '' };

  private emitBundle(ops: string[], braced: boolean, loc: SrcLoc, opLocs: SrcLoc[] = [loc]): void {
    if (!this.cur.code) {
      this.error(`instructions in non-executable section '${this.cur.name}'`, undefined, loc);
      return;
    }
    if (this.cur.size % 8 !== 0) {
      this.error(
        `bundle at offset 0x${this.cur.size.toString(16)} of '${this.cur.name}' is not 8-byte aligned (add '.align 8')`,
        undefined,
        loc,
      );
      return;
    }
    const it: Item = {
      kind: 'bundle',
      loc,
      ops,
      braced,
      offset: this.cur.size,
      bytes: null,
      pos: 0,
      len: 0,
      fixups: NO_FIXUPS,
      volatile: false,
      inputs: null,
    };
    try {
      this.encodeBundle(it, this.cur, this.cur.items.length);
    } catch (e) {
      if (!(e instanceof BundleError)) throw e;
      const k = ops.length === 1 ? 0 : this.culprit(ops, e.message);
      if (k < 0) this.error(e.message, undefined, loc);
      else this.error(e.message, e.column, opLocs[k] ?? loc);
      return;
    }
    // The bytes go into the section store (one buffer instead of a small array per bundle);
    // a volatile bundle's re-encoding, if its bytes change, sets `bytes` again.
    it.pos = this.cur.store.push(it.bytes!);
    it.bytes = null;
    if (!it.volatile) {
      // Settled: drop what only re-encoding needs.
      it.ops = NO_OPS;
      // Nothing reports at a settled bundle without fixups any more (the listing and a
      // section's first item aside): sharing one location lets the statement's location
      // and source line die young instead of surviving into the old generation.
      if (it.fixups === NO_FIXUPS && !this.opts.listing && this.cur.items.length)
        it.loc = this.settledLoc;
    }
    this.cur.items.push(it);
    this.cur.size += it.len;
  }

  /**
   * Which operation of a rejected bundle is at fault: the one that fails with the same
   * message when encoded alone (-1 if that does not single one out, e.g. a resource conflict).
   */
  private culprit(ops: string[], message: string): number {
    const hits: number[] = [];
    ops.forEach((op, k) => {
      const probe: Item = {
        kind: 'bundle',
        loc: this.loc,
        ops: [op],
        braced: true,
        offset: this.cur.size,
        bytes: null,
        pos: 0,
        len: 0,
        fixups: NO_FIXUPS,
        volatile: false,
        inputs: null,
      };
      try {
        this.encodeBundle(probe, this.cur, this.cur.items.length);
      } catch (e) {
        if (e instanceof BundleError && e.message === message) hits.push(k);
      }
    });
    return hits.length === 1 ? hits[0] : -1;
  }

  // ---- statement loop ----------------------------------------------------------------

  run(source: string): void {
    this.frames.push({ next: readerOf(source, this.mainFile), isMacro: false });
    while (this.frames.length && !this.stopped) {
      const f = this.frames[this.frames.length - 1];
      let st = f.done ? undefined : f.next();
      // Statements of a macro expansion belong to the invocation line (errors, listing).
      if (st && f.origin) st = { ...st, loc: f.origin };
      if (!st) {
        this.frames.pop();
        continue;
      }
      this.loc = st.loc;
      const before = this.frames.length;
      try {
        this.statement(st);
      } catch (e) {
        if (e instanceof AsmError || e instanceof ExprError) this.error(e.message, e.column);
        else if (e instanceof BundleError) this.error(e.message);
        else throw e;
      }
      if (
        this.frames.length > before &&
        this.frames.length > 64 &&
        this.frames.filter((x) => !x.isMacro).length > 64
      ) {
        this.error('.include nesting too deep (recursive .include?)');
        break;
      }
      if (this.frames.length > 1000) {
        this.error('macro expansion nesting too deep (recursive macro?)');
        break;
      }
    }
    if (this.collecting)
      this.error(
        `missing '${this.collecting.kind === 'macro' ? '.endm' : '.endr'}'`,
        undefined,
        this.collecting.loc,
      );
    if (this.conds.depth)
      this.error(
        `missing '.endif' (${this.conds.depth} open conditional${this.conds.depth > 1 ? 's' : ''})`,
      );
    if (this.bundle) this.error("missing '}' at end of input", undefined, this.bundle.loc);
  }

  private statement(st: Stmt): void {
    const text = st.text;
    // Only directives (and anything while collecting a body) need their first word here.
    const word =
      this.collecting || text.charCodeAt(0) === 46
        ? (/^\.?[A-Za-z_$][\w.$]*/.exec(text)?.[0].toLowerCase() ?? '')
        : '';
    if (this.collecting) return this.collect(st, word);
    if (word !== '' && isConditional(word))
      return this.conds.handle(word, text.slice(word.length).trim(), this);
    if (!this.conds.active) return;
    if (
      this.opts.listing &&
      (this.frames.length === 1 || !this.frames[this.frames.length - 1].isMacro)
    ) {
      const last = this.listedLines[this.listedLines.length - 1];
      if (!last || last.line !== st.loc.line || last.file !== st.loc.file)
        this.listedLines.push(st.loc);
    }

    if (st.kind === 'open') {
      if (this.bundle) throw new AsmError("'{' inside a bundle (bundles do not nest)");
      this.bundle = { ops: [], loc: st.loc, opLocs: [] };
      return;
    }
    if (st.kind === 'close') {
      if (!this.bundle) throw new AsmError("'}' without a matching '{'");
      const b = this.bundle;
      this.bundle = null;
      this.emitBundle(b.ops, true, b.loc, b.opLocs);
      return;
    }

    let rest = text;
    // Labels: `name:` or `N:` (several may precede a statement).
    while (rest.includes(':')) {
      const m = /^([A-Za-z_.$][\w.$]*|\d+)\s*:(?!=)/.exec(rest);
      if (!m) break;
      let name = m[1].replace(/^\$/, '');
      if (/^\d+$/.test(name)) {
        const k = (this.localCounts.get(name) ?? 0) + 1;
        this.localCounts.set(name, k);
        name = localLabelName(name, k);
      }
      this.defineLabel(name);
      rest = rest.slice(m[0].length).trimStart();
    }
    if (!rest) return;
    const offset = text.length - rest.length;
    const assign = rest.includes('=') ? /^([A-Za-z_.$][\w.$]*)\s*=(?!=)\s*(.*)$/.exec(rest) : null;
    if (assign)
      return this.defineEqu(
        assign[1].replace(/^\$/, ''),
        rewriteLocalRefs(assign[2], this.localCounts),
      );

    // The first word matters only for macros and directives.
    const first = this.macros.size || rest.charCodeAt(0) === 46 ? /^\S+/.exec(rest)![0] : '';
    const macro = this.macros.size ? this.macros.get(first.toLowerCase()) : undefined;
    if (macro) return this.expandMacro(macro, rest.slice(first.length).trim(), st);
    if (first.startsWith('.')) {
      const name = first.toLowerCase();
      const args = rest.slice(first.length).trim();
      if (name === '.macro' || name === '.rept' || name === '.irp' || name === '.irpc') {
        this.collecting = {
          kind: name === '.macro' ? 'macro' : 'rept',
          header: rest,
          body: [],
          depth: 1,
          loc: st.loc,
        };
        return;
      }
      if (name === '.endm' || name === '.endr')
        throw new AsmError(
          `'${name}' without a matching '${name === '.endm' ? '.macro' : '.rept'}'`,
        );
      if (name === '.exitm') {
        // Ends the innermost macro expansion, including repetitions running inside it.
        const idx = this.frames.findLastIndex((f) => f.isExpansion);
        if (idx < 0) throw new AsmError("'.exitm' outside a macro");
        for (let k = idx; k < this.frames.length; k++) this.frames[k].done = true;
        return;
      }
      const argCol =
        offset +
        first.length +
        (rest.length - first.length - rest.slice(first.length).trimStart().length);
      return directive(this, name, args, argCol);
    }
    const written = rewriteLocalRefs(rest, this.localCounts);
    const op = this.valueLastStores ? valueFirst(written) : written;
    if (this.bundle) {
      this.bundle.ops.push(op);
      this.bundle.opLocs.push(offset ? { ...st.loc, col: st.loc.col + offset } : st.loc);
    } else {
      // Implicit delays (asm-syntax.md §9) are added by the encoder only to braceless
      // statements, so without strict_delay a braceless statement is encoded like `{ op }`;
      // clpandp/clplandp exist only braceless and keep that form.
      const braced = !this.strictDelay && !/^clp/.test(op);
      this.emitBundle([op], braced, offset ? { ...st.loc, col: st.loc.col + offset } : st.loc);
    }
  }

  private collect(st: Stmt, word: string): void {
    const c = this.collecting!;
    const opens = c.kind === 'macro' ? ['.macro'] : ['.rept', '.irp', '.irpc'];
    const close = c.kind === 'macro' ? '.endm' : '.endr';
    if (opens.includes(word)) c.depth++;
    if (word === close && --c.depth === 0) {
      this.collecting = null;
      this.finishCollect(c);
      return;
    }
    c.body.push(st);
  }

  private finishCollect(c: Collect): void {
    const loc = this.loc;
    this.loc = c.loc;
    const hw = /^\S+/.exec(c.header)![0].toLowerCase();
    const args = c.header.slice(hw.length).trim();
    if (hw === '.macro') {
      return directive(this, '.macro', args, 0, c.body);
    }
    this.loc = loc;
    // One frame reads all repetitions in turn, so a large count is not a deep frame stack.
    let reps: number;
    let bodyFor: (k: number) => Stmt[];
    if (hw === '.rept') {
      const n = this.absolute(args, '.rept count');
      if (n < 0n || n > 1_000_000n) throw new AsmError(`.rept count ${n} out of range`);
      reps = Number(n);
      bodyFor = () => c.body;
    } else {
      const m = /^([A-Za-z_]\w*)\s*,?\s*(.*)$/.exec(args);
      if (!m) throw new AsmError(`${hw} needs a parameter name`);
      const list = m[2].trim();
      const values =
        hw === '.irp' ? (list ? list.split(',').map((v) => v.trim()) : ['']) : [...list];
      reps = values.length;
      bodyFor = (k) =>
        c.body.map((st) => ({
          ...st,
          text: substitute(st.text, new Map([[m[1], values[k]]]), this.macroCounter),
        }));
    }
    let k = 0;
    let cur: Stmt[] = [];
    let i = 0;
    const next = (): Stmt | undefined => {
      while (i >= cur.length) {
        if (k >= reps) return undefined;
        cur = bodyFor(k++);
        i = 0;
      }
      return cur[i++];
    };
    const frame = this.frames[this.frames.length - 1];
    this.frames.push({ next, origin: frame?.origin, macro: frame?.macro, isMacro: true });
  }

  private expandMacro(m: Macro, argText: string, st: Stmt): void {
    const vals = bindArgs(m, argText);
    const counter = this.macroCounter++;
    const body = m.body.map((s) => ({ ...s, text: substitute(s.text, vals, counter) }));
    const outer = this.frames[this.frames.length - 1];
    this.frames.push({
      next: arrayReader(body),
      origin: outer.origin ?? st.loc,
      macro: m.name,
      isMacro: true,
      isExpansion: true,
    });
  }

  /** Pushes an included file's statements. */
  include(path: string, text: string): void {
    this.frames.push({ next: readerOf(text, path), isMacro: false });
  }
}

function readerOf(source: string, file: string): () => Stmt | undefined {
  const r = new StatementReader(source, file);
  return () => r.next();
}

function arrayReader(stmts: Stmt[]): () => Stmt | undefined {
  let i = 0;
  return () => stmts[i++];
}
