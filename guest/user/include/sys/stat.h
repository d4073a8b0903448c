/* stat64 and friends (Linux/i386's struct stat64), mkdir, chmod. */
#ifndef VMSCOPE_USER_SYS_STAT_H
#define VMSCOPE_USER_SYS_STAT_H

#define S_IFMT   0170000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFDIR  0040000
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)

struct stat {
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

int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int mkdir(const char *path, int mode);
int chmod(const char *path, int mode);
int fchmod(int fd, int mode);

struct statfs {
    unsigned f_type, f_bsize;
    unsigned long long f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    unsigned f_fsid[2];
    unsigned f_namelen, f_frsize, f_flags;
    unsigned f_spare[4];
} __attribute__((packed));
int statfs(const char *path, struct statfs *buf);

#endif
