/**
 * One VM's interrupt routing for hardware-virtualized vCPUs (virtualization.md §5.1, §5.3):
 * the destination address table (DAT) and the DAT-miss path. See cepic.ts for the
 * per-vCPU model.
 */
import { DST_SH, type IpiMessage, type VirtualCepic } from './cepic';

/** Missed IPI as latched in CEPIC_EPIC_INT2 (virtualization.md §5.1). */
export interface EpicInt2 extends IpiMessage {
  gstId: number;
  from: number;
}

/**
 * One VM's interrupt routing: the DAT (guest CEPIC id → vCPU, active while the vCPU is
 * loaded) and the miss path (§5.3): an IPI to a non-running vCPU raises CEPIC_EPIC_INT on
 * the sender's core (an `hv_int` exit) and latches the message; `redeliver()` is the
 * host's software re-delivery into the target's page.
 */
export class VirtualEpic {
  readonly vcpus: VirtualCepic[] = [];
  readonly missed: EpicInt2[] = [];
  datHits = 0;
  datMisses = 0;

  constructor(readonly gstId: number) {}

  add(c: VirtualCepic): void {
    this.vcpus.push(c);
    c.onIcr = (m) => this.send(c, m);
  }

  /** Guest ICR write by `from`. Returns the number of DAT misses it caused. */
  send(from: VirtualCepic, m: IpiMessage): number {
    const targets =
      m.dstSh === DST_SH.SELF ? [from]
      : m.dstSh === DST_SH.ALL ? this.vcpus
      : m.dstSh === DST_SH.ALL_BUT_SELF ? this.vcpus.filter((c) => c !== from)
      : this.vcpus.filter((c) => c.id === m.dst); // prettier-ignore
    let misses = 0;
    for (const t of targets) {
      if (t.running) {
        this.datHits++;
        t.deliver(m);
      } else {
        this.datMisses++;
        misses++;
        this.missed.push({
          ...m,
          dst: t.id,
          dstSh: DST_SH.EXACT,
          gstId: this.gstId,
          from: from.id,
        });
      }
    }
    if (targets.length === 0) from.esr |= 1 << 2; // no such destination (our choice)
    return misses;
  }

  /** Host handling of CEPIC_EPIC_INT: posts every latched miss into its target. */
  redeliver(): number {
    let n = 0;
    for (const m of this.missed.splice(0)) {
      const t = this.vcpus.find((c) => c.id === m.dst);
      if (t) {
        t.deliver(m);
        n++;
      }
    }
    return n;
  }

  /** DAT contents for the monitor (gst_id, gst_dst → loaded?). */
  dat(): { gstId: number; gstDst: number; active: boolean }[] {
    return this.vcpus.map((c) => ({ gstId: this.gstId, gstDst: c.id, active: c.running }));
  }
}
