! Number formatting shared by the boot ROM, the kernel and the shell (each then sends the
! text its own way: the UART, the kernel's text buffer, a write system call).
! Both procedures write backwards into the caller's buffer so that the text ends just
! before `end` (the caller keeps its terminator at *end) and return the address of the
! first character. The longest text is "0x" and 16 digits: 18 bytes below `end`.
! Included textually after proc.inc.

! fmt_udec(n, end): unsigned decimal
fmt_udec:
    PROC_ENTRY
    {
        addd,0 %r1, 0, %r8
        addd,1 %r0, 0, %r1
    }
1:
    {
        subd,0 %r8, 1, %r8
        udivd,5 %r1, 10, %r2
    }
    {
        muld,0 %r2, 10, %r3
    }
    {
        subd,0 %r1, %r3, %r3
        addd,1 %r2, 0, %r1
        cmpedb,3 %r2, 0, %pred0
    }
    {
        addd,0 %r3, 0x30, %r3
    }
    {
        stb,2 %r3, [ %r8 ]
        ibranch 1b ? ~%pred0
    }
    {
        addd,0 %r8, 0, %r0
    }
    FRET

! fmt_hex(n, end): "0x" and lowercase hex digits, no leading zeros
fmt_hex:
    PROC_ENTRY
    {
        addd,0 %r1, 0, %r8
        addd,1 %r0, 0, %r1
    }
1:
    {
        subd,0 %r8, 1, %r8
        andd,1 %r1, 15, %r2
        shrd,2 %r1, 4, %r1
    }
    {
        ldb,0 %r2, fmt_hexdigits, %r3
        cmpedb,1 %r1, 0, %pred0
    }
    {
        stb,2 %r3, [ %r8 ]
        ibranch 1b ? ~%pred0
    }
    {
        subd,0 %r8, 2, %r8
        addd,1 0, 0x30, %r1
        addd,2 0, 0x78, %r2
    }
    {
        stb,2 %r1, [ %r8 ]
        stb,5 %r2, [ %r8 + 1 ]
        addd,0 %r8, 0, %r0
    }
    FRET

    .pushsection .rodata
fmt_hexdigits:
    .ascii "0123456789abcdef"
    .popsection
