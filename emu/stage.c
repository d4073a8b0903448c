/* Staging a tree with fixed metadata (see stage.h). Every walk goes through
 * directory file descriptors (openat, fstatat with AT_SYMLINK_NOFOLLOW), so
 * a symbolic link in either tree is copied or replaced, never followed. */
#define _GNU_SOURCE
#include "emu/stage.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STAGE_MODE_MASK 07755   /* permission bits kept: all but group and other write */
#define STAGE_PATH_MAX 4096

/* One level of a walk: the directory's fd and its path for messages (the
 * source path while copying, the path inside the file system while
 * settling). */
struct stage_dir {
    int fd;
    char path[STAGE_PATH_MAX];
};

/* One line in ERR: PATH, WHAT, and the reason ERRNUM when not 0. */
static bool stage_fail(char *err, size_t errlen, const char *path, const char *what, int errnum)
{
    snprintf(err, errlen, "%s: %s%s%s", path, what, errnum ? ": " : "", errnum ? strerror(errnum) : "");
    return false;
}

/* CHILD's path (PARENT/NAME); false when it does not fit. */
static bool stage_child(struct stage_dir *child, const struct stage_dir *parent, const char *name)
{
    return (size_t)snprintf(child->path, sizeof child->path, "%s/%s",
                            strcmp(parent->path, "/") ? parent->path : "", name) < sizeof child->path;
}

/* A stream over the entries of the directory open as FD, on a descriptor
 * of its own (FD stays open); NULL with errno set. */
static DIR *stage_opendir(int fd)
{
    int own = dup(fd);
    DIR *d = own >= 0 ? fdopendir(own) : NULL;
    if (!d && own >= 0) {
        int e = errno;
        close(own);
        errno = e;
    }
    return d;
}

/* The next entry's name but . and .., or NULL at the end (errno 0) or on
 * an error (errno set). */
static const char *stage_next(DIR *d)
{
    for (struct dirent *e; (errno = 0, e = readdir(d)); )
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            return e->d_name;
    return NULL;
}

/* Remove NAME under DIRFD, recursively when it is a directory. */
static bool stage_remove_at(int dirfd, const char *name)
{
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
        return true;
    if (errno != EISDIR && errno != EPERM)
        return false;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? stage_opendir(fd) : NULL;
    bool ok = d != NULL;
    for (const char *n; ok && (n = stage_next(d)); )
        ok = stage_remove_at(fd, n);
    if (d)
        closedir(d);
    if (fd >= 0)
        close(fd);
    return ok && unlinkat(dirfd, name, AT_REMOVEDIR) == 0;
}

bool stage_remove(const char *path)
{
    return stage_remove_at(AT_FDCWD, path);
}

/* Copy the regular file NAME of SRC (whose stat is ST) to DSTFD. */
static bool stage_copy_file(const struct stage_dir *src, const char *name, const struct stat *st,
                            int dstfd, const char *spath, char *err, size_t errlen)
{
    int in = openat(src->fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        return stage_fail(err, errlen, spath, "cannot open", errno);
    int out = openat(dstfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return stage_fail(err, errlen, spath, "cannot stage", errno);
    }
    char buf[65536];
    ssize_t n;
    bool ok = true;
    while (ok && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        ok = n > 0 && write(out, buf, (size_t)n) == n;
    }
    if (!ok)
        stage_fail(err, errlen, spath, "cannot copy", errno);
    else if (fchmod(out, st->st_mode & STAGE_MODE_MASK) != 0)
        ok = stage_fail(err, errlen, spath, "cannot set its mode", errno);
    close(in);
    if (close(out) != 0 && ok)
        ok = stage_fail(err, errlen, spath, "cannot copy", errno);
    return ok;
}

static bool stage_copy_dir(const struct stage_dir *src, int dstfd, char *err, size_t errlen);

/* Copy the entry NAME of SRC over DSTFD. */
static bool stage_copy_entry(const struct stage_dir *src, const char *name, int dstfd,
                             char *err, size_t errlen)
{
    struct stage_dir child;
    struct stat st, old;
    if (!stage_child(&child, src, name))
        return stage_fail(err, errlen, src->path, "a path in it is too long", 0);
    if (strchr(name, '\n') || strchr(name, '\r'))
        return stage_fail(err, errlen, child.path, "a name with a line break cannot be staged", 0);
    if (fstatat(src->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return stage_fail(err, errlen, child.path, "cannot stat", errno);
    bool exists = fstatat(dstfd, name, &old, AT_SYMLINK_NOFOLLOW) == 0;
    if (S_ISDIR(st.st_mode)) {
        if (exists && !S_ISDIR(old.st_mode) && unlinkat(dstfd, name, 0) != 0)
            return stage_fail(err, errlen, child.path, "cannot replace the staged file", errno);
        if ((!exists || !S_ISDIR(old.st_mode)) && mkdirat(dstfd, name, 0700) != 0)
            return stage_fail(err, errlen, child.path, "cannot stage", errno);
        int dfd = openat(dstfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        child.fd = openat(src->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        bool ok = dfd >= 0 && child.fd >= 0;
        if (!ok)
            stage_fail(err, errlen, child.path, "cannot open", errno);
        ok = ok && stage_copy_dir(&child, dfd, err, errlen);
        if (ok && fchmod(dfd, st.st_mode & STAGE_MODE_MASK) != 0)
            ok = stage_fail(err, errlen, child.path, "cannot set its mode", errno);
        if (dfd >= 0)
            close(dfd);
        if (child.fd >= 0)
            close(child.fd);
        return ok;
    }
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode))
        return stage_fail(err, errlen, child.path, "not a regular file, directory or symbolic link", 0);
    if (exists && !stage_remove_at(dstfd, name))
        return stage_fail(err, errlen, child.path, "cannot replace the staged copy", errno);
    if (S_ISREG(st.st_mode))
        return stage_copy_file(src, name, &st, dstfd, child.path, err, errlen);
    char target[STAGE_PATH_MAX];
    ssize_t n = readlinkat(src->fd, name, target, sizeof target - 1);
    if (n < 0)
        return stage_fail(err, errlen, child.path, "cannot read the link", errno);
    target[n] = 0;
    if (symlinkat(target, dstfd, name) != 0)
        return stage_fail(err, errlen, child.path, "cannot stage", errno);
    return true;
}

static bool stage_copy_dir(const struct stage_dir *src, int dstfd, char *err, size_t errlen)
{
    DIR *d = stage_opendir(src->fd);
    if (!d)
        return stage_fail(err, errlen, src->path, "cannot read", errno);
    bool ok = true;
    const char *name;
    while (ok && (name = stage_next(d)))
        ok = stage_copy_entry(src, name, dstfd, err, errlen);
    if (ok && errno)
        ok = stage_fail(err, errlen, src->path, "cannot read", errno);
    closedir(d);
    return ok;
}

bool stage_copy(const char *src, const char *dst, char *err, size_t errlen)
{
    struct stage_dir top;
    snprintf(top.path, sizeof top.path, "%s", src);
    top.fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (top.fd < 0)
        return stage_fail(err, errlen, src, "cannot read the directory", errno);
    int dfd = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool ok = dfd >= 0 ? stage_copy_dir(&top, dfd, err, errlen)
                       : stage_fail(err, errlen, dst, "cannot open the staging directory", errno);
    if (dfd >= 0)
        close(dfd);
    close(top.fd);
    return ok;
}

/* Write the debugfs commands fixing the inode at PATH (a path inside the
 * file system): the name in double quotes, a quote doubled (debugfs's ss
 * parser). */
static void stage_debugfs_fix(FILE *cmds, const char *path, int64_t t)
{
    char at[32];
    snprintf(at, sizeof at, "@%" PRId64, t);
    const char *const fields[][2] = { { "uid", "0" }, { "gid", "0" }, { "atime", at },
                                      { "mtime", at }, { "ctime", at } };
    for (unsigned i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        fputs("sif \"", cmds);
        for (const char *c = path; *c; c++) {
            if (*c == '"')
                fputc('"', cmds);
            fputc(*c, cmds);
        }
        fprintf(cmds, "\" %s %s\n", fields[i][0], fields[i][1]);
    }
}

static bool stage_settle_dir(const struct stage_dir *dir, int64_t t, FILE *cmds, char *err, size_t errlen);

/* Fix the entry NAME of DIR: owner, then its mode again (a chown clears
 * set-user-ID and set-group-ID), then times, and its debugfs commands. */
static bool stage_settle_entry(const struct stage_dir *dir, const char *name, int64_t t, FILE *cmds,
                               char *err, size_t errlen)
{
    struct stage_dir child;
    struct stat st;
    if (!stage_child(&child, dir, name))
        return stage_fail(err, errlen, dir->path, "a path in it is too long", 0);
    if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return stage_fail(err, errlen, child.path, "cannot stat the staged copy", errno);
    if (S_ISDIR(st.st_mode)) {
        child.fd = openat(dir->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (child.fd < 0)
            return stage_fail(err, errlen, child.path, "cannot open the staged copy", errno);
        bool ok = stage_settle_dir(&child, t, cmds, err, errlen);
        close(child.fd);
        if (!ok)
            return false;
    }
    if (fchownat(dir->fd, name, 0, 0, AT_SYMLINK_NOFOLLOW) != 0 && errno != EPERM)
        return stage_fail(err, errlen, child.path, "cannot set the owner of the staged copy", errno);
    if (!S_ISLNK(st.st_mode) && fchmodat(dir->fd, name, st.st_mode & 07777, 0) != 0)
        return stage_fail(err, errlen, child.path, "cannot set the mode of the staged copy", errno);
    const struct timespec ts[2] = { { .tv_sec = (time_t)t }, { .tv_sec = (time_t)t } };
    if (utimensat(dir->fd, name, ts, AT_SYMLINK_NOFOLLOW) != 0)
        return stage_fail(err, errlen, child.path, "cannot set the times of the staged copy", errno);
    stage_debugfs_fix(cmds, child.path, t);
    return true;
}

/* Settle DIR's entries, children before their directory (so reading a
 * directory never follows the setting of its times). */
static bool stage_settle_dir(const struct stage_dir *dir, int64_t t, FILE *cmds, char *err, size_t errlen)
{
    DIR *d = stage_opendir(dir->fd);
    if (!d)
        return stage_fail(err, errlen, dir->path, "cannot read the staged copy", errno);
    bool ok = true;
    for (const char *name; ok && (name = stage_next(d)); )
        ok = stage_settle_entry(dir, name, t, cmds, err, errlen);
    closedir(d);
    return ok;
}

bool stage_settle(const char *dst, int64_t t, FILE *cmds, char *err, size_t errlen)
{
    struct stage_dir top = { .path = "/" };
    top.fd = open(dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (top.fd < 0)
        return stage_fail(err, errlen, dst, "cannot open the staging directory", errno);
    bool ok = stage_settle_dir(&top, t, cmds, err, errlen);
    close(top.fd);
    return ok;
}
