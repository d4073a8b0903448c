/* The virtual file system (Linux 2.4's include/linux/fs.h, reduced): inodes
 * with their page-cache mapping, super blocks, open files and the
 * operations a file system provides. There is one mounted file system,
 * the root (ext2 on the disk's first 0x83 partition), and no dentry cache:
 * a path is looked up component by component through i_op->lookup, and
 * inodes are cached by number (iget/iput).
 *
 * Locking: the kernel is not preemptive and runs on one CPU, so a walk
 * that does not sleep sees a consistent tree; every operation that can
 * sleep (disk reads) takes the inode's i_sem first when it changes the
 * inode or its directory. */
#ifndef VMSCOPE_GUEST_FS_H
#define VMSCOPE_GUEST_FS_H

#include <kernel.h>
#include <list.h>
#include <mm.h>
#include <pagemap.h>
#include <wait.h>

/* File types and permission bits (st_mode, i_mode). */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_IALLUGO 07777
#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000

#define NAME_MAX 255
#define PATH_MAX 4096
#define MAX_LINK_COUNT 40       /* symbolic links followed in one lookup (ELOOP after) */

/* A sleeping lock (2.4's struct semaphore, as a mutex). */
struct semaphore {
    int locked;
    wait_queue_head_t wait;
};
void sema_init(struct semaphore *sem);
void down(struct semaphore *sem);
void up(struct semaphore *sem);

struct inode;
struct file;
struct super_block;
struct kstatfs;

struct inode_operations {
    /* Look name (len bytes) up in the directory dir: its inode number, 0
     * when there is none, or a negative errno. */
    long (*lookup)(struct inode *dir, const char *name, int len);
    /* Make a regular file, a directory or a symbolic link (target) called
     * name in dir; the new inode (referenced) in *res. 0 or -errno. */
    int (*create)(struct inode *dir, const char *name, int len, int mode, struct inode **res);
    int (*mkdir)(struct inode *dir, const char *name, int len, int mode);
    int (*symlink)(struct inode *dir, const char *name, int len, const char *target);
    /* A new name for inode in dir. */
    int (*link)(struct inode *inode, struct inode *dir, const char *name, int len);
    /* Remove the name (a non-directory / an empty directory). */
    int (*unlink)(struct inode *dir, const char *name, int len);
    int (*rmdir)(struct inode *dir, const char *name, int len);
    /* Move old_name in old_dir to new_name in new_dir, replacing what is
     * there (a file, or an empty directory for a directory). */
    int (*rename)(struct inode *old_dir, const char *old_name, int old_len,
                  struct inode *new_dir, const char *new_name, int new_len);
    /* The target of a symbolic link into buf (at most size bytes, no NUL
     * added): its length, or -errno. */
    int (*readlink)(struct inode *inode, char *buf, int size);
    /* Make the data past i_size go (the caller has set i_size). */
    void (*truncate)(struct inode *inode);
    /* The name under which directory dir holds inode number ino, into name
     * (NAME_MAX + 1 bytes, NUL-terminated): its length, or -ENOENT. (No
     * dentry cache: getcwd asks each parent.) */
    int (*name_of)(struct inode *dir, unsigned long ino, char *name);
};

struct poll_table;

struct file_operations {
    /* Opening the file by name (after the inode was found): 0 or -errno. */
    int (*open)(struct inode *inode, struct file *file);
    long (*read)(struct file *file, char *buf, unsigned long count, long long *pos);
    long (*write)(struct file *file, const char *buf, unsigned long count, long long *pos);
    /* Directory entries as struct linux_dirent64 into buf: bytes written,
     * 0 at the end, or -errno. */
    long (*readdir)(struct file *file, void *buf, unsigned long count);
    int (*mmap)(struct file *file, struct vm_area_struct *vma);
    int (*fsync)(struct file *file);
    void (*release)(struct inode *inode, struct file *file);
    /* A device's or a terminal's ioctl: 0 or a value, or -errno (-ENOTTY). */
    long (*ioctl)(struct file *file, unsigned cmd, unsigned long arg);
    /* What the file is ready for now (POLLIN...); registers the caller on
     * the queues that will signal a change (poll_wait). NULL: always ready. */
    unsigned (*poll)(struct file *file, struct poll_table *pt);
};

struct address_space_ops_fs;

struct inode {
    struct list_head i_hash;        /* in the inode cache (iget) */
    struct list_head i_dirty;       /* on the super block's dirty list while I_DIRTY */
    unsigned long i_ino;
    int i_count;                    /* references: iget, open files, cwd */
    unsigned short i_mode;
    unsigned short i_nlink;
    unsigned short i_rdev;          /* a device's (major << 8) | minor */
    unsigned int i_uid, i_gid;
    unsigned long long i_size;
    unsigned long i_atime, i_mtime, i_ctime;
    unsigned long i_blocks;         /* 512-byte sectors held (data and indirect blocks) */
    unsigned long i_state;          /* I_DIRTY, I_DIRTY_PAGES, I_FREEING */
    unsigned long dirtied_when;     /* jiffies when it first became dirty (the flusher's age) */
    struct super_block *i_sb;
    struct inode_operations *i_op;
    struct file_operations *i_fop;
    struct address_space *i_mapping;    /* its pages in the page cache (&i_data) */
    struct address_space i_data;
    struct semaphore i_sem;         /* held while the inode or its directory changes */
    unsigned long i_writers;        /* shared writable mappings (VM_SHARED|VM_WRITE) */
    union {
        struct {
            unsigned long i_data[15];   /* block pointers (or a fast symlink's target) */
            unsigned long i_block_group;
            unsigned long i_dtime;
            unsigned long i_flags;
            unsigned long i_dir_start_lookup;
        } ext2_i;
    } u;
};
#define I_DIRTY       1     /* the inode itself needs writing */
#define I_DIRTY_PAGES 2     /* some of its pages are dirty */
#define I_FREEING     4
#define I_STATIC      8     /* not in the inode cache (pipes, devices, /proc): iput never frees it */

struct super_operations {
    /* Fill a new in-memory inode from the disk (i_ino set). 0 or -errno. */
    int (*read_inode)(struct inode *inode);
    /* Write a dirty inode back to its buffer (sync: and wait). */
    void (*write_inode)(struct inode *inode, int sync);
    /* The last reference went and i_nlink is 0: free its blocks and number. */
    void (*delete_inode)(struct inode *inode);
    /* Write the super block and group descriptors to their buffers. */
    void (*write_super)(struct super_block *sb);
    /* The volume is left (the machine ends): mark it clean and write it. */
    void (*put_super)(struct super_block *sb);
    int (*statfs)(struct super_block *sb, struct kstatfs *buf);
};

struct super_block {
    unsigned long s_dev_start;      /* the partition's first sector */
    unsigned long s_dev_sectors;    /* its length */
    unsigned long s_blocksize;      /* bytes (1024 for our ext2) */
    unsigned s_blocksize_bits;
    unsigned long s_magic;
    int s_dirt;                     /* the super block needs writing */
    int s_nodev;                    /* in RAM (the initrd): reading is no disk access */
    int s_rdonly;                   /* mounted read-only (the initrd, /proc): EROFS */
    unsigned long s_dev;            /* st_dev: (major << 8) | minor */
    struct super_operations *s_op;
    struct inode *s_root;
    struct list_head s_dirty;       /* dirty inodes */
    void *s_fs_info;                /* the file system's own (struct ext2_sb_info) */
};

/* statfs64's answer. */
struct kstatfs {
    long f_type, f_bsize;
    unsigned long long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    long f_namelen;
};

struct file {
    int f_count;                    /* fds and mappings referring to it */
    unsigned f_flags;               /* O_* as opened (O_APPEND, O_NONBLOCK changed by fcntl) */
    long long f_pos;
    struct inode *f_inode;
    struct file_operations *f_op;
    void *private_data;             /* the driver's or file system's (a pipe, a /proc buffer) */
    char *f_path;                   /* the absolute path it was opened by (kmalloc), or NULL */
};

/* Open flags (Linux/i386). */
#define O_ACCMODE   00000003
#define O_RDONLY    00000000
#define O_WRONLY    00000001
#define O_RDWR      00000002
#define O_CREAT     00000100
#define O_EXCL      00000200
#define O_NOCTTY    00000400
#define O_TRUNC     00001000
#define O_APPEND    00002000
#define O_NONBLOCK  00004000
#define O_DIRECTORY 00200000
#define O_NOFOLLOW  00400000
#define O_LARGEFILE 00100000
#define O_CLOEXEC   02000000
#define O_PATH      010000000

extern struct super_block *root_sb;

/* fs/super.c: mounts of /proc and /dev over directories of the root */
/* The root of the file system mounted on dir, or NULL. */
struct inode *mounted_root(struct inode *dir);
/* The directory a mounted root sits on, or NULL (also for "/"). */
struct inode *mountpoint_of(struct inode *root);
int kernel_mount(const char *dev, const char *path, const char *type, struct super_block *sb);
/* /proc/mounts' text into buf: its length. */
int show_mounts(char *buf, int size);
/* The working directory's absolute path (kernel buffer): length with NUL, or -errno. */
long kernel_getcwd(char *buf, unsigned long size);
/* realpath(3) of a kernel path into out: 0 or -errno. */
int kernel_realpath(const char *path, char *out, unsigned long size);

/* fs/super.c */
/* Mount the ext2 file system on the partition (prints the outcome).
 * 1 when it is the root now. Process context. */
int mount_root(unsigned long start_sect, unsigned long nr_sects);
/* Write every dirty page, buffer, inode and the super block, and wait. */
void sync_all(void);
/* The same, and leave the volume clean (the machine ends). */
void sync_and_leave(void);

/* fs/inode.c */
/* The inode ino of sb, read from the disk when not cached; referenced.
 * NULL when it cannot be read. */
struct inode *iget(struct super_block *sb, unsigned long ino);
/* A new inode in the cache (the file system fills it); referenced. */
struct inode *new_inode(struct super_block *sb);
/* Drop a reference; the last one of an inode with no links deletes it. */
void iput(struct inode *inode);
static inline struct inode *igrab(struct inode *inode) { inode->i_count++; return inode; }
/* The inode changed: write_inode at the next sync or flush. */
void mark_inode_dirty(struct inode *inode);
/* Some of its pages became dirty: the flusher writes them. */
void mark_inode_dirty_pages(struct inode *inode);
/* Write every dirty inode of sb to its buffer. */
void sync_inodes(struct super_block *sb);
/* The same for those dirty since before jiffies older_than (0: all). */
void sync_inodes_older(struct super_block *sb, unsigned long older_than, int wait);
/* Reclaim took an inode's last cached page: drop it if no one uses it. */
void inode_pages_gone(struct inode *inode);
/* Boot: the inode cache, and the time (seconds since 1970) jiffies 0 is. */
void inode_init(unsigned long rtc_seconds);
void files_init(void);
/* A new name for an inode in the cache (ext2_new_inode). */
void insert_inode_hash(struct inode *inode);
/* Drop unused, clean inodes with no cached pages. */
void prune_icache(void);
/* open's lookup (fs/namei.c). */
int open_namei(const char *path, unsigned flags, int mode, struct inode **res);

/* fs/devfs.c, fs/proc.c: mounted on /dev and /proc at boot when the root has them */
void devfs_init(void);
void proc_init(void);

/* fs/flush.c: the flusher (kupdate and bdflush) */
void flusher_init(void);
/* A writer made more pages dirty: wake the flusher past the threshold. */
void balance_dirty(void);
/* Is the flusher asleep with nothing due? */
int flusher_idle(void);
/* The current time in seconds since 1970 (RTC at boot plus jiffies). */
unsigned long current_time(void);
/* The time the machine booted (the RTC's reading). */
unsigned long boot_time(void);

/* fs/namei.c */
/* Look path up from the root or the caller's cwd; follow the last
 * component's symbolic link when follow. 0 with a referenced inode in
 * *res, or -errno (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG). path is a
 * kernel string. */
int path_lookup(const char *path, int follow, struct inode **res);
/* The parent directory of path's last component (referenced) and that
 * component (*name, *len point into path). */
int path_parent(const char *path, struct inode **dir, const char **name, int *len);
/* Copy a user path into a kernel page: the page, or an ERR value
 * (getname's contract: free with putname). */
char *getname(const char *upath, long *err);
void putname(char *name);
/* path_lookup of a user path (Linux 2.4's user_path_walk): getname, the
 * walk, putname. 0 with a referenced inode in *res, or -errno. */
long user_path_walk(const char *upath, int follow, struct inode **res);

/* fs/file_table.c: files and file descriptors */
#define NR_OPEN 256
struct files_struct {
    int count;                      /* tasks sharing it */
    struct file *fd[NR_OPEN];
    unsigned long close_on_exec[NR_OPEN / 32];  /* FD_CLOEXEC per fd */
};
struct file *get_empty_filp(void);
/* Drop a reference to a file; the last closes it. */
void fput(struct file *file);
/* The file of the current task's fd, or NULL. */
struct file *fget(unsigned fd);
/* Install file at the lowest free fd: the fd, or -EMFILE. */
int fd_install_lowest(struct file *file);
/* The same from fd start on, with FD_CLOEXEC when cloexec. */
int fd_install_from(struct file *file, int start, int cloexec);
/* Close fd of the current task: 0 or -EBADF. */
long close_fd(unsigned fd);
/* exec: close the fds marked FD_CLOEXEC. */
void close_on_exec(struct files_struct *files);
void set_close_on_exec(unsigned fd, int on);
int get_close_on_exec(unsigned fd);
/* A copy of the current task's table for a child (fork); NULL if no memory. */
struct files_struct *dup_files(struct files_struct *old);
/* Close every fd (exit). */
void put_files(struct files_struct *files);
/* A file's read or write with a kernel buffer (set_fs(KERNEL_DS)); write
 * at the file's position. */
long kernel_file_read(struct file *file, char *buf, unsigned long count, long long *pos);
long kernel_file_write(struct file *file, const char *buf, unsigned long count);
/* Open path as a file (kernel): the file, or an ERR value. */
struct file *filp_open(const char *path, unsigned flags, int mode, long *err);

/* mm/filemap.c: the page cache for files */
long generic_file_read(struct file *file, char *buf, unsigned long count, long long *pos);
/* Read count bytes at offset of the file into kernel memory (exec): the
 * bytes read (short at the end of the file), or -errno. */
long kernel_read(struct file *file, unsigned long offset, char *addr, unsigned long count);
/* msync/munmap: the PTE dirty bits of a shared file mapping's range go to
 * their pages (cleared, each TLB entry flushed). */
void filemap_sync(struct vm_area_struct *vma, unsigned long start, unsigned long end);
long generic_file_write(struct file *file, const char *buf, unsigned long count, long long *pos);
int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
/* Start writing inode's dirty pages (and wait for them when wait). */
void filemap_fdatasync(struct address_space *mapping, int wait);
/* Drop the cached pages of mapping from page index start on (truncate). */
void truncate_inode_pages(struct address_space *mapping, unsigned long long lstart);
/* Mark a page dirty; a file's page also marks its inode's pages dirty
 * (the flusher's list) and counts in nr_dirty_file_pages. */
void set_page_dirty(struct page *page);
/* Clear PG_dirty (a write is starting); 1 if it was set. */
int test_clear_page_dirty(struct page *page);
extern unsigned long nr_dirty_file_pages;
extern struct vm_operations_struct file_shared_vm_ops, file_private_vm_ops;

#endif
