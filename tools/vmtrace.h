/* vmtrace: shared helpers of the subcommands (tools/vmtrace*.c). Links the
 * trace library (and the TLB model for `sim --tlb`), nothing else. */
#ifndef VMSCOPE_TOOLS_VMTRACE_H
#define VMSCOPE_TOOLS_VMTRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/annot.h"
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
    double t0, tlast;       /* vt_progress_rate: start and last drawing (monotonic seconds) */
};
void vt_progress_init(struct vt_progress *p, const char *what);
void vt_progress(struct vt_progress *p, uint64_t done, uint64_t total);
void vt_progress_done(struct vt_progress *p);
/* A bar with bytes read of TOTAL, events per second and the time left,
 * redrawn at most ten times a second. */
void vt_progress_rate(struct vt_progress *p, uint64_t done, uint64_t total, uint64_t events);
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
/* Value slot for KEY, or NULL when absent (nothing is inserted). */
uint32_t *vt_map_find(const struct vt_map *m, uint64_t key);

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
#define VT_SPACE_RENEW UINT32_MAX  /* in cr3s: the next use takes a new id */
void vt_spaces_init(struct vt_spaces *s, uint32_t kernel_base);
void vt_spaces_free(struct vt_spaces *s);
uint32_t vt_space_lookup(struct vt_spaces *s, uint32_t cr3);
/* The id of the space CR3 holds now, or VT_SPACE_RENEW when it holds none
 * (never used, or renewed since): gives no new id. */
uint32_t vt_space_find(const struct vt_spaces *s, uint32_t cr3);
/* CR3's page directory was freed, or its frame allocated again: the next
 * use of CR3 is a new address space (a new id), not the dead one's. */
void vt_space_renew(struct vt_spaces *s, uint32_t cr3);
static inline uint32_t vt_space_of(struct vt_spaces *s, uint32_t cr3, uint32_t lin, bool global)
{
    if (global || lin >= s->kernel_base)
        return 0;
    if (cr3 == s->last_cr3)
        return s->last_id;
    return vt_space_lookup(s, cr3);
}

/* Allocation that ends the program with one line when memory runs out.
 * Declared malloc-like, so that replay loops keep knowing that what they
 * allocated aliases nothing else. */
void *vt_xmalloc(size_t n) __attribute__((malloc, alloc_size(1), returns_nonnull));
void *vt_xcalloc(size_t n, size_t size) __attribute__((malloc, alloc_size(1, 2), returns_nonnull));
void *vt_xrealloc(void *p, size_t n) __attribute__((alloc_size(2), returns_nonnull));

/* What the guest kernel reported (its annotations: trace/annot_desc.h),
 * accumulated by vt_guest_note (tools/vmtrace_guest.c). */
#define VT_FRAMES (1u << 20)        /* frames of a 32-bit physical address space */
#define VT_FRAMES_ORDER_MAX 11      /* frame-alloc/free orders below this are read (2.4: MAX_ORDER 10) */

/* Every frame by what it holds, from frame-alloc and frame-free records. A
 * frame-alloc on an allocated frame is a change of use (DESIGN.md); a
 * frame-free on a frame never named is one the kernel hands to its buddy
 * allocator at boot. */
struct vt_frames {
    uint8_t *state;                 /* [VT_FRAMES]: 0 never named, 1 free, 2 + use (made on first use) */
    uint64_t use[ANNOT_USE_COUNT + 1];  /* frames allocated now, by use ([ANNOT_USE_COUNT]: no name) */
    uint64_t free;                  /* frames known free now */
    uint64_t records;               /* frame-alloc and frame-free records */
    uint64_t changes;               /* frames given a new use without a free */
    uint64_t refree;                /* frames freed while already free */
    uint64_t bad;                   /* records past 4 GiB or of an order >= VT_FRAMES_ORDER_MAX */
    uint64_t anon_peak;             /* most frames of use anon at once */
    uint64_t anon_peak_cycle;       /* when that peak was first reached */
    uint64_t anon_swap_peak;        /* most frames of use anon or swapcache at once */
};

/* Page-cache records, per process or per file: pcache-hit (a read() found
 * its page cached), pcache-insert (a page the cache did not hold was added:
 * a miss), file-fault, the major-fault (file) records before them (the
 * fault read the disk), pcache-evict and writeback. */
struct vt_pcache {
    uint64_t hit, insert, fault, major, evict, writeback;
};

/* One process: a pid from its proc-create (or first record) until the pid
 * is created again after an exit or OOM kill. */
struct vt_proc {
    uint32_t pid;
    char name[ANNOT_NAME_LEN + 1];  /* latest of proc-create, exec, comm ("?" none) */
    bool ended;                     /* exit or oom-kill seen */
    uint64_t swap_out;              /* evict records */
    uint64_t swap_in;               /* swap-in records */
    uint64_t swap_hit;              /* swap-cache-hit records */
    uint64_t major[ANNOT_SOURCE_COUNT];     /* major-fault records by source */
    uint64_t cow_copy, cow_reuse, zero_fill;
    uint64_t oom_kill;              /* oom-kill records naming it */
    uint64_t reclaim[ANNOT_WHO_COUNT];      /* reclaim passes it ran, by who */
    uint64_t scanned[ANNOT_WHO_COUNT];      /* pages those passes scanned */
    uint64_t freed[ANNOT_WHO_COUNT];        /* pages they freed */
    struct vt_pcache pc;            /* page-cache records it caused */
    uint32_t major_vpage;           /* its last major-fault (file) record's page, */
    bool major_pending;             /* until the file-fault record that follows it */
};

/* One file (inode) of the guest's file system. */
struct vt_file {
    uint32_t inode;
    struct vt_pcache pc;
};

struct vt_guest {
    uint64_t records[ANNOT_KIND_COUNT];     /* well-formed records per kind */
    uint64_t malformed;             /* records of a known kind with the wrong size */
    uint64_t unnamed;               /* who/state/source values without a name */
    uint64_t evict_policy[ANNOT_POLICY_COUNT + 1];  /* evict records by policy ([COUNT]: other ids) */
    uint64_t kswapd[ANNOT_KSWAPD_STATE_COUNT];      /* kswapd records by state */
    struct vt_proc *proc;           /* rows in order of appearance */
    size_t nproc, cap;
    struct vt_map by_pid;           /* pid -> row of its current process */
    struct vt_frames frames;
    struct vt_file *file;           /* page-cache rows in order of appearance */
    size_t nfile, fcap;
    struct vt_map by_inode;         /* inode -> row */
    struct vt_map evicted;          /* inode << 32 | index of file pages the cache dropped -> 1 */
    uint64_t reread;                /* page-cache inserts of pages it had dropped */
};
void vt_guest_init(struct vt_guest *g);
void vt_guest_free(struct vt_guest *g);
/* An annotation record (ev->kind == TRK_ANNOT). */
void vt_guest_note(struct vt_guest *g, const struct tr_event *ev);
/* Paths of a disk image's ext2 files by inode (tools/vmtrace_ext2.c). */
struct vt_ext2_names {
    struct vt_map by_ino;           /* inode -> index in paths */
    char **paths;
    size_t n, cap;
};
/* Walk IMG's file system (its first 0x83 partition, or the whole image).
 * False after one line on stderr when it cannot be read. */
bool vt_ext2_names_load(struct vt_ext2_names *nm, const char *img);
/* INO's path, or NULL. */
const char *vt_ext2_name(struct vt_ext2_names *nm, uint32_t ino);
void vt_ext2_names_free(struct vt_ext2_names *nm);

/* The per-process tables, page cache per process and per file (files named
 * from NAMES when not NULL), reclaim passes, kswapd and frames by use (the
 * sections with something to show), for `vmtrace stats`. */
void vt_guest_print(const struct vt_guest *g, struct vt_ext2_names *names, FILE *f);
/* Evict records by policy: "2q 12, clock 3". */
void vt_guest_print_policies(const struct vt_guest *g, FILE *f);

/* Subcommands. */
int vt_cmd_info(int argc, char **argv);
int vt_cmd_verify(int argc, char **argv);
int vt_cmd_dump(int argc, char **argv);
int vt_cmd_stats(int argc, char **argv);
int vt_cmd_sim(int argc, char **argv);
int vt_cmd_mrc(int argc, char **argv);
int vt_cmd_export(int argc, char **argv);
int vt_cmd_diff(int argc, char **argv);
int vt_cmd_sweep(int argc, char **argv);

/* Records per tr_cursor_batch call in the replay loops. */
#define VT_BATCH 256

/* Print one record as a dump line; R (may be NULL) gives symbols. */
void vt_print_event(FILE *f, struct tr_reader *r, const struct tr_event *ev);
/* Is --help among ARGV? */
bool vt_want_help(int argc, char **argv);

#endif
