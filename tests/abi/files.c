/* Files and pipes: pipe, pipe2, dup, dup2, dup3, fcntl64, readv, writev,
 * openat, fstatat64, statx, faccessat, access, readlink, utimensat, poll,
 * _newselect, sendfile64, statfs64, links and permissions, directories.
 * Works in a directory "files.d" it makes in its current directory.
 * calls: pipe pipe2 dup dup2 dup3 fcntl64 readv writev openat fstatat64 statx faccessat access
 * calls: readlink utimensat poll _newselect sendfile64 statfs64 link symlink chmod fchmod
 * calls: chown32 fchown32 unlink mkdir rmdir rename getdents64 _llseek */
#include "abi.h"
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>

static void st(const char *path, int flags)
{
    struct stat64 s;
    memset(&s, 0, sizeof s);
    long r = syscall(SYS_fstatat64, AT_FDCWD, path, &s, flags);
    if (r != 0) {
        say("fstatat64 %s: %s", path, rv(r));
        return;
    }
    say("fstatat64 %s: type %s mode %04o nlink %u uid %u gid %u size %lld", path,
        S_ISREG(s.st_mode) ? "file" : S_ISDIR(s.st_mode) ? "dir" : S_ISLNK(s.st_mode) ? "link" : "other",
        s.st_mode & 07777, (unsigned)s.st_nlink, s.st_uid, s.st_gid, (long long)s.st_size);
}

static void pipes(void)
{
    int p[2];
    char buf[64];
    say("pipe (the old call): %s", rv(syscall(SYS_pipe, p)));
    const char *w = rv(write(p[1], "hello", 5));
    say("write 5: %s, read: %s", w, rv(read(p[0], buf, sizeof buf)));
    say("fds are 3 and 4: %s", yes(p[0] == 3 && p[1] == 4));
    say("dup: %s", rv(dup(p[0])));
    say("dup2 to 10: %s", rv(dup2(p[0], 10)));
    say("dup2 to itself: %s", rv(dup2(p[0], p[0])));
    w = rv(dup3(p[0], 11, O_CLOEXEC));
    say("dup3 to 11 with O_CLOEXEC: %s, FD_CLOEXEC %s", w, rv(fcntl(11, F_GETFD)));
    say("dup3 to itself: %s", rv(dup3(p[0], p[0], 0)));
    say("dup2 of a closed fd: %s", rv(dup2(50, 51)));
    w = rv(fcntl(p[0], F_DUPFD, 20));
    say("F_DUPFD from 20: %s, F_DUPFD_CLOEXEC from 20: %s", w, rv(fcntl(p[0], F_DUPFD_CLOEXEC, 20)));
    w = rv(fcntl(21, F_GETFD));
    const char *w2 = rv(fcntl(21, F_SETFD, 0));
    say("F_GETFD of 21: %s; F_SETFD 0: %s; F_GETFD: %s", w, w2, rv(fcntl(21, F_GETFD)));
    for (int fd = 5; fd < 22; fd++)
        if (fd != p[0] && fd != p[1])
            close(fd);
    say("F_GETFL read end O_ACCMODE %d, write end %d", fcntl(p[0], F_GETFL) & O_ACCMODE,
        fcntl(p[1], F_GETFL) & O_ACCMODE);
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    say("O_NONBLOCK set: %s; empty read: %s", yes(fcntl(p[0], F_GETFL) & O_NONBLOCK), rv(read(p[0], buf, 1)));

    /* poll and select */
    struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
    w = rv(poll(pf, 2, 0));
    say("poll, empty pipe: %s, revents %#x %#x", w, pf[0].revents, pf[1].revents);
    write(p[1], "ab", 2);
    w = rv(poll(pf, 1, 100));
    say("poll, 2 bytes in: %s, revents %#x", w, pf[0].revents);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct timeval tv = { 0, 0 };
    long r = syscall(SYS__newselect, p[0] + 1, &rd, NULL, NULL, &tv);
    say("_newselect: %s, read end set: %s", rv(r), yes(FD_ISSET(p[0], &rd)));
    read(p[0], buf, 2);
    FD_SET(p[0], &rd);
    tv.tv_usec = 20000;
    r = syscall(SYS__newselect, p[0] + 1, &rd, NULL, NULL, &tv);
    say("_newselect on an empty pipe, 20 ms: %s", rv(r));
    close(p[1]);
    pf[0].revents = 0;
    w = rv(poll(pf, 1, 0));
    say("poll after the writer closed: %s, POLLHUP %s", w, yes(pf[0].revents & POLLHUP));
    say("read: %s (end of file)", rv(read(p[0], buf, 1)));
    close(p[0]);

    say("pipe2(O_CLOEXEC|O_NONBLOCK): %s", rv(pipe2(p, O_CLOEXEC | O_NONBLOCK)));
    w = rv(fcntl(p[0], F_GETFD));
    say("FD_CLOEXEC %s, O_NONBLOCK %s, empty read: %s", w, yes(fcntl(p[1], F_GETFL) & O_NONBLOCK),
        rv(read(p[0], buf, 1)));
    say("pipe2(bad flags): %s", rv(pipe2(p + 0, 0x1)));
    close(p[0]);
    close(p[1]);
}

static void files(void)
{
    const char *w;
    say("mkdir files.d: %s", rv(mkdir("files.d", 0755)));
    say("mkdir again: %s", rv(mkdir("files.d", 0755)));
    int dfd = open("files.d", O_RDONLY | O_DIRECTORY);
    say("open the directory: %s", yes(dfd >= 0));
    int fd = openat(dfd, "f", O_CREAT | O_WRONLY | O_TRUNC, 0640);
    say("openat(dirfd, f, O_CREAT): %s", yes(fd >= 0));
    struct iovec iv[3] = { { "one ", 4 }, { "two ", 4 }, { "three\n", 6 } };
    say("writev: %s", rv(writev(fd, iv, 3)));
    say("read on a write-only fd: %s", rv(read(fd, iv, 1)));
    close(fd);
    fd = openat(dfd, "f", O_RDWR);
    char a[5] = "", b[20] = "";
    struct iovec ir[2] = { { a, 4 }, { b, sizeof b - 1 } };
    w = rv(readv(fd, ir, 2));
    say("readv: %s: \"%s\" \"%.*s\"", w, a, 9, b);
    say("lseek to 4: %s", rv(lseek(fd, 4, SEEK_SET)));
    long long pos = -1;
    w = rv(syscall(SYS__llseek, fd, 0, 0, &pos, SEEK_END));
    say("_llseek to end: %s, at %lld", w, pos);
    fcntl(fd, F_SETFL, O_APPEND);
    say("O_APPEND set: %s", yes(fcntl(fd, F_GETFL) & O_APPEND));
    lseek(fd, 0, SEEK_SET);
    write(fd, "four\n", 5);
    say("write with O_APPEND lands at the end: size %ld", (long)lseek(fd, 0, SEEK_END));
    st("files.d/f", 0);

    struct statx sx;
    memset(&sx, 0, sizeof sx);
    w = rv(syscall(SYS_statx, dfd, "f", 0, STATX_BASIC_STATS, &sx));
    say("statx(dirfd, f): %s, size %llu, mode %04o, mask has BASIC_STATS: %s", w, (unsigned long long)sx.stx_size,
        sx.stx_mode & 07777, yes((sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS));
    memset(&sx, 0, sizeof sx);
    w = rv(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
    say("statx(fd, \"\", AT_EMPTY_PATH): %s, size %llu", w, (unsigned long long)sx.stx_size);
    say("statx of a missing file: %s", rv(syscall(SYS_statx, AT_FDCWD, "files.d/none", 0, STATX_BASIC_STATS, &sx)));

    say("faccessat(dirfd, f, R_OK|W_OK): %s", rv(syscall(SYS_faccessat, dfd, "f", R_OK | W_OK)));
    say("faccessat(X_OK) of a 0640 file: %s", rv(syscall(SYS_faccessat, dfd, "f", X_OK)));
    say("access(missing): %s", rv(access("files.d/none", F_OK)));
    say("access(files.d, X_OK): %s", rv(access("files.d", X_OK)));

    /* sendfile64 */
    int big = open("files.d/big", O_CREAT | O_RDWR | O_TRUNC, 0644);
    char blk[1000];
    for (int i = 0; i < 10; i++) {
        memset(blk, 'a' + i, sizeof blk);
        write(big, blk, sizeof blk);
    }
    int out = open("files.d/copy", O_CREAT | O_RDWR | O_TRUNC, 0644);
    long long off = 2500;
    long r = syscall(SYS_sendfile64, out, big, &off, 5000);
    say("sendfile64 5000 from 2500: %s, offset now %lld, the source's own offset %ld", rv(r), off,
        (long)lseek(big, 0, SEEK_CUR));
    char c1, c2;
    pread(out, &c1, 1, 0);
    pread(out, &c2, 1, 4999);
    say("copy starts with %c, ends with %c, size %ld", c1, c2, (long)lseek(out, 0, SEEK_END));
    close(big);
    close(out);

    /* statfs64 */
    struct statfs64 sf;
    r = syscall(SYS_statfs64, "files.d", sizeof sf, &sf);
    say("statfs64: %s, block size > 0: %s, blocks > 0: %s", rv(r), yes(sf.f_bsize > 0), yes(sf.f_blocks > 0));
    model("statfs64: f_type %#lx, f_bsize %ld", (unsigned long)sf.f_type, (long)sf.f_bsize);
    say("statfs64 with a wrong size: %s", rv(syscall(SYS_statfs64, "files.d", 10, &sf)));

    /* links */
    say("link f hard: %s", rv(link("files.d/f", "files.d/hard")));
    st("files.d/f", 0);
    say("link onto an existing name: %s", rv(link("files.d/f", "files.d/hard")));
    say("symlink: %s", rv(symlink("f", "files.d/soft")));
    char target[64];
    ssize_t n = readlink("files.d/soft", target, sizeof target);
    say("readlink: %s \"%.*s\"", rv(n), (int)(n > 0 ? n : 0), target);
    say("readlink into 1 byte: %s", rv(readlink("files.d/soft", target, 1)));
    say("readlink of a file: %s", rv(readlink("files.d/f", target, sizeof target)));
    st("files.d/soft", AT_SYMLINK_NOFOLLOW);
    st("files.d/soft", 0);
    w = rv(symlink("loop", "files.d/loop"));
    say("symlink loop: %s, open: %s", w, rv(open("files.d/loop", O_RDONLY)));

    /* permissions and owners */
    say("chmod 0600: %s", rv(chmod("files.d/f", 0600)));
    st("files.d/f", 0);
    say("fchmod 04755: %s", rv(fchmod(fd, 04755)));
    st("files.d/f", 0);
    say("chown32 to 1:2: %s", rv(syscall(SYS_chown32, "files.d/f", 1, 2)));
    st("files.d/f", 0);
    say("fchown32 to 3:-1: %s", rv(syscall(SYS_fchown32, fd, 3, -1)));
    st("files.d/f", 0);
    say("chown32 back to 0:0: %s", rv(syscall(SYS_chown32, "files.d/f", 0, 0)));
    chmod("files.d/f", 0644);
    char *args[] = { "f", NULL };
    say("execve of a file without x bits: %s", rv(execve("files.d/f", args, args + 1)));

    /* times */
    struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 500 } };
    say("utimensat: %s", rv(utimensat(AT_FDCWD, "files.d/f", ts, 0)));
    struct stat64 s;
    syscall(SYS_fstatat64, AT_FDCWD, "files.d/f", &s, 0);
    say("atime %ld, mtime %ld", (long)s.st_atime, (long)s.st_mtime);
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_sec = 1500000000;
    ts[1].tv_nsec = 0;
    say("utimensat(UTIME_OMIT atime): %s", rv(utimensat(dfd, "f", ts, 0)));
    syscall(SYS_fstatat64, AT_FDCWD, "files.d/f", &s, 0);
    say("atime %ld, mtime %ld", (long)s.st_atime, (long)s.st_mtime);
    say("utimensat(NULL) sets now: %s", rv(utimensat(AT_FDCWD, "files.d/f", NULL, 0)));
    close(fd);

    /* directories */
    say("rename hard -> renamed: %s", rv(rename("files.d/hard", "files.d/renamed")));
    say("mkdir sub: %s", rv(mkdir("files.d/sub", 0700)));
    say("rmdir files.d (not empty): %s", rv(rmdir("files.d")));
    DIR *d = opendir("files.d");
    char names[16][256];
    int nn = 0;
    for (struct dirent *e; d && (e = readdir(d)) && nn < 16; )
        snprintf(names[nn++], sizeof names[0], "%s", e->d_name);
    closedir(d);
    qsort(names, (size_t)nn, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    char list[4200] = "";
    for (int i = 0; i < nn; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), " %s", names[i]);
    say("files.d holds:%s", list);
    const char *gone[] = { "f", "renamed", "soft", "loop", "big", "copy" };
    for (unsigned i = 0; i < sizeof gone / sizeof gone[0]; i++)
        if (unlinkat(dfd, gone[i], 0) != 0)
            say("unlink %s: %s", gone[i], rv(-1));
    say("unlink a directory: %s", rv(unlink("files.d/sub")));
    w = rv(rmdir("files.d/sub"));
    say("rmdir sub: %s, rmdir files.d: %s", w, rv(rmdir("files.d")));
    close(dfd);
}

int main(void)
{
    ABI_BEGIN("files");
    pipes();
    files();
    ABI_END("files");
    return 0;
}
