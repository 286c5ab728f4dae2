! Loads and stores of every size and addressing form; little-endian, speculative loads.
    .include "common.inc"
    START
    {
        addd,0 0, buf, %r0
        addd,1 0, 0x1122334455667788, %r1
    }
    {
        std,2 %r1, [ %r0 ]
        stw,5 %r1, 8, buf
    }
    {
        sth,2 %r1, [ %r0 + 12 ]
        stb,5 %r1, [ buf + 14 ]
    }
    {
        ldd,0 [ %r0 ], %r2
        ldw,2 %r0, 4, %r3
        ldh,3 [ buf + 2 ], %r4
        ldb,5 0, [ buf + 7 ], %r5
    }
    CHECK %r2, 0x1122334455667788, 1
    CHECK %r3, 0x11223344, 2
    CHECK %r4, 0x5566, 3
    CHECK %r5, 0x11, 4
    {
        ldd,0 [ buf + 8 ], %r6
    }
    CHECK %r6, 0x0088778855667788, 5
    ! a speculative load from an unmapped address gives the tagged 0x4afafafa4afafafa
    {
        ldd,0,sm [ 0x10 ], %r7
    }
    {
        gettagd,2 %r7, %r8
        movtd,0 %r7, %r9
    }
    CHECK %r8, 5, 6
    ! store predicated off does nothing
    {
        cmpedb,0 %r0, 0, %pred1
    }
    {
        std,2 %r0, [ buf + 16 ] ? %pred1
    }
    {
        ldd,0 [ buf + 16 ], %r10
    }
    CHECK %r10, 0, 7
    ! data stack: getsp allocates on the user stack
    {
        getsp,0 -32, %r11
    }
    {
        std,2 %r1, [ %r11 ]
    }
    {
        ldd,0 [ %r11 ], %r12
    }
    CHECK %r12, 0x1122334455667788, 8
    SUCCEED
    EXITG
    .data
    .align 8
buf:
    .quad 0, 0, 0, 0
