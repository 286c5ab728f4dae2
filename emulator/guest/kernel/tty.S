! Console: UART 0. Output is polled (lib/uart.S); input arrives by interrupt (vector
! VEC_UART0, IER.ERBFI) into a 256-byte ring, and is also polled while a read waits with
! interrupts masked, so no byte is lost either way.

RX_SIZE = 256

! tty_rx(): move every received byte into the ring (drops bytes when it is full)
tty_rx:
    PROC_ENTRY
    {
        addd,0 0, UART0_BASE, %r8
    }
1:
    {
        ldb,0 [ %r8 + UART_LSR ], %r1
    }
    {
        ldd,2 [ k_rx_head ], %r2
    }
    {
        ldd,3 [ k_rx_tail ], %r3
    }
    {
        andd,0 %r1, UART_LSR_DR, %r1
        addd,1 %r2, 1, %r4
    }
    {
        cmpedb,0 %r1, 0, %pred0
        andd,1 %r4, RX_SIZE - 1, %r4
    }
    {
        ibranch 2f ? %pred0
    }
    {
        ldb,0 [ %r8 + UART_RBR ], %r5
        cmpedb,1 %r4, %r3, %pred1               ! full
    }
    {
        ibranch 1b ? %pred1
    }
    {
        stb,2 %r5, [ %r2 + k_rx_buf ]
        std,5 %r4, [ k_rx_head ]
        ibranch 1b
    }
2:
    FRET

! tty_read(buf, n) -> bytes read (at least 1 unless n = 0): waits for input
tty_read:
    PROC_ENTRY
    {
        addd,0 0, 0, %r8                        ! count
        cmpedb,1 %r1, 0, %pred0
    }
    {
        ibranch 9f ? %pred0
    }
1:
    FCALL tty_rx
    {
        ldd,0 [ k_rx_head ], %r2
        ldd,2 [ k_rx_tail ], %r3
    }
    {
        cmpedb,0 %r2, %r3, %pred0
    }
    {
        ibranch 3f ? ~%pred0
    }
    {
        cmpedb,0 %r8, 0, %pred1
    }
    {
        ibranch 9f ? ~%pred1                    ! got something: return it
    }
    FCALL idle_with_irqs
    {
        ibranch 1b
    }
3:
    {
        ldb,0 [ %r3 + k_rx_buf ], %r4
        addd,1 %r3, 1, %r3
    }
    {
        stb,2 %r4, [ %r0 + %r8 ]
        andd,0 %r3, RX_SIZE - 1, %r3
        addd,1 %r8, 1, %r8
    }
    {
        std,2 %r3, [ k_rx_tail ]
        cmpbdb,0 %r8, %r1, %pred0
    }
    {
        ibranch 1b ? %pred0
    }
9:
    {
        addd,0 %r8, 0, %r0
    }
    FRET

    .bss
k_rx_buf:       .skip RX_SIZE
k_rx_head:      .skip 8
k_rx_tail:      .skip 8
    .text
