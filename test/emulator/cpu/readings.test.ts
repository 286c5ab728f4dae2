/**
 * Switchable readings of semantics the ISA docs leave open (emulator/cpu/README.md): each
 * switch changes behaviour exactly where documented. (FLAG_FORMS and BRANCHD are covered
 * in exceptions.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build, runElf } from './helpers';
import { CCTOP } from '../../../emulator/cpu/alu-int';

// exit status = 2·cctopl + cctople of the flag word in %r1
const prog = (flags: string) => `
    .text
    .global _start
_start:
    {
        setwd wsz=16, nfx=1
        addd,0 0, ${flags}, %r1
    }
    {
        cctopl,0 %r1, %pred0
        cctople,3 %r1, %pred1
        addd,1 0, 0, %r9
    }
    {
        addd,0 %r9, 2, %r9 ? %pred0
    }
    {
        addd,0 %r9, 1, %r9 ? %pred1
    }
    {
        addd,0 0, 1, %r8
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
`;

test('cctop l/le: x86 conditions by default, QEMU mask test when switched', () => {
  const run = (flags: string) => runElf(build(prog(flags))).code;
  // SF and OF both set: x86 "less" is false (SF = OF), QEMU's mask test is true
  assert.equal(run('0x880'), 0);
  assert.equal(run('0x80'), 3);
  CCTOP.mode = 'mask';
  try {
    assert.equal(run('0x880'), 3);
    assert.equal(run('0x80'), 3);
    assert.equal(run('0'), 0);
  } finally {
    CCTOP.mode = 'x86';
  }
});
