! fstoifs/fdtoifd: round to an integral value in float format; src1 = mode (bit 2: the
! current %pfpfr mode, else 0 nearest-even, 1 down, 2 up, 3 chop; bit 3: no inexact).
    .include "common.inc"
    START
    {
        rws,0 0x1f80, %pfpfr
        addd,1 0, 0x4004000000000000, %r0
    }
    ! 2.5: nearest-even 2, down 2, up 3, chop 2
    {
        fdtoifd,0 0, %r0, %r1
        fdtoifd,1 1, %r0, %r2
        fdtoifd,3 2, %r0, %r3
        fdtoifd,4 3, %r0, %r4
    }
    CHECK %r1, 0x4000000000000000, 1
    CHECK %r2, 0x4000000000000000, 2
    CHECK %r3, 0x4008000000000000, 3
    CHECK %r4, 0x4000000000000000, 4
    ! pfdtoifd: the one-lane packed form
    {
        pfdtoifd,0 2, %r0, %r11
    }
    CHECK %r11, 0x4008000000000000, 10
    ! -1.5 as float32: nearest -2, up -1, current (nearest) -2
    {
        addd,0 0, 0xbfc00000, %r5
    }
    {
        fstoifs,0 0, %r5, %r6
        fstoifs,1 2, %r5, %r7
        fstoifs,3 4, %r5, %r8
    }
    CHECK %r6, 0xc0000000, 5
    CHECK %r7, 0xbf800000, 6
    CHECK %r8, 0xc0000000, 7
    ! inexact: set by mode 0, suppressed by bit 3
    {
        rws,0 0x1f80, %pfpfr
    }
    {
        fdtoifd,0 8, %r0, %r9
    }
    {
        rrs,0 %pfpfr, %r10
    }
    {
        andd,0 %r10, 0x20, %r10
    }
    CHECK %r10, 0, 8
    {
        fdtoifd,0 0, %r0, %r9
    }
    {
        rrs,0 %pfpfr, %r10
    }
    {
        andd,0 %r10, 0x20, %r10
    }
    CHECK %r10, 0x20, 9
    SUCCEED
    EXITG
