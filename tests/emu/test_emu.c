/* Unit tests of emu/: clock, bus, sizes, the Multiboot loader, and two
 * machines living in one process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/loader.h"
#include "emu/machine.h"
#include "emu/sizes.h"

static struct machine *new_machine(uint32_t mem)
{
    struct vm_options opt = { .mem = mem };
    char err[256] = "";
    struct machine *m = machine_new(&opt, err, sizeof err);
    assert_non_null(m);
    return m;
}

/* --- clock --- */
static int fired[8], nfired;
static void cb(struct machine *m, void *opaque) { fired[nfired++] = (int)(intptr_t)opaque; }

static void test_clock_order(void **state)
{
    struct machine *m = new_machine(1 << 20);
    struct clock *c = &m->clock;
    unsigned base = c->ntimers;     /* devices may own slots already */
    int a = clock_timer_new(c, "a", cb, (void *)1);
    int b = clock_timer_new(c, "b", cb, (void *)2);
    int d = clock_timer_new(c, "d", cb, (void *)3);
    assert_int_equal(a, (int)base);
    clock_timer_set(c, a, 300);
    clock_timer_set(c, b, 100);
    clock_timer_set(c, d, 200);
    assert_int_equal(c->next, 100);
    nfired = 0;
    c->cycles = 250;
    clock_run_due(m, c);
    assert_int_equal(nfired, 2);
    assert_int_equal(fired[0], 2);
    assert_int_equal(fired[1], 3);
    assert_int_equal(c->next, 300);
    clock_timer_cancel(c, a);
    uint64_t others = CLOCK_NEVER;     /* whatever the devices have armed */
    for (unsigned i = 0; i < base; i++)
        if (c->t[i].when < others)
            others = c->t[i].when;
    assert_int_equal(c->next, others);
    assert_int_equal(clock_ns_to_cycles(c, 1000), c->mhz);
    machine_free(m);
}

/* --- bus --- */
static uint32_t last_port, last_size, last_val;
static uint32_t rd16(struct machine *m, void *dev, uint16_t port, unsigned size) { last_size = size; return 0xBEEF; }
static void wr8(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t v)
{
    last_port = port; last_size = size; last_val = v;
}

static void test_bus_ports(void **state)
{
    struct machine *m = new_machine(1 << 20);
    /* unclaimed ports read all ones at every width */
    assert_int_equal(bus_in(m, 0x1234, 1), 0xFF);
    assert_int_equal(bus_in(m, 0x1234, 2), 0xFFFF);
    assert_int_equal(bus_in(m, 0x1234, 4), 0xFFFFFFFFu);
    bus_out(m, 0x1234, 4, 0);   /* ignored */
    /* a byte-only device gets wide writes split into bytes */
    assert_true(bus_register_pio(&m->bus, 0x300, 4, PIO_W8, NULL, NULL, wr8));
    bus_out(m, 0x300, 2, 0xA1B2);
    assert_int_equal(last_port, 0x301);
    assert_int_equal(last_size, 1);
    assert_int_equal(last_val, 0xA1);
    /* a 16-bit device takes a 16-bit read whole */
    assert_true(bus_register_pio(&m->bus, 0x310, 2, PIO_W16, NULL, rd16, NULL));
    assert_int_equal(bus_in(m, 0x310, 2), 0xBEEF);
    assert_int_equal(last_size, 2);
    /* overlapping ranges are refused */
    assert_false(bus_register_pio(&m->bus, 0x302, 4, PIO_W8, NULL, NULL, wr8));
    machine_free(m);
}

static void test_bus_memory(void **state)
{
    struct machine *m = new_machine(1 << 20);
    bus_write(m, 0x1000, 4, 0x11223344);
    assert_int_equal(bus_read(m, 0x1000, 4), 0x11223344);
    assert_int_equal(bus_read(m, 0x1001, 1), 0x33);
    /* outside RAM: all ones, writes dropped */
    assert_int_equal(bus_read(m, 0x200000, 4), 0xFFFFFFFFu);
    bus_write(m, 0x200000, 4, 0);
    assert_int_equal(bus_read(m, 0x200000, 2), 0xFFFF);
    assert_int_equal(bus_read(m, (1 << 20) - 2, 4), 0xFFFFFFFFu); /* straddles the end */
    machine_free(m);
}

/* --- two machines in one process --- */
static void test_two_machines(void **state)
{
    struct machine *a = new_machine(1 << 20), *b = new_machine(2 << 20);
    bus_write(a, 0x5000, 4, 0xAAAAAAAA);
    bus_write(b, 0x5000, 4, 0xBBBBBBBB);
    assert_int_equal(bus_read(a, 0x5000, 4), 0xAAAAAAAA);
    assert_int_equal(bus_read(b, 0x5000, 4), 0xBBBBBBBB);
    bus_out(a, 0xF4, 1, 3);             /* isa-debug-exit on a only */
    assert_int_equal(a->stop, STOP_DEBUG_EXIT);
    assert_int_equal(a->exit_status, 7);
    assert_int_equal(b->stop, STOP_NONE);
    a->clock.cycles = 1000;
    assert_int_equal(b->clock.cycles, 0);
    machine_free(a);
    machine_free(b);
}

/* struct machine has 64-byte-aligned members (the MMU's fast entries); a
 * machine from calloc sat 16 bytes past a page boundary, which UBSan
 * reported at every member access of the libFuzzer target built without
 * ASan. Several machines, so one lucky address does not pass the test. */
static void test_machine_aligned(void **state)
{
    struct machine *m[4];
    for (unsigned i = 0; i < 4; i++) {
        m[i] = new_machine(1 << 20);
        assert_int_equal((uintptr_t)m[i] % _Alignof(struct machine), 0);
    }
    assert_true(_Alignof(struct machine) >= 64);
    for (unsigned i = 0; i < 4; i++)
        machine_free(m[i]);
}

static void test_shutdown_port(void **state)
{
    struct machine *m = new_machine(1 << 20);
    const char *w = "ShutShutdown";
    for (const char *p = w; *p; p++)
        bus_out(m, 0x8900, 1, (uint8_t)*p);
    assert_int_equal(m->stop, STOP_SHUTDOWN);
    assert_int_equal(m->exit_status, 0);
    machine_free(m);
}

/* --- sizes --- */
static void test_sizes(void **state)
{
    uint64_t v;
    assert_true(parse_size("16M", &v)); assert_int_equal(v, 16u << 20);
    assert_true(parse_size("512K", &v)); assert_int_equal(v, 512u << 10);
    assert_true(parse_size("1G", &v)); assert_int_equal(v, 1u << 30);
    assert_true(parse_size("0x1000", &v)); assert_int_equal(v, 4096);
    assert_true(parse_size("4MiB", &v)); assert_int_equal(v, 4u << 20);
    assert_false(parse_size("", &v));
    assert_false(parse_size("-1", &v));
    assert_false(parse_size("12Q", &v));
    assert_false(parse_size("99999999999999999999", &v));
    assert_false(parse_size("17179869184G", &v));
    assert_true(parse_u64("10M", &v)); assert_int_equal(v, 10000000);
}

/* --- loader --- */
static size_t elf_image(uint8_t *buf, uint32_t vaddr, uint32_t paddr, uint32_t memsz, uint32_t entry)
{
    memset(buf, 0, 0x200);
    memcpy(buf, "\x7f" "ELF\x01\x01\x01", 7);
    uint16_t h16[] = { 2, 3 };
    memcpy(buf + 16, h16, 4);
    uint32_t v = 1; memcpy(buf + 20, &v, 4);
    memcpy(buf + 24, &entry, 4);
    v = 52; memcpy(buf + 28, &v, 4);                    /* phoff */
    uint16_t eh[] = { 52, 32, 1, 40, 0, 0 };
    memcpy(buf + 40, eh, sizeof eh);
    uint32_t ph[8] = { 1, 0x100, vaddr, paddr, 0x40, memsz, 7, 0x1000 };
    memcpy(buf + 52, ph, sizeof ph);
    uint32_t mb[3] = { 0x1BADB002, 0, (uint32_t)-0x1BADB002 };
    memcpy(buf + 0x100, mb, sizeof mb);
    memset(buf + 0x10C, 0xAB, 0x34);
    return 0x140;
}

static void test_loader_higher_half(void **state)
{
    struct machine *m = new_machine(16 << 20);
    uint8_t buf[0x200];
    size_t len = elf_image(buf, 0xC0100000, 0x100000, 0x2000, 0xC0100010);
    struct mb_image img;
    char err[256] = "";
    assert_true(loader_load_image(m, "hh.elf", buf, len, &img, err, sizeof err));
    assert_int_equal(img.entry, 0x100010);     /* virtual entry -> physical */
    assert_int_equal(img.load_lo, 0x100000);
    assert_int_equal(img.load_hi, 0x102000);
    assert_int_equal(m->bus.ram[0x10000C], 0xAB);   /* file 0x10C -> 0x100000 + 0xC */
    assert_int_equal(m->bus.ram[0x100040], 0);  /* BSS zeroed */
    machine_free(m);
}

static void test_loader_kludge(void **state)
{
    struct machine *m = new_machine(16 << 20);
    uint8_t buf[0x100] = { 0 };
    /* a.out kludge: header at file offset 0x20, loaded so file offset 0 is at 0x200000 */
    uint32_t f = 0x10000;
    uint32_t h[8] = { 0x1BADB002, f, (uint32_t)-(0x1BADB002 + f),
                      0x200020, 0x200000, 0x200100, 0x201000, 0x200040 };
    memcpy(buf + 0x20, h, sizeof h);
    buf[0x40] = 0xF4;
    struct mb_image img;
    char err[256] = "";
    assert_true(loader_load_image(m, "k.bin", buf, sizeof buf, &img, err, sizeof err));
    assert_int_equal(img.entry, 0x200040);
    assert_int_equal(m->bus.ram[0x200040], 0xF4);
    assert_int_equal(img.load_hi, 0x201000);
    /* load_end beyond the file: truncated */
    h[5] = 0x200200;
    memcpy(buf + 0x20, h, sizeof h);
    assert_false(loader_load_image(m, "k.bin", buf, sizeof buf, &img, err, sizeof err));
    assert_non_null(strstr(err, "truncated"));
    machine_free(m);
}

static uint32_t rd32(struct machine *m, uint32_t a) { uint32_t v; memcpy(&v, m->bus.ram + a, 4); return v; }

static void test_loader_info(void **state)
{
    char path[] = "/tmp/vmscope-test-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    uint8_t buf[0x200];
    size_t len = elf_image(buf, 0x100000, 0x100000, 0x3000, 0x10010C);
    assert_int_equal(write(fd, buf, len), (ssize_t)len);
    close(fd);
    char modpath[] = "/tmp/vmscope-mod-XXXXXX";
    fd = mkstemp(modpath);
    assert_int_equal(write(fd, "module!", 7), 7);
    close(fd);
    char modarg[64];
    snprintf(modarg, sizeof modarg, "%s arg1", modpath);
    const char *mods[] = { modarg };

    struct machine *m = new_machine(16 << 20);
    char err[256] = "";
    assert_true(loader_boot(m, path, "kern.elf", "a=1 b", mods, 1, err, sizeof err));
    uint32_t mbi = m->mb_info;
    assert_int_equal(m->cpu.r[R_EAX], 0x2BADB002);
    assert_int_equal(m->cpu.r[R_EBX], mbi);
    assert_int_equal(m->cpu.eip, 0x10010C);
    assert_int_equal(rd32(m, mbi + 4), 639);
    assert_int_equal(rd32(m, mbi + 8), 15232);          /* as QEMU 7.2 for 16 MiB */
    assert_string_equal((char *)m->bus.ram + rd32(m, mbi + 16), "kern.elf a=1 b");
    assert_int_equal(rd32(m, mbi + 20), 1);
    uint32_t mod = rd32(m, mbi + 24);
    /* as under QEMU: the module list and strings fill the page after the
     * kernel, and the module starts on the page after them */
    assert_int_equal(mod, 0x103000);
    assert_int_equal(rd32(m, mod), 0x104000);
    assert_int_equal(rd32(m, mod + 4), 0x104007);
    assert_string_equal((char *)m->bus.ram + rd32(m, mod + 8), modarg);
    assert_memory_equal(m->bus.ram + 0x104000, "module!", 7);
    /* memory map: 6 entries, the fourth is [1 MiB, RAM - 128 KiB) usable */
    assert_int_equal(rd32(m, mbi + 44), 6 * 24);
    uint32_t e = rd32(m, mbi + 48) + 3 * 24;
    assert_int_equal(rd32(m, e + 4), 0x100000);
    assert_int_equal(rd32(m, e + 12), (16 << 20) - 0x20000 - 0x100000);
    assert_int_equal(rd32(m, e + 20), 1);
    machine_free(m);
    unlink(path);
    unlink(modpath);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clock_order),
        cmocka_unit_test(test_bus_ports),
        cmocka_unit_test(test_bus_memory),
        cmocka_unit_test(test_two_machines),
        cmocka_unit_test(test_machine_aligned),
        cmocka_unit_test(test_shutdown_port),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_loader_higher_half),
        cmocka_unit_test(test_loader_kludge),
        cmocka_unit_test(test_loader_info),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
