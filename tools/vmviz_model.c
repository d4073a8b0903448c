/* vmviz's frame-state model (see vmviz_model.h).
 *
 * One record at a time, in file order:
 *   translation  heat on its frame (read/write); a user page's first
 *                translation after a miss marks the page resident in the
 *                pid's table and gives an ownerless frame its owner; then
 *                the TLB model is driven as mmu.c drives it (mmu/tlb.h,
 *                "Replaying a recorded translation stream").
 *   walk         a PTE whose D bit it set: dirty overlay on the PTE's frame;
 *                arrow 8.
 *   fault        arrow 1.
 *   flush        the TLB model's flush; remembered for the panel.
 *   annotation   the rule of its kind (annot_rules below), then its
 *                handler (annot_fn) when it has one.
 *   sync         the instruction count. */
#include "tools/vmviz_model.h"
#include "tools/vmviz_proc.h"
#include "trace/annot_desc.h"

#include <stdlib.h>
#include <string.h>

const char *vv_state_name(unsigned s)
{
    if (s < ANNOT_USE_COUNT)
        return annot_enum_name(&annot_frame_uses, s);
    return s == VV_FREE ? "free" : s == VV_UNKNOWN ? "unknown" : NULL;
}

/* What each arrow counts (issue 19's numbering). */
const char *const vv_arrow_names[VV_NARROWS] = {
    "1 page fault: mapping requests a page",        /* fault records */
    "2 allocation from free memory",                /* frame-alloc of a free frame */
    "3 page-cache insert",                          /* pcache-insert */
    "4 swap out",                                   /* evict */
    "5 swap in",                                    /* swap-in (read-around included) */
    "6 swap cache",                                 /* swap-cache-hit, frame-alloc of use swapcache */
    "7 page table updated after swap",              /* swap-in of a faulting page, swap-cache-hit */
    "8 page walk",                                  /* walk records */
};

/* ------------------------------------------------------------ helpers */

static void set_state(struct vv_model *m, struct vv_frame *f, unsigned s)
{
    m->count[f->state]--;
    m->count[s]++;
    f->state = (uint8_t)s;
}

static void clear_dirty(struct vv_model *m, struct vv_frame *f)
{
    if (f->flags & VVF_DIRTY) {
        f->flags &= (uint8_t)~VVF_DIRTY;
        m->dirty--;
    }
}

static void heat(struct vv_frame *f, unsigned kind, uint64_t cycle)
{
    f->heat = (uint8_t)kind;
    f->touch = cycle ? cycle : 1;
}

static struct vv_frame *frame_at(struct vv_model *m, uint32_t frame)
{
    if (frame >= m->nframes) {
        m->ignored++;
        return NULL;
    }
    return &m->frame[frame];
}

static void push_event(struct vv_frame *f, unsigned kind, uint32_t pid, uint64_t cycle)
{
    memmove(&f->ev[1], &f->ev[0], sizeof f->ev[0] * (VV_FRAME_EVENTS - 1));
    f->ev[0] = (struct vv_fevent){ cycle, pid, (uint8_t)kind };
    if (f->nev < 255)
        f->nev++;
}

/* ------------------------------------------------------------ annotations */

/* What an annotation kind does to the frame it names. */
enum { MAP_NONE, MAP_RESIDENT, MAP_SWAPPED };
struct annot_rule {
    uint8_t frame;              /* offset of its frame field; 0 none */
    uint8_t vpage;              /* offset of its vpage field; 0 none */
    uint8_t heat;               /* enum vv_heat the frame gets */
    uint8_t map;                /* MAP_*: what the (pid, vpage) page becomes */
    uint8_t dirty_clear;        /* the frame's contents reached the disk */
    uint8_t arrow;              /* arrow number (1-8) it counts, 0 none */
    uint8_t arrow2;             /* a second arrow when it names a page (vpage valid) */
};

#define OFF(T, f) (uint8_t)offsetof(struct T, f)
static const struct annot_rule annot_rules[ANNOT_KIND_COUNT] = {
    [ANNOT_ZERO_FILL] = { OFF(annot_zero_fill, frame), OFF(annot_zero_fill, vpage), VV_HEAT_IN, MAP_RESIDENT, 0, 0, 0 },
    [ANNOT_COW_COPY] = { OFF(annot_cow_copy, new_frame), OFF(annot_cow_copy, vpage), VV_HEAT_IN, MAP_RESIDENT, 0, 0, 0 },
    [ANNOT_EVICT] = { OFF(annot_evict, frame), OFF(annot_evict, vpage), VV_HEAT_OUT, MAP_SWAPPED, 1, 4, 0 },
    [ANNOT_SWAP_IN] = { OFF(annot_swap_in, frame), OFF(annot_swap_in, vpage), VV_HEAT_IN, MAP_RESIDENT, 0, 5, 7 },
    [ANNOT_SWAP_CACHE_HIT] = { OFF(annot_swap_hit, frame), OFF(annot_swap_hit, vpage), VV_HEAT_IN, MAP_RESIDENT, 0, 6, 7 },
    [ANNOT_PCACHE_INSERT] = { OFF(annot_pcache, frame), 0, VV_HEAT_IN, MAP_NONE, 0, 3, 0 },
    [ANNOT_PCACHE_EVICT] = { OFF(annot_pcache, frame), 0, VV_HEAT_OUT, MAP_NONE, 0, 0, 0 },
    [ANNOT_WRITEBACK] = { OFF(annot_pcache, frame), 0, VV_HEAT_OUT, MAP_NONE, 1, 0, 0 },
    [ANNOT_LRU_MOVE] = { OFF(annot_lru_move, frame), 0, VV_HEAT_NONE, MAP_NONE, 0, 0, 0 },
    [ANNOT_COW_REUSE] = { OFF(annot_cow_reuse, frame), OFF(annot_cow_reuse, vpage), VV_HEAT_WRITE, MAP_RESIDENT, 0, 0, 0 },
    [ANNOT_FRAME_ALLOC] = { OFF(annot_frame_alloc, frame), 0, VV_HEAT_NONE, MAP_NONE, 0, 0, 0 },
    [ANNOT_FRAME_FREE] = { OFF(annot_frame_free, frame), 0, VV_HEAT_NONE, MAP_NONE, 0, 0, 0 },
    [ANNOT_PCACHE_HIT] = { OFF(annot_pcache_hit, frame), 0, VV_HEAT_READ, MAP_NONE, 0, 0, 0 },
    [ANNOT_FILE_FAULT] = { OFF(annot_file_fault, frame), OFF(annot_file_fault, vpage), VV_HEAT_IN, MAP_RESIDENT, 0, 0, 0 },
};

static void set_name(struct vv_proc *p, const uint8_t *name)
{
    if (p) {
        memcpy(p->name, name, ANNOT_NAME_LEN);
        p->name[ANNOT_NAME_LEN] = 0;
    }
}

typedef void annot_fn_t(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle);

static void on_proc_create(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    struct vv_proc *p = vv_proc_get(m, pid, cycle);
    if (!p)
        return;
    if (!p->alive) {                            /* a pid reused: a new life */
        vv_proc_release(p);
        p->alive = true;
        p->died = 0;
    }
    p->born = cycle;
    p->ppid = annot_u32(rec, offsetof(struct annot_proc_create, ppid));
    set_name(p, rec + offsetof(struct annot_proc_create, name));
}

static void on_exec(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    set_name(vv_proc_get(m, pid, cycle), rec + offsetof(struct annot_exec, name));
}

static void on_comm(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    set_name(vv_proc_get(m, pid, cycle), rec + offsetof(struct annot_comm, name));
}

static void on_proc_exit(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    struct vv_proc *p = vv_proc_get(m, pid, cycle);
    if (!p)
        return;
    p->alive = false;
    p->died = cycle ? cycle : 1;
    vv_proc_release(p);
}

static void on_mark(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    if (annot_u32(rec, offsetof(struct annot_mark, label)) != 1)
        return;
    m->nmarks++;
    m->mark_cycle = cycle;
    m->mark_event = m->event;
    memcpy(m->mark_count, m->count, sizeof m->count);
}

static void on_lru_move(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    struct vv_frame *f = frame_at(m, annot_u32(rec, offsetof(struct annot_lru_move, frame)));
    if (!f)
        return;
    f->flags &= (uint8_t)~(VVF_ACTIVE | VVF_INACTIVE);
    f->flags |= annot_u32(rec, offsetof(struct annot_lru_move, list)) ? VVF_ACTIVE : VVF_INACTIVE;
}

/* The frames of a block: [FRAME, FRAME + 2^ORDER) clipped to RAM. */
static uint32_t block_end(struct vv_model *m, uint32_t frame, uint32_t order)
{
    if (order > VV_MAX_ORDER) {
        m->ignored++;
        return frame;
    }
    uint64_t end = (uint64_t)frame + (1ull << order);
    if (end > m->nframes) {
        m->ignored++;
        end = m->nframes;
    }
    return frame < end ? (uint32_t)end : frame;
}

static void on_frame_alloc(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    uint32_t frame = annot_u32(rec, offsetof(struct annot_frame_alloc, frame));
    uint32_t use = annot_u32(rec, offsetof(struct annot_frame_alloc, use));
    uint32_t end = block_end(m, frame, annot_u32(rec, offsetof(struct annot_frame_alloc, order)));
    if (use >= ANNOT_USE_COUNT) {
        m->ignored++;
        return;
    }
    if (use == ANNOT_USE_SWAPCACHE)
        m->arrow[5]++;
    for (uint32_t i = frame; i < end; i++) {
        struct vv_frame *f = &m->frame[i];
        if (f->state == VV_FREE || f->state == VV_UNKNOWN) {
            if (f->state == VV_FREE)
                m->arrow[1]++;                  /* an allocation from free memory */
            f->pid = VV_NOPID;
            f->vpage = VV_NOPAGE;
            f->flags = 0;
        }
        set_state(m, f, use);
    }
}

static void on_frame_free(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    uint32_t frame = annot_u32(rec, offsetof(struct annot_frame_free, frame));
    uint32_t end = block_end(m, frame, annot_u32(rec, offsetof(struct annot_frame_free, order)));
    for (uint32_t i = frame; i < end; i++) {
        struct vv_frame *f = &m->frame[i];
        if (f->pid != VV_NOPID && f->vpage != VV_NOPAGE) {
            /* the owner's page, if it still names this frame, is gone */
            struct vv_proc *p = vv_proc_find(m, f->pid);
            uint32_t fr;
            if (p && vv_proc_page(p, f->vpage, &fr) == VV_PAGE_RESIDENT && fr == i)
                vv_proc_set_page(m, p, f->vpage, VV_PAGE_NONE, 0);
        }
        clear_dirty(m, f);
        f->flags = 0;
        f->pid = VV_NOPID;
        f->vpage = VV_NOPAGE;
        set_state(m, f, VV_FREE);
    }
}

static void on_vma_map(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    struct vv_proc *p = vv_proc_get(m, pid, cycle);
    if (p)
        vv_proc_vma_add(m, p, annot_u32(rec, offsetof(struct annot_vma_map, vpage)),
                annot_u32(rec, offsetof(struct annot_vma_map, pages)),
                annot_u32(rec, offsetof(struct annot_vma_map, type)));
}

static void on_vma_unmap(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    struct vv_proc *p = vv_proc_get(m, pid, cycle);
    if (!p)
        return;
    uint32_t start = annot_u32(rec, offsetof(struct annot_vma_unmap, vpage));
    uint32_t pages = annot_u32(rec, offsetof(struct annot_vma_unmap, pages));
    vv_proc_vma_remove(p, start, pages);
    vv_proc_unmap(p, start, pages);
}

/* Handlers beyond the frame rule, by kind (NULL: the rule is all). */
static annot_fn_t *const annot_fn[ANNOT_KIND_COUNT] = {
    [ANNOT_PROC_CREATE] = on_proc_create,
    [ANNOT_EXEC] = on_exec,
    [ANNOT_EXIT] = on_proc_exit,
    [ANNOT_MARK] = on_mark,
    [ANNOT_LRU_MOVE] = on_lru_move,
    [ANNOT_FRAME_ALLOC] = on_frame_alloc,
    [ANNOT_FRAME_FREE] = on_frame_free,
    [ANNOT_COMM] = on_comm,
    [ANNOT_VMA_MAP] = on_vma_map,
    [ANNOT_VMA_UNMAP] = on_vma_unmap,
};

void vv_model_annot(struct vv_model *m, uint64_t cycle, const uint8_t *rec, size_t size)
{
    const struct annot_desc *d = size >= sizeof(struct annot_hdr) ? annot_desc_of(rec, size) : NULL;
    if (!d) {
        m->ignored++;                           /* unknown kind or wrong size: no field is read */
        return;
    }
    unsigned kind = (unsigned)(rec[0] | rec[1] << 8);
    uint32_t pid = annot_u32(rec, offsetof(struct annot_hdr, pid));
    m->annot[kind]++;
    const struct annot_rule *r = &annot_rules[kind];
    if (r->frame) {
        struct vv_frame *f = frame_at(m, annot_u32(rec, r->frame));
        uint32_t vpage = r->vpage ? annot_u32(rec, r->vpage) : VV_NOPAGE;
        if (f) {
            push_event(f, kind, pid, cycle);
            if (r->heat)
                heat(f, r->heat, cycle);
            if (r->dirty_clear)
                clear_dirty(m, f);
            if (r->map == MAP_RESIDENT && vpage != VV_NOPAGE) {
                f->pid = pid;
                f->vpage = vpage;
            }
        }
        if (r->map && vpage != VV_NOPAGE) {
            uint32_t frame = annot_u32(rec, r->frame);
            vv_proc_set_page(m, vv_proc_get(m, pid, cycle), vpage, r->map == MAP_RESIDENT ? VV_PAGE_RESIDENT : VV_PAGE_SWAPPED,
                     frame);
        }
        if (r->arrow)
            m->arrow[r->arrow - 1]++;
        if (r->arrow2 && vpage != VV_NOPAGE)
            m->arrow[r->arrow2 - 1]++;
    }
    if (annot_fn[kind])
        annot_fn[kind](m, rec, pid, cycle);
}

/* ------------------------------------------------------------ TLB */

/* Drive the TLB model with one translation as mmu.c does (mmu/tlb.h). */
static void tlb_step(struct vv_model *m, const struct tr_xlate *x, uint32_t pid, uint64_t cycle)
{
    struct tlb_model *t = m->tlb;
    unsigned side = (x->kind & 3) == TR_FETCH ? TLB_SIDE_FETCH : TLB_SIDE_DATA;
    bool faulted = x->outcome == TR_HIT_FAULT || x->outcome == TR_MISS_FAULT;
    uint32_t flags = TLBE_RW | TLBE_US | TLBE_D | (x->global ? TLBE_G : 0) | (x->large ? TLBE_LARGE : 0);
    uint32_t base = x->large ? x->phys & 0xFFC00000u : x->phys & 0xFFFFF000u;
    struct tlb_ref r = { 0 };
    enum tlb_result res = tlb_lookup(t, side, x->lin, &r);
    if (res != TLB_MISS) {
        if (faulted) {
            tlb_invalidate_page(t, x->lin, TLB_CAUSE_FAULT);
            return;
        }
        if (x->outcome == TR_HIT_DIRTY)
            tlb_refresh(t, side, x->lin, base, flags, &r);
        if (r.c && m->slot[r.c->id]) {
            struct vv_tlbslot *s = &m->slot[r.c->id][r.idx];
            if (res == TLB_HIT_L2) {            /* refilled from the STLB */
                s->pid = pid;
                s->fill_cycle = cycle;
            }
            s->hit_cycle = cycle;
        }
    } else if (faulted) {
        tlb_count_miss(t, side, x->lin, x->large);
        tlb_invalidate_page(t, x->lin, TLB_CAUSE_FAULT);
    } else {
        tlb_fill(t, side, x->lin, base, flags, &r);
        if (r.c && m->slot[r.c->id])
            m->slot[r.c->id][r.idx] = (struct vv_tlbslot){ pid, cycle, 0 };
    }
}

/* ------------------------------------------------------------ records */

static void rate_sample(struct vv_model *m, uint64_t cycle)
{
    uint32_t last = (m->rate_head + VV_RATE_SAMPLES - 1) % VV_RATE_SAMPLES;
    if (m->rate_n && cycle < m->rate_cycle[last] + VV_RATE_STEP && cycle >= m->rate_cycle[last])
        return;
    m->rate_cycle[m->rate_head] = cycle;
    memcpy(m->rate_count[m->rate_head], m->arrow, sizeof m->arrow);
    m->rate_head = (m->rate_head + 1) % VV_RATE_SAMPLES;
    if (m->rate_n < VV_RATE_SAMPLES)
        m->rate_n++;
}

double vv_model_rate(const struct vv_model *m, unsigned a)
{
    if (a >= VV_NARROWS || !m->rate_n)
        return 0;
    /* the oldest sample within 16 steps of now */
    uint32_t back = m->rate_n < 16 ? m->rate_n : 16;
    uint32_t i = (m->rate_head + VV_RATE_SAMPLES - back) % VV_RATE_SAMPLES;
    if (m->cycle <= m->rate_cycle[i] || m->arrow[a] < m->rate_count[i][a])
        return 0;
    double secs = (double)(m->cycle - m->rate_cycle[i]) / ((double)m->mhz * 1e6);
    return (double)(m->arrow[a] - m->rate_count[i][a]) / secs;
}

static void on_xlate(struct vv_model *m, const struct tr_event *ev)
{
    const struct tr_xlate *x = &ev->u.xlate;
    bool faulted = x->outcome == TR_HIT_FAULT || x->outcome == TR_MISS_FAULT;
    if (!faulted) {
        uint32_t fr = x->phys >> 12;
        if (fr < m->nframes) {
            struct vv_frame *f = &m->frame[fr];
            heat(f, (x->kind & 3) == TR_WRITE ? VV_HEAT_WRITE : VV_HEAT_READ, ev->cycle);
            /* A user page's translation after a miss: the page is there. */
            if (x->outcome != TR_HIT && !x->large && x->lin < 0xC0000000u && ev->pid != VV_NOPID) {
                if (f->pid == VV_NOPID) {
                    f->pid = ev->pid;
                    f->vpage = x->lin >> 12;
                } else if (f->pid != ev->pid) {
                    f->flags |= VVF_SHARED;
                }
                struct vv_proc *p = vv_proc_find(m, ev->pid);
                if (p && p->alive && vv_proc_page(p, x->lin >> 12, NULL) != VV_PAGE_RESIDENT)
                    vv_proc_set_page(m, p, x->lin >> 12, VV_PAGE_RESIDENT, fr);
            }
        }
    }
    if (m->tlb)
        tlb_step(m, x, ev->pid, ev->cycle);
}

static void on_walk(struct vv_model *m, const struct tr_event *ev)
{
    m->arrow[7]++;
    if ((ev->u.walk.ad_set & 8) && ev->u.walk.pte_addr) {  /* PTE.D written: the PTE's frame is dirty */
        uint32_t fr = ev->u.walk.pte >> 12;
        if (fr < m->nframes && !(m->frame[fr].flags & VVF_DIRTY)) {
            m->frame[fr].flags |= VVF_DIRTY;
            m->dirty++;
        }
    }
}

static void on_fault(struct vv_model *m, const struct tr_event *ev)
{
    m->arrow[0]++;
}

static void on_flush(struct vv_model *m, const struct tr_event *ev)
{
    m->flush_cycle = ev->cycle ? ev->cycle : 1;
    m->flush_kind = ev->u.flush.kind;
    if (!m->tlb)
        return;
    if (ev->u.flush.kind == TR_FLUSH_CR3)
        tlb_flush_nonglobal(m->tlb);
    else if (ev->u.flush.kind == TR_FLUSH_ALL)
        tlb_flush_all(m->tlb);
    else
        tlb_invalidate_page(m->tlb, ev->u.flush.addr, TLB_CAUSE_PAGE);
}

static void on_annot_record(struct vv_model *m, const struct tr_event *ev)
{
    size_t size = ev->u.annot.size;
    vv_model_annot(m, ev->cycle, ev->u.annot.rec, size <= sizeof ev->u.annot.rec ? size : 0);
}

static void on_sync(struct vv_model *m, const struct tr_event *ev)
{
    m->insns = ev->u.sync.insns;
}

/* What each record kind does (CR3 and disk records change no state here:
 * the reader already gives every record its address space and pid). */
static void (*const record_fn[TRK_NKINDS])(struct vv_model *m, const struct tr_event *ev) = {
    [TRK_XLATE] = on_xlate, [TRK_WALK] = on_walk, [TRK_FAULT] = on_fault, [TRK_FLUSH] = on_flush,
    [TRK_CR3] = NULL,       [TRK_DISK] = NULL,    [TRK_ANNOT] = on_annot_record, [TRK_SYNC] = on_sync,
};

void vv_model_apply(struct vv_model *m, const struct tr_event *ev)
{
    m->records++;
    if (ev->cycle >= m->cycle)
        m->cycle = ev->cycle;
    m->event = ev->event + (ev->count ? ev->count : 1);
    m->cur_pid = ev->pid;
    if (ev->kind < TRK_NKINDS)
        m->kind[ev->kind] += ev->kind == TRK_XLATE ? ev->count : 1;
    if (ev->kind < TRK_NKINDS && record_fn[ev->kind])
        record_fn[ev->kind](m, ev);
    rate_sample(m, m->cycle);
}

/* ------------------------------------------------------------ life cycle */

struct vv_model *vv_model_new(const struct tr_header *h)
{
    struct vv_model *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    uint64_t frames = h ? h->ram_bytes >> 12 : 0;
    m->nframes = frames > VV_MAX_FRAMES ? VV_MAX_FRAMES : (uint32_t)frames;
    m->mhz = h && h->cpu_mhz ? h->cpu_mhz : 100;
    m->cur_pid = VV_NOPID;
    m->frame = calloc(m->nframes ? m->nframes : 1, sizeof *m->frame);
    if (!m->frame) {
        free(m);
        return NULL;
    }
    for (uint32_t i = 0; i < m->nframes; i++)
        m->frame[i] = (struct vv_frame){ .state = VV_UNKNOWN, .pid = VV_NOPID, .vpage = VV_NOPAGE };
    m->count[VV_UNKNOWN] = m->nframes;
    struct tlb_config cfg;
    char err[256];
    tlb_config_default(&cfg);
    if (h && tlb_config_parse(&cfg, h->tlb_spec, err, sizeof err) && (m->tlb = tlb_model_new(&cfg))) {
        for (unsigned i = 0; i < TLB_NSTRUCT; i++)
            if (m->tlb->c[i] && !(m->slot[i] = calloc(cfg.g[i].entries, sizeof *m->slot[i]))) {
                vv_model_free(m);
                return NULL;
            }
    }
    return m;
}

void vv_model_free(struct vv_model *m)
{
    if (!m)
        return;
    for (uint32_t i = 0; i < m->nproc; i++)
        vv_proc_release(&m->proc[i]);
    free(m->proc);
    free(m->pidx);
    free(m->frame);
    for (unsigned i = 0; i < TLB_NSTRUCT; i++)
        free(m->slot[i]);
    tlb_model_free(m->tlb);
    free(m);
}

/* Copy the state of SRC's TLB into DST's, built from the same configuration. */
static void tlb_copy(struct tlb_model *dst, const struct tlb_model *src)
{
    dst->fill_seq = src->fill_seq;
    for (unsigned i = 0; i < TLB_NSTRUCT; i++) {
        struct tlb_cache *d = dst->c[i];
        const struct tlb_cache *s = src->c[i];
        if (!d || !s)
            continue;
        size_t n = (size_t)s->sets * s->ways;
        memcpy(d->tag, s->tag, n * sizeof *s->tag);
        memcpy(d->e, s->e, n * sizeof *s->e);
        memcpy(d->order, s->order, n);
        memcpy(d->plru, s->plru, s->sets * sizeof *s->plru);
        memcpy(d->mru_fill, s->mru_fill, s->sets * sizeof *s->mru_fill);
        memcpy(d->mru, s->mru, s->sets);
        d->valid = s->valid;
        d->fractured = s->fractured;
        d->rng = s->rng;
        d->st = s->st;
    }
}

bool vv_model_copy(struct vv_model *dst, const struct vv_model *src)
{
    if (dst->nframes != src->nframes || !dst->tlb != !src->tlb)
        return false;
    for (uint32_t i = 0; i < dst->nproc; i++)
        vv_proc_release(&dst->proc[i]);
    dst->nproc = 0;
    if (src->proccap > dst->proccap) {
        struct vv_proc *np = realloc(dst->proc, (size_t)src->proccap * sizeof *np);   /* <= VV_MAX_PROCS * 2 */
        if (!np)
            return false;
        dst->proc = np;
        dst->proccap = src->proccap;
    }
    if (src->pidcap != dst->pidcap) {
        uint32_t *t = malloc((src->pidcap ? src->pidcap : 1) * sizeof *t);
        if (!t)
            return false;
        free(dst->pidx);
        dst->pidx = t;
        dst->pidcap = src->pidcap;
    }
    if (src->pidcap)
        memcpy(dst->pidx, src->pidx, src->pidcap * sizeof *dst->pidx);
    for (uint32_t i = 0; i < src->nproc; i++) {
        if (!vv_proc_copy(&dst->proc[i], &src->proc[i])) {
            dst->nproc = i;
            memset(dst->pidx, 0, dst->pidcap * sizeof *dst->pidx);
            vv_proc_index(dst, dst->pidcap ? dst->pidcap : 256);
            return false;
        }
        dst->nproc = i + 1;
    }
    memcpy(dst->frame, src->frame, src->nframes * sizeof *dst->frame);
    /* the scalar state, field by field */
    dst->cycle = src->cycle;
    dst->event = src->event;
    dst->insns = src->insns;
    dst->records = src->records;
    dst->cur_pid = src->cur_pid;
    memcpy(dst->count, src->count, sizeof dst->count);
    dst->dirty = src->dirty;
    dst->nmarks = src->nmarks;
    dst->mark_cycle = src->mark_cycle;
    dst->mark_event = src->mark_event;
    memcpy(dst->mark_count, src->mark_count, sizeof dst->mark_count);
    memcpy(dst->arrow, src->arrow, sizeof dst->arrow);
    memcpy(dst->rate_cycle, src->rate_cycle, sizeof dst->rate_cycle);
    memcpy(dst->rate_count, src->rate_count, sizeof dst->rate_count);
    dst->rate_head = src->rate_head;
    dst->rate_n = src->rate_n;
    memcpy(dst->kind, src->kind, sizeof dst->kind);
    memcpy(dst->annot, src->annot, sizeof dst->annot);
    dst->ignored = src->ignored;
    dst->flush_cycle = src->flush_cycle;
    dst->flush_kind = src->flush_kind;
    if (src->tlb) {
        tlb_copy(dst->tlb, src->tlb);
        for (unsigned i = 0; i < TLB_NSTRUCT; i++)
            if (src->slot[i])
                memcpy(dst->slot[i], src->slot[i], src->tlb->cfg.g[i].entries * sizeof *src->slot[i]);
    }
    return true;
}

size_t vv_model_bytes(const struct vv_model *m)
{
    size_t n = sizeof *m + m->nframes * sizeof *m->frame + m->pidcap * sizeof *m->pidx +
               m->proccap * sizeof *m->proc;
    for (uint32_t i = 0; i < m->nproc; i++)
        n += m->proc[i].vcap * sizeof(struct vv_vma) + m->proc[i].pcap * sizeof(struct vv_pent);
    if (m->tlb)
        for (unsigned i = 0; i < TLB_NSTRUCT; i++)
            if (m->tlb->c[i])
                n += m->tlb->cfg.g[i].entries * (sizeof(struct vv_tlbslot) + 4 + sizeof(struct tlb_entry) + 1);
    return n;
}
