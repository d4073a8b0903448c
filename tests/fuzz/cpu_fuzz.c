/* libFuzzer target: random bytes executed as code for a bounded number of
 * instructions. The first input byte picks the setting:
 *   bit 0  run at CPL 3 (GDT with ring-3 segments, a TSS with a ring-0 stack)
 *   bit 1  paging on (identity 4 MiB PSE page, user and writable)
 *   bit 2  a small random GDT/LDT region: the next 64 input bytes become
 *          descriptors 6..13 of the GDT (segment loads, far transfers, gates)
 *   bit 3  random page tables (with bit 1): the first MiB is mapped by a
 *          4 KiB page table, then the next 64 input bytes are 8 (index,
 *          entry) pairs written into the page directory or the page table:
 *          entries that point outside RAM, at the tables themselves, at
 *          the code, stack, IDT and GDT pages, with any flag bits; the same
 *          bytes pick CR4.PSE and CR4.PGE
 *   bit 4  random gates: the next 32 input bytes become the IDT gates of
 *          #UD, #DF, #GP and #PF (any type, selector, DPL, present bit)
 *   bit 5  random table limits: the next 4 input bytes are the GDTR and
 *          IDTR limits (0 included)
 * The rest is code at 0x1000; every other IDT vector goes to a stub that
 * halts.
 * The run must end (HLT, a stop, or the bound), never crash the host, and
 * never retire more than MAX_INSNS instructions nor run past MAX_CYCLES.
 *
 * Built with -fsanitize=fuzzer under clang; with CPU_FUZZ_MAIN it is a
 * standalone driver that runs N pseudo-random inputs (for ASan/UBSan builds
 * with any compiler). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/machine.h"
#include "cpu/cpu_impl.h"

#define MAX_INSNS 20000u
#define MAX_CYCLES (50u * MAX_INSNS)     /* REP strings retire one instruction per restart */
#define CODE      0x1000u
#define GDT       0x600u
#define TSS       0x800u
#define IDT       0x2000u
#define STUBS     0x3000u
#define PD        0x5000u
#define PT        0x6000u

static void put(struct machine *m, uint32_t at, const void *b, size_t n) { bus_copy_in(m, at, b, n); }
static void put32(struct machine *m, uint32_t at, uint32_t v) { put(m, at, &v, 4); }

static void desc(struct machine *m, uint32_t at, uint32_t base, uint32_t limit, uint32_t flags)
{
    put32(m, at, (limit & 0xFFFF) | (base << 16));
    put32(m, at + 4, ((base >> 16) & 0xFF) | ((flags & 0xF0FF) << 8) | (limit & 0xF0000) | (base & 0xFF000000u));
}

/* The next N input bytes, or NULL when fewer are left. */
static const uint8_t *take(const uint8_t **data, size_t *size, size_t n)
{
    if (*size < n)
        return NULL;
    const uint8_t *p = *data;
    *data += n;
    *size -= n;
    return p;
}

static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* Random page tables (mode bit 3): a 4 KiB page table for the first MiB,
 * then 8 (index, entry) pairs written over the directory or the table. */
static void random_paging(struct machine *m, const uint8_t *pairs)
{
    struct cpu *c = &m->cpu;
    for (uint32_t i = 0; i < 256; i++)
        put32(m, PT + i * 4, i << 12 | 0x07);           /* P RW US */
    put32(m, PD, PT | 0x07);
    uint32_t cr4 = 0;
    for (unsigned k = 0; k < 8; k++) {
        uint32_t idx = get32(pairs + k * 8), val = get32(pairs + k * 8 + 4);
        uint32_t table = idx & 0x80000000u ? PT : PD;
        put32(m, table + (idx & 0x3FF) * 4, val);
        cr4 |= idx & (CR4_PSE | CR4_PGE);
    }
    c->cr4 = cr4;
    mmu_set_cr4(m, c->cr4);
}

static void setup(struct machine *m, uint8_t mode, const uint8_t *gdt_extra, const uint8_t *pt_pairs,
                  const uint8_t *gates, const uint8_t *limits)
{
    struct cpu *c = &m->cpu;
    cpu_multiboot_entry(m, CODE, 0x2BADB002u, 0);
    desc(m, GDT + 0x00, 0, 0, 0);
    desc(m, GDT + 0x08, 0, 0xFFFFF, 0xC09A);
    desc(m, GDT + 0x10, 0, 0xFFFFF, 0xC092);
    desc(m, GDT + 0x18, 0, 0xFFFFF, 0xC0FA);
    desc(m, GDT + 0x20, 0, 0xFFFFF, 0xC0F2);
    desc(m, GDT + 0x28, TSS, 0x67, 0x0089);
    if (gdt_extra)
        put(m, GDT + 0x30, gdt_extra, 64);
    put32(m, TSS + 4, 0x80000);
    put32(m, TSS + 8, 0x10);
    c->gdtr.base = GDT;
    c->gdtr.limit = 0x6F;
    c->idtr.base = IDT;
    c->idtr.limit = 0x7FF;
    for (unsigned v = 0; v < 256; v++) {
        uint8_t stub[2] = { 0xF4, 0xF4 };   /* hlt */
        put(m, STUBS + v * 2, stub, 2);
        put32(m, IDT + v * 8, ((STUBS + v * 2) & 0xFFFF) | (0x08u << 16));
        put32(m, IDT + v * 8 + 4, ((STUBS + v * 2) & 0xFFFF0000u) | 0xEE00u);
    }
    seg_set_cache(&c->tr, 0x28, TSS, 0x67, 0x008B);
    c->r[R_ESP] = 0x90000;
    if (mode & 2) {
        put32(m, PD, 0x000000E7u);          /* 4 MiB at 0: P RW US A D PS */
        c->cr4 = CR4_PSE;
        mmu_set_cr4(m, c->cr4);
        c->cr3 = PD;
        mmu_set_cr3(m, PD);
        if (pt_pairs)
            random_paging(m, pt_pairs);
        c->cr0 |= CR0_PG;
        mmu_set_cr0(m, c->cr0);
    }
    if (gates) {
        static const uint8_t vec[4] = { 6, 8, 13, 14 };
        for (unsigned k = 0; k < 4; k++)
            put(m, IDT + vec[k] * 8, gates + k * 8, 8);
    }
    if (limits) {
        c->gdtr.limit = (uint16_t)(limits[0] | limits[1] << 8);
        c->idtr.limit = (uint16_t)(limits[2] | limits[3] << 8);
    }
    if (mode & 1) {
        seg_set_cache(&c->seg[S_CS], 0x1B, 0, 0xFFFFFFFFu, 0xC0FB);
        for (unsigned s = 0; s < 6; s++)
            if (s != S_CS)
                seg_set_cache(&c->seg[s], 0x23, 0, 0xFFFFFFFFu, 0xC0F3);
        c->cpl = 3;
        c->eflags |= EFLAGS_IF;
    }
}

static void run_one(const uint8_t *data, size_t size)
{
    if (size < 1)
        return;
    struct vm_options opt = { 0 };
    char err[200];
    opt.mem = 1u << 20;
    opt.cpu_mhz = 100;
    opt.serial = "/dev/null";
    opt.debugcon = "/dev/null";
    struct machine *m = machine_new(&opt, err, sizeof err);
    if (!m) {
        fprintf(stderr, "cpu_fuzz: machine_new: %s\n", err);
        abort();
    }
    uint8_t mode = data[0];
    data++, size--;
    const uint8_t *extra = mode & 4 ? take(&data, &size, 64) : NULL;
    const uint8_t *pairs = (mode & 0xA) == 0xA ? take(&data, &size, 64) : NULL;
    const uint8_t *gates = mode & 0x10 ? take(&data, &size, 32) : NULL;
    const uint8_t *limits = mode & 0x20 ? take(&data, &size, 4) : NULL;
    if (size > 0x1000)
        size = 0x1000;
    setup(m, mode, extra, pairs, gates, limits);
    put(m, CODE, data, size);
    while (m->stop == STOP_NONE && !m->cpu.halted && m->cpu.insns < MAX_INSNS &&
           m->clock.cycles < MAX_CYCLES) {
        m->attn = 0;
        /* every instruction costs at least one cycle: at most the rest */
        cpu_run(m, m->clock.cycles + (MAX_INSNS - m->cpu.insns));
    }
    if (m->cpu.insns > MAX_INSNS)
        abort();    /* ran past the bound */
    machine_free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run_one(data, size);
    return 0;
}

#ifdef CPU_FUZZ_MAIN
int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000;
    uint64_t s = argc > 2 ? strtoull(argv[2], NULL, 0) : 12345;
    uint8_t buf[600];
    for (unsigned long k = 0; k < n; k++) {
        for (size_t j = 0; j < sizeof buf; j++) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            buf[j] = (uint8_t)s;
        }
        run_one(buf, 1 + (size_t)(s % (sizeof buf - 1)));
    }
    printf("cpu_fuzz: %lu inputs ran\n", n);
    return 0;
}
#endif
