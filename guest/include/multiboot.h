/* Multiboot v1 boot information (Multiboot Specification 0.6.96 §3.3). */
#ifndef VMSCOPE_GUEST_MULTIBOOT_H
#define VMSCOPE_GUEST_MULTIBOOT_H

#include <kernel.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MBI_FLAG_MEM     (1u << 0)
#define MBI_FLAG_CMDLINE (1u << 2)
#define MBI_FLAG_MODS    (1u << 3)
#define MBI_FLAG_MMAP    (1u << 6)

struct multiboot_info {
    u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    u32 syms[4];
    u32 mmap_length, mmap_addr;
};

struct multiboot_mod { u32 mod_start, mod_end, string, reserved; };

struct multiboot_mmap {
    u32 size;                 /* of the rest of the entry (20) */
    u32 base_lo, base_hi, len_lo, len_hi;
    u32 type;                 /* 1 = usable RAM */
} __attribute__((packed));

/* What setup_arch() keeps from the boot information (copied out of low
 * memory before that memory is freed). */
#define E820MAX 16
#define MAX_MODULES 4
struct boot_params {
    int nr_map;
    struct { u64 addr, size; u32 type; } map[E820MAX];
    int nr_mods;
    struct { unsigned long start, end; } mods[MAX_MODULES];  /* physical */
    unsigned long kernel_end;     /* physical end of the kernel image */
};
extern struct boot_params boot_params;

#endif
