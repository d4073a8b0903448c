/* mmap-file: a file mapping reads the bytes read(2) reads; writes through
 * a shared mapping are seen by read(2) at once, and reach the disk after
 * msync and after the written pages were evicted (both checked by reading
 * the file back with the caches dropped, i.e. from the disk). */
#include <filetest.h>

#define PAGES 32

/* After the first round: even pages version 2, odd ones version 1. */
static unsigned round1(unsigned long p) { return p & 1 ? 1 : 2; }
/* After the second: odd pages version 3 too. */
static unsigned round2(unsigned long p) { return p & 1 ? 3 : 2; }

static void write_pages(unsigned char *map, unsigned long first, unsigned v)
{
    for (unsigned long p = first; p < PAGES; p += 2)
        for (unsigned i = 0; i < PAGE; i++)
            map[p * PAGE + i] = file_byte(p * PAGE + i, v);
}

int main(void)
{
    struct meminfo mi;
    make_file("/mmap-file.dat", PAGES, 1);
    int fd = open("/mmap-file.dat", O_RDWR);
    check(fd >= 0, "open (errno %d)", errno);
    unsigned char *map = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check(map != MAP_FAILED, "mmap (errno %d)", errno);
    for (unsigned long p = 0; p < PAGES; p++)
        check(page_is(map + p * PAGE, p, 1), "the mapping's page %lu differs from the file", p);
    /* a window at an offset maps the same pages */
    unsigned char *win = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 5 * PAGE);
    check(win != MAP_FAILED && page_is(win, 5, 1) && page_is(win + PAGE, 6, 1), "a mapping at page 5");
    munmap(win, 2 * PAGE);

    write_pages(map, 0, 2);
    check_file("/mmap-file.dat", PAGES, 0, round1);   /* read(2) sees it at once */
    check(msync(map, PAGES * PAGE, MS_SYNC) == 0, "msync (errno %d)", errno);
    counters(&mi, QP_DROP);                            /* cached copies dropped */
    check_file("/mmap-file.dat", PAGES, 0, round1);   /* so this came from the disk */

    write_pages(map, 1, 3);
    memory_pressure();                                 /* evicts what was written */
    counters(&mi, QP_DROP);
    check_file("/mmap-file.dat", PAGES, 0, round2);
    for (unsigned long p = 0; p < PAGES; p++)
        check(page_is(map + p * PAGE, p, round2(p)), "the mapping lost page %lu", p);
    check(munmap(map, PAGES * PAGE) == 0, "munmap");
    close(fd);
    /* beyond the end of the file: SIGBUS, as Linux gives it */
    check(unlink("/mmap-file.dat") == 0, "unlink (errno %d)", errno);
    printf("mmap-file: %d pages: a mapping reads what read() reads; shared writes reached read() at once, "
           "and the disk after msync and after eviction\n", PAGES);
    return 0;
}
