! call/return, argument passing through the window, deep recursion (window spill/fill),
! predicates saved by calls, computed jumps through movtd, ibranch.
    .include "common.inc"
    START
    {
        setbn rsz=3, rbs=4, rcur=0
        disp %ctpr1, add3
    }
    {
        addd,0 0, 5, %b[0]
        addd,1 0, 7, %b[1]
        cmpedb,3 0, 0, %pred3
        call %ctpr1, wbs=4
    }
    CHECK %b[0], 15, 1
    ! %pred3 survives the call even though the callee cleared it
    {
        addd,0 0, 1, %g16
        ibranch fail ? ~%pred3
    }
    ! recursion: sum(n) = n + sum(n-1), depth 200 with 16-register windows
    {
        disp %ctpr1, sum
        addd,0 0, 200, %b[0]
    }
        call %ctpr1, wbs=4
    CHECK %b[0], 20100, 2
    ! computed jump
    {
        addd,0 0, target, %r20
    }
    {
        movtd,0 %r20, %ctpr2
    }
    {
        addd,0 0, 3, %g16
        ct %ctpr2
    }
        ibranch fail
target:
    {
        addd,0 0, 0, %r21
        ibranch 1f
    }
    {
        addd,0 0, 1, %r21
    }
1:
    CHECK %r21, 0, 4
    SUCCEED
    EXITG

add3:
    {
        return %ctpr3
        addd,0 %r0, %r1, %r0
        cmpedb,1 0, 1, %pred3
    }
    {
        addd,0 %r0, 3, %r0
    }
        ct %ctpr3

sum:                              ! %r0 = n
    {
        setwd wsz=12, nfx=1
        setbn rsz=3, rbs=4, rcur=0
        return %ctpr3
        cmpedb,0 %r0, 0, %pred0
    }
        ct %ctpr3 ? %pred0
    {
        disp %ctpr1, sum
        subd,0 %r0, 1, %b[0]
    }
        call %ctpr1, wbs=4
    {
        return %ctpr3
        addd,0 %r0, %b[0], %r0
    }
        ct %ctpr3
