/* GDT selectors (Linux 2.4's values for the four flat segments). */
#ifndef VMSCOPE_GUEST_SEGMENT_H
#define VMSCOPE_GUEST_SEGMENT_H

#define __KERNEL_CS 0x10
#define __KERNEL_DS 0x18
#define __USER_CS   0x23
#define __USER_DS   0x2B
#define __TSS       0x30
#define GDT_ENTRIES 7

#endif
