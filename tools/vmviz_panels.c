/* vmviz's panels: the address spaces, the TLBs, the mechanisms and the
 * timeline (see vmviz_draw.h; the frame map is vmviz_draw.c). */
#include "tools/vmviz_draw_int.h"
#include "trace/annot_desc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void vv_draw_aspace(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_rect a)
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

/* The entry under the pointer: structure, set, way, page, frame, owner. */
static void tlb_hover(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, unsigned id,
                      uint32_t set, uint32_t way)
{
    const struct tlb_cache *c = m->tlb->c[id];
    uint32_t idx = set * c->ways + way;
    char line[160];
    if (!c->tag[idx]) {
        snprintf(line, sizeof line, "%s set %u way %u: empty", tlb_names[id], set, way);
    } else {
        const struct vv_tlbslot *sl = &m->slot[id][idx];
        const struct vv_proc *p = vv_model_proc(m, sl->pid);
        snprintf(line, sizeof line, "%s set %u way %u: vpage %05x -> frame %05x%s, pid %u %s", tlb_names[id], set,
                 way, (c->tag[idx] & c->page_mask) >> 12, c->e[idx].phys >> 12,
                 c->e[idx].flags & TLBE_G ? " global" : "", sl->pid, p ? p->name : "");
    }
    int lh = vv_text_line(d->t), w = (int)strlen(line) * vv_text_cw(d->t) + 8;
    int x = v->mouse_x - w - 8 > 0 ? v->mouse_x - w - 8 : 0, y = v->mouse_y + 12;
    d->tip = (SDL_Rect){ x, y, w, lh + 4 };
    snprintf(d->tip_text, sizeof d->tip_text, "%s", line);
}

void vv_draw_tlb(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_rect a)
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
                if (v->mouse_x >= cx && v->mouse_x < cx + cs && v->mouse_y >= cy && v->mouse_y < cy + cs)
                    tlb_hover(d, v, m, i, s, w);
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

void vv_draw_mech(struct vv_draw *d, const struct vv_model *m, struct vv_rect a)
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

void vv_draw_timeline(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m,
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

