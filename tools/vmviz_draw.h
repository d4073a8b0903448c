/* Drawing vmviz's picture with an SDL renderer: the frame map, the
 * address-space, TLB and mechanism panels, the timeline, the status line,
 * the legend and the help overlay. The same code draws the window and the
 * snapshot (a software renderer on a surface). */
#ifndef VMSCOPE_TOOLS_VMVIZ_DRAW_H
#define VMSCOPE_TOOLS_VMVIZ_DRAW_H

#include <SDL.h>
#include <stdbool.h>

#include "tools/vmviz_index.h"
#include "tools/vmviz_layout.h"
#include "tools/vmviz_model.h"
#include "tools/vmviz_text.h"

/* The flat colour of each frame state (snapshots, states-only mode, legend). */
extern const SDL_Color vv_state_colors[VV_NSTATES];
/* The map's background (cells past the last frame). */
extern const SDL_Color vv_map_background;

/* What the viewer chose to see. */
struct vv_view {
    enum vv_layout_kind layout;
    int zoom;                   /* 1 = fit */
    int64_t pan_x, pan_y;       /* in cells */
    bool states_only;           /* flat state colours: no hues, dirty, heat */
    bool legend, help;
    uint32_t pid;               /* address-space panel's process (VV_NOPID: the current one) */
    int mouse_x, mouse_y;       /* hover (-1: none) */
    int step_row;               /* enum vv_row that "next" looks for */
    double speed;               /* virtual seconds per host second */
    bool playing, live;
    double seek_seconds;        /* the last seek's host time (-1: none) */
    char message[256];          /* status-line message (a problem, a result) */
};
void vv_view_init(struct vv_view *v);

struct vv_draw;
struct vv_draw *vv_draw_new(SDL_Renderer *r, struct vv_text *t);
void vv_draw_free(struct vv_draw *d);

/* Draw everything for a W x H target. *MAP and *PANELS get the geometry
 * used (for hit tests and OUT.json). IX may be NULL. */
void vv_draw_all(struct vv_draw *d, const struct vv_view *v, const struct vv_model *m, struct vv_index *ix,
                 int w, int h, struct vv_map *map, struct vv_panels *panels);

/* The pid of the process name at pixel (X, Y) in the address-space panel
 * as last drawn, or VV_NOPID. */
uint32_t vv_draw_pid_at(const struct vv_draw *d, int x, int y);

/* The cycle under pixel (X, Y) of the timeline as last drawn: true with
 * *CYCLE, false when (X, Y) is not on it. */
bool vv_draw_cycle_at(const struct vv_draw *d, int x, int y, uint64_t *cycle);

#endif
