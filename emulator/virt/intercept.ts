/**
 * Per-bundle interception collection and the glaunch replay plan (virtualization.md §3.4,
 * §3.5, §7.2 rules 2-3). The CPU, while executing one guest bundle, feeds every decision
 * from ctrl.ts (and every GP fault from tdp.ts) into an `InterceptCollector`; at the bundle
 * end `finish()` says whether the guest must exit and yields the CU record and MU records
 * (what INTC_INFO_CU/MU will read). `replayPlan` turns the records the hypervisor wrote back
 * into the list of operations glaunch re-executes.
 */
import type { InterceptDecision } from './ctrl';
import {
  CU_MAX_ENTRIES,
  emptyCu,
  ICE_FORCED,
  ICE_READ_CU,
  IME_FORCED_GVA,
  IME_READ_MU,
  MU_MAX_RECORDS,
  muRecord,
  type CuEntry,
  type CuRecord,
  type MuRecord,
} from './intc';
import { u64, type U64 } from './u64';

/** Empties a small array in place (pop keeps its backing store; `length = 0` drops it). */
export function clearArray(a: unknown[]): void {
  while (a.length > 0) a.pop();
}

/**
 * Records are reused (the guest exit path allocates nothing once warm): two CU records and
 * two MU lists alternate — the pair handed out by the last `finish` may still be replayed
 * (read) by the VMM's next glaunch while the next bundle collects into the other — and MU
 * records come from a pool the owner refills with `release` once it no longer references
 * them (the VMM does when a written-back list is superseded). Without `release` the pool
 * simply runs dry and records are allocated, as before.
 */
export class InterceptCollector {
  private readonly cus: [CuRecord, CuRecord] = [emptyCu(), emptyCu()];
  /** Entry objects owned by each CU record (entries[] holds the first 0..2 of them). */
  private readonly cuEntries: [CuEntry[], CuEntry[]] = [[], []];
  private readonly mus: [MuRecord[], MuRecord[]] = [[], []];
  private sel = 0;
  private cu: CuRecord = this.cus[0];
  private mu: MuRecord[] = this.mus[0];
  private readonly pool: MuRecord[] = [];
  private readonly out: { cu: CuRecord; mu: MuRecord[] } = { cu: this.cu, mu: this.mu };
  private any = false;
  /** Entries/records dropped because the hardware capacity (2 / 11) was exceeded. */
  overflow = 0;

  reset(): void {
    const cu = this.cu;
    cu.evnC = cu.excC = cu.evnU = 0;
    cu.tirFz = false;
    cu.hdrHi.lo = cu.hdrHi.hi = 0;
    clearArray(cu.entries);
    clearArray(this.mu);
    this.any = false;
    this.overflow = 0;
  }

  get pending(): boolean {
    return this.any;
  }

  /**
   * Adds a decision. CU entry fields (register number, data) come from the operation;
   * MU fields (gva, gpa, data, condition) likewise.
   */
  add(
    d: InterceptDecision,
    op: { regNum?: number; data?: U64 & { tag?: number }; ch?: number; dst?: number } & Partial<
      Omit<MuRecord, 'data'>
    > = NO_OP,
  ): void {
    this.header(d);
    if (d.cuCode !== undefined) this.entry(d.cuCode, op.regNum ?? 0, op.dst ?? 0, op.data?.lo ?? 0, op.data?.hi ?? 0, op.ch ?? 0); // prettier-ignore
    if (d.muCode === undefined) return;
    const { data, regNum: _r, ch: _c, dst: _d, ...mu } = op;
    const tagged = data ? { lo: data.lo >>> 0, hi: data.hi >>> 0, tag: data.tag ?? 0 } : undefined;
    this.addMu(muRecord({ ...mu, ...(tagged ? { data: tagged } : {}), code: d.muCode }));
  }

  /**
   * `add` with the operation as numbers (the CPU's hot path): CU entry = (regNum, dst,
   * data); MU record = (gva, data with tag 0, condition).
   */
  addOp(
    d: InterceptDecision,
    regNum: number,
    dst: number,
    dataLo: number,
    dataHi: number,
    gva: number,
    condLo: number,
    condHi: number,
  ): void {
    this.header(d);
    if (d.cuCode !== undefined) this.entry(d.cuCode, regNum, dst, dataLo, dataHi, 0);
    if (d.muCode !== undefined)
      this.addMuFields(d.muCode, 0, gva, 0, false, dataLo, dataHi, condLo, condHi);
  }

  private header(d: InterceptDecision): void {
    this.any = true;
    this.cu.evnC |= d.hdr & 0xffff;
    this.cu.excC |= (d.hdr >>> 16) & 0xff;
    this.cu.evnU |= (d.hdr >>> 24) & 0xff;
  }

  private entry(code: number, regNum: number, dst: number, lo: number, hi: number, ch: number): void {
    const entries = this.cu.entries;
    if (entries.length >= CU_MAX_ENTRIES) {
      this.overflow++;
      return;
    }
    const own = this.cuEntries[this.sel];
    let e = own[entries.length];
    if (e === undefined) {
      e = { code: 0, ch: 0, regNum: 0, dst: 0, vmDst: 0, data: u64() };
      own.push(e);
    }
    e.code = code;
    e.ch = ch;
    e.regNum = regNum;
    e.dst = dst;
    e.vmDst = 0;
    e.data.lo = lo >>> 0;
    e.data.hi = hi >>> 0;
    entries.push(e);
  } // prettier-ignore

  /** Adds an MU record directly (GP intercepts from tdp.ts, IME_FORCED companions). */
  addMu(r: MuRecord): void {
    this.any = true;
    if (this.mu.length >= MU_MAX_RECORDS) this.overflow++;
    else this.mu.push(r);
  }

  /** `addMu(muRecord({...}))` from numbers, with a pooled record (data tag 0). */
  addMuFields(
    code: number,
    gpa: number,
    gva: number,
    ptLev: number,
    ptLevFin: boolean,
    dataLo: number,
    dataHi: number,
    condLo: number,
    condHi: number,
  ): void {
    this.any = true;
    if (this.mu.length >= MU_MAX_RECORDS) {
      this.overflow++;
      return;
    }
    const r = this.pool.pop() ?? muRecord({ code });
    r.code = code;
    r.ptLevFin = ptLevFin;
    r.ptLev = ptLev;
    r.ignoreWrRights = false;
    r.gpa = gpa;
    r.gva = gva;
    r.data.lo = dataLo >>> 0;
    r.data.hi = dataHi >>> 0;
    r.data.tag = 0;
    r.condition.lo = condLo >>> 0;
    r.condition.hi = condHi >>> 0;
    r.dataExt.lo = r.dataExt.hi = r.dataExt.tag = 0;
    r.mask.lo = r.mask.hi = 0;
    this.mu.push(r);
  }

  /**
   * MU records the owner no longer references (from any `finish`): they are reused by
   * `addMuFields`. Only records nobody reads any more may be passed.
   */
  release(records: readonly MuRecord[]): void {
    for (let i = 0; i < records.length; i++) if (this.pool.length < POOL_MAX) this.pool.push(records[i]); // prettier-ignore
  }

  /**
   * Ends the bundle. Returns null when nothing intercepts; otherwise the records, with
   * header bit 32 (`tir_fz`) telling whether guest TIRs were already frozen (§7.2 rule 2).
   * The returned object and the record/list it names are valid until the next-but-one
   * `finish` (they alternate); MU records until they are released.
   */
  finish(tirsAlreadyFrozen: boolean): { cu: CuRecord; mu: MuRecord[] } | null {
    if (!this.any) return null;
    this.cu.tirFz = tirsAlreadyFrozen;
    const out = this.out;
    out.cu = this.cu;
    out.mu = this.mu;
    this.sel ^= 1;
    this.cu = this.cus[this.sel];
    this.mu = this.mus[this.sel];
    this.reset();
    return out;
  }
}

const NO_OP = Object.freeze({});
/** Pool bound: a storm of merged exits cannot make it hold memory forever. */
const POOL_MAX = 64;

export type ReplayOp =
  | { unit: 'cu'; kind: 'deliver_read'; regNum: number; value: U64 }
  | { unit: 'cu'; kind: 'perform'; entry: CuEntry }
  | { unit: 'mu'; kind: 'deliver_read'; record: MuRecord }
  | { unit: 'mu'; kind: 'guest_fault'; record: MuRecord }
  | { unit: 'mu'; kind: 'perform'; record: MuRecord };

/**
 * What glaunch does with the written-back lists (§3.5, §7.2 rule 3): CU code 0 entries are
 * skipped; READ_CU delivers `entry.hi`; other CU entries are performed; MU READ_MU delivers
 * `data` (an MMIO load completed by the VMM); FORCED_GVA becomes a guest page fault; all
 * other MU records are re-executed (`ignore_wr_rights` honoured by the executor). Cancelled
 * MU operations are simply absent from the written-back list.
 */
export function replayPlan(cu: CuRecord | null, mu: readonly MuRecord[]): ReplayOp[] {
  const ops: ReplayOp[] = [];
  for (const e of cu?.entries ?? []) {
    if (e.code === ICE_FORCED) continue;
    if (e.code === ICE_READ_CU)
      ops.push({ unit: 'cu', kind: 'deliver_read', regNum: e.regNum, value: e.data }); // prettier-ignore
    else ops.push({ unit: 'cu', kind: 'perform', entry: e });
  }
  for (const r of mu) {
    if (r.code === IME_READ_MU) ops.push({ unit: 'mu', kind: 'deliver_read', record: r });
    else if (r.code === IME_FORCED_GVA) ops.push({ unit: 'mu', kind: 'guest_fault', record: r });
    else ops.push({ unit: 'mu', kind: 'perform', record: r });
  }
  return ops;
}
