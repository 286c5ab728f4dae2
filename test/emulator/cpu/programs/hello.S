! write(1, msg, 14) then exit(0) — worked example 1 of control-and-stacks.md §11
    .text
    .global _start
_start:
    {
        setwd wsz=8, nfx=1
        sdisp %ctpr1, 0x3
        nop 4
    }
    {
        addd,0 0, 4, %r8
        addd,1 0, 1, %r9
        addd,2 0, msg, %r10
        addd,3 0, 14, %r11
        call %ctpr1, wbs=4
    }
    {
        addd,0 0, 1, %r8
        addd,1 0, 0, %r9
        sdisp %ctpr1, 0x3
        nop 4
    }
        call %ctpr1, wbs=4
    .section .rodata
msg:
    .ascii "Hello, world!\n"
