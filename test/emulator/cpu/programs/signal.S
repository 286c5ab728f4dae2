! rt_sigaction + kill: the handler runs as a procedure (%r0 = signo) and returns through
! sigreturn, a SIGSEGV handler then ends the program with exit(42 + checks).
    .include "common.inc"
    START
    {
        addd,0 0, 174, %r8            ! rt_sigaction(SIGUSR1, &act, 0, 8)
        addd,1 0, 10, %r9
        addd,2 0, act, %r10
        addd,3 0, 0, %r11
        addd,4 0, 8, %r12
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    {
        addd,0 0, 55, %r20
        addd,1 0, 37, %r8             ! kill(0, SIGUSR1)
        addd,2 0, 0, %r9
        addd,3 0, 10, %r10
        addd,4 0, 0, %g17
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    CHECK %g17, 10, 1                 ! handler saw signo 10
    CHECK %r20, 55, 2                 ! interrupted window intact
    {
        addd,0 0, 174, %r8            ! rt_sigaction(SIGSEGV, &act2, 0, 8)
        addd,1 0, 11, %r9
        addd,2 0, act2, %r10
        addd,3 0, 0, %r11
        addd,4 0, 8, %r12
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=4
    {
        ldd,0 [ 0x18 ], %r0           ! faults -> segv handler
    }
    {
        addd,0 0, 3, %g16
        ibranch fail
    }
    EXITG

handler:
    {
        setwd wsz=8, nfx=1
        return %ctpr3
        addd,0 %r0, 0, %g17
    }
        ct %ctpr3

segv:
    {
        setwd wsz=8, nfx=1
        addd,0 0, 1, %r4
        addd,1 %r0, 31, %r5           ! 11 + 31 = 42
        sdisp %ctpr1, 0x3
    }
        call %ctpr1, wbs=2

    .data
    .align 8
act:
    .quad handler, 0, 0, 0
act2:
    .quad segv, 0, 0, 0
