/* The file system calls (Linux 2.4's fs/open.c, read_write.c, stat.c,
 * readdir.c, buffer.c's sync): open, creat, close, read, write, lseek,
 * _llseek, the stat64 family, getdents64, ftruncate, fsync, sync, chdir,
 * getcwd, chmod, fchmod, chown32, fchown32 and statfs64, with Linux/i386's
 * numbers, structures and errors (the host kernel running the same calls
 * is the reference). File descriptors 0-2 of init are the console. */
#include <kernel.h>
#include <console.h>
#include <fs.h>
#include <sched.h>
#include <slab.h>
#include <uaccess.h>

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* ---- open and close ---- */

/* path made absolute (the working directory's path in front of a relative
 * one), in kmalloc'd memory: for /proc/PID/maps. NULL without memory. */
static char *absolute_path(const char *path)
{
    if (path[0] == '/') {
        char *s = kmalloc(strlen(path) + 1, GFP_KERNEL);
        if (s)
            strcpy(s, path);
        return s;
    }
    char *page = (char *)__get_free_page(GFP_KERNEL);
    if (!page)
        return NULL;
    char *s = NULL;
    long n = kernel_getcwd(page, PAGE_SIZE);
    if (n > 0 && (unsigned long)n + strlen(path) + 1 < PAGE_SIZE) {
        if (strcmp(page, "/"))
            strcat(page, "/");
        strcat(page, path);
        s = kmalloc(strlen(page) + 1, GFP_KERNEL);
        if (s)
            strcpy(s, page);
    }
    free_page((unsigned long)page);
    return s;
}

struct file *filp_open(const char *path, unsigned flags, int mode, long *err)
{
    struct inode *inode;
    int acc = flags & O_ACCMODE;
    *err = open_namei(path, flags, mode, &inode);
    if (*err)
        return NULL;
    if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
        *err = -ENOTDIR;
    else if (acc != O_RDONLY && S_ISREG(inode->i_mode) && inode->i_sb && inode->i_sb->s_rdonly)
        *err = -EROFS;
    else if (S_ISDIR(inode->i_mode) && (acc != O_RDONLY || (flags & O_TRUNC)))
        *err = -EISDIR;
    else if (!inode->i_fop)
        *err = -ENXIO;
    if (*err) {
        iput(inode);
        return NULL;
    }
    if ((flags & O_TRUNC) && acc != O_RDONLY && S_ISREG(inode->i_mode) && inode->i_size) {
        down(&inode->i_sem);
        inode->i_size = 0;
        truncate_inode_pages(inode->i_mapping, 0);
        inode->i_op->truncate(inode);
        up(&inode->i_sem);
    }
    struct file *f = get_empty_filp();
    if (!f) {
        iput(inode);
        *err = -ENOMEM;
        return NULL;
    }
    f->f_inode = inode;
    f->f_op = inode->i_fop;
    f->f_flags = flags & ~O_CLOEXEC;
    f->f_path = absolute_path(path);
    if (f->f_op->open && (*err = f->f_op->open(inode, f))) {
        f->f_op = NULL;                 /* not opened: no release */
        fput(f);
        return NULL;
    }
    return f;
}

long sys_open(const char *upath, unsigned flags, int mode)
{
    long err;
    char *path = getname(upath, &err);
    if (!path)
        return err;
    struct file *f = filp_open(path, flags, mode & ~current->umask, &err);
    putname(path);
    if (!f)
        return err;
    int fd = fd_install_from(f, 0, !!(flags & O_CLOEXEC));
    if (fd < 0)
        fput(f);
    return fd;
}

long sys_creat(const char *path, int mode)
{
    return sys_open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

long sys_close(unsigned fd)
{
    return close_fd(fd);
}

/* ---- read, write, seek ---- */

long sys_read(unsigned fd, char *buf, unsigned long count)
{
    struct file *f = fget(fd);
    if (!f || (f->f_flags & O_ACCMODE) == O_WRONLY)
        return -EBADF;
    if (S_ISDIR(f->f_inode->i_mode))
        return -EISDIR;
    if (!f->f_op->read)
        return -EINVAL;
    if (!access_ok(buf, count))
        return -EFAULT;
    return f->f_op->read(f, buf, count, &f->f_pos);
}

long sys_write(unsigned fd, const char *buf, unsigned long count)
{
    struct file *f = fget(fd);
    if (!f || (f->f_flags & O_ACCMODE) == O_RDONLY)
        return -EBADF;
    if (!f->f_op->write)
        return -EINVAL;
    if (!access_ok(buf, count))
        return -EFAULT;
    return f->f_op->write(f, buf, count, &f->f_pos);
}

/* The new offset for lseek, or -errno. */
static long long seek_to(struct file *f, long long offset, unsigned whence)
{
    long long pos;
    switch (whence) {
    case SEEK_SET: pos = offset; break;
    case SEEK_CUR: pos = f->f_pos + offset; break;
    case SEEK_END: pos = (long long)f->f_inode->i_size + offset; break;
    default: return -EINVAL;
    }
    if (pos < 0)
        return -EINVAL;
    if (!S_ISREG(f->f_inode->i_mode) && !S_ISDIR(f->f_inode->i_mode))
        return -ESPIPE;
    f->f_pos = pos;
    return pos;
}

long sys_lseek(unsigned fd, long offset, unsigned whence)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    long long pos = seek_to(f, offset, whence);
    if (pos >= 0 && pos > 0x7FFFFFFFLL)
        return -EOVERFLOW;
    return (long)pos;
}

long sys_llseek(unsigned fd, unsigned long hi, unsigned long lo, long long *result, unsigned whence)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    long long pos = seek_to(f, (long long)((unsigned long long)hi << 32 | lo), whence);
    if (pos < 0)
        return (long)pos;
    return copy_to_user(result, &pos, sizeof pos) ? -EFAULT : 0;
}

long sys_getdents64(unsigned fd, void *buf, unsigned long count)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    if (!S_ISDIR(f->f_inode->i_mode) || !f->f_op->readdir)
        return -ENOTDIR;
    if (!access_ok(buf, count))
        return -EFAULT;
    return f->f_op->readdir(f, buf, count);
}

/* ---- stat ---- */

struct stat64 {
    unsigned long long st_dev;
    unsigned char __pad0[4];
    unsigned long __st_ino;
    unsigned int st_mode;
    unsigned int st_nlink;
    unsigned long st_uid;
    unsigned long st_gid;
    unsigned long long st_rdev;
    unsigned char __pad3[4];
    long long st_size;
    unsigned long st_blksize;
    unsigned long long st_blocks;
    unsigned long st_atime, st_atime_nsec;
    unsigned long st_mtime, st_mtime_nsec;
    unsigned long st_ctime, st_ctime_nsec;
    unsigned long long st_ino;
} __attribute__((packed));

long cp_stat64(struct inode *inode, struct stat64 *ust)
{
    struct stat64 st;
    memset(&st, 0, sizeof st);
    st.st_dev = inode->i_sb ? inode->i_sb->s_dev : 0;
    st.st_rdev = inode->i_rdev;
    st.__st_ino = inode->i_ino;
    st.st_ino = inode->i_ino;
    st.st_mode = inode->i_mode;
    st.st_nlink = inode->i_nlink;
    st.st_uid = inode->i_uid;
    st.st_gid = inode->i_gid;
    st.st_size = inode->i_size;
    st.st_blksize = PAGE_SIZE;
    st.st_blocks = inode->i_blocks;
    st.st_atime = inode->i_atime;
    st.st_mtime = inode->i_mtime;
    st.st_ctime = inode->i_ctime;
    return copy_to_user(ust, &st, sizeof st) ? -EFAULT : 0;
}

long sys_fstat64(unsigned fd, struct stat64 *st)
{
    struct file *f = fget(fd);
    return f ? cp_stat64(f->f_inode, st) : -EBADF;
}

/* ---- attributes, size, sync ---- */

/* Set mode bits and/or owners (-1: unchanged) of inode. */
static long set_attr(struct inode *inode, long mode, long uid, long gid)
{
    if (!inode->i_sb)
        return -EPERM;                  /* the console */
    if (mode >= 0)
        inode->i_mode = (inode->i_mode & S_IFMT) | (mode & S_IALLUGO);
    if ((uid != -1 || gid != -1) && !S_ISDIR(inode->i_mode)) {
        /* a new owner takes no set-id power along (2.4's chown_common) */
        inode->i_mode &= ~S_ISUID;
        if ((inode->i_mode & (S_ISGID | 0010)) == (S_ISGID | 0010))
            inode->i_mode &= ~S_ISGID;
    }
    if (uid != -1)
        inode->i_uid = uid;
    if (gid != -1)
        inode->i_gid = gid;
    inode->i_ctime = current_time();
    mark_inode_dirty(inode);
    return 0;
}

static long attr_path(const char *upath, long mode, long uid, long gid)
{
    struct inode *inode;
    long err = user_path_walk(upath, 1, &inode);
    if (err)
        return err;
    err = set_attr(inode, mode, uid, gid);
    iput(inode);
    return err;
}

long sys_chmod(const char *path, unsigned mode) { return attr_path(path, mode & S_IALLUGO, -1, -1); }
long sys_chown32(const char *path, long uid, long gid) { return attr_path(path, -1, uid, gid); }

long sys_fchmod(unsigned fd, unsigned mode)
{
    struct file *f = fget(fd);
    return f ? set_attr(f->f_inode, mode & S_IALLUGO, -1, -1) : -EBADF;
}

long sys_fchown32(unsigned fd, long uid, long gid)
{
    struct file *f = fget(fd);
    return f ? set_attr(f->f_inode, -1, uid, gid) : -EBADF;
}

long do_truncate(struct inode *inode, unsigned long long length)
{
    if (inode->i_sb && inode->i_sb->s_rdonly)
        return -EROFS;
    down(&inode->i_sem);
    unsigned long long old = inode->i_size;
    inode->i_size = length;
    if (length < old) {
        truncate_inode_pages(inode->i_mapping, length);
        inode->i_op->truncate(inode);
    }
    inode->i_mtime = inode->i_ctime = current_time();
    mark_inode_dirty(inode);
    up(&inode->i_sem);
    return 0;
}

long sys_ftruncate(unsigned fd, unsigned long length)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    if (!S_ISREG(f->f_inode->i_mode) || (f->f_flags & O_ACCMODE) == O_RDONLY)
        return -EINVAL;
    return do_truncate(f->f_inode, length);
}

long sys_fsync(unsigned fd)
{
    struct file *f = fget(fd);
    if (!f)
        return -EBADF;
    return f->f_op->fsync ? f->f_op->fsync(f) : -EINVAL;
}

long sys_sync(void)
{
    sync_all();
    return 0;
}

/* ---- the working directory ---- */

long sys_chdir(const char *upath)
{
    struct inode *inode;
    long err = user_path_walk(upath, 1, &inode);
    if (err)
        return err;
    if (!S_ISDIR(inode->i_mode)) {
        iput(inode);
        return -ENOTDIR;
    }
    iput(current->pwd);
    current->pwd = inode;
    return 0;
}

/* The working directory's absolute path into buf (size bytes): its
 * length with the NUL, or -errno. From the directory up to "/", each name
 * found in its parent (no dentry cache); a mounted file system's root
 * continues at the directory it is mounted on. */
long kernel_getcwd(char *buf, unsigned long size)
{
    char *page = (char *)__get_free_page(GFP_KERNEL);
    if (!page)
        return -ENOMEM;
    char *p = page + PAGE_SIZE;
    *--p = 0;
    struct inode *d = igrab(current->pwd ? current->pwd : root_sb->s_root);
    long err = 0;
    while (d != root_sb->s_root) {
        struct inode *mp = mountpoint_of(d);
        if (mp) {                       /* the root of /proc or /dev: go on from where it is mounted */
            iput(d);
            d = igrab(mp);
            continue;
        }
        long ino = d->i_op->lookup(d, "..", 2);
        struct inode *parent = ino > 0 ? iget(d->i_sb, ino) : NULL;
        char name[NAME_MAX + 1];
        int len = parent && parent->i_op->name_of ? parent->i_op->name_of(parent, d->i_ino, name) : -ENOENT;
        iput(d);
        d = parent;
        if (len < 0 || p - page < len + 1) {
            err = len < 0 ? len : -ENAMETOOLONG;
            break;
        }
        p -= len;
        memcpy(p, name, len);
        *--p = '/';
        if (!d)
            break;
    }
    iput(d);
    if (!err && !p[0])
        *--p = '/';
    unsigned long n = page + PAGE_SIZE - p;
    if (!err)
        err = n > size ? -ERANGE : (memcpy(buf, p, n), (long)n);
    free_page((unsigned long)page);
    return err;
}

long sys_getcwd(char *ubuf, unsigned long size)
{
    char *buf = (char *)__get_free_page(GFP_KERNEL);
    if (!buf)
        return -ENOMEM;
    long n = kernel_getcwd(buf, min(size, PAGE_SIZE));
    if (n == -ERANGE && size >= PAGE_SIZE)
        n = -ENAMETOOLONG;
    if (n > 0 && copy_to_user(ubuf, buf, n))
        n = -EFAULT;
    free_page((unsigned long)buf);
    return n;
}

/* ---- statfs64 ---- */

struct statfs64 {
    u32 f_type, f_bsize;
    u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    u32 f_fsid[2];
    u32 f_namelen, f_frsize, f_flags;
    u32 f_spare[4];
} __attribute__((packed));

static long do_statfs64(struct inode *inode, struct statfs64 *ubuf)
{
    struct kstatfs k;
    memset(&k, 0, sizeof k);
    struct super_block *sb = inode->i_sb;
    long err = sb && sb->s_op->statfs ? sb->s_op->statfs(sb, &k) : -ENOSYS;
    if (err)
        return err;
    struct statfs64 st;
    memset(&st, 0, sizeof st);
    st.f_type = k.f_type;
    st.f_bsize = k.f_bsize;
    st.f_blocks = k.f_blocks;
    st.f_bfree = k.f_bfree;
    st.f_bavail = k.f_bavail;
    st.f_files = k.f_files;
    st.f_ffree = k.f_ffree;
    st.f_namelen = k.f_namelen;
    st.f_frsize = k.f_bsize;
    return copy_to_user(ubuf, &st, sizeof st) ? -EFAULT : 0;
}

long sys_statfs64(const char *upath, unsigned long size, struct statfs64 *ubuf)
{
    if (size != sizeof(struct statfs64))
        return -EINVAL;
    struct inode *inode;
    long err = user_path_walk(upath, 1, &inode);
    if (err)
        return err;
    err = do_statfs64(inode, ubuf);
    iput(inode);
    return err;
}

long sys_fstatfs64(unsigned fd, unsigned long size, struct statfs64 *ubuf)
{
    if (size != sizeof(struct statfs64))
        return -EINVAL;
    struct file *f = fget(fd);
    return f ? do_statfs64(f->f_inode, ubuf) : -EBADF;
}
