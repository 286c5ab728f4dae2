! Segment-relative loads and stores (x86 binary-translation forms ld{c,d,e,f,g,s}s*,
! st…s*): address = segment base (0, as QEMU; emulator/cpu/README.md) + the 32-bit
! wrapping sum of the two 32-bit sources. High halves of the source registers are ignored.
    .include "common.inc"
    START
    {
        addd,0 0, mem, %r0
        addd,3 0, -16, %r1
    }
    {
        addd,1 0, 0x1122334455667788, %r4
    }
    {
        ! garbage in the high half of the base register must not matter
        ord,0 %r0, 0x7ead000000000000, %r2
        addd,1 %r0, 16, %r3
    }
    {
        stcsd,2 %r4, %r2, 0
        stdsw,5 %r4, %r0, 8
    }
    {
        ldcsd,0 %r0, 0, %r5
        lddsw,2 %r0, 8, %r6
        ldesh,3 %r2, 2, %r7
    }
    CHECK %r5, 0x1122334455667788, 1
    CHECK %r6, 0x55667788, 2
    CHECK %r7, 0x5566, 3
    {
        ! (mem + 16) + 0xfffffff0 wraps to mem in 32 bits
        ldfsb,0 %r3, %r1, %r8
        ldgsb,2 %r3, %r1, %r9
        ldssd,3 %r3, %r1, %r10
    }
    CHECK %r8, 0x88, 4
    CHECK %r9, 0x88, 5
    CHECK %r10, 0x1122334455667788, 6
    {
        addd,0 0, 0xaa, %r14
        addd,1 0, 0xbbcc, %r15
    }
    {
        stesb,2 %r14, %r3, %r1
        stfsh,5 %r15, %r0, 10
    }
    {
        stgsw,2 %r4, %r0, 12
    }
    {
        ldssd,0 %r0, 8, %r11
        ldcsb,2 %r0, 0, %r12
    }
    CHECK %r11, 0x55667788bbcc7788, 7
    CHECK %r12, 0xaa, 8
    {
        addd,0 0, 0, %r16
    }
    {
        stssd,2 %r16, %r0, 0
    }
    {
        ldd,0 [ %r0 ], %r13
    }
    CHECK %r13, 0, 9
    SUCCEED
    EXITG
    .data
    .align 16
mem:
    .quad 0, 0, 0, 0
