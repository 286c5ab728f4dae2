! ibranchd / icalld (v6): a transfer to the address in src2 (register or literal) under the
! SS condition; icalld is a call with wbs. A non-empty destination receives the address of
! the next bundle (our reading of the undocumented field, emulator/cpu/README.md).
    .include "common.inc"
    START
    {
        addd,0 0, t1, %r0
        addd,1 0, t2, %r1
    }
    {
        addd,3 0, add3, %r2
    }
    {
        addd,1 0, 1, %g16
        ibranchd,0 %r0, %empty
    }
        ibranch fail
t1:
    ! condition false: falls through
    {
        cmpedb,0 0, 1, %pred0
    }
    {
        ibranchd,0 %r1, %empty ? %pred0
    }
    {
        addd,0 0, 7, %r5
    }
    CHECK %r5, 7, 2
    ! condition true, the destination gets the return point (the next bundle)
    {
        cmpedb,0 0, 0, %pred1
    }
    {
        ibranchd,0 %r1, %r6 ? %pred1
    }
after:
    {
        addd,0 0, 3, %g16
        ibranch fail
    }
t2:
    CHECK %r6, after, 4
    ! icalld: a call with wbs=4; the callee returns through %ctpr3 to the next bundle
    {
        addd,0 0, 5, %r8
        addd,1 0, 7, %r9
    }
    {
        icalld,0 wbs=4, %r2, %empty
    }
    CHECK %r8, 15, 5
    ! a literal target
    {
        addd,1 0, 6, %g16
        ibranchd,0 t3, %empty
    }
        ibranch fail
t3:
    SUCCEED
    EXITG

add3:
    {
        return %ctpr3
        addd,0 %r0, %r1, %r0
    }
    {
        addd,0 %r0, 3, %r0
    }
        ct %ctpr3
