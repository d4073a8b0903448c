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

static void *xrealloc_array(void *p, size_t n, size_t size)
{
    if (n && size > SIZE_MAX / n)
        return NULL;
    return realloc(p, n * size);
}

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

/* ------------------------------------------------------------ processes */

static uint32_t pid_hash(uint32_t pid, uint32_t cap)
{
    return (pid * 0x9E3779B1u) & (cap - 1);
}

static const struct vv_proc *find_proc(const struct vv_model *m, uint32_t pid)
{
    if (!m->pidcap)
        return NULL;
    for (uint32_t i = pid_hash(pid, m->pidcap);; i = (i + 1) & (m->pidcap - 1)) {
        uint32_t x = m->pidx[i];
        if (!x)
            return NULL;
        if (m->proc[x - 1].pid == pid)
            return &m->proc[x - 1];
    }
}

const struct vv_proc *vv_model_proc(const struct vv_model *m, uint32_t pid)
{
    return find_proc(m, pid);
}

static bool pidx_rebuild(struct vv_model *m, uint32_t cap)
{
    uint32_t *t = calloc(cap, sizeof *t);
    if (!t)
        return false;
    for (uint32_t k = 0; k < m->nproc; k++) {
        uint32_t i = pid_hash(m->proc[k].pid, cap);
        while (t[i])
            i = (i + 1) & (cap - 1);
        t[i] = k + 1;
    }
    free(m->pidx);
    m->pidx = t;
    m->pidcap = cap;
    return true;
}

/* The process PID, made when first named (NULL: the pid is no process, or
 * a limit was reached). */
static struct vv_proc *get_proc(struct vv_model *m, uint32_t pid, uint64_t cycle)
{
    if (pid == VV_NOPID)
        return NULL;
    struct vv_proc *p = (struct vv_proc *)find_proc(m, pid);
    if (p)
        return p;
    if (m->nproc >= VV_MAX_PROCS) {
        m->ignored++;
        return NULL;
    }
    if (m->nproc == m->proccap) {
        uint32_t cap = m->proccap ? m->proccap * 2 : 64;
        struct vv_proc *np = xrealloc_array(m->proc, cap, sizeof *np);
        if (!np)
            return NULL;
        m->proc = np;
        m->proccap = cap;
    }
    if ((m->nproc + 1) * 2 > m->pidcap && !pidx_rebuild(m, m->pidcap ? m->pidcap * 2 : 256))
        return NULL;
    p = &m->proc[m->nproc++];
    memset(p, 0, sizeof *p);
    p->pid = pid;
    p->ppid = VV_NOPID;
    p->born = cycle;
    p->alive = true;
    uint32_t i = pid_hash(pid, m->pidcap);
    while (m->pidx[i])
        i = (i + 1) & (m->pidcap - 1);
    m->pidx[i] = m->nproc;
    return p;
}

static struct vv_pent *page_slot(const struct vv_proc *p, uint32_t vpage)
{
    if (!p->pcap)
        return NULL;
    uint32_t key = vpage + 1;
    for (uint32_t i = (key * 0x9E3779B1u) & (p->pcap - 1);; i = (i + 1) & (p->pcap - 1)) {
        if (p->pg[i].key == key || !p->pg[i].key)
            return &p->pg[i];
    }
}

unsigned vv_proc_page(const struct vv_proc *p, uint32_t vpage, uint32_t *frame)
{
    const struct vv_pent *e = vpage == VV_NOPAGE ? NULL : page_slot(p, vpage);
    if (!e || !e->key)
        return VV_PAGE_NONE;
    if (frame)
        *frame = e->frame;
    return e->state;
}

/* Rehash P's pages into CAP slots, dropping tombstones. */
static bool pages_rehash(struct vv_proc *p, uint32_t cap)
{
    struct vv_pent *old = p->pg;
    uint32_t ocap = p->pcap;
    p->pg = calloc(cap, sizeof *p->pg);
    if (!p->pg) {
        p->pg = old;
        return false;
    }
    p->pcap = cap;
    p->pused = 0;
    for (uint32_t i = 0; i < ocap; i++)
        if (old[i].key && old[i].state != VV_PAGE_NONE) {
            *page_slot(p, old[i].key - 1) = old[i];
            p->pused++;
        }
    free(old);
    return true;
}

static void page_count(struct vv_proc *p, unsigned state, int d)
{
    if (state == VV_PAGE_RESIDENT)
        p->resident += (uint32_t)d;
    else if (state == VV_PAGE_SWAPPED)
        p->swapped += (uint32_t)d;
}

/* Set VPAGE of P to STATE (and FRAME). */
static void set_page(struct vv_model *m, struct vv_proc *p, uint32_t vpage, unsigned state, uint32_t frame)
{
    if (!p || vpage == VV_NOPAGE)
        return;
    struct vv_pent *e = page_slot(p, vpage);
    if (!e || !e->key) {
        if (state == VV_PAGE_NONE)
            return;
        if (p->pused >= VV_MAX_PAGES) {
            m->ignored++;
            return;
        }
        if ((p->pused + 1) * 2 > p->pcap) {
            uint32_t live = p->resident + p->swapped;
            uint32_t cap = 64;                  /* room for half as many again, at most half full */
            while ((uint64_t)(live + 1) * 3 > cap)
                cap *= 2;
            if (!pages_rehash(p, cap))
                return;
        }
        e = page_slot(p, vpage);
        e->key = vpage + 1;
        e->state = VV_PAGE_NONE;
        p->pused++;
    }
    page_count(p, e->state, -1);
    e->state = (uint8_t)state;
    e->frame = frame;
    page_count(p, state, +1);
}

/* Forget the pages of P in [START, START+PAGES). */
static void unmap_pages(struct vv_proc *p, uint32_t start, uint32_t pages)
{
    uint64_t end = (uint64_t)start + pages;
    for (uint32_t i = 0; i < p->pcap; i++) {
        struct vv_pent *e = &p->pg[i];
        if (e->key && e->key - 1 >= start && e->key - 1 < end && e->state != VV_PAGE_NONE) {
            page_count(p, e->state, -1);
            e->state = VV_PAGE_NONE;
        }
    }
}

/* Remove [START, START+PAGES) from P's VMAs, splitting where needed. */
static void vma_remove(struct vv_proc *p, uint32_t start, uint32_t pages)
{
    uint64_t s = start, e = (uint64_t)start + pages;
    for (uint32_t i = 0; i < p->nvma;) {
        struct vv_vma *v = &p->vma[i];
        uint64_t vs = v->start, ve = (uint64_t)v->start + v->pages;
        if (ve <= s || vs >= e) {
            i++;
            continue;
        }
        if (vs < s && ve > e) {                 /* a hole in the middle: split */
            if (p->nvma >= VV_MAX_VMAS) {       /* at the limit: keep the head only */
                v->pages = (uint32_t)(s - vs);
                return;
            }
            if (p->nvma >= p->vcap) {
                uint32_t cap = p->vcap * 2;
                struct vv_vma *nv = xrealloc_array(p->vma, cap, sizeof *nv);
                if (!nv)
                    return;
                p->vma = nv;
                p->vcap = cap;
                v = &p->vma[i];
            }
            memmove(&p->vma[i + 2], &p->vma[i + 1], sizeof *v * (p->nvma - i - 1));
            p->vma[i + 1] = (struct vv_vma){ (uint32_t)e, (uint32_t)(ve - e), v->type };
            v->pages = (uint32_t)(s - vs);
            p->nvma++;
            return;
        }
        if (vs < s) {                           /* keep the head */
            v->pages = (uint32_t)(s - vs);
            i++;
        } else if (ve > e) {                    /* keep the tail */
            v->start = (uint32_t)e;
            v->pages = (uint32_t)(ve - e);
            i++;
        } else {                                /* covered: drop */
            memmove(v, v + 1, sizeof *v * (p->nvma - i - 1));
            p->nvma--;
        }
    }
}

static void vma_add(struct vv_model *m, struct vv_proc *p, uint32_t start, uint32_t pages, uint32_t type)
{
    if (!pages || (uint64_t)start + pages > (1ull << 20)) {
        m->ignored++;                           /* empty, or past 4 GiB */
        return;
    }
    vma_remove(p, start, pages);
    if (p->nvma >= VV_MAX_VMAS) {
        m->ignored++;
        return;
    }
    if (p->nvma + 1 >= p->vcap) {
        uint32_t cap = p->vcap ? p->vcap * 2 : 8;
        struct vv_vma *nv = xrealloc_array(p->vma, cap, sizeof *nv);
        if (!nv)
            return;
        p->vma = nv;
        p->vcap = cap;
    }
    uint32_t i = 0;
    while (i < p->nvma && p->vma[i].start < start)
        i++;
    memmove(&p->vma[i + 1], &p->vma[i], sizeof p->vma[0] * (p->nvma - i));
    p->vma[i] = (struct vv_vma){ start, pages, (uint8_t)type };
    p->nvma++;
}

static void proc_release(struct vv_proc *p)
{
    free(p->vma);
    free(p->pg);
    p->vma = NULL;
    p->pg = NULL;
    p->nvma = p->vcap = p->pused = p->pcap = p->resident = p->swapped = 0;
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
    struct vv_proc *p = get_proc(m, pid, cycle);
    if (!p)
        return;
    if (!p->alive) {                            /* a pid reused: a new life */
        proc_release(p);
        p->alive = true;
        p->died = 0;
    }
    p->born = cycle;
    p->ppid = annot_u32(rec, offsetof(struct annot_proc_create, ppid));
    set_name(p, rec + offsetof(struct annot_proc_create, name));
}

static void on_exec(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    set_name(get_proc(m, pid, cycle), rec + offsetof(struct annot_exec, name));
}

static void on_comm(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    set_name(get_proc(m, pid, cycle), rec + offsetof(struct annot_comm, name));
}

static void on_proc_exit(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    struct vv_proc *p = get_proc(m, pid, cycle);
    if (!p)
        return;
    p->alive = false;
    p->died = cycle ? cycle : 1;
    proc_release(p);
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
            struct vv_proc *p = (struct vv_proc *)find_proc(m, f->pid);
            uint32_t fr;
            if (p && vv_proc_page(p, f->vpage, &fr) == VV_PAGE_RESIDENT && fr == i)
                set_page(m, p, f->vpage, VV_PAGE_NONE, 0);
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
    struct vv_proc *p = get_proc(m, pid, cycle);
    if (p)
        vma_add(m, p, annot_u32(rec, offsetof(struct annot_vma_map, vpage)),
                annot_u32(rec, offsetof(struct annot_vma_map, pages)),
                annot_u32(rec, offsetof(struct annot_vma_map, type)));
}

static void on_vma_unmap(struct vv_model *m, const uint8_t *rec, uint32_t pid, uint64_t cycle)
{
    struct vv_proc *p = get_proc(m, pid, cycle);
    if (!p)
        return;
    uint32_t start = annot_u32(rec, offsetof(struct annot_vma_unmap, vpage));
    uint32_t pages = annot_u32(rec, offsetof(struct annot_vma_unmap, pages));
    vma_remove(p, start, pages);
    unmap_pages(p, start, pages);
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
            set_page(m, get_proc(m, pid, cycle), vpage, r->map == MAP_RESIDENT ? VV_PAGE_RESIDENT : VV_PAGE_SWAPPED,
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
                struct vv_proc *p = (struct vv_proc *)find_proc(m, ev->pid);
                if (p && p->alive && vv_proc_page(p, x->lin >> 12, NULL) != VV_PAGE_RESIDENT)
                    set_page(m, p, x->lin >> 12, VV_PAGE_RESIDENT, fr);
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
        proc_release(&m->proc[i]);
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

static bool proc_copy(struct vv_proc *d, const struct vv_proc *s)
{
    *d = *s;
    d->vma = NULL;
    d->pg = NULL;
    if (s->vcap && !(d->vma = malloc(s->vcap * sizeof *d->vma)))
        return false;
    if (s->pcap && !(d->pg = malloc(s->pcap * sizeof *d->pg))) {
        free(d->vma);
        d->vma = NULL;
        return false;
    }
    if (s->vcap)
        memcpy(d->vma, s->vma, s->nvma * sizeof *d->vma);
    if (s->pcap)
        memcpy(d->pg, s->pg, s->pcap * sizeof *d->pg);
    return true;
}

bool vv_model_copy(struct vv_model *dst, const struct vv_model *src)
{
    if (dst->nframes != src->nframes || !dst->tlb != !src->tlb)
        return false;
    for (uint32_t i = 0; i < dst->nproc; i++)
        proc_release(&dst->proc[i]);
    dst->nproc = 0;
    if (src->proccap > dst->proccap) {
        struct vv_proc *np = xrealloc_array(dst->proc, src->proccap, sizeof *np);
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
        if (!proc_copy(&dst->proc[i], &src->proc[i])) {
            dst->nproc = i;
            memset(dst->pidx, 0, dst->pidcap * sizeof *dst->pidx);
            pidx_rebuild(dst, dst->pidcap ? dst->pidcap : 256);
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
