/* Lazy FPU switching and FPU errors (Linux 2.4's arch/i386/kernel/i387.c
 * and traps.c math_error): see include/i387.h. The kernel itself never uses
 * the FPU, so the only owner of the FPU registers is one user task. */
#include <kernel.h>
#include <i387.h>
#include <io.h>
#include <sched.h>
#include <uapi/wait.h>

#define X86_CR0_MP 0x02
#define X86_CR0_EM 0x04
#define X86_CR0_TS 0x08
#define X86_CR0_NE 0x20

static inline void clts(void) { __asm__ volatile("clts"); }
static inline void stts(void) { write_cr0(read_cr0() | X86_CR0_TS); }

void i387_init(void)
{
    write_cr0((read_cr0() & ~X86_CR0_EM) | X86_CR0_MP | X86_CR0_NE | X86_CR0_TS);
}

void math_state_restore(void)
{
    struct task_struct *tsk = current;
    clts();
    if (tsk->thread.i387.used_math)
        __asm__ volatile("frstor %0" :: "m"(tsk->thread.i387.fsave));
    else
        __asm__ volatile("fninit");
    tsk->thread.i387.used_math = 1;
    tsk->thread.i387.used_fpu = 1;
}

void unlazy_fpu(struct task_struct *tsk)
{
    if (!tsk->thread.i387.used_fpu)
        return;
    /* FNSAVE does not wait: a pending exception stays in the image */
    __asm__ volatile("fnsave %0" : "=m"(tsk->thread.i387.fsave));
    tsk->thread.i387.used_fpu = 0;
    stts();
}

void clear_fpu(struct task_struct *tsk)
{
    if (tsk->thread.i387.used_fpu) {
        __asm__ volatile("fninit");
        tsk->thread.i387.used_fpu = 0;
        stts();
    }
    tsk->thread.i387.used_math = 0;
}

/* Linux's si_code values for SIGFPE (asm/siginfo.h). */
static const char *fpe_code(u32 sw, u32 cw)
{
    u32 e = sw & ~cw & 0x3F;
    if (e & 0x01) return (sw & 0x40) ? "FPE_FLTINV (stack fault)" : "FPE_FLTINV";
    if (e & 0x04) return "FPE_FLTDIV";
    if (e & 0x08) return "FPE_FLTOVF";
    if (e & 0x12) return "FPE_FLTUND";
    if (e & 0x20) return "FPE_FLTRES";
    return "0";
}

void math_error(struct pt_regs *regs)
{
    struct task_struct *tsk = current;
    unlazy_fpu(tsk);
    u32 cw = tsk->thread.i387.fsave[0] & 0xFFFF, sw = tsk->thread.i387.fsave[1] & 0xFFFF;
    force_sig(SIGFPE, "coprocessor error (%s) at eip %08lx", fpe_code(sw, cw), regs->eip);
}
