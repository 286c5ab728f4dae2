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

export class InterceptCollector {
  private cu: CuRecord = emptyCu();
  private mu: MuRecord[] = [];
  private any = false;
  /** Entries/records dropped because the hardware capacity (2 / 11) was exceeded. */
  overflow = 0;

  reset(): void {
    this.cu = emptyCu();
    this.mu = [];
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
    > = {},
  ): void {
    this.any = true;
    this.cu.evnC |= d.hdr & 0xffff;
    this.cu.excC |= (d.hdr >>> 16) & 0xff;
    this.cu.evnU |= (d.hdr >>> 24) & 0xff;
    if (d.cuCode !== undefined) {
      if (this.cu.entries.length >= CU_MAX_ENTRIES) this.overflow++;
      else {
        const e: CuEntry = {
          code: d.cuCode,
          ch: op.ch ?? 0,
          regNum: op.regNum ?? 0,
          dst: op.dst ?? 0,
          vmDst: 0,
          data: op.data ? u64(op.data.lo, op.data.hi) : u64(),
        };
        this.cu.entries.push(e);
      }
    }
    if (d.muCode !== undefined) {
      const { data, regNum: _r, ch: _c, dst: _d, ...mu } = op;
      const tagged = data
        ? { lo: data.lo >>> 0, hi: data.hi >>> 0, tag: data.tag ?? 0 }
        : undefined;
      this.addMu(muRecord({ ...mu, ...(tagged ? { data: tagged } : {}), code: d.muCode }));
    }
  }

  /** Adds an MU record directly (GP intercepts from tdp.ts, IME_FORCED companions). */
  addMu(r: MuRecord): void {
    this.any = true;
    if (this.mu.length >= MU_MAX_RECORDS) this.overflow++;
    else this.mu.push(r);
  }

  /**
   * Ends the bundle. Returns null when nothing intercepts; otherwise the records, with
   * header bit 32 (`tir_fz`) telling whether guest TIRs were already frozen (§7.2 rule 2).
   */
  finish(tirsAlreadyFrozen: boolean): { cu: CuRecord; mu: MuRecord[] } | null {
    if (!this.any) return null;
    const out = { cu: { ...this.cu, tirFz: tirsAlreadyFrozen }, mu: this.mu };
    this.reset();
    return out;
  }
}

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
