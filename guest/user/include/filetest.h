/* Helpers of the page-cache test programs (pagecache, mmap-file,
 * mmap-private, shared-text, shm, writeback): files of known contents,
 * the kernel's counters, and memory pressure. */
#ifndef VMSCOPE_USER_FILETEST_H
#define VMSCOPE_USER_FILETEST_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <vmscope.h>

#define PAGE 4096u

/* Byte i of the test file in version v. */
static inline unsigned char file_byte(unsigned long i, unsigned v)
{
    return (unsigned char)((i * 131 + (i >> 12) * 7 + v * 29) ^ (i >> 8));
}

/* Write a file of pages pages in version v, and fsync it. */
static inline void make_file(const char *path, unsigned long pages, unsigned v)
{
    static unsigned char page[PAGE];
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    check(fd >= 0, "create %s (errno %d)", path, errno);
    for (unsigned long p = 0; p < pages; p++) {
        for (unsigned i = 0; i < PAGE; i++)
            page[i] = file_byte(p * PAGE + i, v);
        check(write(fd, page, PAGE) == PAGE, "write %s (errno %d)", path, errno);
    }
    check(fsync(fd) == 0, "fsync %s (errno %d)", path, errno);
    close(fd);
}

/* Is page p of the buffer (a file's page p) version v? */
static inline int page_is(const unsigned char *buf, unsigned long p, unsigned v)
{
    for (unsigned i = 0; i < PAGE; i++)
        if (buf[i] != file_byte(p * PAGE + i, v))
            return 0;
    return 1;
}

/* Read the whole file with read(2) and check every page is version v
 * (version_of(p), when given, says per page). */
static inline void check_file(const char *path, unsigned long pages, unsigned v,
                              unsigned (*version_of)(unsigned long))
{
    static unsigned char page[PAGE];
    int fd = open(path, O_RDONLY);
    check(fd >= 0, "open %s (errno %d)", path, errno);
    for (unsigned long p = 0; p < pages; p++) {
        check(read(fd, page, PAGE) == PAGE, "read %s (errno %d)", path, errno);
        unsigned want = version_of ? version_of(p) : v;
        check(page_is(page, p, want), "%s: page %lu is not version %u", path, p, want);
    }
    close(fd);
}

/* The kernel's counters at a quiet point (flags: QP_*). */
static inline void counters(struct meminfo *mi, int flags)
{
    memset(mi, 0, sizeof *mi);
    check(quiet_point(mi, flags) == 0, "quiet_point failed");
}

/* Touch 1.5x RAM of private memory and let it go: the caches must shrink. */
static inline void memory_pressure(void)
{
    struct meminfo mi;
    check(meminfo(&mi, 0) == 0, "meminfo");
    unsigned long n = mi.total_pages + mi.total_pages / 2;
    char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap for pressure (errno %d)", errno);
    for (unsigned long i = 0; i < n; i++)
        p[i * PAGE] = 1;
    munmap(p, n * PAGE);
}

#endif
