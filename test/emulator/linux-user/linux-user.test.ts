/** Linux user-mode layer: loader checks, initial stack, system calls, signals. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cpuModel } from '../../../emulator/cpu/models';
import { Memory } from '../../../emulator/cpu/memory';
import { LinuxProcess } from '../../../emulator/linux-user/linux-process';
import { loadElf, LoadError } from '../../../emulator/linux-user/loader';
import { build, buildFile, memHost, runElf } from '../cpu/helpers';

const EXIT = `
    {
        addd,0 0, 1, %r8
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
`;

describe('loader', () => {
  test('maps segments with their permissions and reports entry/brk', () => {
    const mem = new Memory();
    const img = loadElf(buildFile('hello.S'), mem);
    assert.equal(img.entry, 0x10000);
    assert.ok(img.brk > 0x10000);
    assert.equal(mem.read32(0x10000) !== 0, true);
  });

  test('rejects wrong machine, ET_DYN, PT_INTERP and garbage', () => {
    const exe = buildFile('hello.S');
    const bad = (patch: (b: Uint8Array) => void, re: RegExp) => {
      const b = exe.slice();
      patch(b);
      assert.throws(
        () => loadElf(b, new Memory()),
        (e: unknown) => e instanceof LoadError && re.test(e.message),
      );
    };
    bad((b) => (b[18] = 3), /wrong machine/);
    bad((b) => (b[16] = 3), /dynamic/);
    bad((b) => {
      // turn the first program header into PT_INTERP
      const phoff = Number(new DataView(b.buffer).getBigUint64(32, true));
      b[phoff] = 3;
    }, /dynamically linked/);
    assert.throws(() => loadElf(exe.subarray(0, 40), new Memory()), LoadError);
    assert.throws(() => loadElf(new Uint8Array(200), new Memory()), LoadError);
  });
});

describe('process', () => {
  test('argc/argv/envp on the initial stack at %usd.lo', () => {
    const exe = build(`
    .text
    .global _start
_start:
    {
        setwd wsz=8, nfx=1
        rrd,0 %usd.lo, %r0
    }
    {
        ldd,0 [ %r0 ], %r9         ! argc
        ldd,2 %r0, 16, %r1         ! argv[1]
    }
    {
        ldb,0 [ %r1 ], %r2         ! argv[1][0]
    }
    {
        addd,0 %r9, %r2, %r9       ! argc + 'A'
    }
${EXIT}`);
    const r = runElf(exe, { argv: ['prog', 'A', 'b'] });
    assert.equal(r.code, 3 + 65);
  });

  test('brk, mmap/munmap, unknown syscall → -ENOSYS', () => {
    const exe = build(`
    .text
    .global _start
_start:
    {
        setwd wsz=16, nfx=1
        addd,0 0, 999, %r8
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    {
        addd,0 %r8, 0, %r20        ! -38
        addd,1 0, 90, %r8          ! mmap(0, 8192, RW, PRIVATE|ANON, -1, 0)
        addd,2 0, 0, %r9
        addd,3 0, 8192, %r10
        addd,4 0, 3, %r11
        addd,5 0, 0x22, %r12
        sdisp %ctpr1, 0x3
    }
    {
        addd,0 0, -1, %r13
        addd,1 0, 0, %r14
    }
        call %ctpr1, wbs=4
    {
        addd,0 0, 77, %r1
    }
    {
        std,2 %r1, [ %r8 + 4096 ]
    }
    {
        ldd,0 %r8, 4096, %r2
    }
    {
        subd,0 0, %r20, %r9
    }
    {
        addd,0 %r9, %r2, %r9       ! 38 + 77
    }
    {
        addd,0 0, 1, %r8
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
`);
    const r = runElf(exe, { strace: true });
    assert.equal(r.code, 115, r.stderr);
  });

  test('openat/read/lseek/fstat/writev/close through the injected host', () => {
    const exe = build(`
    .text
    .global _start
_start:
    {
        setwd wsz=16, nfx=1
        addd,0 0, 335, %r8         ! openat(AT_FDCWD, path, O_RDONLY)
        addd,1 0, -100, %r9
        addd,3 0, 0, %r11
        sdisp %ctpr1, 0x3
    }
    {
        addd,2 0, path, %r10
    }
        call %ctpr1, wbs=4
    {
        addd,0 %r8, 0, %r20        ! fd
        addd,1 0, 3, %r8           ! read(fd, buf, 5)
        addd,2 %r8, 0, %r9
        addd,4 0, 5, %r11
        sdisp %ctpr1, 0x3
    }
    {
        addd,0 0, buf, %r10
    }
        call %ctpr1, wbs=4
    {
        addd,0 0, 146, %r8         ! writev(1, iov, 1)
        addd,1 0, 1, %r9
        addd,3 0, 1, %r11
        sdisp %ctpr1, 0x3
    }
    {
        addd,0 0, iov, %r10
    }
        call %ctpr1, wbs=4
    {
        addd,0 0, 108, %r8         ! fstat(fd, st)
        addd,1 %r20, 0, %r9
        sdisp %ctpr1, 0x3
    }
    {
        addd,0 0, st, %r10
    }
        call %ctpr1, wbs=4
    {
        addd,0 0, 19, %r8          ! lseek(fd, 0, SEEK_END)
        addd,1 %r20, 0, %r9
        addd,2 0, 0, %r10
        addd,3 0, 2, %r11
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    {
        addd,0 %r8, 0, %r21        ! 11
        addd,1 0, 6, %r8           ! close(fd)
        addd,2 %r20, 0, %r9
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    {
        ldd,0 [ st + 48 ], %r22    ! st_size
    }
    {
        addd,0 0, 1, %r8
        addd,1 %r21, %r22, %r9     ! 11 + 11
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    .data
    .align 8
path:
    .asciz "/data.txt"
    .align 8
buf:
    .quad 0
iov:
    .quad buf, 5
st:
    .fill 144, 1, 0
`);
    const r = runElf(exe, { files: { '/data.txt': 'hello world' } });
    assert.equal(r.stdout, 'hello');
    assert.equal(r.code, 22, r.stderr);
  });

  test('SIGSEGV handler gets siginfo with the fault address; sigaltstack + SA_ONSTACK', () => {
    const exe = build(`
    .text
    .global _start
_start:
    {
        setwd wsz=16, nfx=1
        addd,0 0, 186, %r8         ! sigaltstack(&ss, 0)
        addd,2 0, 0, %r10
        sdisp %ctpr1, 0x3
    }
    {
        addd,0 0, ss, %r9
    }
        call %ctpr1, wbs=4
    {
        addd,0 0, 174, %r8         ! rt_sigaction(SIGSEGV, &act, 0, 8)
        addd,1 0, 11, %r9
        addd,3 0, 0, %r11
        addd,4 0, 8, %r12
        sdisp %ctpr1, 0x3
    }
    {
        addd,0 0, act, %r10
    }
        call %ctpr1, wbs=4
    {
        ldd,0 [ 0x1230 ], %r0
    }
handler:                           ! %r0 signo, %r1 siginfo*, %r2 ucontext*
    {
        setwd wsz=8, nfx=1
        ldd,2 %r1, 16, %r3         ! si_addr
        rrd,0 %usd.lo, %r4         ! handler stack pointer
    }
    {
        addd,0 0, altstk, %r5
    }
    {
        addd,0 %r5, 8192, %r7
    }
    {
        cmpbdb,0 %r4, %r5, %pred0  ! below the alternate stack?
        cmpbdb,1 %r7, %r4, %pred1  ! above it?
        subd,2 %r3, 0x1200, %r6    ! 0x30
    }
    {
        addd,0 0, 1, %r8
        addd,1 %r6, %r0, %r9       ! 0x30 + 11 = 59
        sdisp %ctpr1, 0x3
    }
    {
        addd,0 0, 99, %r9 ? %pred0
        addd,1 0, 98, %r9 ? %pred1
    }
        call %ctpr1, wbs=4
    .data
    .align 8
act:
    .quad handler, 0x0c000004, 0, 0    ! SA_SIGINFO | SA_ONSTACK | SA_RESTORER-like bit
ss:
    .quad altstk, 0, 8192
    .align 16
altstk:
    .fill 8192, 1, 0
`);
    const r = runElf(exe);
    assert.equal(r.code, 59, r.stderr);
  });

  test('readv from stdin, ioctl → -ENOTTY, getcwd', () => {
    const exe = build(`
    .text
    .global _start
_start:
    {
        setwd wsz=16, nfx=1
        addd,0 0, 145, %r8         ! readv(0, iov, 1)
        addd,1 0, 0, %r9
        addd,3 0, 1, %r11
        sdisp %ctpr1, 0x3
    }
    {
        addd,0 0, iov, %r10
    }
        call %ctpr1, wbs=4
    {
        addd,0 %r8, 0, %r20        ! 3
        addd,1 0, 54, %r8          ! ioctl(1, TCGETS, 0)
        addd,2 0, 1, %r9
        addd,3 0, 0x5401, %r10
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    {
        subd,0 0, %r8, %r21        ! 25
        addd,1 0, 183, %r8         ! getcwd(buf, 16)
        addd,3 0, 16, %r10
        sdisp %ctpr1, 0x3
    }
    {
        addd,0 0, buf, %r9
    }
        call %ctpr1, wbs=4
    {
        ldb,0 [ buf ], %r22        ! '/'
        ldb,2 [ buf + 1 ], %r23    ! 'b' kept? no: NUL
    }
    {
        addd,0 %r20, %r21, %r24
    }
    {
        addd,0 %r24, %r22, %r24    ! 3 + 25 + 47 = 75
    }
    {
        addd,0 0, 1, %r8
        addd,1 %r24, %r23, %r9
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    .data
    .align 8
buf:
    .quad 0, 0
iov:
    .quad buf, 3
`);
    const r = runElf(exe, { stdin: 'abcdef' });
    assert.equal(r.code, 75, r.stderr);
  });

  test('unhandled SIGSEGV prints one line with the disassembled bundle', () => {
    const exe = build(`
    .text
    .global _start
_start:
    {
        setwd wsz=8, nfx=1
    }
    {
        stw,2 %r0, [ 0x40 ]
    }
${EXIT}`);
    const r = runElf(exe);
    assert.equal(r.code, 139);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /SIGSEGV .*address 0x40, bundle 0x10010: stw,2/);
  });
});

test('random code under the runner always ends with an exit status, never a JS exception', () => {
  const exe = buildFile('hello.S');
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 16, maxLength: 512 }),
      fc.integer({ min: 0, max: 3 }),
      (code, setup) => {
        const p = new LinuxProcess(exe, { model: cpuModel('e16c'), argv: ['x'], host: memHost() });
        // keep the first bundle (setwd) sometimes, so more random bundles get past the window checks
        p.mem.writeBytes(0x10000 + (setup ? 16 : 0), code, true);
        const status = p.run(3000);
        assert.equal(typeof status, 'number');
      },
    ),
    { numRuns: 200 },
  );
});
