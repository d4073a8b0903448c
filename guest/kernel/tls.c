/* Thread-local storage (Linux's arch/x86/kernel/tls.c): set_thread_area
 * and get_thread_area give each task three GDT entries of its own, which
 * glibc points %gs at. They are copied into the GDT at each switch to
 * the task; selectors are (entry << 3) | 3. */
#include <kernel.h>
#include <sched.h>
#include <segment.h>
#include <uaccess.h>

extern struct desc_struct gdt_table[GDT_ENTRIES];

/* struct user_desc of <asm/ldt.h> */
struct user_desc {
    unsigned int entry_number;
    unsigned int base_addr;
    unsigned int limit;
    unsigned int seg_32bit : 1, contents : 2, read_exec_only : 1, limit_in_pages : 1,
                 seg_not_present : 1, useable : 1;
};

static int desc_empty(const struct desc_struct *d) { return !d->a && !d->b; }

void load_TLS(struct task_struct *t)
{
    for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
        gdt_table[GDT_ENTRY_TLS_MIN + i] = t->thread.tls_array[i];
}

int tls_selector_ok(unsigned sel)
{
    unsigned idx = sel >> 3;
    return idx >= GDT_ENTRY_TLS_MIN && idx < GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES &&
           !desc_empty(&current->thread.tls_array[idx - GDT_ENTRY_TLS_MIN]);
}

static void fill_desc(struct desc_struct *d, const struct user_desc *u)
{
    if (!u->base_addr && !u->limit && (u->contents == 0 && u->read_exec_only == 1 && !u->seg_32bit &&
                                       !u->limit_in_pages && u->seg_not_present == 1 && !u->useable)) {
        d->a = d->b = 0;
        return;
    }
    if (!u->base_addr && !u->limit) {
        d->a = d->b = 0;
        return;
    }
    d->a = ((u->base_addr & 0xffff) << 16) | (u->limit & 0x0ffff);
    d->b = (u->base_addr & 0xff000000) | ((u->base_addr & 0x00ff0000) >> 16) | (u->limit & 0xf0000) |
           ((u->read_exec_only ^ 1) << 9) | (u->contents << 10) | ((u->seg_not_present ^ 1) << 15) |
           (u->seg_32bit << 22) | (u->limit_in_pages << 23) | (u->useable << 20) | 0x7000;
}

long sys_set_thread_area(struct user_desc *uinfo)
{
    struct user_desc info;
    if (copy_from_user(&info, uinfo, sizeof info))
        return -EFAULT;
    struct task_struct *t = current;
    int idx = (int)info.entry_number;
    if (idx == -1) {
        for (idx = 0; idx < GDT_ENTRY_TLS_ENTRIES; idx++)
            if (desc_empty(&t->thread.tls_array[idx]))
                break;
        if (idx == GDT_ENTRY_TLS_ENTRIES)
            return -ESRCH;
        idx += GDT_ENTRY_TLS_MIN;
        info.entry_number = idx;
        if (copy_to_user(&uinfo->entry_number, &info.entry_number, sizeof info.entry_number))
            return -EFAULT;
    }
    if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
        return -EINVAL;
    if (info.contents == 3)
        return -EINVAL;                 /* a code segment that conforms: refused, as Linux */
    fill_desc(&t->thread.tls_array[idx - GDT_ENTRY_TLS_MIN], &info);
    load_TLS(t);
    return 0;
}

long sys_get_thread_area(struct user_desc *uinfo)
{
    struct user_desc info;
    if (copy_from_user(&info.entry_number, &uinfo->entry_number, sizeof info.entry_number))
        return -EFAULT;
    int idx = (int)info.entry_number;
    if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES)
        return -EINVAL;
    const struct desc_struct *d = &current->thread.tls_array[idx - GDT_ENTRY_TLS_MIN];
    memset(&info, 0, sizeof info);
    info.entry_number = idx;
    info.base_addr = (d->a >> 16) | ((d->b & 0xff) << 16) | (d->b & 0xff000000);
    info.limit = (d->a & 0xffff) | (d->b & 0xf0000);
    info.seg_32bit = (d->b >> 22) & 1;
    info.contents = (d->b >> 10) & 3;
    info.read_exec_only = !((d->b >> 9) & 1);
    info.limit_in_pages = (d->b >> 23) & 1;
    info.seg_not_present = !((d->b >> 15) & 1);
    info.useable = (d->b >> 20) & 1;
    if (desc_empty(d)) {
        info.read_exec_only = 1;
        info.seg_not_present = 1;
    }
    return copy_to_user(uinfo, &info, sizeof info) ? -EFAULT : 0;
}
