/* vmtrace sweep --collect: the miss-rate plot (tools/vmtrace_sweep.h),
 * drawn once with cairo onto an SVG surface and once onto an image surface
 * written as PNG, so both files show the same picture.
 *
 * Layout: panels stacked in a column, one per workload in order of
 * appearance; x is the named structure's entries on a log2 axis, y the miss
 * rate from 0; a line per series (the configuration less the structure's own
 * term, e.g. "policy=lru"), colours from one table, the legend at the right. */
#include "tools/vmtrace_sweep.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PLOT_W 760.0                /* width of the picture */
#define PANEL_H 300.0               /* height of one panel */
#define MARGIN_L 70.0
#define MARGIN_R 190.0              /* the legend's column */
#define MARGIN_T 40.0
#define MARGIN_B 50.0

static const double colours[][3] = {
    { 0.17, 0.50, 0.72 }, { 0.75, 0.22, 0.17 }, { 0.15, 0.60, 0.30 }, { 0.56, 0.27, 0.68 },
    { 0.90, 0.49, 0.13 }, { 0.20, 0.20, 0.20 }, { 0.09, 0.63, 0.52 }, { 0.83, 0.33, 0.00 },
};
#define NCOLOURS (sizeof colours / sizeof colours[0])

/* A row's point: the entries of its structure, read from "structure=E:W"
 * in its configuration; 0 when the configuration does not give them. */
static double row_entries(const struct vt_plot_row *r)
{
    char key[24];
    snprintf(key, sizeof key, "%s=", r->structure);
    for (const char *p = r->config; (p = strstr(p, key)); p++)
        if (p == r->config || p[-1] == ',')
            return strtod(p + strlen(key), NULL);
    return 0;
}

/* The row's series: its configuration without the structure's term. */
static void row_series(const struct vt_plot_row *r, char *buf, size_t len)
{
    char key[24];
    snprintf(key, sizeof key, "%s=", r->structure);
    size_t o = 0;
    buf[0] = 0;
    char cfg[sizeof r->config];
    snprintf(cfg, sizeof cfg, "%s", r->config);
    char *save = NULL;
    for (char *t = strtok_r(cfg, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (!strncmp(t, key, strlen(key)))
            continue;
        o += (size_t)snprintf(buf + o, o < len ? len - o : 0, "%s%s", o ? "," : "", t);
    }
    if (!buf[0])
        snprintf(buf, len, "policy=%s", r->policy);
}

struct series {
    char name[280];
    size_t *idx;                    /* rows, by entries */
    size_t n;
};

static void draw(cairo_t *cr, const struct vt_plot_row *rows, size_t n, char (*traces)[128], size_t ntraces,
                 struct series *ser, size_t nser)
{
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    for (size_t t = 0; t < ntraces; t++) {
        double top = t * PANEL_H, x0 = MARGIN_L, x1 = PLOT_W - MARGIN_R, y0 = top + PANEL_H - MARGIN_B,
               y1 = top + MARGIN_T;
        double emin = INFINITY, emax = 0, ymax = 0;
        const char *structure = "";
        for (size_t i = 0; i < n; i++) {
            if (strcmp(rows[i].trace, traces[t]))
                continue;
            double e = row_entries(&rows[i]);
            if (e <= 0)
                continue;
            emin = fmin(emin, e);
            emax = fmax(emax, e);
            ymax = fmax(ymax, rows[i].miss_rate);
            structure = rows[i].structure;
        }
        if (!(emax > 0))
            continue;
        if (emax == emin)
            emin /= 2, emax *= 2;
        ymax = ymax > 0 ? ymax * 1.1 : 1;
        double lmin = log2(emin), lmax = log2(emax);
#define PX(e) (x0 + (x1 - x0) * (log2(e) - lmin) / (lmax - lmin))
#define PY(v) (y0 - (y0 - y1) * (v) / ymax)
        char title[300];
        snprintf(title, sizeof title, "%s: %s miss rate against %s entries", traces[t], structure, structure);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_set_font_size(cr, 14);
        cairo_move_to(cr, x0, top + 24);
        cairo_show_text(cr, title);
        cairo_set_font_size(cr, 11);
        cairo_set_line_width(cr, 1);
        for (int k = 0; k <= 4; k++) {     /* horizontal grid and y labels */
            double v = ymax * k / 4, y = PY(v);
            cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
            cairo_move_to(cr, x0, y);
            cairo_line_to(cr, x1, y);
            cairo_stroke(cr);
            char lab[32];
            snprintf(lab, sizeof lab, "%.3g%%", 100 * v);
            cairo_text_extents_t ex;
            cairo_text_extents(cr, lab, &ex);
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_move_to(cr, x0 - 6 - ex.width, y + 4);
            cairo_show_text(cr, lab);
        }
        for (double e = exp2(floor(lmin)); e <= emax * 1.0001; e *= 2) {   /* x ticks at powers of two */
            if (e < emin * 0.9999)
                continue;
            double x = PX(e);
            char lab[32];
            snprintf(lab, sizeof lab, "%.0f", e);
            cairo_text_extents_t ex;
            cairo_text_extents(cr, lab, &ex);
            cairo_move_to(cr, x, y0);
            cairo_line_to(cr, x, y0 + 4);
            cairo_stroke(cr);
            cairo_move_to(cr, x - ex.width / 2, y0 + 17);
            cairo_show_text(cr, lab);
        }
        cairo_move_to(cr, x0, y1);
        cairo_line_to(cr, x0, y0);
        cairo_line_to(cr, x1, y0);
        cairo_stroke(cr);
        cairo_move_to(cr, (x0 + x1) / 2 - 40, y0 + 36);
        cairo_show_text(cr, "entries (log scale)");
        for (size_t s = 0, shown = 0; s < nser; s++) {
            const double *c = colours[s % NCOLOURS];
            size_t pts = 0;
            cairo_set_source_rgb(cr, c[0], c[1], c[2]);
            cairo_set_line_width(cr, 2);
            for (size_t k = 0; k < ser[s].n; k++) {
                const struct vt_plot_row *r = &rows[ser[s].idx[k]];
                if (strcmp(r->trace, traces[t]))
                    continue;
                double x = PX(row_entries(r)), y = PY(r->miss_rate);
                if (pts++)
                    cairo_line_to(cr, x, y);
                else
                    cairo_move_to(cr, x, y);
            }
            cairo_stroke(cr);
            for (size_t k = 0; k < ser[s].n; k++) {
                const struct vt_plot_row *r = &rows[ser[s].idx[k]];
                if (strcmp(r->trace, traces[t]))
                    continue;
                cairo_arc(cr, PX(row_entries(r)), PY(r->miss_rate), 3, 0, 2 * M_PI);
                cairo_fill(cr);
            }
            if (!pts)
                continue;
            double ly = y1 + 16 * (double)shown++;
            cairo_rectangle(cr, x1 + 14, ly - 8, 18, 3);
            cairo_fill(cr);
            cairo_set_source_rgb(cr, 0, 0, 0);
            cairo_move_to(cr, x1 + 38, ly - 2);
            cairo_show_text(cr, ser[s].name);
        }
#undef PX
#undef PY
    }
}

int vt_plot_missrate(const struct vt_plot_row *rows, size_t n, const char *svg, const char *png)
{
    char (*traces)[128] = vt_xcalloc(n ? n : 1, sizeof *traces);
    struct series *ser = vt_xcalloc(n ? n : 1, sizeof *ser);
    size_t ntraces = 0, nser = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(rows[i].structure, "all") || row_entries(&rows[i]) <= 0)
            continue;
        size_t t;
        for (t = 0; t < ntraces && strcmp(traces[t], rows[i].trace); t++)
            ;
        if (t == ntraces)
            snprintf(traces[ntraces++], sizeof traces[0], "%s", rows[i].trace);
        char name[280];
        row_series(&rows[i], name, sizeof name);
        size_t s;
        for (s = 0; s < nser && strcmp(ser[s].name, name); s++)
            ;
        if (s == nser) {
            snprintf(ser[nser].name, sizeof ser[0].name, "%s", name);
            ser[nser++].idx = vt_xcalloc(n, sizeof *ser[0].idx);
        }
        /* keep each series sorted by entries (insertion: sweeps are small) */
        size_t k = ser[s].n++;
        double e = row_entries(&rows[i]);
        while (k > 0 && row_entries(&rows[ser[s].idx[k - 1]]) > e) {
            ser[s].idx[k] = ser[s].idx[k - 1];
            k--;
        }
        ser[s].idx[k] = i;
    }
    double height = PANEL_H * (double)(ntraces ? ntraces : 1);
    int rc = 0;
    cairo_surface_t *sv = cairo_svg_surface_create(svg, PLOT_W, height);
    cairo_t *cr = cairo_create(sv);
    draw(cr, rows, n, traces, ntraces, ser, nser);
    if (!ntraces) {
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_move_to(cr, 20, 40);
        cairo_show_text(cr, "no TLB rows that name a structure's entries");
    }
    cairo_destroy(cr);
    cairo_surface_finish(sv);
    if (cairo_surface_status(sv) != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "vmtrace sweep: %s: %s\n", svg, cairo_status_to_string(cairo_surface_status(sv)));
        rc = 1;
    }
    cairo_surface_destroy(sv);
    cairo_surface_t *im = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)PLOT_W, (int)height);
    cr = cairo_create(im);
    draw(cr, rows, n, traces, ntraces, ser, nser);
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png(im, png);
    if (st != CAIRO_STATUS_SUCCESS) {
        fprintf(stderr, "vmtrace sweep: %s: %s\n", png, cairo_status_to_string(st));
        rc = 1;
    }
    cairo_surface_destroy(im);
    for (size_t s = 0; s < nser; s++)
        free(ser[s].idx);
    free(ser);
    free(traces);
    /* the fonts cairo found through fontconfig stay cached until these
     * (they would show as leaks under the sanitizer builds) */
    cairo_debug_reset_static_data();
    FcFini();
    return rc;
}
