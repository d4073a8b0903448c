/* vmviz: physical memory, the TLB and the mechanisms of memory management
 * in an SDL window, from a trace file (or a trace being written: --follow,
 * which `vmscope run --viz` uses).
 *
 *   vmviz FILE                                 the window
 *   vmviz FILE --follow                        the window, following a growing trace
 *   vmviz FILE --snapshot OUT.png --at WHEN [--size WxH] [--layout rows|hilbert]
 *                                              one picture, no display (offscreen driver)
 *   vmviz FILE --counts [--at WHEN]            frames per state as text
 *
 * WHEN is a cycle, `end`, or `mark` (just after the last mark record with
 * label 1, a quiet point). A snapshot writes OUT.json beside the PNG: the
 * frame map's rectangle, cell size, layout and the frames per state.
 * Exit status: 0 ok, 1 failure, 2 usage or unreadable trace. */
#include "tools/vmviz_app.h"
#include "tools/vmviz_draw.h"
#include "tools/vmviz_index.h"
#include "tools/vmviz_play.h"
#include "tools/vmviz_png.h"

#include <SDL.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int usage(const char *why)
{
    if (why)
        fprintf(stderr, "vmviz: %s\n", why);
    fprintf(why ? stderr : stdout,
            "usage: vmviz FILE [--at CYCLE|end|mark] [--follow] [--size WxH] [--layout rows|hilbert] [--states-only]\n"
            "       vmviz FILE --snapshot OUT.png [--at CYCLE|end|mark] [--size WxH] [--layout rows|hilbert]\n"
            "       vmviz FILE --counts [--at CYCLE|end|mark]\n"
            "       vmviz FILE --seek-bench N   time the first pass and N seeks\n"
            "       vmviz --help | --version\n"
            "Draws physical memory (a cell per 4 KiB frame, coloured by what it holds), the\n"
            "processes' address spaces, the TLBs, the memory-management mechanisms and a\n"
            "timeline from a vmscope trace. --snapshot draws one picture without a display\n"
            "and writes OUT.json beside it. Press ? in the window for the keys.\n"
            "For tests and scripts: --keys KEYS (pressed once the window is at --at), --ready FILE\n"
            "(OUT.json's content, written once that position is drawn), --mouse X,Y, --resize WxH,...\n"
            "(one size a frame), --exit-after SECONDS, --counts, --seek-bench N.\n");
    return 2;
}

static bool parse_size(const char *s, int *w, int *h)
{
    char *e;
    long a = strtol(s, &e, 10);
    if (*e != 'x')
        return false;
    long b = strtol(e + 1, &e, 10);
    if (*e || a < 1 || b < 1 || a > 16384 || b > 16384)
        return false;
    *w = (int)a;
    *h = (int)b;
    return true;
}

static int parse_args(int argc, char **argv, struct vv_options *o)
{
    memset(o, 0, sizeof *o);
    o->w = 1280;
    o->h = 800;
    o->mouse_x = o->mouse_y = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h"))
            return usage(NULL), 1;
        if (!strcmp(a, "--version")) {
            printf("vmviz %s (trace format %s)\n", VMSCOPE_VERSION, tr_format_version());
            return 1;
        }
        else if (!strcmp(a, "--snapshot") && v)
            o->snapshot = v, i++;
        else if (!strcmp(a, "--at") && v)
            o->at = v, i++;
        else if (!strcmp(a, "--keys") && v)
            o->keys = v, i++;
        else if (!strcmp(a, "--resize") && v)
            o->resize = v, i++;
        else if (!strcmp(a, "--ready") && v)
            o->ready = v, i++;
        else if (!strcmp(a, "--mouse") && v) {
            if (sscanf(v, "%d,%d", &o->mouse_x, &o->mouse_y) != 2)
                return usage("--mouse takes X,Y");
            i++;
        } else if (!strcmp(a, "--seek-bench") && v)
            o->seek_bench = (unsigned)strtoul(v, NULL, 0), i++;
        else if (!strcmp(a, "--exit-after") && v)
            o->exit_after = atof(v), i++;
        else if (!strcmp(a, "--size") && v) {
            if (!parse_size(v, &o->w, &o->h))
                return usage("--size takes WxH, each 1..16384");
            i++;
        } else if (!strcmp(a, "--layout") && v) {
            if (!strcmp(v, "rows"))
                o->layout = VV_LAYOUT_ROWS;
            else if (!strcmp(v, "hilbert"))
                o->layout = VV_LAYOUT_HILBERT;
            else
                return usage("--layout takes rows or hilbert");
            i++;
        } else if (!strcmp(a, "--counts"))
            o->counts = true;
        else if (!strcmp(a, "--follow"))
            o->follow = true;
        else if (!strcmp(a, "--states-only"))
            o->states_only = true;
        else if (a[0] != '-' && !o->path)
            o->path = a;
        else
            return usage("unknown or incomplete option");
    }
    if (!o->path)
        return usage("no trace file");
    return 0;
}

/* ------------------------------------------------------------ opening */


static void on_diag(void *ctx, const char *msg)
{
    struct vv_diag *d = ctx;
    pthread_mutex_lock(&d->lock);
    if (strncmp(d->last, msg, sizeof d->last - 1)) {   /* both readers see the same damage: once */
        d->n++;
        snprintf(d->last, sizeof d->last, "%s", msg);
    }
    pthread_mutex_unlock(&d->lock);
}

unsigned vv_diag_get(struct vv_diag *d, char *last)
{
    pthread_mutex_lock(&d->lock);
    unsigned n = d->n;
    memcpy(last, d->last, sizeof d->last);
    pthread_mutex_unlock(&d->lock);
    return n;
}

/* The problems on stderr, once, at the end. */
static void report_problems(struct vv_diag *d)
{
    char last[256];
    unsigned n = vv_diag_get(d, last);
    if (n)
        fprintf(stderr, "vmviz: %u problem(s) reading the trace; the last: %s\n", n, last);
}

static struct tr_reader *open_trace(const char *path, bool follow, struct vv_diag *dg)
{
    char err[512];
    struct tr_reader *r = tr_reader_open(path, follow ? TR_OPEN_FOLLOW : 0, on_diag, dg, err, sizeof err);
    if (!r)
        fprintf(stderr, "vmviz: %s\n", err);
    return r;
}

/* Resolve WHEN to an event bound and a cycle bound (UINT64_MAX: none). */
bool vv_parse_when(const char *when, struct vv_index *ix, uint64_t *event, uint64_t *cycle)
{
    *event = *cycle = UINT64_MAX;
    if (!when || !strcmp(when, "end"))
        return true;
    if (!strcmp(when, "mark")) {
        if (!ix->last_mark_event) {
            fprintf(stderr, "vmviz: --at mark: the trace has no mark record with label 1\n");
            return false;
        }
        *event = ix->last_mark_event;
        return true;
    }
    char *e;
    errno = 0;
    unsigned long long c = strtoull(when, &e, 0);
    if (errno || *e || when[0] == '-') {
        fprintf(stderr, "vmviz: --at takes a cycle, end or mark, not '%s'\n", when);
        return false;
    }
    *cycle = c;
    return true;
}

static void print_counts(FILE *f, const uint32_t *count)
{
    fprintf(f, "frames");
    for (unsigned s = 0; s < VV_NSTATES; s++)
        fprintf(f, " %s=%u", vv_state_name(s), count[s]);
    fprintf(f, "\n");
}

/* The first pass, then N seeks to cycles spread over the trace in a fixed
 * pseudo-random order: host times on stdout. */
/* CPU time of this thread (a seek's cost whatever else the machine runs). */
static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int seek_bench(const struct vv_options *o, struct vv_index *ix, struct vv_play *p)
{
    if (!ix->done)
        vv_index_run(ix);
    printf("pass: %" PRIu64 " events, %" PRIu64 " records in %.2f s (%.1f M events/s), %zu keyframes, stride %zu\n",
           ix->events, ix->records, ix->seconds, ix->seconds > 0 ? (double)ix->events / ix->seconds / 1e6 : 0.0,
           ix->nkf, ix->stride);
    double max = 0, sum = 0, cpu_max = 0, cpu_sum = 0;
    uint64_t x = 88172645463325252ull, worst = 0;
    for (unsigned i = 0; i < o->seek_bench; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t cycle = ix->last_cycle ? x % ix->last_cycle : 0;
        double c0 = thread_cpu();
        double t = vv_index_seek(ix, p, UINT64_MAX, cycle);
        double c = thread_cpu() - c0;
        sum += t;
        cpu_sum += c;
        if (t > max)
            max = t, worst = cycle;
        if (c > cpu_max)
            cpu_max = c;
    }
    unsigned n = o->seek_bench ? o->seek_bench : 1;
    printf("seeks: %u, max %.3f s (to cycle %" PRIu64 "), mean %.3f s; CPU time max %.3f s, mean %.3f s\n",
           o->seek_bench, max, worst, sum / n, cpu_max, cpu_sum / n);
    return 0;
}

/* ------------------------------------------------------------ snapshot */

bool vv_write_geometry(const char *png, const char *json, const struct vv_map *map, const struct vv_model *m,
                       int w, int h, const char *path)
{
    char jpath[4096];
    size_t n = png ? strlen(png) : 0;
    if (!png)
        snprintf(jpath, sizeof jpath, "%s", json);
    else if (n > 4 && !strcmp(png + n - 4, ".png"))
        snprintf(jpath, sizeof jpath, "%.*s.json", (int)(n - 4), png);
    else
        snprintf(jpath, sizeof jpath, "%s.json", png);
    FILE *f = fopen(jpath, "w");
    if (!f) {
        fprintf(stderr, "vmviz: %s: %s\n", jpath, strerror(errno));
        return false;
    }
    fprintf(f, "{\n  \"trace\": \"%s\",\n  \"size\": [%d, %d],\n", path, w, h);
    fprintf(f, "  \"frame_map\": {\"x\": %d, \"y\": %d, \"w\": %d, \"h\": %d},\n", map->rect.x, map->rect.y,
            map->rect.w, map->rect.h);
    fprintf(f, "  \"cell\": %d,\n  \"layout\": \"%s\",\n  \"grid\": [%u, %u],\n  \"frames\": %u,\n", map->cell,
            vv_layout_names[map->kind], map->gw, map->gh, m->nframes);
    fprintf(f, "  \"cycle\": %" PRIu64 ",\n  \"event\": %" PRIu64 ",\n", m->cycle, m->event);
    fprintf(f, "  \"colors\": {");
    for (unsigned s = 0; s < VV_NSTATES; s++)
        fprintf(f, "%s\"%s\": [%u, %u, %u]", s ? ", " : "", vv_state_name(s), vv_state_colors[s].r,
                vv_state_colors[s].g, vv_state_colors[s].b);
    fprintf(f, "},\n  \"background\": [%u, %u, %u],\n  \"counts\": {", vv_map_background.r, vv_map_background.g,
            vv_map_background.b);
    for (unsigned s = 0; s < VV_NSTATES; s++)
        fprintf(f, "%s\"%s\": %u", s ? ", " : "", vv_state_name(s), m->count[s]);
    fprintf(f, "}\n}\n");
    return fclose(f) == 0;
}

/* Play the whole trace once (the index), then position P at WHEN. */
static bool position(struct vv_index *ix, struct vv_play *p, const char *when)
{
    vv_index_run(ix);
    uint64_t event, cycle;
    if (!vv_parse_when(when, ix, &event, &cycle))
        return false;
    vv_index_seek(ix, p, event, cycle);
    return true;
}

static int snapshot(const struct vv_options *o, struct vv_index *ix, struct vv_play *p, struct vv_diag *dg)
{
    if (!position(ix, p, o->at))
        return 2;
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "0");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "vmviz: SDL (offscreen driver): %s\n", SDL_GetError());
        return 1;
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, o->w, o->h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *r = s ? SDL_CreateSoftwareRenderer(s) : NULL;
    char err[512];
    struct vv_text *t = r ? vv_text_new(r, 12, err, sizeof err) : NULL;
    struct vv_draw *d = t ? vv_draw_new(r, t) : NULL;
    int rc = 1;
    if (!d) {
        fprintf(stderr, "vmviz: %s\n", r && !t ? err : SDL_GetError());
    } else {
        struct vv_view v;
        vv_view_init(&v);
        v.layout = o->layout;
        v.states_only = true;       /* snapshots: one flat colour per state */
        char last[256];
        unsigned n = vv_diag_get(dg, last);
        if (n)
            snprintf(v.message, sizeof v.message, "%u problem(s): %.200s", n, last);
        struct vv_map map;
        struct vv_panels panels;
        vv_draw_all(d, &v, p->m, ix, o->w, o->h, &map, &panels);
        SDL_RenderPresent(r);
        if (vv_png_write(s, o->snapshot, err, sizeof err) && vv_write_geometry(o->snapshot, NULL, &map, p->m, o->w, o->h, o->path))
            rc = 0;
        else
            fprintf(stderr, "vmviz: %s\n", err);
    }
    vv_draw_free(d);
    vv_text_free(t);
    if (r)
        SDL_DestroyRenderer(r);
    if (s)
        SDL_FreeSurface(s);
    SDL_Quit();
    return rc;
}


int main(int argc, char **argv)
{
    struct vv_options o;
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc == 1 ? 0 : rc;
    struct vv_diag dg = { PTHREAD_MUTEX_INITIALIZER, "", 0 };
    struct tr_reader *r = open_trace(o.path, o.follow, &dg);
    struct tr_reader *r2 = r ? open_trace(o.path, o.follow, &dg) : NULL;  /* the index's own */
    if (!r2) {
        if (r)
            tr_reader_close(r);
        return 2;
    }
    struct vv_index *ix = vv_index_new(r2, 0, o.follow);
    struct vv_play *p = vv_play_new(r);
    if (!ix || !p) {
        fprintf(stderr, "vmviz: out of memory\n");
        return 1;
    }
    if (o.counts || o.seek_bench) {
        rc = 0;
        if (o.counts && !(rc = position(ix, p, o.at) ? 0 : 2)) {
            printf("cycle %" PRIu64 " event %" PRIu64 "\n", p->m->cycle, p->m->event);
            print_counts(stdout, p->m->count);
            if (p->m->nmarks) {
                printf("last mark: cycle %" PRIu64 " ", p->m->mark_cycle);
                print_counts(stdout, p->m->mark_count);
            }
            printf("ignored %" PRIu64 "\n", p->m->ignored);
        }
        if (!rc && o.seek_bench)
            rc = seek_bench(&o, ix, p);     /* after --counts: on the same first pass */
    } else if (o.snapshot) {
        rc = snapshot(&o, ix, p, &dg);
    } else {
        rc = vv_window(&o, ix, p, &dg);
    }
    report_problems(&dg);
    vv_play_free(p);
    vv_index_free(ix);
    tr_reader_close(r);
    return rc;
}
