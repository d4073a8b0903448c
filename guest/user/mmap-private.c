/* mmap-private: writes to a private mapping of a file never reach the file,
 * not through read(2), not after msync, not after the written pages went to
 * swap under memory pressure; and the mapping keeps them. */
#include <filetest.h>

#define PAGES 16

int main(void)
{
    struct meminfo mi;
    make_file("/mmap-private.dat", PAGES, 1);
    int fd = open("/mmap-private.dat", O_RDWR);
    check(fd >= 0, "open (errno %d)", errno);
    unsigned char *map = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    check(map != MAP_FAILED, "mmap (errno %d)", errno);
    for (unsigned long p = 0; p < PAGES; p++) {
        check(page_is(map + p * PAGE, p, 1), "page %lu differs from the file", p);
        for (unsigned i = 0; i < PAGE; i++)
            map[p * PAGE + i] = file_byte(p * PAGE + i, 9);
    }
    check_file("/mmap-private.dat", PAGES, 1, NULL);
    check(msync(map, PAGES * PAGE, MS_SYNC) == 0, "msync (errno %d)", errno);
    memory_pressure();
    counters(&mi, QP_DROP);
    check_file("/mmap-private.dat", PAGES, 1, NULL);
    for (unsigned long p = 0; p < PAGES; p++)
        check(page_is(map + p * PAGE, p, 9), "the private copy lost page %lu", p);
    munmap(map, PAGES * PAGE);
    close(fd);
    check(unlink("/mmap-private.dat") == 0, "unlink (errno %d)", errno);
    printf("mmap-private: %d pages written through a private mapping stayed out of the file\n", PAGES);
    return 0;
}
