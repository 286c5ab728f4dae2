! staaq/ldaaq: a register pair to/from the AAU address (first register at the address,
! second at +8), 16-byte aligned; incr steps AASTI by AAINCR << 3 once per pair (QEMU).
    .include "common.inc"
    START
    {
        addd,0 0, buf, %r0
        addd,1 0, 16, %r1
    }
    {
        aaurwd,2 %r0, %aad3
        aaurwd,5 %r1, %aasti2
    }
    {
        addd,0 0, 1, %r2
        addd,1 0, 0x1122334455667788, %r4
    }
    {
        aaurwd,2 %r2, %aaincr1
        addd,0 0, 0x99aabbccddeeff00, %r5
    }
    {
        staaq,2 %qr4, %aad3 [ %aasti2 ]
        incr,2 %aaincr1
    }
    {
        aaurrd,2 %aasti2, %r6
        ldd,0 [ buf + 16 ], %r7
        ldd,3 [ buf + 24 ], %r8
    }
    CHECK %r6, 24, 1
    CHECK %r7, 0x1122334455667788, 2
    CHECK %r8, 0x99aabbccddeeff00, 3
    {
        ldaaq,2 %aad3 [ %aasti2 + _f32s,_lts0 0xfffffff8 ], %qr10
        incr,2 %aaincr1
    }
    {
        aaurrd,2 %aasti2, %r6
    }
    CHECK %r10, 0x1122334455667788, 4
    CHECK %r11, 0x99aabbccddeeff00, 5
    CHECK %r6, 32, 6
    ! without incr AASTI stays; the literal offsets the pair
    {
        staaq,2 %qr4, %aad3 [ %aasti2 + _f32s,_lts0 0xffffffe0 ]
    }
    {
        aaurrd,2 %aasti2, %r6
        ldd,0 [ buf + 16 ], %r7
        ldd,3 [ buf + 24 ], %r8
    }
    CHECK %r6, 32, 7
    CHECK %r7, 0x1122334455667788, 8
    CHECK %r8, 0x99aabbccddeeff00, 9
    SUCCEED
    EXITG
    .data
    .align 16
buf:
    .quad 0, 0, 0, 0, 0, 0, 0, 0
