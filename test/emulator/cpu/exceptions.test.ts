/** Architectural exceptions become Linux signals: one diagnostic line, exit 128 + signo. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { build, runElf } from './helpers';
import type { CpuModelId } from '../../../emulator/cpu/models';
import { FLAG_FORMS } from '../../../emulator/cpu/alu-flags';
import { BRANCHD } from '../../../emulator/cpu/alu-special';

const HEAD = `
    .text
    .global _start
_start:
    {
        setwd wsz=16, nfx=1
        addd,0 0, buf, %r0
    }
`;
const TAIL = `
    {
        addd,0 0, 1, %r8
        addd,1 0, 0, %r9
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    .data
    .align 8
buf:
    .quad 0, 0
`;

function run(body: string, cpu: CpuModelId = 'e8c2', iset: 5 | 4 = 5) {
  return runElf(build(HEAD + body + TAIL, iset), { cpu });
}

describe('exceptions', () => {
  test('division by zero → SIGFPE', () => {
    const r = run(`    {\n        udivd,5 %r0, 0, %r1\n    }\n`);
    assert.equal(r.code, 128 + 8);
    assert.match(r.stderr, /SIGFPE .*division by zero.*udivd/);
  });

  test('unmasked FP divide-by-zero → SIGFPE, masked → flag only', () => {
    const body = (pfpfr: string) => `
    {
        rws,0 ${pfpfr}, %pfpfr
        addd,1 0, 0x3ff0000000000000, %r1
    }
    {
        fdivd,5 %r1, 0, %r2
    }
`;
    assert.equal(run(body('0x1f80')).code, 0);
    const r = run(body('0x1d80'));
    assert.equal(r.code, 128 + 8);
    assert.match(r.stderr, /floating-point/);
  });

  test('speculative division by zero gives a tagged zero; using it traps', () => {
    const ok = run(`
    {
        udivd,5,sm %r0, 0, %r1
    }
    {
        gettagd,2 %r1, %r2
    }
    {
        cmpedb,0 %r2, 5, %pred0
    }
    {
        ibranch 1f ? %pred0
    }
    {
        addd,0 %r1, 0, %r3
    }
1:
`);
    assert.equal(ok.code, 0, ok.stderr);
    const bad = run(`
    {
        udivd,5,sm %r0, 0, %r1
    }
    {
        addd,0 %r1, 1, %r3
    }
`);
    assert.equal(bad.code, 128 + 4);
    assert.match(bad.stderr, /SIGILL .*illegal operand/);
  });

  test('cctop of a tagged value: illegal operand, speculative → tagged predicate', () => {
    const bad = run(`
    {
        udivd,5,sm %r0, 0, %r1
    }
    {
        cctope,0 %r1, %pred0
    }
`);
    assert.equal(bad.code, 128 + 4);
    assert.match(bad.stderr, /SIGILL .*illegal operand.*cctope/);
    // ,sm: the predicate is produced (tagged), no trap
    const ok = run(`
    {
        udivd,5,sm %r0, 0, %r1
    }
    {
        cctope,0,sm %r1, %pred0
    }
`);
    assert.equal(ok.code, 0, ok.stderr);
  });

  test('fcmpodsf of a quiet NaN with invalid unmasked → SIGFPE; fcmpudsf does not trap', () => {
    const body = (op: string) => `
    {
        rws,0 0x1f00, %pfpfr
        addd,1 0, 0x7fc00000, %r1
    }
    {
        ${op},0 %r1, %r1, %r2
    }
`;
    const r = run(body('fcmpodsf'));
    assert.equal(r.code, 128 + 8, r.stderr);
    assert.equal(run(body('fcmpudsf')).code, 0);
  });

  test('AAU: misaligned / unmapped staa fault, unmodelled registers are illegal', () => {
    const mis = run(`
    {
        aaurwd,2 %r0, %aad0
        addd,0 0, 4, %r1
    }
    {
        aaurwd,2 %r1, %aasti0
    }
    {
        staad,2 %r1, %aad0 [ %aasti0 ]
    }
`);
    assert.equal(mis.code, 128 + 7, mis.stderr);
    const seg = run(`
    {
        addd,0 0, 0x10, %r1
    }
    {
        aaurwd,2 %r1, %aad0
    }
    {
        staad,2 %r1, %aad0 [ %aasti0 ]
    }
`);
    assert.equal(seg.code, 128 + 11, seg.stderr);
    const ill = run(`
    {
        aaurwd,2 %r0, %aaldi0
    }
`);
    assert.equal(ill.code, 128 + 4, ill.stderr);
  });

  test('AAU prefetch: mova needs a program and a wide enough format; misaligned on v4', () => {
    // a one-area program (left area 0 over buf, format `fmt`), started by bap, then `tail`
    const prog = (fmt: number, tail: string, start = 'bap') => `
    {
        aaurwd,2 %r0, %aad0
        ldisp %ctpr2, 2f
    }
    {
        ${start}
    }
    {
        ibranch 1f
    }
    .align 8
2:
    .word ${(0x80000000 | (fmt << 25)) >>> 0}, 0, 0, 0
1:
${tail}
`;
    const mova = (op: string, ind = 0) =>
      `    {
        ${op},0 area=0, ind=${ind}, am=0, be=0, %r2
    }
    {
        addd,0 %r2, 1, %r3
    }
`;
    assert.equal(run(prog(4, mova('movad'))).code, 0);
    // no program / an ended one / bap without %ctpr2
    assert.equal(run(mova('movab')).code, 128 + 4);
    assert.equal(run(prog(4, '    {\n        eap\n    }\n' + mova('movab'))).code, 128 + 4);
    assert.equal(run('    {\n        bap\n    }\n').code, 128 + 4);
    // elements must be narrower than the format: movah from bytes, movad from words
    assert.equal(run(prog(1, mova('movah'))).code, 128 + 4);
    assert.equal(run(prog(3, mova('movad'))).code, 128 + 4);
    assert.equal(run(prog(2, mova('movah'))).code, 0);
    // misaligned: a diagnostic value on v4 (using it is an illegal operand), fine on v5+
    assert.equal(run(prog(3, mova('movaw', 2)), 'e8c').code, 128 + 4);
    assert.equal(run(prog(3, mova('movaw', 2)), 'e8c2').code, 0);
    // movaqp is v5+
    assert.equal(run(prog(5, mova('movaqp')), 'e8c').code, 128 + 4);
    assert.equal(run(prog(5, mova('movaqp')), 'e16c').code, 0);
  });

  test('stmqp: v5 needs 16-byte alignment unless the mask is empty; unmapped → SIGSEGV', () => {
    const st = (addr: string, mask: string) => `
    {
        addd,0 0, ${addr}, %r1
    }
    {
        stmqp,2 %r0, %r1, ${mask}
    }
`;
    assert.equal(run(st('buf', '0xffff')).code, 0);
    assert.equal(run(st('buf + 8', '0x1')).code, 128 + 7);
    assert.equal(run(st('buf + 8', '0')).code, 0);
    assert.equal(run(st('0x20', '0x1')).code, 128 + 11);
    // speculative: dropped
    assert.equal(run(st('buf + 8', '0x1').replace('stmqp,2', 'stmqp,2,sm')).code, 0);
  });

  test('128-bit ops: a tagged source traps, speculatively it gives a tagged result', () => {
    const body = (sm: string) => `
    {
        ldqp,0,sm [ 0x20 ], %qpr2
    }
    {
        qpshufb,0${sm} %qpr2, %qpr2, %qpr2, %qpr4
    }
    {
        gettagd,2 %r4, %r6
    }
    {
        cmpedb,0 %r6, 0, %pred0
    }
    {
        addd,0 0, 0, %r7
    }
    {
        addd,0 0, 3, %r7 ? %pred0
    }
    {
        sdisp %ctpr1, 0x3
        addd,0 0, 1, %r8
        addd,1 0, %r7, %r9
    }
        call %ctpr1, wbs=4
`;
    assert.equal(run(body('')).code, 128 + 4);
    assert.equal(run(body(',sm')).code, 0);
  });

  test('v6 operations are illegal on a v5 CPU', () => {
    const src = HEAD + '    {\n        qpcext_0x00,0 %r0, %r2\n    }\n' + TAIL;
    assert.equal(runElf(build(src, 6), { cpu: 'e16c' }).code, 0);
    const r = runElf(build(src, 6), { cpu: 'e8c2' });
    assert.equal(r.code, 128 + 4, r.stderr);
  });

  test('unmapped load → SIGSEGV with the address', () => {
    const r = run(`    {\n        ldd,0 [ 0x20 ], %r1\n    }\n`);
    assert.equal(r.code, 128 + 11);
    assert.match(r.stderr, /SIGSEGV .*address 0x20,.*ldd/);
  });

  test('store to read-only text → SIGSEGV', () => {
    const r = run(`    {\n        std,2 %r0, [ _start ]\n    }\n`);
    assert.equal(r.code, 128 + 11);
  });

  test('segment-relative loads/stores: alignment, 32-bit offset wrap, faults, ,sm', () => {
    const ld = (op: string, a: string, b: string) =>
      run(
        `    {\n        addd,0 0, ${a}, %r1\n    }\n    {\n        ${op} %r1, ${b}, %r2\n    }\n`,
      );
    assert.equal(ld('ldcsw,0', 'buf', '4').code, 0);
    const mis = ld('ldgsw,0', 'buf', '2');
    assert.equal(mis.code, 128 + 7, mis.stderr);
    assert.match(mis.stderr, /SIGBUS .*ldgsw/);
    // the high half of src1 is ignored: 0x1_0000_0020 addresses 0x20 (unmapped)
    const seg = ld('ldssd,0', '0x100000020', '0');
    assert.equal(seg.code, 128 + 11, seg.stderr);
    assert.match(seg.stderr, /SIGSEGV .*address 0x20,/);
    assert.equal(ld('ldssd,0,sm', '0x100000020', '0').code, 0);
    const st = run(`    {\n        stfsd,2 %r0, 0x10, 0x10\n    }\n`);
    assert.equal(st.code, 128 + 11, st.stderr);
    assert.equal(run(`    {\n        stfsh,2 %r0, %r0, 1\n    }\n`).code, 128 + 7);
  });

  test('flag-setting forms: tagged source → SIGILL; switched off → illegal opcode', () => {
    const body = `    {\n        adds_fb,0 %r0, 1, %r1\n    }\n`;
    assert.equal(run(body).code, 0);
    const tagged = run(
      `    {\n        ldd,0,sm [ 0x20 ], %r2\n    }\n${body.replace('%r0', '%r2')}`,
    );
    assert.equal(tagged.code, 128 + 4, tagged.stderr);
    assert.match(tagged.stderr, /illegal operand.*adds_fb/);
    FLAG_FORMS.enabled = false;
    try {
      const off = run(body);
      assert.equal(off.code, 128 + 4, off.stderr);
      assert.match(off.stderr, /not implemented/);
    } finally {
      FLAG_FORMS.enabled = true;
    }
  });

  test('AAU pairs: staaq/ldaaq need 16-byte alignment; unmapped → SIGSEGV, ,sm → tagged', () => {
    const pair = (sti: string, op: string) => `
    {
        aaurwd,2 %r0, %aad0
        addd,0 0, ${sti}, %r1
    }
    {
        aaurwd,2 %r1, %aasti0
    }
    {
        ${op}
    }
`;
    const st = 'staaq,2 %qr2, %aad0 [ %aasti0 ]';
    const ld = 'ldaaq,2 %aad0 [ %aasti0 ], %qr2';
    assert.equal(run(pair('0', st)).code, 0);
    assert.equal(run(pair('0', ld)).code, 0);
    assert.equal(run(pair('8', st)).code, 128 + 7);
    assert.equal(run(pair('8', ld)).code, 128 + 7);
    const far = pair('0x100000', ld);
    assert.equal(run(far).code, 128 + 11);
    assert.equal(run(far.replace('ldaaq,2', 'ldaaq,2,sm')).code, 0);
  });

  test('ibranchd/icalld: tagged target, unmapped target, dst switch, v5 CPU', () => {
    const v6 = (body: string, cpu: CpuModelId = 'e16c') =>
      runElf(build(HEAD + body + TAIL, 6), { cpu });
    const jump = (pre: string, op: string) => `${pre}
    {
        ${op}
    }
    {
        addd,0 0, 9, %r9
    }
1:
`;
    const ok = jump('    {\n        addd,0 0, 1f, %r2\n    }', 'ibranchd,0 %r2, %empty');
    assert.equal(v6(ok).code, 0);
    assert.equal(v6(ok, 'e8c2').code, 128 + 4);
    const tagged = jump('    {\n        ldd,0,sm [ 0x20 ], %r2\n    }', 'ibranchd,0 %r2, %empty');
    const t = v6(tagged);
    assert.equal(t.code, 128 + 4, t.stderr);
    assert.match(t.stderr, /illegal operand.*ibranchd/);
    const far = v6(jump('    {\n        addd,0 0, 0x40000, %r2\n    }', 'ibranchd,0 %r2, %empty'));
    assert.equal(far.code, 128 + 11, far.stderr);
    const link = jump('    {\n        addd,0 0, 1f, %r2\n    }', 'ibranchd,0 %r2, %r3');
    assert.equal(v6(link).code, 0);
    BRANCHD.dst = 'illegal';
    try {
      assert.equal(v6(link).code, 128 + 4);
      assert.equal(v6(ok).code, 0);
    } finally {
      BRANCHD.dst = 'link';
    }
  });

  test('operations without a user-mode meaning are illegal opcodes (README list)', () => {
    const ops: [string, 5 | 6][] = [
      ['getpl,0 %r1, %dr2', 5],
      ['getsap,0 %r1, %qr2', 5],
      ['movtrd,0 %dr1, %dr2', 5],
      ['ldrd,0 %dr0, %dr1, %dr2', 5],
      ['strd,2 %dr1, [ %dr0 + %dr1 ]', 5],
      ['vfsi,1 %r1, %dr1, %dr2', 5],
      ['gettc,0 %r1, %dr2', 5],
      ['ldgdw,0 %r0, %r1, %dr2', 5],
      ['ldcsq,0 %dr0, %dr1, %qr2', 5],
      ['ldrqp,0 %dr0, %dr1, %qpr2', 5],
      ['qpcheckd,0 %dr1, %dr1, %dr2', 6],
    ];
    for (const [op, iset] of ops) {
      const r = runElf(build(`${HEAD}    {\n        ${op}\n    }\n${TAIL}`, iset), {
        cpu: iset === 6 ? 'e16c' : 'e8c2',
      });
      assert.equal(r.code, 128 + 4, `${op}: ${r.stderr}`);
      assert.match(r.stderr, /SIGILL/, op);
    }
  });

  test('misaligned load → SIGBUS', () => {
    const r = run(`    {\n        ldd,0 %r0, 4, %r1\n    }\n`);
    assert.equal(r.code, 128 + 7);
  });

  test('register-pair ldq/stq: 16-byte alignment, faults, ISA level', () => {
    // the pair needs 16-byte alignment even though each channel moves 8 bytes
    const mis = run(`    {\n        ldq,0 [ 0x1008 ], %qr2\n    }\n`);
    assert.equal(mis.code, 128 + 7, mis.stderr);
    assert.match(mis.stderr, /SIGBUS/);
    const st = run(`    {\n        stq,2 %qr2, [ 0x1008 ]\n    }\n`);
    assert.equal(st.code, 128 + 7, st.stderr);
    // a store to an unmapped page faults; nothing of the pair is written
    const seg = run(`    {\n        stq,2 %qr2, [ 0x10 ]\n    }\n`);
    assert.equal(seg.code, 128 + 11, seg.stderr);
    // ldq is v5: an e8c (v4) raises illegal-opcode
    const v4 = run(`    {\n        ldq,0 [ %r0 ], %qr2\n    }\n`, 'e8c');
    assert.equal(v4.code, 128 + 4, v4.stderr);
  });

  test('window bounds → SIGSEGV', () => {
    const r = run(`    {\n        addd,0 0, 0, %r40\n    }\n`);
    assert.equal(r.code, 128 + 11);
    assert.match(r.stderr, /window bounds/);
  });

  test('ct through a ctpr cleared by a call → SIGILL', () => {
    const r = run(`
    {
        disp %ctpr2, 1f
    }
    {
        addd,0 0, 20, %r8
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
        ct %ctpr2
1:
`);
    assert.equal(r.code, 128 + 4);
    assert.match(r.stderr, /empty %ctpr2/);
  });

  test('operation absent from the CPU model ISA level → SIGILL', () => {
    const src = `    {\n        getfzd,0 %r0, 0x1000, %r1\n    }\n`;
    assert.equal(run(src, 'e8c2').code, 0);
    const r = run(src, 'e8c');
    assert.equal(r.code, 128 + 4);
  });

  test('tagged value spills and fills keep their tag (movtd)', () => {
    const r = run(`
    {
        ldd,0,sm [ 0x30 ], %r1
    }
    {
        movtd,0 %r1, %r2
    }
    {
        gettagd,2 %r2, %r3
    }
    {
        cmpedb,0 %r3, 5, %pred0
    }
    {
        ibranch 1f ? %pred0
    }
    {
        ldd,0 [ 0x0 ], %r9
    }
1:
`);
    assert.equal(r.code, 0, r.stderr);
  });
});
