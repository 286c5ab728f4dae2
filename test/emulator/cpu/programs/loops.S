! Hardware loops: LSR counters with alc and #NOT_LOOP_END (example 4), epilogue counter,
! based-register rotation with abn, rotating predicates with abp, loop_mode stores.
    .include "common.inc"
    START
    {
        rwd,0 (1 << 37) | 5, %lsr
        addd,1 0, 0, %r0
        disp %ctpr1, .Lbody
    }
.Lbody:
    {
        addd,0 %r0, 2, %r0
        alc alcf=1, alct=1
        ct %ctpr1 ? #NOT_LOOP_END
    }
    CHECK %r0, 10, 1
    ! lcnt=8, ecnt=2 -> 10 iterations
    {
        rwd,0 (2 << 32) | (1 << 37) | 8, %lsr
        addd,1 0, 0, %r0
        disp %ctpr1, .Lbody2
    }
.Lbody2:
    {
        addd,0 %r0, 1, %r0
        alc alcf=1, alct=1
        ct %ctpr1 ? #NOT_LOOP_END
    }
    CHECK %r0, 10, 2
    ! rotation: after one abn, old %b[0] reads as %b[2]
    {
        setbn rsz=3, rbs=8, rcur=0
    }
    {
        addd,0 0, 42, %b[0]
        addd,1 0, 43, %b[7]
    }
    {
        abn abnf=1, abnt=1
    }
    {
        addd,0 %b[2], 0, %r1
        addd,1 %b[1], 0, %r2
    }
    CHECK %r1, 42, 3
    CHECK %r2, 43, 4
    ! rotating predicates: after abp, old %pred0 is %pred1
    {
        setbp psz=3
    }
    {
        cmpedb,0 0, 0, %pred0
        cmpedb,1 0, 1, %pred1
    }
    {
        abp abpf=1, abpt=1
    }
    {
        addd,0 0, 5, %g16
        ibranch fail ? ~%pred1
    }
    ! loop_mode: stores suppressed while pcnt != 0 (prologue): lcnt=4, pcnt=2
    {
        rwd,0 (2 << 48) | (1 << 37) | 4, %lsr
        addd,1 0, 0, %r3
        addd,2 0, cnt, %r4
        disp %ctpr1, .Lbody3
    }
.Lbody3:
    {
        loop_mode
        addd,0 %r3, 1, %r3
        stw,2 %r3, [ %r4 ]
        alc alcf=1, alct=1
        ct %ctpr1 ? #NOT_LOOP_END
    }
    {
        ldw,0 [ cnt ], %r5
    }
    CHECK %r3, 4, 6
    CHECK %r5, 2, 7
    SUCCEED
    EXITG
    .data
    .align 8
cnt:
    .word 0
    .word 0
