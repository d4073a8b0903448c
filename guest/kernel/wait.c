/* Wait queues (see include/wait.h; Linux 2.4's kernel/sched.c __wake_up
 * and sleep_on). */
#include <kernel.h>
#include <io.h>
#include <sched.h>
#include <wait.h>

void add_wait_queue(wait_queue_head_t *q, wait_queue_t *wait)
{
    u32 flags;
    local_irq_save(flags);
    list_add_tail(&wait->task_list, &q->task_list);
    local_irq_restore(flags);
}

void remove_wait_queue(wait_queue_head_t *q, wait_queue_t *wait)
{
    u32 flags;
    local_irq_save(flags);
    list_del(&wait->task_list);
    local_irq_restore(flags);
}

void wake_up(wait_queue_head_t *q)
{
    u32 flags;
    local_irq_save(flags);
    struct list_head *p;
    list_for_each(p, &q->task_list)
        wake_up_process(list_entry(p, wait_queue_t, task_list)->task);
    local_irq_restore(flags);
}

void sleep_on(wait_queue_head_t *q)
{
    wait_queue_t wait;
    u32 flags;
    wait.task = current;
    local_irq_save(flags);
    add_wait_queue(q, &wait);
    current->state = TASK_UNINTERRUPTIBLE;
    schedule();
    cli();
    remove_wait_queue(q, &wait);
    local_irq_restore(flags);
}
