/* sys-diff snippets: each is `void s_NAME(void *arg)`, run by sd_try at
 * ring 0 or ring 3 (sys-diff.c says which). A snippet may clobber any
 * register and segment register: sd_try restores them. Ring-3 snippets may
 * end with `int $0x31` instead of returning. */
    .text
#define SNIP(name) .globl name; .balign 16; name:

/* ---- EFLAGS: POPF, IRET, CLI, STI ---- */
SNIP(s_popf_3202)
    pushl $0x3202
    popfl
    ret
SNIP(s_popf_3002)
    pushl $0x3002
    popfl
    ret
SNIP(s_popf_0002)
    pushl $0x0002
    popfl
    ret
SNIP(s_popf_0202)
    pushl $0x0202
    popfl
    ret
SNIP(s_popf_all)
    pushl $0xFFFFFEFF           /* everything but TF */
    popfl
    ret
SNIP(s_popfw_0202)
    pushw $0x3202               /* 16-bit POPF */
    popfw
    ret
SNIP(s_cli)
    cli
    ret
SNIP(s_sti)
    sti
    ret
SNIP(s_iret3_same)              /* ring 3 -> ring 3, asking for IF=0 IOPL=3 */
    pushl $0x3002
    pushl $0x1B
    pushl $1f
    iretl
1:  ret
SNIP(s_iret0_same)              /* ring 0 -> ring 0, asking for IF=1 IOPL=3 */
    pushl $0x3202
    pushl $0x08
    pushl $1f
    iretl
1:  ret

/* ---- I/O: port in arg ---- */
SNIP(s_inb)
    movl 4(%esp), %edx
    inb %dx, %al
    ret
SNIP(s_inw)
    movl 4(%esp), %edx
    inw %dx, %ax
    ret
SNIP(s_inl)
    movl 4(%esp), %edx
    inl %dx, %eax
    ret
SNIP(s_outb)
    movl 4(%esp), %edx
    xorl %eax, %eax
    outb %al, %dx
    ret
SNIP(s_outw)
    movl 4(%esp), %edx
    xorl %eax, %eax
    outw %ax, %dx
    ret
SNIP(s_outl)
    movl 4(%esp), %edx
    xorl %eax, %eax
    outl %eax, %dx
    ret
SNIP(s_inb80)
    inb $0x80, %al
    ret
SNIP(s_insb)
    movl 4(%esp), %edx
    movl $sd_iobuf, %edi
    insb
    ret
SNIP(s_outsw)
    movl 4(%esp), %edx
    movl $sd_iobuf, %esi
    outsw
    ret
SNIP(s_rep_insb)
    movl 4(%esp), %edx
    movl $sd_iobuf, %edi
    movl $4, %ecx
    rep insb
    ret

/* ---- INT n, INT3, INTO, BOUND, #DE, #UD ---- */
#define INTN(n) SNIP(s_int_##n) int $n; ret
INTN(0x40)
INTN(0x41)
INTN(0x42)
INTN(0x43)
INTN(0x44)
INTN(0x45)
INTN(0x46)
INTN(0x47)
INTN(0x48)
INTN(0x49)
INTN(0x4f)
INTN(0x50)
INTN(0x60)
INTN(3)
SNIP(s_int3)
    int3
    ret
SNIP(s_into_of)
    movl $0x7FFFFFFF, %eax
    addl $1, %eax
    into
    ret
SNIP(s_into_nof)
    xorl %eax, %eax
    into
    ret
SNIP(s_div0)
    movl $1, %eax
    xorl %edx, %edx
    xorl %ecx, %ecx
    divl %ecx
    ret
SNIP(s_ud2)
    ud2
    ret
SNIP(s_bound_out)
    movl $sd_bounds, %ecx
    movl $11, %eax
    bound %eax, (%ecx)
    ret
SNIP(s_bound_in)
    movl $sd_bounds, %ecx
    movl $10, %eax
    bound %eax, (%ecx)
    ret

/* ---- segment loads: selector in arg ---- */
SNIP(s_load_ds)
    movl 4(%esp), %eax
    movw %ax, %ds
    ret
SNIP(s_load_es)
    movl 4(%esp), %eax
    movw %ax, %es
    ret
SNIP(s_load_fs)
    movl 4(%esp), %eax
    movw %ax, %fs
    ret
SNIP(s_load_gs)
    movl 4(%esp), %eax
    movw %ax, %gs
    ret
SNIP(s_load_ss)
    movl 4(%esp), %eax
    movw %ss, %cx
    movw %ax, %ss
    movw %cx, %ss
    ret
SNIP(s_pop_ds)
    pushl 4(%esp)
    popl %ds
    ret
SNIP(s_lds)                     /* LDS with the selector at sd_farptr+4 */
    movl 4(%esp), %eax
    movl %eax, sd_farptr + 4
    lds sd_farptr, %ecx
    ret
SNIP(s_ds_null_use)
    xorl %eax, %eax
    movw %ax, %ds
    movl 0x100000, %eax
    ret
SNIP(s_lldt)
    movl 4(%esp), %eax
    lldt %ax
    ret
SNIP(s_ltr)
    movl 4(%esp), %eax
    ltr %ax
    ret

/* ---- far transfers ---- */
SNIP(s_ljmp_np)                 /* not-present code segment */
    ljmp $0xC0, $1f
1:  ret
SNIP(s_ljmp_rpl3)               /* ring 0: RPL 3 > CPL to DPL-0 code */
    ljmp $0x0B, $1f
1:  ret
SNIP(s_ljmp_data)
    ljmp $0x10, $1f
1:  ret
SNIP(s_lcall_conf)              /* ring 3: call DPL-0 conforming code */
    lcall $0x93, $sd_conf_target
    ret
SNIP(s_lcall_ring0)             /* ring 3: call DPL-0 non-conforming code */
    lcall $0x0B, $sd_conf_target
    ret
SNIP(s_lret_inner)              /* ring 3: RET to ring 0 */
    pushl $0x08
    pushl $1f
    lret
1:  ret
SNIP(s_iret_inner)              /* ring 3: IRET to ring 0 */
    pushfl
    pushl $0x08
    pushl $1f
    iretl
1:  ret
SNIP(s_callgate)                /* ring 3: call gate 0x38 with 2 parameters */
    movl $0x23, %eax
    movw %ax, %fs
    pushl $0x11111111
    pushl $0x22222222
    lcall $0x3B, $0
    ret
SNIP(s_callgate_dpl0)
    lcall $0xAB, $0
    ret
SNIP(s_callgate_np)
    lcall $0xB3, $0
    ret
SNIP(s_jmp_callgate)            /* JMP through a gate to inner code: #GP(code) */
    ljmp $0x3B, $0
    ret
SNIP(s_iret_outer)              /* ring 0: IRET to ring 3, DS/FS DPL 0, ES DPL 3, GS conforming */
    movl $0x10, %eax
    movw %ax, %ds
    movw %ax, %fs
    movl $0x23, %eax
    movw %ax, %es
    movl $0x90, %eax
    movw %ax, %gs
    pushl $0x23
    pushl $sd_ustack_top
    pushl $0x3202
    pushl $0x1B
    pushl $sd_r3_back
    iretl
SNIP(s_lret_outer)              /* ring 0: far RET to ring 3 */
    movl $0x10, %eax
    movw %ax, %ds
    movl $0x20, %eax
    movw %ax, %es
    movl $0xA0, %eax            /* DPL 1 data */
    movw %ax, %fs
    movl $0x90, %eax
    movw %ax, %gs
    pushl $0x23
    pushl $sd_ustack_top - 16
    pushl $0x1B
    pushl $sd_r3_back
    lret

/* ---- single step (the #DB logger is on while these run) ---- */
#define TF_ON  pushfl; orl $0x100, (%esp); popfl
#define TF_OFF pushfl; andl $~0x100, (%esp); popfl
SNIP(s_step_basic)
    TF_ON
    nop
    movl $1, %eax
    TF_OFF
    nop
    ret
SNIP(s_step_movss)
    TF_ON
    movw %ss, %ax
    movw %ax, %ss
    nop
    nop
    TF_OFF
    ret
SNIP(s_step_popss)
    TF_ON
    pushl %ss
    popl %ss
    nop
    TF_OFF
    ret
SNIP(s_step_int)
    TF_ON
    nop
    int $0x4A
    nop
    TF_OFF
    ret
SNIP(s_step_fault)              /* #UD while stepping: the fault, no trap */
    TF_ON
    nop
    ud2
SNIP(s_step_r3)
    nop
    nop
    ret

/* ---- LAR, LSL, VERR, VERW on the selector in p[0] ----
 * p[1] LAR value (0xdeadbeef if untouched), p[2] its ZF, p[3] LSL value,
 * p[4] its ZF, p[5] VERR ZF, p[6] VERW ZF */
SNIP(s_probe)
    pushl %ebx
    movl 8(%esp), %ebx
    movl 0(%ebx), %ecx
    movl $0xdeadbeef, %eax
    lar %cx, %eax
    setz %dl
    movl %eax, 4(%ebx)
    movzbl %dl, %edx
    movl %edx, 8(%ebx)
    movl $0xdeadbeef, %eax
    lsl %cx, %eax
    setz %dl
    movl %eax, 12(%ebx)
    movzbl %dl, %edx
    movl %edx, 16(%ebx)
    verr %cx
    setz %dl
    movzbl %dl, %edx
    movl %edx, 20(%ebx)
    verw %cx
    setz %dl
    movzbl %dl, %edx
    movl %edx, 24(%ebx)
    popl %ebx
    ret
/* ARPL p[1] (dest), p[0] (source): p[2] result, p[3] ZF */
SNIP(s_arpl)
    pushl %ebx
    movl 8(%esp), %ebx
    movl 0(%ebx), %ecx
    movl 4(%ebx), %eax
    arpl %cx, %ax
    setz %dl
    movl %eax, 8(%ebx)
    movzbl %dl, %edx
    movl %edx, 12(%ebx)
    popl %ebx
    ret

/* ---- system-register stores (allowed at ring 3) into p ---- */
SNIP(s_stores)
    movl 4(%esp), %ebx
    sgdt 0(%ebx)
    sidt 8(%ebx)
    sldt 16(%ebx)
    str 20(%ebx)
    smsw 24(%ebx)
    movl $0xFFFFFFFF, %eax
    str %eax
    movl %eax, 28(%ebx)
    movl $0xFFFFFFFF, %eax
    sldt %eax
    movl %eax, 32(%ebx)
    movl $0xFFFFFFFF, %eax
    smsw %ax
    movl %eax, 36(%ebx)
    ret

/* ---- privileged instructions (each harmless if it wrongly runs) ---- */
SNIP(s_lgdt)
    sgdt sd_tmp6
    lgdt sd_tmp6
    ret
SNIP(s_lidt)
    sidt sd_tmp6
    lidt sd_tmp6
    ret
SNIP(s_lldt_same)
    sldt %ax
    lldt %ax
    ret
SNIP(s_ltr_same)
    str %ax
    ltr %ax
    ret
SNIP(s_lmsw)
    smsw %ax
    lmsw %ax
    ret
SNIP(s_clts)
    clts
    ret
SNIP(s_rd_cr0)
    movl %cr0, %eax
    ret
SNIP(s_wr_cr2)
    xorl %eax, %eax
    movl %eax, %cr2
    ret
SNIP(s_rd_cr3)
    movl %cr3, %eax
    ret
SNIP(s_rd_cr4)
    movl %cr4, %eax
    ret
SNIP(s_rd_dr7)
    movl %dr7, %eax
    ret
SNIP(s_hlt)
    hlt
    ret
SNIP(s_invd)
    invd
    ret
SNIP(s_wbinvd)
    wbinvd
    ret
SNIP(s_invlpg)
    invlpg sd_tmp6
    ret
SNIP(s_rdmsr)
    movl $0x10, %ecx
    rdmsr
    ret
SNIP(s_rdtsc)
    rdtsc
    ret

/* ---- segment limits: selector in sd_seg_sel, offset in arg ---- */
SNIP(s_es_rdb)
    movw sd_seg_sel, %ax
    movw %ax, %es
    movl 4(%esp), %ecx
    movb %es:(%ecx), %al
    ret
SNIP(s_es_rdw)
    movw sd_seg_sel, %ax
    movw %ax, %es
    movl 4(%esp), %ecx
    movw %es:(%ecx), %ax
    ret
SNIP(s_es_rdl)
    movw sd_seg_sel, %ax
    movw %ax, %es
    movl 4(%esp), %ecx
    movl %es:(%ecx), %eax
    ret
SNIP(s_es_wrb)
    movw sd_seg_sel, %ax
    movw %ax, %es
    movl 4(%esp), %ecx
    movb %al, %es:(%ecx)
    ret
SNIP(s_cs_wrb)                  /* write through a CS override */
    movb %al, %cs:sd_tmp6
    ret
SNIP(s_ss_push)                 /* ring 3: SS = sd_seg_sel, ESP = arg, PUSH */
    movl 4(%esp), %ecx
    movw sd_seg_sel, %ax
    movw %ax, %ss
    movl %ecx, %esp
    pushl $0
    int $0x31
SNIP(s_ss_rdl)                  /* ring 3: SS = sd_seg_sel, read SS:arg via EBP */
    movl 4(%esp), %ebp
    movw sd_seg_sel, %ax
    movw %ax, %ss
    movl 0(%ebp), %eax
    int $0x31

    .section .bss
    .align 16
    .globl sd_iobuf, sd_tmp6, sd_farptr, sd_seg_sel
sd_iobuf:   .space 16
sd_tmp6:    .space 16
sd_farptr:  .space 8
sd_seg_sel: .long 0
    .section .data
    .align 8
    .globl sd_bounds
sd_bounds:  .long 0, 10

/* ---- task switches (out of scope for vmscope: see check_tasks) ---- */
    .text
SNIP(s_ljmp_busy_tss)
    ljmp $0xD0, $0
    ret
SNIP(s_task_jmp)
    ljmp $0x30, $0
    ret
SNIP(s_task_call)
    lcall $0x30, $0
    ret
SNIP(s_iret_nt)
    pushfl
    orl $0x4000, (%esp)
    popfl
    pushfl
    pushl $0x08
    pushl $1f
    iretl
1:  ret
