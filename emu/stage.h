/* The staging tree of `vmscope mkdisk`: the directory whose contents
 * `mke2fs -d` copies into the root file system, assembled from the default
 * tree and the --from trees, then given fixed metadata so that the same
 * inputs give the same image bytes wherever and whenever it is made. */
#ifndef VMSCOPE_EMU_STAGE_H
#define VMSCOPE_EMU_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Copy the tree under the directory SRC over the directory DST: a file or
 * symbolic link replaces what is there, a directory merges with a directory
 * (and replaces anything else), so of several calls the later wins, for
 * contents and permission bits alike. Regular files, directories and
 * symbolic links only (hard links become separate files). Permission bits
 * are the source's without group and other write (the bits the common
 * umasks 022 and 002 disagree on). False with one line in ERR. */
bool stage_copy(const char *src, const char *dst, char *err, size_t errlen);

/* Give every entry under DST owner 0:0 (when this process may: root) and
 * access and modification times T, keeping its permission bits; and write
 * to CMDS, for each entry, the debugfs commands that set owner 0:0 and all
 * three times to T in the file system `mke2fs -d DST` makes: the host
 * cannot set a change time (ctime), nor an owner without root. False with
 * one line in ERR. */
bool stage_settle(const char *dst, int64_t t, FILE *cmds, char *err, size_t errlen);

/* Remove PATH and everything under it (symbolic links are not followed).
 * True when nothing is left. */
bool stage_remove(const char *path);

#endif
