/* libvmtrace's C API as a program outside the tree uses it: built by
 * tests/install/install_test.sh against the installed header and library
 * through pkg-config (`cc api.c $(pkg-config --cflags --libs libvmtrace)`).
 *
 * usage: libvmtrace_api TRACE VERSION FORMAT ROWS FAULT_ROWS
 *   VERSION, FORMAT: what vmt_version and vmt_format_version must say;
 *   ROWS: `vmtrace export --format csv` rows of TRACE; FAULT_ROWS: the same
 *   with --kind fault.
 * Checks every function of the API; prints one line per failed check and
 * "libvmtrace api: N checks, M failed"; exit status 0 when none failed. */
#include <vmscope/libvmtrace.h>

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned checks, failed;

#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        checks++;                                                           \
        if (!(cond)) {                                                      \
            failed++;                                                       \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);          \
            printf(__VA_ARGS__);                                            \
            putchar('\n');                                                  \
        }                                                                   \
    } while (0)

static uint32_t page_of(const struct vmt_record *r)
{
    switch (r->kind) {
    case 0: case 1: return r->lin >> 12;                    /* xlate, walk */
    case 2: return (uint32_t)(r->addr >> 12);               /* fault: CR2 */
    default: return 0xFFFFFFFFu;
    }
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: libvmtrace_api TRACE VERSION FORMAT ROWS FAULT_ROWS\n");
        return 2;
    }
    const char *path = argv[1];
    uint64_t rows = strtoull(argv[4], NULL, 10), fault_rows = strtoull(argv[5], NULL, 10);

    /* versions */
    CHECK(!strcmp(vmt_version(), argv[2]), "vmt_version %s", vmt_version());
    CHECK(!strcmp(vmt_format_version(), argv[3]), "vmt_format_version %s", vmt_format_version());

    /* opening: an error names the file */
    char err[512] = "";
    CHECK(vmt_open("/nonexistent/x.vmt", err, sizeof err) == NULL, "opened a missing file");
    CHECK(strstr(err, "/nonexistent/x.vmt") != NULL, "error '%s'", err);
    vmt_trace *t = vmt_open(path, err, sizeof err);
    CHECK(t != NULL, "vmt_open: %s", err);
    if (!t)
        return 1;

    /* header */
    const char *name, *value;
    int numeric, have_format = 0, have_ram = 0;
    for (size_t i = 0; vmt_header_field(t, i, &name, &value, &numeric); i++) {
        if (!strcmp(name, "format"))
            have_format = !strcmp(value, argv[3]) && !numeric;
        if (!strcmp(name, "ram_bytes"))
            have_ram = numeric && strtoull(value, NULL, 10) > 0;
    }
    CHECK(have_format, "header field format is not %s", argv[3]);
    CHECK(have_ram, "header field ram_bytes");
    CHECK(vmt_header_field(t, vmt_header_count(t), &name, &value, &numeric) == 0, "field past the end");

    /* layout */
    CHECK(vmt_record_size() == sizeof(struct vmt_record), "record size %zu", vmt_record_size());
    size_t off, size;
    char type;
    CHECK(vmt_record_field(0, &name, &off, &size, &type) && !strcmp(name, "event") && off == 0 && size == 8,
          "field 0");
    size_t nf = 0;
    while (vmt_record_field(nf, &name, &off, &size, &type)) {
        CHECK(off + size <= sizeof(struct vmt_record), "field %s out of the struct", name);
        nf++;
    }
    CHECK(nf == 23, "%zu fields (the CSV has 23 columns)", nf);
    CHECK(vmt_record_field(6, &name, &off, &size, &type) && !strcmp(name, "pid") &&
          off == offsetof(struct vmt_record, pid) && type == 'i', "pid field");

    /* names */
    CHECK(!strcmp(vmt_code_name(VMT_COL_KIND, 0), "xlate"), "kind 0");
    CHECK(!strcmp(vmt_code_name(VMT_COL_KIND, 6), "annot"), "kind 6");
    CHECK(!strcmp(vmt_code_name(VMT_COL_KIND, VMT_KIND_UNKNOWN), "unknown"), "kind unknown");
    CHECK(vmt_code_name(VMT_COL_KIND, 99) == NULL, "kind 99");
    CHECK(!strcmp(vmt_code_name(VMT_COL_ACCESS, 0), "") && !strcmp(vmt_code_name(VMT_COL_ACCESS, 3), "write"),
          "access names");
    CHECK(!strcmp(vmt_code_name(VMT_COL_OUTCOME, 2), "miss"), "outcome 2");
    CHECK(!strcmp(vmt_code_name(VMT_COL_TLB, 2), "dtlb"), "tlb 2");
    CHECK(vmt_code_name(42, 0) == NULL, "column 42");

    /* chunks: their records, read whole and in batches, are the same */
    size_t nchunks = vmt_nchunks(t);
    CHECK(nchunks > 1, "%zu chunks", nchunks);
    struct vmt_chunk c;
    CHECK(vmt_chunk_info(t, nchunks, &c) == 0, "chunk past the end");
    size_t cap = 1;
    for (size_t i = 0; i < nchunks; i++)
        if (vmt_chunk_info(t, i, &c) && c.events > cap)
            cap = (size_t)c.events;
    struct vmt_record *a = malloc(cap * sizeof *a), *b = malloc(cap * sizeof *b);
    if (!a || !b)
        return 1;
    uint64_t n_chunked = 0, n_batched = 0, n_fault = 0, n_pid1 = 0, n_page = 0, n_cycle = 0;
    uint64_t prev_end = 0, last_cycle = 0;
    uint32_t page_lo = 0x8048, page_hi = 0x8050;
    vmt_seek_chunk(t, 0);
    for (size_t i = 0; i < nchunks; i++) {
        vmt_chunk_info(t, i, &c);
        CHECK(c.first_event >= prev_end, "chunk %zu starts at event %" PRIu64 " before %" PRIu64, i,
              c.first_event, prev_end);
        prev_end = c.first_event + c.events;
        size_t k = vmt_read_chunk(t, i, a, cap);
        CHECK(k <= c.events, "chunk %zu: %zu records, %" PRIu64 " events", i, k, c.events);
        n_chunked += k;
        for (size_t j = 0; j < k; j++) {
            CHECK(a[j].event >= c.first_event && a[j].event < c.first_event + c.events,
                  "chunk %zu record %zu: event %" PRIu64, i, j, a[j].event);
            CHECK(a[j].text < vmt_text_count(t), "text id %u", a[j].text);
            CHECK(!a[j].reserved[0] && !a[j].reserved[1] && !a[j].reserved[2], "reserved bytes");
            n_fault += a[j].kind == 2;
            n_pid1 += a[j].pid == 1;
            uint32_t p = page_of(&a[j]);
            n_page += p != 0xFFFFFFFFu && p >= page_lo && p <= page_hi;
            last_cycle = a[j].cycle;
        }
        /* the same chunk in batches of 1000 from vmt_seek_chunk */
        vmt_seek_chunk(t, i);
        size_t got = 0, m;
        while (got < k && (m = vmt_read(t, b + got, 1000)) > 0) {
            for (size_t j = 0; j < m; j++)
                CHECK(b[got + j].event >= c.first_event && b[got + j].event < prev_end, "batch spans chunks");
            got += m;
        }
        CHECK(got == k && !memcmp(a, b, k * sizeof *a), "chunk %zu: vmt_read gave %zu records, vmt_read_chunk %zu",
              i, got, k);
        n_batched += got;
    }
    CHECK(n_chunked == rows, "%" PRIu64 " records, the CSV export has %" PRIu64 " rows", n_chunked, rows);
    CHECK(n_batched == rows, "%" PRIu64 " records in batches", n_batched);
    CHECK(n_fault == fault_rows, "%" PRIu64 " faults, export --kind fault %" PRIu64, n_fault, fault_rows);
    CHECK(vmt_text(t, 0)[0] == 0 && vmt_text(t, 0xFFFFFFFFu)[0] == 0, "text 0 and a bad id are empty");

    /* count and filters */
    CHECK(vmt_count(t) == rows, "vmt_count %" PRIu64, vmt_count(t));
    CHECK(vmt_tell(t) == nchunks, "vmt_tell at the end: %zu", vmt_tell(t));
    CHECK(vmt_read(t, a, cap) == 0, "records after the end");
    vmt_filter_kinds(t, 1u << 2);
    CHECK(vmt_count(t) == fault_rows, "kinds filter: %" PRIu64, vmt_count(t));
    vmt_seek_chunk(t, 0);
    uint64_t nf2 = 0;
    size_t m;
    while ((m = vmt_read(t, a, cap)) > 0)
        for (size_t j = 0; j < m; j++, nf2++)
            CHECK(a[j].kind == 2, "a %s record passed the fault filter", vmt_code_name(0, a[j].kind));
    CHECK(nf2 == fault_rows, "%" PRIu64 " faults read", nf2);
    vmt_filter_clear(t);
    vmt_filter_pid(t, 1);
    CHECK(vmt_count(t) >= n_pid1, "pid filter: %" PRIu64 " < %" PRIu64, vmt_count(t), n_pid1);
    vmt_filter_clear(t);
    vmt_filter_pages(t, page_lo, page_hi);
    CHECK(vmt_count(t) >= n_page && n_page > 0, "page filter: %" PRIu64 " < %" PRIu64, vmt_count(t), n_page);
    vmt_filter_clear(t);
    uint64_t lo = last_cycle / 3, hi = 2 * (last_cycle / 3);
    vmt_filter_cycles(t, lo, hi);
    vmt_seek_chunk(t, 0);
    while ((m = vmt_read(t, a, cap)) > 0)
        for (size_t j = 0; j < m; j++, n_cycle++)
            CHECK(a[j].cycle >= lo && a[j].cycle <= hi, "cycle %" PRIu64 " outside", a[j].cycle);
    CHECK(n_cycle > 0 && n_cycle < rows && n_cycle == vmt_count(t), "cycle filter: %" PRIu64, n_cycle);
    vmt_filter_clear(t);

    /* seeking */
    size_t mid = nchunks / 2;
    vmt_chunk_info(t, mid, &c);
    vmt_seek_event(t, c.first_event + 1);
    CHECK(vmt_read(t, a, 1) == 1 && a[0].event >= c.first_event + 1,
          "seek to event %" PRIu64 ": got %" PRIu64, c.first_event + 1, a[0].event);
    vmt_seek_cycle(t, lo);
    CHECK(vmt_read(t, a, 1) == 1 && a[0].cycle >= lo, "seek to cycle %" PRIu64 ": got %" PRIu64, lo, a[0].cycle);
    vmt_seek_chunk(t, mid);
    CHECK(vmt_tell(t) == mid, "tell after seeking chunk %zu: %zu", mid, vmt_tell(t));
    CHECK(vmt_problems(t) == 0, "%" PRIu64 " problems", vmt_problems(t));

    /* vmt_share_text: a second handle numbering in T's table gives the
     * same ids for the same texts, so its records are byte for byte T's;
     * and vmt_read_chunk writes its records and nothing else, at any
     * 8-byte alignment (here 8 bytes past a guard) */
    vmt_trace *u = vmt_open(path, err, sizeof err);
    CHECK(u != NULL, "vmt_open again: %s", err);
    uint8_t *g = malloc((cap + 1) * sizeof *a + 16);
    if (!u || !g)
        return 1;
    vmt_share_text(u, t);
    for (size_t i = 0; i < nchunks; i += nchunks / 7 + 1) {
        size_t k = vmt_read_chunk(t, i, a, cap);
        memset(g, 0xA5, (cap + 1) * sizeof *a + 16);
        size_t k2 = vmt_read_chunk(u, i, (struct vmt_record *)(g + 8), cap);
        CHECK(k2 == k && !memcmp(a, g + 8, k * sizeof *a), "chunk %zu on a handle sharing texts: %zu records", i, k2);
        size_t after = 0;
        for (size_t j = 8 + k * sizeof *a; j < (cap + 1) * sizeof *a + 16; j++)
            after += g[j] != 0xA5;
        CHECK(g[0] == 0xA5 && g[7] == 0xA5 && after == 0, "chunk %zu: bytes around the records written", i);
    }
    CHECK(vmt_text_count(u) == vmt_text_count(t), "shared table: %u texts, %u", vmt_text_count(u),
          vmt_text_count(t));
    vmt_close(u);
    CHECK(vmt_text(t, vmt_text_count(t) - 1)[0] != 0, "the table outlives a handle sharing it");
    free(g);

    free(a);
    free(b);
    vmt_close(t);
    printf("libvmtrace api: %u checks, %u failed\n", checks, failed);
    return failed ? 1 : 0;
}
