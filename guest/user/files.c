/* files: the file system calls on the ext2 root, as a program sees them:
 * create, write, read back, extend, truncate, rename, hard and symbolic
 * links, directories at depth, listing, the working directory, and the
 * errors the host's Linux gives (ENOENT, EEXIST, ENOTDIR, EISDIR,
 * ENOTEMPTY, ELOOP after 40 links, and ENOSPC when the disk fills, with
 * nothing else damaged). It leaves /keep/data behind, whose checksum it
 * prints: the host reads the file back from the image with debugfs
 * (tests/guests/kernel/fsck.py). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <vmscope.h>

#define T "/files-test"

static char buf[65536];

/* A write or read that must move all n bytes. */
static void must_write(int fd, const void *p, size_t n, const char *what)
{
    check(write(fd, p, n) == (ssize_t)n, "%s: write failed (errno %d)", what, errno);
}

static void must_read(int fd, void *p, size_t n, const char *what)
{
    check(read(fd, p, n) == (ssize_t)n, "%s: read failed (errno %d)", what, errno);
}

/* Does the call fail with err? */
#define fails(call, err, ...) check((call) == -1 && errno == (err), __VA_ARGS__)

static unsigned crc32(const unsigned char *p, size_t n, unsigned c)
{
    c = ~c;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & -(c & 1));
    }
    return ~c;
}

/* The names in directory path, sorted, comma-separated into out. */
static void list_dir(const char *path, char *out, size_t size)
{
    char names[32][32];
    int n = 0;
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    check(fd >= 0, "open %s as a directory (errno %d)", path, errno);
    static char dbuf[1024];
    int got;
    while ((got = getdents64(fd, dbuf, sizeof dbuf)) > 0) {
        for (int off = 0; off < got;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(dbuf + off);
            if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") && n < 32)
                strcpy(names[n++], d->d_name);
            off += d->d_reclen;
        }
    }
    check(got == 0, "getdents64 %s failed (errno %d)", path, errno);
    close(fd);
    for (int i = 0; i < n; i++)             /* insertion sort */
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[32];
            strcpy(t, names[j]);
            strcpy(names[j], names[j - 1]);
            strcpy(names[j - 1], t);
        }
    out[0] = 0;
    for (int i = 0; i < n; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? "," : "", names[i]);
}

static void basics(void)
{
    struct stat st;
    check(mkdir(T, 0755) == 0, "mkdir " T " (errno %d)", errno);
    fails(mkdir(T, 0755), EEXIST, "mkdir twice did not give EEXIST");
    int fd = open(T "/a", O_CREAT | O_EXCL | O_RDWR, 0644);
    check(fd >= 0, "create " T "/a (errno %d)", errno);
    fails(open(T "/a", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST, "O_EXCL on an existing file");
    must_write(fd, "hello, ext2", 11, "a");
    check(lseek(fd, 0, SEEK_SET) == 0, "lseek");
    char small[16] = "";
    must_read(fd, small, 11, "a");
    check(!memcmp(small, "hello, ext2", 11), "read back \"%.11s\"", small);
    /* extend past a hole: 3 pages later, then read the hole as zeros */
    for (int i = 0; i < 4096; i++)
        buf[i] = (char)(i * 7);
    check(lseek(fd, 3 * 4096 + 100, SEEK_SET) == 3 * 4096 + 100, "lseek past the end");
    must_write(fd, buf, 4096, "a at 12388");
    check(fstat(fd, &st) == 0 && st.st_size == 3 * 4096 + 100 + 4096, "size %lld", st.st_size);
    check(lseek(fd, 4096, SEEK_SET) == 4096, "lseek into the hole");
    must_read(fd, buf + 8192, 4096, "the hole");
    for (int i = 0; i < 4096; i++)
        check(!buf[8192 + i], "the hole reads %d at %d", buf[8192 + i], i);
    check(ftruncate(fd, 5) == 0, "ftruncate (errno %d)", errno);
    check(fstat(fd, &st) == 0 && st.st_size == 5, "size after truncate %lld", st.st_size);
    check(lseek(fd, 0, SEEK_END) == 5, "lseek to the end");
    close(fd);
    /* rename, links */
    check(rename(T "/a", T "/b") == 0, "rename a b (errno %d)", errno);
    fails(stat(T "/a", &st), ENOENT, "the old name still exists");
    check(link(T "/b", T "/c") == 0, "link b c (errno %d)", errno);
    check(stat(T "/c", &st) == 0 && st.st_nlink == 2 && st.st_size == 5, "c: %u links, %lld bytes",
          st.st_nlink, st.st_size);
    check(unlink(T "/b") == 0, "unlink b (errno %d)", errno);
    check(stat(T "/c", &st) == 0 && st.st_nlink == 1, "c after unlinking b: %u links", st.st_nlink);
    check(symlink("c", T "/s") == 0, "symlink (errno %d)", errno);
    char target[64];
    ssize_t tl = readlink(T "/s", target, sizeof target);
    check(tl == 1 && target[0] == 'c', "readlink gave %d", (int)tl);
    check(lstat(T "/s", &st) == 0 && S_ISLNK(st.st_mode), "lstat of a link");
    fd = open(T "/s", O_RDONLY);
    check(fd >= 0, "open through the link (errno %d)", errno);
    must_read(fd, small, 5, "through the link");
    check(!memcmp(small, "hello", 5), "through the link: \"%.5s\"", small);
    close(fd);
    /* a long (block-stored) link */
    char longt[200];
    memset(longt, 'x', sizeof longt - 1);
    longt[sizeof longt - 1] = 0;
    check(symlink(longt, T "/long") == 0, "a 199-byte symlink (errno %d)", errno);
    static char rl[256];
    check(readlink(T "/long", rl, sizeof rl) == 199 && !memcmp(rl, longt, 199), "the long link reads back");
    check(unlink(T "/long") == 0, "unlink the long link");
}

static void trees(void)
{
    struct stat st;
    check(mkdir(T "/d1", 0755) == 0 && mkdir(T "/d1/d2", 0755) == 0 && mkdir(T "/d1/d2/d3", 0700) == 0,
          "mkdir at depth (errno %d)", errno);
    int fd = creat(T "/d1/d2/d3/deep", 0600);
    check(fd >= 0, "creat at depth (errno %d)", errno);
    must_write(fd, "deep", 4, "deep");
    close(fd);
    check(stat(T "/d1/d2", &st) == 0 && st.st_nlink == 3, "d2 has %u links (its name, ., d3's ..)", st.st_nlink);
    fails(rmdir(T "/d1/d2"), ENOTEMPTY, "rmdir of a non-empty directory");
    check(rename(T "/d1/d2", T "/moved") == 0, "rename a directory across (errno %d)", errno);
    check(stat(T "/d1", &st) == 0 && st.st_nlink == 2, "d1 after the move: %u links", st.st_nlink);
    check(stat(T "/moved/d3/deep", &st) == 0 && st.st_size == 4, "the moved tree keeps its file");
    fails(rename(T "/moved", T "/moved/d3/inside"), EINVAL, "moving a directory into itself");
    char cwd[128];
    check(chdir(T "/moved/d3") == 0, "chdir (errno %d)", errno);
    check(getcwd(cwd, sizeof cwd) && !strcmp(cwd, T "/moved/d3"), "getcwd gave %s", cwd);
    check(stat("deep", &st) == 0, "a relative path from the working directory");
    check(chdir("../..") == 0 && getcwd(cwd, sizeof cwd) && !strcmp(cwd, T), "chdir .. gave %s", cwd);
    check(chdir("/") == 0, "chdir /");
    char names[256];
    list_dir(T, names, sizeof names);
    check(!strcmp(names, "c,d1,moved,s"), "listing of " T ": %s", names);
    printf("files: %s holds %s\n", T, names);
}

static void errors(void)
{
    struct stat st;
    fails(open(T "/nofile", O_RDONLY), ENOENT, "open of a missing file");
    fails(open(T "/none/x", O_CREAT | O_WRONLY, 0644), ENOENT, "create in a missing directory");
    fails(open(T "/c/x", O_RDONLY), ENOTDIR, "a file used as a directory");
    fails(mkdir(T "/c/x", 0755), ENOTDIR, "mkdir under a file");
    fails(open(T, O_WRONLY), EISDIR, "a directory opened for writing");
    fails(unlink(T "/d1"), EISDIR, "unlink of a directory");
    fails(rmdir(T "/c"), ENOTDIR, "rmdir of a file");
    fails(link(T "/d1", T "/dlink"), EPERM, "a hard link to a directory");
    fails(rename(T "/c", T "/d1"), EISDIR, "a file renamed over a directory");
    fails(rename(T "/d1", T "/c"), ENOTDIR, "a directory renamed over a file");
    /* 41 links in a chain: 40 are followed, the 41st is ELOOP */
    char a[64], b[64];
    for (int i = 0; i < 41; i++) {
        snprintf(a, sizeof a, T "/l%d", i);
        snprintf(b, sizeof b, i == 40 ? "c" : "l%d", i + 1);
        check(symlink(b, a) == 0, "symlink %s (errno %d)", a, errno);
    }
    check(stat(T "/l1", &st) == 0, "40 links were not followed (errno %d)", errno);
    fails(stat(T "/l0", &st), ELOOP, "41 links did not give ELOOP");
    check(symlink("loop2", T "/loop1") == 0 && symlink("loop1", T "/loop2") == 0, "a loop of links");
    fails(open(T "/loop1", O_RDONLY), ELOOP, "a loop of links did not give ELOOP");
    for (int i = 0; i < 41; i++) {
        snprintf(a, sizeof a, T "/l%d", i);
        check(unlink(a) == 0, "unlink %s", a);
    }
    check(unlink(T "/loop1") == 0 && unlink(T "/loop2") == 0, "unlink the loop");
    printf("files: ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EPERM, EINVAL and ELOOP as Linux gives them\n");
}

/* Fill the disk with one file until ENOSPC; the rest must be intact and
 * the space must come back when the file goes. */
static void full_disk(void)
{
    struct statfs sf0, sf1;
    check(statfs("/", &sf0) == 0, "statfs (errno %d)", errno);
    int fd = open(T "/fill", O_CREAT | O_WRONLY, 0644);
    check(fd >= 0, "create the filler (errno %d)", errno);
    memset(buf, 0x5A, sizeof buf);
    long long total = 0;
    ssize_t n;
    while ((n = write(fd, buf, sizeof buf)) > 0)
        total += n;
    check(n == -1 && errno == ENOSPC, "the disk filled without ENOSPC (%d, errno %d)", (int)n, errno);
    check(total > 1 << 20, "only %lld bytes fit", total);
    close(fd);
    fails(mkdir(T "/more", 0755), ENOSPC, "mkdir on a full disk");
    struct stat st;
    check(stat(T "/c", &st) == 0 && st.st_size == 5, "a file was damaged by the full disk");
    char small[8];
    fd = open(T "/c", O_RDONLY);
    must_read(fd, small, 5, "c on a full disk");
    close(fd);
    check(!memcmp(small, "hello", 5), "c reads \"%.5s\" on a full disk", small);
    check(unlink(T "/fill") == 0, "unlink the filler (errno %d)", errno);
    sync();
    check(statfs("/", &sf1) == 0 && sf1.f_bfree == sf0.f_bfree && sf1.f_ffree == sf0.f_ffree,
          "free blocks %llu -> %llu, inodes %llu -> %llu", sf0.f_bfree, sf1.f_bfree, sf0.f_ffree, sf1.f_ffree);
    printf("files: the disk filled (ENOSPC), the other files stayed intact, and the space came back\n");
}

/* Clean up, and leave /keep/data for the host to read back. */
static void cleanup_and_keep(void)
{
    check(unlink(T "/moved/d3/deep") == 0 && rmdir(T "/moved/d3") == 0 && rmdir(T "/moved") == 0 &&
          rmdir(T "/d1") == 0 && unlink(T "/c") == 0 && unlink(T "/s") == 0 && rmdir(T) == 0,
          "cleaning up (errno %d)", errno);
    mkdir("/keep", 0755);
    int fd = open("/keep/data", O_CREAT | O_TRUNC | O_WRONLY, 0644);
    check(fd >= 0, "create /keep/data (errno %d)", errno);
    unsigned x = 12345, crc = 0;
    for (int k = 0; k < 5; k++) {
        for (int i = 0; i < 20000; i++) {
            x = x * 1103515245 + 12345;
            buf[i] = (char)(x >> 16);
        }
        must_write(fd, buf, 20000, "/keep/data");
        crc = crc32((unsigned char *)buf, 20000, crc);
    }
    check(fsync(fd) == 0, "fsync (errno %d)", errno);
    close(fd);
    printf("files: /keep/data 100000 bytes crc32 %08x\n", crc);
}

int main(void)
{
    basics();
    trees();
    errors();
    full_disk();
    cleanup_and_keep();
    return 0;
}
