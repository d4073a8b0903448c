/* Text for vmviz (see vmviz_text.h). Rendered strings are kept in a small
 * cache keyed by text and colour, since most labels repeat every frame. */
#include "tools/vmviz_text.h"

#include <SDL_ttf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define CACHE 512
#define KEYLEN 160

struct entry {
    char key[KEYLEN];           /* the text; "" empty */
    uint32_t rgba;
    SDL_Texture *tex;
    int w, h;
    unsigned used;              /* frame stamp of the last use */
};

struct vv_text {
    SDL_Renderer *r;
    TTF_Font *font;
    int line, cw;
    unsigned stamp;
    struct entry cache[CACHE];
};

struct vv_text *vv_text_new(SDL_Renderer *r, int pt, char *err, size_t errlen)
{
    if (TTF_Init() != 0) {              /* counted: vv_text_free quits */
        snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError());
        return NULL;
    }
    struct vv_text *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "out of memory");
        TTF_Quit();
        return NULL;
    }
    t->r = r;
    t->font = TTF_OpenFont(VV_FONT_PATH, pt);
    if (!t->font) {
        snprintf(err, errlen, "font %s: %s (Debian package fonts-dejavu-core)", VV_FONT_PATH, TTF_GetError());
        free(t);
        TTF_Quit();
        return NULL;
    }
    t->line = TTF_FontLineSkip(t->font);
    if (TTF_SizeUTF8(t->font, "M", &t->cw, NULL) != 0 || t->cw < 1)
        t->cw = pt / 2 + 1;
    return t;
}

void vv_text_free(struct vv_text *t)
{
    if (!t)
        return;
    for (int i = 0; i < CACHE; i++)
        if (t->cache[i].tex)
            SDL_DestroyTexture(t->cache[i].tex);
    TTF_CloseFont(t->font);
    free(t);
    TTF_Quit();                 /* balances vv_text_new's TTF_Init */
}

int vv_text_line(const struct vv_text *t) { return t->line; }
int vv_text_cw(const struct vv_text *t) { return t->cw; }

static uint32_t hash(const char *s, uint32_t rgba)
{
    uint32_t h = 2166136261u ^ rgba;
    while (*s)
        h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

int vv_text_draw(struct vv_text *t, int x, int y, SDL_Color c, int maxw, const char *s)
{
    if (!s || !*s)
        return 0;
    char key[KEYLEN];
    snprintf(key, sizeof key, "%s", s);
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    uint32_t h = hash(key, rgba);
    struct entry *e = NULL;
    for (int k = 0; k < 4 && !e; k++) {          /* 4-way: the slot with it, or the stalest */
        struct entry *x2 = &t->cache[(h + k) % CACHE];
        if (x2->tex && x2->rgba == rgba && !strcmp(x2->key, key))
            e = x2;
    }
    if (!e) {
        struct entry *victim = &t->cache[h % CACHE];
        for (int k = 1; k < 4; k++) {
            struct entry *x2 = &t->cache[(h + k) % CACHE];
            if (!x2->tex || x2->used < victim->used)
                victim = x2;
        }
        if (victim->tex)
            SDL_DestroyTexture(victim->tex);
        victim->tex = NULL;
        SDL_Surface *surf = TTF_RenderUTF8_Blended(t->font, key, c);
        if (!surf)
            return 0;
        victim->tex = SDL_CreateTextureFromSurface(t->r, surf);
        victim->w = surf->w;
        victim->h = surf->h;
        SDL_FreeSurface(surf);
        if (!victim->tex)
            return 0;
        snprintf(victim->key, sizeof victim->key, "%s", key);
        victim->rgba = rgba;
        e = victim;
    }
    e->used = ++t->stamp;
    int w = maxw > 0 && e->w > maxw ? maxw : e->w;
    SDL_Rect src = { 0, 0, w, e->h }, dst = { x, y, w, e->h };
    SDL_RenderCopy(t->r, e->tex, &src, &dst);
    return w;
}

int vv_text_drawf(struct vv_text *t, int x, int y, SDL_Color c, int maxw, const char *fmt, ...)
{
    char buf[KEYLEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return vv_text_draw(t, x, y, c, maxw, buf);
}
