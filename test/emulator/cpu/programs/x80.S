! 80-bit floating point: conversions, arithmetic in extended precision, compare.
    .include "common.inc"
    START
    {
        addd,0 0, 0x3ff0000000000000, %r0     ! 1.0
        addd,1 0, 3, %r1
    }
    {
        fdtofx,0 %r0, %r2                     ! x80 1.0
        istofx,1 %r1, %r3                     ! x80 3.0
    }
    {
        movfi,0 %r2, %r4                      ! exponent word of 1.0 = 0x3fff
    }
    CHECK %r2, 0x8000000000000000, 1
    CHECK %r4, 0x3fff, 2
    {
        fxdivxx,5 %r2, %r3, %r5               ! 1/3 in extended precision
    }
    {
        fxmulxx,0 %r5, %r3, %r6               ! (1/3)*3 = 1 - 2^-64 rounds to 1.0
        fxtofd,1 %r5, %r7
    }
    {
        fxtofd,0 %r6, %r8
    }
    CHECK %r5, 0xaaaaaaaaaaaaaaab, 3
    CHECK %r7, 0x3fd5555555555555, 4
    CHECK %r8, 0x3ff0000000000000, 5
    {
        fxaddxx,0 %r2, %r3, %r9               ! 4.0
    }
    {
        fxtoid,0 %r9, %r10
        fxcmpltxb,1 %r2, %r9, %pred1
    }
    CHECK %r10, 4, 6
    {
        addd,0 0, 7, %g16
        ibranch fail ? ~%pred1
    }
    SUCCEED
    EXITG
