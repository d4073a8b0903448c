/* vmtrace sweep: workloads x configurations, run here (--local), as GNU
 * parallel lines (--emit parallel) or as a Slurm array (--emit slurm), then
 * merged and drawn (--collect). Layout of the output directory and the
 * numbering of jobs: tools/vmtrace_sweep.h.
 *
 * Every mode runs the same jobs (`vmtrace sweep FILE --job K`), each of
 * which writes its rows atomically (K.csv.part, then a rename), so a merged
 * result does not depend on the mode, and a re-run skips every job whose
 * K.csv exists and redoes the others. A workload's trace is recorded once:
 * the first job to take its lock records it (NAME.vmt.part, renamed when the
 * emulator has closed it), the others wait and reuse it. */
#include "tools/vmtrace_sweep.h"
#include "tools/vmtrace_sim.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SWEEP_WORKLOADS 64
#define SWEEP_ARGS 64

struct workload {
    char name[64];
    char args[1024];                /* vmscope run arguments, as written */
};

struct sweep {
    char path[PATH_MAX];            /* the sweep file, absolute */
    char out[PATH_MAX];             /* out = DIR, absolute */
    struct workload w[SWEEP_WORKLOADS];
    unsigned nw;
    struct vt_cfgs cfgs;            /* grid lines, then frames lines */
    unsigned per_job;               /* configurations per job */
    unsigned slices;                /* jobs per workload */
};

static unsigned sweep_njobs(const struct sweep *s) { return s->nw * s->slices; }

/* ------------------------------------------------------------ the sweep file */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    for (char *e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r');)
        *--e = 0;
    return s;
}

static bool name_ok(const char *s)
{
    if (!*s || *s == '.')
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
              *s == '-' || *s == '.'))
            return false;
    return true;
}

/* "frames = 64,128 policy=lru,opt" (policy= optional: every policy). */
static bool parse_frames_line(struct sweep *s, char *v, char *err, size_t errlen)
{
    char *pol = strstr(v, "policy=");
    if (pol) {
        *pol = 0;
        pol = trim(pol + 7);
    }
    return vt_cfgs_add_frames(&s->cfgs, trim(v), pol, err, errlen);
}

/* Read PATH. False after one line on stderr naming the file and line. */
static bool sweep_load(struct sweep *s, const char *path, unsigned per_job)
{
    memset(s, 0, sizeof *s);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "vmtrace sweep: %s: %s\n", path, strerror(errno));
        return false;
    }
    if (!realpath(path, s->path))
        snprintf(s->path, sizeof s->path, "%s", path);
    char line[2048], err[512];
    unsigned ln = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        ln++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char *l = trim(line);
        if (!*l)
            continue;
        char *eq = strchr(l, '=');
        if (!eq) {
            fprintf(stderr, "vmtrace sweep: %s:%u: expected KEY = VALUE\n", path, ln);
            ok = false;
            break;
        }
        *eq = 0;
        char *key = trim(l), *val = trim(eq + 1);
        if (!strcmp(key, "out")) {
            if (!*val) {
                fprintf(stderr, "vmtrace sweep: %s:%u: out = DIR\n", path, ln);
                ok = false;
            } else if (val[0] == '/') {
                snprintf(s->out, sizeof s->out, "%s", val);
            } else {   /* relative to the sweep file's directory */
                char dir[PATH_MAX];
                snprintf(dir, sizeof dir, "%s", s->path);
                char *sl = strrchr(dir, '/');
                if (sl)
                    *sl = 0;
                snprintf(s->out, sizeof s->out, "%.*s/%s", (int)(sizeof s->out / 2), dir, val);
            }
        } else if (!strncmp(key, "workload", 8) && (key[8] == ' ' || key[8] == '\t')) {
            char *name = trim(key + 8);
            if (!name_ok(name) || strlen(name) >= sizeof s->w[0].name) {
                fprintf(stderr, "vmtrace sweep: %s:%u: a workload name is letters, digits, '_', '-', '.'\n", path, ln);
                ok = false;
            } else if (s->nw == SWEEP_WORKLOADS) {
                fprintf(stderr, "vmtrace sweep: %s:%u: more than %d workloads\n", path, ln, SWEEP_WORKLOADS);
                ok = false;
            } else {
                for (unsigned i = 0; i < s->nw; i++)
                    if (!strcmp(s->w[i].name, name)) {
                        fprintf(stderr, "vmtrace sweep: %s:%u: workload %s twice\n", path, ln, name);
                        ok = false;
                    }
                snprintf(s->w[s->nw].name, sizeof s->w[0].name, "%s", name);
                snprintf(s->w[s->nw].args, sizeof s->w[0].args, "%s", val);
                s->nw++;
            }
        } else if (!strcmp(key, "grid")) {
            if (!vt_cfgs_add_grid(&s->cfgs, val, err, sizeof err)) {
                fprintf(stderr, "vmtrace sweep: %s:%u: %s\n", path, ln, err);
                ok = false;
            }
        } else if (!strcmp(key, "frames")) {
            if (!parse_frames_line(s, val, err, sizeof err)) {
                fprintf(stderr, "vmtrace sweep: %s:%u: frames: %s\n", path, ln, err);
                ok = false;
            }
        } else {
            fprintf(stderr, "vmtrace sweep: %s:%u: unknown key '%s' (out, workload NAME, grid, frames)\n", path, ln,
                    key);
            ok = false;
        }
    }
    fclose(f);
    if (ok && !s->out[0]) {
        fprintf(stderr, "vmtrace sweep: %s: no 'out = DIR'\n", path);
        ok = false;
    }
    if (ok && !s->nw) {
        fprintf(stderr, "vmtrace sweep: %s: no 'workload NAME = ARGS'\n", path);
        ok = false;
    }
    if (ok && !s->cfgs.n) {
        fprintf(stderr, "vmtrace sweep: %s: no 'grid =' or 'frames =' line\n", path);
        ok = false;
    }
    if (ok && !vt_cfgs_check(&s->cfgs, err, sizeof err)) {
        fprintf(stderr, "vmtrace sweep: %s: %s\n", path, err);
        ok = false;
    }
    if (!ok) {
        vt_cfgs_free(&s->cfgs);
        return false;
    }
    s->per_job = per_job;
    s->slices = (unsigned)((s->cfgs.n + per_job - 1) / per_job);
    return true;
}

/* ------------------------------------------------------------ files */

static bool mkdirs(const char *dir)
{
    char p[PATH_MAX + 32];
    snprintf(p, sizeof p, "%s", dir);
    for (char *q = p + 1; *q; q++)
        if (*q == '/') {
            *q = 0;
            if (mkdir(p, 0777) && errno != EEXIST)
                return false;
            *q = '/';
        }
    return !mkdir(p, 0777) || errno == EEXIST;
}

static bool sweep_dirs(const struct sweep *s)
{
    static const char *const sub[] = { "", "/traces", "/jobs", "/logs" };
    for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
        char d[PATH_MAX + 16];
        snprintf(d, sizeof d, "%s%s", s->out, sub[i]);
        if (!mkdirs(d)) {
            fprintf(stderr, "vmtrace sweep: %s: cannot create: %s\n", d, strerror(errno));
            return false;
        }
    }
    return true;
}

static bool file_exists(const char *p)
{
    struct stat st;
    return !stat(p, &st) && S_ISREG(st.st_mode);
}

/* The job list, written through a temporary file so that readers see a whole one. */
static bool write_manifest(const struct sweep *s)
{
    char tmp[PATH_MAX + 32], fin[PATH_MAX + 32];
    snprintf(fin, sizeof fin, "%s/sweep.jobs", s->out);
    snprintf(tmp, sizeof tmp, "%s/sweep.jobs.%ld", s->out, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "vmtrace sweep: %s: cannot create: %s\n", tmp, strerror(errno));
        return false;
    }
    fprintf(f, "# vmtrace sweep %s: job workload first-configuration configurations\n", s->path);
    for (unsigned k = 0; k < sweep_njobs(s); k++) {
        unsigned w = k / s->slices, sl = k % s->slices;
        size_t first = (size_t)sl * s->per_job, cnt = s->cfgs.n - first < s->per_job ? s->cfgs.n - first : s->per_job;
        fprintf(f, "%u %s %zu %zu\n", k, s->w[w].name, first, cnt);
    }
    if (ferror(f) | fclose(f) || rename(tmp, fin)) {
        fprintf(stderr, "vmtrace sweep: %s: write error\n", fin);
        unlink(tmp);
        return false;
    }
    return true;
}

/* ------------------------------------------------------------ recording a trace */

/* vmscope: $VMSCOPE, else beside this vmtrace (installed) or in the build
 * tree's emu/, else the PATH's. */
static void find_vmscope(char *buf, size_t len)
{
    const char *env = getenv("VMSCOPE");
    if (env && *env) {
        snprintf(buf, len, "%s", env);
        return;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = 0;
        char *sl = strrchr(self, '/');
        if (sl) {
            *sl = 0;
            static const char *const rel[] = { "/vmscope", "/../emu/vmscope" };
            for (size_t i = 0; i < 2; i++) {
                char p[PATH_MAX + 32], r[PATH_MAX];
                snprintf(p, sizeof p, "%s%s", self, rel[i]);
                if (!access(p, X_OK) && realpath(p, r)) {
                    snprintf(buf, len, "%s", r);
                    return;
                }
            }
        }
    }
    snprintf(buf, len, "vmscope");
}

/* Split ARGS as a shell would split plain words: blanks separate, '...'
 * keeps everything, "..." and a backslash escape one character. Words go
 * into STORE; returns their count, or -1 when a quote is open or there are
 * too many. */
static int split_args(const char *args, char *store, size_t cap, char **argv, int max)
{
    int n = 0;
    size_t o = 0;
    const char *p = args;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return n;
        if (n == max)
            return -1;
        argv[n++] = store + o;
        char q = 0;
        for (; *p && (q || (*p != ' ' && *p != '\t')); p++) {
            if (o + 2 >= cap)
                return -1;
            if (q == '\'') {
                if (*p == '\'')
                    q = 0;
                else
                    store[o++] = *p;
            } else if (*p == '\\' && p[1] && q != '\'') {
                store[o++] = *++p;
            } else if (q == '"' && *p == '"') {
                q = 0;
            } else if (!q && (*p == '\'' || *p == '"')) {
                q = *p;
            } else {
                store[o++] = *p;
            }
        }
        if (q)
            return -1;
        store[o++] = 0;
    }
}

/* Is PATH a trace the writer closed (footer present) with nothing damaged? */
static bool trace_complete(const char *path)
{
    if (!file_exists(path))
        return false;
    char err[512];
    struct tr_reader *r = tr_reader_open(path, 0, NULL, NULL, err, sizeof err);
    if (!r)
        return false;
    bool ok = tr_reader_complete(r) && !tr_reader_recovered(r) && !tr_reader_problems(r);
    tr_reader_close(r);
    return ok;
}

/* Record workload W's trace into DIR/traces, or find it complete there.
 * Holds the workload's lock while it looks and records, so that jobs
 * started together record it once. */
static bool ensure_trace(const struct sweep *s, const struct workload *w, char *trace, size_t len)
{
    char lock[PATH_MAX + 96], part[PATH_MAX + 96], log[PATH_MAX + 96];
    snprintf(trace, len, "%s/traces/%s.vmt", s->out, w->name);
    snprintf(lock, sizeof lock, "%s/traces/%s.lock", s->out, w->name);
    snprintf(part, sizeof part, "%s/traces/%s.vmt.part", s->out, w->name);
    snprintf(log, sizeof log, "%s/traces/%s.log", s->out, w->name);
    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (lfd < 0 || flock(lfd, LOCK_EX)) {
        fprintf(stderr, "vmtrace sweep: %s: cannot lock: %s\n", lock, strerror(errno));
        if (lfd >= 0)
            close(lfd);
        return false;
    }
    bool ok = trace_complete(trace);
    if (ok) {
        fprintf(stderr, "sweep: workload %s: trace %s is complete, reused\n", w->name, trace);
    } else {
        char vmscope[PATH_MAX], store[4096];
        char *argv[SWEEP_ARGS + 8];
        find_vmscope(vmscope, sizeof vmscope);
        argv[0] = vmscope;
        argv[1] = "run";
        int n = split_args(w->args, store, sizeof store, argv + 2, SWEEP_ARGS);
        if (n < 0) {
            fprintf(stderr, "vmtrace sweep: workload %s: arguments do not split (open quote, or too many)\n",
                    w->name);
        } else {
            argv[2 + n] = "--trace";
            argv[3 + n] = part;
            argv[4 + n] = NULL;
            fprintf(stderr, "sweep: workload %s: recording %s (console in %s)\n", w->name, trace, log);
            unlink(part);
            fflush(NULL);
            pid_t pid = fork();
            if (pid == 0) {
                prctl(PR_SET_PDEATHSIG, SIGTERM);  /* a killed job takes its recording with it */
                int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
                int nul = open("/dev/null", O_RDONLY);
                if (fd >= 0) {
                    dup2(fd, 1);
                    dup2(fd, 2);
                }
                if (nul >= 0)
                    dup2(nul, 0);
                execvp(argv[0], argv);
                fprintf(stderr, "vmtrace sweep: %s: %s\n", argv[0], strerror(errno));
                _exit(127);
            }
            int st = 0;
            while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
            /* vmscope's statuses (DESIGN.md): 2 bad input, 10 interrupted; a
             * guest's own status is any odd number. */
            bool ran = pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) != 2 && WEXITSTATUS(st) != 10 &&
                       WEXITSTATUS(st) != 127;
            if (!ran)
                fprintf(stderr, "vmtrace sweep: workload %s: vmscope %s %d (see %s)\n", w->name,
                        pid > 0 && WIFSIGNALED(st) ? "killed by signal" : "ended with status",
                        pid > 0 && WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), log);
            else if (!trace_complete(part))
                fprintf(stderr, "vmtrace sweep: workload %s: %s is not a complete trace\n", w->name, part);
            else if (rename(part, trace))
                fprintf(stderr, "vmtrace sweep: %s: %s\n", trace, strerror(errno));
            else
                ok = true;
        }
    }
    flock(lfd, LOCK_UN);
    close(lfd);
    return ok;
}

/* ------------------------------------------------------------ one job */

/* Does PATH hold the rows of workload W's configurations CFG[0..n), as a
 * job of this sweep file would write them? (A sweep file edited since gives
 * other rows: those jobs are redone.) */
static bool job_matches(const char *path, const char *w, const struct vt_cfg *cfg, size_t n)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char line[4096];
    size_t i = 0;
    bool ok = fgets(line, sizeof line, f) && !strncmp(line, vt_rows_csv_header, strlen(vt_rows_csv_header));
    while (ok && fgets(line, sizeof line, f)) {
        char *fl[11], want[300];
        if (i == n || vt_csv_split(line, fl, 11) != 11) {
            ok = false;
            break;
        }
        if (cfg[i].kind == VT_CFG_TLB)
            snprintf(want, sizeof want, "%s", cfg[i].spec);
        else
            snprintf(want, sizeof want, "frames=%u", cfg[i].frames);
        ok = !strcmp(fl[0], w) && !strcmp(fl[2], want) &&
             (cfg[i].kind == VT_CFG_TLB || !strcmp(fl[4], vt_policy_names[cfg[i].policy]));
        i++;
    }
    fclose(f);
    return ok && i == n;
}


static int run_job(const struct sweep *s, unsigned k, unsigned jobs)
{
    unsigned w = k / s->slices, sl = k % s->slices;
    size_t first = (size_t)sl * s->per_job;
    size_t cnt = s->cfgs.n - first < s->per_job ? s->cfgs.n - first : s->per_job;
    char fin[PATH_MAX + 64], part[PATH_MAX + 64], trace[PATH_MAX + 96];
    snprintf(fin, sizeof fin, "%s/jobs/%u.csv", s->out, k);
    snprintf(part, sizeof part, "%s/jobs/%u.csv.part", s->out, k);
    if (job_matches(fin, s->w[w].name, s->cfgs.v + first, cnt)) {
        fprintf(stderr, "sweep: job %u: complete, skipped\n", k);
        return 0;
    }
    if (file_exists(fin))
        fprintf(stderr, "sweep: job %u: %s holds other rows (the sweep file changed?): redone\n", k, fin);
    if (!sweep_dirs(s) || !ensure_trace(s, &s->w[w], trace, sizeof trace))
        return 1;
    struct tr_reader *r = vt_open(trace, 0);
    if (!r)
        return 1;
    struct vt_row *rows = vt_xcalloc(cnt, sizeof *rows);
    int rc = vt_multi_run(r, s->cfgs.v + first, cnt, jobs, 0xC0000000u, rows);
    tr_reader_close(r);
    if (!rc) {
        FILE *f = fopen(part, "w");
        if (!f) {
            fprintf(stderr, "vmtrace sweep: %s: cannot create: %s\n", part, strerror(errno));
            rc = 1;
        } else {
            vt_rows_write(f, VT_ROWS_CSV, rows, cnt);
            if (ferror(f) | fflush(f) || fsync(fileno(f)) | fclose(f) || rename(part, fin)) {
                fprintf(stderr, "vmtrace sweep: %s: write error\n", fin);
                rc = 1;
            }
        }
    }
    free(rows);
    if (!rc)
        fprintf(stderr, "sweep: job %u: done (workload %s, configurations %zu-%zu)\n", k, s->w[w].name, first,
                first + cnt - 1);
    return rc;
}

/* ------------------------------------------------------------ emitting */

/* ARG in single quotes for sh. */
static void sh_quote(FILE *f, const char *arg)
{
    fputc('\'', f);
    for (; *arg; arg++)
        if (*arg == '\'')
            fputs("'\\''", f);
        else
            fputc(*arg, f);
    fputc('\'', f);
}

/* The command of job K (or of the array task, K < 0): absolute paths, so
 * it runs from any directory and, over a shared file system, any host. */
static void job_command(FILE *f, const struct sweep *s, long k, unsigned jobs, const char *jobs_var)
{
    char vmscope[PATH_MAX], self[PATH_MAX];
    find_vmscope(vmscope, sizeof vmscope);
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = 0;
    fputs("VMSCOPE=", f);
    sh_quote(f, vmscope);
    fputc(' ', f);
    sh_quote(f, n > 0 ? self : "vmtrace");
    fputs(" sweep ", f);
    sh_quote(f, s->path);
    if (s->per_job != 8)
        fprintf(f, " --per-job %u", s->per_job);
    if (k >= 0)
        fprintf(f, " --job %ld --jobs %u", k, jobs);
    else
        fprintf(f, " --job \"$SLURM_ARRAY_TASK_ID\" --jobs \"%s\"", jobs_var);
}

struct slurm_opts {
    unsigned cpus;                  /* --cpus-per-task, and the job's simulator threads */
    char mem[32];                   /* --mem */
    unsigned minutes;               /* --time */
    const char *partition;          /* --partition, or NULL */
};

static int emit_slurm(const struct sweep *s, const struct slurm_opts *o)
{
    char path[PATH_MAX + 32], tmp[PATH_MAX + 48];
    snprintf(path, sizeof path, "%s/sweep.sbatch", s->out);
    snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "vmtrace sweep: %s: cannot create: %s\n", tmp, strerror(errno));
        return 2;
    }
    fprintf(f, "#!/bin/sh\n"
               "# Written by vmtrace sweep --emit slurm from %s.\n"
               "# One array task per workload and slice of %u configurations (%u workloads x %u slices).\n"
               "# Each task records its workload's trace into %s/traces, or reuses a complete one,\n"
               "# simulates its slice and writes %s/jobs/TASK.csv; tasks already complete\n"
               "# return at once. Then: vmtrace sweep --collect %s\n", s->path, s->per_job, s->nw, s->slices,
            s->out, s->out, s->out);
    fprintf(f, "#SBATCH --job-name=vmtrace-sweep\n#SBATCH --array=0-%u\n#SBATCH --ntasks=1\n"
               "#SBATCH --cpus-per-task=%u\n#SBATCH --mem=%s\n#SBATCH --time=%u\n#SBATCH --output=%s/logs/%%A_%%a.out\n",
            sweep_njobs(s) - 1, o->cpus, o->mem, o->minutes, s->out);
    if (o->partition)
        fprintf(f, "#SBATCH --partition=%s\n", o->partition);
    fputs("exec env ", f);
    job_command(f, s, -1, 0, "${SLURM_CPUS_PER_TASK:-1}");
    fputc('\n', f);
    if (ferror(f) | fclose(f) || chmod(tmp, 0755) || rename(tmp, path)) {
        fprintf(stderr, "vmtrace sweep: %s: write error\n", path);
        unlink(tmp);
        return 1;
    }
    printf("%s: %u array tasks (%u workloads x %u slices); submit with: sbatch %s\n", path, sweep_njobs(s), s->nw,
           s->slices, path);
    return 0;
}

/* ------------------------------------------------------------ the command */

static void sweep_help(void)
{
    printf("usage: vmtrace sweep FILE --local [--jobs N]\n"
           "       vmtrace sweep FILE --emit parallel [--jobs N]\n"
           "       vmtrace sweep FILE --emit slurm [--jobs N] [--mem SIZE] [--time MIN] [--partition P]\n"
           "       vmtrace sweep FILE --job K [--jobs N]\n"
           "       vmtrace sweep --collect DIR\n"
           "  (every form but --collect also takes --per-job M, default 8)\n\n"
           "A sweep: workloads x configurations. FILE holds lines KEY = VALUE ('#' starts a comment):\n"
           "  out = DIR                      where everything goes (relative to FILE's directory)\n"
           "  workload NAME = ARGS           `vmscope run` arguments; its trace goes to DIR/traces/NAME.vmt\n"
           "  grid = SPEC                    TLB configurations, as `vmtrace sim --grid`\n"
           "  frames = N,N,... policy=P,...  memory sizes x page policies, as `vmtrace sim --frames --policy`\n"
           "The configurations, in file order, are cut into slices of --per-job; a job is one workload\n"
           "and one slice (job K: workload K / slices, slice K %% slices). A job records its workload's\n"
           "trace (or reuses a complete one: one job records, the others wait), simulates its slice in\n"
           "one read (as `vmtrace sim`, on --jobs threads) and writes DIR/jobs/K.csv.\n"
           "  --local            run every job here, one after the other, then --collect\n"
           "  --emit parallel    print one shell line per job, for GNU parallel (each line runs one job on\n"
           "                     --jobs threads, default 1): vmtrace sweep F --emit parallel | parallel;\n"
           "                     with --sshlogin the hosts need DIR and the binaries at the same paths\n"
           "  --emit slurm       write DIR/sweep.sbatch, an array script (one task per job, --cpus-per-task\n"
           "                     from --jobs, default 2; --mem, default 2G; --time in minutes, default 60):\n"
           "                     sbatch DIR/sweep.sbatch\n"
           "  --job K            run job K (what the lines and the array tasks run)\n"
           "  --collect DIR      merge DIR/jobs/*.csv in job order into DIR/results.csv (the columns of\n"
           "                     `vmtrace sim --csv`) and draw DIR/missrate.svg and DIR/missrate.png: miss\n"
           "                     rate against the entries of the structure each TLB configuration names\n"
           "                     first, a line per configuration less that term (the policy), a panel per\n"
           "                     workload\n"
           "Every mode gives the same results.csv. Resuming: a job whose DIR/jobs/K.csv exists is skipped;\n"
           "partial files (.part) are redone. Exit status 0, 1 when a job or the merge failed (collect: a\n"
           "job without results), 2 on a bad sweep file or usage.\n");
}

int vt_cmd_sweep(int argc, char **argv)
{
    if (vt_want_help(argc, argv)) {
        sweep_help();
        return 0;
    }
    const char *path = NULL, *emit = NULL, *coll = NULL;
    bool local = false;
    uint64_t jobs = 0, job = UINT64_MAX, per_job = 8, minutes = 60;
    struct slurm_opts so = { .mem = "2G" };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--local")) {
            local = true;
        } else if (!strcmp(a, "--emit")) {
            if (!v || (strcmp(v, "parallel") && strcmp(v, "slurm")))
                return vt_usage("sweep", "--emit takes parallel or slurm");
            emit = v;
            i++;
        } else if (!strcmp(a, "--collect")) {
            if (!v)
                return vt_usage("sweep", "--collect takes a directory");
            coll = v;
            i++;
        } else if (!strcmp(a, "--jobs") || !strcmp(a, "--job") || !strcmp(a, "--per-job") || !strcmp(a, "--time")) {
            uint64_t *dst = !strcmp(a, "--per-job") ? &per_job : !strcmp(a, "--time") ? &minutes
                          : !strcmp(a, "--jobs") ? &jobs : &job;
            if (!v || !vt_parse_u64(v, dst) || (dst != &job && (!*dst || *dst > 100000)))
                return vt_usage("sweep", "%s takes a number", a);
            i++;
        } else if (!strcmp(a, "--mem")) {
            if (!v || strlen(v) >= sizeof so.mem || !*v)
                return vt_usage("sweep", "--mem takes a size (Slurm's syntax: 2G, 500M)");
            snprintf(so.mem, sizeof so.mem, "%s", v);
            i++;
        } else if (!strcmp(a, "--partition")) {
            if (!v)
                return vt_usage("sweep", "--partition takes a name");
            so.partition = v;
            i++;
        } else if (a[0] == '-' && a[1]) {
            return vt_usage("sweep", "unknown option %s", a);
        } else if (path) {
            return vt_usage("sweep", "one FILE only");
        } else {
            path = a;
        }
    }
    int modes = local + !!emit + !!coll + (job != UINT64_MAX);
    if (modes != 1)
        return vt_usage("sweep", "give one of --local, --emit parallel|slurm, --job K, --collect DIR");
    if (coll) {
        if (path)
            return vt_usage("sweep", "--collect takes a directory, not a sweep file");
        return vt_sweep_collect(coll);
    }
    if (!path)
        return vt_usage("sweep", "no FILE");
    struct sweep *s = vt_xcalloc(1, sizeof *s);
    if (!sweep_load(s, path, (unsigned)per_job)) {
        free(s);
        return 2;
    }
    int rc = 0;
    if (job != UINT64_MAX) {
        if (job >= sweep_njobs(s))
            rc = vt_usage("sweep", "--job %" PRIu64 ": the sweep has jobs 0-%u", job, sweep_njobs(s) - 1);
        else
            rc = run_job(s, (unsigned)job, (unsigned)jobs);
    } else if (!sweep_dirs(s) || !write_manifest(s)) {
        rc = 1;
    } else if (local) {
        unsigned failed = 0;
        for (unsigned k = 0; k < sweep_njobs(s); k++) {
            fprintf(stderr, "sweep: job %u (jobs 0-%u)\n", k, sweep_njobs(s) - 1);
            if (run_job(s, k, (unsigned)jobs))
                failed++;
        }
        if (failed) {
            fprintf(stderr, "vmtrace sweep: %u of %u jobs failed; run again to redo them\n", failed, sweep_njobs(s));
            rc = 1;
        } else {
            rc = vt_sweep_collect(s->out);
        }
    } else if (!strcmp(emit, "parallel")) {
        for (unsigned k = 0; k < sweep_njobs(s); k++) {
            job_command(stdout, s, k, jobs ? (unsigned)jobs : 1, NULL);
            putchar('\n');
        }
    } else {
        so.cpus = jobs ? (unsigned)jobs : 2;
        so.minutes = (unsigned)minutes;
        rc = emit_slurm(s, &so);
    }
    vt_cfgs_free(&s->cfgs);
    free(s);
    return rc;
}
