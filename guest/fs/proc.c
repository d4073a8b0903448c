/* /proc (Linux's fs/proc, the files free, ps, top and a curious reader
 * use), mounted on /proc at boot. System-wide: meminfo (with the swap and
 * page-cache lines), vmstat (the reclaim counters), swaps, mounts, stat,
 * uptime, loadavg, cpuinfo, version, cmdline. Per process (PID/): stat,
 * status (VmSize, VmRSS, VmSwap...), maps (Linux's format), cmdline,
 * environ, exe; self is a link to the caller's directory.
 *
 * A file's text is made when it is opened and read from that copy, so a
 * reader sees one consistent snapshot. Numbers that depend on timing
 * (times, free memory) differ between emulators: tests check their form. */
#include <kernel.h>
#include <fs.h>
#include <mm.h>
#include <sched.h>
#include <signal.h>
#include <slab.h>
#include <swap.h>
#include <tty.h>
#include <uaccess.h>
#include <uapi/vmstat.h>
#include "trace/annot.h"

#define PROC_ROOT 1
#define PROC_SELF 2
#define PROC_PID_BASE 0x10000
#define PROC_PID_INO(pid, f) (PROC_PID_BASE + (unsigned long)(pid) * 16 + (f))
#define PROC_TEXT_MAX (16 * 1024)

enum { PF_DIR, PF_STAT, PF_STATUS, PF_MAPS, PF_CMDLINE, PF_ENVIRON, PF_EXE, PF_COUNT };
static const char *const pid_files[PF_COUNT] = { NULL, "stat", "status", "maps", "cmdline", "environ", "exe" };

/* ---- the text of a file ---- */

struct proc_text {
    unsigned long len;
    char data[];
};

/* Appending to a text: stops quietly at the end of the buffer. */
struct buf {
    char *p;
    unsigned long len, size;
};

static void bprintf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(struct buf *b, const char *fmt, ...)
{
    if (b->len >= b->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->size - b->len, fmt, ap);
    va_end(ap);
    b->len += n > 0 ? (unsigned long)n : 0;
    if (b->len > b->size)
        b->len = b->size;
}

static void show_meminfo(struct buf *b)
{
    struct meminfo *mi = kmalloc(sizeof *mi, GFP_KERNEL);
    if (!mi)
        return;
    fill_meminfo(mi);
    unsigned long k = PAGE_SIZE / 1024;
    unsigned long cached = mi->frames_by_use[ANNOT_USE_PCACHE], buffers = mi->frames_by_use[ANNOT_USE_BUFFER];
    unsigned long anon = mi->frames_by_use[ANNOT_USE_ANON];
    bprintf(b, "MemTotal:       %8lu kB\n", mi->total_pages * k);
    bprintf(b, "MemFree:        %8lu kB\n", mi->free_pages * k);
    bprintf(b, "MemAvailable:   %8lu kB\n", (mi->free_pages + cached + buffers) * k);
    bprintf(b, "Buffers:        %8lu kB\n", buffers * k);
    bprintf(b, "Cached:         %8lu kB\n", cached * k);
    bprintf(b, "SwapCached:     %8lu kB\n", mi->swapcache_pages * k);
    bprintf(b, "Active:         %8lu kB\n", mi->active_pages * k);
    bprintf(b, "Inactive:       %8lu kB\n", mi->inactive_pages * k);
    bprintf(b, "SwapTotal:      %8lu kB\n", mi->swap_total * k);
    bprintf(b, "SwapFree:       %8lu kB\n", (mi->swap_total - mi->swap_used) * k);
    bprintf(b, "Dirty:          %8lu kB\n", (mi->dirty_pages + mi->dirty_buffers) * k);
    bprintf(b, "AnonPages:      %8lu kB\n", anon * k);
    bprintf(b, "Shmem:          %8lu kB\n", 0UL);
    bprintf(b, "Slab:           %8lu kB\n", mi->slab_pages * k);
    bprintf(b, "PageTables:     %8lu kB\n", mi->pgtable_pages * k);
    bprintf(b, "VmallocUsed:    %8lu kB\n", mi->vmalloc_pages * k);
    kfree(mi);
}

static void show_vmstat(struct buf *b)
{
    struct meminfo *mi = kmalloc(sizeof *mi, GFP_KERNEL);
    if (!mi)
        return;
    fill_meminfo(mi);
    bprintf(b, "nr_free_pages %lu\nnr_inactive %lu\nnr_active %lu\nnr_anon_pages %lu\nnr_file_pages %lu\n"
            "nr_dirty %lu\nnr_slab %lu\nnr_page_table_pages %lu\nnr_swapcache %lu\n",
            mi->free_pages, mi->inactive_pages, mi->active_pages, mi->frames_by_use[ANNOT_USE_ANON],
            mi->frames_by_use[ANNOT_USE_PCACHE], mi->dirty_pages, mi->slab_pages, mi->pgtable_pages,
            mi->swapcache_pages);
    bprintf(b, "pgpgin %lu\npgpgout %lu\npswpin %lu\npswpout %lu\npgfault %lu\npgmajfault %lu\npgscan %lu\n"
            "pgsteal %lu\nkswapd_wakeups %lu\nreclaim_kswapd %lu\nreclaim_direct %lu\noom_kill %lu\n",
            vmstat.pgpgin, vmstat.pgpgout, mi->pswpin, mi->pswpout, vmstat.pgfault,
            mi->pgmajfault, mi->pgscan, mi->pgsteal, mi->kswapd_wakeups, mi->reclaim_kswapd, mi->reclaim_direct,
            mi->oom_kills);
    bprintf(b, "pgcache_insert %lu\npgcache_evict %lu\npgcache_hit %lu\npgcache_miss %lu\npgwriteback %lu\n",
            mi->pgcache_insert, mi->pgcache_evict, mi->pgcache_hit, mi->pgcache_miss, mi->pgwriteback);
    kfree(mi);
}

static void show_swaps(struct buf *b)
{
    bprintf(b, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    if (total_swap_pages)
        bprintf(b, "/dev/hda1                               partition\t%lu\t\t%lu\t\t-1\n",
                total_swap_pages * (PAGE_SIZE / 1024), (total_swap_pages - nr_swap_pages) * (PAGE_SIZE / 1024));
}

static int nr_tasks(int *running)
{
    int n = 0;
    *running = 0;
    struct task_struct *p;
    for_each_task(p) {
        if (!p->pid)
            continue;
        n++;
        *running += p->state == TASK_RUNNING;
    }
    return n;
}

static void show_stat(struct buf *b)
{
    unsigned long user = 0, sys = 0;
    struct task_struct *p;
    for_each_task(p) {
        user += p->utime + p->cutime;
        sys += p->stime + p->cstime;
    }
    unsigned long idle = jiffies > user + sys ? jiffies - user - sys : 0;
    bprintf(b, "cpu  %lu 0 %lu %lu 0 0 0 0 0 0\ncpu0 %lu 0 %lu %lu 0 0 0 0 0 0\n", user, sys, idle, user, sys, idle);
    int running;
    int n = nr_tasks(&running);
    bprintf(b, "intr 0\nctxt 0\nbtime %lu\nprocesses %d\nprocs_running %d\nprocs_blocked 0\n", boot_time(), n,
            running);
}

static void show_uptime(struct buf *b)
{
    unsigned long user = 0, sys = 0;
    struct task_struct *p;
    for_each_task(p) {
        user += p->utime;
        sys += p->stime;
    }
    unsigned long idle = jiffies > user + sys ? jiffies - user - sys : 0;
    bprintf(b, "%lu.%02lu %lu.%02lu\n", jiffies / HZ, jiffies % HZ, idle / HZ, idle % HZ);
}

static void show_loadavg(struct buf *b)
{
    int running;
    int n = nr_tasks(&running);
    extern int last_pid_used(void);
    bprintf(b, "0.00 0.00 0.00 %d/%d %d\n", running, n, last_pid_used());
}

static void show_cpuinfo(struct buf *b)
{
    u32 a, bb, c, d;
    cpuid(1, &a, &bb, &c, &d);
    bprintf(b, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: %u\nmodel\t\t: %u\nstepping\t: %u\n"
            "fpu\t\t: %s\nflags\t\t:%s%s%s%s%s%s%s\n\n", (a >> 8) & 15, (a >> 4) & 15, a & 15,
            d & 1 ? "yes" : "no", d & 1 ? " fpu" : "", d & 0x10 ? " tsc" : "", d & 0x20 ? " msr" : "",
            d & 0x08 ? " pse" : "", d & 0x100 ? " cx8" : "", d & 0x2000 ? " pge" : "", d & 0x8000 ? " cmov" : "");
}

static void show_version(struct buf *b)
{
    bprintf(b, "Linux version 2.4.37-vmscope (vmscope guest kernel) #1\n");
}

extern char saved_command_line[];

static void show_cmdline(struct buf *b)
{
    bprintf(b, "%s\n", saved_command_line);
}

static void show_mounts_file(struct buf *b)
{
    b->len += (unsigned long)show_mounts(b->p + b->len, (int)(b->size - b->len));
}

static const struct proc_sys_file {
    const char *name;
    void (*show)(struct buf *);
} sys_files[] = {
    { "cmdline", show_cmdline }, { "cpuinfo", show_cpuinfo }, { "loadavg", show_loadavg },
    { "meminfo", show_meminfo }, { "mounts", show_mounts_file }, { "stat", show_stat },
    { "swaps", show_swaps }, { "uptime", show_uptime }, { "version", show_version },
    { "vmstat", show_vmstat },
};
#define PROC_SYS_FIRST 3        /* sys_files[i] is inode PROC_SYS_FIRST + i */

/* ---- per process ---- */

static char state_char(const struct task_struct *p)
{
    switch (p->state) {
    case TASK_RUNNING: return 'R';
    case TASK_INTERRUPTIBLE: return 'S';
    case TASK_UNINTERRUPTIBLE: return 'D';
    case TASK_ZOMBIE: return 'Z';
    case TASK_STOPPED: return 'T';
    default: return '?';
    }
}

static const char *state_name(const struct task_struct *p)
{
    switch (p->state) {
    case TASK_RUNNING: return "R (running)";
    case TASK_INTERRUPTIBLE: return "S (sleeping)";
    case TASK_UNINTERRUPTIBLE: return "D (disk sleep)";
    case TASK_ZOMBIE: return "Z (zombie)";
    case TASK_STOPPED: return "T (stopped)";
    default: return "? (unknown)";
    }
}

static unsigned long long sigset_of(const struct task_struct *p, unsigned long handler_is)
{
    unsigned long long set = 0;
    if (!p->sig)
        return 0;
    for (int i = 0; i < _NSIG; i++) {
        unsigned long h = p->sig->action[i].handler;
        if (handler_is == SIG_IGN ? h == SIG_IGN : h != SIG_IGN && h != SIG_DFL)
            set |= 1ULL << i;
    }
    return set;
}

/* Pages of mm's VMAs that are of a kind (stack, data...). */
static unsigned long vm_pages(struct mm_struct *mm, int (*want)(const struct vm_area_struct *))
{
    unsigned long n = 0;
    for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next)
        if (want(v))
            n += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
    return n;
}

static int is_stack(const struct vm_area_struct *v) { return (v->vm_flags & VM_GROWSDOWN) != 0; }
static int is_exe(const struct vm_area_struct *v) { return (v->vm_flags & VM_EXEC) && v->vm_file; }
static int is_data(const struct vm_area_struct *v)
{
    return (v->vm_flags & VM_WRITE) && !(v->vm_flags & VM_SHARED) && !(v->vm_flags & VM_GROWSDOWN);
}

static void show_pid_stat(struct buf *b, struct task_struct *p)
{
    struct mm_struct *mm = p->mm;
    int tty_nr = p->tty ? (4 << 8) | 64 : 0;
    int tpgid = p->tty ? p->tty->pgrp : -1;
    unsigned long vsize = mm ? mm->total_vm << PAGE_SHIFT : 0, rss = mm ? mm->rss : 0;
    bprintf(b, "%d (%s) %c %d %d %d %d %d %lu %lu %lu %lu %lu %lu %lu %lu %lu 20 0 1 0 %lu %lu %lu 4294967295 "
            "%lu %lu %lu 0 0 %lu %lu %lu %lu 0 0 0 %d 0 0 0 0 0 0 %lu %lu %lu %lu %lu %lu %lu %d\n",
            p->pid, p->comm, state_char(p), p->p_pptr ? p->p_pptr->pid : 0, p->pgrp, p->session, tty_nr, tpgid,
            p->flags & PF_KTHREAD ? 0x200040UL : 0x400000UL, p->ru.ru_minflt, 0UL, p->ru.ru_majflt, 0UL,
            p->utime, p->stime, p->cutime, p->cstime, p->start_time, vsize, rss,
            mm ? mm->start_code : 0, mm ? mm->end_code : 0, mm ? mm->start_stack : 0,
            (unsigned long)p->pending, (unsigned long)p->blocked, (unsigned long)sigset_of(p, SIG_IGN),
            (unsigned long)sigset_of(p, 2), p->exit_signal,
            mm ? mm->start_data : 0, mm ? mm->end_data : 0, mm ? mm->start_brk : 0, mm ? mm->arg_start : 0,
            mm ? mm->arg_end : 0, mm ? mm->env_start : 0, mm ? mm->env_end : 0,
            p->state == TASK_ZOMBIE ? p->exit_code : 0);
}

static void show_pid_status(struct buf *b, struct task_struct *p)
{
    struct mm_struct *mm = p->mm;
    int nfd = 0;
    bprintf(b, "Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n"
            "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n", p->comm, p->umask, state_name(p), p->pid, p->pid,
            p->p_pptr ? p->p_pptr->pid : 0);
    if (p->files)
        nfd = NR_OPEN;
    bprintf(b, "FDSize:\t%d\nGroups:\t0\n", nfd);
    if (mm) {
        unsigned long k = PAGE_SIZE / 1024;
        bprintf(b, "VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmRSS:\t%8lu kB\nVmData:\t%8lu kB\nVmStk:\t%8lu kB\n"
                "VmExe:\t%8lu kB\nVmLib:\t%8lu kB\nVmSwap:\t%8lu kB\n",
                mm->total_vm * k, 0UL, mm->rss * k, vm_pages(mm, is_data) * k, vm_pages(mm, is_stack) * k,
                vm_pages(mm, is_exe) * k, 0UL, mm_swap_pages(mm) * k);
    }
    bprintf(b, "Threads:\t1\nSigQ:\t0/32768\nSigPnd:\t%016llx\nShdPnd:\t%016llx\nSigBlk:\t%016llx\n"
            "SigIgn:\t%016llx\nSigCgt:\t%016llx\n", p->pending, 0ULL, p->blocked, sigset_of(p, SIG_IGN),
            sigset_of(p, 2));
}

static void show_pid_maps(struct buf *b, struct task_struct *p)
{
    struct mm_struct *mm = p->mm;
    if (!mm)
        return;
    for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next) {
        struct inode *ino = v->vm_file ? v->vm_file->f_inode : NULL;
        unsigned long dev = ino && ino->i_sb ? ino->i_sb->s_dev : 0;
        const char *name = "";
        if (v->vm_file && v->vm_file->f_path)
            name = v->vm_file->f_path;
        else if (v->vm_flags & VM_GROWSDOWN)
            name = "[stack]";
        else if (v->vm_type == ANNOT_VMA_HEAP || (v->vm_start >= mm->start_brk && v->vm_end <= mm->brk + PAGE_SIZE &&
                                                 mm->brk > mm->start_brk))
            name = "[heap]";
        else if (v->vm_flags & VM_SHARED)
            name = "/dev/zero (deleted)";
        int n = snprintf(NULL, 0, "%08lx-%08lx %c%c%c%c %08lx %02lx:%02lx %lu ", v->vm_start, v->vm_end,
                         v->vm_flags & VM_READ ? 'r' : '-', v->vm_flags & VM_WRITE ? 'w' : '-',
                         v->vm_flags & VM_EXEC ? 'x' : '-', v->vm_flags & VM_SHARED ? 's' : 'p',
                         v->vm_file ? v->vm_pgoff << PAGE_SHIFT : 0, dev >> 8, dev & 0xff, ino ? ino->i_ino : 0);
        bprintf(b, "%08lx-%08lx %c%c%c%c %08lx %02lx:%02lx %lu ", v->vm_start, v->vm_end,
                v->vm_flags & VM_READ ? 'r' : '-', v->vm_flags & VM_WRITE ? 'w' : '-',
                v->vm_flags & VM_EXEC ? 'x' : '-', v->vm_flags & VM_SHARED ? 's' : 'p',
                v->vm_file ? v->vm_pgoff << PAGE_SHIFT : 0, dev >> 8, dev & 0xff, ino ? ino->i_ino : 0);
        if (*name)
            bprintf(b, "%*s%s\n", n < 73 ? 73 - n : 1, "", name);   /* Linux pads the path to column 73 */
        else
            bprintf(b, "\n");
    }
}

/* Copy [start, end) of p's memory into b: its own through copy_from_user
 * (faults bring pages in), another's through its page tables (pages out
 * on swap are not read: the copy ends there). */
static void copy_process_vm(struct buf *b, struct task_struct *p, unsigned long start, unsigned long end)
{
    if (!p->mm || end <= start)
        return;
    unsigned long n = min(end - start, b->size - b->len);
    if (p == current) {
        if (!copy_from_user(b->p + b->len, (void *)start, n))
            b->len += n;
        return;
    }
    for (unsigned long a = start; a < start + n;) {
        pgd_t *pgd = pgd_offset(p->mm, a);
        if (pgd_none(*pgd))
            return;
        pte_t pte = *pte_offset(pgd, a);
        if (!(pte_val(pte) & _PAGE_PRESENT))
            return;
        unsigned long k = min(start + n - a, PAGE_SIZE - (a & ~PAGE_MASK));
        memcpy(b->p + b->len, (char *)page_address(pte_page(pte)) + (a & ~PAGE_MASK), k);
        b->len += k;
        a += k;
    }
}

static void show_pid_cmdline(struct buf *b, struct task_struct *p)
{
    if (p->mm)
        copy_process_vm(b, p, p->mm->arg_start, p->mm->arg_end);
}

static void show_pid_environ(struct buf *b, struct task_struct *p)
{
    if (p->mm)
        copy_process_vm(b, p, p->mm->env_start, p->mm->env_end);
}

/* ---- the file system ---- */

static struct task_struct *task_of_ino(unsigned long ino)
{
    if (ino < PROC_PID_BASE)
        return NULL;
    return find_task_by_pid((int)((ino - PROC_PID_BASE) / 16));
}

static long proc_lookup(struct inode *dir, const char *name, int len)
{
    if (len == 2 && name[0] == '.' && name[1] == '.')
        return PROC_ROOT;
    if (dir->i_ino == PROC_ROOT) {
        if (len == 4 && !memcmp(name, "self", 4))
            return PROC_SELF;
        for (unsigned i = 0; i < ARRAY_SIZE(sys_files); i++)
            if ((int)strlen(sys_files[i].name) == len && !memcmp(sys_files[i].name, name, len))
                return PROC_SYS_FIRST + i;
        int pid = 0;
        for (int i = 0; i < len; i++) {
            if (name[i] < '0' || name[i] > '9' || pid > 100000)
                return 0;
            pid = pid * 10 + (name[i] - '0');
        }
        struct task_struct *p = len ? find_task_by_pid(pid) : NULL;
        return p ? (long)PROC_PID_INO(pid, PF_DIR) : 0;
    }
    for (int f = 1; f < PF_COUNT; f++)
        if ((int)strlen(pid_files[f]) == len && !memcmp(pid_files[f], name, len))
            return (long)(dir->i_ino + f);
    return 0;
}

#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

long synth_readdir(void *ubuf, unsigned long count, long long *pos, int n,
                   int (*entry)(int i, char *name, unsigned long *ino, unsigned char *type, void *arg), void *arg);

/* Root entries: . .. the system files, self, then one directory per pid. */
static int root_entry(int i, char *name, unsigned long *ino, unsigned char *type, void *arg)
{
    int nsys = (int)ARRAY_SIZE(sys_files);
    if (i < 2) {
        strcpy(name, i ? ".." : ".");
        *ino = PROC_ROOT;
        *type = DT_DIR;
        return 1;
    }
    i -= 2;
    if (i < nsys) {
        strcpy(name, sys_files[i].name);
        *ino = PROC_SYS_FIRST + i;
        *type = DT_REG;
        return 1;
    }
    if (i == nsys) {
        strcpy(name, "self");
        *ino = PROC_SELF;
        *type = DT_LNK;
        return 1;
    }
    i -= nsys + 1;
    int k = 0;
    struct task_struct *p;
    for_each_task(p) {
        if (!p->pid)
            continue;
        if (k++ == i) {
            snprintf(name, 16, "%d", p->pid);
            *ino = PROC_PID_INO(p->pid, PF_DIR);
            *type = DT_DIR;
            return 1;
        }
    }
    return 0;
}

static int pid_entry(int i, char *name, unsigned long *ino, unsigned char *type, void *arg)
{
    unsigned long dir = *(unsigned long *)arg;
    if (i < 2) {
        strcpy(name, i ? ".." : ".");
        *ino = i ? PROC_ROOT : dir;
        *type = DT_DIR;
        return 1;
    }
    strcpy(name, pid_files[i - 1]);
    *ino = dir + i - 1;
    *type = i - 1 == PF_EXE ? DT_LNK : DT_REG;
    return 1;
}

static long proc_readdir(struct file *file, void *buf, unsigned long count)
{
    unsigned long ino = file->f_inode->i_ino;
    if (ino == PROC_ROOT) {
        int n = 0;
        struct task_struct *p;
        for_each_task(p)
            n += p->pid != 0;
        return synth_readdir(buf, count, &file->f_pos, 2 + (int)ARRAY_SIZE(sys_files) + 1 + n, root_entry, NULL);
    }
    return synth_readdir(buf, count, &file->f_pos, 1 + PF_COUNT, pid_entry, &ino);
}

/* Make the text of inode's file. */
static int proc_open(struct inode *inode, struct file *file)
{
    struct proc_text *t = kmalloc(sizeof *t + PROC_TEXT_MAX, GFP_KERNEL);
    if (!t)
        return -ENOMEM;
    struct buf b = { t->data, 0, PROC_TEXT_MAX };
    unsigned long ino = inode->i_ino;
    if (ino >= PROC_SYS_FIRST && ino < PROC_SYS_FIRST + ARRAY_SIZE(sys_files)) {
        sys_files[ino - PROC_SYS_FIRST].show(&b);
    } else {
        struct task_struct *p = task_of_ino(ino);
        if (!p) {
            kfree(t);
            return -ESRCH;
        }
        switch ((ino - PROC_PID_BASE) % 16) {
        case PF_STAT: show_pid_stat(&b, p); break;
        case PF_STATUS: show_pid_status(&b, p); break;
        case PF_MAPS: show_pid_maps(&b, p); break;
        case PF_CMDLINE: show_pid_cmdline(&b, p); break;
        case PF_ENVIRON: show_pid_environ(&b, p); break;
        }
    }
    t->len = b.len;
    file->private_data = t;
    return 0;
}

static long proc_read(struct file *file, char *ubuf, unsigned long count, long long *pos)
{
    struct proc_text *t = file->private_data;
    if (!t || *pos >= (long long)t->len)
        return 0;
    unsigned long n = min(count, t->len - (unsigned long)*pos);
    if (copy_to_user(ubuf, t->data + *pos, n))
        return -EFAULT;
    *pos += n;
    return (long)n;
}

static void proc_release(struct inode *inode, struct file *file)
{
    kfree(file->private_data);
}

static int proc_readlink(struct inode *inode, char *buf, int size)
{
    char tmp[24];
    const char *s = tmp;
    if (inode->i_ino == PROC_SELF) {
        snprintf(tmp, sizeof tmp, "%d", current->pid);
    } else {
        struct task_struct *p = task_of_ino(inode->i_ino);
        if (!p || !p->mm || !p->mm->exe_path)
            return -ENOENT;
        s = p->mm->exe_path;
    }
    int n = (int)min(strlen(s), (size_t)size);
    memcpy(buf, s, n);
    return n;
}

static struct inode_operations proc_dir_iops = { .lookup = proc_lookup };
static struct inode_operations proc_link_iops = { .readlink = proc_readlink };
static struct inode_operations proc_file_iops;
static struct file_operations proc_dir_fops = { .readdir = proc_readdir };
static struct file_operations proc_file_fops = { .open = proc_open, .read = proc_read, .release = proc_release };

static int proc_read_inode(struct inode *inode)
{
    unsigned long ino = inode->i_ino;
    inode->i_uid = inode->i_gid = 0;
    inode->i_atime = inode->i_mtime = inode->i_ctime = current_time();
    inode->i_nlink = 1;
    if (ino == PROC_ROOT) {
        inode->i_mode = S_IFDIR | 0555;
        inode->i_nlink = 2;
        inode->i_op = &proc_dir_iops;
        inode->i_fop = &proc_dir_fops;
        return 0;
    }
    if (ino == PROC_SELF) {
        inode->i_mode = S_IFLNK | 0777;
        inode->i_op = &proc_link_iops;
        inode->i_fop = &proc_file_fops;
        return 0;
    }
    if (ino >= PROC_SYS_FIRST && ino < PROC_SYS_FIRST + ARRAY_SIZE(sys_files)) {
        inode->i_mode = S_IFREG | 0444;
        inode->i_op = &proc_file_iops;
        inode->i_fop = &proc_file_fops;
        return 0;
    }
    if (!task_of_ino(ino))
        return -ENOENT;
    int f = (int)((ino - PROC_PID_BASE) % 16);
    if (f == PF_DIR) {
        inode->i_mode = S_IFDIR | 0555;
        inode->i_nlink = 2;
        inode->i_op = &proc_dir_iops;
        inode->i_fop = &proc_dir_fops;
    } else if (f == PF_EXE) {
        inode->i_mode = S_IFLNK | 0777;
        inode->i_op = &proc_link_iops;
        inode->i_fop = &proc_file_fops;
    } else if (f < PF_COUNT) {
        inode->i_mode = S_IFREG | (f == PF_ENVIRON ? 0400 : 0444);
        inode->i_op = &proc_file_iops;
        inode->i_fop = &proc_file_fops;
    } else {
        return -ENOENT;
    }
    return 0;
}

static void proc_write_inode(struct inode *inode, int sync) { }

static int proc_statfs(struct super_block *sb, struct kstatfs *buf)
{
    buf->f_type = 0x9fa0;               /* PROC_SUPER_MAGIC */
    buf->f_bsize = PAGE_SIZE;
    buf->f_namelen = NAME_MAX;
    return 0;
}

static struct super_operations proc_sops = {
    .read_inode = proc_read_inode,
    .write_inode = proc_write_inode,
    .statfs = proc_statfs,
};

static struct super_block proc_sb = { .s_op = &proc_sops, .s_nodev = 1, .s_rdonly = 1, .s_dev = 0x0004 };

void proc_init(void)
{
    INIT_LIST_HEAD(&proc_sb.s_dirty);
    proc_sb.s_root = iget(&proc_sb, PROC_ROOT);
    if (!proc_sb.s_root)
        return;
    proc_sb.s_root->i_count++;          /* mounted: never freed */
    if (kernel_mount("proc", "/proc", "proc", &proc_sb))
        iput(proc_sb.s_root);           /* no /proc on this root */
}
