/* Where vmviz draws things: the panels of a window of a given size, and
 * where each frame's cell is in the frame map (rows, or a Hilbert curve).
 * No SDL: the snapshot's OUT.json and the tests read the same numbers the
 * drawing uses. */
#ifndef VMSCOPE_TOOLS_VMVIZ_LAYOUT_H
#define VMSCOPE_TOOLS_VMVIZ_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

struct vv_rect { int x, y, w, h; };

enum vv_layout_kind { VV_LAYOUT_ROWS, VV_LAYOUT_HILBERT };
extern const char *const vv_layout_names[2];

/* The panels of a W x H window. Every rectangle lies inside the window and
 * has w, h >= 0, whatever W and H (a tiny window gets empty panels). */
struct vv_panels {
    struct vv_rect status;      /* top line */
    struct vv_rect map;         /* the frame map's area */
    struct vv_rect aspace;      /* address-space panel */
    struct vv_rect tlb;         /* TLB panel */
    struct vv_rect mech;        /* mechanism panel */
    struct vv_rect timeline;    /* bottom strip */
    struct vv_rect legend;      /* legend row under the frame map */
};
void vv_panels_compute(struct vv_panels *p, int w, int h, int line_h);

/* The frame map inside an area: a grid of cols x rows cells of cell x cell
 * pixels. The grid is `side` cells wide in the layout's own coordinates
 * (rows: cols; Hilbert: a power of two); zoom (>= 1) and the pan offset
 * (in cells) choose the part shown. */
struct vv_map {
    enum vv_layout_kind kind;
    uint32_t nframes;
    uint32_t gw, gh;            /* the layout grid, in cells */
    int cell;                   /* pixels per cell side (>= 1) */
    int zoom;                   /* 1: the whole grid fits */
    int64_t pan_x, pan_y;       /* first cell shown */
    struct vv_rect rect;        /* pixels the shown cells cover (inside the area) */
    uint32_t vis_w, vis_h;      /* cells shown */
};
/* Fit NFRAMES into AREA with layout KIND, ZOOM and pan (clamped). */
void vv_map_fit(struct vv_map *m, enum vv_layout_kind kind, uint32_t nframes, struct vv_rect area,
                int zoom, int64_t pan_x, int64_t pan_y);
/* Grid position of FRAME. */
void vv_map_pos(const struct vv_map *m, uint32_t frame, uint32_t *gx, uint32_t *gy);
/* The frame whose cell holds pixel (X, Y), or -1. */
int64_t vv_map_frame_at(const struct vv_map *m, int x, int y);
/* Hilbert curve of side N (a power of two): index D to (x, y), and back. */
void vv_hilbert_d2xy(uint32_t n, uint32_t d, uint32_t *x, uint32_t *y);
uint32_t vv_hilbert_xy2d(uint32_t n, uint32_t x, uint32_t y);

#endif
