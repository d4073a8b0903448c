/* System V shared memory (Linux 2.4's ipc/shm.c, through the i386 ipc(2)
 * multiplexer): shmget, shmat, shmdt and shmctl (IPC_RMID, IPC_STAT). A
 * segment is a shared-memory object (mm/shmem.c), the one behind
 * MAP_SHARED|MAP_ANONYMOUS, so its pages swap out and come back without
 * losing sharing. The segment table holds one reference to the object and
 * each attach (a VMA, copied by fork) another; IPC_RMID takes the segment
 * out of the table (its key finds nothing any more) and drops the table's
 * reference, so the memory goes when the last process detaches. */
#include <kernel.h>
#include <fs.h>
#include <mm.h>
#include <sched.h>
#include <syscalls.h>
#include <uaccess.h>
#include <uapi/mman.h>

#define SHMMNI 32                       /* segments */
#define SHMMAX (32UL << 20)             /* largest segment */
#define IPC_PRIVATE 0
#define IPC_CREAT  01000
#define IPC_EXCL   02000
#define IPC_RMID   0
#define IPC_STAT   2
#define IPC_64     0x0100
#define SHM_RDONLY 010000

#define SHMAT 21
#define SHMDT 22
#define SHMGET 23
#define SHMCTL 24

struct shm_segment {
    int used;
    int key;
    unsigned seq;                       /* ids: seq * SHMMNI + index */
    unsigned long size;                 /* bytes asked for */
    void *obj;                          /* the shared-memory object */
    int cpid, lpid;                     /* creator, last to attach or detach */
    unsigned long atime, dtime, ctime;
    unsigned mode;
};

static struct shm_segment segs[SHMMNI];
static unsigned next_seq;

/* The segment of id, or NULL. */
static struct shm_segment *seg_of(int id)
{
    if (id < 0)
        return NULL;
    struct shm_segment *s = &segs[id % SHMMNI];
    return s->used && s->seq == (unsigned)id / SHMMNI ? s : NULL;
}

static int seg_id(const struct shm_segment *s)
{
    return (int)(s->seq * SHMMNI + (s - segs));
}

static long sys_shmget(int key, unsigned long size, int flags)
{
    if (key != IPC_PRIVATE) {
        for (int i = 0; i < SHMMNI; i++) {
            struct shm_segment *s = &segs[i];
            if (!s->used || s->key != key)
                continue;
            if ((flags & IPC_CREAT) && (flags & IPC_EXCL))
                return -EEXIST;
            if (size > s->size)
                return -EINVAL;
            return seg_id(s);
        }
        if (!(flags & IPC_CREAT))
            return -ENOENT;
    }
    if (size < 1 || size > SHMMAX)
        return -EINVAL;
    for (int i = 0; i < SHMMNI; i++) {
        struct shm_segment *s = &segs[i];
        if (s->used)
            continue;
        void *obj = shmem_create(PAGE_ALIGN(size) >> PAGE_SHIFT);
        if (!obj)
            return -ENOMEM;
        memset(s, 0, sizeof *s);
        s->used = 1;
        s->key = key;
        s->seq = next_seq++ % 0x10000;
        s->size = size;
        s->obj = obj;
        s->cpid = current->pid;
        s->mode = flags & 0777;
        s->ctime = current_time();
        return seg_id(s);
    }
    return -ENOSPC;
}

static long sys_shmat(int id, void *addr, int flags, unsigned long *raddr)
{
    struct shm_segment *s = seg_of(id);
    if (!s)
        return -EINVAL;
    unsigned long a = (unsigned long)addr;
    if (a & ~PAGE_MASK)
        return -EINVAL;
    unsigned long prot = PROT_READ | ((flags & SHM_RDONLY) ? 0 : PROT_WRITE);
    unsigned long r = map_shmem_object(s->obj, a, s->size, prot, a ? MAP_FIXED : 0);
    if (r & ~PAGE_MASK)
        return (long)r;
    s->lpid = current->pid;
    s->atime = current_time();
    return copy_to_user(raddr, &r, sizeof r) ? -EFAULT : 0;
}

static long sys_shmdt(void *addr)
{
    struct mm_struct *mm = current->mm;
    unsigned long a = (unsigned long)addr;
    struct vm_area_struct *vma = find_vma(mm, a);
    if (!vma || vma->vm_start != a || vma->vm_ops != &shmem_vm_ops || vma->vm_type != ANNOT_VMA_SHM)
        return -EINVAL;
    for (int i = 0; i < SHMMNI; i++)
        if (segs[i].used && segs[i].obj == vma->vm_private_data) {
            segs[i].lpid = current->pid;
            segs[i].dtime = current_time();
        }
    return do_munmap(mm, a, vma->vm_end - vma->vm_start);
}

/* The IPC_64 layout glibc asks for (struct shmid64_ds). */
struct shmid64_ds {
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

static long sys_shmctl(int id, int cmd, void *buf)
{
    struct shm_segment *s = seg_of(id);
    if (!s)
        return -EINVAL;
    switch (cmd & ~IPC_64) {
    case IPC_RMID:
        s->used = 0;
        shmem_put(s->obj);              /* the memory goes with the last attach */
        return 0;
    case IPC_STAT: {
        struct shmid64_ds ds;
        memset(&ds, 0, sizeof ds);
        ds.shm_perm.key = s->key;
        ds.shm_perm.mode = s->mode;
        ds.shm_perm.seq = s->seq;
        ds.shm_segsz = s->size;
        ds.shm_atime = s->atime;
        ds.shm_dtime = s->dtime;
        ds.shm_ctime = s->ctime;
        ds.shm_cpid = s->cpid;
        ds.shm_lpid = s->lpid;
        ds.shm_nattch = shmem_refs(s->obj) - 1;     /* the table's own is not an attach */
        return copy_to_user(buf, &ds, sizeof ds) ? -EFAULT : 0;
    }
    default:
        return -EINVAL;
    }
}

long sys_ipc(unsigned call, int first, int second, int third, void *ptr, long fifth)
{
    switch (call & 0xFFFF) {
    case SHMGET: return sys_shmget(first, (unsigned long)second, third);
    case SHMAT: return sys_shmat(first, ptr, second, (unsigned long *)third);
    case SHMDT: return sys_shmdt(ptr);
    case SHMCTL: return sys_shmctl(first, second, ptr);
    default: return -ENOSYS;
    }
}
