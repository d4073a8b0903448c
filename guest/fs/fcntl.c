/* File descriptors and I/O beyond read and write (Linux 2.4's fs/fcntl.c,
 * fs/ioctl.c, fs/read_write.c): dup, dup2, dup3, fcntl64, ioctl, readv,
 * writev, pread64, pwrite64, sendfile64, with Linux/i386's numbers,
 * structures and errors. */
#include <kernel.h>
#include <fs.h>
#include <sched.h>
#include <slab.h>
#include <uaccess.h>

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_SETOWN 8
#define F_GETOWN 9
#define F_GETLK64 12
#define F_SETLK64 13
#define F_SETLKW64 14
#define F_DUPFD_CLOEXEC 1030
#define FD_CLOEXEC 1
#define F_UNLCK 2

#define FIONBIO  0x5421
#define FIONCLEX 0x5450
#define FIOCLEX  0x5451

long sys_dup(unsigned fd)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    int nfd = fd_install_from(f, 0, 0);
    if (nfd >= 0)
        f->f_count++;
    return nfd;
}

static long do_dup3(unsigned oldfd, unsigned newfd, int cloexec)
{
    struct file *f = fget(oldfd);
    if (!f)
        return -EBADF;
    if (newfd >= task_nofile())
        return -EBADF;
    struct files_struct *files = current->files;
    if (files->fd[newfd] == f && oldfd == newfd)
        return newfd;
    f->f_count++;
    struct file *old = files->fd[newfd];
    files->fd[newfd] = f;
    set_close_on_exec(newfd, cloexec);
    if (old)
        fput(old);
    return newfd;
}

long sys_dup2(unsigned oldfd, unsigned newfd)
{
    if (oldfd == newfd)
        return fget(oldfd) ? (long)newfd : -EBADF;
    return do_dup3(oldfd, newfd, 0);
}

long sys_dup3(unsigned oldfd, unsigned newfd, unsigned flags)
{
    if ((flags & ~O_CLOEXEC) || oldfd == newfd)
        return -EINVAL;
    return do_dup3(oldfd, newfd, !!(flags & O_CLOEXEC));
}

/* struct flock64 (i386): l_type, l_whence, l_start, l_len, l_pid. */
struct flock64_abi {
    short l_type, l_whence;
    long long l_start, l_len;
    int l_pid;
} __attribute__((packed));

struct flock_abi {
    short l_type, l_whence;
    long l_start, l_len;
    int l_pid;
};

long sys_fcntl64(unsigned fd, unsigned cmd, unsigned long arg)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        if (arg >= task_nofile())
            return -EINVAL;
        int nfd = fd_install_from(f, (int)arg, cmd == F_DUPFD_CLOEXEC);
        if (nfd >= 0)
            f->f_count++;
        return nfd;
    }
    case F_GETFD:
        return get_close_on_exec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
        set_close_on_exec(fd, arg & FD_CLOEXEC);
        return 0;
    case F_GETFL:
        return f->f_flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
    case F_SETFL:
        f->f_flags = (f->f_flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
        return 0;
    case F_GETLK:
    case F_GETLK64: {
        /* one process at a time holds nothing against the caller: no lock is in the way */
        if (cmd == F_GETLK64) {
            struct flock64_abi l;
            if (copy_from_user(&l, (void *)arg, sizeof l))
                return -EFAULT;
            l.l_type = F_UNLCK;
            return copy_to_user((void *)arg, &l, sizeof l) ? -EFAULT : 0;
        }
        struct flock_abi l;
        if (copy_from_user(&l, (void *)arg, sizeof l))
            return -EFAULT;
        l.l_type = F_UNLCK;
        return copy_to_user((void *)arg, &l, sizeof l) ? -EFAULT : 0;
    }
    case F_SETLK:
    case F_SETLKW:
    case F_SETLK64:
    case F_SETLKW64:
        return 0;                       /* advisory locks: granted (no other holder is modelled) */
    case F_GETOWN:
        return 0;
    case F_SETOWN:
        return 0;
    default:
        return -EINVAL;
    }
}

long sys_fcntl(unsigned fd, unsigned cmd, unsigned long arg)
{
    return sys_fcntl64(fd, cmd, arg);
}

long sys_ioctl(unsigned fd, unsigned cmd, unsigned long arg)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    switch (cmd) {
    case FIOCLEX:
        set_close_on_exec(fd, 1);
        return 0;
    case FIONCLEX:
        set_close_on_exec(fd, 0);
        return 0;
    case FIONBIO: {
        unsigned long on;
        if (get_user_u32(&on, (void *)arg))
            return -EFAULT;
        if (on)
            f->f_flags |= O_NONBLOCK;
        else
            f->f_flags &= ~O_NONBLOCK;
        return 0;
    }
    }
    if (f->f_op && f->f_op->ioctl)
        return f->f_op->ioctl(f, cmd, arg);
    return -ENOTTY;
}

struct iovec_abi { unsigned long base, len; };

#define UIO_MAXIOV 1024

/* readv / writev: one call per segment, stopping at a short one. */
static long do_rw_vec(unsigned fd, const struct iovec_abi *uvec, unsigned long n, int write, long long *pos)
{
    if (n > UIO_MAXIOV)
        return -EINVAL;
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    unsigned acc = f->f_flags & O_ACCMODE;
    if (write ? acc == O_RDONLY : acc == O_WRONLY)
        return -EBADF;
    if (write ? !f->f_op->write : !f->f_op->read)
        return -EINVAL;
    if (!write && S_ISDIR(f->f_inode->i_mode))
        return -EISDIR;
    struct iovec_abi *v = kmalloc(n ? n * sizeof *v : 1, GFP_KERNEL);
    if (!v)
        return -ENOMEM;
    long total = 0;
    if (copy_from_user(v, uvec, n * sizeof *v)) {
        kfree(v);
        return -EFAULT;
    }
    unsigned long sum = 0;
    for (unsigned long i = 0; i < n; i++) {
        if ((long)v[i].len < 0 || sum + v[i].len < sum || (long)(sum + v[i].len) < 0) {
            kfree(v);
            return -EINVAL;
        }
        sum += v[i].len;
    }
    long long *p = pos ? pos : &f->f_pos;
    for (unsigned long i = 0; i < n; i++) {
        if (!v[i].len)
            continue;
        if (!access_ok((void *)v[i].base, v[i].len)) {
            if (!total)
                total = -EFAULT;
            break;
        }
        long r = write ? f->f_op->write(f, (const char *)v[i].base, v[i].len, p)
                       : f->f_op->read(f, (char *)v[i].base, v[i].len, p);
        if (r < 0) {
            if (!total)
                total = r;
            break;
        }
        total += r;
        if ((unsigned long)r < v[i].len)
            break;
    }
    kfree(v);
    return total;
}

long sys_readv(unsigned fd, const struct iovec_abi *vec, unsigned long n) { return do_rw_vec(fd, vec, n, 0, NULL); }
long sys_writev(unsigned fd, const struct iovec_abi *vec, unsigned long n) { return do_rw_vec(fd, vec, n, 1, NULL); }

/* pread64 / pwrite64: at an offset, leaving the file position alone. */
static long do_prw(unsigned fd, char *buf, unsigned long count, unsigned long lo, unsigned long hi, int write)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    long long pos = (long long)((unsigned long long)hi << 32 | lo);
    if (pos < 0)
        return -EINVAL;
    if (!S_ISREG(f->f_inode->i_mode))
        return -ESPIPE;
    unsigned acc = f->f_flags & O_ACCMODE;
    if (write ? acc == O_RDONLY : acc == O_WRONLY)
        return -EBADF;
    if (!access_ok(buf, count))
        return -EFAULT;
    if (write) {
        /* O_APPEND writes at the end whatever the offset, as Linux does */
        return f->f_op->write(f, buf, count, &pos);
    }
    return f->f_op->read(f, buf, count, &pos);
}

long sys_pread64(unsigned fd, char *buf, unsigned long count, unsigned long lo, unsigned long hi)
{
    return do_prw(fd, buf, count, lo, hi, 0);
}

long sys_pwrite64(unsigned fd, const char *buf, unsigned long count, unsigned long lo, unsigned long hi)
{
    return do_prw(fd, (char *)buf, count, lo, hi, 1);
}

/* sendfile64(out, in, offset, count): through a kernel page. */
long sys_sendfile64(unsigned out_fd, unsigned in_fd, long long *uoff, unsigned long count)
{
    struct file *in = fget(in_fd), *out = fget(out_fd);
    if (!in || !out)
        return -EBADF;
    if ((in->f_flags & O_ACCMODE) == O_WRONLY || (out->f_flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (!in->f_op->read || !out->f_op->write)
        return -EINVAL;
    long long off, *pos = &in->f_pos;
    if (uoff) {
        if (copy_from_user(&off, uoff, sizeof off))
            return -EFAULT;
        if (off < 0)
            return -EINVAL;
        pos = &off;
    }
    /* the data passes through a kernel page, the file operations' user
     * copies allowed to reach it (set_fs(KERNEL_DS)) */
    char *page = (char *)__get_free_page(GFP_KERNEL);
    if (!page)
        return -ENOMEM;
    long done = 0;
    while ((unsigned long)done < count) {
        unsigned long n = min(count - (unsigned long)done, PAGE_SIZE);
        long r = kernel_file_read(in, page, n, pos);
        if (r <= 0) {
            if (r < 0 && !done)
                done = r;
            break;
        }
        long w = kernel_file_write(out, page, (unsigned long)r);
        if (w < 0) {
            if (!done)
                done = w;
            break;
        }
        done += w;
        if (w < r) {
            *pos -= r - w;
            break;
        }
        if ((unsigned long)r < n)
            break;
    }
    free_page((unsigned long)page);
    if (uoff && copy_to_user(uoff, &off, sizeof off))
        return -EFAULT;
    return done;
}

long kernel_file_read(struct file *file, char *buf, unsigned long count, long long *pos)
{
    int old = current->kernel_ds;
    current->kernel_ds = 1;
    long r = file->f_op->read(file, buf, count, pos);
    current->kernel_ds = old;
    return r;
}

long kernel_file_write(struct file *file, const char *buf, unsigned long count)
{
    int old = current->kernel_ds;
    current->kernel_ds = 1;
    long r = file->f_op->write(file, buf, count, &file->f_pos);
    current->kernel_ds = old;
    return r;
}
