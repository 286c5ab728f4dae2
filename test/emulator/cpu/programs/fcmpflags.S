! fcmp{od,ud}{s,d}f: compares to x86-style flags (0x45 unordered, 0x40 equal, 0x01 less,
! 0x00 greater); od raises invalid for a quiet NaN, ud does not.
    .include "common.inc"
    START
    {
        rws,0 0x1f80, %pfpfr
        addd,1 0, 0x3f800000, %r0
    }
    {
        addd,0 0, 0x40000000, %r1
        addd,1 0, 0x7fc00000, %r2
    }
    {
        fcmpodsf,0 %r0, %r1, %r3
        fcmpodsf,1 %r1, %r0, %r4
        fcmpudsf,3 %r0, %r0, %r5
        fcmpudsf,4 %r0, %r2, %r6
    }
    CHECK %r3, 0x01, 1
    CHECK %r4, 0x00, 2
    CHECK %r5, 0x40, 3
    CHECK %r6, 0x45, 4
    ! ud with a quiet NaN leaves invalid clear
    {
        rrs,0 %pfpfr, %r7
    }
    {
        andd,0 %r7, 1, %r7
    }
    CHECK %r7, 0, 5
    {
        fcmpodsf,0 %r2, %r0, %r8
    }
    {
        rrs,0 %pfpfr, %r9
    }
    {
        andd,0 %r9, 1, %r9
    }
    CHECK %r8, 0x45, 6
    CHECK %r9, 1, 7
    ! binary64
    {
        addd,0 0, 0x3ff0000000000000, %r10
        addd,1 0, 0xbff0000000000000, %r11
    }
    {
        addd,0 0, 0x7ff8000000000000, %r12
    }
    {
        fcmpoddf,0 %r10, %r11, %r13
        fcmpuddf,1 %r11, %r10, %r14
        fcmpuddf,3 %r10, %r10, %r15
        fcmpuddf,4 %r12, %r10, %r16
    }
    CHECK %r13, 0x00, 8
    CHECK %r14, 0x01, 9
    CHECK %r15, 0x40, 10
    CHECK %r16, 0x45, 11
    SUCCEED
    EXITG
