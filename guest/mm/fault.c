/* The page fault handler (Linux 2.4's arch/i386/mm/fault.c).
 *
 * error_code bits: 0 = protection violation (else not present), 1 = write,
 * 2 = user mode. A fault on a user address is looked up in the VMAs: inside
 * one whose rights allow the access it goes to handle_mm_fault; just below a
 * VM_GROWSDOWN VMA (and not far below ESP) the stack grows; anything else is
 * a bad area: a user access kills the process with SIGSEGV, a kernel access
 * (copy_to_user with a bad pointer) resumes at its exception-table fixup,
 * and any other kernel fault is an oops. A kernel fault in the vmalloc window
 * copies the missing PDE from swapper_pg_dir (vmalloc_fault). */
#include <kernel.h>
#include <annotate.h>
#include <io.h>
#include <mm.h>
#include <sched.h>
#include <signal.h>
#include <swap.h>
#include <uaccess.h>
#include <uapi/wait.h>

/* A kernel fault in the vmalloc window: copy the PDE the loaded page
 * directory lacks from swapper_pg_dir. Returns 1 if the access can now
 * succeed, 0 if it is a real bad access. */
static int vmalloc_fault(unsigned long address)
{
    unsigned offset = pgd_index(address);
    pgd_t *pgd = (pgd_t *)__va(read_cr3() & PAGE_MASK) + offset;
    pgd_t *pgd_k = swapper_pg_dir + offset;
    if (!pgd_present(*pgd_k))
        return 0;
    set_pgd(pgd, *pgd_k);
    return pte_present(*pte_offset(pgd_k, address)) != 0;
}

void do_page_fault(struct pt_regs *regs, unsigned long error_code)
{
    unsigned long address = read_cr2();
    if (regs->eflags & 0x200)
        sti();
    struct task_struct *tsk = current;
    struct mm_struct *mm = tsk->mm;
    struct vm_area_struct *vma = NULL;
    const char *why = "no mapping";

    if (address >= TASK_SIZE) {
        if (!(error_code & 5) && address >= vmalloc_start && address < VMALLOC_END &&
            vmalloc_fault(address))
            return;
        why = "kernel address";
        goto bad_area;
    }
    if (!mm)
        goto no_context;
    vma = find_vma(mm, address);
    if (!vma)
        goto bad_area;
    if (vma->vm_start <= address)
        goto good_area;
    if (!(vma->vm_flags & VM_GROWSDOWN))
        goto bad_area;
    if ((error_code & 4) && address + 32 < regs->esp) {
        why = "below the stack pointer";
        goto bad_area;
    }
    if (expand_stack(vma, address)) {
        why = "stack limit";
        goto bad_area;
    }
good_area:
    why = "not permitted";
    int write = 0;
    switch (error_code & 3) {
    default:                            /* write, present */
    case 2:                             /* write, not present */
        if (!(vma->vm_flags & VM_WRITE))
            goto bad_area;
        write = 1;
        break;
    case 1:                             /* read, present */
        goto bad_area;
    case 0:                             /* read, not present */
        if (!(vma->vm_flags & (VM_READ | VM_EXEC)))
            goto bad_area;
    }
    switch (handle_mm_fault(mm, vma, address, write)) {
    case 1:
        tsk->ru.ru_minflt++;
        vmstat.pgfault++;
        return;
    case 2:
        tsk->ru.ru_majflt++;
        vmstat.pgfault++;
        return;
    case 0:
        if (!(error_code & 4))
            goto no_context;
        force_sig_fault(SIGBUS, BUS_ADRERR, address, "%s at %08lx (I/O error)", write ? "write" : "read",
                        address);
        return;
    default:
        goto out_of_memory;
    }

bad_area:
    if (error_code & 4) {
        /* kernel addresses and present pages are access errors, as Linux says */
        /* no VMA there: SEGV_MAPERR; a VMA that does not allow it: SEGV_ACCERR */
        force_sig_fault(SIGSEGV, !strcmp(why, "not permitted") ? SEGV_ACCERR : SEGV_MAPERR,
                        address, "%s %s %08lx (%s)",
                        error_code & 2 ? "write" : "read", error_code & 2 ? "to" : "of", address, why);
        return;
    }
no_context: {
        unsigned long fixup = search_exception_table(regs->eip);
        if (fixup) {
            regs->eip = fixup;
            return;
        }
        cli();
        printk("Unable to handle kernel %s at virtual address %08lx\n",
               address < PAGE_SIZE ? "NULL pointer dereference" : "paging request", address);
        die("page fault", regs, error_code);
    }
out_of_memory:
    /* the OOM killer chose us (or found no one else): die, and free memory */
    if (tsk == child_reaper)
        panic("out of memory in init");
    kill_current(SIGKILL, "out of memory at %08lx", address);
}
