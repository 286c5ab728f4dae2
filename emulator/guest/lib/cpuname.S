! cpu_name(mdl) -> NUL-terminated marketing name of IDR.mdl (system.md §0), or
! "unknown Elbrus" for models the table does not list.
cpu_name:
    PROC_ENTRY
    {
        cmpbdb,0 %r0, 13, %pred0
        addd,1 0, cpu_unknown, %r1
    }
    {
        ibranch 1f ? ~%pred0
    }
    {
        shld,0 %r0, 3, %r2
    }
    {
        ldd,0 %r2, cpu_names, %r1
    }
1:
    {
        addd,0 %r1, 0, %r0
    }
    FRET

    .pushsection .rodata
    .align 8
cpu_names:
    .quad cpu_unknown, cpu_e3m, cpu_e3s, cpu_e2s, cpu_e2cp, cpu_unknown, cpu_e2c
    .quad cpu_e8c, cpu_e1cp, cpu_e8c2, cpu_e12c, cpu_e16c, cpu_e2c3
cpu_unknown:    .asciz "unknown Elbrus"
cpu_e3m:        .asciz "Elbrus-3M"
cpu_e3s:        .asciz "Elbrus-3S"
cpu_e2s:        .asciz "Elbrus-4C (e2s)"
cpu_e2cp:       .asciz "Elbrus-2C+ (e2c+)"
cpu_e2c:        .asciz "Elbrus-2C"
cpu_e8c:        .asciz "Elbrus-8C (e8c)"
cpu_e1cp:       .asciz "Elbrus-1C+ (e1cp)"
cpu_e8c2:       .asciz "Elbrus-8C2 (e8c2)"
cpu_e12c:       .asciz "Elbrus-12C (e12c)"
cpu_e16c:       .asciz "Elbrus-16C (e16c)"
cpu_e2c3:       .asciz "Elbrus-2C3 (e2c3)"
    .popsection
