/* The 8259A PICs and the 8254 PIT (kernel/irq.c). IRQ n arrives on vector
 * FIRST_EXTERNAL_VECTOR + n. */
#ifndef VMSCOPE_GUEST_IRQ_H
#define VMSCOPE_GUEST_IRQ_H

#include <ptrace.h>

#define FIRST_EXTERNAL_VECTOR 0x20
#define SYSCALL_VECTOR 0x80
#define NR_IRQS 16

void init_IRQ(void);
void time_init(void);
void do_IRQ(unsigned irq, struct pt_regs *regs);

#endif
