/* System V shared memory (through ipc(2), as glibc calls it on i386). */
#ifndef VMSCOPE_USER_SYS_SHM_H
#define VMSCOPE_USER_SYS_SHM_H

#include <stddef.h>

#define IPC_PRIVATE 0
#define IPC_CREAT  01000
#define IPC_EXCL   02000
#define IPC_RMID   0
#define IPC_STAT   2
#define SHM_RDONLY 010000

struct shmid_ds {
    struct {
        int key;
        unsigned uid, gid, cuid, cgid;
        unsigned short mode, pad1, seq, pad2;
        unsigned long unused1, unused2;
    } shm_perm;
    unsigned long shm_segsz;
    unsigned long shm_atime, unused1, shm_dtime, unused2, shm_ctime, unused3;
    int shm_cpid, shm_lpid;
    unsigned long shm_nattch, unused4, unused5;
};

int shmget(int key, size_t size, int flags);
void *shmat(int id, const void *addr, int flags);
int shmdt(const void *addr);
int shmctl(int id, int cmd, struct shmid_ds *buf);

#endif
