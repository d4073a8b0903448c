/* vmtrace: the simulators behind `sim`, `mrc` and `sweep`, each a plain
 * object fed records in order, so one pass of a trace can drive many of them
 * (tools/vmtrace_multi.c) and a single `sim` run drives one, with the same
 * code and so the same counts.
 *
 *   - TLB replay (tools/vmtrace_tlbsim.c): the recorded translations, flushes
 *     and faults through the emulator's TLB model (mmu/tlb.c).
 *   - Page-reference strings and replacement policies
 *     (tools/vmtrace_policy.c): the string is built from the records, then
 *     OPT, LRU, FIFO, CLOCK, LFU or 2Q run over it with N frames. */
#ifndef VMSCOPE_TOOLS_VMTRACE_SIM_H
#define VMSCOPE_TOOLS_VMTRACE_SIM_H

#include "mmu/tlb.h"
#include "tools/vmtrace.h"

/* ------------------------------------------------------------ TLB replay */

/* Fast-path entries of the replay (per side, by linear page). */
#define VT_SIM_FAST 256
struct vt_sim_fast {
    uint32_t page;                  /* linear page + 1, 0 empty */
    uint8_t id;                     /* the first-level structure holding it (enum tlb_id) */
    struct tlb_hit h;               /* hits on its entry (tlb_hit_record), while it holds */
};

struct vt_tlb_replay {
    struct tlb_model *m;            /* the model being driven (its per-structure statistics) */
    struct vt_sim_fast (*fast)[VT_SIM_FAST];    /* [side][page & 255] */
    uint64_t xlate, agree;          /* translations, ones with the recorded outcome and TLB */
    uint64_t hits, misses;          /* simulated */
    uint64_t rec_hits, rec_misses;  /* recorded */
    uint64_t first_disagree;        /* event number, UINT64_MAX none */
};

/* The configuration `sim --tlb SPEC` means for trace header H: SPEC on top
 * of the model's default, or the recorded one when SPEC is NULL or
 * "recorded". False with one line in ERR (naming what did not parse). */
bool vt_tlb_config(const struct tr_header *h, const char *spec, struct tlb_config *cfg, bool *recorded,
                   char *err, size_t errlen);
/* A replay of CFG; false when memory runs out. */
bool vt_tlb_replay_init(struct vt_tlb_replay *s, const struct tlb_config *cfg);
void vt_tlb_replay_free(struct vt_tlb_replay *s);
/* Feed the next N records (any kinds: translations and flushes count). */
void vt_tlb_replay_batch(struct vt_tlb_replay *s, const struct tr_event *evs, size_t n);

/* What the replay reads of a record: a translation, or a flush (x.kind
 * VT_REC_FLUSH, x.outcome its enum tr_flush_kind, x.lin its address). A
 * third of a struct tr_event's bytes, so that many replays of one batch
 * read it from the nearest cache (vmtrace_multi.c converts each batch once;
 * vt_tlb_replay_batch converts as it goes). */
struct vt_tlb_rec {
    uint64_t event, count;          /* as in struct tr_event */
    struct tr_xlate x;
};
#define VT_REC_FLUSH 0xFFu
/* The translations and flushes of EV[0..n) into OUT (room for n); returns
 * how many. */
size_t vt_tlb_recs(const struct tr_event *ev, size_t n, struct vt_tlb_rec *out);
/* Feed the next N of those. vt_tlb_replay_batch is this on vt_tlb_recs. */
void vt_tlb_replay_recs(struct vt_tlb_replay *s, const struct vt_tlb_rec *r, size_t n);

/* ------------------------------------------------------------ reference strings */

/* The page-reference string: dense page ids, consecutive repeats merged
 * (their number in cnt), and each id's address space. An id names one life
 * of a page (tools/vmtrace_policy.c): its death is an entry of count 0,
 * after which the id never appears again; a policy frees the dead page's
 * frame, if it holds it, without a fault or an eviction. Built by
 * vt_refs_init, vt_refs_batch (records in order), vt_refs_done. */
struct vt_refs {
    uint32_t *ref;                  /* [n] page id */
    uint32_t *cnt;                  /* [n] references merged into it; 0: the page dies here */
    size_t n, cap;
    size_t deaths;                  /* entries of count 0 in ref */
    bool whole;                     /* no lives: a page is its space and virtual page for the whole trace */
    uint64_t total;                 /* references (translations) */
    uint32_t npages;                /* distinct pages */
    uint32_t *space;                /* [npages] address-space id */
    uint64_t *key;                  /* [npages] space << 20 | page */
    uint8_t *used;                  /* [npages] referenced by a translation that did not fault */
    uint8_t *dead;                  /* [npages] its death is in ref */
    uint32_t reborn;                /* pages named anew by a zero-fill after use */
    uint32_t died_unmap;            /* pages that died in a vma-unmap's range */
    uint32_t died_space;            /* pages that died with their address space */
    struct vt_spaces sp;
    /* while building */
    int want_space;                 /* >= 0: that address space only */
    struct vt_map pages;            /* key -> id (VT_NIL: dead, the next reference is a new page) */
    size_t pcap;                    /* capacity of the [npages] arrays */
    uint32_t *older;                /* [npages] the page created before it in its space, VT_NIL none */
    uint32_t *newest;               /* [nspaces] the last page created in each space, VT_NIL none */
    uint32_t *owner;                /* [nspaces] pid in force when the space got its id, VT_NIL unknown */
    uint32_t *spages;               /* [nspaces] pages created in each space */
    uint32_t nspaces, scap;         /* spaces those arrays cover, their capacity */
    uint64_t last_key;
    uint32_t last_id, prev;
};

void vt_refs_init(struct vt_refs *R, uint32_t kbase, int want_space);
/* The next N records; G, when not NULL, takes the annotations. */
void vt_refs_batch(struct vt_refs *R, const struct tr_event *evs, size_t n, struct vt_guest *g);
/* End of the records: frees what only building needed. */
void vt_refs_done(struct vt_refs *R);
void vt_refs_free(struct vt_refs *R);
/* All of R's translations (WANT_SPACE >= 0: that address space's only), in
 * one pass with a progress bar. WHOLE: pages never die (the textbook string
 * of (CR3, virtual page) keys), as vt_refs.whole. */
void vt_refs_load(struct vt_refs *R, struct tr_reader *r, uint32_t kbase, int want_space, bool whole,
                  struct vt_guest *g);

#define VT_NIL UINT32_MAX

/* next[i]: index of the next reference to ref[i]'s page, or n + page
 * (never: also when the page dies first). CNT marks the deaths. */
uint64_t *vt_next_use(const uint32_t *ref, const uint32_t *cnt, size_t n, uint32_t npages);

enum vt_policy { VT_P_OPT, VT_P_LRU, VT_P_FIFO, VT_P_CLOCK, VT_P_LFU, VT_P_2Q, VT_P_COUNT };
extern const char *const vt_policy_names[VT_P_COUNT];
/* The policy called NAME, or -1. */
int vt_policy_lookup(const char *name);
/* WANT[p] for each policy named in LIST ("lru,opt"; NULL or "all": every
 * one). False with a reason in ERR on a name that is not a policy. */
bool vt_policy_parse(const char *list, bool want[VT_P_COUNT], char *err, size_t errlen);

/* What a policy did with a reference string. */
struct vt_policy_count {
    uint64_t faults;                /* references to a page it did not hold */
    uint64_t evictions;             /* pages it held, still alive, pushed out to make room */
};

/* Faults and evictions of REF[0..n) with N frames under POLICY. Merged
 * repeats are hits (and, for LFU, add their counts to the page's
 * frequency); an entry of count 0 frees its page's frame (and, for 2Q, its
 * ghost) with neither. NEXT (vt_next_use) is needed by OPT only. Reads its
 * inputs only: calls on the same string may run on several threads at once. */
struct vt_policy_count vt_run_policy(enum vt_policy pol, const uint32_t *ref, const uint32_t *cnt, size_t n,
                                     uint32_t npages, uint32_t N, const uint64_t *next);

#endif
