! Register-pair operations (two channels each): movtq, ldq, stq (v5).
    .include "common.inc"
    START
    {
        addd,0 0, src, %r0
        addd,1 0, dst, %r1
    }
    ! ldq: low 8 bytes to the even register, high 8 to the odd one
    {
        ldq,0 [ %r0 ], %qr2
    }
    CHECK %r2, 0x1111111111111111, 1
    CHECK %r3, 0x2222222222222222, 2
    ! movtq copies both registers (value and tag); reads happen before the bundle
    {
        movtq,0 %qr2, %qr4
        movtq,3 %qr4, %qr6
    }
    CHECK %r4, 0x1111111111111111, 3
    CHECK %r5, 0x2222222222222222, 4
    {
        movtq,3 0x4, %qr6
    }
    CHECK %r6, 4, 5
    CHECK %r7, 4, 6
    ! stq writes both halves
    {
        stq,2 %qr4, [ %r1 ]
    }
    {
        ldd,0 [ %r1 ], %r8
        ldd,2 [ %r1 + 8 ], %r9
    }
    CHECK %r8, 0x1111111111111111, 7
    CHECK %r9, 0x2222222222222222, 8
    {
        ldq,3 [ %r0 + 16 ], %qr10
    }
    CHECK %r10, 0x3333333333333333, 9
    CHECK %r11, 0x4444444444444444, 10
    ! the tag travels with movtq: a speculative load from a bad address gives tagged
    ! values; movtq copies them unchecked
    {
        ldq,0,sm [ 0x10 ], %qr12
    }
    {
        movtq,0 %qr12, %qr14
    }
    {
        gettagd,2 %r14, %r16
        gettagd,5 %r15, %r17
    }
    CHECK %r16, 5, 11
    CHECK %r17, 5, 12
    ! a misaligned speculative ldq gives tagged values instead of a fault
    {
        ldq,0,sm [ %r0 + 8 ], %qr18
    }
    {
        gettagd,2 %r18, %r20
        gettagd,5 %r19, %r21
    }
    CHECK %r20, 5, 13
    CHECK %r21, 5, 14
    SUCCEED
    EXITG
    .data
    .align 16
src:
    .quad 0x1111111111111111, 0x2222222222222222
    .quad 0x3333333333333333, 0x4444444444444444
dst:
    .quad 0, 0
