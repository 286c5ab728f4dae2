! exec_init(): load /shell from the GDFS disk into fresh user pages and enter it in user
! mode (system.md §6.7 "New user thread": a chain frame with the entry IP and PSR = 0x26,
! then `return`). Never returns.
exec_init:
    PROC_ENTRY
    {
        addd,0 0, s_init_name, %r16
    }
    FCALL fs_lookup
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r8                     ! directory entry
        addd,2 0, s_no_init, %r17
    }
    {
        ibranch 1f ? ~%pred0
    }
    {
        addd,0 %r17, 0, %r16
    }
    FCALL panic
1:
    {
        ldd,0 [ %r8 + 0x28 ], %r9               ! lba
        ldd,2 [ %r8 + 0x30 ], %r10              ! size
    }
    {
        addd,0 %r10, 511, %r11
        cmpbdb,1 %r10, 0x20000 - 511, %pred0
        addd,2 0, s_init_big, %r16
    }
    {
        shrd,0 %r11, 9, %r11
        ibranch 2f ? %pred0
    }
    FCALL panic
2:
    {
        addd,0 %r9, 0, %r16
        addd,1 0, k_exec, %r17
        addd,2 %r11, 0, %r18
    }
    FCALL vblk_read_long
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 0, s_init_read, %r16
    }
    {
        ibranch 3f ? %pred0
    }
    FCALL panic
3:
    {
        addd,0 0, k_exec, %r8
        addd,1 0, s_init_elf, %r16
    }
    {
        ldw,0 [ %r8 ], %r1
        ldh,2 [ %r8 + 0x12 ], %r2
    }
    {
        cmpedb,0 %r1, 0x464c457f, %pred0
        cmpedb,1 %r2, 175, %pred1
    }
    {
        ibranch 4f ? ~%pred0
    }
    {
        ibranch 5f ? %pred1
    }
4:
    FCALL panic
5:
    {
        ldd,0 [ %r8 + 0x18 ], %r12              ! e_entry
        ldd,2 [ %r8 + 0x20 ], %r9               ! e_phoff
        ldh,3 [ %r8 + 0x36 ], %r10              ! e_phentsize
        ldh,5 [ %r8 + 0x38 ], %r11              ! e_phnum
    }
    {
        addd,0 %r8, %r9, %r9
    }
.Lex_ph:
    {
        cmpedb,0 %r11, 0, %pred0
    }
    {
        ibranch .Lex_stack ? %pred0
    }
    {
        ldw,0 [ %r9 ], %r1
    }
    {
        cmpedb,0 %r1, 1, %pred0                 ! PT_LOAD
    }
    {
        ibranch 6f ? ~%pred0
    }
    {
        addd,0 %r9, 0, %r16
    }
    FCALL load_segment
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 0, s_oom, %r16
    }
    {
        ibranch 6f ? %pred0
    }
    FCALL panic
6:
    {
        addd,0 %r9, %r10, %r9
        subd,1 %r11, 1, %r11
        ibranch .Lex_ph
    }
.Lex_stack:
    ! user stack: USER_STACK_SIZE mapped now, the rest down to USER_STACK_LAZY on demand
    {
        addd,0 0, USER_STACK_TOP - USER_STACK_SIZE, %r13
    }
7:
    FCALL alloc_page
    {
        addd,0 %r16, 0, %r17
        addd,1 %r13, 0, %r16
        addd,2 0, PTE_USER_RW, %r18
    }
    FCALL map_page
    {
        addd,0 %r13, PAGE, %r13
    }
    {
        cmpbdb,0 %r13, USER_STACK_TOP, %pred0
    }
    {
        ibranch 7b ? %pred0
    }
    FCALL tlb_flush
    {
        addd,0 0, MMAP_BASE, %r1
    }
    {
        std,2 %r1, [ k_mmap_next ]
        addd,0 0, s_starting, %r16
    }
    FCALL uart_puts

    ! Enter user mode: rewrite our own return link (CR0/CR1 of this frame) so that
    ! `return` lands at the ELF entry with the user PSR and stack size, then return.
    {
        addd,0 0, USER_STACK_TOP - 64, %r1      ! argc = 0, argv = envp = auxv = NULL
    }
    {
        addd,1 0, 3 << 59, %r2
    }
    {
        addd,2 0, (USER_STACK_LAZY - 64) << 32, %r3
    }
    {
        addd,3 0, USER_STACK_TOP, %r4
    }
    {
        ord,0 %r1, %r2, %r2
    }
    {
        rwd,0 %r4, %sbr
    }
    {
        rwd,0 %r2, %usd.lo
    }
    {
        rwd,0 %r3, %usd.hi
    }
    {
        rrd,0 %cr1.lo, %r5
    }
    {
        andd,0 %r5, 0x01ffffffffffffff, %r5    ! drop the saved PSR ...
    }
    {
        addd,1 0, PSR_USER << 57, %r6
    }
    {
        addd,2 0, ((USER_STACK_LAZY - 64) >> 4) << 36, %r7
    }
    {
        ord,0 %r5, %r6, %r5                     ! ... and put the user's in
    }
    {
        rwd,0 %r5, %cr1.lo
    }
    {
        rwd,0 %r7, %cr1.hi
    }
    {
        rwd,0 %r12, %cr0.hi
        nop 5
    }
    FRET                                        ! into user mode at e_entry

! load_segment(phdr) -> 0, or -1 out of memory. Each page of [p_vaddr, p_vaddr+p_memsz)
! gets a zeroed physical page holding its part of the file image, mapped with the
! segment's permissions (PF_W -> RW, PF_X -> RX, else RO).
load_segment:
    PROC_ENTRY
    {
        ldw,0 [ %r0 + 0x04 ], %r1               ! p_flags
        ldd,2 [ %r0 + 0x08 ], %r2               ! p_offset
        ldd,3 [ %r0 + 0x10 ], %r3               ! p_vaddr
        ldd,5 [ %r0 + 0x20 ], %r4               ! p_filesz
    }
    {
        ldd,0 [ %r0 + 0x28 ], %r5               ! p_memsz
        andd,1 %r1, 2, %r6
        andd,2 %r1, 1, %r7
        addd,3 0, PTE_USER_RO, %r8
    }
    {
        cmpedb,0 %r6, 0, %pred0
        cmpedb,1 %r7, 0, %pred1
    }
    {
        addd,0 0, PTE_USER_RX, %r8 ? ~%pred1
    }
    {
        addd,0 0, PTE_USER_RW, %r8 ? ~%pred0
    }
    {
        andnd,0 %r3, PAGE - 1, %r9              ! page
        addd,1 %r3, %r5, %r10                   ! segment end
        addd,2 %r3, %r4, %r11                   ! file data end
        addd,3 %r2, k_exec, %r2                 ! file image of p_vaddr
    }
.Lls_page:
    {
        cmpbdb,0 %r9, %r10, %pred0
        addd,1 0, 0, %r0
    }
    {
        ibranch .Lls_done ? ~%pred0
    }
    FCALL alloc_page
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r12
        subd,2 0, 1, %r0
    }
    {
        ibranch .Lls_done ? %pred0
    }
    ! overlap of [page, page + 4K) with [p_vaddr, file end)
    {
        addd,0 %r9, PAGE, %r13
        cmpbdb,1 %r9, %r3, %pred0
    }
    {
        addd,0 %r9, 0, %r14                     ! start = max(page, vaddr)
        cmpbdb,1 %r11, %r13, %pred1
    }
    {
        addd,0 %r3, 0, %r14 ? %pred0
        addd,1 %r13, 0, %r15                    ! end = min(page + 4K, file end)
    }
    {
        addd,0 %r11, 0, %r15 ? %pred1
    }
    {
        cmpbdb,0 %r14, %r15, %pred0
        subd,1 %r14, %r9, %r16                  ! offset in the page
        subd,2 %r14, %r3, %r17                  ! offset in the segment
    }
    {
        ibranch 1f ? ~%pred0
    }
    {
        addd,0 %r12, %r16, %r16
        addd,1 %r2, %r17, %r17
        subd,2 %r15, %r14, %r18
    }
    FCALL memcpy
1:
    {
        addd,0 %r9, 0, %r16
        addd,1 %r12, 0, %r17
        addd,2 %r8, 0, %r18
    }
    FCALL map_page
    {
        addd,0 %r9, PAGE, %r9
        ibranch .Lls_page
    }
.Lls_done:
    FRET

    .section .rodata
s_init_name:    .asciz "shell"
s_no_init:      .asciz "no /shell on the disk\n"
s_init_big:     .asciz "/shell is larger than 128 KiB\n"
s_init_read:    .asciz "cannot read /shell\n"
s_init_elf:     .asciz "/shell is not an e2k ELF executable\n"
s_starting:     .asciz "kernel: starting /shell in user mode\n"
    .text
