! String helpers shared by the kernel and the shell (included by kernel/kernel.S and
! user/shell.S). Arguments and results in %r0.. of the callee's window, as FCALL passes them.

! strlen(s) -> length
strlen:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r1
    }
1:
    {
        ldb,0 [ %r1 ], %r2
    }
    {
        cmpedb,0 %r2, 0, %pred0
    }
    {
        ibranch 2f ? %pred0
    }
    {
        addd,0 %r1, 1, %r1
        ibranch 1b
    }
2:
    {
        subd,0 %r1, %r0, %r0
    }
    FRET

! strcpy(dst, src) including the NUL
strcpy:
    PROC_ENTRY
1:
    {
        ldb,0 [ %r1 ], %r2
    }
    {
        stb,2 %r2, [ %r0 ]
        cmpedb,0 %r2, 0, %pred0
        addd,1 %r0, 1, %r0
        addd,3 %r1, 1, %r1
    }
    {
        ibranch 1b ? ~%pred0
    }
    FRET
