/* shm: two unrelated processes (neither forked from the other after the
 * segment was attached) exchange data through a System V segment by its
 * key, while memory pressure pushes the segment out to swap between them;
 * the data survives in both directions, and IPC_RMID frees it. */
#include <filetest.h>
#include <swaptest.h>
#include <sys/shm.h>
#include <sys/wait.h>

#define KEY 0x766d73
#define SEG_PAGES 256                   /* 1 MiB */

/* A child that attaches the segment by key and runs fn on it. */
static void in_child(void (*fn)(unsigned *))
{
    pid_t pid = fork();
    check(pid >= 0, "fork failed");
    if (pid == 0) {
        int id = shmget(KEY, SEG_PAGES * PAGE, 0);
        if (id < 0)
            fail("shmget by key (errno %d)", errno);
        unsigned *p = shmat(id, NULL, 0);
        if (p == (void *)-1)
            fail("shmat (errno %d)", errno);
        fn(p);
        shmdt(p);
        _exit(0);
    }
    int status;
    struct rusage ru;
    check(wait4(pid, &status, 0, &ru) == pid, "wait4 failed");
    check(WIFEXITED(status) && !WEXITSTATUS(status), "child: %04x %s", status, ru.ru_reason);
}

static void writer(unsigned *p)
{
    for (unsigned long i = 0; i < SEG_PAGES; i++)
        fill_page(p + i * WORDS, i, 5);
}

static void answerer(unsigned *p)
{
    for (unsigned long i = 0; i < SEG_PAGES; i++) {
        if (!page_ok(p + i * WORDS, i, 5))
            fail("reader: segment page %lu lost", i);
        if (i & 1)
            fill_page(p + i * WORDS, i, 6);
    }
}

static void checker(unsigned *p)
{
    for (unsigned long i = 0; i < SEG_PAGES; i++)
        if (!page_ok(p + i * WORDS, i, i & 1 ? 6 : 5))
            fail("checker: segment page %lu is wrong", i);
}

int main(void)
{
    struct meminfo m0, m1;
    int id = shmget(KEY, SEG_PAGES * PAGE, IPC_CREAT | IPC_EXCL | 0600);
    check(id >= 0, "shmget (errno %d)", errno);
    check(shmget(KEY, SEG_PAGES * PAGE, IPC_CREAT | IPC_EXCL | 0600) == -1 && errno == EEXIST,
          "IPC_EXCL on an existing key");
    in_child(writer);
    counters(&m0, 0);
    memory_pressure();
    counters(&m1, 0);
    check(m1.pswpout - m0.pswpout >= SEG_PAGES / 2, "only %lu pages went to swap", m1.pswpout - m0.pswpout);
    in_child(answerer);
    memory_pressure();
    in_child(checker);
    struct shmid_ds ds;
    check(shmctl(id, IPC_STAT, &ds) == 0 && ds.shm_segsz == SEG_PAGES * PAGE && ds.shm_nattch == 0,
          "IPC_STAT: %lu bytes, %lu attached", ds.shm_segsz, ds.shm_nattch);
    check(shmctl(id, IPC_RMID, NULL) == 0, "IPC_RMID (errno %d)", errno);
    check(shmget(KEY, SEG_PAGES * PAGE, 0) == -1 && errno == ENOENT, "the key outlived IPC_RMID");
    printf("shm: %d pages exchanged through a System V segment by two processes, swapped out between them\n",
           SEG_PAGES);
    return 0;
}
