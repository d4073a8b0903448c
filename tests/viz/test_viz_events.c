/* `vmscope run --events` lines (emu/events.c) on a hand-made trace with a
 * kernel symbol table: the exact text of a fault joined with the kernel's
 * resolution, of a fault with none, of a read-around swap-in (not a
 * resolution), of an ordinary annotation; the kind filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/events.h"
#include "tests/viz/recs.h"
#include "trace/annot.h"
#include "trace/format.h"
#include "trace/writer.h"

static char path[256];

static void annot(struct trace_writer *tw, uint64_t cycle, unsigned kind, uint32_t pid, const uint32_t *f,
                  const char *name)
{
    uint8_t r[ANNOT_MAX_SIZE];
    uint16_t size = viz_rec_init(r, kind, pid);
    size_t off = 8;
    for (; f && *f != 0xDEAD; f++, off += 4)
        trf_put32(r + off, *f);
    if (name)
        strncpy((char *)r + off, name, ANNOT_NAME_LEN);
    trace_emit_annot(tw, cycle, r, size);
}

static void make_trace(void)
{
    struct trace_symbol syms[] = { { 0xC0101000, 0x100, "do_page_fault" }, { 0xC0102000, 0x80, "__copy_user" } };
    struct trace_image img = { .name = "kernel", .id = 0, .pid = TR_PID_ANY, .sym = syms, .nsym = 2 };
    struct trace_config cfg = { .vmscope_version = "test", .ram_bytes = 1 << 20, .cpu_mhz = 100,
                                .images = &img, .nimages = 1 };
    char err[256];
    struct trace_writer *tw = trace_writer_open(path, &cfg, err, sizeof err);
    assert_non_null(tw);
    annot(tw, 10, ANNOT_PROC_CREATE, 7, (uint32_t[]){ 1, 0xDEAD }, "prog");
    annot(tw, 20, ANNOT_CTX_SWITCH, 1, (uint32_t[]){ 7, 0xDEAD }, NULL);
    trace_emit_fault(tw, 30, 0x0804d010, 7, 0xC0102010, 0);     /* write, protection, in the kernel */
    annot(tw, 40, ANNOT_COW_COPY, 7, (uint32_t[]){ 0x0804d, 0x87, 0x1f, 0xDEAD }, NULL);
    trace_emit_fault(tw, 50, 0x40000000, 4, 0x08048123, 3);     /* read, not present, user: no symbols */
    annot(tw, 60, ANNOT_SWAP_IN, 7, (uint32_t[]){ ANNOT_NO_VPAGE, 0x55, 9, 0xDEAD }, NULL);
    annot(tw, 70, ANNOT_SWAP_IN, 7, (uint32_t[]){ 0x40000, 0x56, 8, 0xDEAD }, NULL);
    annot(tw, 80, ANNOT_MAJOR_FAULT, 7, (uint32_t[]){ 0x40000, 0, 0xDEAD }, NULL);
    trace_emit_fault(tw, 90, 0x08050000, 6, 0x08048200, 3);
    annot(tw, 100, ANNOT_EVICT, 7, (uint32_t[]){ 0x0804e, 0x20, 12, 0, 0xDEAD }, NULL);
    assert_true(trace_writer_close(tw, err, sizeof err));
}

static char *print(const char *kinds)
{
    uint64_t mask;
    char err[256];
    assert_true(ev_kinds_parse(kinds, &mask, err, sizeof err));
    struct tr_reader *r = tr_reader_open(path, 0, NULL, NULL, err, sizeof err);
    assert_non_null(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    struct ev_printer *p = ev_printer_new(r, mask, NULL, out);
    struct tr_cursor *c = tr_cursor_new(r, 0);
    struct tr_event ev;
    while (tr_cursor_next(c, &ev))
        ev_printer_record(p, &ev);
    ev_printer_flush(p);
    tr_cursor_free(c);
    ev_printer_free(p);
    tr_reader_close(r);
    fclose(out);
    return buf;
}

static void test_lines(void **state)
{
    char *s = print(NULL);
    const char *want =
        "proc-create pid 7   prog         ppid=1 name=prog\n"
        "fault  pid 7   prog         write 0804d010 (protection) in __copy_user+0x10 → cow-copy frame 0x01f (from 0x087)\n"
        "fault  pid 7   prog         read  40000000 in 08048123 → swap-in frame 0x056 from slot 8, major (swap)\n"
        "swap-in pid 7   prog         vpage=ffffffff frame=00055 slot=9\n"
        "fault  pid 7   prog         write 08050000 in 08048200 → (no record)\n"
        "evict  pid 7   prog         vpage=0804e frame=00020 slot=12 policy=2q\n";
    /* the read-around swap-in is no resolution: it is printed on its own,
     * after the fault whose resolution came after it */
    if (strcmp(s, want))
        fprintf(stderr, "got:\n%s", s);
    assert_string_equal(s, want);
    free(s);
}

static void test_filter(void **state)
{
    char *s = print("evict");
    assert_string_equal(s, "evict  pid 7   prog         vpage=0804e frame=00020 slot=12 policy=2q\n");
    free(s);
    s = print("fault");
    assert_non_null(strstr(s, "→ cow-copy frame 0x01f"));      /* resolutions join their fault */
    assert_null(strstr(s, "evict"));
    assert_null(strstr(s, "proc-create"));
    free(s);
    uint64_t mask;
    char err[256];
    assert_false(ev_kinds_parse("fault,bogus", &mask, err, sizeof err));
    assert_non_null(strstr(err, "bogus"));
    assert_true(ev_kinds_parse("all", &mask, err, sizeof err));
    assert_true(mask & (1ull << ANNOT_CTX_SWITCH));
}

int main(void)
{
    snprintf(path, sizeof path, "/tmp/vmviz-events-%d.vmt", (int)getpid());
    make_trace();
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_lines), cmocka_unit_test(test_filter) };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(path);
    return rc;
}
