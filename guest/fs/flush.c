/* The flusher (Linux 2.4's kupdate and bdflush in one kernel thread,
 * "kupdated"): every 5 seconds of jiffies it writes the inodes (their
 * dirty pages and themselves) that have been dirty for 5 seconds or more,
 * the metadata buffers whose 5 seconds are up, and the super block; and it
 * is woken at once, to write everything dirty, when dirty file pages and
 * buffers pass DIRTY_THRESHOLD of memory (bdflush). A writer past twice
 * that writes its own share before it goes on (2.4's balance_dirty). */
#include <kernel.h>
#include <buffer.h>
#include <fs.h>
#include <io.h>
#include <sched.h>
#include <swap.h>
#include <wait.h>

#define FLUSH_INTERVAL (5 * HZ)
#define DIRTY_THRESHOLD_PERCENT 30

static struct task_struct *flusher_task;
static volatile int flusher_busy;       /* writing now */
static volatile int flusher_kicked;     /* woken past the threshold */

/* Dirty file pages and buffers, and the limit they may reach. */
static int over_threshold(unsigned percent)
{
    return (nr_dirty_file_pages + nr_dirty_buffers / 4) * 100 > nr_total_pages() * percent;
}

/* One round: what is due (all of it when kicked). */
static void flush_round(int all)
{
    struct super_block *sb = root_sb;
    if (!sb || sb->s_nodev)
        return;
    unsigned long due = all ? 0 : jiffies - FLUSH_INTERVAL;
    sync_inodes_older(sb, due ? due : 0, 0);
    if (sb->s_dirt)
        sb->s_op->write_super(sb);
    sync_buffers(0, all ? 0 : jiffies);
}

static int flusher(void *unused)
{
    struct task_struct *tsk = current;
    for (;;) {
        /* sleep for the interval, or until a writer kicks us */
        u32 flags;
        local_irq_save(flags);
        if (!flusher_kicked) {
            tsk->timeout = jiffies + FLUSH_INTERVAL;
            tsk->state = TASK_INTERRUPTIBLE;
            schedule();
        }
        local_irq_restore(flags);
        tsk->timeout = 0;
        int all = flusher_kicked;
        flusher_kicked = 0;
        flusher_busy = 1;
        flush_round(all);
        flusher_busy = 0;
    }
    return 0;
}

void flusher_init(void)
{
    int pid = kernel_thread(flusher, NULL, "kupdated");
    if (pid < 0)
        panic("flusher_init: cannot start kupdated");
    struct list_head *l;
    list_for_each(l, &task_list) {
        struct task_struct *t = list_entry(l, struct task_struct, tasks);
        if (t->pid == pid)
            flusher_task = t;
    }
}

void balance_dirty(void)
{
    if (!over_threshold(DIRTY_THRESHOLD_PERCENT) || !flusher_task)
        return;
    if (!flusher_kicked) {
        flusher_kicked = 1;
        wake_up_process(flusher_task);
    }
    if (over_threshold(2 * DIRTY_THRESHOLD_PERCENT))
        flush_round(1);                 /* far past it: the writer helps */
}

int flusher_idle(void)
{
    return !flusher_busy && !flusher_kicked;
}
