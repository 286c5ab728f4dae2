! Integer ALU: add/sub/logic/shifts/rotates, sxt, getf/insf, mul/div, 32-bit writes.
    .include "common.inc"
    START
    {
        addd,0 0, 0x123456789, %r0
        addd,1 0, -1, %r1
        adds,2 0, 7, %r2
        subd,3 0, 5, %r3
        ord,4 0, 0xf0, %r4
    }
    CHECK %r0, 0x123456789, 1
    CHECK %r1, -1, 2
    CHECK %r3, -5, 3
    {
        addd,0 %r0, %r1, %r5
        andd,1 %r0, 0xff, %r6
        xord,2 %r0, %r0, %r7
        shld,3 %r0, 4, %r8
        shrd,4 %r1, 60, %r9
        sard,5 %r1, 63, %r10
    }
    CHECK %r5, 0x123456788, 4
    CHECK %r6, 0x89, 5
    CHECK %r7, 0, 6
    CHECK %r8, 0x1234567890, 7
    CHECK %r9, 15, 8
    CHECK %r10, -1, 9
    {
        shls,0 1, 32, %r11
        sars,1 %r1, 32, %r12
        scld,2 %r0, 32, %r13
        scrs,3 1, 1, %r14
    }
    ! 32-bit results keep the high half unless dbl (opcodes.md "32-bit results")
    {
        addd,0 0, 0, %r11
    }
    {
        shls,0 1, 32, %r11
        addd,1 0, 0, %r12
    }
    CHECK %r11, 1, 10
    {
        addd,0 0, 0xfedcba9876543210, %r28
        addd,1 0, 0xffffffff, %r29
    }
    {
        sxt,0 1, 0x80008080, %r15
        sxt,1 5, 0x80008080, %r16
        getfd,2 %r28, 0x9120, %r17
        muld,3 %r0, 3, %r18
        umulx,4 %r29, 0xffffffff, %r19
    }
    CHECK %r15, 0xffffffffffff8080, 11
    CHECK %r16, 0x8080, 12
    CHECK %r17, 0xfffffffffffffff8, 13
    CHECK %r18, 0x369d0369b, 14
    CHECK %r19, 0xfffffffe00000001, 15
    {
        addd,0 0, -100, %r21
    }
    {
        udivd,5 30, 2, %r20
    }
    {
        sdivs,5 %r21, 7, %r21
    }
    {
        smodx,5 %r0, 1000, %r22
    }
    CHECK %r20, 15, 16
    {
        addd,0 0, 0x4afafafa1cccccc0, %r30
        addd,2 0, -3, %r24
    }
    {
        addd,1 0, 0x4afafafa1ffffff0, %r31
    }
    {
        sxt,0 2, %r21, %r21
        insfd,1 %r30, 0x808, %r31, %r23
        smulx,3 %r24, 5, %r24
    }
    CHECK %r23, 0xc04afafa1ffffff0, 22
    CHECK %r21, -14, 17
    CHECK %r24, -15, 18
    ! highest channel wins when two channels write one register
    {
        addd,0 0, 1, %r25
        addd,3 0, 3, %r25
        addd,1 0, 2, %r25
    }
    CHECK %r25, 3, 19
    ! all operands read the state before the bundle: swap
    {
        addd,0 0, 10, %r26
        addd,1 0, 20, %r27
    }
    {
        addd,0 %r27, 0, %r26
        addd,1 %r26, 0, %r27
    }
    CHECK %r26, 20, 20
    CHECK %r27, 10, 21
    ! setwd dbl=1: 32-bit results are zero-extended to the whole register
    {
        addd,0 0, -1, %r1
    }
    {
        setwd wsz=16, nfx=1, dbl=1
    }
    {
        adds,0 0, 5, %r1
    }
    CHECK %r1, 5, 23
    SUCCEED
    EXITG
