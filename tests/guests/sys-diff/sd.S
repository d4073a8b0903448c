/* sys-diff support: one stub per IDT vector, sd_try (run a snippet at ring 0
 * or ring 3 and catch whatever interrupt or exception ends it), the targets of
 * call gates and conforming calls, the task-switch landing, and the #DB
 * logger for single-step checks. Contracts are in sys-diff.h. */
    .text

/* ---- 256 stubs, 16 bytes apart: push a zero error code unless the CPU
 * pushes one (8, 10-14, 17), push the vector, go to sd_common. ---- */
    .balign 16
    .globl sd_stubs
sd_stubs:
    .set vec, 0
    .rept 256
    .balign 16
    .if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17)
    .else
    pushl $0
    .endif
    pushl $vec
    jmp sd_common
    .set vec, vec + 1
    .endr

/* Stack here: vector, error code, EIP, CS, EFLAGS [, ESP, SS].
 * Only SS (ring-0 flat data here) is trusted: the snippet may have left any
 * selector (or none) in DS, ES, FS, GS. */
sd_common:
    movl %eax, %ss:sd_save_eax
    movw %ds, %ss:sd_f + 40
    movw %es, %ss:sd_f + 44
    movw %fs, %ss:sd_f + 48
    movw %gs, %ss:sd_f + 52
    movw %ss, %ss:sd_f + 56
    cmpl $1, (%esp)
    jne 2f
    cmpl $0, %ss:sd_stepping
    je 2f
    /* single-step log: EIP and DR6, then clear DR6 and resume */
    movl %ss:sd_nstep, %eax
    cmpl $32, %eax
    jae 1f
    pushl %ebx
    movl 12(%esp), %ebx
    movl %ebx, %ss:sd_steplog(, %eax, 8)
    movl %dr6, %ebx
    movl %ebx, %ss:sd_steplog + 4(, %eax, 8)
    popl %ebx
    incl %ss:sd_nstep
1:  xorl %eax, %eax
    movl %eax, %dr6
    movl %ss:sd_save_eax, %eax
    addl $8, %esp
    iretl
2:  cmpl $0, %ss:sd_active
    je 9f
    movl $0, %ss:sd_active
    pushfl
    popl %ss:sd_f + 60          /* EFLAGS inside the handler */
    movl %esp, %eax
    addl $8, %eax
    movl %eax, %ss:sd_f + 36    /* where the CPU put the frame */
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movl 0(%esp), %eax
    movl %eax, sd_f + 0         /* vector */
    movl 4(%esp), %eax
    movl %eax, sd_f + 4         /* error code */
    movl 8(%esp), %eax
    movl %eax, sd_f + 8         /* EIP */
    movl 12(%esp), %eax
    movl %eax, sd_f + 12        /* CS */
    movl 16(%esp), %eax
    movl %eax, sd_f + 16        /* EFLAGS */
    movl 20(%esp), %eax
    movl %eax, sd_f + 20        /* ESP (meaningful after a ring change) */
    movl 24(%esp), %eax
    movl %eax, sd_f + 24        /* SS (likewise) */
    movl 0(%esp), %eax
    movw $0x10, %cx
    movw %cx, %ss
    movl sd_esp, %esp
    jmp sd_out
9:  movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movl 0(%esp), %eax
    movl 4(%esp), %ecx
    movl 8(%esp), %edx
    pushl %edx
    pushl %ecx
    pushl %eax
    call rt_unhandled           /* does not return */

/* int sd_try(void (*fn)(void *), void *arg, unsigned cpl, uint32_t eflags3) */
    .globl sd_try
sd_try:
    pushl %ebp
    movl %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    pushfl
    movl %esp, sd_esp
    movl $1, sd_active
    cmpl $3, 16(%ebp)
    je 1f
    pushl 12(%ebp)
    call *8(%ebp)
    pushfl                      /* only SS is known good here */
    popl %ss:sd_ret_eflags
    addl $4, %esp
    movl $0, %ss:sd_active
    movl $-1, %eax
    jmp sd_out
1:  movl 8(%ebp), %eax
    movl %eax, sd_r3_fn
    movl 12(%ebp), %eax
    movl %eax, sd_r3_arg
    movl 20(%ebp), %ecx
    movw $0x23, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    pushl $0x23
    pushl $sd_ustack_top
    pushl %ecx
    pushl $0x1B
    pushl $sd_r3_tramp
    iretl

/* Ring 3: call the snippet, then come back through the DPL-3 gate 0x31. */
    .globl sd_r3_tramp
sd_r3_tramp:
    pushl sd_r3_arg
    call *sd_r3_fn
    .globl sd_r3_back
sd_r3_back:
    int $0x31

sd_out:                         /* EAX = result, ESP = sd_esp, SS = 0x10 */
    movw $0x10, %cx
    movw %cx, %ds
    movw %cx, %es
    movw %cx, %fs
    movw %cx, %gs
    cld
    popfl
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

/* ---- gate and far-call targets ---- */

/* Call gate 0x38 (2 parameters) from ring 3: record the inner stack, load a
 * DPL-0 data selector into DS and FS (an outer RET nulls them), return to
 * ring 3 popping the parameters. */
    .globl sd_cg_target
sd_cg_target:
    movl %esp, %ss:sd_cg + 0
    movw %ss, %ss:sd_cg + 4
    movw %cs, %ss:sd_cg + 8
    movl %ss:0(%esp), %eax
    movl %eax, %ss:sd_cg + 12
    movl %ss:4(%esp), %eax
    movl %eax, %ss:sd_cg + 16
    movl %ss:8(%esp), %eax
    movl %eax, %ss:sd_cg + 20
    movl %ss:12(%esp), %eax
    movl %eax, %ss:sd_cg + 24
    movl %ss:16(%esp), %eax
    movl %eax, %ss:sd_cg + 28
    movl %ss:20(%esp), %eax
    movl %eax, %ss:sd_cg + 32
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %fs
    lret $8

/* Conforming code (selector 0x90, DPL 0) called from ring 3: CPL stays 3. */
    .globl sd_conf_target
sd_conf_target:
    movl %esp, %ss:sd_cg + 0
    movw %ss, %ss:sd_cg + 4
    movw %cs, %ss:sd_cg + 8
    lret

/* #TS and #SS caught at ring 3, through a gate to conforming code (no stack
 * switch: the TSS's SS0 is what is bad): record the frame, repair SS0 and
 * go back through the DPL-3 gate 0x31. Only SS (ring-3 flat) is used. */
    .globl sd_r3catch10, sd_r3catch12
sd_r3catch10:
    pushl $10
    jmp 1f
sd_r3catch12:
    pushl $12
1:  movl 0(%esp), %eax
    movl %eax, %ss:sd_r3c + 0
    movl 4(%esp), %eax
    movl %eax, %ss:sd_r3c + 4
    movl 8(%esp), %eax
    movl %eax, %ss:sd_r3c + 8
    movl 12(%esp), %eax
    movl %eax, %ss:sd_r3c + 12
    movl $0x10, %ss:sd_tss + 8  /* SS0 */
    int $0x31

/* Interrupt handler that just returns (single-step over INT n). */
    .globl sd_iret_handler
sd_iret_handler:
    iretl

/* Entry of the second task (TSS 0x30) when QEMU or Bochs switch tasks:
 * report vector 0xF0 through the normal capture path. */
    .globl sd_task_land
sd_task_land:
    pushl $0
    pushl $0xF0
    jmp sd_common

    .section .bss
    .align 4
    .globl sd_r3c
sd_r3c:        .space 16        /* vector, error code, EIP, CS seen by sd_r3catch */
    .globl sd_f, sd_esp, sd_active, sd_stepping, sd_nstep, sd_steplog, sd_cg, sd_ret_eflags
sd_f:          .space 64        /* struct sd_frame */
sd_esp:        .long 0
sd_active:     .long 0
sd_save_eax:   .long 0
sd_stepping:   .long 0
sd_nstep:      .long 0
sd_steplog:    .space 32 * 8
sd_cg:         .space 64
sd_ret_eflags: .long 0
sd_r3_fn:      .long 0
sd_r3_arg:     .long 0
    .align 16
    .space 8192
    .globl sd_ustack_top
sd_ustack_top:
    .space 64                   /* readable slack above the top */
    .align 16
    .space 8192
    .globl sd_kstack_top
sd_kstack_top:
    .space 64
    .align 16
    .space 4096
    .globl sd_tstack_top
sd_tstack_top:
    .space 64
