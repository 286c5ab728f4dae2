! 80-bit odds and ends: movxa/movxc (sign of the exponent word cleared / flipped, QEMU),
! fxscalesx (v4: src1 · 2^src2), fxcmp{od,ud}{s,d,x}f (x86-style flag word; invalid only
! for `od` or a signalling NaN), and the merge_<op> combined forms (mrg4).
    .include "common.inc"
    START
    {
        addd,0 0, 0x3ff0000000000000, %r0     ! 1.0
        addd,1 0, 0x4020000000000000, %r1     ! 8.0
    }
    {
        fdtofx,0 %r0, %r2                     ! x80 1.0
        fdtofx,1 %r1, %r3                     ! x80 8.0
    }
    {
        fxscalesx,1 %r2, 3, %r4               ! 8.0
        movxc,0 %r2, %r5                      ! -1.0
    }
    {
        movxa,0 %r5, %r6                      ! 1.0
        movfi,1 %r4, %r7
    }
    {
        movfi,0 %r5, %r8
        movfi,1 %r6, %r9
    }
    CHECK %r4, 0x8000000000000000, 1
    CHECK %r7, 0x4002, 2
    CHECK %r8, 0xbfff, 3
    CHECK %r9, 0x3fff, 4
    CHECK %r5, 0x8000000000000000, 5
    {
        fxcmpodxf,0 %r2, %r3, %r10            ! 1 < 8: 0x01
        fxcmpoddf,1 %r3, %r0, %r11            ! 8 > 1: 0
    }
    {
        fxcmpudxf,0 %r4, %r3, %r12            ! equal: 0x40
        fxcmpudsf,1 %r2, 0x7fc00000, %r13     ! quiet NaN: 0x45, no invalid
        fxscalesx,4 %r2, -2, %r14             ! 0.25
    }
    CHECK %r10, 0x01, 6
    CHECK %r11, 0, 7
    CHECK %r12, 0x40, 8
    CHECK %r13, 0x45, 9
    {
        fxtofd,0 %r14, %r15
    }
    {
        rrs %fpsr, %r16
    }
    CHECK %r15, 0x3fd0000000000000, 10
    {
        andd,0 %r16, 1, %r17
    }
    CHECK %r17, 0, 11
    ! the ordered form raises invalid for a quiet NaN
    {
        fxcmpodsf,0 %r2, 0x7fc00000, %r13
    }
    {
        rrs %fpsr, %r16
    }
    {
        andd,0 %r16, 1, %r17
    }
    CHECK %r13, 0x45, 12
    CHECK %r17, 1, 13
    ! merge_<op>: dst = op(src3, pred ? src2 : src1)
    {
        cmpesb,0 0, 0, %pred0
        cmpesb,1 0, 1, %pred1
        addd,3 0, 0xff00, %r21
        addd,4 0, 0x0ff0, %r22
    }
    {
        addd,0 0, 0x3c3c, %r23
    }
    {
        merge_ands,1 %r21, %r22, %r23, %r18, %pred0
        merge_ord,4 1, 2, %r0, %r19, %pred1
    }
    CHECK %r18, 0x0c30, 14
    CHECK %r19, 0x3ff0000000000001, 15
    SUCCEED
    EXITG
