/* vmtrace: the TLB replay behind `sim --tlb` (tools/vmtrace_sim.h).
 *
 * Each record drives the emulator's own TLB model, mmu/tlb.c, as mmu.c does
 * (the recipe is at the end of mmu/tlb.h): with the recorded geometry the
 * replay must reproduce the recorded outcome of every translation. */
#include "tools/vmtrace_sim.h"

#include <stdlib.h>
#include <string.h>

bool vt_tlb_config(const struct tr_header *h, const char *spec, struct tlb_config *cfg, bool *recorded,
                   char *err, size_t errlen)
{
    char why[256];
    tlb_config_default(cfg);
    if (!tlb_config_parse(cfg, h->tlb_spec, why, sizeof why)) {
        snprintf(err, errlen, "recorded TLB spec '%s' does not parse: %s", h->tlb_spec, why);
        return false;
    }
    *recorded = !spec || !strcmp(spec, "recorded");
    if (!*recorded) {
        tlb_config_default(cfg);
        if (!tlb_config_parse(cfg, spec, why, sizeof why)) {
            snprintf(err, errlen, "--tlb: %s", why);
            return false;
        }
    }
    return true;
}

bool vt_tlb_replay_init(struct vt_tlb_replay *s, const struct tlb_config *cfg)
{
    memset(s, 0, sizeof *s);
    s->first_disagree = UINT64_MAX;
    s->m = tlb_model_new(cfg);
    if (!s->m)
        return false;
    s->fast = vt_xcalloc(2, sizeof *s->fast);
    return true;
}

void vt_tlb_replay_free(struct vt_tlb_replay *s)
{
    tlb_model_free(s->m);
    free(s->fast);
    s->m = NULL;
    s->fast = NULL;
}

/* One translation; returns true when the simulated outcome class and
 * structure equal the recorded ones. *MRU: the entry it used is its set's
 * most recent way (a repeat would be a hit that changes nothing). */
static bool tlb_sim_one(struct vt_tlb_replay *s, const struct tr_xlate *x, bool *mru, struct tlb_ref *r)
{
    unsigned side = (x->kind & 3) == TR_FETCH ? TLB_SIDE_FETCH : TLB_SIDE_DATA;
    bool faulted = x->outcome == TR_HIT_FAULT || x->outcome == TR_MISS_FAULT;
    bool rec_hit = x->outcome == TR_HIT || x->outcome == TR_HIT_FAULT || x->outcome == TR_HIT_DIRTY;
    enum tlb_result res = tlb_lookup(s->m, side, x->lin, r);
    unsigned tid;
    bool hit = res != TLB_MISS;
    uint32_t flags = TLBE_RW | TLBE_US | TLBE_D | (x->global ? TLBE_G : 0) | (x->large ? TLBE_LARGE : 0);
    uint32_t base = x->large ? x->phys & 0xFFC00000u : x->phys & 0xFFFFF000u;
    *mru = false;
    if (hit) {
        tid = res == TLB_HIT_L1 ? r->c->id : TLB_STLB;
        if (faulted) {
            tlb_invalidate_page(s->m, x->lin, TLB_CAUSE_FAULT);
        } else if (x->outcome == TR_HIT_DIRTY) {
            s->m->c[tid]->st.assists++;
            tlb_refresh(s->m, side, x->lin, base, flags, r);
        }
    } else if (faulted) {
        tlb_count_miss(s->m, side, x->lin, x->large);
        struct tlb_cache *c = tlb_l1_for(s->m, side, x->large);
        tid = c ? c->id : s->m->c[TLB_STLB] ? TLB_STLB : TLB_NONE;
        tlb_invalidate_page(s->m, x->lin, TLB_CAUSE_FAULT);
    } else {
        tlb_fill(s->m, side, x->lin, base, flags, r);
        tid = r->c ? r->c->id : TLB_NONE;
    }
    if (!faulted && r->c && r->c->id != TLB_STLB)
        *mru = *tlb_ref_mru_fill(r) == tlb_ref_entry(r)->fill;
    if (hit)
        s->hits++;
    else
        s->misses++;
    if (rec_hit)
        s->rec_hits++;
    else
        s->rec_misses++;
    return hit == rec_hit && (tid == x->tlb || (tid == TLB_NONE && x->tlb == TR_NOTLB));
}

void vt_tlb_replay_recs(struct vt_tlb_replay *s, const struct vt_tlb_rec *evs, size_t nb)
{
    /* The fast path's counts stay in registers until the end of the batch
     * (stores through s could alias the model's counters). */
    uint64_t xlate = 0, fast_hits = 0, fast_agree = 0;
    /* hits of the 4 KiB first-level structure of each side, likewise */
    struct tlb_cache *l1f = s->m->l1[TLB_SIDE_FETCH][0], *l1d = s->m->l1[TLB_SIDE_DATA][0];
    uint64_t l1f_hits = 0, l1d_hits = 0;
    for (const struct vt_tlb_rec *ev = evs; ev < evs + nb; ev++) {
        if (ev->x.kind != VT_REC_FLUSH) {
            bool mru;
            struct tlb_ref ref;
            uint64_t n = ev->count;
            xlate += n;
            /* As the MMU's fast path: a hit on its set's most recent way
             * changes no replacement state, so it is only counted. */
            const struct tr_xlate *x = &ev->x;
            unsigned side = (x->kind & 3) == TR_FETCH ? TLB_SIDE_FETCH : TLB_SIDE_DATA;
            struct vt_sim_fast *f = &s->fast[side][(x->lin >> 12) & (VT_SIM_FAST - 1)];
            if (x->outcome == TR_HIT && f->page == (x->lin >> 12) + 1 && *f->mru_fill == f->fill) {
                if (f->c == l1f)
                    l1f_hits += n;
                else if (f->c == l1d)
                    l1d_hits += n;
                else
                    f->c->st.hits += n;
                fast_hits += n;     /* simulated and recorded hits */
                if (x->tlb == f->c->id)
                    fast_agree += n;
                else if (s->first_disagree == UINT64_MAX)
                    s->first_disagree = ev->event;
                continue;
            }
            if (tlb_sim_one(s, &ev->x, &mru, &ref))
                s->agree++;
            else if (s->first_disagree == UINT64_MAX)
                s->first_disagree = ev->event;
            if (mru && x->outcome != TR_HIT_FAULT && x->outcome != TR_MISS_FAULT) {
                f->page = (x->lin >> 12) + 1;
                f->c = ref.c;
                f->mru_fill = tlb_ref_mru_fill(&ref);
                f->fill = tlb_ref_entry(&ref)->fill;
            }
            if (n > 1 && mru) {
                /* the rest of the run: first-level hits on the most recent way */
                ref.c->st.hits += n - 1;
                s->hits += n - 1;
                bool rec_hit = ev->x.outcome == TR_HIT || ev->x.outcome == TR_HIT_DIRTY;
                if (rec_hit && ev->x.tlb == ref.c->id) {
                    s->agree += n - 1;
                    s->rec_hits += n - 1;
                } else {
                    if (rec_hit)
                        s->rec_hits += n - 1;
                    else
                        s->rec_misses += n - 1;
                    if (s->first_disagree == UINT64_MAX)
                        s->first_disagree = ev->event + 1;
                }
            } else {
                for (uint64_t k = 1; k < n; k++) {
                    if (tlb_sim_one(s, &ev->x, &mru, &ref))
                        s->agree++;
                    else if (s->first_disagree == UINT64_MAX)
                        s->first_disagree = ev->event + k;
                }
            }
        } else {
            if (ev->x.outcome == TR_FLUSH_CR3)
                tlb_flush_nonglobal(s->m);
            else if (ev->x.outcome == TR_FLUSH_ALL)
                tlb_flush_all(s->m);
            else
                tlb_invalidate_page(s->m, ev->x.lin, TLB_CAUSE_PAGE);
        }
    }
    if (l1f)
        l1f->st.hits += l1f_hits;
    if (l1d)
        l1d->st.hits += l1d_hits;
    s->xlate += xlate;
    s->hits += fast_hits;
    s->rec_hits += fast_hits;
    s->agree += fast_agree;
}

size_t vt_tlb_recs(const struct tr_event *ev, size_t n, struct vt_tlb_rec *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind == TRK_XLATE) {
            const struct tr_xlate *x = &ev[i].u.xlate;
            struct vt_tlb_rec *p = k ? &out[k - 1] : NULL;
            /* A hit right after a hit of the same page, side and answer is
             * a run: the replay counts it as the MRU hit it is (see
             * vt_tlb_replay_recs) */
            if (p && x->outcome == TR_HIT && p->x.outcome == TR_HIT && p->event + p->count == ev[i].event &&
                (p->x.lin ^ x->lin) < 0x1000u && p->x.kind == x->kind && p->x.tlb == x->tlb &&
                p->x.large == x->large && p->x.global == x->global && (p->x.phys ^ x->phys) < 0x1000u) {
                p->count += ev[i].count;
                continue;
            }
            out[k].event = ev[i].event;
            out[k].count = ev[i].count;
            out[k++].x = *x;
        } else if (ev[i].kind == TRK_FLUSH) {
            out[k].event = ev[i].event;
            out[k].count = 0;
            memset(&out[k].x, 0, sizeof out[k].x);
            out[k].x.kind = VT_REC_FLUSH;
            out[k].x.outcome = ev[i].u.flush.kind;
            out[k++].x.lin = ev[i].u.flush.addr;
        }
    }
    return k;
}

void vt_tlb_replay_batch(struct vt_tlb_replay *s, const struct tr_event *evs, size_t n)
{
    struct vt_tlb_rec recs[256];
    for (size_t o = 0; o < n; o += 256) {
        size_t m = n - o < 256 ? n - o : 256;
        vt_tlb_replay_recs(s, recs, vt_tlb_recs(evs + o, m, recs));
    }
}
