! Glaunch demo OS kernel.
!
! A small e2k kernel written for the real boot protocol (system.md §5.6, §6.6-6.7):
! entered at trap-table entry 12 with %dr0 = 0, %dr1 = bootblock, physical addressing,
! PSR = pm with interrupts masked, on the firmware's stacks. It then
!   - sets OSEM (entry 3 only), UPSR, the trap cellar (TRAP_POINT);
!   - builds 4-level page tables in the legacy PTE format: low RAM and the device windows
!     identity-mapped privileged with 2 MiB pages, the self-map at PGD[511] (U_VPTB) for
!     pre-v6 MMUs, user pages 4 KiB; and switches translation on (§3.7);
!   - starts the CEPIC timer (100 Hz) and UART receive interrupts;
!   - mounts the GDFS disk through virtio-blk, loads /shell (an ELF) into user pages and
!     "returns" into it with PSR = 0x26 (user mode, interrupts on).
! Traps and interrupts arrive at entry 0 (trap_entry), system calls at entry 3
! (syscall_entry, Linux numbering, see syscalls.S). Memory faults on anonymous mappings
! and the user stack are served lazily (page allocated on first touch).
!
! Simplifications, documented in emulator/guest/README.md: one process (the shell); the
! kernel never uses the data stack (all state is in registers and static memory), so it
! does not switch USD/SBR on entry; kernel and user share the hardware stacks the firmware
! set up (mapped without PV for now, see paging_on); the process's exit powers the machine
! off (init died); high RAM (above 2 GiB) is not used.

    .include "proc.inc"
    .include "board.inc"

! ---- kernel constants -------------------------------------------------------------------
PAGE            = 4096
USER_TEXT       = 0x200000000           ! where user programs are linked (8 GiB)
USER_STACK_TOP  = 0x280000000
USER_STACK_SIZE = 0x10000               ! mapped eagerly at exec
USER_STACK_LAZY = 0x1000000             ! the stack may grow lazily to 16 MiB
MMAP_BASE       = 0x300000000           ! anonymous mmap area, pages on first touch
MMAP_LIMIT      = 0x380000000
U_VPTB          = 0xff8000000000        ! linear page table VA (self-map at PGD[511])
TIMER_VECTOR    = 0x20
SPURIOUS_VECTOR = 0xff
TIMER_HZ        = 100

! legacy PTE bits (system.md §3.2)
PTE_P           = 0x1
PTE_W           = 0x2
PTE_PWT         = 0x8
PTE_CD1         = 0x10
PTE_A           = 0x20
PTE_D           = 0x40
PTE_HUGE        = 0x80
PTE_CD2         = 0x200
PTE_VALID       = 0x10000000000
PTE_PV          = 0x20000000000
PTE_NON_EX      = 0x80000000000
PTE_PFN         = 0xfffffff000
PTE_DIR         = PTE_P | PTE_VALID | PTE_PV | PTE_A | PTE_W | PTE_D
PTE_KERNEL_2M   = PTE_P | PTE_VALID | PTE_PV | PTE_A | PTE_W | PTE_D | PTE_HUGE
PTE_DEVICE_2M   = PTE_KERNEL_2M | PTE_NON_EX | PTE_PWT | PTE_CD1 | PTE_CD2
PTE_USER_RW     = PTE_P | PTE_VALID | PTE_A | PTE_W | PTE_D | PTE_NON_EX
PTE_USER_RX     = PTE_P | PTE_VALID | PTE_A
PTE_USER_RO     = PTE_P | PTE_VALID | PTE_A | PTE_NON_EX

! MMU registers (MAS 0x47 at reg << 4)
MMU_CR          = 0x00
MMU_CONT        = 0x10
MMU_U_VPTB      = 0x30
MMU_U_PPTB      = 0x40
MMU_TRAP_POINT  = 0x50
MMU_TRAP_COUNT  = 0x60
MMU_CR_ON       = 0x821                 ! tlb_en | set3 | ipd (Linux's value)

! CEPIC registers (system.md §4.2)
CEPIC_CTRL      = 0x000
CEPIC_EOI       = 0x0a0
CEPIC_LVTT      = 0x220
CEPIC_TIMER_INIT = 0x230
CEPIC_TIMER_DIV = 0x250
CEPIC_SVR       = 0x2a0
CEPIC_VECT_INTA = 0x2f0

! PSR values
PSR_KERNEL_IRQ  = 0x23                  ! pm | ie | nmie: kernel waiting with interrupts on
PSR_USER        = 0x26                  ! ie | sge | nmie (Linux's initial user PSR)

UART_SCRATCH    = k_scratch
VBLK_AREA       = k_vblk

! Disk waits: sleep with interrupts on; the trap handler acknowledges the virtio vector.
    .macro VBLK_WAIT
    FCALL idle_with_irqs
    .endm
    .macro VBLK_DONE
    .endm

    .text
! ---- trap table: OSCUD.base = this address ----------------------------------------------
    .global ttable
ttable:
    ! entry 0: every exception and interrupt (the window is empty here: no registers yet)
    {
        ibranch trap_entry
    }
    .balign 0x800
    .skip 0x800 * 2                     ! entries 1, 2: not open (OSEM)
    ! entry 3: 64-bit system calls (%r0 = number, %r1.. = arguments)
    {
        ibranch syscall_entry
    }
    .balign 0x800
    .skip 0x800 * 8                     ! entries 4..11
    ! entry 12 (0x6000): the firmware enters the kernel here
    {
        ibranch kernel_start
    }
    .balign 0x800

! ---- boot ------------------------------------------------------------------------------
kernel_start:
    PROC_ENTRY
    {
        std,2 %r1, [ k_bootblock ]
        addd,0 %r1, 0, %r8
    }
    FCALL uart_init
    {
        addd,0 0, s_hello, %r16
    }
    FCALL uart_puts
    ! facts from the bootblock (never from the board directly: a real kernel would not know it)
    {
        ldb,0 [ %r8 + 0x002 ], %r1              ! target_mdl
        ldh,2 [ %r8 + 0x028 ], %r2              ! num_of_cpus
        ldd,3 [ %r8 + 0x0e0 ], %r3              ! bank 0 size (starts at 0)
        ldh,5 [ %r8 + 0x000 ], %r4              ! signature
    }
    {
        std,2 %r1, [ k_mdl ]
    }
    {
        std,5 %r2, [ k_ncpus ]
    }
    {
        cmpedb,0 %r4, 0xe200, %pred0
    }
    {
        std,2 %r3, [ k_ram ]
        addd,0 0, s_bad_bootblock, %r16
    }
    {
        ibranch 1f ? %pred0
    }
    FCALL panic
1:
    {
        rrd,0 %idr, %r5
    }
    {
        std,2 %r5, [ k_idr ]
        addd,0 0, s_cmdline, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r8, 0x058, %r16
    }
    FCALL uart_puts
    {
        addd,0 0, s_quote_nl, %r16
    }
    FCALL uart_puts

    ! OS registers: only entry 3 is open to user mode; UPSR = fe | nmie (IRQs off)
    {
        addd,0 0, 1 << 3, %r1
        addd,1 0, 0x81, %r2
    }
    {
        rws,0 %r1, %osem
    }
    {
        rws,0 %r2, %upsr
    }
    ! trap cellar (physical address; identity-mapped anyway)
    {
        addd,0 0, k_tc, %r1
        addd,1 0, 0, %r2
    }
    {
        std,2 %r1, [ MMU_TRAP_POINT ], mas=0x47
    }
    {
        std,2 %r2, [ MMU_TRAP_COUNT ], mas=0x47
    }
    FCALL mm_init
    FCALL paging_on
    FCALL timer_init
    FCALL fs_mount
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 0, s_no_fs, %r16
    }
    {
        ibranch 2f ? %pred0
    }
    FCALL panic
2:
    {
        addd,0 0, s_motd_name, %r16
    }
    FCALL fs_cat_console
    FCALL exec_init                     ! does not return

! panic(msg): print and stop the machine for good
panic:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8
        addd,1 0, s_panic, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r8, 0, %r16
    }
    FCALL uart_puts
1:
    IDLE_WAIT
    {
        ibranch 1b
    }

! ---- memory management ------------------------------------------------------------------

! mm_init(): the page pool is [_end, RAM), taken with a bump pointer plus a free list
mm_init:
    PROC_ENTRY
    {
        addd,0 0, _end, %r1
        ldd,2 [ k_ram ], %r2
    }
    {
        std,2 %r1, [ k_pool_next ]
        std,5 %r2, [ k_pool_end ]
        addd,0 0, 0, %r3
    }
    {
        std,2 %r3, [ k_free_list ]
        std,5 %r3, [ k_free_pages ]
    }
    FRET

! alloc_page() -> physical address of a zeroed 4 KiB page, or 0 when RAM is exhausted
alloc_page:
    PROC_ENTRY
    {
        ldd,0 [ k_free_list ], %r8
    }
    {
        ldd,2 [ k_pool_next ], %r9
    }
    {
        ldd,3 [ k_pool_end ], %r10
    }
    {
        cmpedb,0 %r8, 0, %pred0
    }
    {
        ibranch 1f ? %pred0
    }
    ! from the free list: the first dword of a free page links to the next one
    {
        ldd,0 [ %r8 ], %r1
        ldd,2 [ k_free_pages ], %r2
    }
    {
        std,2 %r1, [ k_free_list ]
        subd,0 %r2, 1, %r2
    }
    {
        std,2 %r2, [ k_free_pages ]
        ibranch 2f
    }
1:
    {
        addd,0 %r9, PAGE, %r11
    }
    {
        cmpbedb,0 %r11, %r10, %pred0
        addd,1 0, 0, %r0
    }
    {
        ibranch 3f ? ~%pred0
    }
    {
        std,2 %r11, [ k_pool_next ]
        addd,0 %r9, 0, %r8
    }
2:
    {
        addd,0 %r8, 0, %r16
        addd,1 0, PAGE, %r17
    }
    FCALL memzero
    {
        addd,0 %r8, 0, %r0
    }
3:
    FRET

! free_page(pa)
free_page:
    PROC_ENTRY
    {
        ldd,0 [ k_free_list ], %r1
        ldd,2 [ k_free_pages ], %r2
    }
    {
        std,2 %r1, [ %r0 ]
        addd,0 %r2, 1, %r2
    }
    {
        std,2 %r0, [ k_free_list ]
        std,5 %r2, [ k_free_pages ]
    }
    FRET

! memzero(addr, bytes): bytes is a non-zero multiple of 16. One bundle stores 16 bytes
! (channels 2 and 5); the loop condition for the next bundle is computed one iteration
! ahead because a predicate written in a bundle is only visible to the following one.
memzero:
    PROC_ENTRY
    {
        addd,0 %r0, %r1, %r2                    ! end
        addd,1 0, 0, %r3
    }
    {
        subd,0 %r2, 16, %r4
        subd,1 %r2, 32, %r5
    }
    {
        cmpbdb,0 %r0, %r4, %pred0               ! more than this first 16 bytes?
    }
1:
    {
        std,2 %r3, [ %r0 ]
        std,5 %r3, [ %r0 + 8 ]
        addd,0 %r0, 16, %r0
        cmpbdb,1 %r0, %r5, %pred0               ! for the next round
        ibranch 1b ? %pred0
    }
    FRET

! memcpy(dst, src, n): 8 bytes at a time while both addresses are 8-byte aligned (the
! usual case: page-aligned segments, sector buffers), then the tail byte by byte
memcpy:
    PROC_ENTRY
    {
        addd,0 0, 0, %r3
        ord,1 %r0, %r1, %r5
    }
    {
        andd,0 %r5, 7, %r5
    }
    {
        cmpedb,0 %r5, 0, %pred0
    }
    {
        ibranch 1f ? ~%pred0
    }
3:
    {
        addd,0 %r3, 8, %r5
    }
    {
        cmpbedb,0 %r5, %r2, %pred0
    }
    {
        ibranch 1f ? ~%pred0
    }
    {
        ldd,0 %r1, %r3, %r4
    }
    {
        std,2 %r4, [ %r0 + %r3 ]
        addd,0 %r3, 8, %r3
        ibranch 3b
    }
1:
    {
        cmpbdb,0 %r3, %r2, %pred0
    }
    {
        ibranch 2f ? ~%pred0
    }
    {
        ldb,0 %r1, %r3, %r4
    }
    {
        stb,2 %r4, [ %r0 + %r3 ]
        addd,0 %r3, 1, %r3
        ibranch 1b
    }
2:
    FRET

! pte_slot(va, create) -> address of the 4 KiB PTE slot for va, or 0 (no table and
! create = 0, or out of memory). Intermediate tables are directory entries (PTE_DIR):
! permissions come from the leaf, as Linux does.
pte_slot:
    PROC_ENTRY
    {
        ldd,0 [ k_pgd ], %r8                    ! table
        addd,1 0, 39, %r9                       ! shift for this level
        addd,2 0, 3, %r10                       ! levels above the leaf
    }
1:
    {
        shrd,0 %r0, %r9, %r2
    }
    {
        andd,0 %r2, 511, %r2
    }
    {
        shld,0 %r2, 3, %r2
    }
    {
        addd,0 %r8, %r2, %r11                   ! slot in this table
    }
    {
        ldd,0 [ %r11 ], %r3
    }
    {
        andd,0 %r3, PTE_P, %r4
        andd,1 %r3, PTE_PFN, %r5
    }
    {
        cmpedb,0 %r4, 0, %pred0
    }
    {
        ibranch 3f ? ~%pred0                    ! present: descend
    }
    {
        cmpedb,0 %r1, 0, %pred1
        addd,1 0, 0, %r0
    }
    {
        ibranch 9f ? %pred1
    }
    FCALL alloc_page
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r5
        addd,2 0, PTE_DIR, %r6
        addd,3 0, 0, %r0
    }
    {
        ibranch 9f ? %pred0
        ord,0 %r16, %r6, %r6
    }
    {
        std,2 %r6, [ %r11 ]
    }
3:
    {
        addd,0 %r5, 0, %r8
        subd,1 %r9, 9, %r9
        subd,2 %r10, 1, %r10
        cmpedb,3 %r10, 1, %pred0                ! that was the last directory level
    }
    {
        ibranch 1b ? ~%pred0
    }
    {
        shrd,0 %r0, 12, %r2
    }
    {
        andd,0 %r2, 511, %r2
    }
    {
        shld,0 %r2, 3, %r2
    }
    {
        addd,0 %r8, %r2, %r0
    }
9:
    FRET

! map_page(va, pa, flags) -> 0, or -1 when no memory for page tables
map_page:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
        addd,1 0, 1, %r17
    }
    FCALL pte_slot
    {
        cmpedb,0 %r16, 0, %pred0
        ord,1 %r1, %r2, %r3
        subd,2 0, 1, %r0
    }
    {
        ibranch 1f ? %pred0
    }
    {
        std,2 %r3, [ %r16 ]
        addd,0 0, 0, %r0
    }
1:
    FRET

! unmap_page(va) -> the physical page that was mapped there, or 0
unmap_page:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
        addd,1 0, 0, %r17
    }
    FCALL pte_slot
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 0, 0, %r0
    }
    {
        ibranch 1f ? %pred0
    }
    {
        ldd,0 [ %r16 ], %r1
        addd,1 0, 0, %r2
    }
    {
        std,2 %r2, [ %r16 ]
        andd,0 %r1, PTE_PFN, %r0
        andd,1 %r1, PTE_P, %r3
    }
    {
        cmpedb,0 %r3, 0, %pred0
    }
    {
        addd,0 0, 0, %r0 ? %pred0
    }
1:
    FRET

! tlb_flush_page(va): the one page holding va (MAS 0x17, address 1; the value is
! VA | context << 50, and this kernel runs in context 0) — what the page-fault path needs
! after it mapped a page, as Linux's flush_tlb_page; bracketed by waits like tlb_flush
tlb_flush_page:
    PROC_ENTRY
    {
        wait all_c=1
    }
    {
        std,2 %r0, [ 1 ], mas=0x17
    }
    {
        wait all_c=1
    }
    FRET

! tlb_flush(): whole TLB (MAS 0x27, address 1), bracketed by waits as Linux does
tlb_flush:
    PROC_ENTRY
    {
        addd,0 0, 0, %r1
    }
    {
        wait all_c=1
    }
    {
        std,2 %r1, [ 1 ], mas=0x27
    }
    {
        wait all_c=1
    }
    FRET

! paging_on(): kernel page tables and MMU_CR.tlb_en (system.md §3.7)
paging_on:
    PROC_ENTRY
    FCALL alloc_page
    {
        std,2 %r16, [ k_pgd ]
        addd,0 %r16, 0, %r8
    }
    ! The first 2 MiB with 4 KiB pages: privileged, except the hardware stacks the
    ! firmware set up (PSP/PCSP, shared by kernel and user here). They should be PV like
    ! Linux's, but Glaunch's core currently performs spill/fill and chain-frame stores
    ! with the running code's privilege, so user-mode calls would fault on PV stack pages
    ! (reported; switch this back to PTE_KERNEL_4K once the core treats them as hardware
    ! accesses, system.md §1.6).
    ! map_page builds the PGD/PUD/PMD chain and the table for VA 0; the other 511
    ! entries of that table are then written directly.
    {
        addd,0 0, 0, %r16
        addd,1 0, 0, %r17
        addd,2 0, PTE_KERNEL_4K, %r18
    }
    FCALL map_page
    {
        addd,0 0, 0, %r16
        addd,1 0, 0, %r17
    }
    FCALL pte_slot                      ! = the table's address (entry 0)
    {
        addd,0 %r16, 0, %r11
        addd,1 0, 0, %r9                        ! pa = va
    }
5:
    {
        addd,0 0, PTE_KERNEL_4K, %r2
    }
    {
        cmpbdb,1 %r9, HW_STACKS_BASE, %pred0
    }
    {
        cmpbdb,3 %r9, HW_STACKS_END, %pred1
    }
    {
        addd,0 0, PTE_HWSTACK_4K, %r2 ? ~%pred0
    }
    {
        addd,0 0, PTE_KERNEL_4K, %r2 ? ~%pred1
    }
    {
        ord,0 %r9, %r2, %r2
        shrd,1 %r9, 9, %r3                      ! (pa >> 12) * 8
    }
    {
        std,2 %r2, [ %r11 + %r3 ]
        addd,0 %r9, PAGE, %r9
    }
    {
        cmpbdb,0 %r9, 0x200000, %pred0
    }
    {
        ibranch 5b ? %pred0
    }
    ! the rest of low RAM with 2 MiB kernel pages
    {
        addd,0 0, 0x200000, %r9                 ! pa
        ldd,2 [ k_ram ], %r10
    }
1:
    {
        cmpbdb,0 %r9, %r10, %pred0
    }
    {
        ibranch 2f ? ~%pred0
    }
    {
        addd,0 %r9, 0, %r16
        addd,1 0, PTE_KERNEL_2M, %r17
    }
    FCALL map_2m
    {
        addd,0 %r9, 0x200000, %r9
        ibranch 1b
    }
2:
    ! device windows: UART/virtio/RTC/power/board info, and the CEPIC (uncached)
    {
        addd,0 0, MMIO_BASE_2M, %r16
        addd,1 0, PTE_DEVICE_2M, %r17
    }
    FCALL map_2m
    {
        addd,0 0, CEPIC_BASE_2M, %r16
        addd,1 0, PTE_DEVICE_2M, %r17
    }
    FCALL map_2m
    ! self-map for the linear page table (needed before v6, harmless after)
    {
        addd,0 0, PTE_DIR, %r1
    }
    {
        ord,0 %r8, %r1, %r1
    }
    {
        std,2 %r1, [ %r8 + 511 * 8 ]
    }
    {
        addd,0 0, U_VPTB, %r2
    }
    {
        addd,1 0, 0, %r3
    }
    {
        addd,2 0, MMU_CR_ON, %r4
    }
    {
        std,2 %r2, [ MMU_U_VPTB ], mas=0x47
    }
    {
        std,2 %r8, [ MMU_U_PPTB ], mas=0x47
    }
    {
        std,2 %r3, [ MMU_CONT ], mas=0x47
    }
    {
        wait all_c=1
    }
    {
        std,2 %r4, [ MMU_CR ], mas=0x47
    }
    {
        wait all_c=1
    }
    FCALL tlb_flush
    {
        addd,0 0, s_mmu_on, %r16
    }
    FCALL uart_puts
    FRET

MMIO_BASE_2M    = 0xf0000000
HW_STACKS_BASE  = 0x100000              ! firmware PSP (256 KiB) and PCSP (64 KiB)
HW_STACKS_END   = 0x150000
PTE_KERNEL_4K   = PTE_P | PTE_VALID | PTE_PV | PTE_A | PTE_W | PTE_D
PTE_HWSTACK_4K  = PTE_P | PTE_VALID | PTE_PV | PTE_A | PTE_W | PTE_D | PTE_NON_EX
CEPIC_BASE_2M   = 0xfee00000

! map_2m(pa, flags): identity 2 MiB entry at the PMD level
map_2m:
    PROC_ENTRY
    {
        ldd,0 [ k_pgd ], %r8
        addd,1 0, 39, %r9
        addd,2 0, 0, %r10                       ! depth: 0 = PGD, 1 = PUD
    }
1:
    {
        shrd,0 %r0, %r9, %r2
    }
    {
        andd,0 %r2, 511, %r2
    }
    {
        shld,0 %r2, 3, %r2
    }
    {
        addd,0 %r8, %r2, %r11
    }
    {
        ldd,0 [ %r11 ], %r3
    }
    {
        andd,0 %r3, PTE_P, %r4
        andd,1 %r3, PTE_PFN, %r5
    }
    {
        cmpedb,0 %r4, 0, %pred0
    }
    {
        ibranch 3f ? ~%pred0
    }
    FCALL alloc_page
    {
        addd,0 %r16, 0, %r5
        addd,1 0, PTE_DIR, %r6
    }
    {
        ord,0 %r5, %r6, %r6
    }
    {
        std,2 %r6, [ %r11 ]
    }
3:
    {
        addd,0 %r5, 0, %r8
        subd,1 %r9, 9, %r9
        addd,2 %r10, 1, %r10
    }
    {
        cmpedb,0 %r10, 2, %pred0
    }
    {
        ibranch 1b ? ~%pred0
    }
    ! %r8 = PMD table, %r9 = 21
    {
        shrd,0 %r0, 21, %r2
        ord,1 %r0, %r1, %r3
    }
    {
        andd,0 %r2, 511, %r2
    }
    {
        shld,0 %r2, 3, %r2
    }
    {
        std,2 %r3, [ %r8 + %r2 ]
    }
    FRET

! ---- timer and interrupts ----------------------------------------------------------------

! timer_init(): CEPIC on, periodic timer at TIMER_HZ, UART 0 receive interrupts
timer_init:
    PROC_ENTRY
    {
        addd,0 0, CEPIC_BASE, %r8
    }
    {
        ldw,0 [ %r8 + CEPIC_CTRL ], %r1
        addd,1 0, SPURIOUS_VECTOR, %r2
        addd,2 0, 0xb, %r3                      ! divide by 1
        addd,3 0, TIMER_VECTOR | (1 << 17), %r4 ! periodic, unmasked
        addd,4 0, CEPIC_TIMER_HZ / TIMER_HZ, %r5
    }
    {
        ord,0 %r1, 1 << 10, %r1                 ! soft_en
    }
    {
        stw,2 %r1, [ %r8 + CEPIC_CTRL ]
        stw,5 %r2, [ %r8 + CEPIC_SVR ]
    }
    {
        stw,2 %r3, [ %r8 + CEPIC_TIMER_DIV ]
        stw,5 %r4, [ %r8 + CEPIC_LVTT ]
    }
    {
        stw,2 %r5, [ %r8 + CEPIC_TIMER_INIT ]
        addd,0 0, UART0_BASE, %r9
        addd,1 0, 1, %r6                        ! IER: received data
    }
    {
        stb,2 %r6, [ %r9 + UART_IER ]
    }
    ! boot time for the monotonic clock
    FCALL rtc_ns
    {
        std,2 %r16, [ k_boot_ns ]
        addd,0 0, s_timer_on, %r16
    }
    FCALL uart_puts
    FRET

! rtc_ns() -> wall-clock nanoseconds since the epoch (RTC: TIME_LO latches the rest)
rtc_ns:
    PROC_ENTRY
    {
        addd,0 0, RTC_BASE, %r8
    }
    {
        ldw,0 [ %r8 + RTC_TIME_LO ], %r1
    }
    {
        ldw,0 [ %r8 + RTC_TIME_HI ], %r2
        ldw,2 [ %r8 + 0x08 ], %r3               ! TIME_NSEC
    }
    {
        shld,0 %r2, 32, %r2
    }
    {
        ord,0 %r1, %r2, %r1
    }
    {
        muld,0 %r1, 1000000000, %r1
    }
    {
        addd,0 %r1, %r3, %r0
    }
    FRET

! trap_entry: entry 0. Saves the control-transfer state, reads the TIR, handles
! interrupts (CEPIC VECT_INTA / EOI) and data page faults, resumes with `done`.
trap_entry:
    PROC_ENTRY
    {
        rrd,0 %ctpr1, %r0
    }
    {
        rrd,0 %ctpr2, %r1
    }
    {
        rrd,0 %ctpr3, %r2
    }
    {
        rrd,0 %lsr, %r3
    }
    {
        rrd,0 %ilcr, %r4
    }
    ! Read every TIR (system.md §2.2): pairs hi, lo until the one with j = 0 (TIR0, the
    ! resume point); exception bits of older TIRs are merged in.
    {
        addd,0 0, 0, %r5
    }
1:
    {
        rrd,0 %tir.hi, %r7
    }
    {
        rrd,0 %tir.lo, %r6
    }
    {
        shrd,0 %r7, 56, %r8                     ! j
        andd,1 %r7, 0xfffffffffff, %r7          ! exception mask
    }
    {
        ord,0 %r5, %r7, %r5
        cmpedb,1 %r8, 0, %pred0
    }
    {
        ibranch 1b ? ~%pred0
    }
    {
        rwd,0 %r6, %tir.lo                      ! unfreeze the TIRs
    }
    {
        shrd,0 %r5, 32, %r7
        andd,1 %r5, 1 << 29, %r8
    }
    {
        andd,0 %r7, 1, %r7                      ! exc_interrupt
        cmpedb,1 %r8, 0, %pred1
    }
    {
        cmpedb,0 %r7, 0, %pred0
    }
    {
        ibranch .Ltr_irq ? ~%pred0
    }
    {
        ibranch .Ltr_fault ? ~%pred1
    }
    ! anything else is fatal for the process (and so, here, for the machine)
    {
        addd,0 %r5, 0, %r16
        addd,1 %r6, 0, %r17
    }
    FCALL trap_fatal
.Ltr_fault:
    FCALL page_fault
    {
        ibranch .Ltr_out
    }
.Ltr_irq:
    FCALL interrupt
.Ltr_out:
    {
        rwd,0 %r0, %ctpr1
    }
    {
        rwd,0 %r1, %ctpr2
    }
    {
        rwd,0 %r2, %ctpr3
    }
    {
        rwd,0 %r3, %lsr
    }
    {
        rwd,0 %r4, %ilcr
    }
    {
        nop 3
        wait st_c=1
    }
    done

! interrupt(): acknowledge one vector and dispatch it
interrupt:
    PROC_ENTRY
    {
        addd,0 0, CEPIC_BASE, %r8
    }
    {
        ldw,0 [ %r8 + CEPIC_VECT_INTA ], %r1
    }
    {
        andd,0 %r1, 0x3ff, %r9
        shrd,1 %r1, 16, %r10                    ! previous CPR, given back at EOI
    }
    {
        cmpedb,0 %r9, TIMER_VECTOR, %pred0
        cmpedb,1 %r9, VEC_UART0, %pred1
    }
    {
        ibranch 1f ? ~%pred0
    }
    {
        ldd,0 [ k_ticks ], %r2
    }
    {
        addd,0 %r2, 1, %r2
    }
    {
        std,2 %r2, [ k_ticks ]
        ibranch 3f
    }
1:
    {
        cmpedb,0 %r9, VEC_POWER_BUTTON, %pred2
    }
    {
        ibranch 5f ? ~%pred2
    }
    ! ACPI-style power button: shut down cleanly (there is nothing to save)
    {
        addd,0 0, s_power_button, %r16
    }
    FCALL uart_puts
    FCALL power_off
5:
    {
        ibranch 2f ? ~%pred1
    }
    FCALL tty_rx                        ! move received bytes into the input ring
    {
        ibranch 3f
    }
2:
    ! virtio lines: requests are polled, so only acknowledge (keeps a level line quiet)
    {
        subd,0 %r9, VEC_VIRTIO0, %r2
    }
    {
        cmpbdb,0 %r2, VIRTIO_SLOTS, %pred0
        shld,1 %r2, 12, %r2
    }
    {
        ibranch 3f ? ~%pred0
    }
    {
        addd,0 %r2, VIRTIO_BASE, %r2
    }
    {
        ldw,0 [ %r2 + VIRTIO_INT_STATUS ], %r3
    }
    {
        stw,2 %r3, [ %r2 + VIRTIO_INT_ACK ]
    }
3:
    {
        andd,0 %r10, 7, %r10
        cmpedb,1 %r9, SPURIOUS_VECTOR, %pred0
    }
    {
        shld,0 %r10, 16, %r10
        ibranch 4f ? %pred0                     ! spurious: no EOI
    }
    {
        stw,2 %r10, [ %r8 + CEPIC_EOI ]
    }
4:
    FRET

! page_fault(): a data fault recorded in the trap cellar. Anonymous mappings and the user
! stack get a fresh page (demand paging); anything else is fatal.
page_fault:
    PROC_ENTRY
    {
        ldd,2 [ MMU_TRAP_COUNT ], %r8, mas=0x47
    }
    {
        ldd,0 [ k_tc ], %r9                     ! record 0: the address
        ldd,2 [ k_tc + 16 ], %r10               ! condition
        cmpedb,1 %r8, 0, %pred0
    }
    {
        ibranch .Lpf_bad ? %pred0
    }
    {
        andnd,0 %r9, PAGE - 1, %r11
        shrd,1 %r10, 45, %r12                   ! fault_type page_miss (bit 45)?
        shrd,2 %r10, 43, %r13                   ! illegal_page (bit 43)
    }
    ! lazily backed regions: [MMAP_BASE, mmap_next) and the user stack
    {
        ldd,0 [ k_mmap_next ], %r1
    }
    {
        addd,1 0, MMAP_BASE, %r2
    }
    {
        addd,2 0, USER_STACK_TOP - USER_STACK_LAZY, %r3
    }
    {
        addd,3 0, USER_STACK_TOP, %r4
    }
    {
        cmpbdb,0 %r11, %r2, %pred0              ! below the mmap area
        cmpbdb,1 %r11, %r1, %pred1              ! below its current end
    }
    {
        ibranch 2f ? %pred0
    }
    {
        ibranch .Lpf_map ? %pred1
    }
2:
    {
        cmpbdb,0 %r11, %r3, %pred0
        cmpbdb,1 %r11, %r4, %pred1
    }
    {
        ibranch .Lpf_bad ? %pred0
    }
    {
        ibranch .Lpf_bad ? ~%pred1
    }
.Lpf_map:
    ! an already present page means a protection fault, not a missing page
    {
        addd,0 %r11, 0, %r16
        addd,1 0, 0, %r17
    }
    FCALL pte_slot
    {
        cmpedb,0 %r16, 0, %pred0
    }
    {
        ibranch 1f ? %pred0
    }
    {
        ldd,0 [ %r16 ], %r1
    }
    {
        andd,0 %r1, PTE_P, %r1
    }
    {
        cmpedb,0 %r1, 0, %pred0
    }
    {
        ibranch .Lpf_bad ? ~%pred0
    }
1:
    FCALL alloc_page
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r17
        addd,2 %r11, 0, %r16
        addd,3 0, PTE_USER_RW, %r18
    }
    {
        ibranch .Lpf_oom ? %pred0
    }
    FCALL map_page
    {
        addd,0 %r11, 0, %r16
    }
    FCALL tlb_flush_page
    {
        ldd,0 [ k_faults ], %r1
        addd,1 0, 0, %r2
    }
    {
        addd,0 %r1, 1, %r1
        std,2 %r2, [ MMU_TRAP_COUNT ], mas=0x47
    }
    {
        std,2 %r1, [ k_faults ]
    }
    FRET
.Lpf_oom:
    ! no page left: like an OOM kill of the faulting process (which, being init, ends
    ! the system cleanly)
    {
        addd,0 0, s_oom_kill, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r9, 0, %r16
    }
    FCALL uart_puthex
    {
        addd,0 0, s_nl, %r16
    }
    FCALL uart_puts
    {
        addd,0 0, 137, %r16
    }
    FCALL process_exit
.Lpf_bad:
    {
        addd,0 0, s_segv, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r9, 0, %r16
    }
    FCALL uart_puthex
    {
        addd,0 0, s_nl, %r16
    }
    FCALL uart_puts
    {
        addd,0 0, 139, %r16
    }
    FCALL process_exit

! trap_fatal(tir_hi, tir_lo)
trap_fatal:
    PROC_ENTRY
    {
        addd,0 0, s_trap, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r0, 0, %r16
    }
    FCALL uart_puthex
    {
        addd,0 0, s_at_ip, %r16
    }
    FCALL uart_puts
    {
        andd,0 %r1, 0xffffffffffff, %r16
    }
    FCALL uart_puthex
    {
        addd,0 0, s_nl, %r16
    }
    FCALL uart_puts
    {
        addd,0 0, 134, %r16
    }
    FCALL process_exit

! process_exit(status): the only process is init; like Linux, its death ends the system.
! We power the machine off cleanly instead of panicking.
process_exit:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8
        addd,1 0, s_exit, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r8, 0, %r16
    }
    FCALL uart_putdec
    {
        addd,0 0, s_poweroff, %r16
    }
    FCALL uart_puts
    FCALL power_off

power_off:
    PROC_ENTRY
    {
        addd,0 0, POWER_BASE, %r1
        addd,1 0, POWER_OFF, %r2
    }
    {
        stw,2 %r2, [ %r1 + POWER_CMD ]
    }
1:
    IDLE_WAIT
    {
        ibranch 1b
    }

    .include "exec.S"
    .include "syscalls.S"
    .include "fs.S"
    .include "tty.S"
    .include "../lib/uart.S"
    .include "../lib/vblk.S"
    .include "../lib/cpuname.S"
    .include "../lib/str.S"

! ---- data ----------------------------------------------------------------------------------
    .section .rodata
s_hello:        .asciz "\nGlaunch demo OS 0.1 (e2k)\n"
s_cmdline:      .asciz "kernel: command line '"
s_quote_nl:     .asciz "'\n"
s_bad_bootblock: .asciz "bootblock signature is not 0xE200\n"
s_mmu_on:       .asciz "kernel: 4-level page tables (legacy PTEs), translation on\n"
s_timer_on:     .asciz "kernel: CEPIC timer 100 Hz, UART 0 receive interrupts\n"
s_no_fs:        .asciz "no GDFS disk found on virtio-blk\n"
s_panic:        .asciz "kernel panic: "
s_oom:          .asciz "out of memory\n"
s_oom_kill:     .asciz "kernel: out of memory, killing init at address "
s_segv:         .asciz "kernel: segmentation fault at "
s_trap:         .asciz "kernel: fatal exception, TIR.hi "
s_at_ip:        .asciz " at IP "
s_nl:           .asciz "\n"
s_exit:         .asciz "kernel: init exited with status "
s_poweroff:     .asciz ", powering off\n"
s_power_button: .asciz "\nkernel: power button pressed, powering off\n"
s_motd_name:    .asciz "motd"

    .bss
    .align 4096
k_tc:           .skip 4096              ! trap cellar (1 KiB aligned; records + extension)
k_vblk:         .skip 4096              ! virtqueue page
k_sector:       .skip 4096              ! sector bounce buffer / directory cache
k_exec:         .skip 0x20000           ! the init ELF while it is loaded
k_scratch:      .skip 64
k_bootblock:    .skip 8
k_mdl:          .skip 8
k_idr:          .skip 8
k_ncpus:        .skip 8
k_ram:          .skip 8
k_pgd:          .skip 8
k_pool_next:    .skip 8
k_pool_end:     .skip 8
k_free_list:    .skip 8
k_free_pages:   .skip 8
k_ticks:        .skip 8
k_boot_ns:      .skip 8
k_faults:       .skip 8
k_mmap_next:    .skip 8
