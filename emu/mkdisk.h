/* `vmscope mkdisk IMAGE [options]`: a raw disk image for the guest, made
 * with the real tools (sfdisk, mkswap, mke2fs, debugfs), byte-reproducible. */
#ifndef VMSCOPE_EMU_MKDISK_H
#define VMSCOPE_EMU_MKDISK_H

#include <signal.h>

/* Parse ARGV (after the word `mkdisk`) and make the image. Returns the
 * process exit status: 0 made, 2 usage error or failure (one line on
 * stderr; IMAGE is untouched), 10 interrupted by a signal (*SIG set by the
 * caller's handler; IMAGE untouched). TREE is the default tree copied
 * into the file system unless --no-defaults (emu/paths.h). */
int mkdisk_main(int argc, char **argv, const char *tree, volatile sig_atomic_t *sig);

#endif
