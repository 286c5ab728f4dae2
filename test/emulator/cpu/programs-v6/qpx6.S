! v6 128-bit operations (emulator/cpu/alu-qpx.ts, QEMU semantics): qpcext_*, qpsrad,
! qpmrgp, packed compares to a predicate (pcmp…op = any lane, …ap = every lane, and the
! qp forms over both halves), alternating fused multiply-adds qpfmass/qpfmasd, stmqp at
! any alignment (v6).
    .include "common.inc"

    .macro CHECKQ reg, lo, hi, code
    {
        stqp,2 \reg, [ qbuf ]
    }
    {
        ldd,0 [ qbuf ], %r60
        ldd,2 [ qbuf + 8 ], %r61
    }
    CHECK %r60, \lo, \code
    CHECK %r61, \hi, \code
    .endm

    .macro QSET reg, lo, hi
    {
        addd,0 0, \hi, %r62
    }
    {
        qppackdl,0 %r62, \lo, \reg
    }
    .endm

    ! predicate → register: 1 if set
    .macro PREDV pred, reg
    {
        addd,0 0, 0, \reg
    }
    {
        addd,0 0, 1, \reg ? \pred
    }
    .endm

    START
    {
        setwd wsz=32, nfx=1
    }
    QSET %qpr2, 0x80ff7f01fe02fd03, 0x1122334455667788
    {
        qpcext_0x7f,0 %qpr2, %qpr4
        qpcext_0xff,1 %qpr2, %qpr6
        qpsrad,3 %qpr2, 4, %qpr8
        qpsrad,4 %qpr2, 200, %qpr10
    }
    CHECKQ %qpr4, 0x80ff7f01fe02fd03, 0x7f7f7f7f7f7f7f7f, 1
    CHECKQ %qpr6, 0x80ff7f01fe02fd03, 0xffffffffffffffff, 2
    CHECKQ %qpr8, 0xf80ff7f01fe02fd0, 0x0112233445566778, 3
    CHECKQ %qpr10, 0xffffffffffffffff, 0, 4
    ! qpmrgp: the predicate selects src2 as a whole 128-bit value
    {
        cmpesb,0 0, 0, %pred0
    }
    {
        qpmrgp,0 %qpr4, %qpr8, %qpr12, %pred0
        qpmrgp,1 %qpr4, %qpr8, %qpr14, ~%pred0
    }
    CHECKQ %qpr12, 0xf80ff7f01fe02fd0, 0x0112233445566778, 5
    CHECKQ %qpr14, 0x80ff7f01fe02fd03, 0x7f7f7f7f7f7f7f7f, 6
    ! packed compares: one equal byte → eqbop 1, eqbap 0; equal → both 1
    {
        addd,0 0, 0x1122334455667788, %r16
        addd,1 0, 0x11ff33ff55ff77ff, %r17
    }
    {
        pcmpeqbop,0 %r16, %r17, %pred1
        pcmpeqbap,3 %r16, %r17, %pred2
    }
    {
        pcmpeqbap,0 %r16, %r16, %pred3
        pcmpgtwop,3 %r17, %r16, %pred4
    }
    PREDV %pred1, %r20
    PREDV %pred2, %r21
    PREDV %pred3, %r22
    PREDV %pred4, %r23
    CHECK %r20, 1, 7
    CHECK %r21, 0, 8
    CHECK %r22, 1, 9
    CHECK %r23, 1, 10
    ! qp: the high halves differ in one word only
    {
        qpcmpeqwap,0 %qpr2, %qpr2, %pred1
        qpcmpeqdop,3 %qpr2, %qpr4, %pred2
    }
    {
        qpcmpeqdap,0 %qpr2, %qpr4, %pred3
        qpcmpgtdop,3 %qpr2, %qpr4, %pred4
    }
    PREDV %pred1, %r20
    PREDV %pred2, %r21
    PREDV %pred3, %r22
    PREDV %pred4, %r23
    CHECK %r20, 1, 11
    CHECK %r21, 1, 12
    CHECK %r22, 0, 13
    CHECK %r23, 0, 14
    ! fused: even lanes a·b + c, odd lanes a·b − c
    QSET %qpr20, 0x400000003f800000, 0x3f00000040400000
    QSET %qpr22, 0x4100000040800000, 0x41800000bf800000
    QSET %qpr24, 0x3ff8000000000000, 0xc000000000000000
    QSET %qpr26, 0x3fd0000000000000, 0x4010000000000000
    {
        qpfmass,0 %qpr20, %qpr22, %qpr22, %qpr12
        qpfmasd,1 %qpr24, %qpr26, %qpr26, %qpr14
    }
    CHECKQ %qpr12, 0x4100000041000000, 0xc1000000c0800000, 15
    CHECKQ %qpr14, 0x3fe4000000000000, 0xc028000000000000, 16
    ! stmqp at a misaligned address is allowed on v6
    {
        addd,0 0, qbuf2 + 3, %r30
    }
    {
        stmqp,2 %qpr2, %r30, 0x8001
    }
    {
        ldd,0 [ qbuf2 ], %r31
        ldd,2 [ qbuf2 + 16 ], %r32
    }
    CHECK %r31, 0x0000000003000000, 17
    CHECK %r32, 0x0000000000110000, 18
    SUCCEED
    EXITG
    .data
    .align 16
qbuf:
    .quad 0, 0
qbuf2:
    .quad 0, 0, 0, 0
