/* Records as CSV columns (trace/columns.h). */
#include "trace/columns.h"
#include "trace/annot_desc.h"

#include <inttypes.h>
#include <string.h>

const char tr_columns_header[] =
    "event,count,cycle,exact,kind,cr3,pid,access,implicit,lin,phys,outcome,tlb,cycles,cpl,"
    "global,large,addr,value,addr2,value2,aux,text";

/* The kind-specific columns, in CSV order after pid. */
enum col {
    C_ACCESS, C_IMPLICIT, C_LIN, C_PHYS, C_OUTCOME, C_TLB, C_CYCLES, C_CPL, C_GLOBAL, C_LARGE,
    C_ADDR, C_VALUE, C_ADDR2, C_VALUE2, C_AUX, C_TEXT, C_N
};
#define B(c) (1u << (c))

/* Which of them each kind fills (the others are empty in the CSV, 0 in a
 * struct vmt_record). */
static unsigned col_mask(unsigned kind)
{
    switch (kind) {
    case TRK_XLATE:
        return B(C_ACCESS) | B(C_IMPLICIT) | B(C_LIN) | B(C_PHYS) | B(C_OUTCOME) | B(C_TLB) |
               B(C_CYCLES) | B(C_CPL) | B(C_GLOBAL) | B(C_LARGE);
    case TRK_WALK: return B(C_LIN) | B(C_ADDR) | B(C_VALUE) | B(C_ADDR2) | B(C_VALUE2) | B(C_AUX);
    case TRK_FAULT: return B(C_CPL) | B(C_ADDR) | B(C_VALUE) | B(C_ADDR2) | B(C_TEXT);
    case TRK_FLUSH: return B(C_ADDR) | B(C_VALUE) | B(C_TEXT);
    case TRK_CR3: return B(C_ADDR) | B(C_VALUE);
    case TRK_DISK: return B(C_ADDR) | B(C_VALUE) | B(C_TEXT);
    case TRK_SYNC: return B(C_VALUE);
    case TRK_ANNOT: return B(C_AUX) | B(C_TEXT);
    default: return B(C_AUX);
    }
}

void tr_columns(struct tr_reader *r, const struct tr_event *ev, struct vmt_record *o, char text[TR_TEXT_MAX])
{
    text[0] = 0;
    if (ev->kind == TRK_XLATE) {
        tr_columns_xlate(ev, o);
        return;
    }
    memset(o, 0, sizeof *o);
    o->event = ev->event;
    o->count = ev->count;
    o->cycle = ev->cycle;
    o->exact = ev->cycle_exact;
    o->kind = ev->kind < TRK_NKINDS ? ev->kind : VMT_KIND_UNKNOWN;
    o->cr3 = ev->cr3;
    o->pid = (int32_t)ev->pid;
    switch (ev->kind) {
    case TRK_WALK:
        o->lin = ev->u.walk.lin;
        o->addr = ev->u.walk.pde_addr;
        o->value = ev->u.walk.pde;
        o->addr2 = ev->u.walk.pte_addr;
        o->value2 = ev->u.walk.pte;
        o->aux = ev->u.walk.ad_set;
        break;
    case TRK_FAULT: {
        o->cpl = ev->u.fault.cpl;
        o->addr = ev->u.fault.cr2;
        o->value = ev->u.fault.err;
        o->addr2 = ev->u.fault.eip;
        /* the function, at most 47 bytes; quotes, backslashes and commas
         * (from a hostile file) become '?' */
        char fn[48];
        tr_reader_symbolize(r, ev->pid, ev->u.fault.eip, fn, sizeof fn);
        for (char *p = fn; *p; p++)
            if (*p == '"' || *p == '\\' || *p == ',')
                *p = '?';
        memcpy(text, fn, sizeof fn);
        break;
    }
    case TRK_FLUSH:
        o->addr = ev->u.flush.addr;
        o->value = ev->u.flush.dropped;
        snprintf(text, TR_TEXT_MAX, "%s", tr_flush_name(ev->u.flush.kind));
        break;
    case TRK_CR3:
        o->addr = ev->u.cr3.old_cr3;
        o->value = ev->u.cr3.new_cr3;
        break;
    case TRK_DISK:
        o->addr = ev->u.disk.lba;
        o->value = ev->u.disk.count;
        snprintf(text, TR_TEXT_MAX, "%s", ev->u.disk.dir ? "write" : "read");
        break;
    case TRK_SYNC:
        o->value = ev->u.sync.insns;
        break;
    case TRK_ANNOT:
        o->aux = ev->u.annot.kind;
        annot_format(text, TR_TEXT_MAX, ev->u.annot.rec, ev->u.annot.size);
        break;
    default:
        o->aux = ev->u.unknown.kind;
    }
}

void tr_columns_csv(FILE *f, const struct vmt_record *o, const char *text)
{
    const char *kind = o->kind == VMT_KIND_UNKNOWN ? "unknown" : vmt_code_name(VMT_COL_KIND, o->kind);
    fprintf(f, "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%d,%s,%u,%d,", o->event, o->count, o->cycle, o->exact,
            kind, o->cr3, o->pid);
    unsigned m = col_mask(o->kind == VMT_KIND_UNKNOWN ? 0xFFu : o->kind);
    char v[C_N][24];
    memset(v, 0, sizeof v);
    if (m & B(C_ACCESS))
        snprintf(v[C_ACCESS], 24, "%s", vmt_code_name(VMT_COL_ACCESS, o->access));
    if (m & B(C_IMPLICIT))
        snprintf(v[C_IMPLICIT], 24, "%u", o->implicit);
    if (m & B(C_LIN))
        snprintf(v[C_LIN], 24, "%u", o->lin);
    if (m & B(C_PHYS))
        snprintf(v[C_PHYS], 24, "%u", o->phys);
    if (m & B(C_OUTCOME))
        snprintf(v[C_OUTCOME], 24, "%s", vmt_code_name(VMT_COL_OUTCOME, o->outcome));
    if (m & B(C_TLB))
        snprintf(v[C_TLB], 24, "%s", vmt_code_name(VMT_COL_TLB, o->tlb));
    if (m & B(C_CYCLES))
        snprintf(v[C_CYCLES], 24, "%u", o->cycles);
    if (m & B(C_CPL))
        snprintf(v[C_CPL], 24, "%u", o->cpl);
    if (m & B(C_GLOBAL))
        snprintf(v[C_GLOBAL], 24, "%u", o->global);
    if (m & B(C_LARGE))
        snprintf(v[C_LARGE], 24, "%u", o->large);
    if (m & B(C_ADDR))
        snprintf(v[C_ADDR], 24, "%" PRIu64, o->addr);
    if (m & B(C_VALUE))
        snprintf(v[C_VALUE], 24, "%" PRIu64, o->value);
    if (m & B(C_ADDR2))
        snprintf(v[C_ADDR2], 24, "%u", o->addr2);
    if (m & B(C_VALUE2))
        snprintf(v[C_VALUE2], 24, "%u", o->value2);
    if (m & B(C_AUX))
        snprintf(v[C_AUX], 24, "%u", o->aux);
    for (int k = 0; k < C_TEXT; k++)
        fprintf(f, "%s,", v[k]);
    if (o->kind == TRK_ANNOT)
        fprintf(f, "\"%s\"\n", text);   /* annotation text has no quotes */
    else
        fprintf(f, "%s\n", text);
}

uint32_t tr_event_page(const struct tr_event *ev)
{
    switch (ev->kind) {
    case TRK_XLATE: return ev->u.xlate.lin >> 12;
    case TRK_WALK: return ev->u.walk.lin >> 12;
    case TRK_FAULT: return ev->u.fault.cr2 >> 12;
    case TRK_FLUSH: return ev->u.flush.kind == TR_FLUSH_PAGE ? ev->u.flush.addr >> 12 : 0xFFFFFFFFu;
    case TRK_ANNOT: {   /* the record's virtual page, when it names one */
        const struct annot_field *f =
            annot_field_of(annot_desc_of(ev->u.annot.rec, ev->u.annot.size), ANNOT_FMT_VPAGE);
        return f ? annot_u32(ev->u.annot.rec, f->off) : 0xFFFFFFFFu;
    }
    default: return 0xFFFFFFFFu;
    }
}

void tr_select_init(struct tr_select *s)
{
    memset(s, 0, sizeof *s);
    s->kinds = 0xFFFFFFFFu;
    s->cycle_hi = UINT64_MAX;
}

bool tr_select_match(const struct tr_select *s, const struct tr_event *ev)
{
    if (ev->kind < 32 && !(s->kinds & (1u << ev->kind)))
        return false;
    if (s->by_pid && ev->pid != s->pid &&
        !(ev->kind == TRK_ANNOT && ev->u.annot.pid == s->pid))
        return false;
    if (s->by_page) {
        uint32_t p = tr_event_page(ev);
        if (p == 0xFFFFFFFFu || p < s->page_lo || p > s->page_hi)
            return false;
    }
    if (s->by_cycle && (ev->cycle < s->cycle_lo || ev->cycle > s->cycle_hi))
        return false;
    return true;
}
