! cctop<c>: conditions on an x86-style flags word (EFLAGS layout: CF 0, PF 2, ZF 6,
! SF 7, OF 11 — our reading) written to a predicate.
    .include "common.inc"

    .macro TRUE p, code
    {
        addd,0 0, \code, %g16
        ibranch fail ? ~\p
    }
    .endm
    .macro FALSE p, code
    {
        addd,0 0, \code, %g16
        ibranch fail ? \p
    }
    .endm

    START
    {
        addd,0 0, 0x0841, %r0
        addd,1 0, 0x0084, %r1
    }
    ! OF | ZF | CF
    {
        cctopo,0 %r0, %pred0
        cctopb,3 %r0, %pred1
    }
    {
        cctope,0 %r0, %pred2
        cctops,3 %r0, %pred3
    }
    {
        cctopl,0 %r0, %pred4
        cctopp,3 %r0, %pred5
    }
    TRUE %pred0, 1
    TRUE %pred1, 2
    TRUE %pred2, 3
    FALSE %pred3, 4
    TRUE %pred4, 5
    FALSE %pred5, 6
    ! SF | PF
    {
        cctopbe,0 %r1, %pred0
        cctople,3 %r1, %pred1
    }
    {
        cctopl,0 %r1, %pred2
        cctopp,3 %r1, %pred3
    }
    {
        cctopo,0 %r1, %pred4
        cctops,3 %r1, %pred5
    }
    FALSE %pred0, 7
    TRUE %pred1, 8
    TRUE %pred2, 9
    TRUE %pred3, 10
    FALSE %pred4, 11
    TRUE %pred5, 12
    ! SF and OF both set: not less
    {
        addd,0 0, 0x0880, %r2
    }
    {
        cctopl,0 %r2, %pred0
        cctople,3 %r2, %pred1
    }
    FALSE %pred0, 13
    FALSE %pred1, 14
    SUCCEED
    EXITG
