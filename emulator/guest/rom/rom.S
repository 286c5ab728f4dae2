! Glaunch boot ROM for the glaunch-virt board.
!
! The board starts vCPU 0 here (ROM_BASE) in physical mode with PSR = pm, interrupts
! masked and the firmware stacks already set (emulator/machine/README.md, "Reset state").
! The ROM then does what MCST firmware does (system.md §5.5-5.6, §6.6):
!   1. banner: CPU model decoded from IDR, vCPU count and RAM size (board info block);
!   2. walks the boot order over the virtio-blk slots whose medium matches;
!   3. reads the GDFS boot sector (LBA 0) and the kernel ELF it points at, loads the
!      PT_LOAD segments at their physical addresses;
!   4. fills the bootblock at BOOTBLOCK (0x1000), points CUD/OSCUD/GD/OSGD at the kernel
!      image and enters trap-table entry 12 (OSCUD.base + 0x6000) with %dr0 = 0 and
!      %dr1 = BOOTBLOCK.
! Failures print one clear line and go on with the next medium; when nothing boots the
! ROM says so and waits.

    .include "proc.inc"
    .include "board.inc"

! Firmware RAM used by the ROM (inside the board's firmware area).
VBLK_AREA       = FW_DATA               ! virtqueue page
UART_SCRATCH    = FW_DATA + 0x1000      ! number formatting
SECBUF          = FW_DATA + 0x2000      ! boot sector
V_RAM_LOW       = FW_DATA + 0x3000      ! u64 variables
V_RAM_HIGH      = FW_DATA + 0x3008
V_VCPUS         = FW_DATA + 0x3010
V_MDL           = FW_DATA + 0x3018
V_KBASE         = FW_DATA + 0x3020
V_KEND          = FW_DATA + 0x3028
V_STAGING       = FW_DATA + 0x3030
V_SLOT          = FW_DATA + 0x3038
GDFS_BOOT_MAGIC = 0x544f4f4253464447     ! "GDFSBOOT" read as a little-endian u64
KERNEL_LOW      = 0x200000              ! segments must not go below 2 MiB (firmware area)
CEPIC_CTRL      = 0x000
CEPIC_EOI       = 0x0a0
CEPIC_VECT_INTA = 0x2f0

! Disk waits idle with interrupts masked: the CEPIC is soft-enabled (below) so a posted
! virtio vector wakes the vCPU, and after the request the vector is acknowledged so it
! does not stay pending (and wake every later wait at once).
    .macro VBLK_WAIT
    IDLE_WAIT
    .endm
    .macro VBLK_DONE
    {
        addd,0 0, CEPIC_BASE, %r5
    }
    {
        ldw,0 [ %r5 + CEPIC_VECT_INTA ], %r6
    }
    {
        shrd,0 %r6, 16, %r6
    }
    {
        andd,0 %r6, 7, %r6
    }
    {
        shld,0 %r6, 16, %r6
    }
    {
        stw,2 %r6, [ %r5 + CEPIC_EOI ]
    }
    .endm

    .text
    .global _start
_start:
    PROC_ENTRY
    FCALL uart_init
    {
        addd,0 0, CEPIC_BASE, %r1
    }
    {
        ldw,0 [ %r1 + CEPIC_CTRL ], %r2
    }
    {
        ord,0 %r2, 1 << 10, %r2                 ! soft_en: posted vectors can wake us
    }
    {
        stw,2 %r2, [ %r1 + CEPIC_CTRL ]
    }
    ! OSCUD.base is the ROM base, so the trap table's entry 0 is this very address: an
    ! exception inside the ROM lands here with a frozen TIR. Report it instead of booting
    ! again (a second one would be a double fault).
    {
        rrd,0 %tir.hi, %r8
    }
    {
        rrd,0 %tir.lo, %r9
    }
    {
        andd,0 %r8, 0xfffffffffff, %r10         ! exc bits 43:0
    }
    {
        cmpedb,0 %r10, 0, %pred0
    }
    {
        ibranch .Lcold ? %pred0
    }
    {
        addd,0 0, s_exception, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r8, 0, %r16
    }
    FCALL uart_puthex
    {
        addd,0 0, s_at_ip, %r16
    }
    FCALL uart_puts
    {
        andd,0 %r9, 0xffffffffffff, %r16
    }
    FCALL uart_puthex
    {
        addd,0 0, s_halted, %r16
    }
    FCALL uart_puts
    {
        ibranch .Lhalt
    }
.Lcold:
    {
        addd,0 0, s_banner, %r16
    }
    FCALL uart_puts

    ! ---- CPU: IDR.mdl names the model the VM's preset pretends to be --------------
    {
        rrd,0 %idr, %r8
    }
    {
        andd,0 %r8, 0xff, %r9
    }
    {
        std,2 %r9, [ V_MDL ]
        addd,0 0, s_cpu, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r9, 0, %r16
    }
    FCALL cpu_name
    FCALL uart_puts                     ! %r16 = the name
    {
        addd,0 0, s_idr, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r8, 0, %r16
    }
    FCALL uart_puthex

    ! ---- board information block: vCPUs and RAM -----------------------------------
    {
        addd,0 0, BOARD_INFO, %r10
    }
    {
        ldw,0 [ %r10 + BI_ID ], %r1
    }
    {
        cmpedb,0 %r1, BI_ID_VALUE, %pred0
    }
    {
        ibranch .Lbi_ok ? %pred0
    }
    {
        addd,0 0, s_no_board_info, %r16
    }
    FCALL uart_puts
    {
        ibranch .Lhalt
    }
.Lbi_ok:
    {
        ldw,0 [ %r10 + BI_VCPUS ], %r11
        ldw,2 [ %r10 + BI_RAM_LO ], %r1
        ldw,3 [ %r10 + BI_RAM_LO + 4 ], %r2
    }
    {
        ldw,0 [ %r10 + BI_HIGH_SIZE ], %r3
        ldw,2 [ %r10 + BI_HIGH_SIZE + 4 ], %r4
        shld,1 %r2, 32, %r2
    }
    {
        ord,0 %r1, %r2, %r12            ! low RAM bytes
        shld,1 %r4, 32, %r4
    }
    {
        ord,0 %r3, %r4, %r13            ! high RAM bytes
        std,2 %r11, [ V_VCPUS ]
    }
    {
        std,2 %r12, [ V_RAM_LOW ]
        std,5 %r13, [ V_RAM_HIGH ]
        addd,0 0, s_comma, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r11, 0, %r16
    }
    FCALL uart_putdec
    {
        addd,0 0, s_vcpus, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r12, %r13, %r16
    }
    {
        shrd,0 %r16, 20, %r16
    }
    FCALL uart_putdec
    {
        addd,0 0, s_mib, %r16
    }
    FCALL uart_puts

    ! ---- boot order: nibble i of BI_BOOT_ORDER is the i-th medium kind ------------
    {
        ldw,0 [ %r10 + BI_BOOT_ORDER ], %r8
        ldw,2 [ %r10 + BI_SLOT_MEDIA ], %r9
        addd,1 0, 0, %r11               ! i (bit position)
    }
.Lorder:
    {
        shrd,0 %r8, %r11, %r1
        cmpbdb,1 %r11, 32, %pred1
    }
    {
        andd,0 %r1, 15, %r12            ! wanted kind
        ibranch .Lnothing ? ~%pred1
    }
    {
        cmpedb,0 %r12, 0, %pred0
        addd,1 0, 0, %r13               ! slot k
    }
    {
        ibranch .Lnothing ? %pred0
    }
.Lslot:
    {
        shld,0 %r13, 2, %r1
    }
    {
        shrd,0 %r9, %r1, %r1
    }
    {
        andd,0 %r1, 15, %r1
    }
    {
        cmpedb,0 %r1, %r12, %pred0
    }
    {
        ibranch 1f ? ~%pred0
    }
    {
        addd,0 %r13, 0, %r16
    }
    FCALL try_boot                      ! returns only when that medium failed
1:
    {
        addd,0 %r13, 1, %r13
    }
    {
        cmpbdb,0 %r13, VIRTIO_BLK_SLOTS, %pred0
    }
    {
        ibranch .Lslot ? %pred0
    }
    {
        addd,0 %r11, 4, %r11
        ibranch .Lorder
    }
.Lnothing:
    {
        addd,0 0, s_no_medium, %r16
    }
    FCALL uart_puts
.Lhalt:
    ! Nothing left to do: wait for an interrupt forever (interrupts are masked, so on
    ! hardware this is a halt; under Glaunch it is an idle exit, not a busy loop).
    IDLE_WAIT
    {
        ibranch .Lhalt
    }

! try_boot(slot): boot from virtio-blk slot `slot`; returns on failure (message printed).
try_boot:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8              ! slot
        shld,1 %r0, 12, %r9
        addd,2 0, s_boot, %r16
    }
    {
        addd,0 %r9, VIRTIO_BASE, %r9    ! device base
        std,2 %r8, [ V_SLOT ]
    }
    FCALL uart_puts
    {
        addd,0 %r8, 0x61, %r16          ! 'a' + slot
    }
    FCALL uart_putc
    {
        addd,0 0, s_colon, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r9, 0, %r16
    }
    FCALL vblk_init
    {
        cmpldb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r10
        addd,2 0, s_no_device, %r16
    }
    {
        ibranch .Ltb_msg ? %pred0
    }
    ! boot sector
    {
        addd,0 0, 0, %r16
        addd,1 0, SECBUF, %r17
        addd,2 0, 1, %r18
    }
    FCALL vblk_read
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r10
    }
    {
        ibranch .Ltb_readerr ? ~%pred0
    }
    {
        ldd,0 [ SECBUF ], %r1
        ldh,2 [ SECBUF + 510 ], %r2
        ldw,3 [ SECBUF + 12 ], %r3
    }
    {
        cmpedb,0 %r1, GDFS_BOOT_MAGIC, %pred0
        cmpedb,1 %r2, 0xaa55, %pred1
        andd,2 %r3, 1, %r3
    }
    {
        cmpedb,0 %r3, 0, %pred2
        addd,1 0, s_not_bootable, %r16
    }
    {
        ibranch .Ltb_msg ? ~%pred0
    }
    {
        ibranch .Ltb_msg ? ~%pred1
    }
    {
        ibranch .Ltb_msg ? %pred2
    }
    ! kernel file: LBA and size from the boot sector
    {
        ldd,0 [ SECBUF + 0x10 ], %r11   ! kernel LBA
        ldd,2 [ SECBUF + 0x18 ], %r12   ! kernel bytes
        ldd,3 [ V_RAM_LOW ], %r1
    }
    {
        addd,0 %r12, 511, %r13
        cmpedb,1 %r12, 0, %pred0
    }
    {
        shrd,0 %r13, 9, %r13            ! sectors
        addd,1 0, s_not_bootable, %r16
        ibranch .Ltb_msg ? %pred0
    }
    ! staging buffer: the top of low RAM, 64 KiB aligned, above the 4 MiB mark
    {
        shld,0 %r13, 9, %r2
    }
    {
        subd,0 %r1, %r2, %r14
    }
    {
        andnd,0 %r14, 0xffff, %r14
        cmpbdb,1 %r2, %r1, %pred1       ! file smaller than RAM at all?
    }
    {
        cmpbdb,0 %r14, 0x400000, %pred0
        std,2 %r14, [ V_STAGING ]
        addd,1 0, s_too_big, %r16
    }
    {
        ibranch .Ltb_msg ? ~%pred1
    }
    {
        ibranch .Ltb_msg ? %pred0
    }
    {
        addd,0 0, s_kernel, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r12, 0, %r16
    }
    FCALL uart_putdec
    {
        addd,0 0, s_bytes_at, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r11, 0, %r16
    }
    FCALL uart_putdec
    {
        addd,0 0, s_nl, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r11, 0, %r16
        addd,1 %r14, 0, %r17
        addd,2 %r13, 0, %r18
    }
    FCALL vblk_read_long
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r10
    }
    {
        ibranch .Ltb_readerr ? ~%pred0
    }
    {
        addd,0 %r14, 0, %r16
        addd,1 %r12, 0, %r17
    }
    FCALL elf_load
    {
        cmpedb,0 %r16, 0, %pred0
    }
    {
        ibranch .Ltb_msg ? ~%pred0      ! %r16 = the message
    }
    FCALL build_bootblock
    FCALL enter_kernel
    {
        addd,0 0, s_returned, %r16
    }
.Ltb_msg:
    FCALL uart_puts
    FRET
.Ltb_readerr:
    {
        addd,0 0, s_read_error, %r16
    }
    FCALL uart_puts
    {
        addd,0 %r10, 0, %r16
    }
    FCALL uart_putdec
    {
        addd,0 0, s_paren_nl, %r16
    }
    FCALL uart_puts
    FRET

! elf_load(image, size) -> 0, or a message for what is wrong with the kernel file.
! Copies every PT_LOAD segment to its physical address, zero-fills the rest of memsz and
! records the lowest/highest loaded address (kernel_base/end).
elf_load:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8
        addd,1 0, s_not_elf, %r16
    }
    {
        ldw,0 [ %r8 ], %r1
        ldb,2 [ %r8 + 4 ], %r2
        ldh,3 [ %r8 + 0x12 ], %r3
    }
    {
        cmpedb,0 %r1, 0x464c457f, %pred0        ! "\x7fELF"
        cmpedb,1 %r2, 2, %pred1                 ! ELFCLASS64
        cmpedb,3 %r3, 175, %pred2               ! EM_MCST_ELBRUS
    }
    {
        ibranch .Lel_fail ? ~%pred0
    }
    {
        ibranch .Lel_fail ? ~%pred1
    }
    {
        addd,0 0, s_not_e2k, %r16
        ibranch .Lel_fail ? ~%pred2
    }
    {
        ldd,0 [ %r8 + 0x20 ], %r9               ! e_phoff
        ldh,2 [ %r8 + 0x36 ], %r10              ! e_phentsize
        ldh,3 [ %r8 + 0x38 ], %r11              ! e_phnum
    }
    {
        addd,0 %r8, %r9, %r9                    ! first program header
        subd,1 0, 1, %r12                       ! lowest address so far
        addd,2 0, 0, %r13                       ! highest end so far
        ldd,3 [ V_STAGING ], %r14
    }
.Lel_ph:
    {
        cmpedb,0 %r11, 0, %pred0
    }
    {
        ibranch .Lel_done ? %pred0
    }
    {
        ldw,0 [ %r9 ], %r1                      ! p_type
    }
    {
        cmpedb,0 %r1, 1, %pred0                 ! PT_LOAD
    }
    {
        ibranch .Lel_next ? ~%pred0
    }
    {
        ldd,0 [ %r9 + 0x08 ], %r2               ! p_offset
        ldd,2 [ %r9 + 0x18 ], %r3               ! p_paddr
        ldd,3 [ %r9 + 0x20 ], %r4               ! p_filesz
        ldd,5 [ %r9 + 0x28 ], %r5               ! p_memsz
    }
    {
        addd,0 %r3, %r5, %r6                    ! segment end
        cmpbdb,1 %r3, KERNEL_LOW, %pred0
        addd,2 %r2, %r4, %r7
    }
    {
        cmpbdb,0 %r14, %r6, %pred1              ! overlaps the staging copy?
        addd,3 0, s_bad_segment, %r16
    }
    {
        ibranch .Lel_fail ? %pred0
    }
    {
        ibranch .Lel_fail ? %pred1
    }
    {
        cmpbdb,0 %r3, %r12, %pred0
        cmpbdb,1 %r13, %r6, %pred1
    }
    {
        addd,0 %r3, 0, %r12 ? %pred0
    }
    {
        addd,0 %r6, 0, %r13 ? %pred1
    }
    ! copy p_filesz bytes, then zero up to p_memsz; 8 bytes at a time where the
    ! addresses allow it (segments are page aligned in practice), bytes for the rest
    {
        addd,0 %r8, %r2, %r2                    ! source
        addd,1 0, 0, %r7                        ! index
    }
    {
        ord,0 %r2, %r3, %r1
    }
    {
        andd,0 %r1, 7, %r1
    }
    {
        cmpedb,0 %r1, 0, %pred0
    }
    {
        ibranch 1f ? ~%pred0                    ! misaligned: bytes only
    }
    ! whole 16-byte blocks, two bundles each (the kernel image is most of the boot's work:
    ! this loop was five bundles per 8 bytes), then 8 bytes, then bytes
    {
        subd,0 %r4, %r7, %r20                   ! bytes to copy
        addd,1 %r2, 8, %r17                     ! source + 8
        addd,2 %r3, 8, %r18                     ! destination + 8
    }
    {
        shrd,0 %r20, 4, %r20                    ! n = whole blocks
    }
    {
        cmpedb,0 %r20, 0, %pred1
    }
    {
        ibranch 4f ? %pred1
    }
5:
    {
        ldd,0 %r2, %r7, %r1
        ldd,3 %r17, %r7, %r19
        cmpbdb,1 1, %r20, %pred0                ! another block after this one
    }
    {
        std,2 %r1, [ %r3 + %r7 ]
        std,5 %r19, [ %r18 + %r7 ]
        addd,0 %r7, 16, %r7
        subd,1 %r20, 1, %r20
        ibranch 5b ? %pred0
    }
4:
    {
        addd,0 %r7, 8, %r1
    }
    {
        cmpbedb,0 %r1, %r4, %pred0
    }
    {
        ibranch 1f ? ~%pred0
    }
    {
        ldd,0 %r2, %r7, %r1
    }
    {
        std,2 %r1, [ %r3 + %r7 ]
        addd,0 %r7, 8, %r7
        ibranch 4b
    }
1:
    {
        cmpbdb,0 %r7, %r4, %pred0
    }
    {
        ibranch 2f ? ~%pred0
    }
    {
        ldb,0 %r2, %r7, %r1
    }
    {
        stb,2 %r1, [ %r3 + %r7 ]
        addd,0 %r7, 1, %r7
        ibranch 1b
    }
2:
    {
        addd,0 0, 0, %r1
    }
3:
    ! zero bytes up to a 16-byte boundary, then 16 bytes per bundle, then the tail
    {
        cmpbdb,0 %r7, %r5, %pred0
        addd,1 %r3, %r7, %r6
    }
    {
        ibranch .Lel_next ? ~%pred0
        andd,0 %r6, 15, %r6
    }
    {
        cmpedb,0 %r6, 0, %pred1
    }
    {
        ibranch 6f ? %pred1
    }
    {
        stb,2 %r1, [ %r3 + %r7 ]
        addd,0 %r7, 1, %r7
        ibranch 3b
    }
6:
    ! aligned: n = whole 16-byte blocks left, one bundle each. A predicate written in a
    ! bundle is only seen by the next one, so the "another block after this one" test is
    ! made one round early: before the loop n >= 2, inside it (old n) >= 3.
    {
        addd,0 %r3, %r7, %r6                    ! address
        subd,1 %r5, %r7, %r4                    ! bytes left (p_filesz is no longer needed)
    }
    {
        shrd,0 %r4, 4, %r4                      ! n
    }
    {
        cmpedb,0 %r4, 0, %pred1
        cmpbdb,1 1, %r4, %pred0                 ! n >= 2
    }
    {
        ibranch 8f ? %pred1
    }
7:
    {
        std,2 %r1, [ %r6 ]
        std,5 %r1, [ %r6 + 8 ]
        addd,0 %r6, 16, %r6
        subd,3 %r4, 1, %r4
        cmpbdb,1 2, %r4, %pred0                 ! (old n) >= 3: the next round continues
        ibranch 7b ? %pred0
    }
8:
    {
        subd,0 %r6, %r3, %r7                    ! back to an index for the tail
    }
9:
    {
        cmpbdb,0 %r7, %r5, %pred0
    }
    {
        ibranch .Lel_next ? ~%pred0
    }
    {
        stb,2 %r1, [ %r3 + %r7 ]
        addd,0 %r7, 1, %r7
        ibranch 9b
    }
.Lel_next:
    {
        addd,0 %r9, %r10, %r9
        subd,1 %r11, 1, %r11
        ibranch .Lel_ph
    }
.Lel_done:
    {
        cmpedb,0 %r13, 0, %pred0
        addd,1 0, s_no_segments, %r16
    }
    {
        ibranch .Lel_fail ? %pred0
    }
    {
        std,2 %r12, [ V_KBASE ]
        std,5 %r13, [ V_KEND ]
        addd,0 0, 0, %r0
    }
    FRET
.Lel_fail:
    {
        addd,0 %r16, 0, %r0
    }
    FRET

! build_bootblock(): the 4 KiB bootblock at BOOTBLOCK (system.md §5.5), the same fields
! emulator/machine/bootblock.ts writes for a direct kernel boot.
build_bootblock:
    PROC_ENTRY
    {
        addd,0 0, BOOTBLOCK, %r8
        addd,1 0, 0, %r1
        addd,2 0, 0, %r2
    }
1:
    {
        std,2 %r2, [ %r8 + %r1 ]
        addd,0 %r1, 8, %r1
    }
    {
        cmpbdb,0 %r1, 0x1000, %pred0
    }
    {
        ibranch 1b ? %pred0
    }
    {
        ldd,0 [ V_MDL ], %r1
        ldd,2 [ V_KBASE ], %r2
        ldd,3 [ V_KEND ], %r3
        ldd,5 [ V_VCPUS ], %r4
    }
    {
        ldd,0 [ V_RAM_LOW ], %r5
        ldd,2 [ V_RAM_HIGH ], %r6
        addd,1 0, 0xe200, %r7
        subd,3 %r3, %r2, %r3                    ! kernel size
    }
    {
        sth,2 %r7, [ %r8 + 0x000 ]              ! signature: MCST ROM loader
        stb,5 %r1, [ %r8 + 0x002 ]              ! target_mdl
        cmpedb,0 %r6, 0, %pred0
        addd,1 0, 2, %r9
    }
    {
        addd,0 0, 1, %r9 ? %pred0               ! num_of_banks
    }
    {
        stb,2 %r9, [ %r8 + 0x007 ]
        std,5 %r2, [ %r8 + 0x008 ]              ! kernel_base
        addd,0 0, 0x100, %r10                   ! mach_flags: KVM guest
        addd,1 0, 1, %r11
    }
    {
        std,2 %r3, [ %r8 + 0x010 ]              ! kernel_size
        sth,5 %r4, [ %r8 + 0x028 ]              ! num_of_cpus
        addd,0 0, UART0_BASE, %r12
    }
    {
        sth,2 %r10, [ %r8 + 0x02a ]
        sth,5 %r11, [ %r8 + 0x02c ]             ! num_of_busy
    }
    {
        sth,2 %r11, [ %r8 + 0x02e ]             ! num_of_nodes
        std,5 %r12, [ %r8 + 0x038 ]             ! serial_base (UART 0, a 16550A)
    }
    {
        std,2 %r11, [ %r8 + 0x040 ]             ! nodes_map
        addd,0 0, 0, %r13
    }
    {
        std,2 %r13, [ %r8 + 0x0d8 ]             ! bank 0 = {0, low RAM}
        std,5 %r5, [ %r8 + 0x0e0 ]
        addd,0 0, HIGH_RAM_BASE, %r14
    }
    {
        std,2 %r14, [ %r8 + 0x0e8 ] ? ~%pred0   ! bank 1 = {4 GiB x 4, high RAM}
        std,5 %r6, [ %r8 + 0x0f0 ] ? ~%pred0
        addd,0 0, FW_AREA, %r1
        addd,1 0, FW_AREA_SIZE, %r2
    }
    {
        std,2 %r1, [ %r8 + 0x2d8 ]              ! busy[0] = the firmware area
        std,5 %r2, [ %r8 + 0x2e0 ]
    }
    {
        addd,0 0, 0x00534f49424b3245, %r3       ! "E2KBIOS\0" as a little-endian u64
        ldd,2 [ V_MDL ], %r4
        addd,1 0, 1, %r5
    }
    {
        std,2 %r3, [ %r8 + 0x538 ]              ! bios.signature
        stb,5 %r4, [ %r8 + 0x538 + 0x08a ]      ! bios.cpu_type
        addd,0 0, 0xaa55, %r6
    }
    {
        stb,2 %r5, [ %r8 + 0xf5b ]              ! bootblock_ver
        sth,5 %r6, [ %r8 + 0xffe ]              ! x86_marker
    }
    ! command line: the boot sector's (at most 110 bytes kept), then " boot=vdX"
    ! naming the medium used (the kernel's own disk scan does not need it; it is for
    ! the user and for kernels that want to know)
    {
        addd,0 0, 0, %r1
        addd,1 %r8, 0x058, %r9                  ! kernel_args_string
    }
2:
    {
        ldb,0 [ %r1 + SECBUF + 0x28 ], %r2
        cmpbdb,1 %r1, 110, %pred1
    }
    {
        cmpedb,0 %r2, 0, %pred0
    }
    {
        ibranch 3f ? %pred0
    }
    {
        ibranch 3f ? ~%pred1
    }
    {
        stb,2 %r2, [ %r9 + %r1 ]
        addd,0 %r1, 1, %r1
        ibranch 2b
    }
3:
    {
        addd,0 %r9, %r1, %r9
        addd,1 0, 0, %r1
    }
4:
    {
        ldb,0 [ %r1 + s_bootarg ], %r2
    }
    {
        stb,2 %r2, [ %r9 + %r1 ]
        cmpedb,0 %r2, 0, %pred0
        addd,1 %r1, 1, %r1
    }
    {
        ibranch 4b ? ~%pred0
    }
    {
        ldd,0 [ V_SLOT ], %r2
    }
    {
        addd,0 %r2, 0x61, %r2
        addd,1 %r9, %r1, %r3
    }
    {
        subd,0 %r3, 1, %r5
        addd,1 0, 0, %r4
    }
    {
        stb,2 %r2, [ %r5 ]                      ! the letter replaces the NUL ...
        stb,5 %r4, [ %r3 ]                      ! ... which moves one byte on
    }
    FRET

! enter_kernel(): CUD/OSCUD = {kernel_base, size, c, R}, GD/OSGD = {kernel_base, size, RW},
! then "call" trap-table entry 12 through an sdisp gate with %dr0 = 0, %dr1 = bootblock
! (what E2K_SYSCALL(12, 0, 1, bootblock) does in MCST's jumpstart.c).
enter_kernel:
    PROC_ENTRY
    {
        ldd,0 [ V_KBASE ], %r1
        ldd,2 [ V_KEND ], %r2
    }
    {
        subd,0 %r2, %r1, %r2                    ! size
        addd,1 0, (1 << 58) | (1 << 59), %r3    ! c = 1, rw = read
        addd,2 0, 3 << 59, %r4                  ! rw = read | write
    }
    {
        ord,0 %r1, %r3, %r3
        ord,1 %r1, %r4, %r4
        shld,2 %r2, 32, %r5
    }
    {
        rwd,0 %r3, %oscud.lo
    }
    {
        rwd,0 %r5, %oscud.hi
    }
    {
        rwd,0 %r4, %osgd.lo
    }
    {
        rwd,0 %r5, %osgd.hi
    }
    {
        rwd,0 %r4, %gd.lo
    }
    {
        rwd,0 %r5, %gd.hi
    }
    {
        rwd,0 %r5, %cud.hi
    }
    {
        rwd,0 %r3, %cud.lo
        nop 5                                   ! let the descriptor writes settle
    }
    {
        addd,0 0, s_starting, %r16
    }
    FCALL uart_puts
    {
        sdisp %ctpr1, 12                        ! target OSCUD.base + 12 * 0x800
        addd,0 0, 0, %r16                       ! %dr0 = 0
        addd,1 0, BOOTBLOCK, %r17               ! %dr1 = the bootblock
        nop 4
    }
        call %ctpr1, wbs=8
    FRET                                        ! only if the kernel returns

    .include "../lib/uart.S"
    .include "../lib/vblk.S"
    .include "../lib/cpuname.S"

    .section .rodata
s_banner:       .asciz "\nGlaunch boot ROM 1.0 (glaunch-virt)\n"
s_cpu:          .asciz "CPU:    "
s_idr:          .asciz ", IDR "
s_comma:        .asciz ", "
s_vcpus:        .asciz " vCPU(s)\nMemory: "
s_mib:          .asciz " MiB\n"
s_no_board_info: .asciz "\nboard information block missing at 0xf0022000: cannot size RAM; halted\n"
s_no_medium:    .asciz "No bootable medium found (no disk with a GDFS boot sector in the boot order). Halted.\n"
s_boot:         .asciz "Boot:   vd"
s_colon:        .asciz ": "
s_no_device:    .asciz "no virtio-blk device\n"
s_not_bootable: .asciz "not bootable (no GDFS boot sector with a kernel)\n"
s_too_big:      .asciz "kernel file does not fit in RAM\n"
s_kernel:       .asciz "kernel "
s_bytes_at:     .asciz " bytes at LBA "
s_nl:           .asciz "\n"
s_read_error:   .asciz "Boot:   disk read error (virtio status "
s_paren_nl:     .asciz ")\n"
s_not_elf:      .asciz "Boot:   kernel is not an ELF64 file\n"
s_not_e2k:      .asciz "Boot:   kernel is not an e2k ELF (e_machine != 175)\n"
s_bad_segment:  .asciz "Boot:   kernel segment below 2 MiB or over the staging buffer\n"
s_no_segments:  .asciz "Boot:   kernel has no loadable segments\n"
s_starting:     .asciz "Boot:   starting the kernel (trap-table entry 12)\n"
s_returned:     .asciz "Boot:   the kernel returned\n"
s_bootarg:      .asciz " boot=vd"
s_exception:    .asciz "\nROM: unexpected exception, TIR.hi "
s_at_ip:        .asciz " at IP "
s_halted:       .asciz "; halted\n"
