/* libFuzzer target: the trace reader on arbitrary bytes, through every entry
 * point (file-like reader with and without the footer, cursor with and
 * without run expansion, seeking, the push stream fed in pieces). It must
 * never crash, hang or read out of bounds. Seed corpus: tests/trace/corpus/. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "trace/reader.h"

/* Records taken per pass: a few KB of repeats stand for millions, and each
 * input should cost milliseconds (libFuzzer's timeout is wall time). 2^14
 * keeps every edge 2^16 reached on the committed corpus (cov 688 both; ft
 * 3151 against 3177, hit-count buckets) at twice the inputs per second
 * (201 against 100 replaying the corpus); 2^12 lost an edge. */
#define DRAIN_MAX (1u << 14)

static void drain(struct tr_cursor *c, unsigned limit)
{
    struct tr_event ev;
    while (limit-- && tr_cursor_next(c, &ev))
        ;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    for (unsigned flags = 0; flags <= TR_OPEN_SCAN; flags += TR_OPEN_SCAN) {
        struct tr_reader *r = tr_reader_open_mem(data, size, "fuzz", flags, NULL, NULL, err, sizeof err);
        if (!r)
            continue;
        struct tr_totals t;
        tr_reader_totals(r, &t);
        tr_reader_count(r, &t, NULL, NULL);
        struct tr_cursor *c = tr_cursor_new(r, TR_CURSOR_EXPAND);
        drain(c, DRAIN_MAX);
        tr_cursor_seek_event(c, size * 31);
        drain(c, 1000);
        tr_cursor_seek_cycle(c, size * 977);
        drain(c, 1000);
        tr_cursor_free(c);
        c = tr_cursor_new(r, 0);
        drain(c, DRAIN_MAX);
        tr_cursor_free(c);
        tr_reader_close(r);
    }
    struct tr_stream *s = tr_stream_new("fuzz-stream", NULL, NULL, 0);
    struct tr_event ev;
    size_t step = size / 7 + 1;
    for (size_t pos = 0; pos < size; pos += step) {
        size_t k = size - pos < step ? size - pos : step;
        if (!tr_stream_feed(s, data + pos, k))
            break;
        unsigned limit = DRAIN_MAX;
        while (limit-- && tr_stream_next(s, &ev))
            ;
    }
    tr_stream_free(s);
    return 0;
}
