/* What vmviz_draw.c (the frame map, hover, status, legend, help) and
 * vmviz_panels.c (address spaces, TLBs, mechanisms, timeline) share: the
 * drawing context, colours and small drawing helpers. Not for other files. */
#ifndef VMSCOPE_TOOLS_VMVIZ_DRAW_INT_H
#define VMSCOPE_TOOLS_VMVIZ_DRAW_INT_H

#include "tools/vmviz_draw.h"

static const SDL_Color C_TEXT = { 224, 224, 224, 255 }, C_DIM = { 150, 150, 160, 255 },
                       C_HI = { 255, 220, 96, 255 }, C_PANEL = { 20, 20, 28, 255 },
                       C_BORDER = { 64, 64, 80, 255 }, C_RED = { 240, 64, 64, 255 },
                       C_GREEN = { 64, 232, 96, 255 };

/* Heat fades over this many cycles (virtual time). */
#define HEAT_CYCLES 50000000ull
/* TLB hits, fills and flushes flash for this many. */
#define TLB_FLASH_CYCLES 500000ull

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
    SDL_Rect tip;               /* a panel's tooltip, drawn last (w 0: none) */
    char tip_text[160];
};

static inline void color(SDL_Renderer *r, SDL_Color c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
}

static inline void fill(SDL_Renderer *r, int x, int y, int w, int h, SDL_Color c)
{
    if (w <= 0 || h <= 0)
        return;
    color(r, c);
    SDL_Rect rc = { x, y, w, h };
    SDL_RenderFillRect(r, &rc);
}

static inline void frame_rect(SDL_Renderer *r, struct vv_rect a, SDL_Color c)
{
    if (a.w <= 0 || a.h <= 0)
        return;
    color(r, c);
    SDL_Rect rc = { a.x, a.y, a.w, a.h };
    SDL_RenderDrawRect(r, &rc);
}

static inline uint32_t rgb(SDL_Color c)
{
    return 0xFF000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
}

static inline SDL_Color mix(SDL_Color a, SDL_Color b, double t)
{
    if (t < 0)
        t = 0;
    if (t > 1)
        t = 1;
    return (SDL_Color){ (uint8_t)(a.r + (b.r - a.r) * t), (uint8_t)(a.g + (b.g - a.g) * t),
                        (uint8_t)(a.b + (b.b - a.b) * t), 255 };
}

/* A process's own hue (HSV with full value), for owned frames and TLB entries. */
static inline SDL_Color pid_color(uint32_t pid, double sat)
{
    double h = (double)((pid * 47u) % 360u) / 60.0;
    int i = (int)h;
    double f = h - i, p = 1 - sat, q = 1 - sat * f, t = 1 - sat * (1 - f);
    double rgbv[6][3] = { { 1, t, p }, { q, 1, p }, { p, 1, t }, { p, q, 1 }, { t, p, 1 }, { 1, p, q } };
    double *c = rgbv[i % 6];
    return (SDL_Color){ (uint8_t)(c[0] * 220), (uint8_t)(c[1] * 220), (uint8_t)(c[2] * 220), 255 };
}

/* The panels (vmviz_panels.c). */
void vv_draw_aspace(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_rect a);
void vv_draw_tlb(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_rect a);
void vv_draw_mech(struct vv_draw *d, const struct vv_model *m, struct vv_rect a);
void vv_draw_timeline(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_index *ix,
                      struct vv_rect a);

#endif
