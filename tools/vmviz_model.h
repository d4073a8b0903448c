/* vmviz's frame-state model: what every physical frame holds, each
 * process's address space, the TLB contents and the memory mechanisms'
 * activity, computed from trace records alone (no SDL: unit-tested by
 * tests/viz/, fuzzed by tests/viz/viz_fuzz.c).
 *
 * What a frame holds comes only from records that say so (DESIGN.md
 * "Guest annotations", docs/trace-format.md "Counting rules"): frame-alloc
 * gives its use (a frame-alloc on an allocated frame is a change of use),
 * frame-free makes it free, and a frame no record has named is unknown,
 * never guessed. So at a `mark` record with label 1 the frames per state
 * equal the kernel's meminfo frames_by_use and frames_free.
 *
 * On top of the states, and never changing them:
 *   - the owner (pid, virtual page) from the records that map a frame for a
 *     process (zero-fill, cow-copy, swap-in, swap-cache-hit, cow-reuse,
 *     file-fault) or from a user translation of a frame without one;
 *   - the dirty overlay: set by a walk that sets a PTE's D bit (the PTE's
 *     frame), cleared by writeback, evict (the page written to swap) and
 *     frame-free;
 *   - heat: the cycle and kind of the frame's last read, write, fault-in
 *     or eviction (a viewer fades it with the distance to the current cycle);
 *   - the last few annotations that named the frame.
 *
 * Every input is accepted: a record naming a frame outside RAM, an unknown
 * kind, a wrong size, a huge order or a flood of pids changes at most the
 * counters of what was ignored (vv_model's `ignored`). The model must not
 * crash on any record sequence. */
#ifndef VMSCOPE_TOOLS_VMVIZ_MODEL_H
#define VMSCOPE_TOOLS_VMVIZ_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmu/tlb.h"
#include "trace/annot.h"
#include "trace/reader.h"

/* Frame states: the frame-alloc uses (enum annot_frame_use), then free and
 * unknown. */
enum vv_state {
    VV_FREE = ANNOT_USE_COUNT,  /* handed to (or returned to) the buddy allocator */
    VV_UNKNOWN,                 /* no record has named it */
    VV_NSTATES
};
_Static_assert(VV_FREE == 8, "frame states follow the eight frame-alloc uses");

/* The name of state S ("kernel" ... "buffer" from trace/annot_desc, then
 * "free", "unknown"). */
const char *vv_state_name(unsigned s);

/* Frame flags. */
#define VVF_DIRTY    0x01u      /* a walk set D in a PTE mapping it; not written back since */
#define VVF_ACTIVE   0x02u      /* on the active LRU list (lru-move) */
#define VVF_INACTIVE 0x04u      /* on the inactive LRU list */
#define VVF_SHARED   0x08u      /* user translations from more than one pid reached it */

/* Heat kinds: what last touched a frame. */
enum vv_heat { VV_HEAT_NONE, VV_HEAT_READ, VV_HEAT_WRITE, VV_HEAT_IN, VV_HEAT_OUT, VV_NHEAT };

#define VV_NOPID 0xFFFFFFFFu
#define VV_NOPAGE 0xFFFFFFFFu
#define VV_FRAME_EVENTS 3       /* annotations remembered per frame */

struct vv_fevent {
    uint64_t cycle;             /* cycle of the record */
    uint32_t pid;               /* its pid field */
    uint8_t kind;               /* annotation kind (enum annot_kind) */
};

struct vv_frame {
    uint8_t state;              /* enum vv_state */
    uint8_t flags;              /* VVF_* */
    uint8_t heat;               /* enum vv_heat of the last touch */
    uint8_t nev;                /* annotations seen naming it (saturates at 255) */
    uint32_t pid;               /* owner, VV_NOPID none */
    uint32_t vpage;             /* owner's virtual page, VV_NOPAGE none */
    uint64_t touch;             /* cycle of the last touch (heat), 0 never */
    struct vv_fevent ev[VV_FRAME_EVENTS];   /* latest first */
};

/* A virtual page of a process, as far as the records tell. */
enum vv_page { VV_PAGE_NONE = 0, VV_PAGE_RESIDENT, VV_PAGE_SWAPPED };

struct vv_pent {
    uint32_t key;               /* vpage + 1; 0 empty */
    uint32_t frame;             /* resident: its frame */
    uint8_t state;              /* enum vv_page (NONE: unmapped since, a tombstone) */
};

struct vv_vma {
    uint32_t start, pages;      /* first virtual page, length in pages */
    uint8_t type;               /* enum annot_vma_type */
};

struct vv_proc {
    uint32_t pid, ppid;
    char name[ANNOT_NAME_LEN + 1];
    uint64_t born, died;        /* cycles; died 0 while alive */
    bool alive;
    struct vv_vma *vma;         /* sorted by start, disjoint */
    uint32_t nvma, vcap;
    struct vv_pent *pg;         /* open addressing by vpage, cap a power of two */
    uint32_t pused, pcap;       /* keys in use (tombstones included), slots */
    uint32_t resident, swapped; /* pages in each state */
};

/* The eight mechanism arrows (issue 19, the classic drawing of Linux 2.4's
 * memory management); what each counts is the table in vmviz_model.c. */
#define VV_NARROWS 8
extern const char *const vv_arrow_names[VV_NARROWS];

#define VV_RATE_SAMPLES 64      /* arrow-count history for rates */
#define VV_RATE_STEP 1000000u   /* cycles between history samples */

/* TLB panel state beside the TLB model: per structure and slot. */
struct vv_tlbslot {
    uint32_t pid;               /* pid in force when the entry was filled */
    uint64_t fill_cycle;        /* cycle of its fill (a miss) */
    uint64_t hit_cycle;         /* cycle of its latest hit */
};

struct vv_model {
    /* configuration */
    uint32_t nframes;           /* RAM frames (header ram_bytes / 4 KiB) */
    uint32_t mhz;               /* virtual MHz (header cpu_mhz, default 100) */

    /* position */
    uint64_t cycle;             /* cycle of the latest record applied */
    uint64_t event;             /* event number after the latest record (next expected) */
    uint64_t insns;             /* instruction count (latest sync) */
    uint64_t records;           /* records applied */
    uint32_t cur_pid;           /* pid in force */

    /* frames */
    struct vv_frame *frame;     /* [nframes] */
    uint32_t count[VV_NSTATES]; /* frames per state */
    uint32_t dirty;             /* frames with VVF_DIRTY */

    /* the latest mark with label 1 (a quiet point) */
    uint64_t nmarks;
    uint64_t mark_cycle, mark_event;
    uint32_t mark_count[VV_NSTATES];

    /* processes, in order of first sight */
    struct vv_proc *proc;
    uint32_t nproc, proccap;
    uint32_t *pidx;             /* open addressing: index + 1, 0 empty; [pidcap] */
    uint32_t pidcap;

    /* mechanisms */
    uint64_t arrow[VV_NARROWS];
    uint64_t rate_cycle[VV_RATE_SAMPLES];               /* ring of samples */
    uint64_t rate_count[VV_RATE_SAMPLES][VV_NARROWS];
    uint32_t rate_head, rate_n;

    /* record counts */
    uint64_t kind[TRK_NKINDS];  /* records per kind (a run counts its translations) */
    uint64_t annot[ANNOT_KIND_COUNT];
    uint64_t ignored;           /* records or fields ignored (out of range, bad size, limits) */

    /* TLB (NULL when the header's spec does not parse) */
    struct tlb_model *tlb;
    struct vv_tlbslot *slot[TLB_NSTRUCT];   /* [entries] per present structure */
    uint64_t flush_cycle;       /* latest flush record */
    uint8_t flush_kind;         /* its enum tr_flush_kind */
};

/* Limits that keep hostile input bounded. */
#define VV_MAX_FRAMES (1u << 20)        /* 4 GiB of RAM */
#define VV_MAX_PROCS 65536u
#define VV_MAX_PAGES (1u << 22)         /* page entries per process */
#define VV_MAX_VMAS 4096u               /* VMAs per process */
#define VV_MAX_ORDER 20u

/* A model for the machine H describes (RAM, TLB spec, MHz); NULL when out
 * of memory. Every frame starts unknown. */
struct vv_model *vv_model_new(const struct tr_header *h);
void vv_model_free(struct vv_model *m);
/* Make DST (from vv_model_new with the same header) a copy of SRC. False
 * when out of memory (DST is then valid but partly stale). */
bool vv_model_copy(struct vv_model *dst, const struct vv_model *src);
/* Bytes a copy of M holds (keyframe budgeting). */
size_t vv_model_bytes(const struct vv_model *m);

/* Apply one record (any record, in file order). */
void vv_model_apply(struct vv_model *m, const struct tr_event *ev);
/* Apply an annotation record REC of SIZE bytes at CYCLE (the same as an
 * annotation event; for tests and the fuzzer). */
void vv_model_annot(struct vv_model *m, uint64_t cycle, const uint8_t *rec, size_t size);

/* The process with PID, or NULL. */
const struct vv_proc *vv_model_proc(const struct vv_model *m, uint32_t pid);
/* Page state of VPAGE in P (enum vv_page); *FRAME its frame when resident. */
unsigned vv_proc_page(const struct vv_proc *p, uint32_t vpage, uint32_t *frame);
/* Arrow A's rate, per virtual second, over the recent history. */
double vv_model_rate(const struct vv_model *m, unsigned a);

#endif
