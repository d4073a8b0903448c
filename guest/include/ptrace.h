/* Registers saved on the kernel stack at every entry (boot/entry.S). The
 * order is the stack layout, lowest address first. */
#ifndef VMSCOPE_GUEST_PTRACE_H
#define VMSCOPE_GUEST_PTRACE_H

#ifndef __ASSEMBLER__
struct pt_regs {
    unsigned long ebx, ecx, edx, esi, edi, ebp, eax;
    unsigned long xds, xes, xfs, xgs;
    unsigned long orig_eax;     /* vector number (0x80 for system calls) */
    unsigned long error_code;   /* CPU error code, or 0 */
    unsigned long eip, xcs, eflags;
    unsigned long esp, xss;     /* only when entered from ring 3 */
};

#define user_mode(regs) (((regs)->xcs & 3) != 0)
#endif

/* Byte offsets, for entry.S */
#define PT_EBX 0
#define PT_EAX 24
#define PT_ORIG_EAX 44
#define PT_EIP 52
#define PT_CS 56
#define PT_EFLAGS 60
#define PT_ESP 64
#define PT_SIZE 72

#endif
