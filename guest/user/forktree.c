/* forktree: a tree of processes (depth 3, two children each: 15 in all).
 * Every process stamps its id into a global array, a malloc'd buffer and its
 * stack, forks its children, collects their exit codes with waitpid, and
 * then checks that its own three copies still hold its own id: after fork,
 * each process's writes must stay its own (copy-on-write). A process exits
 * with 100 + id when it and its subtree are good, 1 otherwise. Only the
 * root prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <vmscope.h>

#define DEPTH 3
#define FANOUT 2
#define WORDS 1024

static int global[WORDS];

static int memory_is(const int *p, int n, int id)
{
    for (int i = 0; i < n; i++)
        if (p[i] != id * 7919 + i)
            return 0;
    return 1;
}

static void fill(int *p, int n, int id)
{
    for (int i = 0; i < n; i++)
        p[i] = id * 7919 + i;
}

/* Run node id at depth; returns 0 if it and its subtree are good, else a
 * reason (the root reports it; others exit 1). */
static const char *node(int id, int depth, pid_t parent)
{
    int local[256];
    int *heap = malloc(WORDS * sizeof(int));
    if (!heap)
        return "malloc failed";
    fill(global, WORDS, id);
    fill(heap, WORDS, id);
    fill(local, 256, id);
    if (parent && getppid() != parent)
        return "getppid is not the parent";
    pid_t kids[FANOUT];
    int nkids = depth < DEPTH ? FANOUT : 0;
    for (int i = 0; i < nkids; i++) {
        int cid = id * FANOUT + i + 1;
        pid_t me = getpid();
        kids[i] = fork();
        if (kids[i] < 0)
            return "fork failed";
        if (kids[i] == 0)
            exit(node(cid, depth + 1, me) ? 1 : 100 + cid);
    }
    const char *why = NULL;
    for (int i = 0; i < nkids; i++) {
        int status, cid = id * FANOUT + i + 1;
        if (waitpid(kids[i], &status, 0) != kids[i])
            why = "waitpid did not return the child";
        else if (!WIFEXITED(status) || WEXITSTATUS(status) != 100 + cid)
            why = "a child's subtree failed";
    }
    if (waitpid(-1, NULL, WNOHANG) != -1 || errno != ECHILD)
        why = "children left after waiting for all";
    if (!memory_is(global, WORDS, id))
        why = "global array changed under us";
    if (!memory_is(heap, WORDS, id))
        why = "heap buffer changed under us";
    if (!memory_is(local, 256, id))
        why = "stack changed under us";
    free(heap);
    return why;
}

int main(void)
{
    const char *why = node(0, 0, 0);
    if (why)
        fail("%s", why);
    printf("forktree: 15 processes, depth 3; each kept its own memory\n");
    return 0;
}
