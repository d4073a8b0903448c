/* Wait queues (Linux 2.4's include/linux/wait.h): a task that must wait for
 * an event (a disk transfer, a page lock, kswapd's work) puts itself on a
 * queue, marks itself not runnable and calls schedule(); whoever makes the
 * event happen (often an interrupt handler) calls wake_up() on the queue.
 *
 * The sleeper always re-checks its condition after waking: wake_up wakes
 * every sleeper on the queue, and the condition may have changed again
 * before it runs. wait_event() is that loop; the condition is tested with
 * interrupts off, so a wake-up between the test and schedule() is not lost
 * (the task is already on the queue and marked asleep). */
#ifndef VMSCOPE_GUEST_WAIT_H
#define VMSCOPE_GUEST_WAIT_H

#include <kernel.h>
#include <io.h>
#include <list.h>

struct task_struct;

typedef struct __wait_queue {
    struct task_struct *task;       /* the sleeper */
    struct list_head task_list;     /* in the head's task_list */
} wait_queue_t;

typedef struct {
    struct list_head task_list;     /* wait_queue_t entries */
} wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) { LIST_HEAD_INIT((name).task_list) }
#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

static inline void init_waitqueue_head(wait_queue_head_t *q) { INIT_LIST_HEAD(&q->task_list); }
static inline int waitqueue_active(wait_queue_head_t *q) { return !list_empty(&q->task_list); }

/* Put wait on / take it off q (interrupts may be on or off). */
void add_wait_queue(wait_queue_head_t *q, wait_queue_t *wait);
void remove_wait_queue(wait_queue_head_t *q, wait_queue_t *wait);
/* Make every task sleeping on q runnable. Any context, interrupts included. */
void wake_up(wait_queue_head_t *q);
/* Sleep on q until a wake_up (TASK_UNINTERRUPTIBLE). The caller must have
 * tested its condition with interrupts off and keep them off until this
 * call, or the wake-up may come first and be lost; prefer wait_event. */
void sleep_on(wait_queue_head_t *q);

/* Sleep on wq until condition holds (TASK_UNINTERRUPTIBLE). Process
 * context only; condition is evaluated with interrupts off. */
#define wait_event(wq, condition) do {                                  \
        if (condition)                                                  \
            break;                                                      \
        wait_queue_t __wait;                                            \
        u32 __flags;                                                    \
        __wait.task = current;                                          \
        local_irq_save(__flags);                                        \
        add_wait_queue(&(wq), &__wait);                                 \
        for (;;) {                                                      \
            current->state = TASK_UNINTERRUPTIBLE;                      \
            if (condition)                                              \
                break;                                                  \
            schedule();                                                 \
            cli();                                                      \
        }                                                               \
        current->state = TASK_RUNNING;                                  \
        remove_wait_queue(&(wq), &__wait);                              \
        local_irq_restore(__flags);                                     \
    } while (0)

#endif
