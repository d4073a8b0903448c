/* Finding the default guest and vmviz: installed beside the executable, or
 * in the build tree (emu/paths.h). */
#include "emu/paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VMSCOPE_BIN_TO_DATA
#define VMSCOPE_BIN_TO_DATA "../share/vmscope"
#endif
#ifndef VMSCOPE_DEFAULT_KERNEL
#define VMSCOPE_DEFAULT_KERNEL "guest/kernel.elf"
#endif
#ifndef VMSCOPE_DEFAULT_MODULE
#define VMSCOPE_DEFAULT_MODULE "guest/initrd.cpio"
#endif
#ifndef VMSCOPE_DEFAULT_DISK
#define VMSCOPE_DEFAULT_DISK "guest/disk.img"
#endif
#ifndef VMSCOPE_DEFAULT_TREE
#define VMSCOPE_DEFAULT_TREE "guest/rootfs"
#endif
#ifndef VMSCOPE_DEFAULT_SYMBOLS
#define VMSCOPE_DEFAULT_SYMBOLS "guest"
#endif
#ifndef VMSCOPE_VMVIZ
#define VMSCOPE_VMVIZ "vmviz"
#endif

static void paths_set(char dst[PATH_MAX], const char *dir, const char *name)
{
    if ((size_t)snprintf(dst, PATH_MAX, "%s%s%s", dir, *dir ? "/" : "", name) >= PATH_MAX)
        dst[0] = 0;     /* too long to be anywhere: reported as missing where used */
}

/* The folder of the running executable into DIR, or false. */
static bool paths_exe_dir(const char *exe, char dir[PATH_MAX])
{
    if (exe) {
        if (!realpath(exe, dir))
            return false;
    } else {
        ssize_t n = readlink("/proc/self/exe", dir, PATH_MAX - 1);
        if (n <= 0)
            return false;
        dir[n] = 0;
    }
    char *slash = strrchr(dir, '/');
    if (!slash)
        return false;
    *slash = 0;
    return true;
}

void vm_paths_find(struct vm_paths *p, const char *exe)
{
    memset(p, 0, sizeof *p);
    char bindir[PATH_MAX], rel[PATH_MAX], data[PATH_MAX], kernel[PATH_MAX];
    if (paths_exe_dir(exe, bindir) &&
        (size_t)snprintf(rel, sizeof rel, "%s/%s", bindir, VMSCOPE_BIN_TO_DATA) < sizeof rel &&
        realpath(rel, data)) {
        paths_set(kernel, data, "kernel.elf");
        if (kernel[0] && access(kernel, R_OK) == 0) {
            p->installed = true;
            paths_set(p->kernel, data, "kernel.elf");
            paths_set(p->module, data, "initrd.cpio");
            paths_set(p->disk, data, "disk.img");
            paths_set(p->tree, data, "rootfs");
            paths_set(p->symbols, "", data);
            paths_set(p->vmviz, bindir, "vmviz");
            return;
        }
    }
    paths_set(p->kernel, "", VMSCOPE_DEFAULT_KERNEL);
    paths_set(p->module, "", VMSCOPE_DEFAULT_MODULE);
    paths_set(p->disk, "", VMSCOPE_DEFAULT_DISK);
    paths_set(p->tree, "", VMSCOPE_DEFAULT_TREE);
    paths_set(p->symbols, "", VMSCOPE_DEFAULT_SYMBOLS);
    paths_set(p->vmviz, "", VMSCOPE_VMVIZ);
}
