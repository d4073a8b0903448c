/* Reading vmscope trace files (.vmt): the API every trace consumer uses.
 *
 * docs/trace-format.md is the format. Three ways in:
 *
 *   - A file, random access:  tr_reader_open() then cursors over its records.
 *     The footer index gives seeking by event number or cycle; when the
 *     footer is missing (the emulator was killed) the chunks are found by
 *     scanning, and everything up to the last complete chunk is readable.
 *     tr_reader_refresh() picks up chunks appended since (following a trace
 *     while vmscope writes it).
 *   - Memory:                 tr_reader_open_mem(), the same on a buffer.
 *   - A byte stream (pipe, socket, live feed): tr_stream_new() and
 *     tr_stream_feed(); records come out as soon as their chunk is complete.
 *
 * Damage never aborts a read: a bad chunk (CRC, deflate, lengths) is
 * reported through the diagnostic hook, naming the file, the chunk and its
 * file offset, and reading goes on with the next good chunk. Only a file
 * whose header is unusable (wrong magic, newer major version, empty, lying
 * header length) fails to open.
 *
 * Records: struct tr_event. Translations come one per event, except that a
 * run of identical translations (same page, kind, outcome and cycles, with
 * nothing in between) may come as one event with count > 1 unless the
 * cursor was made with TR_CURSOR_EXPAND. Event numbers count translations
 * one each, so `event + count` is the next event's number. */
#ifndef VMSCOPE_TRACE_READER_H
#define VMSCOPE_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/emit.h"
#include "trace/writer.h"   /* enum tr_kind, TR_DETAIL_* */

/* The file header: the configuration of the machine that wrote it. */
struct tr_header {
    unsigned major, minor;          /* format version */
    uint32_t size;                  /* header bytes */
    char vmscope_version[64];       /* vmscope that wrote it */
    uint64_t ram_bytes;             /* guest RAM */
    char tlb_spec[256];             /* TLB geometry/policy ("" = model default) */
    char cycle_model[256];          /* --cycles spec */
    uint32_t cpu_mhz;               /* virtual CPU frequency */
    bool have_sha256;               /* kernel_sha256 valid */
    uint8_t kernel_sha256[32];      /* SHA-256 of the kernel image */
    char kernel[256];               /* kernel file name as given */
    char cmdline[1024];             /* Multiboot command line */
    uint32_t kinds;                 /* kinds kept: bit per enum tr_kind */
    char filter[256];               /* --trace-filter text */
    uint32_t detail;                /* TR_DETAIL_* */
    uint32_t chunk_bytes;           /* writer tuning */
    uint64_t chunk_cycles;
    uint64_t sync_cycles;
    uint32_t level;                 /* zlib level */
};

/* One chunk as the index (or the scan) knows it. */
struct tr_chunk {
    uint64_t offset;                /* file offset of its header */
    uint64_t seq;                   /* sequence number written in it */
    uint64_t first_event;           /* event number of its first record */
    uint64_t nevents;               /* events in it */
    uint64_t first_cycle, last_cycle;   /* cycles of its first and last record */
    uint64_t insns;                 /* instruction count at its start (latest sync) */
    uint32_t cr3, pid;              /* address space and pid at its start */
    uint32_t hdr_size;              /* header bytes */
    uint32_t raw_len, comp_len;     /* payload bytes, uncompressed and compressed */
    uint32_t crc;                   /* CRC-32 of the raw payload */
    int bad;                        /* 1: the payload failed a check when read */
};

/* Totals: from the footer, or counted by tr_reader_count. */
struct tr_totals {
    uint64_t events;                /* all events (translations one each) */
    uint64_t kind[TRK_NKINDS];      /* per record kind */
    uint64_t outcome[8];            /* translations per enum tr_outcome */
    uint64_t last_cycle;            /* cycle of the last record */
    uint64_t last_insns;            /* latest instruction count */
    uint64_t unknown;               /* records of kinds this reader does not know */
};

/* A record. */
struct tr_event {
    uint64_t event;                 /* event number (of the first, for a run) */
    uint64_t count;                 /* translations in this event (1 unless a run) */
    uint64_t cycle;                 /* cycle (see cycle_exact) */
    uint32_t cr3;                   /* address space in force */
    uint32_t pid;                   /* pid in force (0xFFFFFFFF unknown) */
    uint32_t chunk;                 /* index of its chunk in the reader */
    uint8_t kind;                   /* enum tr_kind, or 0xFF unknown */
    uint8_t cycle_exact;            /* 0: a translation timed by the record before it */
    union {
        struct tr_xlate xlate;      /* lin/phys carry offsets only with TR_DETAIL_OFFSETS */
        struct tr_walk walk;
        struct { uint32_t cr2, err, eip; uint8_t cpl; } fault;
        struct { uint8_t kind; uint32_t addr, dropped; } flush;     /* enum tr_flush_kind */
        struct { uint32_t old_cr3, new_cr3; } cr3;
        struct { uint64_t lba; uint32_t count; uint8_t dir; } disk;
        struct { uint16_t kind, size; uint32_t pid; uint8_t rec[64]; } annot;  /* trace/annot.h */
        struct { uint64_t insns; } sync;
        struct { uint8_t kind; uint32_t len; } unknown;
    } u;
};

struct tr_reader;
struct tr_cursor;
struct tr_stream;

/* Diagnostics: one line each ("FILE: chunk N at offset X: what"). */
typedef void (*tr_diag_fn)(void *ctx, const char *msg);

#define TR_OPEN_SCAN 1u             /* ignore the footer: rebuild the index by scanning */
#define TR_OPEN_FOLLOW 2u           /* the file may still be growing: an incomplete last
                                       chunk is not reported (see tr_reader_refresh) */

/* Open FILE. NULL when the header is unusable, with one line in ERR naming
 * the file and offset. A missing or damaged footer is not an error: the
 * chunks are scanned (tr_reader_recovered says so). DIAG may be NULL (then
 * messages are only counted); it is kept for later chunk problems too. */
struct tr_reader *tr_reader_open(const char *path, unsigned flags, tr_diag_fn diag, void *ctx,
                                 char *err, size_t errlen);
/* The same on LEN bytes at BUF (not copied: keep them alive). NAME names it
 * in messages. */
struct tr_reader *tr_reader_open_mem(const void *buf, size_t len, const char *name, unsigned flags,
                                     tr_diag_fn diag, void *ctx, char *err, size_t errlen);
void tr_reader_close(struct tr_reader *r);

const char *tr_reader_name(const struct tr_reader *r);
const struct tr_header *tr_reader_header(const struct tr_reader *r);
uint64_t tr_reader_size(const struct tr_reader *r);     /* file bytes */
size_t tr_reader_nchunks(const struct tr_reader *r);
const struct tr_chunk *tr_reader_chunk(const struct tr_reader *r, size_t i);
/* True when the footer was absent or unusable and the index was rebuilt. */
bool tr_reader_recovered(const struct tr_reader *r);
/* True when the file ends with a valid footer (the writer closed it). */
bool tr_reader_complete(const struct tr_reader *r);
/* Problems reported so far (header, scan and chunk problems). */
uint64_t tr_reader_problems(const struct tr_reader *r);
/* Bytes not covered by header, good chunks, footer and trailer. */
uint64_t tr_reader_lost_bytes(const struct tr_reader *r);
/* Totals from the footer. Returns false when there is none (use
 * tr_reader_count, which decodes every chunk). */
bool tr_reader_totals(const struct tr_reader *r, struct tr_totals *t);
/* Decode everything and count. Checks every chunk (bad ones are reported
 * and marked). Returns the number of readable chunks. PROGRESS, when not
 * NULL, is called after each chunk with (done, total). */
size_t tr_reader_count(struct tr_reader *r, struct tr_totals *t,
                       void (*progress)(void *ctx, size_t done, size_t total), void *pctx);
/* Following a growing file: look for chunks appended since the last look.
 * Returns how many were added. */
size_t tr_reader_refresh(struct tr_reader *r);
/* Index of the first chunk that may hold EVENT / CYCLE (binary search). */
size_t tr_reader_find_event(const struct tr_reader *r, uint64_t event);
size_t tr_reader_find_cycle(const struct tr_reader *r, uint64_t cycle);

#define TR_CURSOR_EXPAND 1u         /* one event per translation, never runs */

/* A cursor reads records in order, one chunk in memory at a time. */
struct tr_cursor *tr_cursor_new(struct tr_reader *r, unsigned flags);
void tr_cursor_free(struct tr_cursor *c);
/* Next record: 1, or 0 at the end (of what is there now: after
 * tr_reader_refresh, next may return more). Bad chunks are skipped. */
int tr_cursor_next(struct tr_cursor *c, struct tr_event *ev);
/* Up to MAX records into EV[0..n), the same records as that many calls of
 * tr_cursor_next, decoded in one tight loop (what replay tools use: see
 * docs/trace-format.md "Reading a trace from a program"). Returns n; 0 at
 * the end. A batch may end early at a chunk boundary. */
size_t tr_cursor_batch(struct tr_cursor *c, struct tr_event *ev, size_t max);
/* Position at the first record whose event number is >= EVENT (a run that
 * spans it comes trimmed), or whose cycle is >= CYCLE, or at chunk I. */
void tr_cursor_seek_event(struct tr_cursor *c, uint64_t event);
void tr_cursor_seek_cycle(struct tr_cursor *c, uint64_t cycle);
void tr_cursor_seek_chunk(struct tr_cursor *c, size_t i);
/* Index of the chunk the cursor is in (or will read next). */
size_t tr_cursor_chunk(const struct tr_cursor *c);

/* Visit every record from the start; stop early when FN returns nonzero
 * (that value is returned). */
int tr_reader_foreach(struct tr_reader *r, unsigned flags,
                      int (*fn)(void *ctx, const struct tr_event *ev), void *ctx);

/* Symbol tables (format 1.1, docs/trace-format.md "Symbol tables"): the
 * images whose symbols the trace carries. Those of the symbol chunk are read
 * on the first call; tables appended to later chunks are added as a cursor
 * reads those chunks. A file without tables has none (lookups give NULL).
 * The push parser (tr_stream_*) does not collect them yet. */
struct tr_symbol {
    uint32_t addr;                  /* run-time address (load bias applied) */
    uint32_t size;                  /* 0 = up to the next symbol (at most 64 KiB) */
    const char *name;
};
struct tr_image {
    uint32_t id;                    /* 0 = boot images (kernel and modules) */
    uint32_t bias;                  /* load bias */
    uint32_t pid;                   /* TR_PID_ANY: every address space */
    const char *name;               /* image name */
    const struct tr_symbol *sym;    /* sorted by addr */
    size_t nsym;
    size_t chunk;                   /* chunk that carried it */
};
size_t tr_reader_nimages(struct tr_reader *r);
const struct tr_image *tr_reader_image(struct tr_reader *r, size_t i);
/* The symbol containing ADDR in the address space of PID (its own tables
 * first, then those of every space), or NULL. *OFF = ADDR - symbol address. */
const struct tr_symbol *tr_reader_symbol(struct tr_reader *r, uint32_t pid, uint32_t addr, uint32_t *off);
/* "name+0x1c" (or "name") into BUF, or "" when no symbol contains ADDR. */
const char *tr_reader_symbolize(struct tr_reader *r, uint32_t pid, uint32_t addr, char *buf, size_t len);

/* Push parsing of a byte stream (a pipe, a socket, a file being written). */
struct tr_stream *tr_stream_new(const char *name, tr_diag_fn diag, void *ctx, unsigned flags);
void tr_stream_free(struct tr_stream *s);
/* Hand over the next LEN bytes. Returns false when the stream is unusable
 * (bad header: the reason is in tr_stream_error). */
bool tr_stream_feed(struct tr_stream *s, const void *buf, size_t len);
/* The header, once enough bytes have arrived, else NULL. */
const struct tr_header *tr_stream_header(const struct tr_stream *s);
/* Next record available: 1, or 0 (feed more, or the stream ended: see
 * tr_stream_done). */
int tr_stream_next(struct tr_stream *s, struct tr_event *ev);
bool tr_stream_done(const struct tr_stream *s);     /* footer seen */
const char *tr_stream_error(const struct tr_stream *s);

/* Names for printing. */
const char *tr_outcome_name(unsigned o);            /* "hit", "miss", ... */
const char *tr_tlb_name(unsigned t);                /* "itlb", ... */
const char *tr_access_name(unsigned kind);          /* "fetch", "read", "write" */
const char *tr_flush_name(unsigned k);              /* "cr3", "all", "page" */
const char *tr_annot_name(unsigned k);              /* "proc-create", ... or NULL (trace/annot_desc.h) */

#endif
