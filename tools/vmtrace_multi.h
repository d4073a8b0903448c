/* vmtrace: many simulator configurations over one read of a trace
 * (`sim --tlb A --tlb B ... --frames N,M --policy P,Q`, `sim --grid`, and
 * each job of a sweep).
 *
 * One thread (the caller's) decodes the trace into batches of records; the
 * TLB replays and the builder of the page-reference string run on worker
 * threads, each consuming every batch in order (a lock per batch, none per
 * record). When the trace is read, the replacement policies run on the
 * string, one configuration per task, on the same number of threads. Every
 * simulator is the one a single `sim` run uses (tools/vmtrace_sim.h), fed the
 * same records in the same order, so each row equals that run's figures. */
#ifndef VMSCOPE_TOOLS_VMTRACE_MULTI_H
#define VMSCOPE_TOOLS_VMTRACE_MULTI_H

#include "tools/vmtrace.h"

enum vt_cfg_kind { VT_CFG_TLB = 0, VT_CFG_FRAMES = 1 };

/* One configuration: a TLB spec, or a memory size and a policy. */
struct vt_cfg {
    int kind;                       /* enum vt_cfg_kind */
    char spec[256];                 /* TLB: the --tlb SPEC as given ("recorded" allowed) */
    uint32_t frames;                /* frames: N */
    int policy;                     /* frames: enum vt_policy */
};

struct vt_cfgs {
    struct vt_cfg *v;
    size_t n, cap;
};

void vt_cfgs_free(struct vt_cfgs *c);
/* Append one TLB configuration. False when SPEC is too long. */
bool vt_cfgs_add_tlb(struct vt_cfgs *c, const char *spec);
/* Append the cross product of GRID: dimensions split by ';', each
 * `key=v1,v2,...` with a --tlb key (dtlb=32:4,64:4;policy=lru,fifo gives
 * four specs, the first dimension varying slowest). False with a reason in
 * ERR. */
bool vt_cfgs_add_grid(struct vt_cfgs *c, const char *grid, char *err, size_t errlen);
/* Append FRAMES x POLICIES ("64,128" x "lru,opt"; POLICIES NULL or "all":
 * every policy), frames varying slowest. False with a reason in ERR. */
bool vt_cfgs_add_frames(struct vt_cfgs *c, const char *frames, const char *policies, char *err, size_t errlen);
/* Check every TLB spec against the model's parser (no trace needed). */
bool vt_cfgs_check(const struct vt_cfgs *c, char *err, size_t errlen);

/* One output row. Counts that do not apply to the kind are not printed. */
struct vt_row {
    char trace[128];                /* the trace's file name without directory and .vmt */
    int kind;                       /* enum vt_cfg_kind */
    char config[280];               /* the spec as given, or "frames=N" */
    char structure[16];             /* TLB: the structure the spec names first ("all": none named) */
    char policy[16];                /* that structure's replacement policy, or the page policy */
    uint64_t lookups, hits, misses;
    uint64_t evictions;             /* TLB: capacity + conflict evictions; frames: live pages pushed out */
    uint64_t faults;                /* frames only: page faults (= misses) */
};

/* Simulate CFG[0..n) over R in one read, on JOBS worker threads (0: the
 * machine's cores), into ROWS[0..n). KBASE: the kernel base of the page
 * numbering (sim --kernel-base). Progress on stderr when it is a terminal.
 * Returns 0, or 2 after one line on stderr (a spec that does not parse, a
 * trace without translations). */
int vt_multi_run(struct tr_reader *r, const struct vt_cfg *cfg, size_t n, unsigned jobs, uint32_t kbase,
                 struct vt_row *rows);

enum vt_rows_format { VT_ROWS_TABLE, VT_ROWS_CSV, VT_ROWS_JSON };
/* The CSV header line (no newline), the columns of every format. */
extern const char vt_rows_csv_header[];
/* ROWS as a table, CSV (with its header line) or a JSON array. */
void vt_rows_write(FILE *f, enum vt_rows_format fmt, const struct vt_row *rows, size_t n);
/* Split one CSV line into at most MAX fields, in place (RFC 4180 quotes:
 * what vt_rows_write writes). Returns the number of fields. */
int vt_csv_split(char *line, char **field, int max);
/* The trace column for PATH: its last component without ".vmt". */
void vt_trace_label(const char *path, char *buf, size_t len);

#endif
