/* Where vmscope finds the files it was built with: the default guest
 * (kernel, initrd, disk image, and the tree `vmscope mkdisk` copies), the
 * guest programs whose symbols --events reads, and vmviz.
 *
 * Two layouts, chosen at run time by where the running executable is:
 *   - installed (`meson install`): the executable is PREFIX/BINDIR/vmscope and
 *     the guest files are in PREFIX/DATADIR/vmscope, found through the
 *     relative path between the two that the build compiles in
 *     (VMSCOPE_BIN_TO_DATA, e.g. "../share/vmscope"), so the whole prefix
 *     can be moved or staged with DESTDIR; vmviz is beside the executable.
 *   - the build tree: the absolute paths of the build (VMSCOPE_DEFAULT_*).
 * The installed layout wins when its kernel is there; the build tree is the
 * fallback, so `build/emu/vmscope` keeps working from the tree. */
#ifndef VMSCOPE_EMU_PATHS_H
#define VMSCOPE_EMU_PATHS_H

#include <limits.h>
#include <stdbool.h>

struct vm_paths {
    char kernel[PATH_MAX];      /* the guest kernel, kernel.elf */
    char module[PATH_MAX];      /* its initrd, initrd.cpio */
    char disk[PATH_MAX];        /* the default disk, disk.img */
    char tree[PATH_MAX];        /* the default tree mkdisk copies (rootfs/) */
    char symbols[PATH_MAX];     /* folder of the guest programs, NAME.elf */
    char vmviz[PATH_MAX];       /* the vmviz executable */
    bool installed;             /* true: found beside the executable, not in the build tree */
};

/* Fill P for this process. EXE is the running executable's path
 * (NULL: /proc/self/exe). Never fails: when nothing is installed beside
 * EXE, P holds the build tree's paths, whether or not they exist. */
void vm_paths_find(struct vm_paths *p, const char *exe);

#endif
