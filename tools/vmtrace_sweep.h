/* vmtrace sweep: a sweep file, its jobs, and the merged results' plot.
 *
 * A sweep is workloads x configurations. The configurations (every `grid`
 * line's cross product, then every `frames` line's counts x policies, in
 * file order) are cut into slices of --per-job; a job is one workload and
 * one slice, numbered workload-major. Everything a sweep writes lives in its
 * `out` directory:
 *
 *   sweep.jobs            the job list (written by every mode; --collect reads it)
 *   traces/NAME.vmt       the workload's trace (NAME.vmt.part while recording,
 *                         NAME.log the emulator's console, NAME.lock held while
 *                         a job checks or records it)
 *   jobs/K.csv            job K's rows (K.csv.part until complete)
 *   sweep.sbatch, logs/   --emit slurm's array script and its tasks' output
 *   results.csv           --collect: every job's rows in job order
 *   missrate.svg, .png    --collect: miss rate against TLB size */
#ifndef VMSCOPE_TOOLS_VMTRACE_SWEEP_H
#define VMSCOPE_TOOLS_VMTRACE_SWEEP_H

#include "tools/vmtrace_multi.h"

/* --collect DIR: merge the jobs' rows into DIR/results.csv and draw
 * DIR/missrate.svg and .png. Returns 0, 1 (a job without results, a write
 * error) or 2 (DIR is not a sweep's), after a line on stderr. */
int vt_sweep_collect(const char *dir);

/* One row of results.csv as the plot needs it. */
struct vt_plot_row {
    char trace[128];                /* the workload */
    char config[280];
    char structure[16];
    char policy[16];
    double miss_rate;               /* misses / lookups */
};

/* Draw TLB rows (structure named) of ROWS as miss rate against the named
 * structure's entries, one line per configuration less that structure's term
 * (usually the policy), one panel per workload, into SVG and PNG (cairo).
 * Returns 0, or 1 after one line on stderr. */
int vt_plot_missrate(const struct vt_plot_row *rows, size_t n, const char *svg, const char *png);

#endif
