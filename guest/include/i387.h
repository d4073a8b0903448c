/* The x87 FPU for user programs (Linux 2.4's include/asm-i386/i387.h):
 * lazy restore, eager save. A task's registers live in its
 * thread.i387 while another task runs; CR0.TS is set on every switch, so
 * the first FPU instruction after it raises #NM (device not available)
 * and math_state_restore() loads the task's image (or a fresh FPU). The
 * kernel itself never uses the FPU. Without one (CPUID), CR0.EM makes
 * every x87 instruction #NM too, and the task gets SIGFPE. */
#ifndef VMSCOPE_GUEST_I387_H
#define VMSCOPE_GUEST_I387_H

#include <kernel.h>

struct task_struct;
struct pt_regs;

#define X86_CR0_MP 0x02
#define X86_CR0_EM 0x04
#define X86_CR0_TS 0x08
#define X86_CR0_NE 0x20

extern int fpu_present;         /* CPUID says there is an x87 */

/* Boot: find the FPU and set CR0 (MP|NE|TS, or EM without one). */
void i387_init(void);
/* t's FPU registers go to t->thread.i387 if they are loaded (switch, fork,
 * a signal frame); the FPU is then left to #NM again. */
void unlazy_fpu(struct task_struct *t);
/* t's loaded FPU state is thrown away (exec, exit, sigreturn's restore). */
void clear_fpu(struct task_struct *t);
/* #NM from user mode. */
void math_state_restore(struct pt_regs *regs);
/* #MF: an unmasked x87 exception: SIGFPE. */
void math_error(struct pt_regs *regs);

#endif
