/* The out-of-memory killer (Linux 2.4's mm/oom_kill.c). It runs only when
 * an allocation that may sleep found RAM exhausted after reclaim made no
 * progress at all (nothing unmapped, written or freed, no disk transfer in
 * flight), which with swap means swap is full too.
 *
 * The victim is the user process holding the most memory: its badness is
 * its resident pages plus its swapped-out pages (the swap entries in its
 * page tables). 2.4 also weighs CPU time and run time; those depend on the
 * host's speed under QEMU, so the score here is memory alone and the same
 * process is chosen under every emulator. init and kernel threads are never
 * chosen; ties go to the earlier task. The victim is named on the console
 * and dies on its way back to user mode (or at once, if it is the task
 * that asked for memory). */
#include <kernel.h>
#include <annotate.h>
#include <mm.h>
#include <sched.h>
#include <signal.h>
#include <swap.h>

/* mm's pages that are out on swap (its PTEs holding swap entries). */
unsigned long mm_swap_pages(struct mm_struct *mm)
{
    unsigned long points = 0;
    for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next) {
        pte_t *pte;
        for (unsigned long a = vma->vm_start; (pte = pte_range_next(mm, &a, vma->vm_end)); a += PAGE_SIZE)
            points += !pte_none(*pte) && !pte_present(*pte);
    }
    return points;
}

/* Resident plus swapped-out pages of mm. */
static unsigned long badness(struct mm_struct *mm)
{
    return mm->rss + mm_swap_pages(mm);
}

struct task_struct *out_of_memory(void)
{
    struct task_struct *victim = NULL;
    unsigned long worst = 0;
    struct list_head *l;
    list_for_each(l, &task_list) {
        struct task_struct *p = list_entry(l, struct task_struct, tasks);
        if (!p->mm || p == child_reaper || p->state == TASK_ZOMBIE || (p->flags & PF_EXITING))
            continue;
        if (fatal_signal_pending(p))
            return p;                   /* already dying: wait for it */
        unsigned long points = badness(p->mm);
        if (points > worst) {
            worst = points;
            victim = p;
        }
    }
    if (!victim)
        return NULL;
    printk("Out of Memory: Killed process %d (%s).\n", victim->pid, victim->comm);
    vmstat.oom_kills++;
    annot_oom_kill(victim->pid);
    oom_kill_task(victim);
    return victim;
}
