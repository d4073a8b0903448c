/* vmtrace sweep --collect: every job's rows, in the order of the job list,
 * into results.csv, and the miss-rate plot (tools/vmtrace_plot.c). A job
 * without results, or with another number of rows than the list gives it,
 * fails the merge (exit status 1) and leaves results.csv as it was. */
#include "tools/vmtrace_sweep.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int vt_sweep_collect(const char *dir)
{
    char man[PATH_MAX + 32], out[PATH_MAX + 32], tmp[PATH_MAX + 48], svg[PATH_MAX + 32], png[PATH_MAX + 32];
    snprintf(man, sizeof man, "%s/sweep.jobs", dir);
    snprintf(out, sizeof out, "%s/results.csv", dir);
    snprintf(tmp, sizeof tmp, "%s/results.csv.part", dir);
    snprintf(svg, sizeof svg, "%s/missrate.svg", dir);
    snprintf(png, sizeof png, "%s/missrate.png", dir);
    FILE *m = fopen(man, "r");
    if (!m) {
        fprintf(stderr, "vmtrace sweep: %s: %s (not a sweep's directory, or no mode ran yet)\n", man, strerror(errno));
        return 2;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "vmtrace sweep: %s: cannot create: %s\n", tmp, strerror(errno));
        fclose(m);
        return 2;
    }
    fprintf(f, "%s\n", vt_rows_csv_header);
    struct vt_plot_row *pr = NULL;
    size_t npr = 0, cap = 0, jobs = 0, missing = 0;
    char line[4096];
    int rc = 0;
    while (fgets(line, sizeof line, m)) {
        unsigned k;
        size_t first, cnt;
        char wname[64];
        if (line[0] == '#' || sscanf(line, "%u %63s %zu %zu", &k, wname, &first, &cnt) != 4)
            continue;
        jobs++;
        char jp[PATH_MAX + 64];
        snprintf(jp, sizeof jp, "%s/jobs/%u.csv", dir, k);
        FILE *j = fopen(jp, "r");
        if (!j) {
            if (missing++ < 5)
                fprintf(stderr, "vmtrace sweep: job %u (workload %s) has no results: %s\n", k, wname, jp);
            continue;
        }
        size_t rows = 0;
        bool head = true;
        while (fgets(line, sizeof line, j)) {
            if (head) {     /* the header line */
                head = false;
                continue;
            }
            fputs(line, f);
            rows++;
            char *fl[11];
            if (vt_csv_split(line, fl, 11) != 11 || strcmp(fl[1], "tlb"))
                continue;
            if (npr == cap) {
                cap = cap ? cap * 2 : 64;
                pr = vt_xrealloc(pr, cap * sizeof *pr);
            }
            struct vt_plot_row *x = &pr[npr++];
            snprintf(x->trace, sizeof x->trace, "%s", fl[0]);
            snprintf(x->config, sizeof x->config, "%s", fl[2]);
            snprintf(x->structure, sizeof x->structure, "%s", fl[3]);
            snprintf(x->policy, sizeof x->policy, "%s", fl[4]);
            double look = strtod(fl[5], NULL), miss = strtod(fl[7], NULL);
            x->miss_rate = look > 0 ? miss / look : 0;
        }
        fclose(j);
        if (rows != cnt) {
            fprintf(stderr, "vmtrace sweep: %s: %zu rows, the job list says %zu\n", jp, rows, cnt);
            rc = 1;
        }
    }
    fclose(m);
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "vmtrace sweep: %s: write error\n", tmp);
        rc = 1;
    }
    if (missing) {
        fprintf(stderr, "vmtrace sweep: %zu of %zu jobs have no results yet: run the sweep again (complete jobs "
                        "are skipped)\n", missing, jobs);
        rc = 1;
    }
    if (!jobs) {
        fprintf(stderr, "vmtrace sweep: %s lists no jobs\n", man);
        rc = 2;
    }
    if (rc) {
        unlink(tmp);
        free(pr);
        return rc;
    }
    if (rename(tmp, out)) {
        fprintf(stderr, "vmtrace sweep: %s: %s\n", out, strerror(errno));
        free(pr);
        return 1;
    }
    rc = vt_plot_missrate(pr, npr, svg, png);
    free(pr);
    if (!rc)
        printf("%s: %zu jobs merged; plots %s and %s\n", out, jobs, svg, png);
    return rc;
}
