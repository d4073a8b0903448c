/* The memory devices (Linux's drivers/char/mem.c and random.c): /dev/null
 * (reads end at once, writes vanish), /dev/zero (zeros; a private
 * mapping of it is anonymous memory), /dev/full (writes fail with
 * ENOSPC), /dev/random and /dev/urandom (the kernel's seeded generator,
 * include/random.h: the same bytes on every run). */
#include <kernel.h>
#include <fs.h>
#include <mm.h>
#include <random.h>
#include <uaccess.h>
#include <uapi/mman.h>

static long null_read(struct file *f, char *buf, unsigned long n, long long *pos) { return 0; }
static long null_write(struct file *f, const char *buf, unsigned long n, long long *pos) { return (long)n; }

static void zeros(void *p, size_t n) { memset(p, 0, n); }

static long zero_read(struct file *f, char *buf, unsigned long n, long long *pos)
{
    return fill_user(buf, n, zeros);
}

/* mmap of /dev/zero: anonymous memory (shared: a shmem object). */
static int zero_mmap(struct file *file, struct vm_area_struct *vma)
{
    return -ENODEV;                     /* do_mmap maps /dev/zero as anonymous memory itself */
}

static long full_write(struct file *f, const char *buf, unsigned long n, long long *pos) { return -ENOSPC; }

static long random_read(struct file *f, char *buf, unsigned long n, long long *pos)
{
    return fill_user(buf, n, get_random_bytes);
}

struct file_operations null_fops = { .read = null_read, .write = null_write };
struct file_operations zero_fops = { .read = zero_read, .write = null_write, .mmap = zero_mmap };
struct file_operations full_fops = { .read = zero_read, .write = full_write };
struct file_operations random_fops = { .read = random_read, .write = null_write };

int file_is_dev_zero(struct file *file)
{
    return file->f_op == &zero_fops;
}
