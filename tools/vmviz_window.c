/* vmviz's window: the event loop, the keys and playback.
 *
 * The first pass (vmviz_index.c) runs in a thread from the start, so the
 * timeline fills in and keyframes appear while the viewer already plays.
 * Playback applies every record up to the cycle the clock has reached
 * (records are never skipped; when the host is slow, frames are). With
 * --follow (a trace still being written: `vmscope run --viz`), reaching
 * the end means waiting for the next chunk. */
#include "tools/vmviz_app.h"
#include "tools/vmviz_draw.h"

#include <SDL.h>
#include <stdio.h>
#include <string.h>

struct app {
    const struct vv_options *o;
    struct vv_index *ix;
    struct vv_play *p;
    struct vv_diag *dg;
    struct vv_view v;
    struct vv_draw *d;
    struct vv_map map;
    struct vv_panels panels;
    bool quit;
};

/* ------------------------------------------------------------ seeking */

/* A seek leaves the live edge (following resumes with End). */
static void seek_cycle(struct app *a, uint64_t cycle)
{
    a->v.live = false;
    a->v.seek_seconds = vv_index_seek(a->ix, a->p, UINT64_MAX, cycle);
}

static uint64_t trace_end(struct app *a)
{
    pthread_mutex_lock(&a->ix->lock);
    uint64_t end = a->ix->last_cycle;
    pthread_mutex_unlock(&a->ix->lock);
    return end > a->p->m->cycle ? end : a->p->m->cycle;
}

/* ------------------------------------------------------------ keys */

static void k_play(struct app *a) { a->v.playing = !a->v.playing; }
static void k_faster(struct app *a) { a->v.speed = a->v.speed * 2 > 1024 ? 1024 : a->v.speed * 2; }
static void k_slower(struct app *a) { a->v.speed = a->v.speed / 2 < 1.0 / 1024 ? 1.0 / 1024 : a->v.speed / 2; }
static void k_start(struct app *a) { seek_cycle(a, 0); }
static void k_end(struct app *a)
{
    seek_cycle(a, UINT64_MAX - 1);
    a->v.live = a->o->follow;                   /* following: back to the live edge */
}
static void k_back(struct app *a)
{
    uint64_t step = trace_end(a) / 50, c = a->p->m->cycle;
    seek_cycle(a, c > step ? c - step : 0);
}
static void k_fwd(struct app *a) { seek_cycle(a, a->p->m->cycle + trace_end(a) / 50); }
static void k_record(struct app *a) { vv_play_advance(a->p, UINT64_MAX, UINT64_MAX, 1); }
static void k_next(struct app *a)
{
    if (!vv_play_step_row(a->p, a->v.step_row))
        snprintf(a->v.message, sizeof a->v.message, "no further %s", vv_row_names[a->v.step_row]);
    else
        snprintf(a->v.message, sizeof a->v.message, "at the next %s", vv_row_names[a->v.step_row]);
}
static void k_kind(struct app *a)
{
    a->v.step_row = (a->v.step_row + 1) % VV_NROWS;
    snprintf(a->v.message, sizeof a->v.message, "n steps to: %s", vv_row_names[a->v.step_row]);
}
static void k_kind_back(struct app *a)
{
    a->v.step_row = (a->v.step_row + VV_NROWS - 1) % VV_NROWS;
    snprintf(a->v.message, sizeof a->v.message, "n steps to: %s", vv_row_names[a->v.step_row]);
}
static void k_layout(struct app *a)
{
    a->v.layout = a->v.layout == VV_LAYOUT_ROWS ? VV_LAYOUT_HILBERT : VV_LAYOUT_ROWS;
    a->v.pan_x = a->v.pan_y = 0;
}
static void k_zoom_in(struct app *a) { a->v.zoom = a->v.zoom * 2 > 64 ? 64 : a->v.zoom * 2; }
static void k_zoom_out(struct app *a) { a->v.zoom = a->v.zoom / 2 < 1 ? 1 : a->v.zoom / 2; }
static void k_zoom_fit(struct app *a)
{
    a->v.zoom = 1;
    a->v.pan_x = a->v.pan_y = 0;
}
static void k_left(struct app *a) { a->v.pan_x -= a->map.vis_w / 4 + 1; }
static void k_right(struct app *a) { a->v.pan_x = a->map.pan_x + a->map.vis_w / 4 + 1; }
static void k_up(struct app *a) { a->v.pan_y -= a->map.vis_h / 4 + 1; }
static void k_down(struct app *a) { a->v.pan_y = a->map.pan_y + a->map.vis_h / 4 + 1; }
static void k_states(struct app *a) { a->v.states_only = !a->v.states_only; }
static void k_legend(struct app *a) { a->v.legend = !a->v.legend; }
static void k_help(struct app *a) { a->v.help = !a->v.help; }
static void k_quit(struct app *a) { a->quit = true; }
static void k_proc(struct app *a)
{
    const struct vv_model *m = a->p->m;
    uint32_t cur = a->v.pid, first = VV_NOPID;
    bool take = cur == VV_NOPID;
    for (uint32_t i = 0; i < m->nproc; i++) {
        if (!m->proc[i].alive)
            continue;
        if (first == VV_NOPID)
            first = m->proc[i].pid;
        if (take) {
            a->v.pid = m->proc[i].pid;
            return;
        }
        take = m->proc[i].pid == cur;
    }
    a->v.pid = first;
}

/* The keys; the help overlay (vmviz_draw.c) and README list the same. */
static const struct {
    SDL_Keycode key;
    void (*fn)(struct app *a);
} keys[] = {
    { SDLK_SPACE, k_play },      { SDLK_PLUS, k_faster },     { SDLK_EQUALS, k_faster },
    { SDLK_KP_PLUS, k_faster },  { SDLK_MINUS, k_slower },    { SDLK_KP_MINUS, k_slower },
    { SDLK_HOME, k_start },      { SDLK_END, k_end },         { SDLK_LEFTBRACKET, k_back },
    { SDLK_RIGHTBRACKET, k_fwd }, { SDLK_PERIOD, k_record },  { SDLK_n, k_next },
    { SDLK_k, k_kind },          { SDLK_j, k_kind_back },     { SDLK_h, k_layout },
    { SDLK_z, k_zoom_in },       { SDLK_x, k_zoom_out },      { SDLK_0, k_zoom_fit },
    { SDLK_LEFT, k_left },       { SDLK_RIGHT, k_right },     { SDLK_UP, k_up },
    { SDLK_DOWN, k_down },       { SDLK_s, k_states },        { SDLK_l, k_legend },
    { SDLK_QUESTION, k_help },   { SDLK_SLASH, k_help },      { SDLK_TAB, k_proc },
    { SDLK_q, k_quit },          { SDLK_ESCAPE, k_quit },
};

static void on_key(struct app *a, SDL_Keycode k, SDL_Keymod mod)
{
    if (k == SDLK_k && (mod & KMOD_SHIFT))
        k = SDLK_j;                             /* K: the previous kind */
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (keys[i].key == k) {
            keys[i].fn(a);
            return;
        }
}

/* ------------------------------------------------------------ mouse */

static void on_click(struct app *a, int x, int y)
{
    uint64_t cycle;
    if (vv_draw_cycle_at(a->d, x, y, &cycle)) {
        seek_cycle(a, cycle);
        return;
    }
    uint32_t pid = vv_draw_pid_at(a->d, x, y);
    if (pid != VV_NOPID)
        a->v.pid = pid;
}

static void on_motion(struct app *a, int x, int y)
{
    if (a->o->mouse_x >= 0)
        return;                                 /* --mouse holds the pointer still */
    a->v.mouse_x = x;
    a->v.mouse_y = y;
}

static void on_wheel(struct app *a, int dy)
{
    if (dy > 0)
        k_zoom_in(a);
    else if (dy < 0)
        k_zoom_out(a);
}

/* ------------------------------------------------------------ loop */

/* Advance playback by DT host seconds. */
static void play(struct app *a, double dt)
{
    struct vv_model *m = a->p->m;
    if (a->v.live && a->v.playing) {
        /* live: everything the emulator has written so far */
        tr_reader_refresh(a->p->r);
        vv_play_advance(a->p, UINT64_MAX, UINT64_MAX, 50000000);
        return;
    }
    if (!a->v.playing || a->v.live)
        return;
    uint64_t step = (uint64_t)(a->v.speed * dt * (double)m->mhz * 1e6) + 1;
    if (!vv_play_advance(a->p, UINT64_MAX, m->cycle + step, 20000000) && !vv_play_peek(a->p)) {
        if (a->o->follow)
            tr_reader_refresh(a->p->r);         /* the end so far: more may come */
        else
            a->v.playing = false;
    }
}

static void press_keys(struct app *a, const char *s)
{
    for (; s && *s; s++)
        on_key(a, (SDL_Keycode)(unsigned char)*s, KMOD_NONE);
}

int vv_window(const struct vv_options *o, struct vv_index *ix, struct vv_play *p, struct vv_diag *dg)
{
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "0");
    SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");    /* a viewer need not keep the screen awake */
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "vmviz: SDL: %s (no display? use --snapshot)\n", SDL_GetError());
        return 1;
    }
    SDL_Window *win = SDL_CreateWindow("vmviz", 0, 0, o->w, o->h, SDL_WINDOW_RESIZABLE);
    SDL_Renderer *r = win ? SDL_CreateRenderer(win, -1, SDL_RENDERER_PRESENTVSYNC) : NULL;
    if (win && !r)
        r = SDL_CreateRenderer(win, -1, SDL_RENDERER_SOFTWARE);
    char err[512];
    struct vv_text *t = r ? vv_text_new(r, 12, err, sizeof err) : NULL;
    struct app a = { .o = o, .ix = ix, .p = p, .dg = dg };
    a.d = t ? vv_draw_new(r, t) : NULL;
    if (!a.d) {
        fprintf(stderr, "vmviz: %s\n", r && !t ? err : SDL_GetError());
        vv_text_free(t);
        if (r)
            SDL_DestroyRenderer(r);
        if (win)
            SDL_DestroyWindow(win);
        SDL_Quit();
        return 1;
    }
    vv_view_init(&a.v);
    a.v.layout = o->layout;
    a.v.states_only = o->states_only;
    a.v.live = o->follow;
    a.v.mouse_x = o->mouse_x;
    a.v.mouse_y = o->mouse_y;
    a.v.playing = !o->at || o->follow;
    bool positioned = !o->at, ready_written = false;
    const char *resize = o->resize;
    vv_index_start(ix);
    if (positioned)
        press_keys(&a, o->keys);
    double t0 = vv_now(), last = t0;
    while (!a.quit) {
        SDL_Event e;
        while (SDL_PollEvent(&e)) {
            switch (e.type) {   /* one line per event type; the work is in the functions */
            case SDL_QUIT: a.quit = true; break;
            case SDL_KEYDOWN: on_key(&a, e.key.keysym.sym, (SDL_Keymod)e.key.keysym.mod); break;
            case SDL_MOUSEMOTION: on_motion(&a, e.motion.x, e.motion.y); break;
            case SDL_MOUSEBUTTONDOWN: on_click(&a, e.button.x, e.button.y); break;
            case SDL_MOUSEWHEEL: on_wheel(&a, e.wheel.y); break;
            default: break;
            }
        }
        if (!positioned) {
            /* --at: wait for the first pass, then seek there */
            pthread_mutex_lock(&ix->lock);
            bool done = ix->done;
            pthread_mutex_unlock(&ix->lock);
            if (done) {
                uint64_t ev, cy;
                if (!vv_parse_when(o->at, ix, &ev, &cy)) {
                    a.quit = true;
                    break;
                }
                a.v.seek_seconds = vv_index_seek(ix, p, ev, cy);
                press_keys(&a, o->keys);
                positioned = true;
            }
        }
        double now = vv_now();
        if (positioned)
            play(&a, now - last);
        last = now;
        char last[256];
        unsigned nprob = vv_diag_get(dg, last);
        if (nprob)
            snprintf(a.v.message, sizeof a.v.message, "%u problem(s): %.200s", nprob, last);
        int w, h;
        SDL_GetRendererOutputSize(r, &w, &h);
        vv_draw_all(a.d, &a.v, p->m, ix, w, h, &a.map, &a.panels);
        SDL_RenderPresent(r);
        /* --ready: the position is drawn (following: the whole trace, once complete) */
        bool at_end = !o->follow || (tr_reader_complete(p->r) && !vv_play_peek(p));
        if (positioned && at_end && o->ready && !ready_written) {
            ready_written = vv_write_geometry(NULL, o->ready, &a.map, p->m, w, h, o->path);
            if (!ready_written)
                a.quit = true;
        }
        if (positioned && resize && *resize) {
            /* --resize: the next size, through SDL's own resize path */
            int rw, rh;
            if (sscanf(resize, "%dx%d", &rw, &rh) == 2 && rw > 0 && rh > 0)
                SDL_SetWindowSize(win, rw, rh);
            resize += strcspn(resize, ",");
            resize += *resize == ',';
        }
        if (o->exit_after > 0 && now - t0 > o->exit_after)
            a.quit = true;
        SDL_Delay(15);
    }
    vv_draw_free(a.d);
    vv_text_free(t);
    SDL_DestroyRenderer(r);
    SDL_DestroyWindow(win);
    /* No SDL_Quit: it unloads the X11 libraries SDL opened with dlopen,
     * after which what they still hold looks leaked to LeakSanitizer (the
     * ASan build runs this window); the process ends here anyway. */
    return 0;
}
