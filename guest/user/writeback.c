/* writeback: a file written and left dirty (no fsync) reaches the disk
 * within the flusher's interval: after 11 seconds it has no dirty page and
 * the kernel counted its pages written back. */
#include <filetest.h>

#define PAGES 8

int main(void)
{
    struct meminfo m0, m1;
    counters(&m0, QP_DROP);
    int fd = open("/writeback.dat", O_CREAT | O_TRUNC | O_WRONLY, 0644);
    check(fd >= 0, "create (errno %d)", errno);
    static unsigned char page[PAGE];
    for (unsigned long p = 0; p < PAGES; p++) {
        for (unsigned i = 0; i < PAGE; i++)
            page[i] = file_byte(p * PAGE + i, 4);
        check(write(fd, page, PAGE) == PAGE, "write (errno %d)", errno);
    }
    close(fd);
    struct meminfo mi;
    check(meminfo(&mi, 0) == 0 && mi.dirty_pages >= PAGES, "%lu dirty pages right after writing",
          mi.dirty_pages);
    sleep(11);                          /* two flusher rounds of 5 seconds */
    counters(&m1, 0);
    check(m1.dirty_pages == 0, "%lu pages still dirty after 11 s", m1.dirty_pages);
    check(m1.pgwriteback - m0.pgwriteback >= PAGES, "%lu pages written back",
          m1.pgwriteback - m0.pgwriteback);
    counters(&m1, QP_DROP);
    check_file("/writeback.dat", PAGES, 4, NULL);
    check(unlink("/writeback.dat") == 0, "unlink (errno %d)", errno);
    printf("writeback: %d dirty pages reached the disk within the flusher's interval, without fsync\n", PAGES);
    return 0;
}
