! Big-endian accesses: MAS bit 3 reverses the bytes of the loaded or stored value (QEMU
! memop_from_mas), for every size.
    .include "common.inc"
    START
    {
        addd,0 0, buf, %r0
        addd,1 0, 0x1122334455667788, %r1
    }
    {
        std,2 %r1, [ %r0 ]
    }
    {
        ldd,0 %r0, 0, %r2, mas=0x8
        ldw,2 %r0, 0, %r3, mas=0x8
    }
    {
        ldh,0 %r0, 0, %r4, mas=0x8
        ldb,2 %r0, 0, %r5, mas=0x8
    }
    CHECK %r2, 0x8877665544332211, 1
    CHECK %r3, 0x88776655, 2
    CHECK %r4, 0x8877, 3
    CHECK %r5, 0x88, 4
    {
        addd,0 0, 0x11223344, %r6
    }
    {
        stw,2 %r6, %r0, 8, mas=0x8
        sth,5 %r6, %r0, 12, mas=0x8
    }
    {
        ldw,0 %r0, 8, %r7
        ldh,2 %r0, 12, %r8
    }
    CHECK %r7, 0x44332211, 5
    CHECK %r8, 0x4433, 6
    ! 16 bytes: the whole quad reversed
    {
        addd,0 0, 0x0102030405060708, %r9
    }
    {
        qppackdl,0 %r9, %r1, %qpr10
    }
    {
        stqp,2 %qpr10, %r0, 16, mas=0x8
    }
    {
        ldd,0 %r0, 16, %r12
        ldd,2 %r0, 24, %r13
    }
    CHECK %r12, 0x0807060504030201, 7
    CHECK %r13, 0x8877665544332211, 8
    {
        ldqp,0 %r0, 16, %qpr14, mas=0x8
    }
    {
        stqp,2 %qpr14, %r0, 32
    }
    {
        ldd,0 %r0, 32, %r16
        ldd,2 %r0, 40, %r17
    }
    CHECK %r16, 0x1122334455667788, 9
    CHECK %r17, 0x0102030405060708, 10
    SUCCEED
    EXITG
    .data
    .align 16
buf:
    .quad 0, 0, 0, 0, 0, 0
