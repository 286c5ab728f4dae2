! Basic binary32/binary64 arithmetic, conversions and compares.
    .include "common.inc"
    START
    {
        addd,0 0, 0x3ff8000000000000, %r0     ! 1.5
    }
    {
        addd,0 0, 0x4004000000000000, %r1     ! 2.5
    }
    {
        faddd,0 %r0, %r1, %r2
        fmuld,1 %r0, %r1, %r3
        fsubd,3 %r0, %r1, %r4
    }
    CHECK %r2, 0x4010000000000000, 1       ! 4.0
    CHECK %r3, 0x400e000000000000, 2       ! 3.75
    CHECK %r4, 0xbff0000000000000, 3       ! -1.0
    {
        fdtoid,0 %r3, %r5
        fdtoidtr,1 %r3, %r6
        istofd,3 7, %r7
    }
    CHECK %r5, 4, 4
    CHECK %r6, 3, 5
    CHECK %r7, 0x401c000000000000, 6
    {
        adds,0 0, 0x3fc00000, %r11
    }
    {
        fadds,0 %r11, 0x40200000, %r8    ! 1.5f + 2.5f
        fcmpltdb,1 %r0, %r1, %pred0
    }
    CHECK %r8, 0x40800000, 7
    {
        addd,0 0, 8, %g16
        ibranch fail ? ~%pred0
    }
    {
        fdivd,5 %r1, %r0, %r9
    }
    {
        fdtofs,0 %r9, %r10
    }
    CHECK %r10, 0x3fd55555, 9
    ! rounding modes (%pfpfr rc, bits 14:13) and the sticky inexact flag (bit 5)
    {
        addd,0 0, 0x3ff0000000000000, %r11    ! 1.0
        addd,1 0, 3, %r12
    }
    {
        istofd,0 %r12, %r12
    }
    {
        rws,0 0x5f80, %pfpfr                  ! round up, all masked
    }
    {
        fdivd,5 %r11, %r12, %r13
    }
    CHECK %r13, 0x3fd5555555555556, 10
    {
        rws,0 0x3f80, %pfpfr                  ! round down
    }
    {
        fdivd,5 %r11, %r12, %r14
    }
    {
        rrs,0 %pfpfr, %r15
    }
    CHECK %r14, 0x3fd5555555555555, 11
    {
        andd,0 %r15, 0x20, %r15
    }
    CHECK %r15, 0x20, 12
    SUCCEED
    EXITG
