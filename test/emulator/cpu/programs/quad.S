! v5 128-bit registers: ldqp/stqp and qp operations on both halves.
    .include "common.inc"
    START
    {
        addd,0 0, src, %r0
    }
    {
        addd,1 0, dst, %r1
    }
    {
        ldqp,0 [ %r0 ], %qpr2
        ldqp,2 [ %r0 + 16 ], %qpr3
    }
    {
        qpaddh,0 %qpr2, %qpr3, %qpr4
        qpand,1 %qpr2, %qpr3, %qpr5
    }
    {
        stqp,2 %qpr4, [ %r1 ]
        stqp,5 %qpr5, [ %r1 + 16 ]
    }
    {
        ldd,0 [ %r1 ], %r6
        ldd,2 [ %r1 + 8 ], %r7
    }
    {
        ldd,0 [ %r1 + 24 ], %r8
    }
    CHECK %r6, 0x0003000300030003, 1
    CHECK %r7, 0x0009000900090009, 2
    CHECK %r8, 0x0002000200020002, 3
    SUCCEED
    EXITG
    .data
    .align 16
src:
    .quad 0x0001000100010001, 0x0003000300030003
    .quad 0x0002000200020002, 0x0006000600060006
dst:
    .quad 0, 0, 0, 0
