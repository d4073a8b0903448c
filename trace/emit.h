/* What the emulator tells the trace writer: one call per record.
 *
 * Callers guard every call with `if (m->trace)`, so tracing off costs one
 * predictable branch. The writer encodes on the calling thread and
 * compresses on its own thread. Values are plain integers: this header does
 * not know the emulator. */
#ifndef VMSCOPE_TRACE_EMIT_H
#define VMSCOPE_TRACE_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace_writer;

/* Translation access kind: low 2 bits as mmu_kind, bit 2 implicit. */
#define TR_FETCH 0u
#define TR_READ  1u
#define TR_WRITE 2u
#define TR_IMPLICIT 4u

/* Outcome of a lookup. */
enum tr_outcome {
    TR_HIT = 0,         /* hit, permitted */
    TR_MISS = 1,        /* miss, walk succeeded */
    TR_HIT_FAULT = 2,   /* hit whose permission check failed */
    TR_MISS_FAULT = 3,  /* miss whose walk faulted */
    TR_HIT_DIRTY = 4,   /* write hit an entry with D clear: hit + walk to set D */
};

/* Which TLB answered (the model's structure index: mmu/tlb.h's enum tlb_id,
 * tied to this one there by static assertions). */
enum tr_tlb { TR_ITLB = 0, TR_DTLB = 1, TR_LTLB = 2, TR_STLB = 3, TR_UTLB = 4, TR_ILTLB = 5, TR_PWC = 6, TR_NOTLB = 7 };
/* The structures' names, by enum tr_tlb: the one table (mmu/tlb.c's
 * tlb_names is this; trace/reader.c's tr_tlb_name reads it). */
static const char *const tr_tlb_names[8] __attribute__((unused)) = {
    [TR_ITLB] = "itlb", [TR_DTLB] = "dtlb", [TR_LTLB] = "dltlb", [TR_STLB] = "stlb",
    [TR_UTLB] = "utlb", [TR_ILTLB] = "iltlb", [TR_PWC] = "pwc", [TR_NOTLB] = "none",
};

struct tr_xlate {
    uint32_t lin;       /* linear address of the access */
    uint32_t phys;      /* physical address (0 when faulted) */
    uint8_t kind;       /* TR_FETCH/READ/WRITE | TR_IMPLICIT */
    uint8_t outcome;    /* enum tr_outcome */
    uint8_t tlb;        /* enum tr_tlb */
    uint8_t cpl;        /* 0..3 */
    uint8_t large;      /* 1: 4 MiB page */
    uint8_t global;     /* 1: G bit set */
    uint16_t cycles;    /* cycles the MMU charged for this translation */
};

struct tr_walk {
    uint32_t lin;
    uint32_t pde_addr, pde;     /* physical address and value read */
    uint32_t pte_addr, pte;     /* 0,0 for a 4 MiB page or a fault at the PDE */
    uint8_t ad_set;             /* bit0 PDE.A, bit1 PDE.D, bit2 PTE.A, bit3 PTE.D written */
};

enum tr_flush_kind {
    TR_FLUSH_CR3 = 0,       /* MOV CR3: non-global entries */
    TR_FLUSH_ALL = 1,       /* CR4.PGE/PSE toggle, CR0.PG change: everything */
    TR_FLUSH_PAGE = 2,      /* INVLPG */
};

enum tr_disk_dir { TR_DISK_READ = 0, TR_DISK_WRITE = 1 };

/* The writer's hot state, the first member of struct trace_writer: the
 * inline trace_emit_xlate below handles the common cases without a call: a
 * predicted hit that repeats the previous opcode (the same page as the
 * previous translation, or the next page of a loop that cycles through up to
 * 15 keys: fetch, read, fetch, write...) costs two compares and a few
 * stores; a period replay's record, and a hit on the table's front right
 * after another opcode (the fetch after a data access), write their opcode
 * byte here. Everything else goes to trace_emit_xlate_keyed. Both give the
 * same bytes (the writer keeps its move-to-front table and period history in
 * step: see trace/writer.c "repeat ring"). */
/* A stream's bytes: the writer's buffers (trace/writer.c). */
struct trace_bytes {
    uint8_t *p;
    size_t len, cap;            /* used, allocated */
};

/* The opcode byte of a repeat count's base-128 digit (trace/format.h's
 * TRO_REPEAT: asserted in trace/writer.c). */
#define TR_OP_REPEAT 0x80u

/* The move-to-front table's size (trace/format.h's TRF_MTF: asserted in
 * trace/writer.c). */
#define TR_MTF 15

struct trace_hot {
    /* The writer's move-to-front table of keys, front last: position i is
     * tab[TR_MTF - 1 - i]. tab[TR_MTF] is all ones, no key. */
    uint64_t tab[TR_MTF + 1];
    /* The repeat ring: the keys that repeat the previous opcode, in turn,
     * are tab[ring_start], ..., tab[TR_MTF - 1] (table positions s, ..., 0);
     * ring_at is the next one (TR_MTF: no ring). */
    uint32_t ring_start, ring_at;
    uint64_t rep;           /* repeats pending in the encoder */
    uint64_t ring_events;   /* events when the ring was set */
    int32_t last_sym;       /* previous translation opcode, -1 none */
    uint32_t ring_lead;     /* 1: the first record since ring_events was opcode 0 on the front (below) */
    /* The front of the table after a predicted hit coded as opcode s > 0,
     * while nothing came since: a hit on it is opcode 0, taken inline
     * (all ones: not now). */
    uint64_t front;
    uint64_t events;        /* events recorded so far */
    uint64_t cur_cycle;     /* cycle of the latest record */
    uint32_t hit_pred;      /* predicted outcome<<16 | cycles (a hit) */
    /* The writer's period replay (trace/writer.c): while plen is nonzero the
     * next record is expected to be pkey[ppos]; when prep[ppos] says it
     * repeats the previous opcode, the inline path takes it. */
    uint32_t plen, ppos;
    const uint64_t *pkey;
    const uint8_t *prep, *pop;  /* ... and its opcode when not */
    /* The chunk's opcode stream, for the period's opcodes: while its length
     * is below op_lim, two more bytes fit and keep the chunk open (between
     * chunks a stand-in whose length is never below). */
    struct trace_bytes *op;
    size_t op_lim;
};

/* The key of a translation (docs/trace-format.md "move-to-front table"):
 * linear page, frame, attributes; trace/format.h's trk_make. */
static inline uint64_t trace_xlate_key(const struct tr_xlate *x)
{
    uint32_t attrs = (x->kind & 7u) | (x->cpl & 3u) << 3 | (x->large & 1u) << 5 |
                     (x->global & 1u) << 6 | (x->tlb & 7u) << 7;
    return (uint64_t)(x->lin >> 12) | (uint64_t)(x->phys >> 12) << 20 | (uint64_t)attrs << 40;
}

/* The record a key stands for, given the page offset of LIN and PC
 * (outcome << 16 | cycles): trace_xlate_key backwards. */
static inline struct tr_xlate trace_xlate_of_key(uint64_t key, uint32_t pc, uint32_t lin)
{
    uint32_t attrs = (uint32_t)(key >> 40);
    return (struct tr_xlate){ .lin = (uint32_t)(key & 0xFFFFF) << 12 | (lin & 0xFFF),
                              .phys = (uint32_t)(key >> 20 & 0xFFFFF) << 12 | (lin & 0xFFF),
                              .kind = (uint8_t)(attrs & 7), .cpl = (uint8_t)(attrs >> 3 & 3),
                              .large = (uint8_t)(attrs >> 5 & 1), .global = (uint8_t)(attrs >> 6 & 1),
                              .tlb = (uint8_t)(attrs >> 7 & 7), .outcome = (uint8_t)(pc >> 16 & 7),
                              .cycles = (uint16_t)pc };
}

/* The period replay's record at position POS that codes its opcode (the
 * inline path below has counted it). */
void trace_emit_period_op(struct trace_writer *tw, uint32_t pos);
/* A translation record given as KEY = trace_xlate_key(record), PC =
 * outcome << 16 | cycles and LIN for its page offset (the MMU's fast path
 * keeps its entries' keys and needs no record built): what the inline path
 * below does not take. */
void trace_emit_xlate_keyed(struct trace_writer *tw, uint64_t cycle, uint64_t key, uint32_t pc, uint32_t lin);
#if defined(VMSCOPE_TRACE_EMIT_OUT_OF_LINE) || defined(VMSCOPE_MMU_TEST)
/* A build that supplies its own emitters (the MMU tests' tests/mmu/capture.c,
 * whose writer is not a struct trace_writer). */
void trace_emit_xlate(struct trace_writer *tw, uint64_t cycle, const struct tr_xlate *x);
#else
/* The inline case of a record given by KEY and PC: true when it was recorded. */
/* Opcode OP after the pending repeat count, when that is one digit and the
 * chunk's opcode stream has room: false when not (the writer does it). */
static inline __attribute__((always_inline)) bool trace_put_op(struct trace_hot *h, uint8_t op)
{
    struct trace_bytes *b = h->op;
    size_t len = b->len;
    uint64_t r = h->rep;
    if (__builtin_expect(len >= h->op_lim || r > 128, 0))
        return false;
    uint8_t *p = b->p + len;
    p[0] = (uint8_t)(TR_OP_REPEAT | (r - 1));  /* (overwritten when r is 0) */
    p[r != 0] = op;
    b->len = len + 1 + (r != 0);
    h->rep = 0;
    return true;
}
static inline __attribute__((always_inline)) bool trace_emit_xlate_repeat(struct trace_writer *tw, uint64_t cycle, uint64_t key, uint32_t pc)
{
    struct trace_hot *h = (struct trace_hot *)(void *)tw;     /* its first member: asserted in trace/writer.c */
    if (__builtin_expect(key == h->tab[h->ring_at] && pc == h->hit_pred, 1)) {
        uint32_t at = h->ring_at + 1;
        h->ring_at = at == TR_MTF ? h->ring_start : at;
        h->rep++;
        h->events++;
        h->cur_cycle = cycle;
        return true;
    }
    if (h->plen) {
        uint32_t pos = h->ppos;
        if (key != h->pkey[pos] || pc != h->hit_pred)
            return false;
        h->ppos = pos + 1 == h->plen ? 0 : pos + 1;
        h->events++;
        h->cur_cycle = cycle;
        if (h->prep[pos])
            h->rep++;
        else if (!trace_put_op(h, h->pop[pos]))    /* the same opcode as a period ago */
            trace_emit_period_op(tw, pos);
        return true;
    }
    if (key == h->front && pc == h->hit_pred && h->events == h->ring_events && trace_put_op(h, 0)) {
        h->last_sym = 0;
        h->ring_start = h->ring_at = TR_MTF - 1;    /* its repeats: a ring of one, the front */
        h->ring_lead = 1;
        h->front = ~(uint64_t)0;
        h->events++;
        h->cur_cycle = cycle;
        return true;
    }
    return false;
}
/* Up to TURNS turns of the NKEYS translations KEYS (each with PC), taken at
 * once when the ring case above would take every one of them one by one:
 * the turns taken, all or 0 (the caller then records them itself).
 * Translation e of the run is taken when KEYS[e % nkeys] is the ring's
 * key e places on from ring_at; true for lcm(nkeys, ring's length) of them,
 * it stays true. LAST_CYCLE: the cycle of the last translation. */
static inline uint64_t trace_emit_xlate_turns(struct trace_writer *tw, const uint64_t *keys, unsigned nkeys,
                                              uint32_t pc, uint64_t turns, uint64_t last_cycle)
{
    struct trace_hot *h = (struct trace_hot *)(void *)tw;
    if (pc != h->hit_pred || turns == 0 || nkeys == 0 || h->ring_at == TR_MTF)
        return 0;
    const uint64_t *ring = h->tab + h->ring_start;
    uint32_t n = TR_MTF - h->ring_start, pos = h->ring_at - h->ring_start;
    unsigned l = nkeys;
    while (l % n)
        l += nkeys;
    for (unsigned e = 0, k = pos; e < l; e++, k = k + 1 == n ? 0 : k + 1)
        if (keys[e % nkeys] != ring[k])
            return 0;
    uint64_t ev = turns * nkeys;
    h->ring_at = h->ring_start + (uint32_t)((pos + ev) % n);
    h->rep += ev;
    h->events += ev;
    h->cur_cycle = last_cycle;
    return turns;
}
static inline __attribute__((always_inline)) void trace_emit_xlate_by_key(struct trace_writer *tw, uint64_t cycle, uint64_t key, uint32_t pc,
                                           uint32_t lin)
{
    if (!trace_emit_xlate_repeat(tw, cycle, key, pc))
        trace_emit_xlate_keyed(tw, cycle, key, pc, lin);
}
static inline void trace_emit_xlate(struct trace_writer *tw, uint64_t cycle, const struct tr_xlate *x)
{
    trace_emit_xlate_by_key(tw, cycle, trace_xlate_key(x), (uint32_t)(x->outcome & 7u) << 16 | x->cycles,
                            x->lin);
}
#endif
void trace_emit_walk(struct trace_writer *tw, uint64_t cycle, const struct tr_walk *w);
void trace_emit_fault(struct trace_writer *tw, uint64_t cycle, uint32_t cr2, uint32_t err,
                      uint32_t eip, unsigned cpl);
void trace_emit_flush(struct trace_writer *tw, uint64_t cycle, enum tr_flush_kind kind,
                      uint32_t addr, uint32_t entries_dropped);
void trace_emit_cr3(struct trace_writer *tw, uint64_t cycle, uint32_t old_cr3, uint32_t new_cr3);
void trace_emit_disk(struct trace_writer *tw, uint64_t cycle, uint64_t lba, uint32_t count,
                     enum tr_disk_dir dir);
/* A guest annotation record as validated by the annotation port (trace/annot.h). */
void trace_emit_annot(struct trace_writer *tw, uint64_t cycle, const void *rec, size_t len);
/* Called by the run loop now and then so readers can place time without
 * replaying everything (the writer decides how often to record one). */
void trace_emit_sync(struct trace_writer *tw, uint64_t cycle, uint64_t insns);

#endif
