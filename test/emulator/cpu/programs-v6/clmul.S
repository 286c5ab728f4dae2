! v6 carry-less multiply: clmull (low 64 bits), clmulh (high 64 bits).
    .include "common.inc"
    START
    {
        addd,0 0, 0x8000000000000001, %r0
        addd,1 0, 0x8000000000000003, %r1
    }
    {
        clmull,0 %r0, %r1, %r2
        clmulh,1 %r0, %r1, %r3
    }
    CHECK %r2, 0x3, 1
    CHECK %r3, 0x4000000000000001, 2
    {
        addd,0 0, -1, %r4
    }
    {
        clmull,0 %r4, %r4, %r5
        clmulh,1 %r4, %r4, %r6
    }
    CHECK %r5, 0x5555555555555555, 3
    CHECK %r6, 0x5555555555555555, 4
    {
        addd,0 0, 0x00000000f0000001, %r7
        addd,1 0, 0x0000000100000000, %r8
    }
    {
        clmull,0 %r7, %r8, %r9
        clmulh,1 %r7, %r8, %r10
        clmull,3 %r7, 0, %r11
    }
    CHECK %r9, 0xf000000100000000, 5
    CHECK %r10, 0, 6
    CHECK %r11, 0, 7
    SUCCEED
    EXITG
