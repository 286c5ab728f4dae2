! Polled 16550A console output for the boot ROM and the kernel (UART 0, regShift 2).
! Output is polled on purpose: it works with interrupts masked (ROM, early kernel, panic)
! and the board's UART is "infinitely fast" (THRE is set again at once), so the poll is
! one load per byte. "\n" is sent as CR LF, as a Linux tty with ONLCR would.
! Included textually by rom.S and kernel.S (after proc.inc and board.inc); brings fmt.S.

! uart_init(): FIFOs on, 8N1, DTR|RTS|OUT2, interrupts off.
uart_init:
    PROC_ENTRY
    {
        addd,0 0, UART0_BASE, %r8
        addd,1 0, 0x07, %r1             ! FCR: enable + clear both FIFOs
        addd,2 0, 0x03, %r2             ! LCR: 8 data bits, no parity, 1 stop
        addd,3 0, 0x0b, %r3             ! MCR: DTR | RTS | OUT2
        addd,4 0, 0, %r4
    }
    {
        stb,2 %r4, [ %r8 + UART_IER ]
        stb,5 %r1, [ %r8 + UART_FCR ]
    }
    {
        stb,2 %r2, [ %r8 + UART_LCR ]
        stb,5 %r3, [ %r8 + UART_MCR ]
    }
    FRET

! uart_putc(c)
uart_putc:
    PROC_ENTRY
    {
        addd,0 0, UART0_BASE, %r8
        cmpedb,1 %r0, 0x0a, %pred0
        addd,2 0, 0x0d, %r1
    }
    {
        ibranch 2f ? ~%pred0
    }
1:
    {
        ldb,0 [ %r8 + UART_LSR ], %r2
    }
    {
        andd,0 %r2, UART_LSR_THRE, %r2
    }
    {
        cmpedb,0 %r2, 0, %pred1
    }
    {
        ibranch 1b ? %pred1
    }
    {
        stb,2 %r1, [ %r8 + UART_THR ]   ! CR before LF
    }
2:
    {
        ldb,0 [ %r8 + UART_LSR ], %r2
    }
    {
        andd,0 %r2, UART_LSR_THRE, %r2
    }
    {
        cmpedb,0 %r2, 0, %pred1
    }
    {
        ibranch 2b ? %pred1
    }
    {
        stb,2 %r0, [ %r8 + UART_THR ]
    }
    FRET

! uart_getc() -> byte, or -1 when nothing was received
uart_getc:
    PROC_ENTRY
    {
        addd,0 0, UART0_BASE, %r8
    }
    {
        ldb,0 [ %r8 + UART_LSR ], %r2
    }
    {
        andd,0 %r2, UART_LSR_DR, %r2
    }
    {
        cmpedb,0 %r2, 0, %pred0
    }
    {
        subd,0 0, 1, %r0 ? %pred0
        ibranch 1f ? %pred0
    }
    {
        ldb,0 [ %r8 + UART_RBR ], %r0
    }
1:
    FRET

! uart_puts(s): the string's length, then uart_write
uart_puts:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8
    }
1:
    {
        ldb,0 %r8, 0, %r1
    }
    {
        cmpedb,0 %r1, 0, %pred0
    }
    {
        ibranch 2f ? %pred0
    }
    {
        addd,0 %r8, 1, %r8
        ibranch 1b
    }
2:
    {
        addd,0 %r0, 0, %r16
        subd,1 %r8, %r0, %r17
    }
    FCALL uart_write
    FRET

! uart_write(buf, len): one LSR poll per 8 bytes. THRE means the 16-byte transmit FIFO is
! empty, so 8 source bytes (at most 16 with CR LF expansion) always fit; this halves the
! MMIO accesses (intercepts, under Glaunch) of console output compared to uart_putc.
uart_write:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r8
        addd,1 %r0, %r1, %r9
        addd,2 0, UART0_BASE, %r11
        addd,3 0, 0x0d, %r12
    }
1:
    {
        cmpbdb,0 %r8, %r9, %pred0
    }
    {
        ibranch 9f ? ~%pred0
    }
2:
    {
        ldb,0 [ %r11 + UART_LSR ], %r2
    }
    {
        andd,0 %r2, UART_LSR_THRE, %r2
    }
    {
        cmpedb,0 %r2, 0, %pred1
        addd,1 %r8, 8, %r10
    }
    {
        ibranch 2b ? %pred1
        cmpbdb,0 %r9, %r10, %pred2
    }
    {
        addd,0 %r9, 0, %r10 ? %pred2            ! chunk end = min(p + 8, end)
    }
3:
    {
        cmpbdb,0 %r8, %r10, %pred0
    }
    {
        ibranch 1b ? ~%pred0
    }
    {
        ldb,0 [ %r8 ], %r3
        addd,1 %r8, 1, %r8
    }
    {
        cmpedb,0 %r3, 0x0a, %pred0
    }
    {
        stb,2 %r12, [ %r11 + UART_THR ] ? %pred0
    }
    {
        stb,2 %r3, [ %r11 + UART_THR ]
        ibranch 3b
    }
9:
    FRET

! uart_putdec(n): unsigned decimal
uart_putdec:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
        addd,1 0, UART_SCRATCH + 31, %r17
        addd,2 0, 0, %r9
    }
    {
        stb,2 %r9, [ %r17 ]
    }
    FCALL fmt_udec
    FCALL uart_puts
    FRET

! uart_puthex(n): "0x" and hex digits without leading zeros
uart_puthex:
    PROC_ENTRY
    {
        addd,0 %r0, 0, %r16
        addd,1 0, UART_SCRATCH + 31, %r17
        addd,2 0, 0, %r9
    }
    {
        stb,2 %r9, [ %r17 ]
    }
    FCALL fmt_hex
    FCALL uart_puts
    FRET

    .include "../lib/fmt.S"                 ! uart_putdec / uart_puthex format with it
