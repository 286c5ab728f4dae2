! Array access unit registers: aaurw/aaurr (MAS 0x3f), staa with AASTI + literal and the
! incr post-increment, aaurwq/aaurrq of a whole descriptor (QEMU's AAD model,
! emulator/cpu/aau.ts).
    .include "common.inc"
    START
    {
        addd,0 0, buf, %r0
        addd,1 0, 8, %r1
    }
    {
        aaurwd,2 %r0, %aad3
        aaurwd,5 %r1, %aasti2
    }
    {
        addd,0 0, 2, %r2
        addd,1 0, 0x1122334455667788, %r3
    }
    {
        aaurwd,2 %r2, %aaincr1
    }
    ! store at buf + 8; AASTI2 += 2 << 3
    {
        staad,2 %r3, %aad3 [ %aasti2 ]
        incr,2 %aaincr1
    }
    {
        staaw,5 %r3, %aad3 [ %aasti2 + _f32s,_lts0 4 ]
    }
    {
        aaurrd,2 %aasti2, %r4
        aaurrd,5 %aad3, %r5
    }
    CHECK %r4, 24, 1
    {
        andd,0 %r5, 0xffffffffffff, %r6
        shrd,1 %r5, 59, %r7
    }
    CHECK %r6, buf, 2
    CHECK %r7, 0xf, 3
    {
        ldd,0 [ buf + 8 ], %r8
        ldw,2 [ buf + 28 ], %r9
    }
    CHECK %r8, 0x1122334455667788, 4
    CHECK %r9, 0x55667788, 5
    ! an aaurr in the same bundle reads the AASTI before the increment commits
    {
        staab,2 %r3, %aad3 [ %aasti2 ]
        incr,2 %aaincr1
        aaurrd,5 %aasti2, %r10
    }
    {
        aaurrd,2 %aasti2, %r11
        ldb,0 [ buf + 24 ], %r12
    }
    CHECK %r10, 24, 6
    CHECK %r11, 26, 7
    CHECK %r12, 0x88, 8
    ! predicated off: neither the store nor the increment happens
    {
        cmpesb,0 0, 1, %pred0
    }
    {
        staab,2 %r3, %aad3 [ %aasti2 ] ? %pred0
        incr,2 %aaincr1
    }
    {
        aaurrd,2 %aasti2, %r13
        ldb,0 [ buf + 26 ], %r14
    }
    CHECK %r13, 26, 9
    CHECK %r14, 0, 10
    ! the increment alone predicated (CDS mask bit 3, the AM unit): the store happens, the
    ! increment follows its own condition
    {
        cmpesb,0 0, 1, %pred0
        cmpesb,1 0, 0, %pred1
    }
    {
        staab,2 %r3, %aad3 [ %aasti2 ]
        incr,2 %aaincr1 ? %pred0
    }
    {
        aaurrd,2 %aasti2, %r15
        ldb,0 [ buf + 26 ], %r18
    }
    {
        staab,2 %r3, %aad3 [ %aasti2 + _f32s,_lts0 1 ]
        incr,2 %aaincr1 ? %pred1
    }
    {
        aaurrd,2 %aasti2, %r16
        ldb,0 [ buf + 27 ], %r17
    }
    CHECK %r15, 26, 13
    CHECK %r16, 28, 14
    CHECK %r17, 0x88, 15
    CHECK %r18, 0x88, 16
    ! aaurwq/aaurrq move a whole 128-bit descriptor through a register pair: the low half as
    ! aaurwd (mb/ed/rw set), the high half with bits 95:64 reading as zero
    {
        addd,0 0, 0x1111, %r20
        addd,1 0, 0x2222333344445555, %r21
    }
    {
        aaurwq,2 %qr20, %aad7
    }
    {
        aaurrq,2 %aad7, %qr22
    }
    CHECK %r22, 0x7800000000001111, 11
    CHECK %r23, 0x2222333300000000, 12
    SUCCEED
    EXITG
    .data
    .align 8
buf:
    .quad 0, 0, 0, 0, 0
