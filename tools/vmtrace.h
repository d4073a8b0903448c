/* vmtrace: shared helpers of the subcommands (tools/vmtrace*.c). Links the
 * trace library (and the TLB model for `sim --tlb`), nothing else. */
#ifndef VMSCOPE_TOOLS_VMTRACE_H
#define VMSCOPE_TOOLS_VMTRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/reader.h"

/* Open FILE, printing problems as they are found. NULL after one line on
 * stderr when it cannot be read at all. */
struct tr_reader *vt_open(const char *path, unsigned flags);
/* Problems printed so far (all readers). */
extern uint64_t vt_problems;

/* Progress on stderr, only when it is a terminal. */
struct vt_progress {
    bool on;
    const char *what;
    int last;               /* last percentage drawn, -1 none */
};
void vt_progress_init(struct vt_progress *p, const char *what);
void vt_progress(struct vt_progress *p, uint64_t done, uint64_t total);
void vt_progress_done(struct vt_progress *p);
/* For tr_reader_count. */
void vt_progress_cb(void *ctx, size_t done, size_t total);

/* Parse numbers with optional 0x prefix and k/M/G suffixes. */
bool vt_parse_u64(const char *s, uint64_t *v);
/* "LO-HI" (either may be empty) */
bool vt_parse_range(const char *s, uint64_t *lo, uint64_t *hi);

/* Usage error: one line, status 2. */
int vt_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A uint64 -> uint32 hash map (open addressing), for page keys. */
struct vt_map {
    uint64_t *keys;         /* key + 1, 0 = empty */
    uint32_t *vals;
    size_t cap, n;          /* cap a power of two */
};
void vt_map_init(struct vt_map *m);
void vt_map_free(struct vt_map *m);
/* Value slot for KEY, inserting it with value NEWVAL when absent; *FOUND. */
uint32_t *vt_map_get(struct vt_map *m, uint64_t key, uint32_t newval, bool *found);

/* Address-space numbering shared by stats, sim and mrc: pages at or above
 * kernel_base (or global) belong to space 0, the kernel's; each distinct CR3
 * gets 1, 2, ... in order of appearance. */
struct vt_spaces {
    struct vt_map cr3s;     /* cr3 -> id */
    uint32_t *cr3_of;       /* id -> cr3 */
    uint32_t n, cap;
    uint32_t kernel_base;   /* 0xC0000000 by default */
    uint32_t last_cr3, last_id;
};
void vt_spaces_init(struct vt_spaces *s, uint32_t kernel_base);
void vt_spaces_free(struct vt_spaces *s);
uint32_t vt_space_lookup(struct vt_spaces *s, uint32_t cr3);
static inline uint32_t vt_space_of(struct vt_spaces *s, uint32_t cr3, uint32_t lin, bool global)
{
    if (global || lin >= s->kernel_base)
        return 0;
    if (cr3 == s->last_cr3)
        return s->last_id;
    return vt_space_lookup(s, cr3);
}

/* Subcommands. */
int vt_cmd_info(int argc, char **argv);
int vt_cmd_verify(int argc, char **argv);
int vt_cmd_dump(int argc, char **argv);
int vt_cmd_stats(int argc, char **argv);
int vt_cmd_sim(int argc, char **argv);
int vt_cmd_mrc(int argc, char **argv);
int vt_cmd_export(int argc, char **argv);
int vt_cmd_diff(int argc, char **argv);

/* Records per tr_cursor_batch call in the replay loops. */
#define VT_BATCH 256

/* Print one record as a dump line; R (may be NULL) gives symbols. */
void vt_print_event(FILE *f, struct tr_reader *r, const struct tr_event *ev);
/* Is --help among ARGV? */
bool vt_want_help(int argc, char **argv);

#endif
