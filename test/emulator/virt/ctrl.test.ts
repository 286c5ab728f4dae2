import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  ctrlWord,
  cuBit,
  decideCuRead,
  decideCuWrite,
  decideException,
  decideHcall,
  decideMasOp,
  decideMmuReg,
  decideStop,
  decideVirtAccess,
  describeCtrl,
  HDR_RR,
  HDR_RW,
  HDR_WAIT_TRAP,
  ICE_GLAUNCH,
  ICE_MASKED_HCALL,
  ICE_READ_CU,
  ICE_WRITE_CU,
  IME_READ_MU,
  IME_WRITE_MU,
  KVM_DEFAULT_CU,
  KVM_DEFAULT_MU_TDP,
  muBit,
  muModes,
  unconditional,
  u64,
  VIRT_CTRL_CU_BITS,
  VIRT_CTRL_MU_BITS,
} from '../../../emulator/virt';

const one = (bit: number) => (bit < 32 ? u64((1 << bit) >>> 0, 0) : u64(0, 1 << (bit - 32)));
const NONE = u64();

describe('VIRT_CTRL_CU decision table, bit by bit', () => {
  const reads: [string, number][] = [['rr_idr', 0x8a], ['rr_clkr', 0x90], ['rr_sclkr', 0x92], ['rr_dbg', 0x42]]; // prettier-ignore
  for (const [name, reg] of reads)
    test(`${name} (bit ${cuBit(name)}) traps a read of CU reg 0x${reg.toString(16)}`, () => {
      const b = cuBit(name);
      assert.equal(decideCuRead(reg, NONE), null);
      const d = decideCuRead(reg, one(b))!;
      assert.equal(d.cause, name);
      assert.equal(d.hdr, ((1 << b) | HDR_RR) >>> 0);
      assert.equal(d.cuCode, ICE_READ_CU);
      assert.equal(decideCuRead(0x00, one(b)), null, 'PSR never intercepts');
    });
  const writes: [string, number][] = [['rw_core_mode', 0x04], ['rw_clkr', 0x90], ['rw_sclkr', 0x92], ['rw_sclkm3', 0x72], ['rw_dbg', 0x48]]; // prettier-ignore
  for (const [name, reg] of writes)
    test(`${name} (bit ${cuBit(name)}) traps a write of CU reg 0x${reg.toString(16)}`, () => {
      const b = cuBit(name);
      assert.equal(decideCuWrite(reg, NONE), null);
      const d = decideCuWrite(reg, one(b))!;
      assert.equal(d.hdr, ((1 << b) | HDR_RW) >>> 0);
      assert.equal(d.cuCode, ICE_WRITE_CU);
    });
  test('bit numbers match the documented table', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27].map((b) => VIRT_CTRL_CU_BITS[b]),
      ['rr_idr', 'rr_clkr', 'rr_sclkr', 'rr_dbg', 'rw_core_mode', 'rw_clkr', 'rw_sclkr', 'rw_sclkm3', 'rw_dbg', 'hcem', 'virt', 'stop', 'exc_instr_debug', 'exc_data_debug', 'exc_instr_page', 'exc_data_page', 'exc_mova', 'exc_interrupt', 'exc_nm_interrupt', 'g_th', 'tir_fz', 'tir_rst', 'sclk_v6'],
    ); // prettier-ignore
  });
  test('rw_sclkr is reserved on ISET v7; SCLKM1 read bit configurable', () => {
    assert.notEqual(decideCuWrite(0x92, one(6)), null);
    assert.equal(decideCuWrite(0x92, one(6), { iset: 7 }), null);
    assert.equal(decideCuRead(0x70, one(2))?.cause, 'rr_sclkr');
    assert.equal(decideCuRead(0x70, one(2), { sclkmReadBit: null }), null);
  });
  test('exceptions: exc_c bits per TIR exception number', () => {
    const cases: [number, string][] = [[8, 'exc_instr_debug'], [28, 'exc_data_debug'], [20, 'exc_instr_page'], [23, 'exc_instr_page'], [29, 'exc_data_page'], [53, 'exc_mova'], [32, 'exc_interrupt'], [33, 'exc_nm_interrupt']]; // prettier-ignore
    for (const [exc, name] of cases) {
      const b = cuBit(name);
      assert.equal(decideException(exc, NONE), null, `exc ${exc} goes to the guest`);
      assert.equal(decideException(exc, one(b))?.hdr, 1 << b);
      assert.equal(decideException(exc, KVM_DEFAULT_CU), null, 'KVM: exc_c = 0');
    }
    assert.equal(decideException(0, u64(0xffffffff, 0xffffffff)), null);
  });
  test('hcall, virt, stop, unconditional', () => {
    assert.equal(decideHcall(1, 0b11, true, NONE), 'enter');
    assert.equal(decideHcall(1, 0b11, false, NONE), 'illegal');
    const d = decideHcall(5, 0b11, true, one(9));
    assert.ok(typeof d === 'object' && d.cuCode === ICE_MASKED_HCALL && d.hdr === 1 << 9);
    assert.equal(decideVirtAccess('reg', NONE), 'priv_action');
    const g = decideVirtAccess('glaunch', KVM_DEFAULT_CU);
    assert.ok(typeof g === 'object' && g.cuCode === ICE_GLAUNCH && g.hdr === 1 << 10);
    assert.equal(decideStop(NONE), null);
    assert.equal(decideStop(one(11))?.hdr, 1 << 11);
    assert.equal(unconditional('wait_trap').hdr, HDR_WAIT_TRAP);
  });
  test('KVM defaults decode to the documented names', () => {
    assert.deepEqual(describeCtrl(VIRT_CTRL_CU_BITS, KVM_DEFAULT_CU), ['rr_idr', 'rr_sclkr', 'rw_sclkr', 'rw_sclkm3', 'hcem', 'virt']);
    assert.deepEqual(muModes(KVM_DEFAULT_MU_TDP), { gpPtEn: true, shPtEn: false });
    assert.equal(KVM_DEFAULT_MU_TDP.hi, 1 << 4, 'gp_pt_en is bit 36');
  }); // prettier-ignore
});

describe('VIRT_CTRL_MU decision table, bit by bit', () => {
  const regs: [string, number][] = [['mmu_cr', 0x00], ['pptb', 0x04], ['pptb', 0x35], ['vptb', 0x03], ['vptb', 0x34], ['apic_base', 0x0d], ['mtrr_pat', 0x10], ['mtrr_pat', 0x31], ['ph_pci_b', 0x08], ['ph_pci_b', 0x33]]; // prettier-ignore
  for (const [n, reg] of regs)
    for (const write of [false, true]) {
      const name = (write ? 'rw_' : 'rr_') + n;
      test(`${name} (bit ${muBit(name)}) for MMU reg 0x${reg.toString(16)}`, () => {
        assert.equal(decideMmuReg(reg, write, NONE, NONE), null);
        const d = decideMmuReg(reg, write, one(muBit(name)), NONE)!;
        assert.equal(d.cause, name);
        assert.equal(d.muCode, write ? IME_WRITE_MU : IME_READ_MU);
        assert.equal(
          decideMmuReg(reg, !write, one(muBit(name)), NONE),
          null,
          'other direction free',
        );
      });
    }
  test('G_W_IMASK_MMU_CR: only writes changing a masked bit intercept', () => {
    const m = { oldLo: 0x820, newLo: 0x821, imaskLo: 1 };
    assert.equal(decideMmuReg(0, true, NONE, NONE, m)?.cause, 'g_w_imask_mmu_cr');
    assert.equal(decideMmuReg(0, true, NONE, NONE, { ...m, newLo: 0x824 }), null);
  });
  test('hypervisor MMU registers raise the CU virt event', () => {
    assert.equal(decideMmuReg(0x43, false, NONE, KVM_DEFAULT_CU)?.cause, 'virt');
  });
  test('flush / probe / diagnostic / physical MAS operations', () => {
    const cases: [number, number, boolean, string, number][] = [
      [0x07, 1, false, 'fl_dc', 11], [0x0f, 0, false, 'fl_dcl', 12], [0x27, 0, false, 'fl_ic', 13],
      [0x17, 0, false, 'fl_icl_u', 14], [0x17, 2, false, 'fl_icl_p', 15], [0x27, 1, false, 'fl_tlb', 16],
      [0x17, 1, false, 'fl_tlbpg', 17], [0x17, 3, false, 'fl_tlb2pg', 18], [0x37, 0, true, 'prb_entry', 19],
      [0x6f, 0, true, 'rr_dbg1', 9], [0x6f, 0, false, 'rw_dbg1', 10], [0x4f, 0, true, 'rr_dbg', 9],
      [0x06, 0, false, 'pma', 8],
    ]; // prettier-ignore
    for (const [mas, addr, load, name, code] of cases) {
      assert.equal(decideMasOp(mas, addr, load, NONE), null);
      const d = decideMasOp(mas, addr, load, one(muBit(name)));
      assert.equal(d?.cause, name);
      assert.equal(d?.muCode, code);
    }
    assert.equal(decideMasOp(0x00, 0, true, u64(0xffffffff, 0xffffffff)), null);
  });
  test('bit numbers', () => {
    assert.deepEqual([0, 8, 15, 16, 25, 36, 37].map((b) => VIRT_CTRL_MU_BITS[b]), ['rr_mmu_cr', 'rw_mmu_cr', 'rw_dbg1', 'pma', 'prb_entry', 'gp_pt_en', 'sh_pt_en']); // prettier-ignore
    assert.deepEqual(ctrlWord(VIRT_CTRL_MU_BITS, ['sh_pt_en', 'fl_tlbpg']), {
      lo: 1 << 23,
      hi: 1 << 5,
    });
  });
});
