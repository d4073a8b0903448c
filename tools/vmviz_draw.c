/* Drawing vmviz's picture (see vmviz_draw.h).
 *
 * The frame map is one streaming texture with a pixel per grid cell,
 * copied scaled by the integer cell size with nearest-pixel sampling, so
 * in states-only mode every pixel of a cell has the state's exact colour
 * (the snapshot test counts them). */
#include "tools/vmviz_draw.h"
#include "trace/annot_desc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const SDL_Color vv_state_colors[VV_NSTATES] = {
    [ANNOT_USE_KERNEL] = { 96, 96, 128, 255 },
    [ANNOT_USE_PGTABLE] = { 208, 64, 208, 255 },
    [ANNOT_USE_SLAB] = { 232, 144, 32, 255 },
    [ANNOT_USE_VMALLOC] = { 160, 112, 48, 255 },
    [ANNOT_USE_ANON] = { 64, 176, 64, 255 },
    [ANNOT_USE_PCACHE] = { 64, 120, 232, 255 },
    [ANNOT_USE_SWAPCACHE] = { 0, 208, 208, 255 },
    [ANNOT_USE_BUFFER] = { 216, 216, 64, 255 },
    [VV_FREE] = { 40, 40, 48, 255 },
    [VV_UNKNOWN] = { 112, 48, 48, 255 },
};
const SDL_Color vv_map_background = { 8, 8, 12, 255 };

static const SDL_Color C_TEXT = { 224, 224, 224, 255 }, C_DIM = { 150, 150, 160, 255 },
                       C_HI = { 255, 220, 96, 255 }, C_PANEL = { 20, 20, 28, 255 },
                       C_BORDER = { 64, 64, 80, 255 }, C_RED = { 240, 64, 64, 255 },
                       C_GREEN = { 64, 232, 96, 255 };

/* Heat fades over this many cycles (virtual time). */
#define HEAT_CYCLES 50000000ull
/* TLB hits, fills and flushes flash for this many. */
#define TLB_FLASH_CYCLES 500000ull

void vv_view_init(struct vv_view *v)
{
    memset(v, 0, sizeof *v);
    v->layout = VV_LAYOUT_ROWS;
    v->zoom = 1;
    v->pid = VV_NOPID;
    v->mouse_x = v->mouse_y = -1;
    v->step_row = VV_ROW_FAULT;
    v->speed = 0.25;
    v->seek_seconds = -1;
    v->legend = true;
}

#define MAX_PIDROWS 64
struct vv_draw {
    SDL_Renderer *r;
    struct vv_text *t;
    SDL_Texture *map;
    uint32_t tw, th;            /* texture size */
    uint32_t *pix;
    struct { SDL_Rect at; uint32_t pid; } pidrow[MAX_PIDROWS];   /* clickable names */
    int npidrow;
    SDL_Rect tl;                /* the timeline's graph as last drawn */
    uint64_t tl_span;           /* cycles across it */
};

struct vv_draw *vv_draw_new(SDL_Renderer *r, struct vv_text *t)
{
    struct vv_draw *d = calloc(1, sizeof *d);
    if (d) {
        d->r = r;
        d->t = t;
    }
    return d;
}

void vv_draw_free(struct vv_draw *d)
{
    if (!d)
        return;
    if (d->map)
        SDL_DestroyTexture(d->map);
    free(d->pix);
    free(d);
}

static void color(SDL_Renderer *r, SDL_Color c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

static void fill(SDL_Renderer *r, int x, int y, int w, int h, SDL_Color c)
{
    if (w <= 0 || h <= 0)
        return;
    color(r, c);
    SDL_Rect rc = { x, y, w, h };
    SDL_RenderFillRect(r, &rc);
}

static void frame_rect(SDL_Renderer *r, struct vv_rect a, SDL_Color c)
{
    if (a.w <= 0 || a.h <= 0)
        return;
    color(r, c);
    SDL_Rect rc = { a.x, a.y, a.w, a.h };
    SDL_RenderDrawRect(r, &rc);
}

static uint32_t rgb(SDL_Color c)
{
    return 0xFF000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
}

static SDL_Color mix(SDL_Color a, SDL_Color b, double t)
{
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    return (SDL_Color){ (uint8_t)(a.r + (b.r - a.r) * t), (uint8_t)(a.g + (b.g - a.g) * t),
                        (uint8_t)(a.b + (b.b - a.b) * t), 255 };
}

/* A process's own hue (HSV with full value), for owned frames and TLB entries. */
static SDL_Color pid_color(uint32_t pid, double sat)
{
    double h = (double)((pid * 47u) % 360u) / 60.0;
    int i = (int)h;
    double f = h - i, p = 1 - sat, q = 1 - sat * f, t = 1 - sat * (1 - f);
    double rgbv[6][3] = { { 1, t, p }, { q, 1, p }, { p, 1, t }, { p, q, 1 }, { t, p, 1 }, { 1, p, q } };
    double *c = rgbv[i % 6];
    return (SDL_Color){ (uint8_t)(c[0] * 220), (uint8_t)(c[1] * 220), (uint8_t)(c[2] * 220), 255 };
}

static const SDL_Color heat_colors[VV_NHEAT] = {
    [VV_HEAT_NONE] = { 0, 0, 0, 255 },
    [VV_HEAT_READ] = { 255, 255, 255, 255 },
    [VV_HEAT_WRITE] = { 255, 240, 128, 255 },
    [VV_HEAT_IN] = { 128, 255, 128, 255 },
    [VV_HEAT_OUT] = { 255, 96, 64, 255 },
};

/* The colour of frame F: its state's, or in full mode with the owner's
 * hue, the dirty tint and the heat. */
static SDL_Color frame_color(const struct vv_frame *f, const struct vv_view *v, uint64_t now)
{
    SDL_Color c = vv_state_colors[f->state < VV_NSTATES ? f->state : VV_UNKNOWN];
    if (v->states_only)
        return c;
    bool user = f->state == ANNOT_USE_ANON || f->state == ANNOT_USE_SWAPCACHE || f->state == ANNOT_USE_PCACHE;
    if (user && f->pid != VV_NOPID)
        c = mix(c, pid_color(f->pid, 0.7), 0.6);
    if (f->flags & VVF_DIRTY)
        c = mix(c, C_RED, 0.45);
    if (f->touch && f->heat && now >= f->touch && now - f->touch < HEAT_CYCLES)
        c = mix(c, heat_colors[f->heat], 0.8 * (1.0 - (double)(now - f->touch) / HEAT_CYCLES));
    return c;
}

static void draw_map(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_rect area,
                     struct vv_map *map)
{
    vv_map_fit(map, v->layout, m->nframes, area, v->zoom, v->pan_x, v->pan_y);
    if (!map->vis_w || !map->vis_h)
        return;
    if (!d->map || d->tw != map->vis_w || d->th != map->vis_h) {
        if (d->map)
            SDL_DestroyTexture(d->map);
        free(d->pix);
        d->pix = malloc((size_t)map->vis_w * map->vis_h * sizeof *d->pix);
        d->map = SDL_CreateTexture(d->r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, (int)map->vis_w,
                                   (int)map->vis_h);
        d->tw = map->vis_w;
        d->th = map->vis_h;
        if (!d->pix || !d->map) {
            free(d->pix);
            d->pix = NULL;
            if (d->map)
                SDL_DestroyTexture(d->map);
            d->map = NULL;
            return;
        }
    }
    uint32_t bg = rgb(vv_map_background);
    for (size_t i = 0; i < (size_t)d->tw * d->th; i++)
        d->pix[i] = bg;
    for (uint32_t fr = 0; fr < m->nframes; fr++) {
        uint32_t gx, gy;
        vv_map_pos(map, fr, &gx, &gy);
        if (gx < map->pan_x || gy < map->pan_y)
            continue;
        uint64_t x = gx - (uint64_t)map->pan_x, y = gy - (uint64_t)map->pan_y;
        if (x >= d->tw || y >= d->th)
            continue;
        d->pix[y * d->tw + x] = rgb(frame_color(&m->frame[fr], v, m->cycle));
    }
    SDL_UpdateTexture(d->map, NULL, d->pix, (int)(d->tw * sizeof *d->pix));
    SDL_Rect dst = { map->rect.x, map->rect.y, map->rect.w, map->rect.h };
    SDL_RenderCopy(d->r, d->map, NULL, &dst);
}

/* ------------------------------------------------------------ hover */

static void draw_hover(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m,
                       const struct vv_map *map, int w, int h)
{
    int64_t fr = vv_map_frame_at(map, v->mouse_x, v->mouse_y);
    if (fr < 0)
        return;
    const struct vv_frame *f = &m->frame[fr];
    char lines[8][136];
    int n = 0;
    snprintf(lines[n++], sizeof lines[0], "frame %05" PRIx64 " (phys %08" PRIx64 "): %s%s%s%s", fr,
             (uint64_t)fr << 12, vv_state_name(f->state), f->flags & VVF_DIRTY ? ", dirty" : "",
             f->flags & VVF_ACTIVE ? ", active" : f->flags & VVF_INACTIVE ? ", inactive" : "",
             f->flags & VVF_SHARED ? ", shared" : "");
    if (f->pid != VV_NOPID) {
        const struct vv_proc *p = vv_model_proc(m, f->pid);
        snprintf(lines[n++], sizeof lines[0], "owner pid %u %s, vpage %05x (%08x)", f->pid, p ? p->name : "?",
                 f->vpage, f->vpage << 12);
    } else {
        snprintf(lines[n++], sizeof lines[0], "no owner");
    }
    /* every virtual page the records say maps it (the page tables of all
     * processes, searched on hover only) */
    char maps[128] = "mapped at:";
    size_t ml = strlen(maps);
    unsigned nmaps = 0;
    for (uint32_t i = 0; i < m->nproc && nmaps < 5; i++) {
        const struct vv_proc *p = &m->proc[i];
        for (uint32_t k = 0; k < p->pcap && nmaps < 5; k++)
            if (p->pg[k].key && p->pg[k].state == VV_PAGE_RESIDENT && p->pg[k].frame == (uint32_t)fr) {
                if (++nmaps < 5)
                    ml += (size_t)snprintf(maps + ml, sizeof maps - ml, " %u:%05x", p->pid, p->pg[k].key - 1);
                else
                    snprintf(maps + ml, sizeof maps - ml, " ...");
                if (ml >= sizeof maps)
                    ml = sizeof maps - 1;
            }
    }
    if (nmaps)
        snprintf(lines[n++], sizeof lines[0], "%s", maps);
    for (int i = 0; i < VV_FRAME_EVENTS && i < f->nev; i++) {
        const struct annot_desc *ad = annot_desc(f->ev[i].kind);
        snprintf(lines[n++], sizeof lines[0], "  %s pid %u at cycle %" PRIu64, ad && ad->name ? ad->name : "?",
                 f->ev[i].pid, f->ev[i].cycle);
    }
    int lh = vv_text_line(d->t), cw = vv_text_cw(d->t), bw = 0;
    for (int i = 0; i < n; i++) {
        int l = (int)strlen(lines[i]) * cw;
        bw = l > bw ? l : bw;
    }
    bw += 8;
    int bh = n * lh + 6, x = v->mouse_x + 16, y = v->mouse_y + 16;
    if (x + bw > w)
        x = w - bw > 0 ? w - bw : 0;
    if (y + bh > h)
        y = v->mouse_y - bh - 4 > 0 ? v->mouse_y - bh - 4 : 0;
    fill(d->r, x, y, bw, bh, (SDL_Color){ 0, 0, 0, 255 });
    frame_rect(d->r, (struct vv_rect){ x, y, bw, bh }, C_HI);
    for (int i = 0; i < n; i++)
        vv_text_draw(d->t, x + 4, y + 3 + i * lh, C_TEXT, bw - 8, lines[i]);
}

/* ------------------------------------------------------------ address space */

static const SDL_Color page_colors[3] = {
    [VV_PAGE_NONE] = { 52, 52, 60, 255 },
    [VV_PAGE_RESIDENT] = { 64, 200, 96, 255 },
    [VV_PAGE_SWAPPED] = { 232, 120, 40, 255 },
};

/* The process the panel follows: the chosen one, else the running one if it
 * has VMAs, else the live process with the most pages. */
static uint32_t panel_pid(const struct vv_view *v, const struct vv_model *m)
{
    if (v->pid != VV_NOPID && vv_model_proc(m, v->pid))
        return v->pid;
    const struct vv_proc *cur = vv_model_proc(m, m->cur_pid);
    if (cur && cur->alive && cur->nvma)
        return cur->pid;
    uint32_t best = VV_NOPID, most = 0;
    for (uint32_t i = 0; i < m->nproc; i++)
        if (m->proc[i].alive && m->proc[i].resident + m->proc[i].swapped + 1 > most) {
            most = m->proc[i].resident + m->proc[i].swapped + 1;
            best = m->proc[i].pid;
        }
    return best;
}

static void draw_aspace(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_rect a)
{
    int lh = vv_text_line(d->t), cw = vv_text_cw(d->t);
    d->npidrow = 0;
    if (a.h < lh || a.w < 8 * cw)
        return;
    fill(d->r, a.x, a.y, a.w, a.h, C_PANEL);
    frame_rect(d->r, a, C_BORDER);
    vv_text_draw(d->t, a.x + 4, a.y + 2, C_HI, a.w - 8, "Address spaces (click a process)");
    /* the processes alive, as clickable names, a few per line */
    int x = a.x + 4, y = a.y + 2 + lh, list_h = a.h / 3;
    uint32_t sel = panel_pid(v, m);
    for (uint32_t i = 0; i < m->nproc && y + lh <= a.y + list_h + lh; i++) {
        const struct vv_proc *p = &m->proc[i];
        if (!p->alive)
            continue;
        char name[48];
        int len = snprintf(name, sizeof name, "%u:%s", p->pid, p->name[0] ? p->name : "?");
        int pw = (len + 1) * cw;
        if (x + pw > a.x + a.w - 4) {
            x = a.x + 4;
            y += lh;
            if (y + lh > a.y + list_h + lh)
                break;
        }
        vv_text_draw(d->t, x, y, p->pid == sel ? C_HI : C_DIM, 0, name);
        if (d->npidrow < MAX_PIDROWS)
            d->pidrow[d->npidrow++] = (typeof(d->pidrow[0])){ { x, y, len * cw, lh }, p->pid };
        x += pw;
    }
    y += lh + 4;
    const struct vv_proc *p = vv_model_proc(m, sel);
    if (!p) {
        vv_text_draw(d->t, a.x + 4, y, C_DIM, a.w - 8, "no process selected");
        return;
    }
    vv_text_drawf(d->t, a.x + 4, y, C_TEXT, a.w - 8, "pid %u %s%s: %u resident, %u swapped, %u VMAs", p->pid,
                  p->name, p->alive ? "" : " (exited)", p->resident, p->swapped, p->nvma);
    y += lh;
    int label_w = 22 * cw, bar_x = a.x + 4 + label_w, bar_w = a.w - 8 - label_w, bar_h = lh - 4;
    if (bar_w < 8)
        return;
    int *col = malloc((size_t)bar_w * sizeof *col);
    if (!col)
        return;
    for (uint32_t i = 0; i < p->nvma && y + lh <= a.y + a.h; i++, y += lh) {
        const struct vv_vma *vm = &p->vma[i];
        vv_text_drawf(d->t, a.x + 4, y, C_DIM, label_w - cw, "%-5s %05x +%u", annot_enum_name(&annot_vma_types,
                      vm->type) ? annot_enum_name(&annot_vma_types, vm->type) : "?", vm->start, vm->pages);
        for (int k = 0; k < bar_w; k++)
            col[k] = VV_PAGE_NONE;
        /* a page covers columns [off*W/P, (off+1)*W/P) (at least one);
         * resident wins over swapped, swapped over untouched */
        for (uint32_t s = 0; s < p->pcap; s++) {
            const struct vv_pent *e = &p->pg[s];
            if (!e->key || e->state == VV_PAGE_NONE)
                continue;
            uint32_t vp = e->key - 1;
            if (vp < vm->start || vp - vm->start >= vm->pages)
                continue;
            uint64_t off = vp - vm->start;
            int k0 = (int)(off * (uint64_t)bar_w / vm->pages), k1 = (int)((off + 1) * (uint64_t)bar_w / vm->pages);
            for (int k = k0; k < (k1 > k0 ? k1 : k0 + 1) && k < bar_w; k++)
                if (e->state == VV_PAGE_RESIDENT || col[k] == VV_PAGE_NONE)
                    col[k] = e->state;
        }
        bool gaps = vm->pages * 3 <= (uint32_t)bar_w;   /* pages wide enough to show apart */
        for (int k = 0; k < bar_w; k++) {
            bool edge = gaps && k > 0 && (uint64_t)k * vm->pages / bar_w != (uint64_t)(k - 1) * vm->pages / bar_w;
            fill(d->r, bar_x + k, y + 2, 1, bar_h, edge ? C_PANEL : page_colors[col[k]]);
        }
    }
    free(col);
}

bool vv_draw_cycle_at(const struct vv_draw *d, int x, int y, uint64_t *cycle)
{
    const SDL_Rect *r = &d->tl;
    if (r->w <= 0 || x < r->x || x >= r->x + r->w || y < r->y || y >= r->y + r->h)
        return false;
    *cycle = (uint64_t)((double)(x - r->x) / r->w * (double)d->tl_span);
    return true;
}

uint32_t vv_draw_pid_at(const struct vv_draw *d, int x, int y)
{
    for (int i = 0; i < d->npidrow; i++) {
        SDL_Rect r = d->pidrow[i].at;
        if (x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)
            return d->pidrow[i].pid;
    }
    return VV_NOPID;
}

/* ------------------------------------------------------------ TLB */

static void draw_tlb(struct vv_draw *d, const struct vv_model *m, struct vv_rect a)
{
    int lh = vv_text_line(d->t);
    if (a.h < lh || a.w < 40)
        return;
    fill(d->r, a.x, a.y, a.w, a.h, C_PANEL);
    frame_rect(d->r, a, C_BORDER);
    if (!m->tlb) {
        vv_text_draw(d->t, a.x + 4, a.y + 2, C_DIM, a.w - 8, "TLB: the trace's TLB spec does not parse");
        return;
    }
    bool flushed = m->flush_cycle && m->cycle - m->flush_cycle < TLB_FLASH_CYCLES;
    vv_text_drawf(d->t, a.x + 4, a.y + 2, flushed ? C_RED : C_HI, a.w - 8, "TLBs (sets x ways)%s",
                  flushed ? (m->flush_kind == TR_FLUSH_PAGE ? "  INVLPG" : "  FLUSH") : "");
    int y = a.y + 2 + lh, x = a.x + 4;
    for (unsigned i = 0; i < TLB_NSTRUCT; i++) {
        const struct tlb_cache *c = m->tlb->c[i];
        if (!c || i == TLB_PWC)
            continue;
        int cs = (a.h - 2 * lh) / (int)(c->sets + 1);
        cs = cs > 6 ? 6 : cs < 2 ? 2 : cs;
        int need = (int)c->ways * cs + 8;
        if (x + need > a.x + a.w) {
            x = a.x + 4;
            y += lh + (int)c->sets * cs;
        }
        if (y + lh > a.y + a.h)
            break;
        vv_text_drawf(d->t, x, y, C_DIM, need + 40, "%s %u", tlb_names[i], c->valid);
        for (uint32_t s = 0; s < c->sets; s++)
            for (uint32_t w = 0; w < c->ways; w++) {
                uint32_t idx = s * c->ways + w;
                int cx = x + (int)w * cs, cy = y + lh + (int)s * cs;
                if (cy + cs > a.y + a.h)
                    continue;
                SDL_Color col = { 36, 36, 44, 255 };
                if (c->tag[idx]) {
                    const struct vv_tlbslot *sl = &m->slot[i][idx];
                    col = (c->e[idx].flags & TLBE_G) ? (SDL_Color){ 200, 200, 200, 255 } : pid_color(sl->pid, 0.6);
                    if (sl->fill_cycle && m->cycle - sl->fill_cycle < TLB_FLASH_CYCLES)
                        col = C_RED;
                    else if (sl->hit_cycle && m->cycle - sl->hit_cycle < TLB_FLASH_CYCLES)
                        col = C_GREEN;
                }
                fill(d->r, cx, cy, cs - 1 > 0 ? cs - 1 : 1, cs - 1 > 0 ? cs - 1 : 1, col);
            }
        x += need + 40;
    }
}

/* ------------------------------------------------------------ mechanisms */

/* The nodes of the drawing, in fractions of the graph's area (x, y of the
 * centre), and the arrows between them. */
enum { N_MAP, N_ALLOC, N_PCACHE, N_SWAP, N_SCACHE, N_PTE, NNODES };
static const struct { const char *name; float x, y; } nodes[NNODES] = {
    [N_MAP] = { "mapping", 0.22f, 0.10f },
    [N_ALLOC] = { "alloc", 0.78f, 0.10f },
    [N_PCACHE] = { "page cache", 0.78f, 0.50f },
    [N_SWAP] = { "swap", 0.22f, 0.90f },
    [N_SCACHE] = { "swap cache", 0.78f, 0.90f },
    [N_PTE] = { "page tables", 0.22f, 0.50f },
};
/* Arrow k (1-8): from node, to node, and its short description. */
static const struct { uint8_t from, to; const char *what; } arrows[VV_NARROWS] = {
    { N_MAP, N_ALLOC, "fault wants a page" },
    { N_ALLOC, N_MAP, "alloc (free mem)" },
    { N_ALLOC, N_PCACHE, "page-cache insert" },
    { N_PCACHE, N_SWAP, "swap out" },
    { N_SWAP, N_SCACHE, "swap in" },
    { N_SCACHE, N_PCACHE, "swap cache" },
    { N_SCACHE, N_PTE, "PTE set after swap" },
    { N_PTE, N_MAP, "page walk" },
};

static void draw_mech(struct vv_draw *d, const struct vv_model *m, struct vv_rect a)
{
    int lh = vv_text_line(d->t), cw = vv_text_cw(d->t);
    if (a.h < 4 * lh || a.w < 30 * cw)
        return;
    fill(d->r, a.x, a.y, a.w, a.h, C_PANEL);
    frame_rect(d->r, a, C_BORDER);
    vv_text_draw(d->t, a.x + 4, a.y + 2, C_HI, a.w - 8, "Mechanisms (Linux 2.4)");
    /* the graph on the left, the numbers on the right */
    int table_w = 37 * cw < a.w * 3 / 5 ? 37 * cw : a.w * 3 / 5;
    struct vv_rect g = { a.x + 4, a.y + 2 * lh, a.w - table_w - 16, a.h - 3 * lh };
    int nx[NNODES], ny[NNODES];
    for (int i = 0; i < NNODES; i++) {
        nx[i] = g.x + (int)(nodes[i].x * (float)g.w);
        ny[i] = g.y + (int)(nodes[i].y * (float)g.h);
    }
    double rate[VV_NARROWS];
    for (unsigned k = 0; k < VV_NARROWS; k++) {
        rate[k] = vv_model_rate(m, k);
        int a0 = arrows[k].from, a1 = arrows[k].to;
        SDL_Color c = rate[k] > 0 ? mix(C_DIM, C_HI, rate[k] / 2000 + 0.4) : C_BORDER;
        int off = (k % 2) ? 5 : -5;             /* the two directions of a pair apart */
        int x0 = nx[a0] + off, y0 = ny[a0] + off, x1 = nx[a1] + off, y1 = ny[a1] + off;
        color(d->r, c);
        SDL_RenderDrawLine(d->r, x0, y0, x1, y1);
        if (rate[k] > 0)
            SDL_RenderDrawLine(d->r, x0 + 1, y0, x1 + 1, y1);
        int hx = x1 + (x0 - x1) / 4, hy = y1 + (y0 - y1) / 4;     /* the head, a quarter from the end */
        fill(d->r, hx - 3, hy - 3, 7, 7, c);
        int mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
        fill(d->r, mx - cw / 2 - 1, my - lh / 2, cw + 2, lh, C_PANEL);
        vv_text_drawf(d->t, mx - cw / 2, my - lh / 2, rate[k] > 0 ? C_HI : C_TEXT, 0, "%u", k + 1);
    }
    for (int i = 0; i < NNODES; i++) {
        int tw = (int)strlen(nodes[i].name) * cw + 8;
        fill(d->r, nx[i] - tw / 2, ny[i] - lh / 2 - 2, tw, lh + 4, (SDL_Color){ 40, 40, 64, 255 });
        vv_text_draw(d->t, nx[i] - tw / 2 + 4, ny[i] - lh / 2, C_TEXT, 0, nodes[i].name);
    }
    int tx = a.x + a.w - table_w - 4, ty = a.y + 2 + lh;
    vv_text_draw(d->t, tx, ty, C_DIM, table_w, "   what                  count     /s");
    for (unsigned k = 0; k < VV_NARROWS && ty + (int)(k + 2) * lh <= a.y + a.h; k++)
        vv_text_drawf(d->t, tx, ty + (int)(k + 1) * lh, rate[k] > 0 ? C_HI : C_TEXT, table_w, "%u  %-18s %8" PRIu64 " %6.0f",
                      k + 1, arrows[k].what, m->arrow[k], rate[k]);
}

/* ------------------------------------------------------------ timeline */

static const SDL_Color row_colors[VV_NROWS] = {
    [VV_ROW_FAULT] = { 240, 200, 80, 255 }, [VV_ROW_ZERO] = { 96, 220, 96, 255 },
    [VV_ROW_COW] = { 96, 200, 255, 255 },   [VV_ROW_MAJOR] = { 255, 96, 96, 255 },
    [VV_ROW_SWAPOUT] = { 255, 140, 40, 255 }, [VV_ROW_SWAPIN] = { 200, 120, 255, 255 },
    [VV_ROW_DISK] = { 180, 180, 180, 255 }, [VV_ROW_FLUSH] = { 255, 255, 255, 255 },
    [VV_ROW_RECLAIM] = { 255, 64, 160, 255 }, [VV_ROW_PROC] = { 120, 255, 220, 255 },
    [VV_ROW_MARK] = { 255, 255, 0, 255 },
};

static void draw_timeline(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m,
                          struct vv_index *ix, struct vv_rect a)
{
    int lh = vv_text_line(d->t), cw = vv_text_cw(d->t);
    d->tl = (SDL_Rect){ 0, 0, 0, 0 };
    if (a.h < 2 * lh || a.w < 20 * cw)
        return;
    fill(d->r, a.x, a.y, a.w, a.h, C_PANEL);
    frame_rect(d->r, a, C_BORDER);
    if (!ix)
        return;
    pthread_mutex_lock(&ix->lock);
    int label_w = 14 * cw, gx = a.x + label_w, gw = a.w - label_w - 4;
    int rows = VV_NROWS + 1, rh = (a.h - 4) / rows;
    if (rh < 2)
        rh = 2;
    uint64_t span = ix->done ? ix->last_cycle : (uint64_t)VV_TL_BINS * ix->bin_cycles;
    if (!span)
        span = 1;
    d->tl = (SDL_Rect){ gx, a.y, gw, a.h };
    d->tl_span = span;
    for (int k = 0; k < VV_NROWS; k++) {
        int y = a.y + 2 + k * rh;
        if (rh >= lh - 2)
            vv_text_draw(d->t, a.x + 4, y, C_DIM, label_w - 4, vv_row_names[k]);
        if (!ix->tl_max[k])
            continue;
        for (int b = 0; b < VV_TL_BINS; b++) {
            uint32_t n = ix->tl[b][k];
            if (!n)
                continue;
            uint64_t c0 = (uint64_t)b * ix->bin_cycles, c1 = c0 + ix->bin_cycles;
            int x0 = gx + (int)((double)c0 / (double)span * gw), x1 = gx + (int)((double)c1 / (double)span * gw);
            if (x0 >= gx + gw)
                break;
            double t = 0.25 + 0.75 * (double)n / ix->tl_max[k];
            fill(d->r, x0, y, x1 - x0 > 0 ? x1 - x0 : 1, rh - 1, mix(C_PANEL, row_colors[k], t));
        }
    }
    /* process lifetimes, stacked thin lines in the last row */
    int py = a.y + 2 + VV_NROWS * rh;
    vv_text_draw(d->t, a.x + 4, py, C_DIM, label_w - 4, "lifetimes");
    for (size_t i = 0; i < ix->nlife; i++) {
        uint64_t end = ix->life[i].died ? ix->life[i].died : (ix->done ? ix->last_cycle : m->cycle);
        int x0 = gx + (int)((double)ix->life[i].born / (double)span * gw);
        int x1 = gx + (int)((double)end / (double)span * gw);
        int yy = py + (int)(i % (size_t)(rh > 1 ? rh : 1));
        fill(d->r, x0, yy, x1 - x0 > 0 ? x1 - x0 : 1, 1, pid_color(ix->life[i].pid, 0.6));
    }
    pthread_mutex_unlock(&ix->lock);
    int cx = gx + (int)((double)m->cycle / (double)span * gw);
    fill(d->r, cx, a.y, 2, a.h, C_HI);
}

/* ------------------------------------------------------------ status, legend, help */

static void draw_status(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m,
                        struct vv_index *ix, struct vv_rect a)
{
    fill(d->r, a.x, a.y, a.w, a.h, (SDL_Color){ 0, 0, 0, 255 });
    char idx[96] = "";
    if (ix) {
        pthread_mutex_lock(&ix->lock);
        if (ix->done)
            snprintf(idx, sizeof idx, "index %" PRIu64 " events in %.2f s, %zu keyframes", ix->events, ix->seconds,
                     ix->nkf);
        else
            snprintf(idx, sizeof idx, "indexing: %" PRIu64 " events so far", ix->events);
        pthread_mutex_unlock(&ix->lock);
    }
    char seek[32] = "";
    if (v->seek_seconds >= 0)
        snprintf(seek, sizeof seek, "  seek %.3f s", v->seek_seconds);
    vv_text_drawf(d->t, a.x + 4, a.y + 2, C_TEXT, a.w - 8,
                  "cycle %" PRIu64 "  insn %" PRIu64 "  t=%.6f s  x%g %s%s  %s%s  %s", m->cycle, m->insns,
                  (double)m->cycle / ((double)m->mhz * 1e6), v->speed, v->live ? "live " : "",
                  v->playing ? "playing" : "paused", idx, seek, v->message);
}

static void draw_legend(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_rect a)
{
    int lh = vv_text_line(d->t), cw = vv_text_cw(d->t);
    if (a.h < lh || a.w < 10 * cw)
        return;
    int x = a.x + 4, y = a.y + 1;
    for (unsigned s = 0; s <= VV_NSTATES; s++) {
        char lab[32];
        int len = s < VV_NSTATES ? snprintf(lab, sizeof lab, "%s %u", vv_state_name(s), m->count[s])
                                 : snprintf(lab, sizeof lab, "dirty %u", m->dirty);
        if (x + (len + 3) * cw > a.x + a.w) {   /* wrap */
            x = a.x + 4;
            y += lh;
            if (y + lh > a.y + a.h)
                break;
        }
        fill(d->r, x, y + 2, lh - 4, lh - 4, s < VV_NSTATES ? vv_state_colors[s] : C_RED);
        x += lh;
        x += vv_text_draw(d->t, x, y, C_DIM, 0, lab) + cw;
    }
}

/* The keys (vmviz.c's key table lists the same; `?` shows this). */
static const char *const help_lines[] = {
    "space      play / pause",
    "+ / -      faster / slower",
    "Home / End jump to the start / the end",
    "[ / ]      back / forward 1/50 of the trace",
    ".          one record forward",
    "n          step to the next event of the chosen kind",
    "k / K      choose that kind (next / previous)",
    "h          layout: rows / Hilbert curve",
    "z / x / 0  zoom in / out / fit (mouse wheel zooms too)",
    "arrows     pan the frame map",
    "s          states only (flat colours, no hues, dirty or heat)",
    "l          legend",
    "Tab        next process in the address-space panel",
    "click      timeline: seek there; process name: follow it",
    "?          this help",
    "q / Esc    quit",
};

static void draw_help(struct vv_draw *d, int w, int h)
{
    int lh = vv_text_line(d->t), cw = vv_text_cw(d->t);
    int n = (int)(sizeof help_lines / sizeof help_lines[0]);
    int bw = 64 * cw, bh = (n + 2) * lh;
    int x = (w - bw) / 2 > 0 ? (w - bw) / 2 : 0, y = (h - bh) / 2 > 0 ? (h - bh) / 2 : 0;
    fill(d->r, x, y, bw, bh, (SDL_Color){ 0, 0, 0, 255 });
    frame_rect(d->r, (struct vv_rect){ x, y, bw, bh }, C_HI);
    vv_text_draw(d->t, x + 8, y + 4, C_HI, bw - 16, "vmviz keys");
    for (int i = 0; i < n; i++)
        vv_text_draw(d->t, x + 8, y + 4 + (i + 1) * lh, C_TEXT, bw - 16, help_lines[i]);
}

void vv_draw_all(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_index *ix,
                 int w, int h, struct vv_map *map, struct vv_panels *panels)
{
    color(d->r, vv_map_background);
    SDL_RenderClear(d->r);
    vv_panels_compute(panels, w, h, vv_text_line(d->t));
    draw_map(d, v, m, panels->map, map);
    draw_aspace(d, v, m, panels->aspace);
    draw_tlb(d, m, panels->tlb);
    draw_mech(d, m, panels->mech);
    draw_timeline(d, v, m, ix, panels->timeline);
    if (v->legend)
        draw_legend(d, v, m, panels->legend);
    draw_status(d, v, m, ix, panels->status);
    if (!v->states_only)
        draw_hover(d, v, m, map, w, h);
    if (v->help)
        draw_help(d, w, h);
}
