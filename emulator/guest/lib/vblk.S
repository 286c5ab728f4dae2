! Minimal virtio-blk driver over virtio-mmio version 2 (virtio 1.x §4.2.2, split
! virtqueue §2.7, block device §5.2), shared by the boot ROM and the kernel.
! One request at a time, polled completion: the ROM runs with interrupts masked, and the
! kernel only reads files synchronously inside a system call (interrupts off there too).
! The includer defines VBLK_AREA (one 4 KiB-aligned page of RAM for the queue and state)
! and the macros VBLK_WAIT (idle until an interrupt may have come) and VBLK_DONE (after a
! completion, e.g. consume the CEPIC vector when interrupts stay masked).
! No legacy (version 1) interface: VERSION_1 is negotiated, queue addresses are 64-bit.

QSIZE           = 8
Q_DESC          = 0x000                 ! 8 descriptors x 16 bytes
Q_AVAIL         = 0x100                 ! flags u16, idx u16, ring[8] u16, used_event
Q_USED          = 0x200                 ! flags u16, idx u16, ring[8] {id u32, len u32}
Q_HDR           = 0x300                 ! request header {type u32, reserved u32, sector u64}
Q_STATUS        = 0x320                 ! status byte written by the device
Q_BASE          = 0x340                 ! u64: MMIO base of the device in use
Q_AVAIL_IDX     = 0x348                 ! u64: our copy of avail.idx
Q_CAPACITY      = 0x350                 ! u64: capacity in 512-byte sectors
VIRTQ_DESC_F_NEXT  = 1
VIRTQ_DESC_F_WRITE = 2
VBLK_MAX_SECTORS = 2048                 ! 1 MiB per request (the device's size_max)

! vblk_init(base) -> 0, or -1 no block device there, -2 features refused, -3 no queue
vblk_init:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8
        addd,1 0, VBLK_AREA, %r9
    }
    {
        ldw,0 [ %r8 + VIRTIO_MAGIC ], %r1
        ldw,2 [ %r8 + VIRTIO_VERSION ], %r2
        ldw,3 [ %r8 + VIRTIO_DEVICE_ID ], %r3
    }
    {
        cmpedb,0 %r1, VIRTIO_MAGIC_VALUE, %pred0
        cmpedb,1 %r2, 2, %pred1
        cmpedb,3 %r3, VIRTIO_ID_BLOCK, %pred2
    }
    {
        subd,0 0, 1, %r0
        ibranch 9f ? ~%pred0
    }
    {
        ibranch 9f ? ~%pred1
    }
    {
        ibranch 9f ? ~%pred2
    }
    ! reset, then ACKNOWLEDGE | DRIVER (§3.1.1)
    {
        addd,0 0, 0, %r1
        addd,1 0, VIRTIO_ST_ACK, %r2
        addd,2 0, VIRTIO_ST_ACK | VIRTIO_ST_DRIVER, %r3
    }
    {
        stw,2 %r1, [ %r8 + VIRTIO_STATUS ]
    }
    {
        stw,2 %r2, [ %r8 + VIRTIO_STATUS ]
    }
    {
        stw,2 %r3, [ %r8 + VIRTIO_STATUS ]
    }
    ! features: only VERSION_1 (bit 32), nothing else is needed for reading sectors
    {
        addd,0 0, 1, %r1
        addd,1 0, 0, %r2
    }
    {
        stw,2 %r1, [ %r8 + VIRTIO_DRV_FEATURES_SEL ]
    }
    {
        stw,2 %r1, [ %r8 + VIRTIO_DRV_FEATURES ]
    }
    {
        stw,2 %r2, [ %r8 + VIRTIO_DRV_FEATURES_SEL ]
    }
    {
        stw,2 %r2, [ %r8 + VIRTIO_DRV_FEATURES ]
        addd,0 0, VIRTIO_ST_ACK | VIRTIO_ST_DRIVER | VIRTIO_ST_FEATURES_OK, %r3
    }
    {
        stw,2 %r3, [ %r8 + VIRTIO_STATUS ]
    }
    {
        ldw,0 [ %r8 + VIRTIO_STATUS ], %r4
    }
    {
        andd,0 %r4, VIRTIO_ST_FEATURES_OK, %r4
    }
    {
        cmpedb,0 %r4, 0, %pred0
        subd,1 0, 2, %r0
    }
    {
        ibranch 9f ? %pred0
    }
    ! queue 0: size QSIZE, rings in VBLK_AREA
    {
        addd,0 0, 0, %r1
    }
    {
        stw,2 %r1, [ %r8 + VIRTIO_QUEUE_SEL ]
    }
    {
        ldw,0 [ %r8 + VIRTIO_QUEUE_NUM_MAX ], %r2
    }
    {
        cmpbdb,0 %r2, QSIZE, %pred0
        subd,1 0, 3, %r0
    }
    {
        ibranch 9f ? %pred0
    }
    ! clear the queue page (rings must start zeroed)
    {
        addd,0 0, 0, %r5
        addd,1 0, 0, %r6
    }
1:
    {
        std,2 %r6, [ %r9 + %r5 ]
        addd,0 %r5, 8, %r5
    }
    {
        cmpbdb,0 %r5, 0x400, %pred0
    }
    {
        ibranch 1b ? %pred0
    }
    {
        addd,0 0, QSIZE, %r1
        addd,1 %r9, Q_DESC, %r2
        addd,2 %r9, Q_AVAIL, %r3
        addd,3 %r9, Q_USED, %r4
        shrd,4 %r9, 32, %r5
    }
    {
        stw,2 %r1, [ %r8 + VIRTIO_QUEUE_NUM ]
        stw,5 %r2, [ %r8 + VIRTIO_QUEUE_DESC_LO ]
    }
    {
        stw,2 %r5, [ %r8 + VIRTIO_QUEUE_DESC_HI ]
        stw,5 %r3, [ %r8 + VIRTIO_QUEUE_DRIVER_LO ]
    }
    {
        stw,2 %r5, [ %r8 + VIRTIO_QUEUE_DRIVER_HI ]
        stw,5 %r4, [ %r8 + VIRTIO_QUEUE_DEVICE_LO ]
    }
    {
        stw,2 %r5, [ %r8 + VIRTIO_QUEUE_DEVICE_HI ]
        addd,0 0, 1, %r1
    }
    {
        stw,2 %r1, [ %r8 + VIRTIO_QUEUE_READY ]
        addd,0 0, VIRTIO_ST_ACK | VIRTIO_ST_DRIVER | VIRTIO_ST_FEATURES_OK | VIRTIO_ST_DRIVER_OK, %r3
    }
    {
        stw,2 %r3, [ %r8 + VIRTIO_STATUS ]
        std,5 %r8, [ %r9 + Q_BASE ]
    }
    ! capacity: config space, two 32-bit reads (low first)
    {
        ldw,0 [ %r8 + VIRTIO_CONFIG ], %r1
        ldw,2 [ %r8 + VIRTIO_CONFIG + 4 ], %r2
        addd,1 0, 0, %r0
    }
    {
        shld,0 %r2, 32, %r2
    }
    {
        ord,0 %r1, %r2, %r1
    }
    {
        std,2 %r1, [ %r9 + Q_CAPACITY ]
    }
9:
    FRET

! vblk_read(sector, buf, count) -> 0 on success, else the virtio status (1 IOERR,
! 2 UNSUPP), 0x100 when the device reported DEVICE_NEEDS_RESET (a malformed request).
! count <= VBLK_MAX_SECTORS; buf is a physical address in RAM.
vblk_read:
    PROC_ENTRY
    {
        addd,0 0, VBLK_AREA, %r9
        shld,1 %r2, 9, %r10             ! data bytes
        addd,2 0, 0, %r3
        addd,3 0, 0xff, %r4
    }
    {
        ldd,0 [ %r9 + Q_BASE ], %r8
        ldd,2 [ %r9 + Q_AVAIL_IDX ], %r11
    }
    ! header {VIRTIO_BLK_T_IN, 0, sector}; status byte preset to 0xff ("not done")
    {
        stw,2 %r3, [ %r9 + Q_HDR ]
        stw,5 %r3, [ %r9 + Q_HDR + 4 ]
    }
    {
        std,2 %r0, [ %r9 + Q_HDR + 8 ]
        stb,5 %r4, [ %r9 + Q_STATUS ]
    }
    ! descriptor 0: header (device reads) -> 1
    {
        addd,0 %r9, Q_HDR, %r5
        addd,1 0, 16, %r6
        addd,2 0, VIRTQ_DESC_F_NEXT, %r3
        addd,3 0, 1, %r4
    }
    {
        std,2 %r5, [ %r9 + Q_DESC + 0 ]
        stw,5 %r6, [ %r9 + Q_DESC + 8 ]
    }
    {
        sth,2 %r3, [ %r9 + Q_DESC + 12 ]
        sth,5 %r4, [ %r9 + Q_DESC + 14 ]
        addd,0 0, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, %r3
        addd,1 0, 2, %r4
    }
    ! descriptor 1: the data buffer (device writes) -> 2
    {
        std,2 %r1, [ %r9 + Q_DESC + 16 ]
        stw,5 %r10, [ %r9 + Q_DESC + 24 ]
    }
    {
        sth,2 %r3, [ %r9 + Q_DESC + 28 ]
        sth,5 %r4, [ %r9 + Q_DESC + 30 ]
        addd,0 %r9, Q_STATUS, %r5
        addd,1 0, 1, %r6
        addd,3 0, VIRTQ_DESC_F_WRITE, %r3
        addd,4 0, 0, %r4
    }
    ! descriptor 2: the status byte (device writes), end of chain
    {
        std,2 %r5, [ %r9 + Q_DESC + 32 ]
        stw,5 %r6, [ %r9 + Q_DESC + 40 ]
    }
    {
        sth,2 %r3, [ %r9 + Q_DESC + 44 ]
        sth,5 %r4, [ %r9 + Q_DESC + 46 ]
        andd,0 %r11, QSIZE - 1, %r5     ! avail slot
    }
    ! avail.ring[idx % QSIZE] = head 0, then avail.idx = idx + 1. The ring entry must be
    ! visible before the index (virtio §2.7.13): the stores are in separate bundles and
    ! a wait orders them on hardware.
    {
        shld,0 %r5, 1, %r5
        addd,1 0, 0, %r4
        addd,2 %r11, 1, %r11
    }
    {
        addd,0 %r9, %r5, %r5
        ldh,2 [ %r9 + Q_USED + 2 ], %r12  ! used.idx before the request
    }
    {
        sth,2 %r4, [ %r5 + Q_AVAIL + 4 ]
    }
    {
        wait all_c=1
    }
    {
        sth,2 %r11, [ %r9 + Q_AVAIL + 2 ]
        std,5 %r11, [ %r9 + Q_AVAIL_IDX ]
    }
    {
        wait all_c=1
    }
    {
        addd,0 0, 0, %r4
    }
    {
        stw,2 %r4, [ %r8 + VIRTIO_QUEUE_NOTIFY ]
    }
    ! Wait for used.idx to move. The request completes on the host's side while this vCPU
    ! is out, so between checks the driver idles (VBLK_WAIT, defined by the includer: the
    ! ROM's plain idle wait, the kernel's wait with interrupts on) instead of spinning on
    ! MMIO registers; the virtio interrupt wakes it. Status is checked after each wake-up
    ! so a device that flagged DEVICE_NEEDS_RESET (malformed request) ends the wait.
1:
    {
        ldh,0 [ %r9 + Q_USED + 2 ], %r13
    }
    {
        cmpedb,0 %r13, %r12, %pred0
    }
    {
        ibranch 2f ? ~%pred0
    }
    VBLK_WAIT
    {
        ldw,0 [ %r8 + VIRTIO_STATUS ], %r14
    }
    {
        andd,0 %r14, VIRTIO_ST_NEEDS_RESET, %r14
    }
    {
        cmpedb,0 %r14, 0, %pred1
        addd,1 0, 0x100, %r0
    }
    {
        ibranch 9f ? ~%pred1
    }
    {
        ibranch 1b
    }
2:
    ! done: acknowledge the interrupt status and return the status byte
    {
        ldw,0 [ %r8 + VIRTIO_INT_STATUS ], %r4
        ldb,2 [ %r9 + Q_STATUS ], %r10
    }
    {
        stw,2 %r4, [ %r8 + VIRTIO_INT_ACK ]
    }
    VBLK_DONE
    {
        addd,0 %r10, 0, %r0
    }
9:
    FRET

! vblk_read_long(sector, buf, count) -> as vblk_read; any count, in 1 MiB requests
vblk_read_long:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8
        addd,1 %r1, 0, %r9
        addd,2 %r2, 0, %r10
    }
1:
    {
        cmpedb,0 %r10, 0, %pred0
        cmpbdb,1 %r10, VBLK_MAX_SECTORS, %pred1
        addd,2 0, VBLK_MAX_SECTORS, %r11
        addd,3 0, 0, %r0
    }
    {
        ibranch 9f ? %pred0
    }
    {
        addd,0 %r10, 0, %r11 ? %pred1
    }
    {
        addd,0 %r8, 0, %r16
        addd,1 %r9, 0, %r17
        addd,2 %r11, 0, %r18
    }
    FCALL vblk_read
    {
        cmpedb,0 %r16, 0, %pred0
        addd,1 %r16, 0, %r0
        shld,2 %r11, 9, %r12
    }
    {
        ibranch 9f ? ~%pred0
    }
    {
        addd,0 %r8, %r11, %r8
        addd,1 %r9, %r12, %r9
        subd,2 %r10, %r11, %r10
        ibranch 1b
    }
9:
    FRET
