/* Copying between kernel and user memory (Linux's asm-i386/uaccess.h). A
 * fault on a user address inside these helpers is resolved by
 * do_page_fault like any other; if the address is bad, the exception table
 * sends the copy to its fixup, and the helper reports failure instead of the
 * kernel oopsing. */
#ifndef VMSCOPE_GUEST_UACCESS_H
#define VMSCOPE_GUEST_UACCESS_H

#include <kernel.h>
#include <page.h>

/* Is the current task inside set_fs(KERNEL_DS) (kernel_file_read and
 * kernel_file_write: the "user" buffer is the kernel's)? */
int uaccess_kernel(void);

/* Does [addr, addr+size) lie wholly in user space? */
static inline int access_ok(const void *addr, unsigned long size)
{
    unsigned long a = (unsigned long)addr;
    return (a <= TASK_SIZE && size <= TASK_SIZE - a) || uaccess_kernel();
}

/* Raw copies with fault fixup (lib/usercopy.S). Return bytes NOT copied. */
unsigned long __copy_user(void *to, const void *from, unsigned long n);

/* Return 0 on success, or the number of bytes not copied. */
static inline unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
    return access_ok(to, n) ? __copy_user(to, from, n) : n;
}
static inline unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
    return access_ok(from, n) ? __copy_user(to, from, n) : n;
}
/* Copy a NUL-terminated user string of at most max-1 bytes. Returns its
 * length, -EFAULT, or -ENAMETOOLONG. */
long strncpy_from_user(char *dst, const char *src, long max);
/* One user byte (access_ok checked by the caller), or -1 if it faults. */
long __get_user_byte(const char *src);
/* Fetch / store one u32 of user memory: 0 or -EFAULT. */
static inline int get_user_u32(unsigned long *v, const void *uaddr)
{
    return copy_from_user(v, uaddr, 4) ? -EFAULT : 0;
}
static inline int put_user_u32(unsigned long v, void *uaddr)
{
    return copy_to_user(uaddr, &v, 4) ? -EFAULT : 0;
}

struct exception_table_entry { unsigned long insn, fixup; };
/* Fill n bytes of user memory at ubuf with what fill() makes, a chunk at a
 * time (/dev/zero, /dev/urandom, getrandom): the bytes written, or -EFAULT
 * when none could be. */
long fill_user(char *ubuf, unsigned long n, void (*fill)(void *, size_t));
/* The fixup address for a faulting kernel EIP, or 0. */
unsigned long search_exception_table(unsigned long addr);

#endif
