! gsh — the Glaunch demo OS shell (user mode, serial console).
!
! A static e2k ELF that only talks to its kernel through Linux-numbered system calls
! (control-and-stacks.md §10.3), so the very same binary runs on the demo kernel and
! under the user-mode runner (`e2k-run shell`), where it is tested.
! System calls used: read 3, write 4, open 5, close 6, reboot 88, mmap 90, munmap 91,
! sysinfo 116, uname 122, getdents64 220, clock_gettime 267, exit 1.
!
! The terminal is raw: the shell echoes what it reads and does its own line editing
! (backspace/DEL, Ctrl-U kill line, Ctrl-C cancel, Ctrl-D on an empty line = end of
! input, Up/Down arrows or Ctrl-P/Ctrl-N walk the last 8 lines). Output uses "\n" only; the
! kernel's console driver turns it into CR LF as a Linux tty (ONLCR) would.

    .include "proc.inc"

SYS_EXIT        = 1
SYS_READ        = 3
SYS_WRITE       = 4
SYS_OPEN        = 5
SYS_CLOSE       = 6
SYS_REBOOT      = 88
SYS_MMAP        = 90
SYS_MUNMAP      = 91
SYS_SYSINFO     = 116
SYS_UNAME       = 122
SYS_GETDENTS64  = 220
SYS_CLOCK_GETTIME = 267
CLOCK_MONOTONIC = 1
O_DIRECTORY     = 0x10000
LINE_MAX        = 200
FILEBUF_SIZE    = 4096
HIST_N          = 8                     ! history lines kept (power of two)

    .text
    .global _start
_start:
    PROC_ENTRY
    {
        addd,0 0, s_banner, %r16
    }
    FCALL puts

! Main loop. %r0 = command word, %r1 = its end, %r2 = arguments (spaces skipped).
.Lprompt:
    {
        addd,0 0, s_prompt, %r16
    }
    FCALL puts
    {
        addd,0 0, linebuf, %r16
        addd,1 0, LINE_MAX, %r17
    }
    FCALL readline
    {
        cmpldb,0 %r16, 0, %pred0        ! -1: end of input
    }
    {
        ibranch .Leof ? %pred0
    }
    {
        addd,0 0, linebuf, %r16
    }
    FCALL skipsp
    {
        addd,0 %r16, 0, %r0
    }
    {
        ldb,0 %r0, 0, %r3
    }
    {
        cmpedb,0 %r3, 0, %pred0         ! empty line
    }
    {
        ibranch .Lprompt ? %pred0
    }
    {
        addd,0 %r0, 0, %r16
    }
    FCALL wordend
    {
        addd,0 %r16, 0, %r1
    }
    FCALL skipsp                         ! %r16 still holds the word end
    {
        addd,0 %r16, 0, %r2
    }

    .macro COMMAND name, target
    {
        addd,0 %r0, 0, %r16
        addd,1 0, \name, %r17
    }
    FCALL wordeq
    {
        cmpedb,0 %r16, 0, %pred0
    }
    {
        ibranch \target ? ~%pred0
    }
    .endm

    COMMAND s_help, .Lhelp
    COMMAND s_echo, .Lecho
    COMMAND s_info, .Linfo
    COMMAND s_ls, .Lls
    COMMAND s_cat, .Lcat
    COMMAND s_mem, .Lmem
    COMMAND s_bench, .Lbench
    COMMAND s_reboot, .Lreboot
    COMMAND s_poweroff, .Lpoweroff
    COMMAND s_exit, .Lexit

    ! unknown command: print the word itself
    {
        addd,0 0, 1, %r16
        addd,1 %r0, 0, %r17
        subd,2 %r1, %r0, %r18
    }
    FCALL writefd
    {
        addd,0 0, s_notfound, %r16
    }
    FCALL puts
    {
        ibranch .Lprompt
    }

.Lhelp:
    {
        addd,0 0, s_helptext, %r16
    }
    FCALL puts
    {
        ibranch .Lprompt
    }

.Lecho:
    {
        addd,0 %r2, 0, %r16
    }
    FCALL puts
    {
        addd,0 0, s_nl, %r16
    }
    FCALL puts
    {
        ibranch .Lprompt
    }

    .macro RUN fn
    {
        addd,0 %r2, 0, %r16
    }
    FCALL \fn
    {
        ibranch .Lprompt
    }
    .endm

.Linfo:
    RUN cmd_info
.Lls:
    RUN cmd_ls
.Lcat:
    RUN cmd_cat
.Lmem:
    RUN cmd_mem
.Lbench:
    RUN cmd_bench
.Lreboot:
    {
        addd,0 0, 0x01234567, %r16      ! LINUX_REBOOT_CMD_RESTART
        addd,1 0, s_reboot, %r17
    }
    FCALL do_reboot
    {
        ibranch .Lprompt
    }
.Lpoweroff:
    {
        addd,0 0, 0x4321fedc, %r16      ! LINUX_REBOOT_CMD_POWER_OFF
        addd,1 0, s_poweroff, %r17
    }
    FCALL do_reboot
    {
        ibranch .Lprompt
    }

.Leof:
    {
        addd,0 0, s_nl, %r16
    }
    FCALL puts
.Lexit:
    {
        addd,0 0, SYS_EXIT, %r16
        addd,1 0, 0, %r17
    }
    SCALL
    {
        ibranch .Lexit
    }

! ---------------------------------------------------------------------------------------
! readline(buf, max) -> length, or -1 at end of input. Echoes and edits; NUL-terminates.
! %r0 buf, %r1 max, %r2 length, %r3 the byte read, %r5 how far back in the history.
readline:
    PROC_ENTRY
    {
        addd,0 0, 0, %r2
        addd,1 0, 0, %r5                ! history position: 0 = the line being typed
    }
.Lrl_next:
    {
        addd,0 0, SYS_READ, %r16
        addd,1 0, 0, %r17
        addd,2 0, chbuf, %r18
        addd,3 0, 1, %r19
    }
    SCALL
    {
        cmpledb,0 %r16, 0, %pred0       ! 0 = end of input, < 0 = error: both end the line
        ldb,2 [ chbuf ], %r3
    }
    {
        ibranch .Lrl_end ? %pred0
    }
    {
        cmpedb,0 %r3, 0x0a, %pred0      ! LF
        cmpedb,1 %r3, 0x0d, %pred1      ! CR
    }
    {
        ibranch .Lrl_enter ? %pred0
    }
    {
        ibranch .Lrl_enter ? %pred1
    }
    {
        cmpedb,0 %r3, 0x08, %pred0      ! BS
        cmpedb,1 %r3, 0x7f, %pred1      ! DEL (what terminals send for Backspace)
    }
    {
        ibranch .Lrl_bs ? %pred0
    }
    {
        ibranch .Lrl_bs ? %pred1
    }
    {
        cmpedb,0 %r3, 0x15, %pred0      ! Ctrl-U
        cmpedb,1 %r3, 0x03, %pred1      ! Ctrl-C
    }
    {
        ibranch .Lrl_kill ? %pred0
    }
    {
        ibranch .Lrl_cancel ? %pred1
    }
    {
        cmpedb,0 %r3, 0x04, %pred0      ! Ctrl-D
        cmpedb,1 %r3, 0x10, %pred1      ! Ctrl-P: previous line
    }
    {
        ibranch .Lrl_eot ? %pred0
    }
    {
        ibranch .Lrl_up ? %pred1
    }
    {
        cmpedb,0 %r3, 0x1b, %pred0      ! ESC: maybe an arrow key
        cmpedb,1 %r3, 0x0e, %pred1      ! Ctrl-N: next line
    }
    {
        ibranch .Lrl_down ? %pred1
    }
    {
        ibranch .Lrl_esc ? %pred0
    }
    {
        cmpbdb,0 %r3, 0x20, %pred0      ! other control characters are ignored
        cmpbdb,1 %r3, 0x7f, %pred1
    }
    {
        ibranch .Lrl_next ? %pred0
    }
    {
        ibranch .Lrl_next ? ~%pred1
    }
    {
        cmpbdb,0 %r2, %r1, %pred0       ! room left?
    }
    {
        ibranch .Lrl_bell ? ~%pred0
    }
    {
        stb,2 %r3, [ %r0 + %r2 ]
        addd,0 %r2, 1, %r2
    }
    {
        addd,0 0, 1, %r16
        addd,1 0, chbuf, %r17
        addd,2 0, 1, %r18
    }
    FCALL writefd                        ! echo
    {
        ibranch .Lrl_next
    }
.Lrl_bell:
    {
        addd,0 0, s_bell, %r16
    }
    FCALL puts
    {
        ibranch .Lrl_next
    }
.Lrl_bs:
    {
        cmpedb,0 %r2, 0, %pred0
    }
    {
        ibranch .Lrl_next ? %pred0
    }
    {
        subd,0 %r2, 1, %r2
        addd,1 0, s_rubout, %r16
    }
    FCALL puts
    {
        ibranch .Lrl_next
    }
.Lrl_kill:
    {
        addd,0 %r2, 0, %r16
    }
    FCALL rubout
    {
        addd,0 0, 0, %r2
        ibranch .Lrl_next
    }
.Lrl_cancel:
    {
        addd,0 0, s_ctrlc, %r16
    }
    FCALL puts
    {
        addd,0 0, 0, %r2
        ibranch .Lrl_done
    }
.Lrl_eot:
    {
        cmpedb,0 %r2, 0, %pred0
    }
    {
        ibranch .Lrl_end ? %pred0
    }
    {
        ibranch .Lrl_next
    }
.Lrl_esc:
    ! ESC [ A / ESC [ B (Up / Down arrow) walk the history; other sequences are dropped.
    {
        addd,0 0, SYS_READ, %r16
        addd,1 0, 0, %r17
        addd,2 0, escbuf, %r18
        addd,3 0, 2, %r19
    }
    SCALL
    {
        ldb,0 [ escbuf + 1 ], %r4
        cmpedb,1 %r16, 2, %pred0
    }
    {
        ibranch .Lrl_next ? ~%pred0
    }
    {
        cmpedb,0 %r4, 0x41, %pred0      ! 'A'
        cmpedb,1 %r4, 0x42, %pred1      ! 'B'
    }
    {
        ibranch .Lrl_up ? %pred0
    }
    {
        ibranch .Lrl_down ? %pred1
    }
    {
        ibranch .Lrl_next
    }
.Lrl_up:
    {
        ldd,0 [ hist_count ], %r6
    }
    {
        cmpbdb,0 %r5, %r6, %pred0       ! an older line exists?
    }
    {
        ibranch .Lrl_next ? ~%pred0
    }
    {
        addd,0 %r5, 1, %r5
        ibranch .Lrl_load
    }
.Lrl_down:
    {
        cmpedb,0 %r5, 0, %pred0
    }
    {
        ibranch .Lrl_next ? %pred0
    }
    {
        subd,0 %r5, 1, %r5
    }
    {
        cmpedb,0 %r5, 0, %pred0
    }
    {
        ibranch .Lrl_load ? ~%pred0
    }
    ! back past the newest entry: an empty line again
    {
        addd,0 %r2, 0, %r16
    }
    FCALL rubout
    {
        addd,0 0, 0, %r2
        ibranch .Lrl_next
    }
.Lrl_load:
    ! show history entry (head - %r5) mod HIST_N instead of the current line
    {
        addd,0 %r2, 0, %r16
    }
    FCALL rubout
    {
        ldd,0 [ hist_head ], %r6
    }
    {
        subd,0 %r6, %r5, %r6
    }
    {
        andd,0 %r6, HIST_N - 1, %r6
    }
    {
        shld,0 %r6, 8, %r6              ! 256 bytes per entry
    }
    {
        addd,0 %r0, 0, %r16
        addd,1 %r6, histbuf, %r17
    }
    FCALL strcpy
    {
        addd,0 %r0, 0, %r16
    }
    FCALL puts
    {
        addd,0 %r0, 0, %r16
    }
    FCALL strlen
    {
        addd,0 %r16, 0, %r2
        ibranch .Lrl_next
    }
.Lrl_end:
    {
        cmpedb,0 %r2, 0, %pred0
    }
    {
        ibranch .Lrl_enter ? ~%pred0     ! a partial last line still counts
    }
    {
        subd,0 0, 1, %r0
    }
    FRET
.Lrl_enter:
    {
        addd,0 0, s_nl, %r16
    }
    FCALL puts
.Lrl_done:
    {
        addd,0 0, 0, %r4
    }
    {
        stb,2 %r4, [ %r0 + %r2 ]
    }
    {
        cmpedb,0 %r2, 0, %pred0
    }
    {
        ibranch 1f ? %pred0             ! empty lines do not go into the history
    }
    {
        ldd,0 [ hist_head ], %r6
        ldd,2 [ hist_count ], %r7
    }
    {
        andd,0 %r6, HIST_N - 1, %r4
        addd,1 %r6, 1, %r6
        cmpbdb,3 %r7, HIST_N, %pred0
    }
    {
        shld,0 %r4, 8, %r4
        addd,1 %r7, 1, %r7 ? %pred0
    }
    {
        std,2 %r6, [ hist_head ]
    }
    {
        std,2 %r7, [ hist_count ]
        addd,0 %r4, histbuf, %r16
        addd,1 %r0, 0, %r17
    }
    FCALL strcpy
1:
    {
        addd,0 %r2, 0, %r0
    }
    FRET

! rubout(n): erase n characters left of the cursor ("\b \b" each).
rubout:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8
    }
1:
    {
        cmpedb,0 %r8, 0, %pred0
    }
    {
        ibranch 2f ? %pred0
    }
    {
        addd,0 0, s_rubout, %r16
        subd,1 %r8, 1, %r8
    }
    FCALL puts
    {
        ibranch 1b
    }
2:
    FRET

! ---------------------------------------------------------------------------------------
! Commands. Each gets the argument string in %r0.

! info: kernel name, CPU, memory, uptime.
cmd_info:
    PROC_ENTRY
    {
        addd,0 0, SYS_UNAME, %r16
        addd,1 0, utsbuf, %r17
    }
    SCALL
    {
        cmpldb,0 %r16, 0, %pred0
    }
    {
        ibranch 1f ? %pred0
    }
    {
        addd,0 0, s_system, %r16
    }
    FCALL puts
    {
        addd,0 0, utsbuf, %r16
    }
    FCALL puts
    {
        addd,0 0, s_space, %r16
    }
    FCALL puts
    {
        addd,0 0, utsbuf + 130, %r16     ! release
    }
    FCALL puts
    {
        addd,0 0, s_space, %r16
    }
    FCALL puts
    {
        addd,0 0, utsbuf + 195, %r16     ! version
    }
    FCALL puts
    {
        addd,0 0, s_machine, %r16
    }
    FCALL puts
    {
        addd,0 0, utsbuf + 260, %r16     ! machine
    }
    FCALL puts
    {
        addd,0 0, s_nl, %r16
    }
    FCALL puts
1:
    ! CPU model and vCPUs: the kernel describes the processor in /proc/cpuinfo.
    {
        addd,0 0, s_cpuinfo, %r16
        addd,1 0, 1, %r17               ! quiet: say nothing when it does not exist
    }
    FCALL catfile
    ! memory
    {
        addd,0 0, SYS_SYSINFO, %r16
        addd,1 0, sysinfobuf, %r17
    }
    SCALL
    {
        cmpldb,0 %r16, 0, %pred0
    }
    {
        ibranch 2f ? %pred0
    }
    {
        addd,0 0, sysinfobuf, %r11
    }
    {
        ldd,0 [ %r11 + 32 ], %r8        ! totalram
        ldd,2 [ %r11 + 40 ], %r9        ! freeram
        ldw,3 [ %r11 + 104 ], %r10      ! mem_unit
    }
    {
        muld,0 %r8, %r10, %r8
        muld,1 %r9, %r10, %r9
    }
    {
        shrd,0 %r8, 20, %r8
        shrd,1 %r9, 20, %r9
        addd,2 0, s_memory, %r16
    }
    FCALL puts
    {
        addd,0 %r8, 0, %r16
    }
    FCALL putdec
    {
        addd,0 0, s_mib_total, %r16
    }
    FCALL puts
    {
        addd,0 %r9, 0, %r16
    }
    FCALL putdec
    {
        addd,0 0, s_mib_free, %r16
    }
    FCALL puts
2:
    ! uptime from the monotonic clock
    {
        addd,0 0, SYS_CLOCK_GETTIME, %r16
        addd,1 0, CLOCK_MONOTONIC, %r17
        addd,2 0, ts0, %r18
    }
    SCALL
    {
        cmpldb,0 %r16, 0, %pred0
    }
    {
        ibranch 3f ? %pred0
    }
    {
        addd,0 0, s_uptime, %r16
    }
    FCALL puts
    {
        ldd,0 [ ts0 ], %r16
    }
    FCALL putdec
    {
        addd,0 0, s_dot, %r16
    }
    FCALL puts
    {
        ldd,0 [ ts0 + 8 ], %r8
    }
    {
        udivd,5 %r8, 1000000, %r16      ! milliseconds
    }
    FCALL putdec3
    {
        addd,0 0, s_seconds, %r16
    }
    FCALL puts
3:
    FRET

! ls: list the root directory with getdents64.
cmd_ls:
    PROC_ENTRY
    {
        addd,0 0, SYS_OPEN, %r16
        addd,1 0, s_root, %r17
        addd,2 0, O_DIRECTORY, %r18
        addd,3 0, 0, %r19
    }
    SCALL
    {
        addd,0 %r16, 0, %r8             ! fd
        cmpldb,1 %r16, 0, %pred0
    }
    {
        ibranch .Lls_err ? %pred0
    }
.Lls_chunk:
    {
        addd,0 0, SYS_GETDENTS64, %r16
        addd,1 %r8, 0, %r17
        addd,2 0, filebuf, %r18
        addd,3 0, FILEBUF_SIZE, %r19
    }
    SCALL
    {
        cmpldb,0 %r16, 0, %pred0
        cmpedb,1 %r16, 0, %pred1
        addd,2 0, filebuf, %r9          ! p
        addd,3 %r16, filebuf, %r10      ! end
    }
    {
        ibranch .Lls_err2 ? %pred0
    }
    {
        ibranch .Lls_close ? %pred1
    }
.Lls_ent:
    ! struct linux_dirent64 { u64 ino; s64 off; u16 reclen; u8 type; char name[]; }
    {
        ldh,0 [ %r9 + 16 ], %r11
        addd,1 %r9, 19, %r12
    }
    {
        ldb,0 [ %r12 ], %r13
    }
    {
        cmpedb,0 %r13, 0x2e, %pred0     ! hide "." and ".."
    }
    {
        ibranch 1f ? %pred0
    }
    {
        addd,0 0, s_indent, %r16
    }
    FCALL puts
    {
        addd,0 %r12, 0, %r16
    }
    FCALL puts
    {
        addd,0 0, s_nl, %r16
    }
    FCALL puts
1:
    {
        addd,0 %r9, %r11, %r9
    }
    {
        cmpbdb,0 %r9, %r10, %pred0
        cmpedb,1 %r11, 0, %pred1        ! a zero reclen would loop forever
    }
    {
        ibranch .Lls_chunk ? %pred1
    }
    {
        ibranch .Lls_ent ? %pred0
    }
    {
        ibranch .Lls_chunk
    }
.Lls_err2:
    {
        addd,0 %r16, 0, %r9
        addd,1 0, SYS_CLOSE, %r16
        addd,2 %r8, 0, %r17
    }
    SCALL
    {
        addd,0 %r9, 0, %r16
    }
.Lls_err:
    {
        addd,0 %r16, 0, %r18
        addd,1 0, s_ls, %r16
        addd,2 0, s_root, %r17
    }
    FCALL perror
    FRET
.Lls_close:
    {
        addd,0 0, SYS_CLOSE, %r16
        addd,1 %r8, 0, %r17
    }
    SCALL
    FRET

! cat FILE
cmd_cat:
    PROC_ENTRY
    {
        ldb,0 %r0, 0, %r8
    }
    {
        cmpedb,0 %r8, 0, %pred0
    }
    {
        ibranch 1f ? %pred0
    }
    {
        addd,0 %r0, 0, %r16
    }
    FCALL cutword                        ! the file name ends at the first space
    {
        addd,0 %r0, 0, %r16
        addd,1 0, 0, %r17
    }
    FCALL catfile
    FRET
1:
    {
        addd,0 0, s_usage_cat, %r16
    }
    FCALL puts
    FRET

! catfile(path, quiet): copy a file to standard output; errors reported unless quiet.
catfile:
    PROC_ENTRY
    {
        addd,0 0, SYS_OPEN, %r16
        addd,1 %r0, 0, %r17
        addd,2 0, 0, %r18
        addd,3 0, 0, %r19
    }
    SCALL
    {
        addd,0 %r16, 0, %r8
        cmpldb,1 %r16, 0, %pred0
    }
    {
        ibranch .Lcf_err ? %pred0
    }
.Lcf_read:
    {
        addd,0 0, SYS_READ, %r16
        addd,1 %r8, 0, %r17
        addd,2 0, filebuf, %r18
        addd,3 0, FILEBUF_SIZE, %r19
    }
    SCALL
    {
        cmpledb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r9
    }
    {
        ibranch .Lcf_close ? %pred0
    }
    {
        addd,0 0, 1, %r16
        addd,1 0, filebuf, %r17
        addd,2 %r9, 0, %r18
    }
    FCALL writefd
    {
        ibranch .Lcf_read
    }
.Lcf_close:
    {
        addd,0 %r16, 0, %r9             ! 0 or -errno from read
        addd,1 0, SYS_CLOSE, %r16
        addd,2 %r8, 0, %r17
    }
    SCALL
    {
        cmpldb,0 %r9, 0, %pred0
        addd,1 %r9, 0, %r8
    }
    {
        ibranch .Lcf_err ? %pred0
    }
    FRET
.Lcf_err:
    {
        cmpedb,0 %r1, 0, %pred0
    }
    {
        ibranch 1f ? ~%pred0
    }
    {
        addd,0 0, s_cat, %r16
        addd,1 %r0, 0, %r17
        addd,2 %r8, 0, %r18
    }
    FCALL perror
1:
    FRET

! mem [MiB]: map anonymous memory and touch every page (default 16 MiB).
cmd_mem:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL atoi
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r8
    }
    {
        addd,0 0, 16, %r8 ? %pred0
    }
    {
        shld,0 %r8, 20, %r9             ! bytes
    }
    {
        addd,0 0, SYS_MMAP, %r16
        addd,1 0, 0, %r17
        addd,2 %r9, 0, %r18
        addd,3 0, 3, %r19               ! PROT_READ | PROT_WRITE
        addd,4 0, 0x22, %r20            ! MAP_PRIVATE | MAP_ANONYMOUS
    }
    {
        subd,0 0, 1, %r21               ! fd -1
        addd,1 0, 0, %r22
    }
    SCALL
    {
        addd,0 %r16, 0, %r10            ! base
        cmpldb,1 %r16, 0, %pred0
    }
    {
        ibranch .Lmem_err ? %pred0
    }
    {
        addd,0 %r10, 0, %r11            ! p
        addd,1 %r10, %r9, %r12          ! end
        addd,2 0, 0x5a, %r13
    }
1:
    {
        stb,2 %r13, [ %r11 ]
        addd,0 %r11, 4096, %r11
    }
    {
        cmpbdb,0 %r11, %r12, %pred0
    }
    {
        ibranch 1b ? %pred0
    }
    {
        addd,0 0, s_touched, %r16
    }
    FCALL puts
    {
        addd,0 %r8, 0, %r16
    }
    FCALL putdec
    {
        addd,0 0, s_mib_at, %r16
    }
    FCALL puts
    {
        addd,0 %r10, 0, %r16
    }
    FCALL puthex
    {
        addd,0 0, s_nl, %r16
    }
    FCALL puts
    {
        addd,0 0, SYS_MUNMAP, %r16
        addd,1 %r10, 0, %r17
        addd,2 %r9, 0, %r18
    }
    SCALL
    FRET
.Lmem_err:
    {
        addd,0 %r16, 0, %r18
        addd,1 0, s_mem, %r16
        addd,2 0, s_mmap, %r17
    }
    FCALL perror
    FRET

! bench [K]: K thousand iterations of a two-bundle loop (default 5000), timed with
! CLOCK_MONOTONIC.
cmd_bench:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL atoi
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r8
    }
    {
        addd,0 0, 5000, %r8 ? %pred0
    }
    {
        muld,0 %r8, 1000, %r8           ! iterations
    }
    {
        addd,0 0, SYS_CLOCK_GETTIME, %r16
        addd,1 0, CLOCK_MONOTONIC, %r17
        addd,2 0, ts0, %r18
    }
    SCALL
    {
        addd,0 %r8, 0, %r9              ! counter
        addd,1 0, 0, %r10               ! checksum, so the loop does some work
    }
1:
    {
        addd,0 %r10, %r9, %r10
        subd,1 %r9, 1, %r9
        cmpbedb,3 %r9, 1, %pred0        ! old counter <= 1: this was the last one
    }
    {
        ibranch 1b ? ~%pred0
    }
    {
        addd,0 0, SYS_CLOCK_GETTIME, %r16
        addd,1 0, CLOCK_MONOTONIC, %r17
        addd,2 0, ts1, %r18
    }
    SCALL
    {
        addd,0 0, ts0, %r15
    }
    {
        ldd,0 [ %r15 ], %r11
        ldd,2 [ %r15 + 8 ], %r12
        ldd,3 [ %r15 + 16 ], %r13       ! ts1 follows ts0
        ldd,5 [ %r15 + 24 ], %r14
    }
    {
        subd,0 %r13, %r11, %r11
        subd,1 %r14, %r12, %r12
    }
    {
        muld,0 %r11, 1000000000, %r11
    }
    {
        addd,0 %r11, %r12, %r11         ! elapsed ns
    }
    {
        udivd,5 %r11, 1000, %r11        ! elapsed us
    }
    {
        addd,0 0, s_bench_msg, %r16
    }
    FCALL puts
    {
        addd,0 %r8, 0, %r16
    }
    FCALL putdec
    {
        addd,0 0, s_iters_in, %r16
    }
    FCALL puts
    {
        udivd,5 %r11, 1000, %r16
    }
    FCALL putdec
    {
        addd,0 0, s_dot, %r16
    }
    FCALL puts
    {
        udivd,5 %r11, 1000, %r12
    }
    {
        muld,0 %r12, 1000, %r12
    }
    {
        subd,0 %r11, %r12, %r16
    }
    FCALL putdec3
    {
        addd,0 0, s_ms, %r16
        cmpedb,1 %r11, 0, %pred0
    }
    FCALL puts
    {
        ibranch 2f ? %pred0
    }
    ! rate in thousandths of million iterations per second = iterations * 1000 / us
    {
        muld,0 %r8, 1000, %r12
    }
    {
        udivd,5 %r12, %r11, %r12
    }
    {
        addd,0 0, s_comma, %r16
    }
    FCALL puts
    {
        udivd,5 %r12, 1000, %r16
    }
    FCALL putdec
    {
        addd,0 0, s_dot, %r16
    }
    FCALL puts
    {
        udivd,5 %r12, 1000, %r13
    }
    {
        muld,0 %r13, 1000, %r13
    }
    {
        subd,0 %r12, %r13, %r16
    }
    FCALL putdec3
    {
        addd,0 0, s_mips, %r16
    }
    FCALL puts
2:
    {
        addd,0 0, s_nl, %r16
    }
    FCALL puts
    FRET

! do_reboot(cmd, name): Linux reboot(2) with the magic numbers; returns only on failure.
do_reboot:
    PROC_ENTRY
    {
        addd,0 0, SYS_REBOOT, %r16
        addd,1 0, 0xfee1dead, %r17
        addd,2 0, 672274793, %r18
        addd,3 %r0, 0, %r19
        addd,4 0, 0, %r20
    }
    SCALL
    {
        addd,0 %r16, 0, %r18
        addd,1 %r1, 0, %r16
        addd,2 0, s_empty, %r17
    }
    FCALL perror
    FRET

! ---------------------------------------------------------------------------------------
! Library.

! perror(cmd, what, -errno): "cmd: what: message\n"
perror:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL puts
    {
        addd,0 0, s_colon, %r16
    }
    FCALL puts
    {
        ldb,0 %r1, 0, %r8
    }
    {
        cmpedb,0 %r8, 0, %pred0
    }
    {
        ibranch 1f ? %pred0
    }
    {
        addd,0 %r1, 0, %r16
    }
    FCALL puts
    {
        addd,0 0, s_colon, %r16
    }
    FCALL puts
1:
    {
        subd,0 0, %r2, %r8              ! errno
    }
    {
        cmpedb,0 %r8, 2, %pred0         ! ENOENT
        cmpedb,1 %r8, 38, %pred1        ! ENOSYS
    }
    {
        addd,0 0, s_enoent, %r16 ? %pred0
    }
    {
        ibranch 2f ? %pred0
    }
    {
        addd,0 0, s_enosys, %r16 ? %pred1
    }
    {
        ibranch 2f ? %pred1
    }
    {
        addd,0 0, s_error, %r16
    }
    FCALL puts
    {
        addd,0 %r8, 0, %r16
    }
    FCALL putdec
    {
        addd,0 0, s_nl, %r16
    }
2:
    FCALL puts
    FRET

! writefd(fd, buf, len)
writefd:
    PROC_ENTRY
    {
        addd,0 0, SYS_WRITE, %r16
        addd,1 %r0, 0, %r17
        addd,2 %r1, 0, %r18
        addd,3 %r2, 0, %r19
    }
    SCALL
    FRET

! puts(s): write a NUL-terminated string to standard output.
puts:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL strlen
    {
        addd,0 %r16, 0, %r19
        addd,1 0, SYS_WRITE, %r16
        addd,2 0, 1, %r17
        addd,3 %r0, 0, %r18
    }
    SCALL
    FRET

! skipsp(p) -> first byte at or after p that is not a space
skipsp:
    PROC_ENTRY
1:
    {
        ldb,0 %r0, 0, %r1
    }
    {
        cmpedb,0 %r1, 0x20, %pred0
    }
    {
        ibranch 2f ? ~%pred0
    }
    {
        addd,0 %r0, 1, %r0
        ibranch 1b
    }
2:
    FRET

! wordend(p) -> first space or NUL at or after p
wordend:
    PROC_ENTRY
1:
    {
        ldb,0 %r0, 0, %r1
    }
    {
        cmpedb,0 %r1, 0x20, %pred0
        cmpedb,1 %r1, 0, %pred1
    }
    {
        ibranch 2f ? %pred0
    }
    {
        ibranch 2f ? %pred1
    }
    {
        addd,0 %r0, 1, %r0
        ibranch 1b
    }
2:
    FRET

! cutword(p): NUL-terminate the word starting at p
cutword:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL wordend
    {
        addd,0 0, 0, %r1
    }
    {
        stb,2 %r1, [ %r16 ]
    }
    FRET

! wordeq(p, name) -> 1 when the word at p (ended by space or NUL) equals name
wordeq:
    PROC_ENTRY
1:
    {
        ldb,0 %r0, 0, %r2
        ldb,2 %r1, 0, %r3
    }
    {
        cmpedb,0 %r3, 0, %pred0
        cmpedb,1 %r2, %r3, %pred1
    }
    {
        ibranch 3f ? %pred0
    }
    {
        ibranch 2f ? ~%pred1
    }
    {
        addd,0 %r0, 1, %r0
        addd,1 %r1, 1, %r1
        ibranch 1b
    }
3:
    {
        cmpedb,0 %r2, 0, %pred0
        cmpedb,1 %r2, 0x20, %pred1
    }
    {
        ibranch 4f ? %pred0
    }
    {
        ibranch 4f ? %pred1
    }
2:
    {
        addd,0 0, 0, %r0
    }
    FRET
4:
    {
        addd,0 0, 1, %r0
    }
    FRET

! atoi(s) -> unsigned decimal value of the leading digits (0 when none)
atoi:
    PROC_ENTRY
    {
        addd,0 0, 0, %r1
    }
1:
    {
        ldb,0 %r0, 0, %r2
    }
    {
        subd,0 %r2, 0x30, %r3
    }
    {
        cmpbdb,0 %r3, 10, %pred0
    }
    {
        ibranch 2f ? ~%pred0
    }
    {
        muld,0 %r1, 10, %r1
        addd,1 %r0, 1, %r0
    }
    {
        addd,0 %r1, %r3, %r1
        ibranch 1b
    }
2:
    {
        addd,0 %r1, 0, %r0
    }
    FRET

! putdec(n): unsigned decimal
putdec:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
        addd,1 0, numbuf + 31, %r17     ! numbuf[31] stays 0: the terminator
    }
    FCALL fmt_udec
    FCALL puts
    FRET

! putdec3(n): n < 1000 as exactly three digits (fractions)
putdec3:
    PROC_ENTRY
    {
        udivd,5 %r0, 100, %r1
    }
    {
        muld,0 %r1, 100, %r2
        addd,1 %r1, 0x30, %r4
    }
    {
        subd,0 %r0, %r2, %r0
        stb,2 %r4, [ numbuf ]
    }
    {
        udivd,5 %r0, 10, %r1
    }
    {
        muld,0 %r1, 10, %r2
        addd,1 %r1, 0x30, %r4
    }
    {
        subd,0 %r0, %r2, %r0
        stb,2 %r4, [ numbuf + 1 ]
    }
    {
        addd,0 %r0, 0x30, %r4
        addd,1 0, 0, %r5
    }
    {
        stb,2 %r4, [ numbuf + 2 ]
        stb,5 %r5, [ numbuf + 3 ]
    }
    {
        addd,0 0, numbuf, %r16
    }
    FCALL puts
    FRET

! puthex(n): "0x" and lowercase hex digits, no leading zeros
puthex:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
        addd,1 0, numbuf + 31, %r17     ! numbuf[31] stays 0: the terminator
    }
    FCALL fmt_hex
    FCALL puts
    FRET

    .include "../lib/fmt.S"
    .include "../lib/str.S"

! ---------------------------------------------------------------------------------------
    .section .rodata
s_banner:
    .asciz "\nGlaunch demo OS shell. Type 'help' for the commands.\n"
s_prompt:
    .asciz "gsh$ "
s_helptext:
    .ascii "Commands:\n"
    .ascii "  help          this list\n"
    .ascii "  info          system, CPU, memory and uptime\n"
    .ascii "  ls            list the files on the disk\n"
    .ascii "  cat FILE      print a file\n"
    .ascii "  echo TEXT     print TEXT\n"
    .ascii "  mem [MiB]     map and touch memory (default 16 MiB)\n"
    .ascii "  bench [K]     time K thousand loop iterations (default 5000)\n"
    .ascii "  reboot        restart the machine\n"
    .ascii "  poweroff      switch the machine off\n"
    .ascii "  exit          leave the shell\n"
    .asciz "Editing: Backspace, Ctrl-U (kill line), Ctrl-C (cancel), Up/Down or Ctrl-P/Ctrl-N (history).\n"
s_help:     .asciz "help"
s_echo:     .asciz "echo"
s_info:     .asciz "info"
s_ls:       .asciz "ls"
s_cat:      .asciz "cat"
s_mem:      .asciz "mem"
s_bench:    .asciz "bench"
s_reboot:   .asciz "reboot"
s_poweroff: .asciz "poweroff"
s_exit:     .asciz "exit"
s_notfound: .asciz ": command not found\n"
s_nl:       .asciz "\n"
s_space:    .asciz " "
s_dot:      .asciz "."
s_comma:    .asciz ", "
s_colon:    .asciz ": "
s_empty:    .asciz ""
s_0x:       .asciz "0x"
s_bell:     .asciz "\007"
s_rubout:   .asciz "\b \b"
s_ctrlc:    .asciz "^C\n"
s_root:     .asciz "/"
s_indent:   .asciz "  "
s_cpuinfo:  .asciz "/proc/cpuinfo"
s_system:   .asciz "system:  "
s_machine:  .asciz "\nmachine: "
s_memory:   .asciz "memory:  "
s_mib_total: .asciz " MiB total, "
s_mib_free: .asciz " MiB free\n"
s_uptime:   .asciz "uptime:  "
s_seconds:  .asciz " s\n"
s_usage_cat: .asciz "usage: cat FILE\n"
s_enoent:   .asciz "no such file\n"
s_enosys:   .asciz "not supported here\n"
s_error:    .asciz "error "
s_touched:  .asciz "mem: touched "
s_mib_at:   .asciz " MiB at "
s_mmap:     .asciz "mmap"
s_bench_msg: .asciz "bench: "
s_iters_in: .asciz " iterations in "
s_ms:       .asciz " ms"
s_mips:     .asciz " M iterations/s"

    .bss
    .align 16
linebuf:    .skip 256
histbuf:    .skip 256 * HIST_N      ! the last HIST_N lines, a ring
hist_head:  .skip 8                 ! entries ever added (next slot = head % HIST_N)
hist_count: .skip 8
filebuf:    .skip FILEBUF_SIZE
utsbuf:     .skip 400
sysinfobuf: .skip 128
ts0:        .skip 16
ts1:        .skip 16
numbuf:     .skip 32
chbuf:      .skip 8
escbuf:     .skip 8
