/* The table of guest annotation kinds (see annot_desc.h). Names follow
 * DESIGN.md "Guest annotations"; fields are taken from the record structs of
 * trace/annot.h by offsetof, and sizes by sizeof, so a row cannot disagree
 * with the ABI about where a field lies. */
#include "trace/annot_desc.h"
#include "trace/hex.h"

#include <stdio.h>
#include <string.h>

#define NAMES(arr) { arr, sizeof arr / sizeof arr[0] }

static const char *const use_names[] = {
    [ANNOT_USE_KERNEL] = "kernel", [ANNOT_USE_PGTABLE] = "pgtable", [ANNOT_USE_SLAB] = "slab",
    [ANNOT_USE_VMALLOC] = "vmalloc", [ANNOT_USE_ANON] = "anon", [ANNOT_USE_PCACHE] = "pcache",
    [ANNOT_USE_SWAPCACHE] = "swapcache", [ANNOT_USE_BUFFER] = "buffer",
};
static const char *const policy_names[] = {
    [ANNOT_POLICY_2Q] = "2q", [ANNOT_POLICY_CLOCK] = "clock", [ANNOT_POLICY_FIFO] = "fifo",
};
static const char *const vma_names[] = {
    [ANNOT_VMA_TEXT] = "text", [ANNOT_VMA_DATA] = "data", [ANNOT_VMA_HEAP] = "heap",
    [ANNOT_VMA_ANON] = "anon", [ANNOT_VMA_FILE] = "file", [ANNOT_VMA_STACK] = "stack",
    [ANNOT_VMA_SHM] = "shm",
};
static const char *const list_names[] = { [ANNOT_LIST_INACTIVE] = "inactive", [ANNOT_LIST_ACTIVE] = "active" };
static const char *const who_names[] = { [ANNOT_WHO_KSWAPD] = "kswapd", [ANNOT_WHO_DIRECT] = "direct" };
static const char *const state_names[] = { [ANNOT_KSWAPD_SLEEP] = "sleep", [ANNOT_KSWAPD_WAKE] = "wake" };
static const char *const source_names[] = { [ANNOT_SOURCE_SWAP] = "swap", [ANNOT_SOURCE_FILE] = "file" };

_Static_assert(sizeof use_names / sizeof *use_names == ANNOT_USE_COUNT, "a name per frame use");
_Static_assert(sizeof policy_names / sizeof *policy_names == ANNOT_POLICY_COUNT, "a name per policy");
_Static_assert(sizeof vma_names / sizeof *vma_names == ANNOT_VMA_COUNT, "a name per VMA type");
_Static_assert(sizeof list_names / sizeof *list_names == ANNOT_LIST_COUNT, "a name per LRU list");
_Static_assert(sizeof who_names / sizeof *who_names == ANNOT_WHO_COUNT, "a name per reclaimer");
_Static_assert(sizeof state_names / sizeof *state_names == ANNOT_KSWAPD_STATE_COUNT, "a name per kswapd state");
_Static_assert(sizeof source_names / sizeof *source_names == ANNOT_SOURCE_COUNT, "a name per fault source");

const struct annot_enum annot_frame_uses = NAMES(use_names);
const struct annot_enum annot_policies = NAMES(policy_names);
const struct annot_enum annot_vma_types = NAMES(vma_names);
const struct annot_enum annot_lru_lists = NAMES(list_names);
const struct annot_enum annot_reclaimers = NAMES(who_names);
const struct annot_enum annot_kswapd_states = NAMES(state_names);
const struct annot_enum annot_fault_sources = NAMES(source_names);

/* Fields: NAME, the record struct T and its MEMBER. */
#define DEC(name, T, member)   { name, offsetof(struct T, member), ANNOT_FMT_DEC, NULL }
#define VPAGE(T, member)       { "vpage", offsetof(struct T, member), ANNOT_FMT_VPAGE, NULL }
#define FRAME(name, T, member) { name, offsetof(struct T, member), ANNOT_FMT_FRAME, NULL }
#define TEXT(T, member)        { "name", offsetof(struct T, member), ANNOT_FMT_NAME, NULL }
#define ENUM(name, T, member, values) { name, offsetof(struct T, member), ANNOT_FMT_ENUM, &values }
#define PID(T)                 DEC("pid", T, h.pid)
/* A row: kind K named NAME, record struct T, then its fields. */
#define KIND(K, name, T, ...) \
    [K] = { name, sizeof(struct T), \
            sizeof((const struct annot_field[]){ __VA_ARGS__ }) / sizeof(struct annot_field), \
            { __VA_ARGS__ } }

const struct annot_desc annot_descs[ANNOT_KIND_COUNT] = {
    KIND(ANNOT_PROC_CREATE, "proc-create", annot_proc_create,
         PID(annot_proc_create), DEC("ppid", annot_proc_create, ppid), TEXT(annot_proc_create, name)),
    KIND(ANNOT_EXEC, "exec", annot_exec, PID(annot_exec), TEXT(annot_exec, name)),
    KIND(ANNOT_EXIT, "exit", annot_exit, PID(annot_exit), DEC("status", annot_exit, status)),
    KIND(ANNOT_CTX_SWITCH, "ctx-switch", annot_ctx_switch,
         DEC("from", annot_ctx_switch, h.pid), DEC("to", annot_ctx_switch, to)),
    KIND(ANNOT_ZERO_FILL, "zero-fill", annot_zero_fill,
         PID(annot_zero_fill), VPAGE(annot_zero_fill, vpage), FRAME("frame", annot_zero_fill, frame)),
    KIND(ANNOT_COW_COPY, "cow-copy", annot_cow_copy,
         PID(annot_cow_copy), VPAGE(annot_cow_copy, vpage), FRAME("old_frame", annot_cow_copy, old_frame),
         FRAME("new_frame", annot_cow_copy, new_frame)),
    KIND(ANNOT_EVICT, "evict", annot_evict,
         PID(annot_evict), VPAGE(annot_evict, vpage), FRAME("frame", annot_evict, frame),
         DEC("slot", annot_evict, slot), ENUM("policy", annot_evict, policy, annot_policies)),
    KIND(ANNOT_SWAP_IN, "swap-in", annot_swap_in,
         PID(annot_swap_in), VPAGE(annot_swap_in, vpage), FRAME("frame", annot_swap_in, frame),
         DEC("slot", annot_swap_in, slot)),
    KIND(ANNOT_SWAP_CACHE_HIT, "swap-cache-hit", annot_swap_hit,
         PID(annot_swap_hit), VPAGE(annot_swap_hit, vpage), FRAME("frame", annot_swap_hit, frame)),
    KIND(ANNOT_PCACHE_INSERT, "pcache-insert", annot_pcache,
         PID(annot_pcache), DEC("inode", annot_pcache, inode), DEC("index", annot_pcache, index),
         FRAME("frame", annot_pcache, frame)),
    KIND(ANNOT_PCACHE_EVICT, "pcache-evict", annot_pcache,
         PID(annot_pcache), DEC("inode", annot_pcache, inode), DEC("index", annot_pcache, index),
         FRAME("frame", annot_pcache, frame)),
    KIND(ANNOT_WRITEBACK, "writeback", annot_pcache,
         PID(annot_pcache), DEC("inode", annot_pcache, inode), DEC("index", annot_pcache, index),
         FRAME("frame", annot_pcache, frame)),
    KIND(ANNOT_OOM_KILL, "oom-kill", annot_oom_kill, PID(annot_oom_kill)),
    KIND(ANNOT_MARK, "mark", annot_mark, PID(annot_mark), DEC("label", annot_mark, label)),
    KIND(ANNOT_LRU_MOVE, "lru-move", annot_lru_move,
         PID(annot_lru_move), FRAME("frame", annot_lru_move, frame),
         ENUM("list", annot_lru_move, list, annot_lru_lists)),
    KIND(ANNOT_RECLAIM, "reclaim", annot_reclaim,
         PID(annot_reclaim), ENUM("who", annot_reclaim, who, annot_reclaimers),
         DEC("priority", annot_reclaim, priority), DEC("scanned", annot_reclaim, scanned),
         DEC("freed", annot_reclaim, freed)),
    KIND(ANNOT_KSWAPD, "kswapd", annot_kswapd,
         PID(annot_kswapd), ENUM("state", annot_kswapd, state, annot_kswapd_states),
         DEC("free_pages", annot_kswapd, free_pages)),
    KIND(ANNOT_MAJOR_FAULT, "major-fault", annot_major_fault,
         PID(annot_major_fault), VPAGE(annot_major_fault, vpage),
         ENUM("source", annot_major_fault, source, annot_fault_sources)),
    KIND(ANNOT_SWAP_FREE, "swap-free", annot_swap_free, PID(annot_swap_free), DEC("slot", annot_swap_free, slot)),
    KIND(ANNOT_COW_REUSE, "cow-reuse", annot_cow_reuse,
         PID(annot_cow_reuse), VPAGE(annot_cow_reuse, vpage), FRAME("frame", annot_cow_reuse, frame)),
    KIND(ANNOT_STACK_GROW, "stack-grow", annot_stack_grow, PID(annot_stack_grow), VPAGE(annot_stack_grow, vpage)),
    KIND(ANNOT_FRAME_ALLOC, "frame-alloc", annot_frame_alloc,
         PID(annot_frame_alloc), FRAME("frame", annot_frame_alloc, frame), DEC("order", annot_frame_alloc, order),
         ENUM("use", annot_frame_alloc, use, annot_frame_uses)),
    KIND(ANNOT_FRAME_FREE, "frame-free", annot_frame_free,
         PID(annot_frame_free), FRAME("frame", annot_frame_free, frame), DEC("order", annot_frame_free, order)),
    KIND(ANNOT_PCACHE_HIT, "pcache-hit", annot_pcache_hit,
         PID(annot_pcache_hit), DEC("inode", annot_pcache_hit, inode), DEC("index", annot_pcache_hit, index),
         FRAME("frame", annot_pcache_hit, frame)),
    KIND(ANNOT_FILE_FAULT, "file-fault", annot_file_fault,
         PID(annot_file_fault), VPAGE(annot_file_fault, vpage), DEC("inode", annot_file_fault, inode),
         DEC("index", annot_file_fault, index), FRAME("frame", annot_file_fault, frame)),
    KIND(ANNOT_COMM, "comm", annot_comm, PID(annot_comm), TEXT(annot_comm, name)),
    KIND(ANNOT_NOSYS, "nosys", annot_nosys, PID(annot_nosys), DEC("syscall", annot_nosys, nr)),
    KIND(ANNOT_VMA_MAP, "vma-map", annot_vma_map,
         PID(annot_vma_map), VPAGE(annot_vma_map, vpage), DEC("pages", annot_vma_map, pages),
         ENUM("type", annot_vma_map, type, annot_vma_types)),
    KIND(ANNOT_VMA_UNMAP, "vma-unmap", annot_vma_unmap,
         PID(annot_vma_unmap), VPAGE(annot_vma_unmap, vpage), DEC("pages", annot_vma_unmap, pages)),
};

/* The annotation port validates records against ANNOT_SIZES, the table
 * reads them by these rows: both take their sizes from the record structs,
 * whose sizes trace/annot.h asserts against DESIGN.md's table, and both
 * have one entry per kind. tests/trace checks the rows against ANNOT_SIZES
 * entry by entry. */
_Static_assert(sizeof((const uint16_t[])ANNOT_SIZES) / sizeof(uint16_t) == ANNOT_KIND_COUNT,
               "trace/annot.h: ANNOT_SIZES needs one size per kind");
_Static_assert(sizeof annot_descs / sizeof *annot_descs == ANNOT_KIND_COUNT,
               "trace/annot_desc.c: a row per kind");

const struct annot_desc *annot_desc(unsigned kind)
{
    return kind < ANNOT_KIND_COUNT && annot_descs[kind].name ? &annot_descs[kind] : NULL;
}

const struct annot_desc *annot_desc_of(const uint8_t *rec, size_t size)
{
    const struct annot_desc *d = annot_desc((unsigned)rec[0] | (unsigned)rec[1] << 8);
    return d && size == d->size ? d : NULL;
}

const char *annot_enum_name(const struct annot_enum *e, uint32_t v)
{
    return e && v < e->count ? e->name[v] : NULL;
}

const struct annot_field *annot_field_of(const struct annot_desc *d, enum annot_fmt fmt)
{
    for (unsigned i = 0; d && i < d->nfield; i++)
        if (d->field[i].fmt == fmt)
            return &d->field[i];
    return NULL;
}

void annot_name_text(const uint8_t *name, char *out)
{
    int i;
    for (i = 0; i < ANNOT_NAME_LEN && name[i]; i++) {
        uint8_t c = name[i];
        out[i] = c > 0x20 && c < 0x7F && c != '"' && c != '\\' && c != ',' ? (char)c : '?';
    }
    out[i] = 0;
}

const char *annot_field_text(const uint8_t *rec, const struct annot_field *f, char *buf, size_t len)
{
    uint32_t v = annot_u32(rec, f->off);
    const char *nm;
    switch (f->fmt) {
    case ANNOT_FMT_VPAGE:
    case ANNOT_FMT_FRAME:
        snprintf(buf, len, "%05x", v);
        break;
    case ANNOT_FMT_NAME: {
        char t[ANNOT_NAME_LEN + 1];
        annot_name_text(rec + f->off, t);
        snprintf(buf, len, "%s", t);
        break;
    }
    case ANNOT_FMT_ENUM:
        if ((nm = annot_enum_name(f->values, v)))
            snprintf(buf, len, "%s", nm);
        else
            snprintf(buf, len, "%u", v);    /* a value without a name */
        break;
    default:
        snprintf(buf, len, "%u", v);
    }
    return buf;
}

int annot_format(char *buf, size_t len, const uint8_t *rec, size_t size)
{
    unsigned kind = (unsigned)rec[0] | (unsigned)rec[1] << 8;
    const struct annot_desc *d = annot_desc_of(rec, size);
    size_t n = 0;
    int w;
    /* appends, keeping N the length snprintf would have produced */
#define PUT(...) (w = snprintf(len ? buf + (n < len ? n : len) : NULL, n < len ? len - n : 0, __VA_ARGS__), \
                  n += w > 0 ? (size_t)w : 0)   /* (buf may be NULL when len is 0: no pointer arithmetic on it) */
    if (len)
        buf[0] = 0;
    if (!d) {
        const struct annot_desc *k = annot_desc(kind);
        if (k)
            PUT("%s", k->name);
        else
            PUT("annot-%u", kind);
        PUT(" pid=%u size=%zu bytes=", annot_u32(rec, 4), size);
        /* the bytes as hex, 32 at a time: the same text as one PUT per byte,
         * at a thirtieth of the snprintf calls */
        char t[65];
        for (size_t i = 8; i < size;) {
            size_t k = size - i < 32 ? size - i : 32;
            t[hex_encode(t, rec + i, k)] = 0;
            PUT("%s", t);
            i += k;
        }
        return (int)n;
    }
    PUT("%s", d->name);
    for (unsigned i = 0; i < d->nfield; i++) {
        char v[32];
        PUT(" %s=%s", d->field[i].name, annot_field_text(rec, &d->field[i], v, sizeof v));
    }
#undef PUT
    return (int)n;
}
