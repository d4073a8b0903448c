/* libFuzzer target: random bytes executed as code for a bounded number of
 * instructions. The first input byte picks the setting:
 *   bit 0  run at CPL 3 (GDT with ring-3 segments, a TSS with a ring-0 stack)
 *   bit 1  paging on (identity 4 MiB PSE page, user and writable)
 *   bit 2  a small random GDT/LDT region: the next 64 input bytes become
 *          descriptors 6..13 of the GDT (segment loads, far transfers, gates)
 *   bit 3  x87 mode: the rest of the input is not code but a recipe for it
 *          (x87_program): every ESC opcode and ModRM form, memory operands
 *          at [EBX+disp8] in a 256-byte data area of input bytes (raw 80-bit
 *          values, control words with unmasked exceptions, images for
 *          FLDENV/FRSTOR), FWAIT, FNINIT, FNCLEX, the 0x66 prefix; #MF
 *          (vector 16) returns after FNCLEX, #NM (vector 7) after CLTS,
 *          and other exceptions skip the instruction, so a run goes on
 *   bit 4  with bit 3: CR0.NE (else pending exceptions raise FERR#)
 *   bit 5  with bit 3: CR0.TS and CR0.MP (#NM on the first ESC or WAIT)
 *   bit 6  random page tables (with bit 1): the first MiB is mapped by a
 *          4 KiB page table, then the next 64 input bytes are 8 (index,
 *          entry) pairs written into the page directory or the page table:
 *          entries that point outside RAM, at the tables themselves, at
 *          the code, stack, IDT and GDT pages, with any flag bits; the same
 *          bytes pick CR4.PSE and CR4.PGE
 *   bit 7  random gates and limits: the next 32 input bytes become the IDT
 *          gates of #UD, #DF, #GP and #PF (any type, selector, DPL, present
 *          bit), the 4 after them the GDTR and IDTR limits (0 included)
 * The rest is code at 0x1000; every other IDT vector goes to a stub that
 * halts.
 * The run must end (HLT, a stop, or the bound), never crash the host, and
 * never retire more than MAX_INSNS instructions nor run past MAX_CYCLES.
 *
 * Built with -fsanitize=fuzzer under clang; with CPU_FUZZ_MAIN it is a
 * standalone driver that runs N pseudo-random inputs (for ASan/UBSan builds
 * with any compiler). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/machine.h"
#include "cpu/cpu_impl.h"

/* A fifth of the corpus runs into this bound and does most of the work,
 * but a bound of 5000 lost coverage on the corpus (cov 15566 to 15426):
 * programs that halt after thousands of instructions reach code the
 * shorter ones do not. */
#define MAX_INSNS 20000u
#define MAX_CYCLES (50u * MAX_INSNS)     /* REP strings retire one instruction per restart */
#define CODE      0x1000u
#define GDT       0x600u
#define TSS       0x800u
#define IDT       0x2000u
#define STUBS     0x3000u
#define PD        0x5000u
#define PT        0x6000u
#define X87_DATA  0x4000u
#define X87_STUBS 0x3400u
#define X87_RECIPE 3u       /* input bytes per generated instruction */

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

/* Random page tables (mode bit 6): a 4 KiB page table for the first MiB,
 * then 8 (index, entry) pairs written over the directory or the table. */
static void random_paging(struct machine *m, const uint8_t *pairs)
{
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
    mmu_set_cr4(m, cr4);
}

/* Random gates and table limits (mode bit 7). */
static void random_gates(struct machine *m, const uint8_t *gates)
{
    static const uint8_t vec[4] = { 6, 8, 13, 14 };
    for (unsigned k = 0; k < 4; k++)
        put(m, IDT + vec[k] * 8, gates + k * 8, 8);
    m->cpu.gdtr.limit = (uint16_t)(gates[32] | gates[33] << 8);
    m->cpu.idtr.limit = (uint16_t)(gates[34] | gates[35] << 8);
}

static void setup(struct machine *m, uint8_t mode, const uint8_t *gdt_extra, const uint8_t *pt_pairs)
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
        mmu_set_cr4(m, CR4_PSE);
        mmu_set_cr3(m, PD);
        if (pt_pairs)
            random_paging(m, pt_pairs);
        mmu_set_cr0(m, m->mmu.cr0 | CR0_PG);
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

/* x87 mode: turn recipe bytes into x87 code at CODE. Each generated
 * instruction takes X87_RECIPE input bytes (kind, ModRM, displacement) and
 * fills one 4-byte unit, padded with NOPs in front, so a fault handler can
 * skip it (x87_setup). Memory forms address [EBX+disp8] with EBX =
 * X87_DATA, so every operand lies in the data area. Returns the code
 * length. */
static size_t x87_program(uint8_t *code, size_t cap, const uint8_t *r, size_t n)
{
    static const uint8_t prologue[8] = { 0xBB, X87_DATA & 0xFF, (X87_DATA >> 8) & 0xFF, 0, 0, 0x90, 0x90, 0x90 };
    size_t len = sizeof prologue;
    memcpy(code, prologue, len);                /* mov ebx, X87_DATA */
    for (size_t k = 0; k + X87_RECIPE <= n && len + 5 <= cap; k += X87_RECIPE) {
        uint8_t kind = r[k], modrm = r[k + 1], disp = r[k + 2] & 0xF7, *u = code + len;
        memset(u, 0x90, 4);
        switch (kind >> 4) {
        case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9:
            /* any ESC opcode and ModRM; memory forms at [EBX+disp8], some
             * with 0x66 (the 16-bit FLDENV/FNSTENV/FRSTOR/FNSAVE images) */
            u[1] = (uint8_t)(0xD8 | (kind & 7));
            if ((modrm >> 6) == 3) {
                u[2] = modrm;
            } else {
                if (kind & 8)
                    u[0] = 0x66;
                u[2] = (uint8_t)(0x40 | (modrm & 0x38) | 3);
                u[3] = disp;
            }
            break;
        case 10:                                /* fldcw: random masks, RC, PC */
        case 11:                                /* fld m80: raw encodings */
            u[1] = (kind >> 4) == 10 ? 0xD9 : 0xDB;
            u[2] = (kind >> 4) == 10 ? 0x6B : 0x6B;
            u[3] = disp;
            break;
        case 12:
            u[3] = 0x9B;                        /* fwait */
            break;
        case 13:
            u[2] = 0xDB;                        /* fninit or fnclex */
            u[3] = (modrm & 1) ? 0xE3 : 0xE2;
            break;
        case 14:                                /* D9 register forms: constants, FXAM, transcendentals */
            u[2] = 0xD9;
            u[3] = (uint8_t)(0xC0 | modrm);
            break;
        default:                                /* fcomi/fucomi(p), then a conditional jump */
            u[0] = (modrm & 1) ? 0xDB : 0xDF;
            u[1] = (uint8_t)(0xE8 | (modrm & 0x17));
            u[2] = (uint8_t)(0x70 | (disp & 15));
            u[3] = 0;
            break;
        }
        len += 4;
    }
    code[len++] = 0xF4;                         /* hlt */
    return len;
}

/* x87 mode: the data area from the next 256 input bytes, CR0 by the mode
 * bits, and handlers that keep a run going: #NM clears TS and retries,
 * #MF clears the exceptions and retries, any other exception skips the
 * 4-byte unit that raised it (its error code popped first). */
static void x87_setup(struct machine *m, uint8_t mode, const uint8_t **data, size_t *size)
{
    uint8_t area[256] = { 0 };
    size_t n = *size < sizeof area ? *size : sizeof area;
    memcpy(area, *data, n);
    put(m, X87_DATA, area, sizeof area);
    *data += n;
    *size -= n;
    static const uint8_t nm[] = { 0x0F, 0x06, 0xCF };                       /* clts; iret */
    static const uint8_t mf[] = { 0xDB, 0xE2, 0xCF };                       /* fnclex; iret */
    static const uint8_t skip[] = { 0x83, 0xC4, 0x04,                       /* add esp, 4 (error code) */
                                    0x83, 0x04, 0x24, 0x04,                 /* add dword [esp], 4 */
                                    0x83, 0x24, 0x24, 0xFC, 0xCF };         /* and dword [esp], ~3; iret */
    put(m, X87_STUBS, nm, sizeof nm);
    put(m, X87_STUBS + 0x10, mf, sizeof mf);
    put(m, X87_STUBS + 0x20, skip, sizeof skip);
    for (unsigned v = 0; v < 32; v++) {
        bool err = v == 8 || (v >= 10 && v <= 14) || v == 17;
        uint32_t at = v == 7 ? X87_STUBS : v == 16 ? X87_STUBS + 0x10 : X87_STUBS + 0x20 + (err ? 0 : 3);
        put32(m, IDT + v * 8, (at & 0xFFFF) | (0x08u << 16));
    }
    uint32_t cr0 = m->mmu.cr0 & ~(uint32_t)(CR0_EM | CR0_TS | CR0_MP | CR0_NE);
    if (mode & 0x10)
        cr0 |= CR0_NE;
    if (mode & 0x20)
        cr0 |= CR0_TS | CR0_MP;
    mmu_set_cr0(m, cr0);
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
    const uint8_t *pairs = (mode & 0x42) == 0x42 ? take(&data, &size, 64) : NULL;
    const uint8_t *gates = mode & 0x80 ? take(&data, &size, 36) : NULL;
    setup(m, mode, extra, pairs);
    if (mode & 8) {
        uint8_t code[0x1000];
        x87_setup(m, mode, &data, &size);
        put(m, CODE, code, x87_program(code, sizeof code, data, size));
    } else {
        if (size > 0x1000)
            size = 0x1000;
        put(m, CODE, data, size);
    }
    if (gates)
        random_gates(m, gates);
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
