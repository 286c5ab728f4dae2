/**
 * Readable form of interception records for the monitor and the intercept ring buffer
 * (virtualization.md §3, §7.3 display names, appendix A register names).
 */
import { faultTypeNames } from '../mmu/fault';
import { MMU_REG_NAMES } from '../mmu/regs';
import {
  cuCauses,
  decodeCondition,
  ICE_MASKED_HCALL,
  ICE_NAMES,
  ICE_READ_CU,
  ICE_WRITE_CU,
  IME_GPA_AINSTR,
  IME_GPA_DATA,
  IME_NAMES,
  IME_READ_MU,
  IME_WRITE_MU,
  type CuEntry,
  type CuRecord,
  type MuRecord,
} from './intc';
import { u64Hex } from './u64';

// --- readable form --------------------------------------------------------------------

/** CU register names for READ_CU/WRITE_CU (Appendix A + system.md §1.2). */
export const CU_REG_NAMES: Readonly<Record<number, string>> = {
  0x04: 'CORE_MODE', 0x40: 'DIBCR', 0x41: 'DIMCR', 0x42: 'DIBSR', 0x43: 'DTCR',
  0x46: 'DIMTP.hi', 0x47: 'DIMTP.lo', 0x48: 'DIBAR0', 0x49: 'DIBAR1', 0x4a: 'DIBAR2',
  0x4b: 'DIBAR3', 0x4c: 'DIMAR0', 0x4d: 'DIMAR1', 0x4e: 'DTARF', 0x4f: 'DTART',
  0x70: 'SCLKM1', 0x71: 'SCLKM2', 0x72: 'SCLKM3', 0x78: 'CU_HW0', 0x79: 'CU_HW1',
  0x7a: 'CU_PMGR0', 0x8a: 'IDR', 0x90: 'CLKR', 0x92: 'SCLKR',
}; // prettier-ignore

const hexN = (n: number) => '0x' + n.toString(16);

export interface DecodedEntry {
  unit: 'cu' | 'mu';
  code: number;
  name: string;
  /** Register name (READ/WRITE), else undefined. */
  reg?: string;
  /** GVA / GPA as hex strings where meaningful. */
  gva?: string;
  gpa?: string;
  value?: string;
  faultTypes?: string[];
  store?: boolean;
  text: string;
}

export interface DecodedIntercept {
  causes: string[];
  guestIp: string | null;
  entries: DecodedEntry[];
  summary: string;
}

export function describeCuEntry(e: CuEntry): DecodedEntry {
  const name = ICE_NAMES[e.code] ?? `code_${e.code}`;
  const reg = e.code === ICE_READ_CU || e.code === ICE_WRITE_CU ? (CU_REG_NAMES[e.regNum] ?? `cu_${hexN(e.regNum)}`) : undefined; // prettier-ignore
  const value = u64Hex(e.data);
  const text =
    e.code === ICE_READ_CU ? `read ${reg} → ${value}`
    : e.code === ICE_WRITE_CU ? `write ${reg} ← ${value}`
    : e.code === ICE_MASKED_HCALL ? `masked hcall` : name; // prettier-ignore
  return { unit: 'cu', code: e.code, name, reg, value, text };
}

export function describeMuRecord(r: MuRecord): DecodedEntry {
  const name = IME_NAMES[r.code] ?? `code_${r.code}`;
  const c = decodeCondition(r.condition);
  const value = u64Hex(r.data);
  const regOp = r.code === IME_READ_MU || r.code === IME_WRITE_MU;
  const reg = regOp ? (MMU_REG_NAMES[r.gva >>> 4] ?? `mmu_${hexN(r.gva >>> 4)}`) : undefined;
  const faultTypes = faultTypeNames(c.faultType);
  let text: string;
  if (regOp) text = r.code === IME_READ_MU ? `read ${reg} → ${value}` : `write ${reg} ← ${value}`;
  else if (r.code >= IME_GPA_DATA && r.code <= IME_GPA_AINSTR)
    text =
      `${name} gva ${hexN(r.gva)} gpa ${hexN(r.gpa)} ${c.store ? 'store ' + value : 'load'}` +
      (r.ptLevFin ? ' (final address)' : ` (guest PT level ${r.ptLev})`) +
      (faultTypes.length ? ` [${faultTypes.join(',')}]` : '');
  else text = `${name} addr ${hexN(r.gva)}`;
  return {
    unit: 'mu', code: r.code, name, reg, gva: hexN(r.gva), gpa: hexN(r.gpa), value,
    faultTypes, store: c.store, text,
  }; // prettier-ignore
}

/** Readable form of one interception (both units) for the monitor and the ring buffer. */
export function describeIntercept(
  cu: CuRecord | null,
  mu: readonly MuRecord[],
  guestIp?: number,
): DecodedIntercept {
  const causes = cu ? cuCauses(cu) : [];
  const entries = [...(cu?.entries ?? []).map(describeCuEntry), ...mu.map(describeMuRecord)];
  for (const e of mu) causes.push(`mu.${IME_NAMES[e.code] ?? e.code}`);
  const ip = guestIp === undefined ? null : hexN(guestIp);
  const summary =
    (ip ? `ip ${ip}: ` : '') +
    [causes.join('+') || 'none', ...entries.map((e) => e.text)].join('; ');
  return { causes, guestIp: ip, entries, summary };
}
