/* shared-text: two processes running one program share its text: the
 * program's pages enter the page cache once (the kernel's insert count),
 * both processes map them (their file-fault counts), and the page cache
 * holds one copy of them (its frame count). */
#include <filetest.h>
#include <sys/wait.h>

static pid_t start(void)
{
    pid_t pid = fork();
    check(pid >= 0, "fork failed");
    if (pid == 0) {
        char *argv[] = { "textuser", NULL };
        exec_program("textuser", argv);
        _exit(127);
    }
    return pid;
}

int main(void)
{
    struct meminfo m0, m1;
    struct stat st;
    check(stat("/bin/textuser", &st) == 0 || stat("/textuser", &st) == 0, "no textuser program");
    unsigned long file_pages = (unsigned long)((st.st_size + PAGE - 1) / PAGE);
    counters(&m0, QP_DROP);             /* textuser is not cached now */
    pid_t a = start(), b = start();
    struct rusage ra, rb;
    int sa, sb;
    check(wait4(a, &sa, 0, &ra) == a && wait4(b, &sb, 0, &rb) == b, "wait4 failed");
    check(WIFEXITED(sa) && !WEXITSTATUS(sa) && WIFEXITED(sb) && !WEXITSTATUS(sb),
          "textuser failed: %04x %04x", sa, sb);
    counters(&m1, 0);
    unsigned long inserted = m1.pgcache_insert - m0.pgcache_insert;
    check(ra.ru_nfile >= 4 && rb.ru_nfile >= 4, "the processes mapped %lu and %lu file pages",
          ra.ru_nfile, rb.ru_nfile);
    check(inserted <= file_pages, "%lu pages entered the cache for a %lu-page program run twice",
          inserted, file_pages);
    check(m1.frames_by_use[5] - m0.frames_by_use[5] <= file_pages,
          "the page cache grew by %lu frames for a %lu-page program", m1.frames_by_use[5] - m0.frames_by_use[5],
          file_pages);
    printf("shared-text: two runs of one program shared its text: one copy in the page cache\n");
    return 0;
}
