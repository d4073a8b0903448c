/* Drawing vmviz's picture (see vmviz_draw.h).
 *
 * The frame map is one streaming texture with a pixel per grid cell,
 * copied scaled by the integer cell size with nearest-pixel sampling, so
 * in states-only mode every pixel of a cell has the state's exact colour
 * (the snapshot test counts them). */
#include "tools/vmviz_draw_int.h"
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
    vv_draw_aspace(d, v, m, panels->aspace);
    d->tip.w = 0;
    vv_draw_tlb(d, v, m, panels->tlb);
    vv_draw_mech(d, m, panels->mech);
    vv_draw_timeline(d, v, m, ix, panels->timeline);
    if (v->legend)
        draw_legend(d, v, m, panels->legend);
    draw_status(d, v, m, ix, panels->status);
    if (!v->states_only)
        draw_hover(d, v, m, map, w, h);
    if (d->tip.w) {
        fill(d->r, d->tip.x, d->tip.y, d->tip.w, d->tip.h, (SDL_Color){ 0, 0, 0, 255 });
        frame_rect(d->r, (struct vv_rect){ d->tip.x, d->tip.y, d->tip.w, d->tip.h }, C_HI);
        vv_text_draw(d->t, d->tip.x + 4, d->tip.y + 2, C_TEXT, d->tip.w - 8, d->tip_text);
    }
    if (v->help)
        draw_help(d, w, h);
}
