/* GDT selectors (Linux 2.4's values for the four flat segments). */
#ifndef VMSCOPE_GUEST_SEGMENT_H
#define VMSCOPE_GUEST_SEGMENT_H

#define __KERNEL_CS 0x10
#define __KERNEL_DS 0x18
#define __USER_CS   0x23
#define __USER_DS   0x2B
#define __TSS       0x30
#define GDT_ENTRY_TLS_MIN 7     /* three TLS entries per task (set_thread_area) */
#define GDT_ENTRIES 10

#ifndef __ASSEMBLER__
struct task_struct;
/* Copy t's TLS entries into the GDT (at each switch to t). */
void load_TLS(struct task_struct *t);
/* Is sel one of the current task's TLS selectors, with a descriptor? */
int tls_selector_ok(unsigned sel);
#endif

#endif
