/* Writing a long run of records to memory whole cache lines at a time.
 *
 * vmt_read_chunk writes tens of MB per chunk, more than the caches hold, so
 * the writes go to DRAM. Written field by field, or a record at a time with
 * 8-byte non-temporal stores, each 64-byte line leaves the core in pieces
 * (an 88-byte record straddles lines), and that, not decoding, was most of
 * the time of reading a trace into arrays. Here records are built in a small
 * stage that stays in L1, and the stage goes out a whole line at a time with
 * 16-byte non-temporal stores. Only the bytes of the destination range are
 * ever written: a first or last line shared with other memory is written
 * byte-exactly with ordinary stores.
 *
 * Use: stage_begin(s, dst); per record stage_slot() then stage_commit();
 * stage_end() (which fences the streaming stores). Internal to trace/. */
#ifndef VMSCOPE_TRACE_STAGE_H
#define VMSCOPE_TRACE_STAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#define STAGE_LINES 64              /* lines flushed at a time: 4 KiB, well inside L1 */
#define STAGE_SLOT 128              /* the largest record staged at once, bytes */

struct stage {
    uint8_t *line;                  /* destination line that buf[0..64) stands for (64-aligned) */
    uint8_t *lo;                    /* first destination byte of the range */
    size_t fill;                    /* buf bytes in use, counted from buf[0] */
    _Alignas(64) uint8_t buf[STAGE_LINES * 64 + STAGE_SLOT + 64];
};

/* Destination line L (bytes [L, L+64)) from S's line J, keeping to
 * [s->lo, END). */
static inline void stage_put_line(struct stage *s, size_t j, const uint8_t *end)
{
    uint8_t *l = s->line + 64 * j;
    const uint8_t *src = s->buf + 64 * j;
#if defined(__x86_64__)
    if (l >= s->lo && l + 64 <= end) {
        __m128i a = _mm_load_si128((const __m128i *)src), b = _mm_load_si128((const __m128i *)src + 1);
        __m128i c = _mm_load_si128((const __m128i *)src + 2), d = _mm_load_si128((const __m128i *)src + 3);
        _mm_stream_si128((__m128i *)l, a);
        _mm_stream_si128((__m128i *)l + 1, b);
        _mm_stream_si128((__m128i *)l + 2, c);
        _mm_stream_si128((__m128i *)l + 3, d);
        return;
    }
#endif
    uint8_t *from = l < s->lo ? s->lo : l;
    const uint8_t *to = l + 64 < end ? l + 64 : end;
    if (to > from)
        memcpy(from, src + (from - l), (size_t)(to - from));
}

static inline void stage_begin(struct stage *s, void *dst)
{
    s->lo = dst;
    s->line = (uint8_t *)((uintptr_t)dst & ~(uintptr_t)63);
    s->fill = (uintptr_t)dst & 63;
}

/* Where the next record (at most STAGE_SLOT bytes) is built: aligned as DST
 * was, plus a multiple of the records' sizes. */
static inline void *stage_slot(struct stage *s) { return s->buf + s->fill; }

/* The record at stage_slot() is SIZE bytes and complete. */
static inline void stage_commit(struct stage *s, size_t size)
{
    s->fill += size;
    if (s->fill < STAGE_LINES * 64)
        return;
    const uint8_t *end = s->line + s->fill;
    size_t full = s->fill / 64;
    for (size_t j = 0; j < full; j++)
        stage_put_line(s, j, end);
    s->fill -= full * 64;
    memcpy(s->buf, s->buf + full * 64, s->fill);
    s->line += full * 64;
}

/* Write out what is staged and make the streaming stores visible (the
 * stage is then spent: stage_begin starts the next range). */
static inline void stage_end(struct stage *s)
{
    const uint8_t *end = s->line + s->fill;
    for (size_t j = 0; j * 64 < s->fill; j++)
        stage_put_line(s, j, end);
#if defined(__x86_64__)
    _mm_sfence();
#endif
}

#endif
