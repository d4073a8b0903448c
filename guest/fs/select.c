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

/* The wait round poll and select share: SCAN(CTX, pt) polls every file
 * (registering on their queues through PT while nothing is ready) and
 * counts the ready ones; until one is, sleep (poll_sleep) and scan again.
 * The count, 0 when *TIMEOUT ran out (< 0: forever), or -ERESTARTNOHAND. */
static long poll_rounds(struct poll_table *pt, int (*scan)(void *ctx, struct poll_table *pt), void *ctx,
                        long *timeout)
{
    for (;;) {
        pt->n = pt->full = 0;
        current->state = TASK_INTERRUPTIBLE;
        int count = scan(ctx, pt);
        if (count || *timeout == 0) {
            current->state = TASK_RUNNING;
            poll_freewait(pt);
            return count;
        }
        int err = poll_sleep(*timeout < 0 ? NULL : timeout);
        poll_freewait(pt);
        if (err)
            return err;
    }
}

struct pollfd_abi { int fd; short events, revents; };

struct poll_scan { struct pollfd_abi *fds; unsigned nfds; };

static int poll_scan(void *ctx, struct poll_table *pt)
{
    struct poll_scan *ps = ctx;
    int count = 0;
    for (unsigned i = 0; i < ps->nfds; i++) {
        struct pollfd_abi *p = &ps->fds[i];
        p->revents = 0;
        if (p->fd < 0)
            continue;
        struct file *f = fget((unsigned)p->fd);
        unsigned mask = f ? file_poll(f, count ? NULL : pt) : POLLNVAL;
        mask &= (unsigned)p->events | POLLERR | POLLHUP | POLLNVAL;
        p->revents = (short)mask;
        if (mask)
            count++;
    }
    return count;
}

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
    struct poll_scan ps = { fds, nfds };
    ret = poll_rounds(pt, poll_scan, &ps, &timeout);
    if (ret < 0)
        goto out;
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

/* select's sets: the ones asked about and the ones it answers, each
 * FDS_LONGS(NR_OPEN) longs. */
struct select_scan {
    int n;
    const unsigned long *in, *out, *ex;
    unsigned long *rin, *rout, *rex;
};

static int select_scan(void *ctx, struct poll_table *pt)
{
    struct select_scan *ss = ctx;
    int count = 0;
    memset(ss->rin, 0, FDS_LONGS(NR_OPEN) * sizeof *ss->rin);
    memset(ss->rout, 0, FDS_LONGS(NR_OPEN) * sizeof *ss->rout);
    memset(ss->rex, 0, FDS_LONGS(NR_OPEN) * sizeof *ss->rex);
    for (int fd = 0; fd < ss->n; fd++) {
        unsigned long bit = 1UL << (fd % 32);
        int w = fd / 32;
        if (!((ss->in[w] | ss->out[w] | ss->ex[w]) & bit))
            continue;
        unsigned mask = file_poll(fget(fd), count ? NULL : pt);
        if ((ss->in[w] & bit) && (mask & (POLLIN | POLLRDNORM | POLLHUP | POLLERR))) {
            ss->rin[w] |= bit;
            count++;
        }
        if ((ss->out[w] & bit) && (mask & (POLLOUT | POLLWRNORM | POLLERR))) {
            ss->rout[w] |= bit;
            count++;
        }
        if ((ss->ex[w] & bit) && (mask & POLLPRI)) {
            ss->rex[w] |= bit;
            count++;
        }
    }
    return count;
}

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
    struct select_scan ss = { n, in, out, ex, rin, rout, rex };
    long ret = poll_rounds(pt, select_scan, &ss, &timeout);
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
