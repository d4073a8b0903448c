/* Opening and closing a trace file (the emitters are in trace/emit.h).
 *
 * The emulator fills a struct trace_config from its own options and hands it
 * to trace_writer_open; the trace library knows nothing else about the
 * emulator. The writer encodes on the caller's thread and compresses and
 * writes on a thread of its own, through a bounded ring of chunk buffers: when
 * the ring is full the emitting thread waits (back-pressure), so memory stays
 * bounded whatever the guest does. Output depends only on the records and the
 * configuration: the same run gives the same bytes. */
#ifndef VMSCOPE_TRACE_WRITER_H
#define VMSCOPE_TRACE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/emit.h"

/* The format version this library writes (and the newest it reads), as
 * "MAJOR.MINOR": the version in docs/trace-format.md's title and in every
 * file header. Every --version prints this. */
const char *tr_format_version(void);

/* A symbol of an image (docs/trace-format.md "Symbol tables"). */
struct trace_symbol {
    uint32_t addr;                  /* address as linked */
    uint32_t size;                  /* bytes; 0 = up to the next symbol */
    const char *name;
};

#define TR_PID_ANY 0xFFFFFFFFu      /* a table for every address space (the kernel) */

/* One image's symbol table: plain arrays, the writer copies what it needs. */
struct trace_image {
    const char *name;               /* "kernel", a program's name */
    uint32_t id;                    /* 0 = boot images (kernel and modules) */
    uint32_t bias;                  /* load bias: run-time address = addr + bias */
    uint32_t pid;                   /* address space (TR_PID_ANY = all) */
    const struct trace_symbol *sym; /* any order; the writer sorts */
    size_t nsym;
};

/* The machine configuration that goes into the file header. Strings may be
 * NULL (stored empty). */
struct trace_config {
    const char *vmscope_version;    /* VMSCOPE_VERSION */
    uint64_t ram_bytes;             /* guest RAM size */
    const char *tlb_spec;           /* TLB geometry/policy, canonical --tlb form */
    const char *cycle_model;        /* --cycles spec */
    uint32_t cpu_mhz;               /* virtual CPU frequency */
    bool have_sha256;               /* kernel_sha256 is filled in */
    uint8_t kernel_sha256[32];      /* SHA-256 of the kernel image */
    const char *kernel;             /* kernel file name as given */
    const char *cmdline;            /* Multiboot command line the guest sees */
    const char *filter;             /* --trace-filter text; NULL or "" = everything */
    const struct trace_image *images;   /* symbol tables for the symbol chunk (may be NULL) */
    size_t nimages;

    /* Tuning (0 = default). Part of the header, so part of the bytes. */
    int level;                      /* zlib level 1..9 (default 6) */
    uint32_t chunk_bytes;           /* per-stream chunk limit (default 256 KiB) */
    uint64_t chunk_cycles;          /* close a chunk spanning this many cycles (default 50 M) */
    uint64_t sync_cycles;           /* sync record interval (default 1 M) */
    unsigned ring;                  /* chunk buffers in flight (default 4, min 2) */
};

/* Record kinds, as numbered in the file (docs/trace-format.md). */
enum tr_kind {
    TRK_XLATE = 0, TRK_WALK = 1, TRK_FAULT = 2, TRK_FLUSH = 3, TRK_CR3 = 4,
    TRK_DISK = 5, TRK_ANNOT = 6, TRK_SYNC = 7, TRK_NKINDS = 8
};
#define TR_DETAIL_OFFSETS 1u        /* header detail bit: translation offsets */
#define TR_DETAIL_XTIME   2u        /* header detail bit: per-translation cycles */

/* Parse a --trace-filter text into a kind mask and detail bits. Returns false
 * and writes one line to ERR on an unknown word. */
bool trace_filter_parse(const char *text, uint32_t *kinds, uint32_t *detail, char *err, size_t errlen);
/* Name of record kind K ("xlate", "walk", ...), or NULL. */
const char *trace_kind_name(unsigned k);

/* Create PATH (truncating it) and write the header. NULL on failure with one
 * line in ERR naming the file. */
struct trace_writer *trace_writer_open(const char *path, const struct trace_config *cfg,
                                       char *err, size_t errlen);
/* Append IMG's symbol table to the chunk being filled (a program loaded
 * during the run); tables given in the config go into the symbol chunk. */
void trace_writer_add_image(struct trace_writer *tw, uint64_t cycle, const struct trace_image *img);
/* Close the current chunk and hand it to the writer thread now (a live view
 * then sees everything so far). Changes the chunking, so only for callers
 * that do it at deterministic points. */
void trace_writer_flush(struct trace_writer *tw);
/* The first write error so far (disk full...), or NULL. Once set, records
 * are dropped and the run should end. */
const char *trace_writer_error(struct trace_writer *tw);
/* Finish: last chunk, footer, close. Returns false with ERR on a write error
 * (the file is then still readable up to its last complete chunk). Frees TW. */
bool trace_writer_close(struct trace_writer *tw, char *err, size_t errlen);
/* Events recorded so far (translations count one each). */
uint64_t trace_writer_events(const struct trace_writer *tw);

/* SHA-256 of a file, for kernel_sha256. Returns false if unreadable. */
bool trace_sha256_file(const char *path, uint8_t out[32]);
void trace_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
