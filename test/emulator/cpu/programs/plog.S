! plog_N / qplog_N (v5): 3-input bitwise truth tables, bit (s1·4 + s2·2 + s3) of N;
! the named aliases share the encodings (and 0x80, xor 0x96, sel3 0xd8, mjr 0xe8, or 0xfe).
    .include "common.inc"
    START
    {
        addd,0 0, 0xff00ff00f0f0cccc, %r0
        addd,1 0, 0xffff0000ff00aaaa, %r1
    }
    {
        addd,0 0, 0xf0f0f0f00ff0f00f, %r2
    }
    {
        plog_0x80,0 %r0, %r1, %r2, %r3
        plog_0x96,1 %r0, %r1, %r2, %r4
        plog_0xe8,3 %r0, %r1, %r2, %r5
        plog_0xd8,4 %r0, %r1, %r2, %r6
    }
    CHECK %r3, 0xf000000000008008, 1
    CHECK %r4, 0xf00f0ff000009669, 2
    CHECK %r5, 0xfff0f000fff0e88e, 3
    CHECK %r6, 0xfff00f00ff00acca, 4
    {
        plog_0x01,0 %r0, %r1, %r2, %r7
        plog_0xfe,1 %r0, %r1, %r2, %r8
    }
    CHECK %r7, 0x0000000f000f0110, 5
    CHECK %r8, 0xfffffff0fff0feef, 6
    SUCCEED
    EXITG
