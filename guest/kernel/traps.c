/* The IDT, the TSS, exception handling and the one C entry point of every
 * interrupt (Linux 2.4's arch/i386/kernel/traps.c).
 *
 * Exceptions in user mode kill the task with a signal (its parent's wait4
 * says why) and the kernel goes on. Exceptions in kernel mode are bugs: die()
 * prints the registers and CR2 and ends the machine with EXIT_OOPS. */
#include <kernel.h>
#include <i387.h>
#include <io.h>
#include <irq.h>
#include <sched.h>
#include <segment.h>
#include <signal.h>
#include <uaccess.h>
#include <uapi/wait.h>

struct tss_struct {
    u16 back_link, __blh;
    u32 esp0;
    u16 ss0, __ss0h;
    u32 esp1;
    u16 ss1, __ss1h;
    u32 esp2;
    u16 ss2, __ss2h;
    u32 cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    u16 es, __esh, cs, __csh, ss, __ssh, ds, __dsh, fs, __fsh, gs, __gsh, ldt, __ldth;
    u16 trace, io_bitmap_base;
} __attribute__((packed));

extern struct desc_struct gdt_table[GDT_ENTRIES];
extern const unsigned long interrupt_vectors[48];
extern void vector_128(void);
void do_syscall(struct pt_regs *regs);

static struct desc_struct idt_table[256] __attribute__((aligned(8)));
static struct tss_struct init_tss __attribute__((aligned(128)));

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "int3", "overflow", "bounds", "invalid opcode",
    "device not available", "double fault", "coprocessor segment overrun", "invalid TSS",
    "segment not present", "stack segment", "general protection", "page fault",
    "reserved 15", "coprocessor error", "alignment check", "machine check", "SIMD error",
};

/* type: 0xE interrupt gate (IF cleared), 0xF trap gate (IF kept). */
static void set_gate(unsigned n, unsigned type, unsigned dpl, unsigned long addr)
{
    idt_table[n].a = (__KERNEL_CS << 16) | (addr & 0xFFFF);
    idt_table[n].b = (addr & 0xFFFF0000) | 0x8000 | (dpl << 13) | (type << 8);
}

void set_tss_esp0(unsigned long esp0)
{
    init_tss.esp0 = esp0;
}

/* Fill the IDT (exceptions, IRQs, int 0x80 open to ring 3), load it, and
 * install the TSS (only ss0:esp0 are used: no hardware task switching, no
 * I/O bitmap, so ring 3 IN/OUT raise #GP). Call once at boot. */
void trap_init(void)
{
    for (unsigned v = 0; v < 48; v++) {
        /* int3 and into may be used from user mode (Linux: system gates) */
        unsigned dpl = (v == 3 || v == 4 || v == 5) ? 3 : 0;
        set_gate(v, 0xE, dpl, interrupt_vectors[v]);
    }
    /* System calls run with interrupts on (a trap gate), as in Linux */
    set_gate(SYSCALL_VECTOR, 0xF, 3, (unsigned long)vector_128);
    struct { u16 limit; u32 base; } __attribute__((packed)) idtr = { sizeof idt_table - 1, (u32)idt_table };
    __asm__ volatile("lidt %0" :: "m"(idtr));

    init_tss.ss0 = __KERNEL_DS;
    init_tss.esp0 = (unsigned long)&init_task_union + THREAD_SIZE;
    init_tss.io_bitmap_base = sizeof init_tss;     /* beyond the limit: no bitmap */
    unsigned long base = (unsigned long)&init_tss, limit = sizeof init_tss - 1;
    struct desc_struct *d = &gdt_table[__TSS >> 3];
    d->a = ((base & 0xFFFF) << 16) | (limit & 0xFFFF);
    d->b = (base & 0xFF000000) | ((base >> 16) & 0xFF) | 0x8900 | (limit & 0xF0000);
    __asm__ volatile("ltr %w0" :: "r"(__TSS));
}

void show_regs(struct pt_regs *regs)
{
    int user = user_mode(regs);
    unsigned long esp = user ? regs->esp : (unsigned long)&regs->esp;
    unsigned long ss = user ? regs->xss & 0xFFFF : __KERNEL_DS;
    printk("EIP: %04lx:%08lx CR2: %08x CR3: %08x\n",
           regs->xcs & 0xFFFF, regs->eip, read_cr2(), read_cr3());
    /* A model: line: the CPU sets RF in the EFLAGS image of a fault (SDM
     * vol. 3A 17.3.1.1) and QEMU does not, so the two consoles differ here. */
    printk("model: EFLAGS: %08lx\n", regs->eflags);
    printk("EAX: %08lx EBX: %08lx ECX: %08lx EDX: %08lx\n", regs->eax, regs->ebx, regs->ecx, regs->edx);
    printk("ESI: %08lx EDI: %08lx EBP: %08lx ESP: %08lx\n", regs->esi, regs->edi, regs->ebp, esp);
    printk("DS: %04lx ES: %04lx SS: %04lx vector %lu error %08lx\n",
           regs->xds & 0xFFFF, regs->xes & 0xFFFF, ss, regs->orig_eax, regs->error_code);
    struct task_struct *t = current;
    printk("Process %s (pid %d, stack page %p)\n", t->comm, t->pid, (void *)t);
    if (!user) {
        printk("Stack:");
        unsigned long *sp = (unsigned long *)esp;
        for (int i = 0; i < 8 && ((unsigned long)(sp + i) & (THREAD_SIZE - 1)); i++)
            printk(" %08lx", sp[i]);
        printk("\n");
    }
}

void die(const char *str, struct pt_regs *regs, long err)
{
    cli();
    printk("Oops: %s (error %04lx)\n", str, err);
    show_regs(regs);
    machine_power_off(EXIT_OOPS);
}

/* A CPU exception other than #PF. */
static void do_trap(unsigned vector, struct pt_regs *regs)
{
    const char *name = vector < 32 && exception_names[vector] ? exception_names[vector] : "reserved";
    if (!user_mode(regs)) {
        /* a bad user selector being reloaded on the way out (restore_all), or a
         * user access: the exception table knows where to go on */
        unsigned long fixup = search_exception_table(regs->eip);
        if (fixup && (vector == 13 || vector == 11 || vector == 12 || vector == 10)) {
            regs->eip = fixup;
            return;
        }
        die(name, regs, regs->error_code);
    }
    /* the signal and si_code Linux/i386 gives for each exception */
    int sig, code = SI_KERNEL;
    unsigned long addr = regs->eip;
    switch (vector) {
    case 0: sig = SIGFPE; code = FPE_INTDIV; break;
    case 4: sig = SIGSEGV; break;
    case 16: sig = SIGFPE; break;
    case 1: sig = SIGTRAP; code = TRAP_BRKPT; break;
    case 3: sig = SIGTRAP; break;
    case 6: sig = SIGILL; code = ILL_ILLOPN; break;
    case 17: sig = SIGBUS; code = BUS_ADRERR; break;
    default: sig = SIGSEGV; addr = 0; break;
    }
    force_sig_fault(sig, code, addr, "%s at eip %08lx", name, regs->eip);
}

void ret_from_sys_call(struct pt_regs *regs);

/* Called by common_interrupt for every vector. On the way back to ring 3 it
 * runs the scheduler if the task's time slice ran out or a wake-up asked for
 * it (the only place user code is preempted). */
void handle_interrupt(struct pt_regs *regs)
{
    unsigned long vector = regs->orig_eax;
    if (vector == SYSCALL_VECTOR)
        do_syscall(regs);
    else if (vector == 14)
        do_page_fault(regs, regs->error_code);
    else if (vector >= FIRST_EXTERNAL_VECTOR && vector < FIRST_EXTERNAL_VECTOR + NR_IRQS)
        do_IRQ(vector - FIRST_EXTERNAL_VECTOR, regs);
    else if (vector == 2)
        printk("NMI received, ignored\n");
    else if ((vector == 7 || vector == 16) && user_mode(regs))
        vector == 7 ? math_state_restore(regs) : math_error(regs);
    else
        do_trap(vector, regs);

    ret_from_sys_call(regs);
}

/* The way out to user mode (every interrupt, ret_from_fork): reschedule
 * if the slice ran out or a wake-up asked for it, then deliver the pending
 * signals (a task the OOM killer chose dies here of its SIGKILL). */
void ret_from_sys_call(struct pt_regs *regs)
{
    if (!user_mode(regs))
        return;
    struct task_struct *t = current;
    for (;;) {
        cli();
        while (t->need_resched) {
            schedule();
            cli();
        }
        if (!signal_pending(t) && !t->restore_blocked)
            return;
        sti();
        do_signal(regs);
    }
}
