/**
 * Mutable state of one bundle being assembled, and `pack` which lays it out exactly like
 * gas's pack_wide_command (encoding.md §3, §15 steps 6-11).
 */
import type { BundleFixup, IsaLevel } from '../bundle-api';
import { BundleError } from '../bundle-api';
import { CS1, CS1_OPC, MAS_FIELD, set, SS } from '../fields';
import { ALES_DEFAULT, HS } from '../layout';
import type { Literal } from './literals';
import { fillLts, placeCode, placeLiterals } from './literals';

/** A literal use that patches ALS[15:8] (or the staa literal selector) after placement. */
export interface LitUse {
  lit: Literal;
  ch: number;
  /** 'src2': ALS[15:8] = place code; 'aasti': ALS[9:8] = 1 + LTS number. */
  field: 'src2' | 'aasti';
  /** Relocation for a symbolic value. */
  fixup?: { symbol: string; addend: bigint; type: 'R_E2K_32_ABS' | 'R_E2K_64_ABS_LIT' };
}

export class Bundle {
  als: number[] = [-1, -1, -1, -1, -1, -1];
  ales: number[] = [-1, -1, -1, -1, -1, -1];
  mas: number[] = [0, 0, 0, 0, 0, 0];
  /** Emit the ALES2/5 word even when both halves have the default value. */
  forceAlesWord = false;
  literals: Literal[] = [];
  litUses: LitUse[] = [];
  /** SS: present flag, explicit ipd (-1 = default 3), all other bits. */
  ss = false;
  ipd = -1;
  ssBits = 0;
  /** ctcond set explicitly by a transfer (-1 = none). */
  ctcond = -1;
  /** SS format 2 word (flushts/invts) or -1. */
  ss2 = -1;
  cs0 = -1;
  cs0Fixup: { symbol: string; addend: bigint } | null = null;
  cs1 = -1;
  /** LTS0 parameter word of setwd/settr/vfrpsz, or -1. */
  setrWord = -1;
  pls: number[] = [0, 0, 0];
  plsUsed = 0;
  /** Bits per PLS: 1 elp0, 2 elp1, 4 clp, 8 pass. */
  plsSet: number[] = [0, 0, 0];
  cds: number[] = [];
  /** Source statement index of each CDS entry (entries are emitted in source order). */
  cdsOrder: number[] = [];
  /** Index of the statement being handled (set by the assembler loop). */
  stmt = 0;
  aasDst: number[] = [-1, -1, -1, -1];
  aasOp: number[] = [-1, -1, -1, -1];
  nop = 0;
  loopMode = false;
  setMark = false;
  warnings: string[] = [];

  constructor(public iset: IsaLevel) {}

  /**
   * Back to the state of `new Bundle(iset)`, reusing the arrays (assembleBundle keeps one
   * spare Bundle instead of allocating a dozen arrays per bundle). `warnings` is a new array:
   * the caller keeps the returned one.
   */
  reset(iset: IsaLevel): void {
    this.iset = iset;
    this.als.fill(-1);
    this.ales.fill(-1);
    this.mas.fill(0);
    this.forceAlesWord = false;
    this.literals.length = 0;
    this.litUses.length = 0;
    this.ss = false;
    this.ipd = -1;
    this.ssBits = 0;
    this.ctcond = -1;
    this.ss2 = -1;
    this.cs0 = -1;
    this.cs0Fixup = null;
    this.cs1 = -1;
    this.setrWord = -1;
    this.pls.fill(0);
    this.plsUsed = 0;
    this.plsSet.fill(0);
    this.cds.length = 0;
    this.cdsOrder.length = 0;
    this.stmt = 0;
    this.aasDst.fill(-1);
    this.aasOp.fill(-1);
    this.nop = 0;
    this.loopMode = false;
    this.setMark = false;
    this.warnings = [];
  }

  addCds(entry: number): void {
    this.cds.push(entry);
    this.cdsOrder.push(this.stmt);
  }

  useSS(): void {
    this.ss = true;
  }

  /** Builds the bytes and fixups. */
  pack(): { bytes: Uint8Array; fixups: BundleFixup[] } {
    // Literals first: their places decide the src2 codes.
    placeLiterals(this.literals, this.setrWord !== -1 ? 0b11 : 0);
    const lts: number[] = [];
    let ltsCount = fillLts(this.literals, lts);
    if (this.setrWord !== -1) {
      lts[0] = this.setrWord >>> 0;
      ltsCount = Math.max(ltsCount, 1);
    }
    for (const u of this.litUses) {
      const p = u.lit.place!;
      if (u.field === 'src2')
        this.als[u.ch] = ((this.als[u.ch] & ~0xff00) | (placeCode(p) << 8)) >>> 0;
      else this.als[u.ch] = ((this.als[u.ch] & ~0x300) | ((p.lts + 1) << 8)) >>> 0;
    }
    if (this.cds.length > 1) {
      const order = this.cds.map((e, i) => [this.cdsOrder[i] ?? 0, i, e]);
      order.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      this.cds = order.map((x) => x[2]);
    }
    if (this.cds.length > 6) throw new BundleError('too many predicates in a wide command');
    const m = this.mas;
    const hasMas = (m[0] | m[2] | m[3] | m[5]) !== 0;
    if (hasMas) {
      if (this.cs1 !== -1) throw new BundleError('cannot encode MAS, CS1 syllable is already busy');
      let cs1 = set(0, CS1.opc, CS1_OPC.MAS);
      for (let c = 0; c < 6; c++) {
        const fl = MAS_FIELD[c];
        if (fl) cs1 = set(cs1, fl, this.mas[c]);
      }
      this.cs1 = cs1;
    }
    const words: number[] = [0];
    let cs0Index = -1;
    let hs = 0;
    const ao = this.aasOp;
    const aasPresent = (ao[0] & ao[1] & ao[2] & ao[3]) !== -1;
    if (this.ss || aasPresent || this.ss2 !== -1) {
      hs |= 1 << HS.SS;
      if (this.ss2 !== -1) words.push(this.ss2 >>> 0);
      else {
        const ipd = this.ipd === -1 ? 3 : this.ipd;
        let aa = 0;
        for (let c = 0; c < 4; c++) if (this.aasOp[c] !== -1) aa |= 1 << c;
        let ss = set(set(this.ssBits, SS.ipd, ipd), SS.aa, aa);
        ss = set(ss, SS.ctcond, this.ctcond === -1 ? 0 : this.ctcond);
        words.push(ss);
      }
    }
    for (let c = 0; c < 6; c++) {
      if (this.als[c] === -1) continue;
      hs |= 1 << (HS.ALS0 + c);
      words.push(this.als[c] >>> 0);
      if (this.ales[c] !== -1) hs |= 1 << (HS.ALES0 + c);
    }
    if (this.cs0 !== -1) {
      hs |= 1 << HS.CS0;
      cs0Index = words.length;
      words.push(this.cs0 >>> 0);
    }
    const a2 = this.ales[2];
    const a5 = this.ales[5];
    if (
      (a2 !== -1 && a2 !== ALES_DEFAULT) ||
      (a5 !== -1 && a5 !== ALES_DEFAULT) ||
      this.forceAlesWord
    ) {
      if (this.iset < 4) throw new BundleError('ALSes cannot be packed into a wide command');
      const hi = a2 === -1 ? ALES_DEFAULT : a2;
      const lo = a5 === -1 ? ALES_DEFAULT : a5;
      words.push(((hi << 16) | lo) >>> 0);
    }
    if (this.cs1 !== -1) {
      hs |= 1 << HS.CS1;
      words.push(this.cs1 >>> 0);
    }
    const mdl = words.length - 1;
    const halves: number[] = [];
    const al = this.ales;
    if (al[0] !== -1) halves.push(al[0]);
    if (al[1] !== -1) halves.push(al[1]);
    if (al[3] !== -1) halves.push(al[3]);
    if (al[4] !== -1) halves.push(al[4]);
    if (aasPresent) {
      const d = this.aasDst.map((x) => (x === -1 ? 0 : x));
      if (ao[0] !== -1 || ao[1] !== -1) halves.push(((d[0] << 8) | d[1]) & 0xffff);
      if (ao[2] !== -1 || ao[3] !== -1) halves.push(((d[2] << 8) | d[3]) & 0xffff);
      for (let c = 0; c < 4; c++) if (this.aasOp[c] !== -1) halves.push(this.aasOp[c]);
    }
    for (let i = 0; i < halves.length; i += 2) {
      words.push(((halves[i] << 16) | (halves[i + 1] ?? 0)) >>> 0);
    }
    let plsCount = 0;
    for (let i = 0; i < 3; i++) if (this.plsUsed & (1 << i)) plsCount = i + 1;
    const cdsCount = (this.cds.length + 1) >> 1;
    if ((words.length + ltsCount + plsCount + cdsCount) & 1) words.push(0);
    const ltsStart = words.length;
    for (let i = ltsCount - 1; i >= 0; i--) words.push((lts[i] ?? 0) >>> 0);
    for (let i = plsCount - 1; i >= 0; i--) words.push(this.pls[i] >>> 0);
    for (let i = cdsCount - 1; i >= 0; i--) {
      words.push((((this.cds[2 * i] << 16) | (this.cds[2 * i + 1] ?? 0)) >>> 0) >>> 0);
    }
    if (words.length > 16) throw new BundleError('wide command is too long');
    hs |=
      (plsCount << HS.PL_SHIFT) |
      (cdsCount << HS.CD_SHIFT) |
      (this.setMark ? 1 << HS.SET_MARK : 0) |
      (this.loopMode ? 1 << HS.LOOP_MODE : 0) |
      (this.nop << HS.NOP_SHIFT) |
      ((words.length / 2 - 1) << HS.LNG_SHIFT) |
      mdl;
    words[0] = hs >>> 0;
    const bytes = new Uint8Array(words.length * 4);
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      bytes[4 * i] = w;
      bytes[4 * i + 1] = w >>> 8;
      bytes[4 * i + 2] = w >>> 16;
      bytes[4 * i + 3] = w >>> 24;
    }
    // An empty bundle (lone `nop` / `{ }`) is 8 zero bytes.
    const fixups: BundleFixup[] = [];
    if (this.cs0Fixup) {
      fixups.push({ offset: cs0Index * 4, type: 'R_E2K_DISP', ...this.cs0Fixup });
    }
    let seen: Set<string> | null = null;
    for (const u of this.litUses) {
      if (!u.fixup) continue;
      seen ??= new Set<string>();
      const p = u.lit.place!;
      // LTSk sits at word ltsStart + (ltsCount-1-k); a 64-bit literal is patched from its
      // high word LTS(k+1), which comes first in memory.
      const k = p.size === 64 ? p.lts + 1 : p.lts;
      const offset = (ltsStart + ltsCount - 1 - k) * 4;
      // Operations sharing one literal (or both halves of a quad op) need one relocation.
      const id = `${offset}:${u.fixup.type}`;
      if (seen.has(id)) continue;
      seen.add(id);
      fixups.push({
        offset,
        type: u.fixup.type,
        symbol: u.fixup.symbol,
        addend: u.fixup.addend,
      });
    }
    return { bytes, fixups };
  }
}
