/* vmviz's processes: pid table, VMAs, pages (see vmviz_proc.h). */
#include "tools/vmviz_proc.h"

#include <stdlib.h>
#include <string.h>

static void *xrealloc_array(void *p, size_t n, size_t size)
{
    if (n && size > SIZE_MAX / n)
        return NULL;
    return realloc(p, n * size);
}

static uint32_t pid_hash(uint32_t pid, uint32_t cap)
{
    return (pid * 0x9E3779B1u) & (cap - 1);
}

struct vv_proc *vv_proc_find(const struct vv_model *m, uint32_t pid)
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
    return vv_proc_find(m, pid);
}

bool vv_proc_index(struct vv_model *m, uint32_t cap)
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
struct vv_proc *vv_proc_get(struct vv_model *m, uint32_t pid, uint64_t cycle)
{
    if (pid == VV_NOPID)
        return NULL;
    struct vv_proc *p = vv_proc_find(m, pid);
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
    if ((m->nproc + 1) * 2 > m->pidcap && !vv_proc_index(m, m->pidcap ? m->pidcap * 2 : 256))
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
void vv_proc_set_page(struct vv_model *m, struct vv_proc *p, uint32_t vpage, unsigned state, uint32_t frame)
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
void vv_proc_unmap(struct vv_proc *p, uint32_t start, uint32_t pages)
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
void vv_proc_vma_remove(struct vv_proc *p, uint32_t start, uint32_t pages)
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

void vv_proc_vma_add(struct vv_model *m, struct vv_proc *p, uint32_t start, uint32_t pages, uint32_t type)
{
    if (!pages || (uint64_t)start + pages > (1ull << 20)) {
        m->ignored++;                           /* empty, or past 4 GiB */
        return;
    }
    vv_proc_vma_remove(p, start, pages);
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

void vv_proc_release(struct vv_proc *p)
{
    free(p->vma);
    free(p->pg);
    p->vma = NULL;
    p->pg = NULL;
    p->nvma = p->vcap = p->pused = p->pcap = p->resident = p->swapped = 0;
}

bool vv_proc_copy(struct vv_proc *d, const struct vv_proc *s)
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

