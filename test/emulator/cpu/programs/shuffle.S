! Packed shuffles with an 8-bit literal (pextrh, pinsh, pshufw, pshufh, psllq*/psrlq*),
! packs/unpacks, horizontal adds, multiply-adds, move-masks and pshufb (v1-v4 `p…` ops).
    .include "common.inc"
    START
    {
        setwd wsz=32, nfx=1
    }
    {
        addd,0 0, 0x4444333322221111, %r0
        addd,1 0, 0x8888777766665555, %r1
    }
    ! pextrh: 0..3 from src2, 4..7 from src1, ≥ 8 gives 0
    {
        pextrh,1 %r1, %r0, 2, %r2
        pextrh,4 %r1, %r0, 7, %r3
    }
    {
        pextrh,1 %r1, %r0, 9, %r4
    }
    CHECK %r2, 0x3333, 1
    CHECK %r3, 0x8888, 2
    CHECK %r4, 0, 3
    ! pinsh: src1 with halfword n replaced by src2[15:0]; n ≥ 4 leaves src1
    {
        pinsh,1 %r0, %r1, 1, %r5
        pinsh,4 %r0, %r1, 4, %r6
    }
    CHECK %r5, 0x4444333355551111, 4
    CHECK %r6, 0x4444333322221111, 5
    ! pshufw: sel 0/1 src2 words, 2/3 src1 words
    {
        pshufw,1 %r1, %r0, 0x7, %r7
        pshufw,4 %r1, %r0, 0x9, %r8
    }
    CHECK %r7, 0x4444333388887777, 6
    CHECK %r8, 0x6666555544443333, 7
    ! pshufh: halfword i = src2.h[order[2i+1:2i]]
    {
        pshufh,1 %r0, 0x1b, %r9
    }
    CHECK %r9, 0x1111222233334444, 8
    ! 128-bit byte shifts of {src1:src2}; counts above 7 give 0 (as gas warns)
    {
        psllql,1 %r1, %r0, 2, %r10
        psllqh,4 %r1, %r0, 2, %r11
    }
    {
        psrlql,1 %r1, %r0, 2, %r12
        psrlqh,4 %r1, %r0, 2, %r13
    }
    CHECK %r10, 0x3333222211110000, 9
    CHECK %r11, 0x7777666655554444, 10
    CHECK %r12, 0x5555444433332222, 11
    CHECK %r13, 0x0000888877776666, 12
    {
        psllqh,1 %r1, %r0, 9, %r14
        psrlql,4 %r1, %r0, 16, %r15
    }
    CHECK %r14, 0, 13
    CHECK %r15, 0, 14
    ! packs: src2 lanes low, src1 lanes high, saturated
    {
        addd,0 0, 0x7fff8000ff800080, %r16
        addd,1 0, 0x00010002fffe0003, %r17
    }
    {
        packsshb,1 %r16, %r17, %r18
        packushb,4 %r16, %r17, %r19
    }
    CHECK %r18, 0x7f80807f0102fe03, 15
    CHECK %r19, 0xff00008001020003, 16
    {
        addd,0 0, 0x00012345fffe0000, %r20
        addd,1 0, 0x80000000000000ff, %r21
    }
    {
        packsswh,1 %r20, %r21, %r22
        packuswh,4 %r20, %r21, %r23
    }
    CHECK %r22, 0x7fff8000800000ff, 17
    CHECK %r23, 0xffff0000000000ff, 18
    ! unpacks interleave src2 (even lanes) and src1 (odd lanes)
    {
        addd,0 0, 0x0706050403020100, %r24
        addd,1 0, 0x1716151413121110, %r25
    }
    {
        punpcklbh,1 %r25, %r24, %r26
        punpckhbh,4 %r25, %r24, %r27
    }
    {
        punpcklhw,1 %r25, %r24, %r28
        punpckhwd,4 %r25, %r24, %r29
    }
    CHECK %r26, 0x1303120211011000, 19
    CHECK %r27, 0x1707160615051404, 20
    CHECK %r28, 0x1312030211100100, 21
    CHECK %r29, 0x1716151407060504, 22
    ! horizontal adds/subs: src1 pairs low, src2 pairs high
    {
        addd,0 0, 0x7fff000100030005, %r30
        addd,1 0, 0x0000000a00000014, %r31
    }
    {
        phaddh,0 %r30, %r30, %r32
        phaddsh,3 %r30, %r30, %r33
    }
    {
        phsubh,0 %r30, %r30, %r34
        phaddw,3 %r31, %r30, %r35
    }
    CHECK %r32, 0x8000000880000008, 23
    CHECK %r33, 0x7fff00087fff0008, 24
    CHECK %r34, 0x8002000280020002, 25
    CHECK %r35, 0x800200060000001e, 26
    ! pmaddh: signed 16x16 pairs summed to 32 bits
    {
        addd,0 0, 0xffff000200030004, %r36
        addd,1 0, 0x0005000600078000, %r37
    }
    {
        pmaddh,1 %r36, %r37, %r38
    }
    CHECK %r38, 0x00000007fffe0015, 27
    ! pmovmskb / pmovmskps / pmovmskpd: src2 sign bits low, src1 above
    {
        addd,0 0, 0x8000000000000080, %r39
        addd,1 0, 0x0000008000000000, %r40
    }
    {
        pmovmskb,1 %r39, %r40, %r41
        pmovmskps,4 %r39, %r40, %r42
    }
    {
        pmovmskpd,1 %r39, %r40, %r43
    }
    CHECK %r41, 0x8110, 28
    CHECK %r42, 0x8, 29
    CHECK %r43, 0x2, 30
    ! pshufb: select bytes of src1 (d & 8) or src2, modifiers, constants
    {
        addd,0 0, 0x0f0e0d0c0b0a0908, %r44
        addd,1 0, 0x0706050403020180, %r45
    }
    {
        addd,2 0, 0xe0c0a08050300f00, %r46
    }
    {
        pshufb,1 %r44, %r45, %r46, %r47
    }
    CHECK %r47, 0xff807f0000fe0f80, 31
    ! the modifier bits apply in turn (invert, reverse, sign); constants only for d & 0x70 =
    ! 0x20/0x40/0x60 (QEMU's later helper)
    {
        addd,2 0, 0x282040d0f06070b0, %r46
    }
    {
        pshufb,1 %r44, %r45, %r46, %r47
    }
    CHECK %r47, 0x1001ff000000ff00, 32
    ! pmulubhh: (ub · sh + 0x80) >> 8
    {
        addd,0 0, 0xff7f0201, %r48
        addd,1 0, 0x80000080ff000100, %r49
    }
    {
        pmulubhh,1 %r48, %r49, %r50
    }
    CHECK %r50, 0x80800040fffe0001, 33
    SUCCEED
    EXITG
