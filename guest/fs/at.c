/* The *at system calls and the rest of the file-name calls glibc and
 * busybox make (Linux's fs/namei.c, fs/open.c, fs/stat.c, fs/utimes.c):
 * openat, fstatat64, statx, faccessat, access, unlinkat, renameat,
 * mkdirat, readlinkat, symlinkat, linkat, fchmodat, fchownat, utimensat,
 * utime, utimes, fchdir, umask, truncate64, ftruncate64, fstatfs64,
 * fdatasync, lchown32.
 *
 * A relative path of an *at call is looked up from the directory dirfd
 * names: the call runs with that directory as the task's working one for
 * its duration (lookups are the only users of the working directory, and
 * no other task can see it). */
#include <kernel.h>
#include <fs.h>
#include <sched.h>
#include <uaccess.h>

struct stat64;

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_SYMLINK_FOLLOW 0x400
#define AT_EACCESS 0x200
#define AT_EMPTY_PATH 0x1000

/* Switch the working directory to dirfd's for a call on upath (when the
 * path is relative): 0 with *saved holding the old one, or -errno. */
static long at_enter(int dirfd, const char *upath, struct inode **saved, int *swapped)
{
    *swapped = 0;
    if (dirfd == AT_FDCWD)
        return 0;
    long c = access_ok(upath, 1) ? __get_user_byte(upath) : -1;
    if (c == '/')
        return 0;
    if (c < 0)
        return -EFAULT;
    struct file *f = fget((unsigned)dirfd);
    if (!f)
        return -EBADF;
    if (c == 0)
        return 0;                       /* "": the caller decides (AT_EMPTY_PATH or ENOENT) */
    if (!S_ISDIR(f->f_inode->i_mode))
        return -ENOTDIR;
    *saved = current->pwd;
    current->pwd = igrab(f->f_inode);
    *swapped = 1;
    return 0;
}

static void at_leave(struct inode *saved, int swapped)
{
    if (!swapped)
        return;
    iput(current->pwd);
    current->pwd = saved;
}

#define AT_CALL(dirfd, upath, call) ({                                  \
        struct inode *__saved = NULL;                                   \
        int __sw;                                                       \
        long __r = at_enter(dirfd, upath, &__saved, &__sw);             \
        if (!__r) {                                                     \
            __r = (call);                                               \
            at_leave(__saved, __sw);                                    \
        }                                                               \
        __r; })

long sys_open(const char *upath, unsigned flags, int mode);
long sys_mkdir(const char *path, int mode);
long sys_rmdir(const char *path);
long sys_unlink(const char *path);
long sys_symlink(const char *target, const char *path);
long sys_link(const char *old, const char *new);
long sys_readlink(const char *path, char *buf, int size);
long sys_rename(const char *old, const char *new);
long sys_chmod(const char *path, unsigned mode);
long sys_chown32(const char *path, long uid, long gid);
long cp_stat64(struct inode *inode, struct stat64 *ust);

long sys_openat(int dirfd, const char *path, unsigned flags, int mode)
{
    return AT_CALL(dirfd, path, sys_open(path, flags, mode));
}

long sys_mkdirat(int dirfd, const char *path, int mode)
{
    return AT_CALL(dirfd, path, sys_mkdir(path, mode));
}

long sys_unlinkat(int dirfd, const char *path, int flags)
{
    if (flags & ~AT_REMOVEDIR)
        return -EINVAL;
    return AT_CALL(dirfd, path, (flags & AT_REMOVEDIR) ? sys_rmdir(path) : sys_unlink(path));
}

long sys_symlinkat(const char *target, int dirfd, const char *path)
{
    return AT_CALL(dirfd, path, sys_symlink(target, path));
}

long sys_readlinkat(int dirfd, const char *path, char *buf, int size)
{
    return AT_CALL(dirfd, path, sys_readlink(path, buf, size));
}

long sys_fchmodat(int dirfd, const char *path, unsigned mode)
{
    return AT_CALL(dirfd, path, sys_chmod(path, mode));
}

/* linkat and renameat with two directories: both must be the working one
 * or absolute, unless one of them is AT_FDCWD. */
long sys_linkat(int olddir, const char *old, int newdir, const char *new, int flags)
{
    if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    if (olddir != AT_FDCWD && newdir != AT_FDCWD && olddir != newdir)
        return -EXDEV;                  /* not modelled: two directories at once */
    return AT_CALL(olddir != AT_FDCWD ? olddir : newdir, olddir != AT_FDCWD ? old : new, sys_link(old, new));
}

long sys_renameat(int olddir, const char *old, int newdir, const char *new)
{
    if (olddir != AT_FDCWD && newdir != AT_FDCWD && olddir != newdir)
        return -EXDEV;
    return AT_CALL(olddir != AT_FDCWD ? olddir : newdir, olddir != AT_FDCWD ? old : new, sys_rename(old, new));
}

long sys_fchownat(int dirfd, const char *path, long uid, long gid, int flags)
{
    return AT_CALL(dirfd, path, sys_chown32(path, uid, gid));
}

long sys_lchown32(const char *path, long uid, long gid)
{
    return sys_chown32(path, uid, gid);
}

/* Fill the user's buffer from INODE (cp_stat64, cp_statx). */
typedef long (*stat_fill)(struct inode *inode, void *ust);

static long fill_path(const char *upath, int follow, stat_fill fill, void *ust)
{
    struct inode *inode;
    long err = user_path_walk(upath, follow, &inode);
    if (err)
        return err;
    err = fill(inode, ust);
    iput(inode);
    return err;
}

/* What fstatat64 and statx describe: with AT_EMPTY_PATH and an empty PATH
 * DIRFD itself (the working directory for AT_FDCWD), else PATH from DIRFD. */
static long at_stat(int dirfd, const char *path, int flags, stat_fill fill, void *ust)
{
    long c = access_ok(path, 1) ? __get_user_byte(path) : -1;
    if (c < 0)
        return -EFAULT;
    if (c == 0) {
        if (!(flags & AT_EMPTY_PATH))
            return -ENOENT;
        if (dirfd == AT_FDCWD)
            return fill(current->pwd ? current->pwd : root_sb->s_root, ust);
        struct file *f = fget((unsigned)dirfd);
        return f ? fill(f->f_inode, ust) : -EBADF;
    }
    return AT_CALL(dirfd, path, fill_path(path, !(flags & AT_SYMLINK_NOFOLLOW), fill, ust));
}

static long fill_stat64(struct inode *inode, void *ust) { return cp_stat64(inode, ust); }

long sys_fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800))
        return -EINVAL;
    return at_stat(dirfd, path, flags, fill_stat64, st);
}

long sys_stat64(const char *path, struct stat64 *st) { return sys_fstatat64(AT_FDCWD, path, st, 0); }
long sys_lstat64(const char *path, struct stat64 *st) { return sys_fstatat64(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW); }

/* ---- statx ---- */

struct statx_timestamp { long long tv_sec; unsigned tv_nsec; int reserved; };

struct statx_abi {
    unsigned stx_mask, stx_blksize;
    unsigned long long stx_attributes;
    unsigned stx_nlink, stx_uid, stx_gid;
    unsigned short stx_mode, spare0;
    unsigned long long stx_ino, stx_size, stx_blocks, stx_attributes_mask;
    struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
    unsigned stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
    unsigned long long spare[14];
};

#define STATX_BASIC_STATS 0x7ff

static long cp_statx(struct inode *inode, void *ust)
{
    struct statx_abi s;
    memset(&s, 0, sizeof s);
    s.stx_mask = STATX_BASIC_STATS;
    s.stx_blksize = PAGE_SIZE;
    s.stx_nlink = inode->i_nlink;
    s.stx_uid = inode->i_uid;
    s.stx_gid = inode->i_gid;
    s.stx_mode = inode->i_mode;
    s.stx_ino = inode->i_ino;
    s.stx_size = inode->i_size;
    s.stx_blocks = inode->i_blocks;
    s.stx_atime.tv_sec = inode->i_atime;
    s.stx_ctime.tv_sec = inode->i_ctime;
    s.stx_mtime.tv_sec = inode->i_mtime;
    s.stx_rdev_major = (inode->i_rdev >> 8) & 0xfff;
    s.stx_rdev_minor = inode->i_rdev & 0xff;
    unsigned long dev = inode->i_sb ? inode->i_sb->s_dev : 0;
    s.stx_dev_major = (dev >> 8) & 0xfff;
    s.stx_dev_minor = dev & 0xff;
    return copy_to_user(ust, &s, sizeof s) ? -EFAULT : 0;
}

long sys_statx(int dirfd, const char *path, int flags, unsigned mask, struct statx_abi *ust)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | 0x6000))
        return -EINVAL;
    return at_stat(dirfd, path, flags, cp_statx, ust);
}

/* ---- access ---- */

#define X_OK 1
#define W_OK 2

static long access_path(const char *upath, int mode, int follow)
{
    if (mode & ~7)
        return -EINVAL;
    struct inode *inode;
    long err = user_path_walk(upath, follow, &inode);
    if (err)
        return err;
    /* every process is root: reading and writing are allowed; executing
     * needs an x bit somewhere, or a directory */
    if ((mode & X_OK) && !S_ISDIR(inode->i_mode) && !(inode->i_mode & 0111))
        err = -EACCES;
    else if ((mode & W_OK) && inode->i_sb && inode->i_sb->s_rdonly)
        err = -EROFS;
    iput(inode);
    return err;
}

long sys_access(const char *path, int mode)
{
    return access_path(path, mode, 1);
}

long sys_faccessat(int dirfd, const char *path, int mode)
{
    return AT_CALL(dirfd, path, access_path(path, mode, 1));
}

long sys_faccessat2(int dirfd, const char *path, int mode, int flags)
{
    if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    return AT_CALL(dirfd, path, access_path(path, mode, !(flags & AT_SYMLINK_NOFOLLOW)));
}

/* ---- times ---- */

#define UTIME_NOW  ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)

/* Set inode's access and modification times (-1: now, -2: unchanged). */
static long set_times(struct inode *inode, long atime, long mtime)
{
    if (!inode->i_sb || (inode->i_sb->s_rdonly))
        return inode->i_sb ? -EROFS : -EPERM;
    unsigned long now = current_time();
    if (atime != -2)
        inode->i_atime = atime == -1 ? now : (unsigned long)atime;
    if (mtime != -2)
        inode->i_mtime = mtime == -1 ? now : (unsigned long)mtime;
    inode->i_ctime = now;
    mark_inode_dirty(inode);
    return 0;
}

static long times_path(const char *upath, int follow, long atime, long mtime)
{
    struct inode *inode;
    long err = user_path_walk(upath, follow, &inode);
    if (err)
        return err;
    err = set_times(inode, atime, mtime);
    iput(inode);
    return err;
}

struct timespec32 { long tv_sec, tv_nsec; };

static long ts_value(const struct timespec32 *t)
{
    if (t->tv_nsec == UTIME_NOW)
        return -1;
    if (t->tv_nsec == UTIME_OMIT)
        return -2;
    return t->tv_sec;
}

long sys_utimensat(int dirfd, const char *path, const struct timespec32 *utimes, int flags)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
        return -EINVAL;
    long a = -1, m = -1;
    if (utimes) {
        struct timespec32 t[2];
        if (copy_from_user(t, utimes, sizeof t))
            return -EFAULT;
        for (int i = 0; i < 2; i++)
            if ((t[i].tv_nsec < 0 || t[i].tv_nsec >= 1000000000L) && t[i].tv_nsec != UTIME_NOW &&
                t[i].tv_nsec != UTIME_OMIT)
                return -EINVAL;
        a = ts_value(&t[0]);
        m = ts_value(&t[1]);
    }
    if (!path) {                        /* futimens: the fd itself */
        struct file *f = fget((unsigned)dirfd);
        return f ? set_times(f->f_inode, a, m) : -EBADF;
    }
    return AT_CALL(dirfd, path, times_path(path, !(flags & AT_SYMLINK_NOFOLLOW), a, m));
}

struct utimbuf_abi { long actime, modtime; };

long sys_utime(const char *path, const struct utimbuf_abi *ubuf)
{
    if (!ubuf)
        return times_path(path, 1, -1, -1);
    struct utimbuf_abi b;
    if (copy_from_user(&b, ubuf, sizeof b))
        return -EFAULT;
    return times_path(path, 1, b.actime, b.modtime);
}

struct timeval32 { long tv_sec, tv_usec; };

long sys_utimes(const char *path, const struct timeval32 *utv)
{
    if (!utv)
        return times_path(path, 1, -1, -1);
    struct timeval32 t[2];
    if (copy_from_user(t, utv, sizeof t))
        return -EFAULT;
    return times_path(path, 1, t[0].tv_sec, t[1].tv_sec);
}

/* ---- the rest ---- */

long sys_fchdir(unsigned fd)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    if (!S_ISDIR(f->f_inode->i_mode))
        return -ENOTDIR;
    iput(current->pwd);
    current->pwd = igrab(f->f_inode);
    return 0;
}

long sys_umask(unsigned mask)
{
    unsigned old = current->umask;
    current->umask = mask & 0777;
    return old;
}

long sys_ftruncate(unsigned fd, unsigned long length);
long do_truncate(struct inode *inode, unsigned long long length);

long sys_ftruncate64(unsigned fd, unsigned long lo, unsigned long hi)
{
    unsigned long long len = (unsigned long long)hi << 32 | lo;
    if ((long long)len < 0)
        return -EINVAL;
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    if (!S_ISREG(f->f_inode->i_mode) || (f->f_flags & O_ACCMODE) == O_RDONLY)
        return -EINVAL;
    return do_truncate(f->f_inode, len);
}

static long truncate_path(const char *upath, unsigned long long len)
{
    if ((long long)len < 0)
        return -EINVAL;
    struct inode *inode;
    long err = user_path_walk(upath, 1, &inode);
    if (err)
        return err;
    err = S_ISDIR(inode->i_mode) ? -EISDIR : !S_ISREG(inode->i_mode) ? -EINVAL : do_truncate(inode, len);
    iput(inode);
    return err;
}

long sys_truncate(const char *path, unsigned long len) { return truncate_path(path, len); }
long sys_truncate64(const char *path, unsigned long lo, unsigned long hi)
{
    return truncate_path(path, (unsigned long long)hi << 32 | lo);
}

long sys_fdatasync(unsigned fd)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    return f->f_op->fsync ? f->f_op->fsync(f) : -EINVAL;
}
