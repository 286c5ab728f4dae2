! Packed conversions: pfstois/pfstoistr/pistofs per 32-bit lane (current rounding,
! 0x80000000 + invalid for NaN/overflow), the single-value forms pfdtois, pfdtoistr,
! pfstofd, pfdtofs, pfsqrts, pfsqrttd.
    .include "common.inc"
    START
    {
        rws,0 0x1f80, %pfpfr
        addd,1 0, 0xc02000003fc00000, %r0
    }
    {
        pfstois,0 %r0, %r1
        pfstoistr,1 %r0, %r2
    }
    CHECK %r1, 0xfffffffe00000002, 1
    CHECK %r2, 0xfffffffe00000001, 2
    {
        pistofs,0 %r1, %r3
    }
    CHECK %r3, 0xc000000040000000, 3
    {
        rrs,0 %pfpfr, %r4
    }
    {
        andd,0 %r4, 1, %r4
    }
    CHECK %r4, 0, 4
    ! 2^31 and NaN lanes → integer indefinite, invalid raised
    {
        addd,0 0, 0x7fc000004f000000, %r5
    }
    {
        pfstois,0 %r5, %r6
    }
    {
        rrs,0 %pfpfr, %r7
    }
    {
        andd,0 %r7, 1, %r7
    }
    CHECK %r6, 0x8000000080000000, 5
    CHECK %r7, 1, 6
    {
        addd,0 0, 0x400d99999999999a, %r8
        addd,1 0, 0x4030000000000000, %r9
    }
    {
        pfdtois,0 %r8, %r10
        pfdtoistr,1 %r8, %r11
        pfstofd,3 %r0, %r12
        pfdtofs,4 %r9, %r13
    }
    CHECK %r10, 4, 7
    CHECK %r11, 3, 8
    CHECK %r12, 0x3ff8000000000000, 9
    CHECK %r13, 0x41800000, 10
    {
        addd,0 0, 0x40800000, %r14
    }
    {
        pfsqrts,5 %r14, %r15
    }
    {
        pfsqrttd,5 %r9, %r9, %r16
    }
    CHECK %r15, 0x40000000, 11
    CHECK %r16, 0x4010000000000000, 12
    SUCCEED
    EXITG
