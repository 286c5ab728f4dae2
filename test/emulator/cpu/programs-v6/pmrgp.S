! pmrgp (v6): merge of packed registers by an MRGC predicate (QEMU gen_merged):
! dst = pred ? src2 : src1.
    .include "common.inc"
    START
    {
        addd,0 0, 0x1111222233334444, %r0
        addd,1 0, 0x5555666677778888, %r1
    }
    {
        cmpesb,0 0, 0, %pred0
        cmpesb,1 0, 1, %pred1
    }
    {
        pmrgp,0 %r0, %r1, %r2, %pred0
        pmrgp,1 %r0, %r1, %r3, %pred1
        pmrgp,3 %r0, %r1, %r4, ~%pred1
    }
    CHECK %r2, 0x5555666677778888, 1
    CHECK %r3, 0x1111222233334444, 2
    CHECK %r4, 0x5555666677778888, 3
    SUCCEED
    EXITG
