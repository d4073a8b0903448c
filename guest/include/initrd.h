/* The initial file system: a cpio "newc" archive passed as the first
 * Multiboot module, read in place through the direct map (fs/initrd.c). */
#ifndef VMSCOPE_GUEST_INITRD_H
#define VMSCOPE_GUEST_INITRD_H

#include <kernel.h>

#define INITRD_NAME_MAX 32

/* One regular file of the archive. ino is its position (1-based). */
struct initrd_file {
    char name[INITRD_NAME_MAX];
    const u8 *data;           /* kernel virtual address of the bytes */
    unsigned long size;
    unsigned long ino;
};

/* Parse the archive at [start, end) (kernel virtual). Returns the number of
 * files, or panics on a malformed archive. */
int initrd_init(const u8 *start, const u8 *end);
/* Find a file by path ("/hello" or "hello"). NULL if absent. */
const struct initrd_file *initrd_lookup(const char *path);
int initrd_count(void);
const struct initrd_file *initrd_file_at(int i);
/* Make the initrd the root file system (no disk gave one). 1 on success. */
int initrd_mount_root(void);

#endif
