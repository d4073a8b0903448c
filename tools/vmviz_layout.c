/* Where vmviz draws things (see vmviz_layout.h). */
#include "tools/vmviz_layout.h"

const char *const vv_layout_names[2] = { "rows", "hilbert" };

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static struct vv_rect rect(int x, int y, int w, int h)
{
    return (struct vv_rect){ x, y, w < 0 ? 0 : w, h < 0 ? 0 : h };
}

void vv_panels_compute(struct vv_panels *p, int w, int h, int line_h)
{
    w = clampi(w, 0, 1 << 16);
    h = clampi(h, 0, 1 << 16);
    int status_h = clampi(line_h + 4, 0, h);
    int tl_h = clampi(h / 5, 0, 12 * line_h);
    int legend_h = clampi(2 * line_h + 4, 0, h);
    int body_y = status_h, body_h = h - status_h - tl_h - legend_h;
    if (body_h < 0) {
        tl_h = clampi(h - status_h - legend_h, 0, h);
        body_h = 0;
    }
    int side_w = w * 2 / 5;
    p->status = rect(0, 0, w, status_h);
    p->map = rect(2, body_y + 2, w - side_w - 4, body_h - 4);
    p->legend = rect(0, body_y + body_h, w - side_w, legend_h);
    int sx = w - side_w;
    int a_h = body_h * 2 / 5, t_h = body_h / 4;
    p->aspace = rect(sx, body_y, side_w, a_h);
    p->tlb = rect(sx, body_y + a_h, side_w, t_h);
    p->mech = rect(sx, body_y + a_h + t_h, side_w, body_h + legend_h - a_h - t_h);
    p->timeline = rect(0, h - tl_h, w, tl_h);
}

void vv_hilbert_d2xy(uint32_t n, uint32_t d, uint32_t *x, uint32_t *y)
{
    uint32_t rx, ry, t = d;
    *x = *y = 0;
    for (uint32_t s = 1; s < n; s *= 2) {
        rx = 1 & (t / 2);
        ry = 1 & (t ^ rx);
        if (ry == 0) {
            if (rx == 1) {
                *x = s - 1 - *x;
                *y = s - 1 - *y;
            }
            uint32_t tmp = *x;
            *x = *y;
            *y = tmp;
        }
        *x += s * rx;
        *y += s * ry;
        t /= 4;
    }
}

uint32_t vv_hilbert_xy2d(uint32_t n, uint32_t x, uint32_t y)
{
    uint32_t d = 0;
    for (uint32_t s = n / 2; s > 0; s /= 2) {
        uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = s - 1 - x;
                y = s - 1 - y;
            }
            uint32_t tmp = x;
            x = y;
            y = tmp;
        }
    }
    return d;
}

void vv_map_fit(struct vv_map *m, enum vv_layout_kind kind, uint32_t nframes, struct vv_rect area,
                int zoom, int64_t pan_x, int64_t pan_y)
{
    m->kind = kind;
    m->nframes = nframes;
    m->zoom = clampi(zoom, 1, 256);
    int aw = area.w > 0 ? area.w : 0, ah = area.h > 0 ? area.h : 0;
    uint32_t n = nframes ? nframes : 1;
    if (kind == VV_LAYOUT_HILBERT) {
        uint32_t side = 1;
        while ((uint64_t)side * side < n)
            side *= 2;
        m->gw = m->gh = side;
        int fit = (aw < ah ? aw : ah) / (int)side;
        m->cell = fit < 1 ? 1 : fit;
    } else {
        /* the largest cell size whose grid holds every frame */
        int cell = 1;
        for (int s = 1; s <= 64; s++) {
            uint64_t cols = (uint64_t)(aw / s), rows = (uint64_t)(ah / s);
            if (cols * rows >= n)
                cell = s;
        }
        uint32_t cols = (uint32_t)(aw / cell);
        if (!cols)
            cols = 1;
        m->gw = cols;
        m->gh = (n + cols - 1) / cols;
        m->cell = cell;
    }
    m->cell *= m->zoom;
    uint64_t vw = (uint64_t)aw / (uint64_t)m->cell, vh = (uint64_t)ah / (uint64_t)m->cell;
    m->vis_w = (uint32_t)(vw < m->gw ? vw : m->gw);
    m->vis_h = (uint32_t)(vh < m->gh ? vh : m->gh);
    int64_t maxx = (int64_t)m->gw - m->vis_w, maxy = (int64_t)m->gh - m->vis_h;
    m->pan_x = pan_x < 0 ? 0 : pan_x > maxx ? maxx : pan_x;
    m->pan_y = pan_y < 0 ? 0 : pan_y > maxy ? maxy : pan_y;
    m->rect = (struct vv_rect){ area.x, area.y, (int)m->vis_w * m->cell, (int)m->vis_h * m->cell };
}

void vv_map_pos(const struct vv_map *m, uint32_t frame, uint32_t *gx, uint32_t *gy)
{
    if (m->kind == VV_LAYOUT_HILBERT) {
        vv_hilbert_d2xy(m->gw, frame, gx, gy);
    } else {
        *gx = frame % m->gw;
        *gy = frame / m->gw;
    }
}

int64_t vv_map_frame_at(const struct vv_map *m, int x, int y)
{
    if (x < m->rect.x || y < m->rect.y || x >= m->rect.x + m->rect.w || y >= m->rect.y + m->rect.h)
        return -1;
    uint64_t gx = (uint64_t)((x - m->rect.x) / m->cell + m->pan_x);
    uint64_t gy = (uint64_t)((y - m->rect.y) / m->cell + m->pan_y);
    uint64_t f = m->kind == VV_LAYOUT_HILBERT ? vv_hilbert_xy2d(m->gw, (uint32_t)gx, (uint32_t)gy)
                                              : gy * m->gw + gx;
    return f < m->nframes ? (int64_t)f : -1;
}
