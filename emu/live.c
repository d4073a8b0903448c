/* Watching a run as it happens: --events and --viz (see live.h). */
#include "emu/live.h"
#include "emu/events.h"
#include "emu/symbols.h"
#include "emu/machine.h"
#include "emu/paths.h"
#include "trace/reader.h"
#include "trace/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


struct live {
    bool events, viz;
    uint64_t mask;                  /* --events kinds */
    char tmp[4096];                 /* the temporary trace, "" when --trace named one */
    const char *path;               /* the trace being followed */
    const char *symdir;             /* --symbols */
    const char *vmviz;              /* the vmviz to run (emu/paths.h) */
    struct tr_reader *r;
    struct ev_printer *pr;
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    bool stop;                      /* the run is over: read up to `target`, then end */
    uint64_t target;                /* events written by the end of the run */
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);    /* host time: when to poll, never what the guest sees */
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

bool live_prepare(struct vm_options *opt, struct live **lvp, char *err, size_t errlen)
{
    *lvp = NULL;
    if (!opt->events && !opt->viz)
        return true;
    struct live *lv = calloc(1, sizeof *lv);
    if (!lv) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    pthread_mutex_init(&lv->mu, NULL);
    lv->events = opt->events != NULL;
    lv->viz = opt->viz;
    lv->symdir = opt->symbols ? opt->symbols : opt->paths->symbols;
    lv->vmviz = opt->paths->vmviz;
    if (lv->events && !ev_kinds_parse(opt->events, &lv->mask, err, errlen)) {
        free(lv);
        return false;
    }
    if (!opt->trace) {
        const char *dir = getenv("TMPDIR");
        snprintf(lv->tmp, sizeof lv->tmp, "%s/vmscope-live-XXXXXX", dir && *dir ? dir : "/tmp");
        int fd = mkstemp(lv->tmp);
        if (fd < 0) {
            snprintf(err, errlen, "%s: cannot make a temporary trace: %s", lv->tmp, strerror(errno));
            free(lv);
            return false;
        }
        close(fd);
        opt->trace = lv->tmp;
        if (!lv->viz && !opt->trace_filter)
            opt->trace_filter = "fault,annot";      /* --events alone: what it prints, and cheap */
    }
    lv->path = opt->trace;
    *lvp = lv;
    return true;
}

/* The window: vmviz following the trace, as a process of its own that
 * reads the file through an inherited descriptor (the temporary file is
 * unlinked). vmscope never waits for it. */
static bool start_viz(struct live *lv, char *err, size_t errlen)
{
    int fd = open(lv->path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "--viz: %s: %s", lv->path, strerror(errno));
        return false;
    }
    pid_t pid = fork();
    if (pid < 0) {
        close(fd);
        snprintf(err, errlen, "--viz: cannot start vmviz: %s", strerror(errno));
        return false;
    }
    if (pid == 0) {
        char fdpath[64];
        snprintf(fdpath, sizeof fdpath, "/dev/fd/%d", fd);
        setsid();       /* the window outlives the run, and Ctrl-C in the terminal stops only vmscope */
        /* nor does it hold the run's console: a script reading vmscope's
         * stdout to its end is not kept waiting by the window */
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            if (null > 2)
                close(null);
        }
        if (access(lv->vmviz, X_OK) == 0)
            execl(lv->vmviz, "vmviz", fdpath, "--follow", (char *)NULL);
        execlp("vmviz", "vmviz", fdpath, "--follow", (char *)NULL);
        fprintf(stderr, "vmscope: --viz: cannot run vmviz (%s or vmviz in PATH): %s\n", lv->vmviz,
                strerror(errno));
        _exit(127);
    }
    close(fd);
    return true;
}

/* The printer thread: follows the file, prints, and after the run reads
 * up to the last record written. */
static void *printer(void *arg)
{
    struct live *lv = arg;
    struct tr_cursor *c = tr_cursor_new(lv->r, 0);
    struct tr_event evs[256];
    uint64_t seen = 0;
    double idle_since = 0;
    while (c) {
        size_t n = tr_cursor_batch(c, evs, 256);
        for (size_t i = 0; i < n; i++) {
            ev_printer_record(lv->pr, &evs[i]);
            seen = evs[i].event + evs[i].count;
        }
        if (n) {
            idle_since = 0;
            continue;
        }
        pthread_mutex_lock(&lv->mu);
        bool stop = lv->stop;
        uint64_t target = lv->target;
        pthread_mutex_unlock(&lv->mu);
        if (stop && seen >= target)
            break;
        if (!tr_reader_refresh(lv->r)) {
            double now = mono();
            if (stop && idle_since == 0)
                idle_since = now;
            if (stop && now - idle_since > 20) {
                fprintf(stderr, "vmscope: --events: the trace ended at event %llu of %llu\n",
                        (unsigned long long)seen, (unsigned long long)target);
                break;
            }
            usleep(20000);
        }
    }
    ev_printer_flush(lv->pr);
    fflush(stderr);
    if (c)
        tr_cursor_free(c);
    return NULL;
}

bool live_start(struct live *lv, struct machine *m, char *err, size_t errlen)
{
    if (!lv)
        return true;
    if (lv->viz && !start_viz(lv, err, errlen))
        return false;
    if (lv->events) {
        lv->r = tr_reader_open(lv->path, TR_OPEN_FOLLOW, NULL, NULL, err, errlen);
        if (!lv->r)
            return false;
        uint32_t kinds = tr_reader_header(lv->r)->kinds;
        if (!(kinds & (1u << TRK_FAULT)) || !(kinds & (1u << TRK_ANNOT)))
            fprintf(stderr, "vmscope: --events: the trace filter drops faults or annotations; "
                            "their lines will be missing\n");
        /* the symbol chunk (the kernel's symbols) comes first: wait for it */
        for (double t0 = mono(); m->syms->n && !tr_reader_nchunks(lv->r) && mono() - t0 < 5;)
            if (!tr_reader_refresh(lv->r))
                usleep(5000);
        lv->pr = ev_printer_new(lv->r, lv->mask, lv->symdir, stderr);
        if (!lv->pr || pthread_create(&lv->thread, NULL, printer, lv) != 0) {
            snprintf(err, errlen, "--events: cannot start the printer");
            return false;
        }
        lv->running = true;
    }
    if (lv->tmp[0])
        unlink(lv->tmp);    /* the writer, the reader and vmviz hold it open */
    return true;
}

void live_finish(struct live *lv, struct machine *m)
{
    if (!lv)
        return;
    if (lv->running) {
        pthread_mutex_lock(&lv->mu);
        lv->stop = true;
        lv->target = m->trace ? trace_writer_events(m->trace) : 0;
        pthread_mutex_unlock(&lv->mu);
        pthread_join(lv->thread, NULL);
    }
    if (lv->tmp[0])
        unlink(lv->tmp);    /* when start failed before it */
    ev_printer_free(lv->pr);
    if (lv->r)
        tr_reader_close(lv->r);
    pthread_mutex_destroy(&lv->mu);
    free(lv);
}
