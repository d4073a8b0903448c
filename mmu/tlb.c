/* The TLB model (see tlb.h): Intel SDM vol. 3A §4.10.2 (TLBs), §4.10.3
 * (paging-structure caches), §4.10.4 (invalidation); replacement policies as
 * Hennessy & Patterson describe them (LRU, tree pseudo-LRU, FIFO, random).
 *
 * Hot path (mmu/tlb_inline.h, which the MMU's miss path inlines):
 * tlb_lookup compares the tags of the set (one cache line) and
 * records a hit through tlb_hit_record, the one primitive for hits (LRU: a
 * stamp; PLRU: the tree bits; FIFO and random: nothing). A fill takes the
 * least stamp of the set (LRU, FIFO), the tree's victim (PLRU) or a random
 * way, in the one pass over the set that writes the new entry. No
 * allocation after tlb_model_new. */
#include "mmu/tlb.h"
#include "mmu/tlb_inline.h"
#include "mmu/zalloc.h"
#include "trace/emit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The trace records name structures by these ids: one numbering, one table
 * of names (trace/emit.h's tr_tlb_names). */
_Static_assert((int)TLB_ITLB == (int)TR_ITLB && (int)TLB_DTLB == (int)TR_DTLB && (int)TLB_LTLB == (int)TR_LTLB &&
               (int)TLB_STLB == (int)TR_STLB && (int)TLB_UTLB == (int)TR_UTLB && (int)TLB_ILTLB == (int)TR_ILTLB &&
               (int)TLB_PWC == (int)TR_PWC && (int)TLB_NONE == (int)TR_NOTLB,
               "enum tlb_id and enum tr_tlb must agree");
const char *const *const tlb_names = tr_tlb_names;
const char *const tlb_policy_names[4] = { "lru", "plru", "fifo", "random" };

#define MAX_WAYS    255u
#define MAX_ENTRIES 65536u
#define MAX_COST    10000u

/* ------------------------------------------------------------------ */
/* Configuration                                                       */
/* ------------------------------------------------------------------ */

void tlb_config_default(struct tlb_config *cfg)
{
    /* Pentium II (CPUID leaf 2 descriptors 01h-04h): ITLB 4K 32 entries
     * 4-way, ITLB 4M 2 entries fully associative, DTLB 4K 64 entries 4-way,
     * DTLB 4M 8 entries 4-way. LRU: the P6 manuals do not document the
     * policy; LRU is the textbook reference the others are compared with. */
    memset(cfg, 0, sizeof *cfg);
    for (unsigned i = 0; i < TLB_NSTRUCT; i++)
        cfg->g[i].policy = -1;
    cfg->g[TLB_ITLB] = (struct tlb_geom){ 32, 4, -1 };
    cfg->g[TLB_ILTLB] = (struct tlb_geom){ 2, 2, -1 };
    cfg->g[TLB_DTLB] = (struct tlb_geom){ 64, 4, -1 };
    cfg->g[TLB_LTLB] = (struct tlb_geom){ 8, 4, -1 };
    cfg->policy = TLB_LRU;
    cfg->seed = 0x2545F491u;
}

static bool is_pow2(unsigned v) { return v && !(v & (v - 1)); }

static int policy_from(const char *s, size_t n)
{
    for (int i = 0; i < 4; i++)
        if (strlen(tlb_policy_names[i]) == n && !strncmp(s, tlb_policy_names[i], n))
            return i;
    return -1;
}

/* Parse an unsigned decimal of N chars; false if not a number or > MAX. */
static bool parse_uint(const char *s, size_t n, unsigned long max, unsigned *out)
{
    if (!n || n > 10)
        return false;
    unsigned long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v > max)
        return false;
    *out = (unsigned)v;
    return true;
}

static const struct { const char *name; int id; } spec_keys[] = {
    { "itlb", TLB_ITLB }, { "dtlb", TLB_DTLB }, { "utlb", TLB_UTLB },
    { "iltlb", TLB_ILTLB }, { "dltlb", TLB_LTLB }, { "ltlb", 100 },
    { "stlb", TLB_STLB }, { "pwc", TLB_PWC },
};

/* Parse "N:W[:policy]" (or "N[:W][:policy]" for the PWC, fully associative
 * when W is omitted; "0"/"off"/"none" for absent). */
static bool parse_geom(const char *v, size_t n, bool pwc, struct tlb_geom *g, const char **why)
{
    if ((n == 1 && v[0] == '0') || (n == 3 && !strncmp(v, "off", 3)) || (n == 4 && !strncmp(v, "none", 4))) {
        *g = (struct tlb_geom){ 0, 0, -1 };
        return true;
    }
    const char *c1 = memchr(v, ':', n);
    size_t n1 = c1 ? (size_t)(c1 - v) : n;
    unsigned entries, ways;
    if (!parse_uint(v, n1, MAX_ENTRIES, &entries) || entries == 0) {
        *why = "entries must be a number from 1 to 65536 (or 0/off for none)";
        return false;
    }
    int policy = -1;
    if (!c1) {
        if (!pwc) {
            *why = "expected ENTRIES:WAYS";
            return false;
        }
        ways = entries;
    } else {
        const char *w = c1 + 1;
        size_t rest = n - n1 - 1;
        const char *c2 = memchr(w, ':', rest);
        size_t n2 = c2 ? (size_t)(c2 - w) : rest;
        if (!parse_uint(w, n2, MAX_ENTRIES, &ways) || ways == 0) {
            *why = "ways must be a number from 1 to 255";
            return false;
        }
        if (c2) {
            policy = policy_from(c2 + 1, rest - n2 - 1);
            if (policy < 0) {
                *why = "policy must be lru, plru, fifo or random";
                return false;
            }
        }
    }
    if (ways > MAX_WAYS) {
        *why = "at most 255 ways";
        return false;
    }
    if (ways > entries || entries % ways || !is_pow2(entries / ways)) {
        *why = "ENTRIES/WAYS (the number of sets) must be a whole power of two";
        return false;
    }
    *g = (struct tlb_geom){ entries, ways, policy };
    return true;
}

bool tlb_config_parse(struct tlb_config *cfg, const char *spec, char *err, unsigned errlen)
{
    if (!spec)
        return true;
    unsigned named = 0;     /* bit per spec_keys index */
    unsigned present = 0;   /* of those, given with entries (not 0/off) */
    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (!len || !eq) {
            snprintf(err, errlen, "--tlb: '%.*s': expected KEY=VALUE (keys: itlb dtlb utlb iltlb "
                     "dltlb ltlb stlb pwc policy seed)", (int)len, p);
            return false;
        }
        size_t klen = (size_t)(eq - p);
        const char *v = eq + 1;
        size_t vlen = len - klen - 1;
        const char *why = NULL;
        if (klen == 6 && !strncmp(p, "policy", 6)) {
            int pol = policy_from(v, vlen);
            if (pol < 0) {
                snprintf(err, errlen, "--tlb: '%.*s': policy must be lru, plru, fifo or random", (int)len, p);
                return false;
            }
            cfg->policy = pol;
        } else if (klen == 4 && !strncmp(p, "seed", 4)) {
            unsigned s;
            if (!parse_uint(v, vlen, 0xFFFFFFFFul, &s) || s == 0) {
                snprintf(err, errlen, "--tlb: '%.*s': seed must be a number from 1 to 4294967295", (int)len, p);
                return false;
            }
            cfg->seed = s;
        } else {
            int k = -1;
            for (unsigned i = 0; i < sizeof spec_keys / sizeof spec_keys[0]; i++)
                if (strlen(spec_keys[i].name) == klen && !strncmp(p, spec_keys[i].name, klen))
                    k = (int)i;
            if (k < 0) {
                snprintf(err, errlen, "--tlb: '%.*s': unknown key '%.*s' (keys: itlb dtlb utlb iltlb "
                         "dltlb ltlb stlb pwc policy seed)", (int)len, p, (int)klen, p);
                return false;
            }
            if (named & (1u << k)) {
                snprintf(err, errlen, "--tlb: '%.*s': %s given twice", (int)len, p, spec_keys[k].name);
                return false;
            }
            named |= 1u << k;
            struct tlb_geom g;
            if (!parse_geom(v, vlen, spec_keys[k].id == TLB_PWC, &g, &why)) {
                snprintf(err, errlen, "--tlb: '%.*s': %s", (int)len, p, why);
                return false;
            }
            if (g.entries)
                present |= 1u << k;
            int id = spec_keys[k].id;
            if (id == 100) {            /* ltlb: one large-page TLB for both sides */
                cfg->g[TLB_LTLB] = g;
                cfg->g[TLB_ILTLB] = (struct tlb_geom){ 0, 0, -1 };
                cfg->ltlb_shared = g.entries != 0;
            } else {
                cfg->g[id] = g;
                if (id == TLB_UTLB && g.entries) {
                    cfg->g[TLB_ITLB].entries = cfg->g[TLB_DTLB].entries = 0;
                } else if ((id == TLB_ITLB || id == TLB_DTLB) && g.entries) {
                    cfg->g[TLB_UTLB].entries = 0;
                } else if ((id == TLB_ILTLB || id == TLB_LTLB) && g.entries) {
                    cfg->ltlb_shared = false;
                }
            }
        }
        p += len;
        if (*p == ',')
            p++;
    }
    /* Mutually exclusive names in one spec. */
    unsigned k_i = 1u << 0, k_d = 1u << 1, k_u = 1u << 2, k_il = 1u << 3, k_dl = 1u << 4, k_l = 1u << 5;
    if ((present & k_u) && (present & (k_i | k_d))) {
        snprintf(err, errlen, "--tlb: utlb (a unified first level) cannot be given with itlb or dtlb");
        return false;
    }
    if ((present & k_l) && (present & (k_il | k_dl))) {
        snprintf(err, errlen, "--tlb: ltlb (one large-page TLB for both sides) cannot be given with iltlb or dltlb");
        return false;
    }
    /* PLRU needs a power-of-two number of ways, at most 64. */
    for (unsigned i = 0; i < TLB_NSTRUCT; i++) {
        const struct tlb_geom *g = &cfg->g[i];
        int pol = g->policy >= 0 ? g->policy : cfg->policy;
        if (g->entries && pol == TLB_PLRU && (!is_pow2(g->ways) || g->ways > 64)) {
            const char *name = i == TLB_LTLB && cfg->ltlb_shared ? "ltlb" : tlb_names[i];
            snprintf(err, errlen, "--tlb: %s=%u:%u with policy plru: plru needs a power-of-two "
                     "number of ways up to 64", name, g->entries, g->ways);
            return false;
        }
    }
    return true;
}

void tlb_config_format(const struct tlb_config *cfg, char *buf, size_t len)
{
    /* Parsed on top of the default, the result is CFG again: structures of
     * the default that CFG lacks are written as NAME=0, unless a unified
     * first level or a shared ltlb already removes them. */
    static const int order[] = { TLB_ITLB, TLB_ILTLB, TLB_DTLB, TLB_LTLB, TLB_UTLB, TLB_STLB, TLB_PWC };
    struct tlb_config def;
    tlb_config_default(&def);
    size_t n = 0;
    buf[0] = 0;
    for (unsigned k = 0; k < sizeof order / sizeof order[0]; k++) {
        int i = order[k];
        const struct tlb_geom *g = &cfg->g[i];
        const char *name = i == TLB_LTLB && cfg->ltlb_shared ? "ltlb" : tlb_names[i];
        int w = 0;
        if (g->entries) {
            w = snprintf(buf + n, n < len ? len - n : 0, "%s=%u:%u%s%s,", name, g->entries, g->ways,
                         g->policy >= 0 ? ":" : "", g->policy >= 0 ? tlb_policy_names[g->policy] : "");
        } else if (def.g[i].entries) {
            bool implied = (i == TLB_ILTLB && cfg->ltlb_shared) ||
                           ((i == TLB_ITLB || i == TLB_DTLB) && cfg->g[TLB_UTLB].entries);
            if (!implied)
                w = snprintf(buf + n, n < len ? len - n : 0, "%s=0,", name);
        }
        if (w > 0)
            n += (size_t)w;
    }
    int w = snprintf(buf + n, n < len ? len - n : 0, "policy=%s", tlb_policy_names[cfg->policy]);
    if (w > 0)
        n += (size_t)w;
    bool random = false;
    for (unsigned i = 0; i < TLB_NSTRUCT; i++)
        if (cfg->g[i].entries)
            random |= (cfg->g[i].policy >= 0 ? cfg->g[i].policy : cfg->policy) == TLB_RANDOM;
    if (random)
        snprintf(buf + n, n < len ? len - n : 0, ",seed=%u", cfg->seed);
}

void tlb_costs_default(struct tlb_costs *c)
{
    /* Reasons in docs/cycle-model.md. */
    *c = (struct tlb_costs){
        .hit = 0, .stlb = 6, .walk = 3, .memlat = 10, .pwc = 1,
        .ad = 10, .assist = 30, .fault = 20, .unpaged = 0,
    };
}

static const struct { const char *name; size_t off; } cost_keys[] = {
    { "hit", offsetof(struct tlb_costs, hit) },
    { "stlb", offsetof(struct tlb_costs, stlb) },
    { "walk", offsetof(struct tlb_costs, walk) },
    { "memlat", offsetof(struct tlb_costs, memlat) },
    { "pwc", offsetof(struct tlb_costs, pwc) },
    { "ad", offsetof(struct tlb_costs, ad) },
    { "assist", offsetof(struct tlb_costs, assist) },
    { "fault", offsetof(struct tlb_costs, fault) },
    { "unpaged", offsetof(struct tlb_costs, unpaged) },
};

bool tlb_costs_parse(struct tlb_costs *c, const char *spec, char *err, unsigned errlen)
{
    if (!spec)
        return true;
    const char *p = spec;
    while (*p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        int k = -1;
        if (eq)
            for (unsigned i = 0; i < sizeof cost_keys / sizeof cost_keys[0]; i++)
                if (strlen(cost_keys[i].name) == (size_t)(eq - p) && !strncmp(p, cost_keys[i].name, (size_t)(eq - p)))
                    k = (int)i;
        if (k < 0) {
            snprintf(err, errlen, "--cycles: '%.*s': expected KEY=N with KEY one of hit stlb walk "
                     "memlat pwc ad assist fault unpaged", (int)len, p);
            return false;
        }
        unsigned v;
        if (!parse_uint(eq + 1, len - (size_t)(eq - p) - 1, MAX_COST, &v)) {
            snprintf(err, errlen, "--cycles: '%.*s': the value must be a number of cycles from 0 to %u",
                     (int)len, p, MAX_COST);
            return false;
        }
        *(uint32_t *)((char *)c + cost_keys[k].off) = v;
        p += len;
        if (*p == ',')
            p++;
    }
    return true;
}

void tlb_costs_format(const struct tlb_costs *c, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < sizeof cost_keys / sizeof cost_keys[0]; i++) {
        int w = snprintf(buf + n, n < len ? len - n : 0, "%s%s=%u", i ? "," : "", cost_keys[i].name,
                         *(const uint32_t *)((const char *)c + cost_keys[i].off));
        if (w > 0)
            n += (size_t)w;
    }
}

void tlb_help(FILE *f)
{
    fprintf(f,
        "--tlb SPEC: comma-separated KEY=VALUE applied on top of the default\n"
        "  itlb=32:4,iltlb=2:2,dtlb=64:4,dltlb=8:4,policy=lru (a Pentium II).\n"
        "  itlb, dtlb        first level, 4 KiB pages, fetches / data: ENTRIES:WAYS[:POLICY]\n"
        "  utlb              unified first level for both (replaces itlb and dtlb)\n"
        "  iltlb, dltlb      4 MiB pages, fetches / data; ltlb: one for both\n"
        "                    (without one, 4 MiB pages are cached as 4 KiB pieces)\n"
        "  stlb              second level shared by fetches and data (4 KiB granular)\n"
        "  pwc=N[:WAYS]      page-walk cache of N PDEs (fully associative without WAYS)\n"
        "  policy=lru|plru|fifo|random, seed=N (random policy seed)\n"
        "  ENTRIES/WAYS must be a power of two: N:N is fully associative, N:1 direct-mapped;\n"
        "  0 removes a structure (dltlb=0).\n"
        "--cycles SPEC: KEY=N cycles, default hit=0,stlb=6,walk=3,memlat=10,pwc=1,ad=10,\n"
        "  assist=30,fault=20,unpaged=0 (docs/cycle-model.md explains each).\n");
}

/* ------------------------------------------------------------------ */
/* Structures                                                          */
/* ------------------------------------------------------------------ */

static void cache_free(struct tlb_cache *c)
{
    if (!c)
        return;
    free(c->tag);
    free(c->e);
    free(c->plru);
    free(c->plru_keep);
    free(c->plru_set);
    free(c->mru_fill);
    free(c);
}

static void cache_reset_stamps(struct tlb_cache *c, uint32_t set)
{
    /* Invalid ways are taken lowest index first; every later invalidation
     * stamps its way below all of these (cache_drop). */
    struct tlb_entry *e = c->e + (size_t)set * c->ways;
    for (unsigned w = 0; w < c->ways; w++)
        e[w].stamp = TLB_STAMP_BASE - c->ways + w;
}

static void plru_masks(unsigned ways, unsigned w, uint64_t *keep, uint64_t *set);

static struct tlb_cache *cache_new(unsigned id, const struct tlb_geom *g, int policy, unsigned shift,
                                   uint32_t seed)
{
    struct tlb_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->id = (uint8_t)id;
    c->policy = (uint8_t)policy;
    c->shift = (uint8_t)shift;
    c->ways = g->ways;
    c->sets = g->entries / g->ways;
    c->set_mask = c->sets - 1;
    c->page_mask = ~((1u << shift) - 1);
    c->rng = seed ^ (0x9E3779B9u * (id + 1));
    if (!c->rng)
        c->rng = 1;
    c->tag = zalloc_aligned(64, sizeof *c->tag * g->entries);
    c->e = zalloc_aligned(64, sizeof *c->e * g->entries);
    c->plru = zalloc_aligned(64, sizeof *c->plru * c->sets);
    c->mru_fill = zalloc_aligned(64, sizeof *c->mru_fill * c->sets);
    c->plru_keep = zalloc_aligned(64, sizeof *c->plru_keep * c->ways);
    c->plru_set = zalloc_aligned(64, sizeof *c->plru_set * c->ways);
    c->n.clock = TLB_STAMP_BASE;
    if (!c->tag || !c->e || !c->plru || !c->mru_fill || !c->plru_keep || !c->plru_set) {
        cache_free(c);
        return NULL;
    }
    if (policy == TLB_PLRU)
        for (unsigned w = 0; w < c->ways; w++)
            plru_masks(c->ways, w, &c->plru_keep[w], &c->plru_set[w]);
    for (uint32_t s = 0; s < c->sets; s++)
        cache_reset_stamps(c, s);
    return c;
}

struct tlb_model *tlb_model_new(const struct tlb_config *cfg)
{
    struct tlb_model *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cfg = *cfg;
    for (unsigned i = 0; i < TLB_NSTRUCT; i++) {
        const struct tlb_geom *g = &cfg->g[i];
        if (!g->entries)
            continue;
        unsigned shift = (i == TLB_LTLB || i == TLB_ILTLB || i == TLB_PWC) ? 22 : 12;
        t->c[i] = cache_new(i, g, g->policy >= 0 ? g->policy : cfg->policy, shift, cfg->seed);
        if (!t->c[i]) {
            tlb_model_free(t);
            return NULL;
        }
    }
    struct tlb_cache *u = t->c[TLB_UTLB];
    t->l1[TLB_SIDE_FETCH][0] = u ? u : t->c[TLB_ITLB];
    t->l1[TLB_SIDE_DATA][0] = u ? u : t->c[TLB_DTLB];
    t->l1[TLB_SIDE_DATA][1] = t->c[TLB_LTLB];
    t->l1[TLB_SIDE_FETCH][1] = cfg->ltlb_shared ? t->c[TLB_LTLB] : t->c[TLB_ILTLB];
    for (unsigned i = 0; i < TLB_NSTRUCT; i++)
        if (t->c[i]) {
            t->c[i]->fetch_changes = &t->fetch_changes;
            t->present[t->npresent++] = t->c[i];
        }
    for (unsigned large = 0; large < 2; large++)
        if (t->l1[TLB_SIDE_FETCH][large])
            t->l1[TLB_SIDE_FETCH][large]->fetch = true;
    return t;
}

void tlb_model_free(struct tlb_model *t)
{
    if (!t)
        return;
    for (unsigned i = 0; i < TLB_NSTRUCT; i++)
        cache_free(t->c[i]);
    free(t);
}

void tlb_model_copy(struct tlb_model *dst, const struct tlb_model *src)
{
    dst->fill_seq = src->fill_seq;
    dst->fetch_changes = src->fetch_changes + 1;    /* handles made on DST stop holding */
    for (unsigned i = 0; i < TLB_NSTRUCT; i++) {
        struct tlb_cache *d = dst->c[i];
        const struct tlb_cache *s = src->c[i];
        if (!d || !s)
            continue;
        size_t n = (size_t)s->sets * s->ways;
        memcpy(d->tag, s->tag, n * sizeof *s->tag);
        memcpy(d->e, s->e, n * sizeof *s->e);
        memcpy(d->plru, s->plru, s->sets * sizeof *s->plru);
        memcpy(d->mru_fill, s->mru_fill, s->sets * sizeof *s->mru_fill);
        d->n = s->n;
        d->drops = s->drops;
        d->valid = s->valid;
        d->fractured = s->fractured;
        d->rng = s->rng;
        d->st = s->st;
    }
}

/* ---- replacement state ---- */

static uint64_t plru_touch(uint64_t bits, unsigned ways, unsigned w)
{
    /* Heap-numbered tree, nodes 1..ways-1; leaves ways..2*ways-1. Each node
     * on the path is set to point away from the way just used
     * (bit 0: the victim is in the left subtree, 1: in the right). */
    unsigned node = w + ways;
    while (node > 1) {
        unsigned parent = node >> 1;
        if (node & 1)
            bits &= ~(1ull << parent);  /* came from the right: victim on the left */
        else
            bits |= 1ull << parent;
        node = parent;
    }
    return bits;
}

/* The bits a PLRU hit on way W keeps and sets: plru_touch as one AND and
 * one OR. */
static void plru_masks(unsigned ways, unsigned w, uint64_t *keep, uint64_t *set)
{
    uint64_t all = plru_touch(0, ways, w) | ~plru_touch(~0ull, ways, w);     /* the path's nodes */
    *set = plru_touch(0, ways, w);
    *keep = ~all;
}

void tlb_hit_make(const struct tlb_ref *r, struct tlb_hit *h)
{
    uint32_t set = r->idx / r->c->ways;
    hit_make(r->c, set, r->idx - set * r->c->ways, h);
}

static void cache_drop(struct tlb_cache *c, uint32_t set, unsigned w)
{
    uint32_t i = set * c->ways + w;
    c->tag[i] = 0;
    c->valid--;
    entry_leaves(c, &c->e[i]);
    if (c->mru_fill[set] == c->e[i].fill)
        c->mru_fill[set] = 0;
    c->e[i].fill = 0;
    /* below every other stamp of the set: the next victim */
    c->e[i].stamp = TLB_STAMP_BASE - 256 - c->drops;
}

/* ------------------------------------------------------------------ */
/* Lookups and fills                                                   */
/* ------------------------------------------------------------------ */

enum tlb_result tlb_lookup(struct tlb_model *t, unsigned side, uint32_t lin, struct tlb_ref *r)
{
    return tlb_lookup_inline(t, side, lin, r);
}

bool tlb_peek_l1(const struct tlb_model *t, unsigned side, uint32_t lin, struct tlb_ref *r)
{
    uint32_t set;
    int w;
    for (unsigned large = 0; large < 2; large++) {
        struct tlb_cache *c = t->l1[side][large];
        if (c && (w = cache_find(c, lin, &set)) >= 0) {
            r->c = c;
            r->idx = set * c->ways + (unsigned)w;
            return true;
        }
    }
    return false;
}

struct tlb_cache *tlb_l1_for(struct tlb_model *t, unsigned side, bool large)
{
    return l1_for(t, side, large);
}

void tlb_count_miss(struct tlb_model *t, unsigned side, uint32_t lin, bool large)
{
    (void)lin;
    struct tlb_cache *c = tlb_l1_for(t, side, large);
    if (c)
        c->st.misses++;
    if (t->c[TLB_STLB])
        t->c[TLB_STLB]->st.misses++;
}

void tlb_fill(struct tlb_model *t, unsigned side, uint32_t lin, uint32_t phys, uint32_t flags,
              struct tlb_ref *r)
{
    tlb_fill_inline(t, side, lin, phys, flags, r, NULL);
}

void tlb_refresh(struct tlb_model *t, unsigned side, uint32_t lin, uint32_t phys, uint32_t flags,
                 struct tlb_ref *r)
{
    struct tlb_cache *c = r->c;
    struct tlb_cache *s = t->c[TLB_STLB];
    uint32_t set;
    int w;
    /* The STLB copy, if any, takes the new translation in place. */
    if (s && s != c && (w = cache_find(s, lin, &set)) >= 0) {
        uint32_t i = set * s->ways + (unsigned)w;
        bool was_frac = s->e[i].flags & TLBE_LARGE;
        s->e[i].phys = phys_for(s, lin, phys, flags);
        s->e[i].flags = flags;
        s->fractured += (unsigned)(flags & TLBE_LARGE ? 1 : 0) - (unsigned)was_frac;
        /* Same fill number: no hit handle is ever made for an STLB entry. */
    }
    bool fits = c->shift == 12 || (flags & TLBE_LARGE);
    if (fits) {
        struct tlb_entry *e = &c->e[r->idx];
        uint32_t set_i = r->idx / c->ways;
        bool was_frac = (e->flags & TLBE_LARGE) && c->shift == 12;
        bool is_frac = (flags & TLBE_LARGE) && c->shift == 12;
        c->fractured += (unsigned)is_frac - (unsigned)was_frac;
        bool was_mru = c->mru_fill[set_i] == e->fill;
        e->phys = phys_for(c, lin, phys, flags);
        e->flags = flags;
        e->fill = ++t->fill_seq;    /* hit handles of the old translation stop holding */
        if (was_mru)
            c->mru_fill[set_i] = e->fill;
        if (c->fetch)
            t->fetch_changes++;
        return;
    }
    /* A 4 MiB slot cannot hold what is now a 4 KiB page. */
    uint32_t set_i = r->idx / c->ways;
    cache_drop(c, set_i, r->idx - set_i * c->ways);
    struct tlb_cache *n = tlb_l1_for(t, side, false);
    r->c = NULL;
    if (n) {
        r->c = n;
        r->idx = cache_insert(t, n, lin, phys, flags);
    }
}

/* ------------------------------------------------------------------ */
/* Invalidation                                                        */
/* ------------------------------------------------------------------ */

static inline __attribute__((always_inline)) unsigned cache_invalidate_page(struct tlb_cache *c, uint32_t lin)
{
    unsigned n = 0;
    uint32_t set;
    int w = cache_find(c, lin, &set);
    if (w >= 0) {
        cache_drop(c, set, (unsigned)w);
        n++;
    }
    if (c->shift == 12 && c->fractured) {
        /* Pieces of the 4 MiB page around LIN (SDM §4.10.4.1: INVLPG and
         * page faults drop every entry of a fractured large page). */
        uint32_t base = lin & 0xFFC00000u;
        for (uint32_t i = 0; i < c->sets * c->ways; i++)
            if (c->tag[i] && (c->e[i].flags & TLBE_LARGE) && (c->tag[i] & 0xFFC00000u) == base) {
                uint32_t s = i / c->ways;
                cache_drop(c, s, i - s * c->ways);
                n++;
            }
    }
    return n;
}

static unsigned cache_flush(struct tlb_cache *c, bool keep_global)
{
    unsigned n = 0;
    for (uint32_t s = 0; s < c->sets; s++)
        for (unsigned w = 0; w < c->ways; w++) {
            uint32_t i = s * c->ways + w;
            if (c->tag[i] && !(keep_global && (c->e[i].flags & TLBE_G))) {
                cache_drop(c, s, w);
                n++;
            }
        }
    return n;
}

static void count_flush(struct tlb_cache *c, enum tlb_cause why, unsigned n)
{
    c->st.flushes[why]++;
    c->st.dropped[why] += n;
}

unsigned tlb_invalidate_page(struct tlb_model *t, uint32_t lin, enum tlb_cause why)
{
    unsigned total = 0;
    for (unsigned k = 0; k < t->npresent; k++) {
        struct tlb_cache *c = t->present[k];
        unsigned i = c->id;
        unsigned n;
        if (!c->valid) {
            n = 0;      /* nothing to drop (the operation still counts) */
        } else if (i == TLB_PWC) {
            /* INVLPG drops every PDE-cache entry; a #PF the one for its address. */
            n = why == TLB_CAUSE_PAGE ? cache_flush(c, false) : cache_invalidate_page(c, lin);
        } else {
            n = cache_invalidate_page(c, lin);
            total += n;
        }
        count_flush(c, why, n);
    }
    return total;
}

static unsigned flush_model(struct tlb_model *t, bool keep_global, enum tlb_cause why)
{
    unsigned total = 0;
    for (unsigned i = 0; i < TLB_NSTRUCT; i++) {
        struct tlb_cache *c = t->c[i];
        if (!c)
            continue;
        unsigned n = cache_flush(c, keep_global && i != TLB_PWC);
        if (i != TLB_PWC)
            total += n;
        count_flush(c, why, n);
    }
    return total;
}

unsigned tlb_flush_nonglobal(struct tlb_model *t) { return flush_model(t, true, TLB_CAUSE_CR3); }
unsigned tlb_flush_all(struct tlb_model *t) { return flush_model(t, false, TLB_CAUSE_ALL); }

bool tlb_pwc_lookup(struct tlb_model *t, uint32_t lin, uint32_t *pde)
{
    struct tlb_cache *c = t->c[TLB_PWC];
    if (!c)
        return false;
    uint32_t set;
    int w = cache_find(c, lin, &set);
    if (w < 0) {
        c->st.misses++;
        return false;
    }
    cache_hit(c, set, (unsigned)w);
    *pde = c->e[set * c->ways + (unsigned)w].phys;
    return true;
}

void tlb_pwc_fill(struct tlb_model *t, uint32_t lin, uint32_t pde)
{
    struct tlb_cache *c = t->c[TLB_PWC];
    if (c)
        cache_insert(t, c, lin, pde, 0);
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

static const char *cache_name(const struct tlb_model *t, const struct tlb_cache *c)
{
    return c->id == TLB_LTLB && t->cfg.ltlb_shared ? "ltlb" : tlb_names[c->id];
}

void tlb_print_stats(const struct tlb_model *t, FILE *f, const char *indent)
{
    static const int order[] = { TLB_ITLB, TLB_ILTLB, TLB_DTLB, TLB_LTLB, TLB_UTLB, TLB_STLB, TLB_PWC };
    for (unsigned k = 0; k < sizeof order / sizeof order[0]; k++) {
        const struct tlb_cache *c = t->c[order[k]];
        if (!c)
            continue;
        const struct tlb_stats *s = &c->st;
        uint64_t hits = tlb_hits(c), look = hits + s->misses;
        char name[16];
        snprintf(name, sizeof name, "%s:", cache_name(t, c));
        fprintf(f, "%s%-7s %llu lookups, %llu hits (%.2f%%), %llu misses, %llu evictions "
                "(%llu capacity, %llu conflict), %llu assists, dropped %llu/%llu/%llu/%llu "
                "(cr3/all/invlpg/fault)\n",
                indent, name, (unsigned long long)look, (unsigned long long)hits,
                look ? 100.0 * (double)hits / (double)look : 0.0, (unsigned long long)s->misses,
                (unsigned long long)(s->evict_capacity + s->evict_conflict),
                (unsigned long long)s->evict_capacity, (unsigned long long)s->evict_conflict,
                (unsigned long long)s->assists,
                (unsigned long long)s->dropped[TLB_CAUSE_CR3], (unsigned long long)s->dropped[TLB_CAUSE_ALL],
                (unsigned long long)s->dropped[TLB_CAUSE_PAGE], (unsigned long long)s->dropped[TLB_CAUSE_FAULT]);
    }
}

void tlb_dump(const struct tlb_model *t, FILE *f)
{
    for (unsigned id = 0; id < TLB_NSTRUCT; id++) {
        const struct tlb_cache *c = t->c[id];
        if (!c)
            continue;
        fprintf(f, "%s: %u sets x %u ways, %s, %u valid\n", cache_name(t, c), c->sets, c->ways,
                tlb_policy_names[c->policy], c->valid);
        for (uint32_t s = 0; s < c->sets; s++) {
            bool any = false;       /* only sets holding something */
            for (unsigned w = 0; w < c->ways; w++)
                any |= c->tag[s * c->ways + w] != 0;
            if (!any)
                continue;
            if (c->policy == TLB_LRU || c->policy == TLB_FIFO) {
                /* the ways by stamp, greatest (most recent) first */
                const struct tlb_entry *e = c->e + (size_t)s * c->ways;
                uint8_t order[MAX_WAYS];
                for (unsigned w = 0; w < c->ways; w++) {
                    unsigned k = w;
                    for (; k > 0 && e[order[k - 1]].stamp < e[w].stamp; k--)
                        order[k] = order[k - 1];
                    order[k] = (uint8_t)w;
                }
                fprintf(f, "  set %3u %s order:", s, c->policy == TLB_LRU ? "recency" : "fill");
                for (unsigned w = 0; w < c->ways; w++)
                    fprintf(f, " %u", order[w]);
                fprintf(f, "\n");
            } else if (c->policy == TLB_PLRU) {
                fprintf(f, "  set %3u plru bits %#llx, next victim way %u\n", s,
                        (unsigned long long)c->plru[s], plru_victim(c->plru[s], c->ways));
            }
            for (unsigned w = 0; w < c->ways; w++) {
                uint32_t i = s * c->ways + w;
                if (!c->tag[i])
                    continue;
                const struct tlb_entry *e = &c->e[i];
                if (id == TLB_PWC)
                    fprintf(f, "  set %3u way %2u  lin %08x  pde %08x\n", s, w, c->tag[i] & ~1u, e->phys);
                else
                    fprintf(f, "  set %3u way %2u  lin %08x -> %08x %s%s%s%s%s\n", s, w, c->tag[i] & ~1u,
                            e->phys, e->flags & TLBE_RW ? "W" : "R", e->flags & TLBE_US ? "U" : "S",
                            e->flags & TLBE_D ? " D" : "", e->flags & TLBE_G ? " G" : "",
                            e->flags & TLBE_LARGE ? " 4M" : "");
            }
        }
    }
}
