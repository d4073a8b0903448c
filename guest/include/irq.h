/* The 8259A PICs and the 8254 PIT (kernel/irq.c). IRQ n arrives on vector
 * FIRST_EXTERNAL_VECTOR + n. */
#ifndef VMSCOPE_GUEST_IRQ_H
#define VMSCOPE_GUEST_IRQ_H

#include <ptrace.h>

#define FIRST_EXTERNAL_VECTOR 0x20
#define SYSCALL_VECTOR 0x80
#define NR_IRQS 16

typedef void (*irq_handler_t)(unsigned irq, struct pt_regs *regs);

void init_IRQ(void);
/* Unmask one IRQ line (and the cascade for the slave PIC). */
void enable_irq(unsigned irq);
/* Install the handler of a driver's IRQ line and unmask it. The handler
 * runs with interrupts off, after the PICs were acknowledged. */
void request_irq(unsigned irq, irq_handler_t handler);
void time_init(void);
void do_IRQ(unsigned irq, struct pt_regs *regs);

#endif
