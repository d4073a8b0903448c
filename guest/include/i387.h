/* The x87 FPU of each task (Linux 2.4's include/asm-i386/i387.h): lazy
 * switching. A task's FPU registers stay in the FPU until another task
 * wants it: schedule() saves them with FNSAVE (unlazy_fpu) and sets CR0.TS,
 * so the next FPU instruction of any task raises #NM, whose handler
 * (math_state_restore) clears TS and loads the task's saved state, or a
 * clean FNINIT state (control word 0x037F) the first time. */
#ifndef VMSCOPE_GUEST_I387_H
#define VMSCOPE_GUEST_I387_H

#include <kernel.h>

struct pt_regs;
struct task_struct;

/* The FNSAVE image (108 bytes) and the task's FPU bookkeeping. */
struct i387_state {
    u32 fsave[27];              /* control word .. ST7, as FNSAVE stores them */
    int used_math;              /* fsave holds this task's state */
    int used_fpu;               /* the FPU registers hold it now (PF_USEDFPU) */
};

/* Boot: CR0.MP and CR0.NE on, EM off, TS on (the first use traps). */
void i387_init(void);
/* #NM: give the FPU to current. */
void math_state_restore(void);
/* Save TSK's FPU registers if the FPU holds them, and set TS. Before a
 * context switch away from TSK and before fork copies TSK. */
void unlazy_fpu(struct task_struct *tsk);
/* exec: the new program starts with a clean FPU. */
void clear_fpu(struct task_struct *tsk);
/* #MF: SIGFPE with the si_code of the unmasked exception in the reason. */
void math_error(struct pt_regs *regs) noreturn;

#endif
