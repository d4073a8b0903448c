/* The guest annotation kinds described for the host (the ABI itself is
 * trace/annot.h, which the freestanding guest includes; this header is host
 * side only).
 *
 * One table names every kind and says what each field is and how it prints.
 * Everything that names or prints an annotation goes through it: the
 * annotation port's end-of-run summary (devices/), tr_annot_name (the
 * reader), and vmtrace's dump, export, stats and sim. Adding a kind to
 * trace/annot.h means adding one row here (annot_desc.c, which checks the
 * row count and sizes at compile time). */
#ifndef VMSCOPE_TRACE_ANNOT_DESC_H
#define VMSCOPE_TRACE_ANNOT_DESC_H

#include <stddef.h>
#include <stdint.h>

#include "trace/annot.h"

/* How a field's value prints. */
enum annot_fmt {
    ANNOT_FMT_DEC,              /* a count, id or number: decimal */
    ANNOT_FMT_VPAGE,            /* a virtual page number (address >> 12): hex, 5 digits */
    ANNOT_FMT_FRAME,            /* a physical frame number (address >> 12): hex, 5 digits */
    ANNOT_FMT_NAME,             /* ANNOT_NAME_LEN bytes of text, NUL-padded */
    ANNOT_FMT_ENUM,             /* a value with a name (the field's values table) */
};

/* The names of an enumerated field's values. */
struct annot_enum {
    const char *const *name;    /* indexed by value */
    unsigned count;             /* values with a name */
};

struct annot_field {
    const char *name;           /* "pid", "vpage", "policy", ... */
    uint8_t off;                /* byte offset in the record */
    uint8_t fmt;                /* enum annot_fmt */
    const struct annot_enum *values;    /* ANNOT_FMT_ENUM: the names of its values */
};

#define ANNOT_MAX_FIELDS 5

struct annot_desc {
    const char *name;           /* the kind's one name ("evict"); NULL for kind 0 */
    uint16_t size;              /* exact record size in bytes, header included */
    uint8_t nfield;             /* fields, the header's pid first */
    struct annot_field field[ANNOT_MAX_FIELDS];
};

/* Every kind, indexed by kind; row 0 is no kind. */
extern const struct annot_desc annot_descs[ANNOT_KIND_COUNT];

/* Value names of the enumerated fields (trace/annot.h's enums). */
extern const struct annot_enum annot_frame_uses;    /* kernel pgtable slab vmalloc anon pcache swapcache buffer */
extern const struct annot_enum annot_policies;      /* 2q clock fifo */
extern const struct annot_enum annot_vma_types;     /* text data heap anon file stack shm */
extern const struct annot_enum annot_lru_lists;     /* inactive active */
extern const struct annot_enum annot_reclaimers;    /* kswapd direct */
extern const struct annot_enum annot_kswapd_states; /* sleep wake */
extern const struct annot_enum annot_fault_sources; /* swap file */

/* The row of KIND, or NULL when KIND is no known kind. */
const struct annot_desc *annot_desc(unsigned kind);
/* The row of the record REC of SIZE bytes, or NULL when its kind is
 * unknown or SIZE is not that kind's size (a record a tool must not read
 * fields from). REC holds at least 8 bytes. */
const struct annot_desc *annot_desc_of(const uint8_t *rec, size_t size);

/* The little-endian u32 at byte OFF of REC: a field's value. Tools read a
 * field of a known kind as annot_u32(rec, offsetof(struct annot_evict, slot)). */
static inline uint32_t annot_u32(const uint8_t *rec, size_t off)
{
    const uint8_t *p = rec + off;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The name of value V of E, or NULL when V has none. */
const char *annot_enum_name(const struct annot_enum *e, uint32_t v);
/* The first field of D printed as FMT, or NULL (every kind has at most one
 * name and one virtual page). */
const struct annot_field *annot_field_of(const struct annot_desc *d, enum annot_fmt fmt);
/* A name field as text into OUT[ANNOT_NAME_LEN + 1]: up to the first NUL;
 * bytes that are not printable ASCII, and space, '"', '\\' and ',', become
 * '?' (so the text fits a key=value line, a CSV cell and a JSON string). */
void annot_name_text(const uint8_t *name, char *out);
/* Field F of REC as the dump shows it: "7", "0804d", "2q", "init". An
 * enumerated value without a name prints as its number. Returns BUF. */
const char *annot_field_text(const uint8_t *rec, const struct annot_field *f, char *buf, size_t len);
/* The record as one line of text, each field named:
 *   "evict pid=7 vpage=0804d frame=0017c slot=12 policy=2q"
 * A record of an unknown kind or of the wrong size for its kind shows its
 * header and bytes: "annot-30 pid=7 size=12 bytes=0a000000" (the kind's
 * name instead of annot-K when it has one). Returns what snprintf would. */
int annot_format(char *buf, size_t len, const uint8_t *rec, size_t size);

#endif
