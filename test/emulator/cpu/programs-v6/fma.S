! v6 fused multiply-add: one rounding (fmad/fmsd/fnmad/fnmsd, fmas/…), exceptions.
    .include "common.inc"
    START
    {
        rws,0 0x1f80, %pfpfr
        addd,1 0, 0x3ff0000000000001, %r0
    }
    {
        addd,0 0, 0x3feffffffffffffe, %r1
        addd,1 0, 0x3ff0000000000000, %r2
    }
    ! (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly (a product then a sum would give 0)
    {
        fmsd,0 %r0, %r1, %r2, %r3
        fnmad,1 %r0, %r1, %r2, %r4
    }
    CHECK %r3, 0xb970000000000000, 1
    CHECK %r4, 0x3970000000000000, 2
    {
        fmad,0 %r0, %r1, %r2, %r5
        fnmsd,1 %r0, %r1, %r2, %r6
    }
    CHECK %r5, 0x4000000000000000, 3
    CHECK %r6, 0xc000000000000000, 4
    ! binary32: (1 + 2^-23)·(1 - 2^-23)·2^-24 + (1 + 2^-23): the exact sum lies just below a
    ! float midpoint; rounding through binary64 would round to even (0x3f800002)
    {
        addd,0 0, 0x3f800001, %r7
        addd,1 0, 0x337ffffe, %r8
    }
    {
        fmas,0 %r7, %r8, %r7, %r9
    }
    CHECK %r9, 0x3f800001, 5
    {
        addd,0 0, 0x40000000, %r10
        addd,1 0, 0x40400000, %r11
    }
    {
        addd,0 0, 0x40e00000, %r12
    }
    ! 2·3 − 7 = −1, −(2·3) + 7 = 1, −(2·3) − 7 = −13
    {
        fmss,0 %r10, %r11, %r12, %r13
        fnmas,1 %r10, %r11, %r12, %r14
        fnmss,3 %r10, %r11, %r12, %r15
    }
    CHECK %r13, 0xbf800000, 6
    CHECK %r14, 0x3f800000, 7
    CHECK %r15, 0xc1500000, 8
    ! ∞·0 + 1 with invalid masked: the default NaN, flag set in %pfpfr
    {
        addd,0 0, 0x7ff0000000000000, %r16
    }
    {
        fmad,0 %r16, 0, %r2, %r17
    }
    {
        rrs,0 %pfpfr, %r18
    }
    {
        andd,0 %r18, 1, %r19
        fcmpuodd,1 %r17, %r17, %r20
    }
    CHECK %r19, 1, 9
    CHECK %r20, 0xffffffffffffffff, 10
    ! quad forms: qpfmad = fmad per 64-bit half, qpfmas = fmas per 32-bit lane
    {
        addd,0 0, src, %r21
        addd,1 0, dst, %r22
    }
    {
        ldqp,0 [ %r21 ], %qpr23
        ldqp,2 [ %r21 + 16 ], %qpr24
    }
    {
        ldqp,0 [ %r21 + 32 ], %qpr25
    }
    {
        qpfmsd,0 %qpr23, %qpr24, %qpr25, %qpr26
        qpfmas,1 %qpr25, %qpr25, %qpr25, %qpr27
    }
    {
        stqp,2 %qpr26, [ %r22 ]
        stqp,5 %qpr27, [ %r22 + 16 ]
    }
    {
        ldd,0 [ %r22 ], %r28
        ldd,2 [ %r22 + 8 ], %r29
    }
    {
        ldd,0 [ %r22 + 16 ], %r30
        ldd,2 [ %r22 + 24 ], %r31
    }
    CHECK %r28, 0xb970000000000000, 11
    CHECK %r29, 0x3ff0000000000000, 12
    CHECK %r30, 0x40ac800000000000, 13
    CHECK %r31, 0x40ac800000000000, 14
    SUCCEED
    EXITG
    .data
    .align 16
src:
    .quad 0x3ff0000000000001, 0x3ff0000000000000
    .quad 0x3feffffffffffffe, 0x4000000000000000
    .quad 0x3ff0000000000000, 0x3ff0000000000000
dst:
    .quad 0, 0, 0, 0
