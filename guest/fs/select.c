/* poll, ppoll-less select (_newselect) and their sleeping (see
 * include/poll.h). */
#include <kernel.h>
#include <fs.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <slab.h>
#include <uaccess.h>

void poll_wait(struct file *file, wait_queue_head_t *q, struct poll_table *pt)
{
    if (!pt || !q)
        return;
    if (pt->n == POLL_MAX_WAITS) {
        pt->full = 1;
        return;
    }
    pt->wait[pt->n].task = current;
    pt->head[pt->n] = q;
    add_wait_queue(q, &pt->wait[pt->n]);
    pt->n++;
}

static void poll_freewait(struct poll_table *pt)
{
    for (int i = 0; i < pt->n; i++)
        remove_wait_queue(pt->head[i], &pt->wait[i]);
    pt->n = 0;
}

/* What file is ready for now (every file without poll is always ready). */
static unsigned file_poll(struct file *f, struct poll_table *pt)
{
    if (!f->f_op || !f->f_op->poll)
        return POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM;
    return f->f_op->poll(f, pt);
}

/* Sleep until a registered queue wakes us, a signal, or *timeout jiffies
 * pass (timeout NULL: forever). 0, or -ERESTARTNOHAND/-EINTR. */
static int poll_sleep(long *timeout)
{
    struct task_struct *t = current;
    cli();
    if (signal_pending(t)) {
        t->state = TASK_RUNNING;
        sti();
        return -ERESTARTNOHAND;
    }
    unsigned long start = jiffies;
    /* state is TASK_INTERRUPTIBLE since before the files were polled, so a
     * wake-up in between left it runnable and schedule() returns at once */
    t->timeout = timeout ? jiffies + (unsigned long)*timeout : 0;
    schedule();
    t->state = TASK_RUNNING;
    t->timeout = 0;
    sti();
    if (timeout) {
        *timeout -= (long)(jiffies - start);
        if (*timeout < 0)
            *timeout = 0;
    }
    return 0;
}

struct pollfd_abi { int fd; short events, revents; };

/* poll with a timeout in jiffies (-1: forever). */
static long do_poll(struct pollfd_abi *ufds, unsigned nfds, long timeout)
{
    if (nfds > NR_OPEN)
        return -EINVAL;
    struct pollfd_abi *fds = kmalloc(nfds ? nfds * sizeof *fds : 1, GFP_KERNEL);
    struct poll_table *pt = kmalloc(sizeof *pt, GFP_KERNEL);
    long ret = -ENOMEM;
    if (!fds || !pt)
        goto out;
    ret = -EFAULT;
    if (copy_from_user(fds, ufds, nfds * sizeof *fds))
        goto out;
    for (;;) {
        pt->n = pt->full = 0;
        int count = 0;
        current->state = TASK_INTERRUPTIBLE;
        for (unsigned i = 0; i < nfds; i++) {
            fds[i].revents = 0;
            if (fds[i].fd < 0)
                continue;
            struct file *f = fget((unsigned)fds[i].fd);
            unsigned mask = f ? file_poll(f, count ? NULL : pt) : POLLNVAL;
            mask &= (unsigned)fds[i].events | POLLERR | POLLHUP | POLLNVAL;
            fds[i].revents = (short)mask;
            if (mask)
                count++;
        }
        if (count || timeout == 0) {
            current->state = TASK_RUNNING;
            poll_freewait(pt);
            ret = count;
            break;
        }
        int err = poll_sleep(timeout < 0 ? NULL : &timeout);
        poll_freewait(pt);
        if (err) {
            ret = err;
            goto out;
        }
    }
    for (unsigned i = 0; i < nfds; i++)
        if (copy_to_user(&ufds[i].revents, &fds[i].revents, sizeof fds[i].revents)) {
            ret = -EFAULT;
            break;
        }
out:
    kfree(fds);
    kfree(pt);
    return ret;
}

long sys_poll(struct pollfd_abi *ufds, unsigned nfds, int timeout_ms)
{
    long t = timeout_ms < 0 ? -1 : ((long)timeout_ms * HZ + 999) / 1000;
    return do_poll(ufds, nfds, t);
}

/* select's fd sets: n bits, in longs. */
#define FDS_LONGS(n) (((n) + 31) / 32)

struct timeval_abi { long tv_sec, tv_usec; };

long sys_select(int n, unsigned long *uin, unsigned long *uout, unsigned long *uex, struct timeval_abi *utv)
{
    if (n < 0)
        return -EINVAL;
    if (n > NR_OPEN)
        n = NR_OPEN;
    unsigned long in[FDS_LONGS(NR_OPEN)] = { 0 }, out[FDS_LONGS(NR_OPEN)] = { 0 }, ex[FDS_LONGS(NR_OPEN)] = { 0 };
    unsigned long rin[FDS_LONGS(NR_OPEN)], rout[FDS_LONGS(NR_OPEN)], rex[FDS_LONGS(NR_OPEN)];
    unsigned bytes = FDS_LONGS(n) * 4;
    if ((uin && copy_from_user(in, uin, bytes)) || (uout && copy_from_user(out, uout, bytes)) ||
        (uex && copy_from_user(ex, uex, bytes)))
        return -EFAULT;
    long timeout = -1;
    if (utv) {
        struct timeval_abi tv;
        if (copy_from_user(&tv, utv, sizeof tv))
            return -EFAULT;
        if (tv.tv_sec < 0 || tv.tv_usec < 0)
            return -EINVAL;
        timeout = tv.tv_sec * HZ + (tv.tv_usec * HZ + 999999) / 1000000;
    }
    for (int fd = 0; fd < n; fd++)
        if (((in[fd / 32] | out[fd / 32] | ex[fd / 32]) >> (fd % 32)) & 1)
            if (!fget(fd))
                return -EBADF;
    struct poll_table *pt = kmalloc(sizeof *pt, GFP_KERNEL);
    if (!pt)
        return -ENOMEM;
    long ret;
    for (;;) {
        pt->n = pt->full = 0;
        int count = 0;
        current->state = TASK_INTERRUPTIBLE;
        memset(rin, 0, sizeof rin);
        memset(rout, 0, sizeof rout);
        memset(rex, 0, sizeof rex);
        for (int fd = 0; fd < n; fd++) {
            unsigned long bit = 1UL << (fd % 32);
            int w = fd / 32;
            if (!((in[w] | out[w] | ex[w]) & bit))
                continue;
            unsigned mask = file_poll(fget(fd), count ? NULL : pt);
            if ((in[w] & bit) && (mask & (POLLIN | POLLRDNORM | POLLHUP | POLLERR))) {
                rin[w] |= bit;
                count++;
            }
            if ((out[w] & bit) && (mask & (POLLOUT | POLLWRNORM | POLLERR))) {
                rout[w] |= bit;
                count++;
            }
            if ((ex[w] & bit) && (mask & POLLPRI)) {
                rex[w] |= bit;
                count++;
            }
        }
        if (count || timeout == 0) {
            current->state = TASK_RUNNING;
            poll_freewait(pt);
            ret = count;
            break;
        }
        int err = poll_sleep(timeout < 0 ? NULL : &timeout);
        poll_freewait(pt);
        if (err) {
            ret = err;
            break;
        }
    }
    kfree(pt);
    if (ret < 0)
        return ret;
    if (utv) {                          /* Linux writes back the time left */
        long left = timeout < 0 ? 0 : timeout;
        struct timeval_abi tv = { left / HZ, (left % HZ) * (1000000 / HZ) };
        if (copy_to_user(utv, &tv, sizeof tv))
            return -EFAULT;
    }
    if ((uin && copy_to_user(uin, rin, bytes)) || (uout && copy_to_user(uout, rout, bytes)) ||
        (uex && copy_to_user(uex, rex, bytes)))
        return -EFAULT;
    return ret;
}
