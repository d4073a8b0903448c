/* The system calls' kernel entry points (kernel/sys.c's table calls them
 * with the registers EBX ECX EDX ESI EDI EBP as arguments). */
#ifndef VMSCOPE_GUEST_SYSCALLS_H
#define VMSCOPE_GUEST_SYSCALLS_H

struct stat64;
struct statfs64;
struct meminfo;

/* fs/open.c */
long sys_open(const char *path, unsigned flags, int mode);
long sys_creat(const char *path, int mode);
long sys_close(unsigned fd);
long sys_read(unsigned fd, char *buf, unsigned long count);
long sys_write(unsigned fd, const char *buf, unsigned long count);
long sys_lseek(unsigned fd, long offset, unsigned whence);
long sys_llseek(unsigned fd, unsigned long hi, unsigned long lo, long long *result, unsigned whence);
long sys_getdents64(unsigned fd, void *buf, unsigned long count);
long sys_stat64(const char *path, struct stat64 *st);
long sys_lstat64(const char *path, struct stat64 *st);
long sys_fstat64(unsigned fd, struct stat64 *st);
long sys_chmod(const char *path, unsigned mode);
long sys_fchmod(unsigned fd, unsigned mode);
long sys_chown32(const char *path, long uid, long gid);
long sys_fchown32(unsigned fd, long uid, long gid);
long sys_ftruncate(unsigned fd, unsigned long length);
long sys_fsync(unsigned fd);
long sys_sync(void);
long sys_chdir(const char *path);
long sys_getcwd(char *buf, unsigned long size);
long sys_statfs64(const char *path, unsigned long size, struct statfs64 *buf);

/* fs/namei.c */
long sys_mkdir(const char *path, int mode);
long sys_rmdir(const char *path);
long sys_unlink(const char *path);
long sys_link(const char *oldpath, const char *newpath);
long sys_symlink(const char *target, const char *path);
long sys_readlink(const char *path, char *buf, int size);
long sys_rename(const char *oldpath, const char *newpath);

/* mm/mmap.c */
long sys_msync(unsigned long start, unsigned long len, int flags);

/* ipc/shm.c */
long sys_ipc(unsigned call, int first, int second, int third, void *ptr, long fifth);

#endif
