! System calls: entry 3 of the trap table, Linux e2k numbering (the i386 table,
! control-and-stacks.md §10.3) so user programs are ordinary static e2k Linux programs.
! On entry the window is the caller's outgoing area: %r0 = number, %r1..%r6 = arguments;
! the result (or -errno) goes back in %r0 and `return` restores the user's PSR.
! Interrupts are masked for the whole call (the sdisp entry cleared PSR.ie), except while
! a call waits (tty_read, nanosleep), which re-enables them around the idle wait.

EPERM   = 1
ENOENT  = 2
EBADF   = 9
ENOMEM  = 12
ENODEV  = 19
EISDIR  = 21
EINVAL  = 22
EMFILE  = 24
ENOTDIR = 20
ENOSYS  = 38
EFAULT  = 14
USER_END = 0x400000000                          ! user pointers live in [USER_TEXT, USER_END)

    ! CHECK_USER ptr, len: return -EFAULT unless [ptr, ptr + len) is user address space,
    ! so a program cannot make the kernel read or write kernel memory for it. (A user
    ! address that is not mapped still faults inside the kernel and ends the process.)
    .macro CHECK_USER ptr, len
    {
        addd,0 \ptr, 0, %r16
        addd,1 0, \len, %r17
    }
    FCALL user_range
    {
        cmpedb,0 %r16, 0, %pred0
    }
    {
        ibranch 98f ? %pred0
    }
    {
        subd,0 0, EFAULT, %r0
    }
    FRET
98:
    .endm

syscall_entry:
    PROC_ENTRY
    {
        addd,0 0, sys_table, %r8
    }
1:
    {
        ldd,0 [ %r8 ], %r9
        ldd,2 [ %r8 + 8 ], %r10
    }
    {
        cmpedb,0 %r9, %r0, %pred0
        cmpedb,1 %r10, 0, %pred1                ! end of the table
    }
    {
        ibranch 2f ? %pred0
    }
    {
        addd,0 %r8, 16, %r8
        ibranch 1b ? ~%pred1
    }
    {
        subd,0 0, ENOSYS, %r0
    }
    FRET
2:
    {
        movtd,0 %r10, %ctpr1
        addd,1 %r1, 0, %r16
        addd,2 %r2, 0, %r17
        addd,3 %r3, 0, %r18
        addd,4 %r4, 0, %r19
    }
    {
        addd,0 %r5, 0, %r20
        addd,1 %r6, 0, %r21
        nop 2
    }
        call %ctpr1, wbs=8
    {
        addd,0 %r16, 0, %r0
        ldd,2 [ k_syscalls ], %r1
    }
    {
        addd,0 %r1, 1, %r1
    }
    {
        std,2 %r1, [ k_syscalls ]
    }
    FRET

    .section .rodata
    .align 8
sys_table:
    .quad 1, sys_exit
    .quad 300, sys_exit
    .quad 3, sys_read
    .quad 4, sys_write
    .quad 5, sys_open
    .quad 335, sys_openat
    .quad 6, sys_close
    .quad 20, sys_getpid
    .quad 88, sys_reboot
    .quad 90, sys_mmap
    .quad 91, sys_munmap
    .quad 116, sys_sysinfo
    .quad 122, sys_uname
    .quad 162, sys_nanosleep
    .quad 220, sys_getdents64
    .quad 267, sys_clock_gettime
    .quad 0, 0
    .text

! user_range(ptr, len) -> 0 when [ptr, ptr + len) lies in user space, else -1
user_range:
    PROC_ENTRY
    {
        addd,0 %r0, %r1, %r2
        subd,1 0, 1, %r3
    }
    {
        cmpbdb,0 %r0, USER_TEXT, %pred0         ! below user space
        cmpbdb,1 %r2, %r0, %pred1               ! wraps around
    }
    {
        ibranch 9f ? %pred0
    }
    {
        ibranch 9f ? %pred1
    }
    {
        cmpbedb,0 %r2, USER_END, %pred2
    }
    {
        addd,0 0, 0, %r3 ? %pred2
    }
9:
    {
        addd,0 %r3, 0, %r0
    }
    FRET

sys_exit:
    PROC_ENTRY
    {
        andd,0 %r0, 0xff, %r16
    }
    FCALL process_exit

sys_getpid:
    PROC_ENTRY
    {
        addd,0 0, 1, %r0
    }
    FRET

! read(fd, buf, n)
sys_read:
    PROC_ENTRY
    CHECK_USER %r1, %r2
    {
        cmpedb,0 %r0, 0, %pred0
        addd,1 %r1, 0, %r16
        addd,2 %r2, 0, %r17
    }
    {
        ibranch 1f ? ~%pred0
    }
    FCALL tty_read
    {
        addd,0 %r16, 0, %r0
    }
    FRET
1:
    {
        addd,0 %r0, 0, %r16
        addd,1 %r1, 0, %r17
        addd,2 %r2, 0, %r18
    }
    FCALL fs_read
    {
        addd,0 %r16, 0, %r0
    }
    FRET

! write(fd, buf, n): standard output and error are the console
sys_write:
    PROC_ENTRY
    CHECK_USER %r1, %r2
    {
        cmpedb,0 %r0, 1, %pred0
        cmpedb,1 %r0, 2, %pred1
        addd,2 %r1, 0, %r16
        addd,3 %r2, 0, %r17
    }
    {
        ibranch 1f ? %pred0
    }
    {
        ibranch 1f ? %pred1
    }
    {
        subd,0 0, EBADF, %r0
    }
    FRET
1:
    FCALL uart_write
    {
        addd,0 %r2, 0, %r0
    }
    FRET

sys_open:
    PROC_ENTRY
    CHECK_USER %r0, 1
    {
        addd,0 %r0, 0, %r16
    }
    FCALL fs_open
    {
        addd,0 %r16, 0, %r0
    }
    FRET

! openat(dirfd, path, flags, mode): every path is relative to the root here
sys_openat:
    PROC_ENTRY
    CHECK_USER %r1, 1
    {
        addd,0 %r1, 0, %r16
    }
    FCALL fs_open
    {
        addd,0 %r16, 0, %r0
    }
    FRET

sys_close:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL fs_close
    {
        addd,0 %r16, 0, %r0
    }
    FRET

sys_getdents64:
    PROC_ENTRY
    CHECK_USER %r1, %r2
    {
        addd,0 %r0, 0, %r16
        addd,1 %r1, 0, %r17
        addd,2 %r2, 0, %r18
    }
    FCALL fs_getdents
    {
        addd,0 %r16, 0, %r0
    }
    FRET

! reboot(magic1, magic2, cmd): LINUX_REBOOT_CMD_POWER_OFF / HALT power off,
! LINUX_REBOOT_CMD_RESTART asks the power controller for a cold reboot.
sys_reboot:
    PROC_ENTRY
    {
        cmpedb,0 %r0, 0xfee1dead, %pred0
        cmpedb,1 %r1, 672274793, %pred1
        subd,2 0, EINVAL, %r8
    }
    {
        ibranch 9f ? ~%pred0
    }
    {
        ibranch 9f ? ~%pred1
    }
    {
        cmpedb,0 %r2, 0x4321fedc, %pred0        ! POWER_OFF
        cmpedb,1 %r2, 0xcdef0123, %pred1        ! HALT
        cmpedb,3 %r2, 0x01234567, %pred2        ! RESTART
    }
    {
        ibranch 1f ? %pred0
    }
    {
        ibranch 1f ? %pred1
    }
    {
        ibranch 9f ? ~%pred2
    }
    {
        addd,0 0, s_rebooting, %r16
    }
    FCALL uart_puts
    {
        addd,0 0, POWER_BASE, %r1
        addd,1 0, POWER_REBOOT, %r2
    }
    {
        stw,2 %r2, [ %r1 + POWER_CMD ]
    }
2:
    IDLE_WAIT
    {
        ibranch 2b
    }
1:
    {
        addd,0 0, s_powering_off, %r16
    }
    FCALL uart_puts
    FCALL power_off
9:
    {
        addd,0 %r8, 0, %r0
    }
    FRET

! mmap(addr, len, prot, flags, fd, off): anonymous private memory only. Only address
! space is reserved; pages arrive on first touch (page_fault), which is what makes
! `mem` show lazy allocation in the guest and lazy GPA mapping in the host.
sys_mmap:
    PROC_ENTRY
    {
        andd,0 %r3, 0x20, %r8                   ! MAP_ANONYMOUS
        andd,1 %r3, 0x10, %r9                   ! MAP_FIXED
        cmpedb,3 %r1, 0, %pred2
    }
    {
        cmpedb,0 %r8, 0, %pred0
        cmpedb,1 %r9, 0, %pred1
        subd,2 0, ENODEV, %r0
    }
    {
        ibranch 9f ? %pred0
    }
    {
        subd,0 0, EINVAL, %r0
        ibranch 9f ? ~%pred1
    }
    {
        ibranch 9f ? %pred2
    }
    {
        addd,0 %r1, PAGE - 1, %r10
        ldd,2 [ k_mmap_next ], %r11
    }
    {
        andnd,0 %r10, PAGE - 1, %r10
    }
    {
        addd,0 %r11, %r10, %r12
    }
    {
        cmpbedb,0 %r12, MMAP_LIMIT, %pred0
        subd,1 0, ENOMEM, %r0
    }
    {
        ibranch 9f ? ~%pred0
    }
    {
        std,2 %r12, [ k_mmap_next ]
        addd,0 %r11, 0, %r0
    }
9:
    FRET

! munmap(addr, len): frees the pages that were touched; the area's end moves back when
! the last mapping is removed, so repeated `mem` runs reuse the same addresses.
sys_munmap:
    PROC_ENTRY
    {
        andd,0 %r0, PAGE - 1, %r1
        addd,1 %r1, PAGE - 1, %r10
        addd,2 %r0, 0, %r8
    }
    {
        cmpedb,0 %r1, 0, %pred0
        andnd,1 %r10, PAGE - 1, %r10
        subd,2 0, EINVAL, %r0
    }
    {
        ibranch 9f ? ~%pred0
        addd,0 %r8, %r10, %r9                   ! end
    }
1:
    {
        cmpbdb,0 %r8, %r9, %pred0
    }
    {
        ibranch 2f ? ~%pred0
    }
    {
        addd,0 %r8, 0, %r16
    }
    FCALL unmap_page
    {
        cmpedb,0 %r16, 0, %pred0
    }
    {
        ibranch 3f ? %pred0
    }
    FCALL free_page                     ! %r16 = the page
3:
    {
        addd,0 %r8, PAGE, %r8
        ibranch 1b
    }
2:
    FCALL tlb_flush
    {
        ldd,0 [ k_mmap_next ], %r1
        subd,1 %r9, %r10, %r2                   ! addr
    }
    {
        cmpedb,0 %r1, %r9, %pred0
        addd,1 0, 0, %r0
    }
    {
        std,2 %r2, [ k_mmap_next ] ? %pred0
    }
9:
    FRET

! sysinfo(info): struct sysinfo (64-bit): uptime 0, totalram 32, freeram 40, procs 80,
! mem_unit 104
sys_sysinfo:
    PROC_ENTRY
    CHECK_USER %r0, 112
    {
        addd,0 %r0, 0, %r8
        addd,1 %r0, 0, %r16
        addd,2 0, 112, %r17
    }
    FCALL memzero
    FCALL rtc_ns
    {
        ldd,0 [ k_boot_ns ], %r1
    }
    {
        ldd,2 [ k_ram ], %r2
    }
    {
        ldd,3 [ k_pool_end ], %r3
    }
    {
        ldd,5 [ k_pool_next ], %r4
    }
    {
        subd,0 %r16, %r1, %r1
        subd,1 %r3, %r4, %r3
        ldd,2 [ k_free_pages ], %r5
    }
    {
        udivd,5 %r1, 1000000000, %r1
        shld,0 %r5, 12, %r5
    }
    {
        addd,0 %r3, %r5, %r3
        addd,1 0, 1, %r6
    }
    {
        std,2 %r1, [ %r8 ]
        std,5 %r2, [ %r8 + 32 ]
    }
    {
        std,2 %r3, [ %r8 + 40 ]
        sth,5 %r6, [ %r8 + 80 ]
    }
    {
        stw,2 %r6, [ %r8 + 104 ]
        addd,0 0, 0, %r0
    }
    FRET

! uname(buf): six 65-byte fields from a template
sys_uname:
    PROC_ENTRY
    CHECK_USER %r0, 390
    {
        addd,0 %r0, 0, %r16
        addd,1 0, uts_template, %r17
        addd,2 0, 6 * 65, %r18
    }
    FCALL memcpy
    {
        addd,0 0, 0, %r0
    }
    FRET

! clock_gettime(clock, ts): CLOCK_REALTIME from the RTC; the others count from boot
sys_clock_gettime:
    PROC_ENTRY
    CHECK_USER %r1, 16
    {
        addd,0 %r0, 0, %r8
        addd,1 %r1, 0, %r9
    }
    FCALL rtc_ns
    {
        ldd,0 [ k_boot_ns ], %r1
        cmpedb,1 %r8, 0, %pred0
    }
    {
        subd,0 %r16, %r1, %r16 ? ~%pred0
    }
    {
        udivd,5 %r16, 1000000000, %r2
    }
    {
        muld,0 %r2, 1000000000, %r3
    }
    {
        subd,0 %r16, %r3, %r3
        std,2 %r2, [ %r9 ]
    }
    {
        std,2 %r3, [ %r9 + 8 ]
        addd,0 0, 0, %r0
    }
    FRET

! nanosleep(req, rem): idle (interrupts on) until the RTC says the time has passed
sys_nanosleep:
    PROC_ENTRY
    CHECK_USER %r0, 16
    {
        ldd,0 [ %r0 ], %r8
        ldd,2 [ %r0 + 8 ], %r9
    }
    {
        muld,0 %r8, 1000000000, %r8
    }
    FCALL rtc_ns
    {
        addd,0 %r8, %r9, %r8
    }
    {
        addd,0 %r8, %r16, %r8                   ! deadline
    }
1:
    FCALL rtc_ns
    {
        cmpbdb,0 %r16, %r8, %pred0
    }
    {
        ibranch 2f ? ~%pred0
    }
    FCALL idle_with_irqs
    {
        ibranch 1b
    }
2:
    {
        addd,0 0, 0, %r0
    }
    FRET

! idle_with_irqs(): one idle wait with interrupts accepted (timer, UART, disk), then
! masked again. PSR is per procedure, so the change ends with this call anyway.
idle_with_irqs:
    PROC_ENTRY
    {
        addd,0 0, PSR_KERNEL_IRQ, %r1
    }
    {
        rws,0 %r1, %psr
        nop 2
    }
    IDLE_WAIT
    {
        addd,0 0, 1, %r1
    }
    {
        rws,0 %r1, %psr
    }
    FRET

    .section .rodata
s_rebooting:    .asciz "kernel: rebooting\n"
s_powering_off: .asciz "kernel: power off\n"
uts_template:
    .ascii "Glaunch"
    .skip 65 - 7
    .ascii "demo"
    .skip 65 - 4
    .ascii "0.1"
    .skip 65 - 3
    .ascii "#1 Glaunch demo OS"
    .skip 65 - 18
    .ascii "e2k"
    .skip 65 - 3
    .ascii "(none)"
    .skip 65 - 6
    .bss
k_syscalls:     .skip 8
    .text
