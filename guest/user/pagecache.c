/* pagecache: reading a file fills the page cache; reading it again does no
 * disk I/O (the kernel counts page-cache hits and no misses); after memory
 * pressure has evicted it, reading it again reads the disk (misses). */
#include <filetest.h>

#define PAGES 64

int main(void)
{
    struct meminfo m0, m1, m2, m3;
    make_file("/pagecache.dat", PAGES, 1);
    counters(&m0, QP_DROP);             /* the file is on the disk and not cached */
    check_file("/pagecache.dat", PAGES, 1, NULL);
    counters(&m1, 0);
    check(m1.pgcache_miss - m0.pgcache_miss > 0 && m1.pgcache_insert - m0.pgcache_insert >= PAGES,
          "the first read: %lu misses, %lu pages cached", m1.pgcache_miss - m0.pgcache_miss,
          m1.pgcache_insert - m0.pgcache_insert);
    check_file("/pagecache.dat", PAGES, 1, NULL);
    counters(&m2, 0);
    check(m2.pgcache_miss == m1.pgcache_miss && m2.pgcache_insert == m1.pgcache_insert &&
          m2.pgcache_hit - m1.pgcache_hit == PAGES,
          "the second read: %lu misses, %lu inserts, %lu hits", m2.pgcache_miss - m1.pgcache_miss,
          m2.pgcache_insert - m1.pgcache_insert, m2.pgcache_hit - m1.pgcache_hit);
    memory_pressure();
    counters(&m3, 0);
    check(m3.pgcache_evict > m2.pgcache_evict, "memory pressure evicted no page-cache page");
    struct meminfo m4;
    check_file("/pagecache.dat", PAGES, 1, NULL);
    counters(&m4, 0);
    check(m4.pgcache_miss > m3.pgcache_miss, "reading the evicted file did no I/O");
    check(unlink("/pagecache.dat") == 0, "unlink (errno %d)", errno);
    printf("pagecache: a second read of %d pages hit the cache %d times with no I/O; evicted, it was read again\n",
           PAGES, PAGES);
    return 0;
}
