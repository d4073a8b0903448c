/* cpu-diff: the code page where instruction templates run, and cd_run, the
 * harness that enters a template with every register taken from cd_in and
 * leaves through cd_ret with every register stored in cd_out.
 *
 * struct cd_regs (cpu-diff.h): eax ecx edx ebx esp ebp esi edi  (0..28)
 *                              eflags (32) ds es fs gs ss (36..52, u32 each)
 * Every harness memory access after the template's segment registers are
 * loaded goes through %ss (the template may load DS/ES/FS/GS with a
 * selector whose base is not 0; SS is only ever reloaded with 0x10). */
    .text
    .globl cd_run
cd_run:                         /* void cd_run(void *unused): called by cd_try */
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, cd_host_esp
    pushl cd_in+32
    popfl
    movw %ss:cd_in+40, %es
    movw %ss:cd_in+44, %fs
    movw %ss:cd_in+48, %gs
    movw %ss:cd_in+36, %ds
    movl %ss:cd_in+0, %eax
    movl %ss:cd_in+4, %ecx
    movl %ss:cd_in+8, %edx
    movl %ss:cd_in+12, %ebx
    movl %ss:cd_in+20, %ebp
    movl %ss:cd_in+24, %esi
    movl %ss:cd_in+28, %edi
    movl %ss:cd_in+16, %esp
    jmp cd_code

    .globl cd_ret
cd_ret:                         /* each template ends with a JMP here */
    movl %eax, %ss:cd_out+0
    movl %ecx, %ss:cd_out+4
    movl %edx, %ss:cd_out+8
    movl %ebx, %ss:cd_out+12
    movl %esp, %ss:cd_out+16
    movl %ebp, %ss:cd_out+20
    movl %esi, %ss:cd_out+24
    movl %edi, %ss:cd_out+28
    movw %ds, %ss:cd_out+36
    movw %es, %ss:cd_out+40
    movw %fs, %ss:cd_out+44
    movw %gs, %ss:cd_out+48
    movw %ss, %ss:cd_out+52
    movl %ss:cd_host_esp, %esp
    pushfl
    popl %ss:cd_out+32
    pushl $2
    popfl
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    movw %ax, %ss
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

/* Fault catching for the harness: cd_try(fn, arg, &fault) is rt_try's
 * contract (guest/rt/rt.h), with its own gates for vectors 0-31 and the INT n
 * vectors the forms use, and it also records where the exception frame was
 * pushed (cd_fault_frame), so that the frame can be left out of the stack
 * window's hash, and the general registers at the exception (cd_fault_regs,
 * ESP as before the exception: a REP string instruction that faults part
 * way shows how far it got). (rt_try's handler reloads SS from AX after AX has been
 * overwritten with the vector, so every caught exception becomes #GP.) */
.macro CD_VEC v, haserr
    .globl cd_vec\v
cd_vec\v:
    .if \haserr == 0
    pushl $0
    .endif
    pushl $\v
    jmp cd_exc_common
.endm
    CD_VEC 0,0;  CD_VEC 1,0;  CD_VEC 2,0;  CD_VEC 3,0;  CD_VEC 4,0;  CD_VEC 5,0;  CD_VEC 6,0;  CD_VEC 7,0
    CD_VEC 8,1;  CD_VEC 9,0;  CD_VEC 10,1; CD_VEC 11,1; CD_VEC 12,1; CD_VEC 13,1; CD_VEC 14,1; CD_VEC 15,0
    CD_VEC 16,0; CD_VEC 17,1; CD_VEC 18,0; CD_VEC 19,0; CD_VEC 20,0; CD_VEC 21,0; CD_VEC 22,0; CD_VEC 23,0
    CD_VEC 24,0; CD_VEC 25,0; CD_VEC 26,0; CD_VEC 27,0; CD_VEC 28,0; CD_VEC 29,0; CD_VEC 30,0; CD_VEC 31,0
    CD_VEC 0x20,0
    CD_VEC 0x80,0
    CD_VEC 0xff,0

    .section .rodata
    .align 4
    .globl cd_vec_table
cd_vec_table:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    .long cd_vec\v
    .endr

    .text
cd_exc_common:                  /* stack: vector, error code, EIP, CS, EFLAGS */
    movl %eax, %ss:cd_fault_regs+0     /* the registers as the exception left them */
    movl %ecx, %ss:cd_fault_regs+4
    movl %edx, %ss:cd_fault_regs+8
    movl %ebx, %ss:cd_fault_regs+12
    leal 20(%esp), %eax
    movl %eax, %ss:cd_fault_regs+16
    movl %ebp, %ss:cd_fault_regs+20
    movl %esi, %ss:cd_fault_regs+24
    movl %edi, %ss:cd_fault_regs+28
    cmpl $0, %ss:cd_try_active
    je 1f
    movl $0, %ss:cd_try_active
    movl %esp, %ss:cd_fault_frame
    movl $0x10, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl cd_try_fault, %edi
    movl (%esp), %eax
    movl %eax, 0(%edi)
    movl 4(%esp), %ecx
    movl %ecx, 4(%edi)
    movl 8(%esp), %ecx
    movl %ecx, 8(%edi)
    movl %cr2, %ecx
    movl %ecx, 12(%edi)
    movl cd_try_esp, %esp
    jmp cd_try_out
1:  movl $0x10, %eax
    movw %ax, %ds
    movw %ax, %es
    call rt_unhandled           /* (vector, err, eip): does not return */

    .globl cd_try
cd_try:                         /* int cd_try(void (*fn)(void *), void *arg, struct rt_fault *f) */
    pushl %ebp
    movl %esp, %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl 16(%ebp), %eax
    movl %eax, cd_try_fault
    movl %esp, cd_try_esp
    movl $0, cd_fault_frame
    movl $1, cd_try_active
    pushl 12(%ebp)
    call *8(%ebp)
    addl $4, %esp
    movl $0, cd_try_active
    movl $-1, %eax
cd_try_out:
    cld
    movw $0x10, %cx
    movw %cx, %ds
    movw %cx, %es
    movw %cx, %fs
    movw %cx, %gs
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

    .section .bss
    .align 16
    .globl cd_in, cd_out
cd_in:  .space 64
cd_out: .space 64
cd_host_esp: .long 0
cd_try_active: .long 0
cd_try_esp: .long 0
cd_try_fault: .long 0
    .globl cd_fault_frame, cd_fault_regs
cd_fault_frame: .long 0
cd_fault_regs: .space 32

/* The code page: templates are copied here (cpu-diff.h, CD_CODE_ADDR). */
    .set cd_code, 0x400000
