/* /dev (Linux 2.4's devfs, reduced to a fixed table): the character
 * devices a shell and glibc expect, mounted on /dev at boot so that the
 * disk image needs no device nodes (and no root to make them).
 *   console, ttyS0  the terminal on COM1 (drivers/tty.c)
 *   tty             the caller's controlling terminal (ENXIO without one)
 *   null, zero, full, random, urandom   drivers/mem.c's */
#include <kernel.h>
#include <fs.h>
#include <sched.h>
#include <tty.h>
#include <uaccess.h>

extern struct file_operations tty_fops, null_fops, zero_fops, full_fops, random_fops;

static int devtty_open(struct inode *inode, struct file *file)
{
    return current->tty ? tty_fops.open(inode, file) : -ENXIO;
}

static struct file_operations devtty_fops;

static const struct devfs_entry {
    const char *name;
    unsigned short mode, rdev;
    struct file_operations *fops;
} entries[] = {
    { "console", S_IFCHR | 0600, (5 << 8) | 1, &tty_fops },
    { "full", S_IFCHR | 0666, (1 << 8) | 7, &full_fops },
    { "null", S_IFCHR | 0666, (1 << 8) | 3, &null_fops },
    { "random", S_IFCHR | 0666, (1 << 8) | 8, &random_fops },
    { "tty", S_IFCHR | 0666, (5 << 8) | 0, &devtty_fops },
    { "ttyS0", S_IFCHR | 0660, (4 << 8) | 64, &tty_fops },
    { "urandom", S_IFCHR | 0666, (1 << 8) | 9, &random_fops },
    { "zero", S_IFCHR | 0666, (1 << 8) | 5, &zero_fops },
};

#define DEVFS_ROOT 1
#define DEVFS_FIRST 2           /* entries[i] is inode DEVFS_FIRST + i */

static long devfs_lookup(struct inode *dir, const char *name, int len)
{
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return DEVFS_ROOT;              /* the walk turns it into the mount point's parent */
    for (unsigned i = 0; i < ARRAY_SIZE(entries); i++)
        if ((int)strlen(entries[i].name) == len && !memcmp(entries[i].name, name, len))
            return DEVFS_FIRST + i;
    return 0;
}

/* struct linux_dirent64 */
struct dirent64 {
    unsigned long long d_ino;
    long long d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
} __attribute__((packed));

/* Fill buf with entries from index *pos on: bytes written. */
long synth_readdir(void *ubuf, unsigned long count, long long *pos, int n,
                   int (*entry)(int i, char *name, unsigned long *ino, unsigned char *type, void *arg), void *arg)
{
    unsigned long done = 0;
    char kbuf[sizeof(struct dirent64) + NAME_MAX + 8];
    while (*pos < n) {
        char name[NAME_MAX + 1];
        unsigned long ino;
        unsigned char type;
        if (!entry((int)*pos, name, &ino, &type, arg)) {
            ++*pos;
            continue;
        }
        size_t len = strlen(name);
        unsigned short reclen = (unsigned short)((offsetof(struct dirent64, d_name) + len + 1 + 7) & ~7u);
        if (done + reclen > count)
            break;
        struct dirent64 *d = (struct dirent64 *)kbuf;
        memset(kbuf, 0, reclen);
        d->d_ino = ino;
        d->d_off = *pos + 1;
        d->d_reclen = reclen;
        d->d_type = type;
        memcpy(d->d_name, name, len + 1);
        if (copy_to_user((char *)ubuf + done, kbuf, reclen))
            return done ? (long)done : -EFAULT;
        done += reclen;
        ++*pos;
    }
    if (!done && *pos < n)
        return -EINVAL;                 /* the buffer holds not even one entry */
    return (long)done;
}

#define DT_DIR 4
#define DT_CHR 2

static int devfs_entry(int i, char *name, unsigned long *ino, unsigned char *type, void *arg)
{
    if (i < 2) {
        strcpy(name, i ? ".." : ".");
        *ino = DEVFS_ROOT;
        *type = DT_DIR;
        return 1;
    }
    strcpy(name, entries[i - 2].name);
    *ino = DEVFS_FIRST + i - 2;
    *type = DT_CHR;
    return 1;
}

static long devfs_readdir(struct file *file, void *buf, unsigned long count)
{
    return synth_readdir(buf, count, &file->f_pos, (int)ARRAY_SIZE(entries) + 2, devfs_entry, NULL);
}

static struct inode_operations devfs_dir_iops = { .lookup = devfs_lookup };
static struct file_operations devfs_dir_fops = { .readdir = devfs_readdir };

static int devfs_read_inode(struct inode *inode)
{
    inode->i_uid = inode->i_gid = 0;
    inode->i_atime = inode->i_mtime = inode->i_ctime = boot_time();
    if (inode->i_ino == DEVFS_ROOT) {
        inode->i_mode = S_IFDIR | 0755;
        inode->i_nlink = 2;
        inode->i_op = &devfs_dir_iops;
        inode->i_fop = &devfs_dir_fops;
        return 0;
    }
    unsigned long i = inode->i_ino - DEVFS_FIRST;
    if (i >= ARRAY_SIZE(entries))
        return -ENOENT;
    inode->i_mode = entries[i].mode;
    inode->i_nlink = 1;
    inode->i_rdev = entries[i].rdev;
    inode->i_fop = entries[i].fops;
    static struct inode_operations none;
    inode->i_op = &none;
    return 0;
}

static void devfs_write_inode(struct inode *inode, int sync) { }

static struct super_operations devfs_sops = {
    .read_inode = devfs_read_inode,
    .write_inode = devfs_write_inode,
};

static struct super_block devfs_sb = { .s_op = &devfs_sops, .s_nodev = 1, .s_dev = 0x0003 };

void devfs_init(void)
{
    devtty_fops = tty_fops;
    devtty_fops.open = devtty_open;
    INIT_LIST_HEAD(&devfs_sb.s_dirty);
    devfs_sb.s_root = iget(&devfs_sb, DEVFS_ROOT);
    if (!devfs_sb.s_root)
        return;
    devfs_sb.s_root->i_count++;         /* mounted: never freed */
    if (kernel_mount("devfs", "/dev", "devfs", &devfs_sb))
        iput(devfs_sb.s_root);          /* no /dev on this root: no device files */
}
