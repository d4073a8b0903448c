/* Pipes (Linux 2.4's fs/pipe.c): a one-page ring buffer shared by a read
 * file and a write file. A reader sleeps while the pipe is empty and a
 * writer exists, a writer while it is full and a reader exists; writes of
 * at most PIPE_BUF bytes are atomic. Writing with no reader left raises
 * SIGPIPE and fails with EPIPE; reading with no writer left gives 0. */
#include <kernel.h>
#include <fs.h>
#include <mm.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <slab.h>
#include <uaccess.h>

#define PIPE_BUF PAGE_SIZE

struct pipe {
    char *buf;                      /* one page */
    unsigned start, len;            /* data: len bytes from start (mod PAGE_SIZE) */
    int readers, writers;           /* open read / write files */
    wait_queue_head_t wait;         /* readers and writers both sleep here */
    struct inode inode;             /* what fstat sees: a FIFO */
};

static long pipe_read(struct file *file, char *ubuf, unsigned long count, long long *pos)
{
    struct pipe *p = file->private_data;
    if (!count)
        return 0;
    for (;;) {
        cli();
        if (p->len) {
            unsigned long done = 0;
            while (done < count && p->len) {
                unsigned long n = min(min(count - done, (unsigned long)p->len), PAGE_SIZE - p->start);
                sti();
                if (copy_to_user(ubuf + done, p->buf + p->start, n)) {
                    wake_up(&p->wait);
                    return done ? (long)done : -EFAULT;
                }
                cli();
                p->start = (p->start + n) % PAGE_SIZE;
                p->len -= n;
                done += n;
            }
            sti();
            wake_up(&p->wait);
            return (long)done;
        }
        if (!p->writers) {
            sti();
            return 0;
        }
        if (file->f_flags & O_NONBLOCK) {
            sti();
            return -EAGAIN;
        }
        if (signal_pending(current)) {
            sti();
            return -ERESTARTSYS;
        }
        wait_queue_t w = { .task = current };
        add_wait_queue(&p->wait, &w);
        current->state = TASK_INTERRUPTIBLE;
        if (!p->len && p->writers)
            schedule();
        current->state = TASK_RUNNING;
        remove_wait_queue(&p->wait, &w);
        sti();
    }
}

static long pipe_write(struct file *file, const char *ubuf, unsigned long count, long long *pos)
{
    struct pipe *p = file->private_data;
    unsigned long done = 0;
    while (done < count) {
        cli();
        if (!p->readers) {
            sti();
            send_sig(SIGPIPE, current, 1);
            return done ? (long)done : -EPIPE;
        }
        unsigned long room = PAGE_SIZE - p->len, left = count - done;
        /* up to PIPE_BUF bytes go in at once or not at all */
        if (room && (left > PIPE_BUF || room >= left)) {
            while (done < count && p->len < PAGE_SIZE) {
                unsigned end = (p->start + p->len) % PAGE_SIZE;
                unsigned long n = min(count - done, min(PAGE_SIZE - p->len, PAGE_SIZE - end));
                sti();
                if (copy_from_user(p->buf + end, ubuf + done, n)) {
                    wake_up(&p->wait);
                    return done ? (long)done : -EFAULT;
                }
                cli();
                p->len += n;
                done += n;
            }
            sti();
            wake_up(&p->wait);
            continue;
        }
        if (file->f_flags & O_NONBLOCK) {
            sti();
            return done ? (long)done : -EAGAIN;
        }
        if (signal_pending(current)) {
            sti();
            return done ? (long)done : -ERESTARTSYS;
        }
        wait_queue_t w = { .task = current };
        add_wait_queue(&p->wait, &w);
        current->state = TASK_INTERRUPTIBLE;
        if (p->readers && PAGE_SIZE - p->len < min(count - done, (unsigned long)PIPE_BUF))
            schedule();
        current->state = TASK_RUNNING;
        remove_wait_queue(&p->wait, &w);
        sti();
    }
    return (long)done;
}

static unsigned pipe_poll(struct file *file, struct poll_table *pt)
{
    struct pipe *p = file->private_data;
    poll_wait(file, &p->wait, pt);
    unsigned mask = 0;
    if ((file->f_flags & O_ACCMODE) == O_RDONLY) {
        if (p->len)
            mask |= POLLIN | POLLRDNORM;
        if (!p->writers)
            mask |= POLLHUP;
    } else {
        if (p->len < PAGE_SIZE)
            mask |= POLLOUT | POLLWRNORM;
        if (!p->readers)
            mask |= POLLERR;
    }
    return mask;
}

static long pipe_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
    struct pipe *p = file->private_data;
    if (cmd == 0x541B)                  /* FIONREAD */
        return put_user_u32(p->len, (void *)arg);
    return -ENOTTY;
}

static void pipe_release(struct inode *inode, struct file *file)
{
    struct pipe *p = file->private_data;
    if ((file->f_flags & O_ACCMODE) == O_RDONLY)
        p->readers--;
    else
        p->writers--;
    wake_up(&p->wait);
    if (!p->readers && !p->writers) {
        free_page((unsigned long)p->buf);
        file->f_inode = NULL;           /* the inode goes with the pipe: fput's iput skips it */
        kfree(p);
    }
}

static struct file_operations pipe_fops = {
    .read = pipe_read,
    .write = pipe_write,
    .poll = pipe_poll,
    .ioctl = pipe_ioctl,
    .release = pipe_release,
};

static struct super_operations pipe_sops;
static struct super_block pipe_sb = { .s_op = &pipe_sops, .s_nodev = 1 };

long do_pipe(int *ufds, unsigned flags)
{
    if (flags & ~(O_CLOEXEC | O_NONBLOCK))
        return -EINVAL;
    struct pipe *p = kmalloc(sizeof *p, GFP_KERNEL);
    char *buf = (char *)__get_free_page(GFP_KERNEL);
    struct file *r = get_empty_filp(), *w = get_empty_filp();
    long err = -ENOMEM;
    if (!p || !buf || !r || !w)
        goto fail;
    memset(p, 0, sizeof *p);
    p->buf = buf;
    p->readers = p->writers = 1;
    init_waitqueue_head(&p->wait);
    p->inode.i_mode = S_IFIFO | 0600;
    p->inode.i_nlink = 1;
    p->inode.i_count = 2;               /* one per file */
    p->inode.i_state = I_STATIC;        /* freed with the pipe */
    p->inode.i_sb = &pipe_sb;
    p->inode.i_ino = 0;
    p->inode.i_mapping = &p->inode.i_data;
    p->inode.i_atime = p->inode.i_mtime = p->inode.i_ctime = current_time();
    r->f_inode = w->f_inode = &p->inode;
    r->f_op = w->f_op = &pipe_fops;
    r->private_data = w->private_data = p;
    r->f_flags = O_RDONLY | (flags & O_NONBLOCK);
    w->f_flags = O_WRONLY | (flags & O_NONBLOCK);
    int fd0 = fd_install_from(r, 0, !!(flags & O_CLOEXEC));
    if (fd0 < 0) {
        err = fd0;
        goto fail;
    }
    int fd1 = fd_install_from(w, 0, !!(flags & O_CLOEXEC));
    if (fd1 < 0) {
        current->files->fd[fd0] = NULL;
        err = fd1;
        goto fail;
    }
    int fds[2] = { fd0, fd1 };
    if (copy_to_user(ufds, fds, sizeof fds)) {
        close_fd(fd0);
        close_fd(fd1);
        return -EFAULT;
    }
    return 0;
fail:
    if (r) {
        r->f_inode = NULL;
        r->f_op = NULL;
        fput(r);
    }
    if (w) {
        w->f_inode = NULL;
        w->f_op = NULL;
        fput(w);
    }
    if (buf)
        free_page((unsigned long)buf);
    kfree(p);
    return err;
}

long sys_pipe(int *ufds) { return do_pipe(ufds, 0); }
long sys_pipe2(int *ufds, unsigned flags) { return do_pipe(ufds, flags); }
