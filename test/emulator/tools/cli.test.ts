/** The three command-line tools as processes: exit codes, messages, files. */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'e2k-tools-'));

// The tools are bundled once with esbuild (as `npm run build` does) so each run starts fast.
before(async () => {
  await build({
    entryPoints: ['e2k-as', 'e2k-ld', 'e2k-objdump'].map((t) =>
      join(root, 'emulator/tools', `${t}.ts`),
    ),
    outdir: join(dir, 'bin'),
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
});

function run(tool: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'bin', `${tool}.cjs`), ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

writeFileSync(
  join(dir, 'start.s'),
  `.include "defs.inc"
  .global _start
_start:
  { setwd wsz=8, nfx=1 ; disp %ctpr1, entry ; nop 4 }
  call %ctpr1, wbs=4
.if FLAG
  addd,0 0, VALUE, %dr8
.endif
`,
);
mkdirSync(join(dir, 'inc'), { recursive: true });
writeFileSync(join(dir, 'inc/defs.inc'), 'VALUE = 0x1234\n');
writeFileSync(
  join(dir, 'lib.s'),
  '.global entry\nentry:\n  return %ctpr3\n  ct %ctpr3\n.data\n.quad entry\n',
);
writeFileSync(join(dir, 'bad.s'), '  nop\n  .bogus 1\n  addd,0 0, (1 +, %dr8\n');

describe('e2k-as', () => {
  test('--help', () => {
    const r = run('e2k-as', ['--help']);
    assert.equal(r.code, 0);
    assert.match(r.out, /^Usage: e2k-as/);
  });
  test('bad flags: one line on stderr, exit 2', () => {
    const r = run('e2k-as', ['--frobnicate', 'x.s']);
    assert.equal(r.code, 2);
    assert.equal(r.err, "e2k-as: unknown option '--frobnicate' (try 'e2k-as --help')\n");
    assert.equal(run('e2k-as', ['-mcpu=elbrus-v9', 'x.s']).code, 2);
    assert.equal(run('e2k-as', []).code, 2);
  });
  test('assembly errors: every error with caret, exit 1, no stack trace', () => {
    const r = run('e2k-as', ['-o', 'bad.o', 'bad.s']);
    assert.equal(r.code, 1);
    assert.match(r.err, /^bad\.s:2:3: error: unknown directive '\.bogus'\n {2}\.bogus 1\n {2}\^\n/);
    assert.match(r.err, /bad\.s:3:\d+: error: /);
    assert.match(r.err, /2 errors; no output written/);
    assert.doesNotMatch(r.err, /\n\s+at /);
  });
  test('missing input file: exit 1', () => {
    const r = run('e2k-as', ['nope.s']);
    assert.equal(r.code, 1);
    assert.equal(r.err, 'e2k-as: nope.s: No such file\n');
  });
  test('-I, -D, -mcpu, -al listing', () => {
    const r = run('e2k-as', [
      '-I',
      'inc',
      '-D',
      'FLAG=1',
      '-mcpu=elbrus-v6',
      '-al',
      '-o',
      'start.o',
      'start.s',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^\s+7 0020 [0-9a-f]{16}\s+addd,0 0, VALUE, %dr8$/m);
    const obj = readFileSync(join(dir, 'start.o'));
    assert.equal(obj[0x33], 6, 'e_flags bits 31:24 = ISA level');
    assert.equal(run('e2k-as', ['-I', 'inc', '--iset', '6', '-o', 'lib.o', 'lib.s']).code, 0);
  });
});

describe('e2k-as warnings, listing file, stdin', () => {
  test('-W, --fatal-warnings, -al=FILE, - for standard input', () => {
    writeFileSync(join(dir, 'warn.s'), '.warning "careful"\n  nop\n');
    const w = run('e2k-as', ['-o', 'w.o', 'warn.s']);
    assert.equal(w.code, 0);
    assert.equal(w.err, 'warn.s:1:1: warning: careful\n.warning "careful"\n^\n');
    assert.equal(run('e2k-as', ['-W', '-o', 'w.o', 'warn.s']).err, '');
    const f = run('e2k-as', ['--fatal-warnings', '-o', 'w.o', 'warn.s']);
    assert.equal(f.code, 1);
    assert.match(f.err, /1 error; no output written/);
    assert.equal(run('e2k-as', ['-al=w.lst', '-o', 'w.o', 'warn.s']).code, 0);
    assert.match(readFileSync(join(dir, 'w.lst'), 'utf8'), /^ {4}2 0000 0000000000000000 {4}nop$/m);
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'e2k-as.cjs'), '-o', 'stdin.o', '-'], {
      cwd: dir,
      input: '.data\n.byte 1, 2\n',
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(run('e2k-objdump', ['-h', 'stdin.o']).out, /\.data\s+00000002/);
  });
});

describe('e2k-as with the C preprocessor (.S)', () => {
  test('#include, #define, -D macro values, __iset__', () => {
    writeFileSync(join(dir, 'inc/ops.h'), '#define DST %r3\n');
    writeFileSync(
      join(dir, 'p.S'),
      '#include "ops.h"\n#if __iset__ >= 5\n  { OP,0 %r1, %r2, DST }\n#else\n#error too old\n#endif\n',
    );
    const r = run('e2k-as', ['-I', 'inc', '-DOP=adds', '-mcpu=elbrus-v5', '-o', 'p.o', 'p.S']);
    assert.equal(r.code, 0, r.err);
    assert.match(run('e2k-objdump', ['-d', 'p.o']).out, /adds,0 %r1, %r2, %r3/);
    const old = run('e2k-as', ['-I', 'inc', '-DOP=adds', '-mcpu=elbrus-v3', '-o', 'p.o', 'p.S']);
    assert.equal(old.code, 1);
    assert.match(old.err, /^p\.S:5:1: error: #error too old\n/);
  });
});

describe('e2k-ld and e2k-objdump', () => {
  test('link, then dump', () => {
    assert.equal(
      run('e2k-as', ['-I', 'inc', '-D', 'FLAG', '--iset=6', '-o', 'start.o', 'start.s']).code,
      0,
    );
    assert.equal(run('e2k-as', ['--iset', '6', '-o', 'lib.o', 'lib.s']).code, 0);
    const l = run('e2k-ld', ['-Ttext', '0x20000', '-o', 'prog', 'start.o', 'lib.o']);
    assert.equal(l.code, 0, l.err);
    const d = run('e2k-objdump', ['-d', 'prog']);
    assert.equal(d.code, 0, d.err);
    assert.match(d.out, /0000000000020000 <_start>:/);
    assert.match(d.out, /disp %ctpr1, 0x20030/);
    assert.match(d.out, /addd,0 0x0, _f16s 0x1234, %dr8/);
    const x = run('e2k-objdump', ['-x', 'prog']);
    assert.match(x.out, /start address 0x0000000000020000/);
    assert.match(x.out, /LOAD off\s+0x0000000000001000 vaddr 0x0000000000020000/);
    assert.match(x.out, /flags r-x/);
    const rt = run('e2k-objdump', ['-rt', 'start.o']);
    assert.match(rt.out, /R_E2K_DISP\s+entry\+0x0000000000000004/);
    assert.match(rt.out, /SYMBOL TABLE:/);
    assert.match(run('e2k-objdump', ['-h', 'lib.o']).out, /\.data\s+00000008/);
  });
  test('raw binary output', () => {
    const l = run('e2k-ld', [
      '--oformat',
      'binary',
      '-Ttext=0x1000',
      '-e',
      'entry',
      '-o',
      'rom.bin',
      'lib.o',
    ]);
    assert.equal(l.code, 0, l.err);
    const rom = readFileSync(join(dir, 'rom.bin'));
    // code at 0x1000 (16 bytes), .data on the next page holding `.quad entry`
    assert.equal(rom.length, 0x1000 + 8);
    assert.equal(rom.readBigUInt64LE(0x1000), 0x1000n);
  });
  test('linker script', () => {
    writeFileSync(
      join(dir, 'fw.ld'),
      'ENTRY(entry)\nSECTIONS {\n  . = 0x80000000;\n  .text : { *(.text) }\n  .data : { *(.data) }\n}\n',
    );
    const l = run('e2k-ld', ['-T', 'fw.ld', '-o', 'fw', 'lib.o']);
    assert.equal(l.code, 0, l.err);
    assert.match(run('e2k-objdump', ['-x', 'fw']).out, /start address 0x0000000080000000/);
  });
  test('link errors: exit 1 with the symbol and object named', () => {
    const l = run('e2k-ld', ['-o', 'x', 'start.o']);
    assert.equal(l.code, 1);
    assert.equal(l.err, "e2k-ld: error: undefined symbol 'entry' (referenced from start.o)\n");
    assert.equal(run('e2k-ld', ['-Ttext', 'zzz', 'start.o']).code, 2);
  });
  test('objdump: corrupt input is exit 1 with a message; usage errors exit 2', () => {
    writeFileSync(join(dir, 'junk.o'), Buffer.from('\x7fELF\x02\x01\x01junk'));
    const r = run('e2k-objdump', ['-d', 'junk.o']);
    assert.equal(r.code, 1);
    assert.equal(
      r.err,
      'e2k-objdump: junk.o: file too short for an ELF header (11 bytes, need 64) (at offset 0x0)\n',
    );
    assert.equal(run('e2k-objdump', ['-q', 'prog']).code, 2);
    assert.equal(run('e2k-objdump', ['prog']).code, 2);
  });
});
