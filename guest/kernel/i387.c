/* The x87 FPU for user programs (see include/i387.h). */
#include <kernel.h>
#include <i387.h>
#include <io.h>
#include <sched.h>
#include <signal.h>

int fpu_present;

static inline void clts(void) { __asm__ volatile("clts"); }
static inline void stts(void) { write_cr0(read_cr0() | X86_CR0_TS); }

void i387_init(void)
{
    u32 a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    fpu_present = d & 1;
    u32 cr0 = read_cr0() & ~(X86_CR0_EM | X86_CR0_MP | X86_CR0_NE);
    if (fpu_present) {
        write_cr0(cr0 | X86_CR0_MP | X86_CR0_NE);
        __asm__ volatile("fninit");
        cr0 |= X86_CR0_MP | X86_CR0_NE | X86_CR0_TS;
    } else {
        cr0 |= X86_CR0_EM;
    }
    write_cr0(cr0);
}

void unlazy_fpu(struct task_struct *t)
{
    if (!t->thread.fpu_loaded)
        return;
    __asm__ volatile("fnsave %0; fwait" : "=m"(t->thread.i387));
    t->thread.fpu_loaded = 0;
    stts();
}

void clear_fpu(struct task_struct *t)
{
    if (!t->thread.fpu_loaded)
        return;
    __asm__ volatile("fnclex; fwait");
    t->thread.fpu_loaded = 0;
    stts();
}

void math_state_restore(struct pt_regs *regs)
{
    struct task_struct *t = current;
    if (!fpu_present) {
        force_sig_fault(SIGFPE, SI_KERNEL, regs->eip, "x87 instruction at eip %08lx (no FPU)", regs->eip);
        return;
    }
    clts();
    if (t->thread.used_math) {
        __asm__ volatile("frstor %0" :: "m"(t->thread.i387));
    } else {
        __asm__ volatile("fninit");     /* control word 0x37f, as Linux's init_fpu */
        t->thread.used_math = 1;
    }
    t->thread.fpu_loaded = 1;
}

void math_error(struct pt_regs *regs)
{
    struct task_struct *t = current;
    unlazy_fpu(t);
    unsigned cw = t->thread.i387.cwd & 0xffff, sw = t->thread.i387.swd & 0xffff;
    unsigned err = sw & ~cw & 0x3f;
    /* Linux's si_code for the unmasked exception, named in the exit reason */
    int code = err & 0x001 ? FPE_FLTINV : err & 0x004 ? FPE_FLTDIV : err & 0x008 ? FPE_FLTOVF
             : err & 0x012 ? FPE_FLTUND : err & 0x020 ? FPE_FLTRES : 0;
    static const char *const names[] = { [FPE_FLTINV] = "FPE_FLTINV", [FPE_FLTDIV] = "FPE_FLTDIV",
                                         [FPE_FLTOVF] = "FPE_FLTOVF", [FPE_FLTUND] = "FPE_FLTUND",
                                         [FPE_FLTRES] = "FPE_FLTRES" };
    const char *name = code ? names[code] : "0";
    force_sig_fault(SIGFPE, code, regs->eip, "coprocessor error (%s%s) at eip %08lx", name,
                    code == FPE_FLTINV && (sw & 0x40) ? " (stack fault)" : "", regs->eip);
}
