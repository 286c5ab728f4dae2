! Flag-setting integer forms <op>_f{b,h,w,d} (x86 binary translation): the result is the
! x86 condition-code word (EFLAGS layout CF 0, PF 2, AF 4, ZF 6, SF 7, OF 11 — the layout
! cctop reads) of the operation on the low 8/16/32/64 bits; the four-operand forms take
! the incoming flags in src3. A reading of undocumented semantics: emulator/cpu/README.md.
    .include "common.inc"
    .macro CHKS reg, val, code
    {
        cmpesb,0 \reg, \val, %pred0
    }
    {
        addd,0 0, \code, %g16
        ibranch fail ? ~%pred0
    }
    .endm
    START
    {
        addd,0 0, 0x1ff, %r1
        addd,1 0, 0x8000, %r2
        addd,3 0, -1, %r3
        addd,4 0, 0x7f, %r12
    }
    {
        addd,0 0, 0xf0, %r13
        addd,1 0, 0x81, %r14
    }
    {
        adds_fb,0 %r12, 1, %r10
        adds_fb,3 %r1, 1, %r11
    }
    CHKS %r10, 0x890, 1
    CHKS %r11, 0x55, 2
    {
        subs_fw,0 1, 2, %r10
        subs_fh,3 %r2, 1, %r11
    }
    CHKS %r10, 0x95, 3
    CHKS %r11, 0x814, 4
    {
        ands_fw,0 %r13, 0x0f, %r10
        xorns_fb,3 0x0f, %r1, %r11
    }
    CHKS %r10, 0x44, 5
    CHKS %r11, 0x4, 6
    {
        addd_fd,0 %r3, 1, %r10
        umulx_fb,3 16, 16, %r11
    }
    CHKS %r10, 0x55, 7
    CHKS %r11, 0x845, 8
    {
        smulx_fh,0 %r3, 2, %r10
        smulx_fb,3 %r1, 0x7f, %r11
    }
    CHKS %r10, 0x80, 9
    ! -1 * 127 = -127 fits a byte: 0x81 → SF, even parity (PF)
    CHKS %r11, 0x84, 10
    {
        addd,0 0, 1, %r4
        addd,1 0, 0, %r5
        addd,3 0, 0x8d5, %r6
        addd,4 0, 0x80000001, %r7
    }
    ! inc/dec keep CF from src3
    {
        incs_fb,0 %r1, 1, %r4, %r10
        incs_fb,3 %r1, 1, %r5, %r11
    }
    CHKS %r10, 0x55, 11
    CHKS %r11, 0x54, 12
    {
        decs_fw,0 0, 1, %r5, %r10
    }
    ! 0 - 1: SF, AF, PF (low byte 0xff), CF kept clear
    CHKS %r10, 0x94, 13
    ! shifts: a zero (masked) count returns src3
    {
        shls_fw,0 %r7, 1, %r5, %r10
        shls_fw,3 %r7, 32, %r6, %r11
    }
    CHKS %r10, 0x801, 14
    CHKS %r11, 0x8d5, 15
    {
        sars_fb,0 %r14, 1, %r5, %r10
        shrd_fd,3 1, 1, %r5, %r11
    }
    CHKS %r10, 0x85, 16
    CHKS %r11, 0x45, 17
    ! rotates change only CF and OF
    {
        addd,0 0, 0xc4, %r8
    }
    {
        scls_fb,0 %r14, 1, %r8, %r10
        scrs_fh,3 1, 1, %r8, %r11
    }
    CHKS %r10, 0x8c5, 18
    ! ror of 1 by 1 in 16 bits = 0x8000: CF = 1, OF = bit15 ^ bit14 = 1
    CHKS %r11, 0x8c5, 19
    SUCCEED
    EXITG
