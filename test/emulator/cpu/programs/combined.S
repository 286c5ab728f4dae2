! Combined two-op instructions (dst = op2(src3, op1(src1, src2))) and packed 64-bit ops.
    .include "common.inc"
    START
    {
        addd,0 0, 10, %r0
        addd,1 0, 3, %r1
        addd,2 0, 100, %r2
        addd,3 0, 0x3ff8000000000000, %r3     ! 1.5
    }
    {
        add_addd,1 %r0, %r1, %r2, %r4         ! 100 + (10 + 3)
        and_ord,4 %r0, %r1, %r2, %r5          ! 100 | (10 & 3)
    }
    CHECK %r4, 113, 1
    CHECK %r5, 102, 2
    {
        fmul_addd,0 %r3, %r3, %r3, %r6        ! 1.5 + 1.5 * 1.5 = 3.75
    }
    CHECK %r6, 0x400e000000000000, 3
    {
        addd,0 0, 0x0001000200030004, %r7
    }
    {
        addd,0 0, 0x00010001fffffffe, %r8
    }
    {
        paddh,0 %r7, %r8, %r9
        pcmpeqw,3 %r7, %r7, %r10
    }
    {
        pmaxsh,0 %r7, %r8, %r11
    }
    CHECK %r9, 0x0002000300020002, 4
    CHECK %r10, -1, 5
    CHECK %r11, 0x0001000200030004, 6
    SUCCEED
    EXITG
