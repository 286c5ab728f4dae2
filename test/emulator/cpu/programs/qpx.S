! v5 128-bit operations that cross the halves (emulator/cpu/alu-qpx.ts, QEMU lane
! semantics): qppackdl, qpswitch*, qpsgn2mskb/qpmsk2sgnb, qppermb, qpshufb, qpacks*,
! qphadd*/qphsub*, qpmaddh, (qp)pmulhrsh, (qp)mpsadbh, (qp)phminposuh, (qp)pmerge, psrc*,
! qpsrcd, pfhadds/pfaddsubs, qpfhadds, qpfaddsubd, the qpfhadd_adds combined form, packed
! conversions qpfdtois/qpistofd. Expected values: /tmp reference model in the commit.
    .include "common.inc"

    ! 128-bit register → two 64-bit checks (via memory)
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

    ! build a 128-bit register from two 64-bit literals
    .macro QSET reg, lo, hi
    {
        addd,0 0, \hi, %r62
    }
    {
        qppackdl,0 %r62, \lo, \reg
    }
    .endm

    START
    {
        setwd wsz=32, nfx=1
    }
    QSET %qpr0, 0x0706050403020100, 0x0f0e0d0c0b0a0908
    QSET %qpr2, 0x80ff7f01fe02fd03, 0x1122334455667788
    QSET %qpr4, 0x1f100f0012051a23, 0x3f8f4f206f0e2d11
    QSET %qpr6, 0x7fff8000fffe0003, 0x0005fff9c0004000
    QSET %qpr8, 0x00010002fffe7fff, 0x8000000300040005
    QSET %qpr10, 0x0f0f0f0f0f0f0f0f, 0x3050a0c0e0080f00
    CHECKQ %qpr0, 0x0706050403020100, 0x0f0e0d0c0b0a0908, 1
    {
        qpswitchd,0 %qpr2, %qpr12
        qpswitchw,1 %qpr2, %qpr14
        qpsgn2mskb,3 %qpr2, %r16
    }
    CHECKQ %qpr12, 0x1122334455667788, 0x80ff7f01fe02fd03, 2
    CHECKQ %qpr14, 0xfe02fd0380ff7f01, 0x5566778811223344, 3
    CHECK %r16, 0x1ca, 4
    {
        qpmsk2sgnb,0 %qpr0, 0xa5c3, %qpr12
        qppermb,1 %qpr0, %qpr2, %qpr4, %qpr14
        qpshufb,2 %qpr0, %qpr2, %qpr10, %qpr16
    }
    CHECKQ %qpr12, 0x8786050403028180, 0x8f0e8d0c0b8a0988, 5
    CHECKQ %qpr14, 0x0f001103027f0a01, 0xf00088fc7722cc01, 6
    CHECKQ %qpr16, 0x1111111111111111, 0xffff7f80ff080f00, 7
    {
        qpacksshb,1 %qpr6, %qpr8, %qpr12
        qpackuswh,4 %qpr6, %qpr8, %qpr14
        qphaddh,0 %qpr6, %qpr8, %qpr16
        qphsubw,3 %qpr6, %qpr8, %qpr18
    }
    CHECKQ %qpr12, 0x800304050102fe7f, 0x05f9807f7f80fe03, 8
    CHECKQ %qpr14, 0x0000ffffffff0000, 0xffff0000ffff0000, 9
    CHECKQ %qpr16, 0xfffe0000ffff0001, 0x8003000900037ffd, 10
    CHECKQ %qpr18, 0xbffa40077ffe8003, 0x80040002fffd7ffd, 11
    {
        qphaddsh,0 %qpr6, %qpr8, %qpr12
        qpmaddh,1 %qpr6, %qpr8, %qpr14
        qpmulhrsh,4 %qpr6, %qpr8, %qpr16
    }
    {
        pmulhrsh,1 %qpr6, %qpr8, %r18
    }
    CHECKQ %qpr12, 0xfffe0000ffff0001, 0x8003000900037ffd, 12
    CHECKQ %qpr14, 0xffff7fff00018001, 0xfffd7feb00004000, 13
    CHECKQ %qpr16, 0x0001fffe00000003, 0xfffb0000fffe0003, 14
    CHECK %r18, 0x0001fffe00000003, 15
    {
        mpsadbh,1 %qpr2, %qpr0, %r12
        qpmpsadbh,4 %qpr2, 0x01020304, %qpr14
    }
    {
        phminposuh,1 %qpr8, %qpr6, %r16
        qphminposuh,4 %qpr8, %qpr6, %r17
    }
    CHECK %r12, 0x0277017c01fc01fa, 16
    CHECKQ %qpr14, 0x0277017c01f601f8, 0x00e40128016c01b0, 17
    CHECK %r16, 0x30001, 18
    CHECK %r17, 0x30001, 19
    {
        addd,0 0, 0x3f8f4f206f0e2d11, %r20
    }
    {
        pmerge,0 %qpr0, %qpr2, %r20, %r12
        qpmerge,1 %qpr0, %qpr2, %qpr4, %qpr14
        psrcw,3 %qpr2, 12, %r16
        psrcd,4 %qpr2, 68, %r17
    }
    CHECK %r12, 0x07ff050403020100, 20
    CHECKQ %qpr14, 0x0706050403020100, 0x0f220d0c0b0a0908, 21
    CHECK %r16, 0xf0180ff7d03fe02f, 22
    CHECK %r17, 0x380ff7f01fe02fd0, 23
    {
        qpsrcd,0 %qpr2, 8, %qpr12
    }
    CHECKQ %qpr12, 0x0380ff7f01fe02fd, 0x8811223344556677, 24
    ! packed float: F = (1, 2, 3, 0.5), E = (4, 8, -1, 16); D = (1.5, -2), G = (0.25, 4)
    QSET %qpr20, 0x400000003f800000, 0x3f00000040400000
    QSET %qpr22, 0x4100000040800000, 0x41800000bf800000
    QSET %qpr24, 0x3ff8000000000000, 0xc000000000000000
    QSET %qpr26, 0x3fd0000000000000, 0x4010000000000000
    {
        pfhadds,0 %qpr20, %qpr22, %r12
        pfaddsubs,1 %qpr20, %qpr22, %r13
        qpfhadds,3 %qpr20, %qpr22, %qpr14
        qpfaddsubd,4 %qpr24, %qpr26, %qpr16
    }
    CHECK %r12, 0x4140000040400000, 25
    CHECK %r13, 0x41200000c0400000, 26
    CHECKQ %qpr14, 0x4060000040400000, 0x4170000041400000, 27
    CHECKQ %qpr16, 0x3ff4000000000000, 0x4000000000000000, 28
    {
        qpfhadd_adds,0 %qpr20, %qpr22, %qpr20, %qpr12
        qpfdtois,1 %qpr24, %r14
        qpistofd,3 0xfffffffd00000007, %qpr16
    }
    CHECKQ %qpr12, 0x40b0000040800000, 0x4178000041700000, 29
    CHECK %r14, 0xfffffffe00000002, 30
    CHECKQ %qpr16, 0x401c000000000000, 0xc008000000000000, 31
    SUCCEED
    EXITG
    .data
    .align 16
qbuf:
    .quad 0, 0
