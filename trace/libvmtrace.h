/* libvmtrace: reading vmscope trace files (.vmt) from any program.
 *
 * The stable C API of the trace reader, installed as <vmscope/libvmtrace.h>
 * with libvmtrace.so.1 and libvmtrace.pc (`pkg-config --cflags --libs
 * libvmtrace`). docs/libvmtrace.md is the guide; docs/trace-format.md is
 * the file format.
 *
 * Stability: everything declared here keeps its meaning and its binary
 * layout for as long as the soname is libvmtrace.so.1. New functions and
 * new codes may be added; struct vmt_record and struct vmt_chunk never
 * change size or field offsets (their reserved bytes are zero). The library
 * exports other symbols (the reader's internals, which vmtrace uses) under
 * a version node named after the vmscope release: they are not part of this
 * API and change without notice.
 *
 * One record is one row of `vmtrace export --format csv`: the same records
 * in the same order (translations: one record per run of identical ones,
 * `count` of them), the same columns. A column that the CSV leaves empty
 * for a record's kind is 0 here; the CSV's words (kind, access, outcome,
 * tlb) are small codes named by vmt_code_name, and its text column is an id
 * into the handle's table of strings (vmt_text).
 *
 * A handle is used by one thread at a time; separate handles on the same
 * file are independent. Nothing here writes to the file. */
#ifndef VMSCOPE_LIBVMTRACE_H
#define VMSCOPE_LIBVMTRACE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMT_API_VERSION 1           /* the soname's number */

/* Codes of the CSV export's word columns (vmt_code_name). */
enum vmt_column {
    VMT_COL_KIND = 0,               /* 0 xlate, 1 walk, 2 fault, 3 flush, 4 cr3, 5 disk, 6 annot,
                                       7 sync, 255 unknown (a kind newer than this library) */
    VMT_COL_ACCESS = 1,             /* 0 "", 1 fetch, 2 read, 3 write, 4 kind3 */
    VMT_COL_OUTCOME = 2,            /* 0 "", 1 hit, 2 miss, 3 hit-fault, 4 miss-fault, 5 hit-dirty, 6 ? */
    VMT_COL_TLB = 3,                /* 0 "", 1 itlb, 2 dtlb, 3 ltlb, 4 stlb, 5 utlb, 6 tlb5, 7 tlb6, 8 none */
};
#define VMT_KIND_UNKNOWN 255

/* One record: one CSV row. 88 bytes, no implicit padding. */
struct vmt_record {
    uint64_t event;                 /* event number (of the first translation of a run) */
    uint64_t count;                 /* translations in this record: 1 unless a run */
    uint64_t cycle;                 /* cycle (see exact) */
    uint64_t addr;                  /* walk: PDE address; fault: CR2; flush: address; cr3: old CR3;
                                       disk: LBA */
    uint64_t value;                 /* walk: PDE; fault: error code; flush: entries dropped;
                                       cr3: new CR3; disk: sectors; sync: instructions */
    uint32_t cr3;                   /* address space in force */
    int32_t pid;                    /* pid in force, -1 unknown */
    uint32_t lin;                   /* xlate, walk: linear address */
    uint32_t phys;                  /* xlate: physical address */
    uint32_t cycles;                /* xlate: cycles charged */
    uint32_t addr2;                 /* walk: PTE address; fault: EIP */
    uint32_t value2;                /* walk: PTE */
    uint32_t aux;                   /* walk: A/D bits set; annot: its kind; unknown: its kind byte */
    uint32_t text;                  /* id of the text column (vmt_text; 0 = ""): fault: the function
                                       at EIP; flush: cr3|all|page; disk: read|write; annot: the
                                       record, each field named, as `vmtrace dump` prints it */
    uint8_t kind;                   /* VMT_COL_KIND code */
    uint8_t exact;                  /* 0: a translation timed by the record before it */
    uint8_t access;                 /* VMT_COL_ACCESS code */
    uint8_t implicit;               /* xlate: 1 for an implicit access */
    uint8_t outcome;                /* VMT_COL_OUTCOME code */
    uint8_t tlb;                    /* VMT_COL_TLB code */
    uint8_t cpl;                    /* xlate, fault: privilege level */
    uint8_t global;                 /* xlate: G bit */
    uint8_t large;                  /* xlate: 4 MiB page */
    uint8_t reserved[3];            /* zero */
};

/* One chunk of the file, as its index knows it. */
struct vmt_chunk {
    uint64_t first_event;           /* event number of its first record */
    uint64_t events;                /* events in it (translations one each): at least its records */
    uint64_t first_cycle;           /* cycle of its first record */
    uint64_t last_cycle;            /* cycle of its last record */
    uint32_t cr3;                   /* address space at its start */
    int32_t pid;                    /* pid at its start, -1 unknown */
    uint64_t reserved[2];           /* zero */
};

typedef struct vmt_trace vmt_trace;

/* Versions: the vmscope release this library comes from ("0.1.0") and the
 * trace format it reads and vmscope writes ("3.0"). */
const char *vmt_version(void);
const char *vmt_format_version(void);

/* Open the trace at PATH. NULL when it cannot be read as a trace, with one
 * line naming the file and the reason in ERR (when ERRLEN > 0). A file that
 * lacks its index (the emulator was killed) opens: its complete chunks are
 * found by scanning. Damaged chunks are skipped when read. */
vmt_trace *vmt_open(const char *path, char *err, size_t errlen);
void vmt_close(vmt_trace *t);

/* The file header, as NAME = VALUE text fields (format, vmscope_version,
 * ram_bytes, tlb_spec, cycle_model, cpu_mhz, kernel, kernel_sha256,
 * cmdline, kinds, filter, detail, chunk_bytes, chunk_cycles, sync_cycles,
 * level). Field I of vmt_header_count(t): returns 1 and sets *NAME and
 * *VALUE (and *NUMERIC: 1 when VALUE is a decimal integer), 0 past the end.
 * The strings live as long as T. */
size_t vmt_header_count(const vmt_trace *t);
int vmt_header_field(const vmt_trace *t, size_t i, const char **name, const char **value, int *numeric);

/* Chunks: how many, and what the index says of chunk I (0 past the end). */
size_t vmt_nchunks(const vmt_trace *t);
int vmt_chunk_info(const vmt_trace *t, size_t i, struct vmt_chunk *out);

/* Filters, applied by vmt_read, vmt_read_chunk and vmt_count, with the
 * meaning of `vmtrace export`'s options; each replaces its previous
 * setting and all start off.
 *   kinds:  bit K set keeps kind K (VMT_COL_KIND codes 0..7); a record of an
 *           unknown kind is always kept (export --kind)
 *   pid:    records while PID runs, and annotations about PID; -1 = off (--pid)
 *   pages:  records about linear pages LO..HI, address >> 12 (--page)
 *   cycles: records whose cycle is in LO..HI (--from, --to) */
void vmt_filter_kinds(vmt_trace *t, uint32_t mask);
void vmt_filter_pid(vmt_trace *t, int64_t pid);
void vmt_filter_pages(vmt_trace *t, uint32_t lo, uint32_t hi);
void vmt_filter_cycles(vmt_trace *t, uint64_t lo, uint64_t hi);
void vmt_filter_clear(vmt_trace *t);

/* Reading in order. vmt_read decodes up to MAX records that pass the
 * filters, from the current position, into OUT; a batch never spans two
 * chunks. Returns how many; 0 at the end. vmt_tell is the chunk the next
 * record comes from (vmt_nchunks at the end). */
size_t vmt_read(vmt_trace *t, struct vmt_record *out, size_t max);
size_t vmt_tell(const vmt_trace *t);
/* Position at chunk I, at the first record whose event number is >= EVENT,
 * or at the first whose cycle is >= CYCLE (through the index). */
void vmt_seek_chunk(vmt_trace *t, size_t i);
void vmt_seek_event(vmt_trace *t, uint64_t event);
void vmt_seek_cycle(vmt_trace *t, uint64_t cycle);

/* Every record of chunk I that passes the filters, into OUT (room for MAX;
 * the chunk's `events` is always enough). Returns how many, and leaves the
 * position at chunk I + 1. */
size_t vmt_read_chunk(vmt_trace *t, size_t i, struct vmt_record *out, size_t max);

/* Records that pass the filters in the whole file (decodes every chunk):
 * with no filter, the rows of `vmtrace export --format csv`. Leaves the
 * position at the end. */
uint64_t vmt_count(vmt_trace *t);

/* The text of id ID ("" for 0 or an id never given), and how many ids
 * this handle has given (ids are 0 .. vmt_text_count - 1, first come first
 * numbered; the same text always gets the same id on one handle). */
const char *vmt_text(const vmt_trace *t, uint32_t id);
uint32_t vmt_text_count(const vmt_trace *t);
/* From now on T numbers texts in the table of WITH (another handle, on
 * the same file or not): an id means the same text on both, so threads
 * reading chunks on handles of their own need not renumber what they
 * read. T's earlier ids are no longer valid (call it before reading). The
 * table lives until the last handle using it is closed; handles sharing it
 * may still be used by different threads at once. Added after the first
 * release: version node VMTRACE_1.1. */
void vmt_share_text(vmt_trace *t, vmt_trace *with);

/* The name of CODE in COLUMN (enum vmt_column): "xlate", "read", "hit",
 * "dtlb", "" ...; NULL for a code the column does not have. */
const char *vmt_code_name(int column, unsigned code);

/* The layout of struct vmt_record, for bindings (the Python reader builds
 * its numpy dtype from it): field I's name, byte offset, size and type
 * ('u' unsigned, 'i' signed). Returns 0 past the last field. */
size_t vmt_record_size(void);
int vmt_record_field(size_t i, const char **name, size_t *offset, size_t *size, char *type);

/* Problems met so far (damaged chunks, a rebuilt index). */
uint64_t vmt_problems(const vmt_trace *t);

#ifdef __cplusplus
}
#endif

#endif
