! stmqp (v5): the bytes of a 128-bit value selected by a 16-bit mask are stored at src1;
! the rest of the quad keeps its old contents.
    .include "common.inc"
    START
    {
        addd,0 0, 0x7766554433221100, %r0
        addd,1 0, 0xffeeddccbbaa9988, %r1
    }
    {
        addd,0 0, mem, %r2
        qppackdl,1 %r1, %r0, %qpr4
    }
    {
        stmqp,2 %qpr4, %r2, 0xaa55
    }
    {
        ldd,0 [ %r2 ], %r6
        ldd,2 [ %r2 + 8 ], %r7
    }
    CHECK %r6, 0x0066004400220000, 1
    CHECK %r7, 0xff00dd00bb009900, 2
    {
        stmqp,2 %qpr4, %r2, 0x55aa
    }
    {
        ldd,0 [ %r2 ], %r6
        ldd,2 [ %r2 + 8 ], %r7
    }
    CHECK %r6, 0x7766554433221100, 3
    CHECK %r7, 0xffeeddccbbaa9988, 4
    ! the mask from a register, channel 5: bytes 0 and 15 over a filled quad
    {
        addd,0 %r2, 16, %r3
        addd,1 0, 0x8001, %r9
    }
    {
        stmqp,5 %qpr4, %r3, %r9
    }
    {
        ldd,0 [ %r3 ], %r6
        ldd,2 [ %r3 + 8 ], %r7
    }
    CHECK %r6, 0x5a5a5a5a5a5a5a00, 5
    CHECK %r7, 0xff5a5a5a5a5a5a5a, 6
    ! an empty mask stores nothing
    {
        stmqp,2 %qpr4, %r3, 0
    }
    {
        ldd,0 [ %r3 ], %r6
    }
    CHECK %r6, 0x5a5a5a5a5a5a5a00, 7
    SUCCEED
    EXITG
    .data
    .align 16
mem:
    .quad 0, 0, 0x5a5a5a5a5a5a5a5a, 0x5a5a5a5a5a5a5a5a
