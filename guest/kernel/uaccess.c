/* User-memory helpers that need C (see include/uaccess.h). */
#include <kernel.h>
#include <sched.h>
#include <uaccess.h>

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

int uaccess_kernel(void)
{
    return current->kernel_ds;
}

unsigned long search_exception_table(unsigned long addr)
{
    for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
        if (e->insn == addr)
            return e->fixup;
    return 0;
}

long strncpy_from_user(char *dst, const char *src, long max)
{
    for (long i = 0; i < max; i++) {
        if (!access_ok(src + i, 1))
            return -EFAULT;
        long c = __get_user_byte(src + i);
        if (c < 0)
            return -EFAULT;
        dst[i] = (char)c;
        if (!c)
            return i;
    }
    return -ENAMETOOLONG;
}

long fill_user(char *ubuf, unsigned long n, void (*fill)(void *, size_t))
{
    char k[256];
    unsigned long done = 0;
    while (done < n) {
        unsigned long c = min(n - done, sizeof k);
        fill(k, c);
        if (copy_to_user(ubuf + done, k, c))
            return done ? (long)done : -EFAULT;
        done += c;
    }
    return (long)done;
}
