! GDFS on the boot disk (format: emulator/guest/README.md) and the file descriptors of
! the one process. fd 0-2 are the console; fds 3..10 index k_fds, 32 bytes each:
! {type, data (LBA or buffer), size, position}. Types: 1 file, 2 root directory,
! 3 in-memory text (/proc/cpuinfo, generated at open).

FD_FIRST = 3
FD_COUNT = 8
FT_FILE = 1
FT_DIR = 2
FT_MEM = 3
GDFS_MAGIC = 0x53464447
DIR_MAX_SECTORS = 8                             ! 4 KiB of directory = 64 files

! fs_mount() -> 0 with the first virtio-blk disk holding GDFS, else -1
fs_mount:
    PROC_ENTRY
    {
        addd,0 0, 0, %r8                        ! slot
    }
1:
    {
        cmpbdb,0 %r8, VIRTIO_BLK_SLOTS, %pred0
        subd,1 0, 1, %r0
    }
    {
        ibranch 9f ? ~%pred0
    }
    {
        shld,0 %r8, 12, %r16
    }
    {
        addd,0 %r16, VIRTIO_BASE, %r16
    }
    FCALL vblk_init
    {
        cmpldb,0 %r16, 0, %pred0
        addd,1 0, 1, %r16
        addd,2 0, k_sector, %r17
        addd,3 0, 1, %r18
    }
    {
        ibranch 8f ? %pred0
    }
    FCALL vblk_read                     ! the superblock, LBA 1
    {
        cmpedb,0 %r16, 0, %pred0
        ldw,2 [ k_sector ], %r1
    }
    {
        ibranch 8f ? ~%pred0
    }
    {
        cmpedb,0 %r1, GDFS_MAGIC, %pred0
    }
    {
        ldw,2 [ k_sector + 0x0c ], %r9          ! directory LBA
    }
    {
        ldw,3 [ k_sector + 0x10 ], %r10         ! directory sectors
    }
    {
        ldw,5 [ k_sector + 0x14 ], %r11         ! files
    }
    {
        ibranch 8f ? ~%pred0
    }
    {
        cmpbdb,0 %r10, DIR_MAX_SECTORS + 1, %pred0
        cmpbdb,1 %r11, DIR_MAX_SECTORS * 8 + 1, %pred1
    }
    {
        addd,0 0, DIR_MAX_SECTORS, %r10 ? ~%pred0
    }
    {
        addd,0 0, DIR_MAX_SECTORS * 8, %r11 ? ~%pred1
    }
    {
        std,2 %r11, [ k_nfiles ]
    }
    {
        std,5 %r8, [ k_disk_slot ]
    }
    {
        addd,0 0, 0x20, %r12
    }
    ! keep the label: it is printed below, and k_sector is reused by the directory read
    {
        addd,0 0, k_label, %r16
    }
    {
        addd,1 0, k_sector + 0x20, %r17
    }
    {
        addd,2 0, 32, %r18
    }
    FCALL memcpy
    {
        addd,0 %r9, 0, %r16
        addd,1 0, k_dir, %r17
        addd,2 %r10, 0, %r18
    }
    FCALL vblk_read
    {
        cmpedb,0 %r16, 0, %pred0
    }
    {
        ibranch 8f ? ~%pred0
    }
    {
        addd,0 0, s_disk, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r8, 0x61, %r16
    }
    FCALL uart_putc
    {
        addd,0 0, s_gdfs, %r16
    }
    FCALL uart_puts
    {
        addd,0 0, k_label, %r16
    }
    FCALL uart_puts
    {
        addd,0 0, s_quote_comma, %r16
    }
    FCALL uart_puts
    {
        ldd,0 [ k_nfiles ], %r16
    }
    FCALL uart_putdec
    {
        addd,0 0, s_files, %r16
    }
    FCALL uart_puts
    {
        addd,0 0, 0, %r0
    }
9:
    FRET
8:
    {
        addd,0 %r8, 1, %r8
        ibranch 1b
    }

! fs_lookup(name) -> directory entry in k_dir, or 0. Leading '/' are ignored.
fs_lookup:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL skip_slashes
    {
        addd,0 %r16, 0, %r8
        addd,1 0, k_dir, %r9
        ldd,2 [ k_nfiles ], %r10
    }
1:
    {
        cmpedb,0 %r10, 0, %pred0
        addd,1 0, 0, %r0
    }
    {
        ibranch 9f ? %pred0
    }
    {
        addd,0 %r8, 0, %r16
        addd,1 %r9, 0, %r17
    }
    FCALL streq
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r9, 0, %r0
    }
    {
        ibranch 9f ? ~%pred0
    }
    {
        addd,0 %r9, 64, %r9
        subd,1 %r10, 1, %r10
        ibranch 1b
    }
9:
    FRET

! skip_slashes(p) -> p past any leading '/'
skip_slashes:
    PROC_ENTRY
1:
    {
        ldb,0 [ %r0 ], %r1
    }
    {
        cmpedb,0 %r1, 0x2f, %pred0
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

! streq(a, b) -> 1 when equal
streq:
    PROC_ENTRY
1:
    {
        ldb,0 [ %r0 ], %r2
        ldb,2 [ %r1 ], %r3
    }
    {
        cmpedb,0 %r2, %r3, %pred0
        cmpedb,1 %r2, 0, %pred1
        addd,2 0, 0, %r4
    }
    {
        ibranch 2f ? ~%pred0
    }
    {
        addd,0 0, 1, %r4
        ibranch 2f ? %pred1
    }
    {
        addd,0 %r0, 1, %r0
        addd,1 %r1, 1, %r1
        ibranch 1b
    }
2:
    {
        addd,0 %r4, 0, %r0
    }
    FRET

! fs_open(path) -> fd or -errno
fs_open:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL skip_slashes
    {
        addd,0 %r16, 0, %r8
    }
    ! a free descriptor first
    {
        addd,0 0, 0, %r9
    }
1:
    {
        cmpbdb,0 %r9, FD_COUNT, %pred0
        shld,1 %r9, 5, %r10
        subd,2 0, EMFILE, %r0
    }
    {
        ibranch 9f ? ~%pred0
    }
    {
        addd,0 %r10, k_fds, %r10
    }
    {
        ldd,0 [ %r10 ], %r1
    }
    {
        cmpedb,0 %r1, 0, %pred0
    }
    {
        ibranch 2f ? %pred0
    }
    {
        addd,0 %r9, 1, %r9
        ibranch 1b
    }
2:
    ! "" and "." are the root directory
    {
        ldb,0 [ %r8 ], %r1
        ldb,2 [ %r8 + 1 ], %r2
        addd,1 0, 0, %r3
    }
    {
        cmpedb,0 %r1, 0, %pred0
        cmpedb,1 %r1, 0x2e, %pred1
        cmpedb,3 %r2, 0, %pred2
    }
    {
        ibranch .Lfo_dir ? %pred0
    }
    {
        ibranch 3f ? ~%pred1
    }
    {
        ibranch .Lfo_dir ? %pred2
    }
3:
    {
        addd,0 %r8, 0, %r16
        addd,1 0, s_cpuinfo_path, %r17
    }
    FCALL streq
    {
        cmpedb,0 %r16, 0, %pred0
    }
    {
        ibranch 4f ? %pred0
    }
    FCALL gen_cpuinfo                   ! -> length
    {
        addd,0 0, FT_MEM, %r1
        addd,1 0, k_cpuinfo, %r2
        addd,2 %r16, 0, %r3
        ibranch .Lfo_set
    }
4:
    {
        addd,0 %r8, 0, %r16
    }
    FCALL fs_lookup
    {
        cmpedb,0 %r16, 0, %pred0
        subd,1 0, ENOENT, %r0
    }
    {
        ibranch 9f ? %pred0
    }
    {
        addd,0 0, FT_FILE, %r1
        ldd,2 [ %r16 + 0x28 ], %r2
        ldd,3 [ %r16 + 0x30 ], %r3
        ibranch .Lfo_set
    }
.Lfo_dir:
    {
        addd,0 0, FT_DIR, %r1
        addd,1 0, 0, %r2
        ldd,2 [ k_nfiles ], %r3
    }
.Lfo_set:
    {
        std,2 %r1, [ %r10 ]
        std,5 %r2, [ %r10 + 8 ]
        addd,0 0, 0, %r4
    }
    {
        std,2 %r3, [ %r10 + 16 ]
        std,5 %r4, [ %r10 + 24 ]
        addd,0 %r9, FD_FIRST, %r0
    }
9:
    FRET

! fd_entry(fd) -> k_fds slot of an open descriptor, or 0
fd_entry:
    PROC_ENTRY
    {
        subd,0 %r0, FD_FIRST, %r1
    }
    {
        cmpbdb,0 %r1, FD_COUNT, %pred0
        shld,1 %r1, 5, %r1
        addd,2 0, 0, %r0
    }
    {
        ibranch 9f ? ~%pred0
    }
    {
        addd,0 %r1, k_fds, %r1
    }
    {
        ldd,0 [ %r1 ], %r2
    }
    {
        cmpedb,0 %r2, 0, %pred0
    }
    {
        addd,0 %r1, 0, %r0 ? ~%pred0
    }
9:
    FRET

fs_close:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL fd_entry
    {
        cmpedb,0 %r16, 0, %pred0
        subd,1 0, EBADF, %r0
        addd,2 0, 0, %r1
    }
    {
        ibranch 9f ? %pred0
    }
    {
        std,2 %r1, [ %r16 ]
        addd,0 0, 0, %r0
    }
9:
    FRET

! fs_read(fd, buf, n) -> bytes or -errno
fs_read:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL fd_entry
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r8
        subd,2 0, EBADF, %r0
    }
    {
        ibranch 9f ? %pred0
    }
    {
        ldd,0 [ %r8 ], %r9                      ! type
        ldd,2 [ %r8 + 8 ], %r10                 ! data
        ldd,3 [ %r8 + 16 ], %r11                ! size
        ldd,5 [ %r8 + 24 ], %r12                ! position
    }
    {
        cmpedb,0 %r9, FT_DIR, %pred0
        subd,1 0, EISDIR, %r0
        subd,2 %r11, %r12, %r13                 ! left
    }
    {
        ibranch 9f ? %pred0
        cmpbdb,0 %r13, %r2, %pred1
        addd,1 %r2, 0, %r14                     ! n
    }
    {
        addd,0 %r13, 0, %r14 ? %pred1
        cmpedb,1 %r9, FT_MEM, %pred2
        addd,2 0, 0, %r15                       ! done
    }
    {
        ibranch .Lfr_disk ? ~%pred2
    }
    {
        addd,0 %r1, 0, %r16
        addd,1 %r10, %r12, %r17
        addd,2 %r14, 0, %r18
    }
    FCALL memcpy
    {
        addd,0 %r14, 0, %r15
        ibranch .Lfr_end
    }
.Lfr_disk:
    {
        cmpbdb,0 %r15, %r14, %pred0
    }
    {
        ibranch .Lfr_end ? ~%pred0
    }
    {
        addd,0 %r12, %r15, %r3                  ! file position
    }
    {
        shrd,0 %r3, 9, %r4
        andd,1 %r3, 511, %r5                    ! offset in the sector
    }
    ! up to 8 sectors (the 4 KiB bounce buffer) per request, never past the sectors
    ! holding the wanted bytes (which all belong to the file, so stay inside the image)
    {
        subd,0 %r14, %r15, %r7                  ! bytes still wanted
    }
    {
        addd,0 %r5, %r7, %r6
    }
    {
        addd,0 %r6, 511, %r6
    }
    {
        shrd,0 %r6, 9, %r6                      ! sectors covering them
    }
    {
        cmpbdb,0 %r6, 8, %pred0
    }
    {
        addd,0 0, 8, %r6 ? ~%pred0
    }
    {
        addd,0 %r10, %r4, %r16
        addd,1 0, k_sector, %r17
        addd,2 %r6, 0, %r18
        shld,3 %r6, 9, %r6                      ! bytes in the buffer
    }
    FCALL vblk_read
    {
        cmpedb,0 %r16, 0, %pred0
        subd,1 0, 5, %r0                        ! EIO
    }
    {
        ibranch 9f ? ~%pred0
        subd,0 %r6, %r5, %r6                    ! bytes from the offset to the buffer end
    }
    {
        cmpbdb,0 %r7, %r6, %pred0
    }
    {
        addd,0 %r7, 0, %r6 ? %pred0
    }
    {
        addd,0 %r1, %r15, %r16
        addd,1 %r5, k_sector, %r17
        addd,2 %r6, 0, %r18
    }
    FCALL memcpy
    {
        addd,0 %r15, %r6, %r15
        ibranch .Lfr_disk
    }
.Lfr_end:
    {
        addd,0 %r12, %r15, %r12
        addd,1 %r15, 0, %r0
    }
    {
        std,2 %r12, [ %r8 + 24 ]
    }
9:
    FRET

! fs_getdents(fd, buf, count) -> bytes of struct linux_dirent64 records, 0 at the end
fs_getdents:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL fd_entry
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r8
        subd,2 0, EBADF, %r0
    }
    {
        ibranch 9f ? %pred0
    }
    {
        ldd,0 [ %r8 ], %r9
        ldd,2 [ %r8 + 24 ], %r12                ! next entry index
        ldd,3 [ k_nfiles ], %r11
        addd,1 0, 0, %r15                       ! bytes written
    }
    {
        cmpedb,0 %r9, FT_DIR, %pred0
        subd,1 0, ENOTDIR, %r0
    }
    {
        ibranch 9f ? ~%pred0
    }
1:
    {
        cmpbdb,0 %r12, %r11, %pred0
    }
    {
        ibranch 5f ? ~%pred0
    }
    {
        shld,0 %r12, 6, %r13
    }
    {
        addd,0 %r13, k_dir, %r13                ! directory entry
    }
    {
        addd,0 %r13, 0, %r16
    }
    FCALL strlen
    {
        addd,0 %r16, 19 + 1 + 7, %r3
    }
    {
        andnd,0 %r3, 7, %r3                     ! reclen, 8-byte aligned
    }
    {
        addd,0 %r15, %r3, %r4
    }
    {
        cmpbedb,0 %r4, %r2, %pred0
    }
    {
        ibranch 5f ? ~%pred0                    ! no room for this one
    }
    {
        addd,0 %r1, %r15, %r5                   ! record
        addd,1 %r12, 1, %r6
        addd,2 0, 8, %r7                        ! DT_REG
    }
    {
        std,2 %r6, [ %r5 ]                      ! d_ino
        std,5 %r6, [ %r5 + 8 ]                  ! d_off
    }
    {
        sth,2 %r3, [ %r5 + 16 ]
        stb,5 %r7, [ %r5 + 18 ]
    }
    {
        addd,0 %r5, 19, %r16
        addd,1 %r13, 0, %r17
    }
    FCALL strcpy
    {
        addd,0 %r15, %r3, %r15
        addd,1 %r12, 1, %r12
        ibranch 1b
    }
5:
    {
        std,2 %r12, [ %r8 + 24 ]
        cmpedb,0 %r15, 0, %pred0
        cmpbdb,1 %r12, %r11, %pred1
        addd,3 %r15, 0, %r0
    }
    {
        ibranch 9f ? ~%pred0
    }
    {
        subd,0 0, EINVAL, %r0 ? %pred1          ! buffer too small for one record
    }
9:
    FRET

! fs_cat_console(name): print a file to the console (the motd at boot)
fs_cat_console:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
    }
    FCALL fs_lookup
    {
        cmpedb,0 %r16, 0, %pred0
    }
    {
        ibranch 9f ? %pred0
    }
    {
        ldd,0 [ %r16 + 0x28 ], %r8
        ldd,2 [ %r16 + 0x30 ], %r9
    }
    {
        addd,0 %r9, 511, %r10
        cmpbdb,1 %r9, 0x20000 - 511, %pred0
    }
    {
        shrd,0 %r10, 9, %r18
        addd,1 %r8, 0, %r16
        addd,2 0, k_exec, %r17
        ibranch 9f ? ~%pred0
    }
    FCALL vblk_read_long
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 0, k_exec, %r16
        addd,2 %r9, 0, %r17
    }
    {
        ibranch 9f ? ~%pred0
    }
    FCALL uart_write
9:
    FRET

! gen_cpuinfo() -> length of the text built in k_cpuinfo
gen_cpuinfo:
    PROC_ENTRY
    {
        addd,0 0, k_cpuinfo, %r1
    }
    {
        std,2 %r1, [ k_sb ]
        addd,0 0, s_ci_model, %r16
    }
    FCALL sb_puts
    {
        ldd,0 [ k_mdl ], %r16
    }
    FCALL cpu_name
    FCALL sb_puts
    {
        addd,0 0, s_ci_idr, %r16
    }
    FCALL sb_puts
    {
        ldd,0 [ k_idr ], %r16
    }
    FCALL sb_puthex
    {
        addd,0 0, s_ci_vcpus, %r16
    }
    FCALL sb_puts
    {
        ldd,0 [ k_ncpus ], %r16
    }
    FCALL sb_putdec
    {
        addd,0 0, s_ci_timer, %r16
    }
    FCALL sb_puts
    {
        ldd,0 [ k_ticks ], %r16
    }
    FCALL sb_putdec
    {
        addd,0 0, s_ci_faults, %r16
    }
    FCALL sb_puts
    {
        ldd,0 [ k_faults ], %r16
    }
    FCALL sb_putdec
    {
        addd,0 0, s_ci_syscalls, %r16
    }
    FCALL sb_puts
    {
        ldd,0 [ k_syscalls ], %r16
    }
    FCALL sb_putdec
    {
        addd,0 0, s_nl, %r16
    }
    FCALL sb_puts
    {
        ldd,0 [ k_sb ], %r0
    }
    {
        subd,0 %r0, k_cpuinfo, %r0
    }
    FRET

! sb_puts(s): append to the text buffer at k_sb
sb_puts:
    PROC_ENTRY
    {
        ldd,0 [ k_sb ], %r1
    }
1:
    {
        ldb,0 [ %r0 ], %r2
    }
    {
        cmpedb,0 %r2, 0, %pred0
    }
    {
        ibranch 2f ? %pred0
    }
    {
        stb,2 %r2, [ %r1 ]
        addd,0 %r0, 1, %r0
        addd,1 %r1, 1, %r1
        ibranch 1b
    }
2:
    {
        std,2 %r1, [ k_sb ]
    }
    FRET

! sb_putdec(n)
sb_putdec:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
        addd,1 0, k_scratch + 40, %r17
        addd,2 0, 0, %r9
    }
    {
        stb,2 %r9, [ %r17 ]
    }
    FCALL fmt_udec
    FCALL sb_puts
    FRET

! sb_puthex(n)
sb_puthex:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
        addd,1 0, k_scratch + 40, %r17
        addd,2 0, 0, %r9
    }
    {
        stb,2 %r9, [ %r17 ]
    }
    FCALL fmt_hex
    FCALL sb_puts
    FRET

    .section .rodata
s_disk:         .asciz "kernel: disk vd"
s_gdfs:         .asciz ": GDFS '"
s_quote_comma:  .asciz "', "
s_files:        .asciz " files\n"
s_cpuinfo_path: .asciz "proc/cpuinfo"
s_ci_model:     .asciz "cpu model: "
s_ci_idr:       .asciz "\nIDR:       "
s_ci_vcpus:     .asciz "\nvCPUs:     "
s_ci_timer:     .asciz " (the demo kernel runs on vCPU 0)\ntimer:     CEPIC, 100 Hz, interrupts: "
s_ci_faults:    .asciz "\npage faults served: "
s_ci_syscalls:  .asciz "\nsystem calls: "

    .bss
    .align 4096
k_dir:          .skip 4096
k_cpuinfo:      .skip 1024
k_fds:          .skip 32 * FD_COUNT
k_label:        .skip 40
k_nfiles:       .skip 8
k_disk_slot:    .skip 8
k_sb:           .skip 8
    .text
