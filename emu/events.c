/* `vmscope run --events`: memory-management events as lines of text (see
 * events.h). */
#include "emu/events.h"
#include "emu/symbols.h"
#include "trace/annot_desc.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Annotation kinds that resolve the fault before them (their text joins
 * the fault's line), with how each prints its part. */
typedef int resolve_fn(char *buf, size_t len, const uint8_t *rec);

static int r_zero(char *b, size_t n, const uint8_t *r)
{
    return snprintf(b, n, "zero-fill frame 0x%03x", annot_u32(r, offsetof(struct annot_zero_fill, frame)));
}
static int r_cow(char *b, size_t n, const uint8_t *r)
{
    return snprintf(b, n, "cow-copy frame 0x%03x (from 0x%03x)", annot_u32(r, offsetof(struct annot_cow_copy, new_frame)),
                    annot_u32(r, offsetof(struct annot_cow_copy, old_frame)));
}
static int r_reuse(char *b, size_t n, const uint8_t *r)
{
    return snprintf(b, n, "cow-reuse frame 0x%03x", annot_u32(r, offsetof(struct annot_cow_reuse, frame)));
}
static int r_swapin(char *b, size_t n, const uint8_t *r)
{
    return snprintf(b, n, "swap-in frame 0x%03x from slot %u", annot_u32(r, offsetof(struct annot_swap_in, frame)),
                    annot_u32(r, offsetof(struct annot_swap_in, slot)));
}
static int r_hit(char *b, size_t n, const uint8_t *r)
{
    return snprintf(b, n, "swap-cache-hit frame 0x%03x", annot_u32(r, offsetof(struct annot_swap_hit, frame)));
}
static int r_major(char *b, size_t n, const uint8_t *r)
{
    const char *src = annot_enum_name(&annot_fault_sources, annot_u32(r, offsetof(struct annot_major_fault, source)));
    return snprintf(b, n, "major (%s)", src ? src : "?");
}
static int r_file(char *b, size_t n, const uint8_t *r)
{
    return snprintf(b, n, "file-fault inode %u page %u frame 0x%03x", annot_u32(r, offsetof(struct annot_file_fault, inode)),
                    annot_u32(r, offsetof(struct annot_file_fault, index)),
                    annot_u32(r, offsetof(struct annot_file_fault, frame)));
}
static int r_stack(char *b, size_t n, const uint8_t *r)
{
    return snprintf(b, n, "stack-grow to %05x", annot_u32(r, offsetof(struct annot_stack_grow, vpage)));
}

static resolve_fn *const resolvers[ANNOT_KIND_COUNT] = {
    [ANNOT_ZERO_FILL] = r_zero,   [ANNOT_COW_COPY] = r_cow,    [ANNOT_COW_REUSE] = r_reuse,
    [ANNOT_SWAP_IN] = r_swapin,   [ANNOT_SWAP_CACHE_HIT] = r_hit, [ANNOT_MAJOR_FAULT] = r_major,
    [ANNOT_FILE_FAULT] = r_file,  [ANNOT_STACK_GROW] = r_stack,
};

/* Kinds left out by default: bookkeeping rather than events a reader follows. */
static const uint8_t quiet_kinds[] = { ANNOT_CTX_SWITCH, ANNOT_LRU_MOVE, ANNOT_FRAME_ALLOC, ANNOT_FRAME_FREE,
                                       ANNOT_MARK, ANNOT_NOSYS, ANNOT_KSWAPD, ANNOT_VMA_MAP, ANNOT_VMA_UNMAP,
                                       ANNOT_SWAP_FREE, ANNOT_PCACHE_HIT };

#define MASK_FAULT 1ull     /* bit 0: faults (no annotation kind is 0) */

bool ev_kinds_parse(const char *kinds, uint64_t *mask, char *err, size_t errlen)
{
    uint64_t all = MASK_FAULT;
    for (unsigned k = 1; k < ANNOT_KIND_COUNT; k++)
        all |= 1ull << k;
    if (!kinds || !*kinds) {
        *mask = all;
        for (size_t i = 0; i < sizeof quiet_kinds; i++)
            *mask &= ~(1ull << quiet_kinds[i]);
        return true;
    }
    *mask = 0;
    const char *p = kinds;
    while (*p) {
        size_t n = strcspn(p, ",");
        char w[32];
        snprintf(w, sizeof w, "%.*s", (int)(n < sizeof w - 1 ? n : sizeof w - 1), p);
        unsigned k = 0;
        if (!strcmp(w, "all"))
            *mask |= all;
        else if (!strcmp(w, "fault"))
            *mask |= MASK_FAULT;
        else {
            for (k = 1; k < ANNOT_KIND_COUNT && strcmp(annot_descs[k].name, w); k++)
                ;
            if (k == ANNOT_KIND_COUNT) {
                snprintf(err, errlen, "--events: unknown kind '%s' (fault, all, or an annotation kind: "
                                      "zero-fill, cow-copy, evict, swap-in, ...)", w);
                return false;
            }
            *mask |= 1ull << k;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return true;
}

/* ------------------------------------------------------------ processes */

struct prog {
    char name[ANNOT_NAME_LEN + 1];
    struct symtab *syms;            /* NULL: no ELF found */
};

struct proc {
    uint32_t pid;
    char name[ANNOT_NAME_LEN + 1];
    int prog;                       /* index in progs, -1 none */
};

struct ev_printer {
    struct tr_reader *r;
    uint64_t mask;
    const char *symdir;
    FILE *out;
    struct proc *proc;
    size_t nproc, proccap;
    struct prog *prog;
    size_t nprog, progcap;
    /* the fault waiting for its resolution */
    bool pending;
    uint32_t pend_pid;
    char line[512];
    size_t len;
    unsigned parts;
    /* lines of other records that came while it waited: printed after it,
     * so the order of events is kept */
    char *later;
    size_t nlater, laterlen;
};

struct ev_printer *ev_printer_new(struct tr_reader *r, uint64_t mask, const char *symdir, FILE *out)
{
    struct ev_printer *p = calloc(1, sizeof *p);
    if (p) {
        p->r = r;
        p->mask = mask;
        p->symdir = symdir;
        p->out = out;
    }
    return p;
}

void ev_printer_free(struct ev_printer *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nprog; i++)
        symtab_free(p->prog[i].syms);
    free(p->prog);
    free(p->proc);
    free(p->later);
    free(p);
}

static struct proc *find_proc(struct ev_printer *p, uint32_t pid, bool make)
{
    for (size_t i = p->nproc; i-- > 0;)
        if (p->proc[i].pid == pid)
            return &p->proc[i];
    if (!make)
        return NULL;
    if (p->nproc == p->proccap) {
        size_t cap = p->proccap ? p->proccap * 2 : 32;
        struct proc *n = realloc(p->proc, cap * sizeof *n);
        if (!n)
            return NULL;
        p->proc = n;
        p->proccap = cap;
    }
    struct proc *x = &p->proc[p->nproc++];
    *x = (struct proc){ pid, "", -1 };
    return x;
}

/* The program NAME's symbols: SYMDIR/NAME.elf, read once. */
static int load_prog(struct ev_printer *p, const char *name)
{
    for (size_t i = 0; i < p->nprog; i++)
        if (!strcmp(p->prog[i].name, name))
            return (int)i;
    if (p->nprog == p->progcap) {
        size_t cap = p->progcap ? p->progcap * 2 : 16;
        struct prog *n = realloc(p->prog, cap * sizeof *n);
        if (!n)
            return -1;
        p->prog = n;
        p->progcap = cap;
    }
    struct prog *g = &p->prog[p->nprog];
    snprintf(g->name, sizeof g->name, "%s", name);
    g->syms = NULL;
    if (p->symdir && name[0] && !strchr(name, '/')) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.elf", p->symdir, name);
        g->syms = symtab_new();
        if (g->syms && !symtab_add_elf_file(g->syms, path)) {
            symtab_free(g->syms);
            g->syms = NULL;
        }
    }
    return (int)p->nprog++;
}

static void on_names(struct ev_printer *p, unsigned kind, const uint8_t *rec, uint32_t pid)
{
    char name[ANNOT_NAME_LEN + 1];
    struct proc *x = find_proc(p, pid, true);
    if (!x)
        return;
    size_t off = kind == ANNOT_PROC_CREATE ? offsetof(struct annot_proc_create, name)
               : kind == ANNOT_EXEC ? offsetof(struct annot_exec, name) : offsetof(struct annot_comm, name);
    annot_name_text(rec + off, name);
    snprintf(x->name, sizeof x->name, "%s", name);
    if (kind == ANNOT_EXEC) {
        x->prog = load_prog(p, name);
    } else if (kind == ANNOT_PROC_CREATE) {
        /* fork: the child runs its parent's program */
        struct proc *parent = find_proc(p, annot_u32(rec, offsetof(struct annot_proc_create, ppid)), false);
        x = find_proc(p, pid, false);
        x->prog = parent ? parent->prog : -1;
    }
}

static const char *proc_name(struct ev_printer *p, uint32_t pid)
{
    struct proc *x = find_proc(p, pid, false);
    return x && x->name[0] ? x->name : "?";
}

/* EIP as function+offset: the kernel's from the trace, a user program's
 * from its ELF, else hex. */
static const char *where(struct ev_printer *p, uint32_t pid, uint32_t eip, char *buf, size_t len)
{
    struct proc *x = find_proc(p, pid, false);
    if (eip < 0xC0000000u && x && x->prog >= 0 && p->prog[x->prog].syms) {
        uint32_t off;
        const struct symbol *s = symtab_lookup(p->prog[x->prog].syms, eip, &off);
        if (s) {
            snprintf(buf, len, off ? "%s+0x%x" : "%s", s->name, off);
            return buf;
        }
    }
    if (*tr_reader_symbolize(p->r, pid, eip, buf, len))
        return buf;
    snprintf(buf, len, "%08x", eip);
    return buf;
}

/* ------------------------------------------------------------ lines */

void ev_printer_flush(struct ev_printer *p)
{
    if (!p->pending)
        return;
    fprintf(p->out, "%s%s\n", p->line, p->parts ? "" : " → (no record)");
    if (p->nlater)
        fwrite(p->later, 1, p->nlater, p->out);
    p->nlater = 0;
    p->pending = false;
}

/* One line: now, or after the fault that waits for its resolution. */
static void emit_line(struct ev_printer *p, const char *line)
{
    size_t n = strlen(line);
    if (!p->pending) {
        fputs(line, p->out);
        return;
    }
    if (p->nlater + n > p->laterlen) {
        size_t cap = p->laterlen ? p->laterlen * 2 : 4096;
        while (cap < p->nlater + n)
            cap *= 2;
        char *b = cap <= (64u << 20) ? realloc(p->later, cap) : NULL;
        if (!b) {                               /* too much waiting: let the fault go */
            ev_printer_flush(p);
            fputs(line, p->out);
            return;
        }
        p->later = b;
        p->laterlen = cap;
    }
    memcpy(p->later + p->nlater, line, n);
    p->nlater += n;
}

static void on_fault(struct ev_printer *p, const struct tr_event *ev)
{
    ev_printer_flush(p);
    if (!(p->mask & MASK_FAULT))
        return;
    uint32_t err = ev->u.fault.err, pid = ev->pid;
    char at[160];
    p->len = (size_t)snprintf(p->line, sizeof p->line, "fault  pid %-3u %-12s %-5s %08x%s in %s", pid,
                              proc_name(p, pid), err & 2 ? "write" : "read", ev->u.fault.cr2,
                              err & 1 ? " (protection)" : "", where(p, pid, ev->u.fault.eip, at, sizeof at));
    if (p->len >= sizeof p->line)
        p->len = sizeof p->line - 1;
    p->pending = true;
    p->pend_pid = pid;
    p->parts = 0;
}

static void on_annot(struct ev_printer *p, const struct tr_event *ev)
{
    const uint8_t *rec = ev->u.annot.rec;
    size_t size = ev->u.annot.size <= sizeof ev->u.annot.rec ? ev->u.annot.size : 0;
    const struct annot_desc *d = annot_desc_of(rec, size);
    if (!d)
        return;
    unsigned kind = ev->u.annot.kind;
    uint32_t pid = annot_u32(rec, offsetof(struct annot_hdr, pid));
    if (kind == ANNOT_PROC_CREATE || kind == ANNOT_EXEC || kind == ANNOT_COMM)
        on_names(p, kind, rec, pid);
    bool names_page = !(kind == ANNOT_SWAP_IN && annot_u32(rec, offsetof(struct annot_swap_in, vpage)) == ANNOT_NO_VPAGE);
    if (p->pending && resolvers[kind] && pid == p->pend_pid && names_page) {
        char part[160];
        resolvers[kind](part, sizeof part, rec);
        int n = snprintf(p->line + p->len, sizeof p->line - p->len, "%s%s", p->parts ? ", " : " → ", part);
        if (n > 0)
            p->len += (size_t)n < sizeof p->line - p->len ? (size_t)n : sizeof p->line - p->len - 1;
        p->parts++;
        return;
    }
    if (!(p->mask & (1ull << kind)))
        return;
    /* "kind   pid N name  field=value ..." from the one table of kinds */
    char fields[256] = "", v[64], line[400];
    size_t len = 0;
    for (unsigned i = 1; i < d->nfield && len < sizeof fields; i++)
        len += (size_t)snprintf(fields + len, sizeof fields - len, " %s=%s", d->field[i].name,
                                annot_field_text(rec, &d->field[i], v, sizeof v));
    snprintf(line, sizeof line, "%-6s pid %-3u %-12s%s\n", d->name, pid, proc_name(p, pid), fields);
    emit_line(p, line);
}

void ev_printer_record(struct ev_printer *p, const struct tr_event *ev)
{
    if (ev->kind == TRK_FAULT)
        on_fault(p, ev);
    else if (ev->kind == TRK_ANNOT)
        on_annot(p, ev);
}
