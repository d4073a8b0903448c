/* Text for vmviz: SDL2_ttf with DejaVu Sans Mono (Debian's
 * fonts-dejavu-core), rendered strings cached as textures. */
#ifndef VMSCOPE_TOOLS_VMVIZ_TEXT_H
#define VMSCOPE_TOOLS_VMVIZ_TEXT_H

#include <SDL.h>
#include <stdbool.h>

#define VV_FONT_PATH "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

struct vv_text;

/* Open the font at PT points for renderer R. NULL with ERR when the font
 * or SDL_ttf fails. */
struct vv_text *vv_text_new(SDL_Renderer *r, int pt, char *err, size_t errlen);
void vv_text_free(struct vv_text *t);
/* Line height in pixels, and the width of one character (monospace). */
int vv_text_line(const struct vv_text *t);
int vv_text_cw(const struct vv_text *t);
/* Draw S at (X, Y) in colour C, clipped to at most MAXW pixels (0: no
 * limit). Returns the width drawn. */
int vv_text_draw(struct vv_text *t, int x, int y, SDL_Color c, int maxw, const char *s);
/* printf-style vv_text_draw. */
int vv_text_drawf(struct vv_text *t, int x, int y, SDL_Color c, int maxw, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
