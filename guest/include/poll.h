/* poll and select (Linux 2.4's fs/select.c): each file's f_op->poll says
 * what it is ready for and registers the caller, through poll_wait, on the
 * wait queues that will announce a change; the caller sleeps until one of
 * them wakes it, a signal comes, or the timeout runs out. */
#ifndef VMSCOPE_GUEST_POLL_H
#define VMSCOPE_GUEST_POLL_H

#include <kernel.h>
#include <wait.h>

#define POLLIN     0x0001
#define POLLPRI    0x0002
#define POLLOUT    0x0004
#define POLLERR    0x0008
#define POLLHUP    0x0010
#define POLLNVAL   0x0020
#define POLLRDNORM 0x0040
#define POLLWRNORM 0x0100

#define POLL_MAX_WAITS 64

struct poll_table {
    int n;                          /* entries used */
    int full;                       /* more queues than entries: poll again after each wake */
    wait_queue_t wait[POLL_MAX_WAITS];
    wait_queue_head_t *head[POLL_MAX_WAITS];
};

struct file;
/* Register the current task on q (pt NULL: just looking). */
void poll_wait(struct file *file, wait_queue_head_t *q, struct poll_table *pt);

#endif
