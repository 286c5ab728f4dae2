! Array prefetch (emulator/cpu/aau.ts): bap loads an fapb program from %ctpr2, mova*
! moves elements of its areas (both buffer sides, every size, be, am advance, AAIND start
! index, AAINCR step, displacement), a diagnostic value for an unreadable element;
! %aaincr0 is always 1, %aaind0 always 0; array loads ldaa* and staaqp/ldaaqp with the incr post-increment.
    .include "common.inc"
    START
    {
        addd,0 0, arrw, %r0
        addd,1 0, arrd, %r1
    }
    {
        addd,3 0, arrb, %r2
        addd,4 0, arrq, %r3
    }
    {
        aaurwd,2 %r0, %aad0
        aaurwd,5 %r1, %aad1
        addd,0 0, arrh, %r4
        addd,1 0, 16, %r5
        addd,3 0, 2, %r6
    }
    {
        aaurwd,2 %r2, %aad2
        aaurwd,5 %r3, %aad3
    }
    {
        aaurwd,2 %r4, %aad4
        aaurwd,5 %r5, %aaind1
    }
    {
        aaurwd,2 %r6, %aaincr1
        aaurwd,5 %r6, %aaincr0
        ldisp %ctpr2, prog
    }
    {
        bap
    }
    ! both channels of the left side name area 0: each reads its byte offset, the area
    ! advances once (by AAINCR0 = 1 word)
    {
        movaw,0 area=0, ind=0, am=1, be=0, %r10
        movaw,1 area=0, ind=4, am=1, be=0, %r11
    }
    {
        movaw,0 area=0, ind=0, am=1, be=0, %r12
    }
    {
        movaw,1 area=0, ind=0, am=0, be=0, %r13
    }
    CHECK %r10, 100, 1
    CHECK %r11, 101, 2
    CHECK %r12, 101, 3
    CHECK %r13, 102, 4
    ! right side area 0: doubles from AAIND1 (16) + disp 8 = element 3, step AAINCR1 = 2
    {
        movad,2 area=0, ind=0, am=1, be=0, %r14
    }
    {
        movad,3 area=0, ind=0, am=0, be=1, %r15
    }
    CHECK %r14, 0x0300000000000003, 5
    CHECK %r15, 0x1500000000000005, 6
    ! bytes (left area 1) and halves (left area 2, big-endian)
    {
        movab,0 area=1, ind=3, am=0, be=0, %r16
        movah,1 area=2, ind=2, am=0, be=1, %r17
    }
    CHECK %r16, 0x44, 7
    CHECK %r17, 0x3412, 8
    ! quads (right area 1): movaqp to a 128-bit register, movaq as a channel pair
    {
        movaqp,2 area=1, ind=0, am=0, be=0, %qpr18
    }
    {
        movaq,2 area=1, ind=0, am=1, be=0, %r20
    }
    {
        addd,0 0, out, %r7
        movaqp,3 area=1, ind=0, am=0, be=0, %qpr22
    }
    {
        stqp,2 %qpr18, [ %r7 ]
        stqp,5 %qpr22, [ %r7 + 16 ]
    }
    {
        ldd,0 [ %r7 ], %r24
        ldd,2 [ %r7 + 8 ], %r25
    }
    {
        ldd,0 [ %r7 + 16 ], %r26
        ldd,2 [ %r7 + 24 ], %r27
    }
    CHECK %r24, 0x1111, 9
    CHECK %r25, 0x2222, 10
    CHECK %r20, 0x1111, 11
    CHECK %r21, 0x2222, 12
    CHECK %r26, 0x3333, 13
    CHECK %r27, 0x4444, 14
    ! big-endian quad: all 16 bytes reversed
    {
        movaqp,2 area=1, ind=0, am=0, be=1, %qpr18
    }
    {
        stqp,2 %qpr18, [ %r7 ]
    }
    {
        ldd,0 [ %r7 ], %r24
        ldd,2 [ %r7 + 8 ], %r25
    }
    CHECK %r24, 0x4444000000000000, 26
    CHECK %r25, 0x3333000000000000, 27
    ! an element on an unmapped page moves as a diagnostic (tagged) value
    {
        addd,0 0, 0x10, %r8
    }
    {
        aaurwd,2 %r8, %aad4
    }
    {
        movah,0 area=2, ind=0, am=0, be=0, %r28
    }
    {
        gettagd,2 %r28, %r29
    }
    {
        cmpedb,0 %r29, 0, %pred0
    }
    {
        addd,0 0, 15, %g16
        ibranch fail ? %pred0
    }
    ! %aaincr0 reads 1 and %aaind0 reads 0 although they were written
    {
        aaurwd,2 %r6, %aaind0
    }
    {
        aaurrd,2 %aaincr0, %r30
        aaurrd,5 %aaincr1, %r31
    }
    {
        aaurrd,2 %aaind0, %r29
    }
    CHECK %r30, 1, 16
    CHECK %r31, 2, 17
    CHECK %r29, 0, 25
    ! ldaa: AAD0 + AASTI3 (+ literal), incr AASTI3 += AAINCR1 << log2(size)
    {
        addd,0 0, 4, %r9
    }
    {
        aaurwd,2 %r9, %aasti3
    }
    {
        ldaaw,2 %aad0 [ %aasti3 ], %r10
        incr,2 %aaincr1
    }
    {
        ldaaw,2 %aad0 [ %aasti3 + _f32s,_lts0 4 ], %r11
        ldaab,5 %aad2 [ %aasti3 ], %r12
    }
    {
        aaurrd,5 %aasti3, %r13
        ldaad,2 %aad1 [ %aasti0 + _f32s,_lts0 8 ], %r14
    }
    CHECK %r10, 101, 18
    CHECK %r11, 104, 19
    CHECK %r12, 0xdd, 20
    CHECK %r13, 12, 21
    CHECK %r14, 0x0100000000000001, 22
    ! staaqp / ldaaqp (v5): 16 bytes, the increment scaled by 16
    {
        addd,0 0, out, %r8
        addd,1 0, 0, %r9
    }
    {
        aaurwd,2 %r8, %aad5
        aaurwd,5 %r9, %aasti4
    }
    {
        staaqp,2 %qpr22, %aad5 [ %aasti4 ]
        incr,2 %aaincr0
    }
    {
        ldaaqp,2 %aad5 [ %aasti0 ], %qpr18
    }
    {
        stqp,2 %qpr18, [ %r7 + 32 ]
        aaurrd,5 %aasti4, %r10
    }
    {
        ldd,0 [ %r7 + 40 ], %r11
    }
    CHECK %r10, 16, 23
    CHECK %r11, 0x4444, 24
    ! eap ends the program
    {
        eap
    }
    SUCCEED
    EXITG

    ! The prefetch program: entry 0 left area 0 (words, AAD0), right area 0 (doubles,
    ! AAD1, ind 1, incr 1, disp 8); entry 1 left area 1 (bytes, AAD2), right area 1
    ! (quads, AAD3); entry 2 (fapb) left area 2 (halves, AAD4), the last (ct).
    .align 8
prog:
    .word 0x06000000, 0
    .word 0x08009100, 8
    .word 0x02010000, 0
    .word 0x0a018000, 0
    {
        fapb ct=1, dcd=0, fmt=2, mrng=8, d=4, incr=0, ind=0, asz=1, abs=0, disp=0
    }

    .data
    .align 16
arrq:
    .quad 0x1111, 0x2222, 0x3333, 0x4444
arrd:
    .quad 0x0000000000000000, 0x0100000000000001, 0x0200000000000002, 0x0300000000000003
    .quad 0x0400000000000004, 0x0500000000000015, 0x0600000000000006, 0x0700000000000007
arrw:
    .word 100, 101, 102, 103, 104, 105, 106, 107
arrh:
    .hword 0x1234, 0x1234, 0x5678
    .align 8
arrb:
    .byte 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88
    .byte 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x10
    .align 16
out:
    .quad 0, 0, 0, 0, 0, 0
