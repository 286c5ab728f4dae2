! Predicate logic (PLS: pass/andp/landp/movep), conditional execution (RLP) and merge (MRGC).
    .include "common.inc"
    START
    {
        cmpedb,0 0, 0, %pred0
        cmpedb,1 0, 1, %pred1
    }
    {
        pass %pred0, @p0
        pass %pred1, @p1
        andp @p0, ~@p1, @p4
        pass @p4, %pred2
        landp @p0, @p1, @p5
        pass @p5, %pred3
    }
    {
        addd,0 0, 1, %g16
        ibranch fail ? ~%pred2
    }
    {
        addd,0 0, 2, %g16
        ibranch fail ? %pred3
    }
    {
        addd,0 0, 1, %r0 ? %pred0
        addd,1 0, 1, %r1 ? %pred1
        addd,3 0, 1, %r2 ? ~%pred1
    }
    {
        addd,0 0, 7, %r1 ? %pred1
    }
    CHECK %r0, 1, 3
    CHECK %r2, 1, 4
    {
        addd,0 0, 0, %r1
    }
    {
        addd,0 0, 7, %r1 ? %pred1
    }
    CHECK %r1, 0, 5
    {
        merged,0 %r0, %r2, %r3, %pred0
        merged,1 10, 20, %r4, %pred1
        merged,3 10, 20, %r5, ~%pred1
    }
    CHECK %r4, 10, 6
    CHECK %r5, 20, 7
    ! integer compares
    {
        addd,0 0, -1, %r6
    }
    {
        cmplsb,0 %r6, 0, %pred4
        cmpbdb,1 %r6, 0, %pred5
        cmpandedb,3 %r6, 0, %pred6
    }
    {
        addd,0 0, 8, %g16
        ibranch fail ? ~%pred4
    }
    {
        addd,0 0, 9, %g16
        ibranch fail ? %pred5
    }
    {
        addd,0 0, 10, %g16
        ibranch fail ? ~%pred6
    }
    SUCCEED
    EXITG
