#ifndef VMSCOPE_USER_SYS_MMAN_H
#define VMSCOPE_USER_SYS_MMAN_H

#include <stddef.h>
#include <uapi/mman.h>

void *mmap(void *addr, size_t len, int prot, int flags, int fd, long offset);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int msync(void *addr, size_t len, int flags);

#endif
