/* The fast paths' adversary: a guest that does everything that could make
 * the CPU's shortcuts (fast-path entries, deferred fetch hits, REP runs, the
 * trace writer's replays) disagree with the TLB model, under whatever policy
 * and geometry the run is given. tests/emu/fastpath_equal.py runs it with
 * and without --no-fastpath under every policy and compares counts, cycles
 * and trace bytes. Each round, with pseudo-random choices:
 *   - page-table edits behind the TLB's back (remap, write-protect, unmap,
 *     clear A and D), followed by INVLPG or by nothing, then accesses that
 *     may hit the stale entry;
 *   - CR0.WP toggled around supervisor writes to read-only pages (#PF);
 *   - CR4.PGE toggled with global pages, CR3 reloaded (two directories);
 *   - self-modifying code across a page boundary (an instruction whose bytes
 *     span two pages, rewritten between runs);
 *   - accesses that change the replacement order in every set: pages
 *     visited in orders that differ from round to round, code run from many
 *     pages, REP MOVS/STOS/CMPS between pages of one set;
 *   - 4 MiB pages (CR4.PSE).
 * Deterministic and interrupt-free; prints one checksum line. */
#include "tests/bench/guests/bench.h"

#define WIN     0x00800000u     /* 8 MiB: 512 data pages remapped at will */
#define NWIN    512u
#define FRAMES  0x00A00000u     /* 10 MiB: frames the window pages point at */
#define CODE    0x00C00000u     /* 12 MiB: generated code, 64 pages */
#define BIG     0x01000000u     /* 16 MiB: one 4 MiB page (PSE) onto 4 MiB */

static uint32_t pd2[1024] __attribute__((aligned(4096)));   /* a second directory */
static uint32_t *pte;
static uint32_t seed = 1, sum;

static uint32_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

static inline void invlpg(uint32_t lin) { __asm__ volatile("invlpg (%0)" :: "r"(lin) : "memory"); }
static inline uint32_t rd_cr(int n)
{
    uint32_t v = 0;
    if (n == 0) __asm__ volatile("mov %%cr0, %0" : "=r"(v));
    if (n == 3) __asm__ volatile("mov %%cr3, %0" : "=r"(v));
    if (n == 4) __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
static inline void wr_cr0(uint32_t v) { __asm__ volatile("mov %0, %%cr0" :: "r"(v) : "memory"); }
static inline void wr_cr3(uint32_t v) { __asm__ volatile("mov %0, %%cr3" :: "r"(v) : "memory"); }
static inline void wr_cr4(uint32_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }

static void mix(uint32_t v) { sum = (sum << 5 | sum >> 27) ^ v; }

/* An access that may fault: the fault is part of the checksum. */
struct acc { volatile uint32_t *p; uint32_t v; int write; };
static void do_acc(void *a)
{
    struct acc *x = a;
    if (x->write)
        *x->p = x->v;
    else
        x->v = *x->p;
}
static void touch(uint32_t lin, int write, uint32_t v)
{
    struct acc x = { (volatile uint32_t *)lin, v, write };
    struct rt_fault f;
    int vec = rt_try(do_acc, &x, &f);
    mix(vec < 0 ? x.v : (uint32_t)vec << 24 ^ f.err ^ f.cr2);
}

/* Page-table edits behind the TLB's back. */
static void edits(void)
{
    for (unsigned k = 0; k < 24; k++) {
        uint32_t p = rnd() % NWIN, lin = WIN + p * 4096, *e = &pte[lin >> 12];
        uint32_t r = rnd();
        touch(lin + (r & 0xFFC), r & 1, r);     /* cache it (or not: it may be unmapped) */
        switch (r >> 8 & 7) {
        case 0: *e = (FRAMES + (rnd() % 256) * 4096) | 3; break;   /* remap */
        case 1: *e &= ~2u; break;                                  /* write-protect */
        case 2: *e &= ~1u; break;                                  /* unmap */
        case 3: *e &= ~0x60u; break;                               /* clear A and D */
        case 4: *e |= 3; break;                                    /* map again */
        case 5: *e ^= 4u; break;                                   /* toggle U/S */
        default: break;
        }
        if (r >> 12 & 1)
            invlpg(lin);
        touch(lin + (r >> 16 & 0xFFC), r >> 20 & 1, r);   /* the stale entry, or the new one */
        touch(lin + 0x800, 1, k);
    }
}

/* Every set's order: page sequences that differ from round to round. */
static void orders(void)
{
    uint32_t stride = 1 + (rnd() & 15), n = 8 + (rnd() & 63), base = rnd() % NWIN;
    for (unsigned rep = 0; rep < 3; rep++)
        for (uint32_t i = 0; i < n; i++) {
            uint32_t p = (base + i * stride + (rep & 1 ? n - i : 0)) % NWIN;
            touch(WIN + p * 4096 + (i * 4 & 0xFFC), (i + rep) & 1, i);
        }
}

/* REP string runs between pages, often of one set. */
static void strings(void)
{
    uint32_t a = WIN + (rnd() % NWIN) * 4096 + (rnd() & 0xFF0), b = WIN + (rnd() % NWIN) * 4096 + (rnd() & 0xFF0);
    uint32_t n = rnd() & 1023;
    struct acc x = { (volatile uint32_t *)a, 0, 0 };
    struct rt_fault f;
    if (rt_try(do_acc, &x, &f) >= 0 || (x.p = (volatile uint32_t *)b, x.write = 1, rt_try(do_acc, &x, &f)) >= 0) {
        mix(f.cr2);
        return;
    }
    uint32_t room = 0x1000 - (a > b ? a & 0xFFF : b & 0xFFF);
    if (n > room)
        n = room;
    __asm__ volatile("cld; rep movsb" : "+S"(a), "+D"(b), "+c"(n) :: "memory");
    mix(a ^ b ^ n);
}

/* Code on 64 pages: each page holds "mov $k, %eax; ret" at a varying
 * offset, one instruction straddling into the next page; called in
 * varying orders, rewritten now and then (self-modifying code). */
static void code(uint32_t round)
{
    uint8_t *c = (uint8_t *)CODE;
    for (unsigned k = 0; k < 64; k++) {
        uint32_t p = (k * 7 + round) & 63;
        uint32_t off = p == 63 ? 0xFF0 : (p * 37 + round * 3) & 0xFF0;
        if (p != 63 && off == 0xFF0)
            off = 0xFE0;
        uint8_t *q = c + p * 4096 + off;
        if (p == 63) {
            /* a 5-byte MOV whose immediate runs onto page 64 */
            q = c + 64 * 4096 - 3;
        }
        /* written every time (the offset moves with the round); now and
         * then written twice, after a first version ran */
        uint32_t v = round * 131 + k;
        q[0] = 0xB8;                    /* mov $imm32, %eax */
        memcpy(q + 1, &v, 4);
        q[5] = 0xC3;                    /* ret */
        if ((rnd() & 3) == 0) {
            uint32_t r0;
            __asm__ volatile("call *%1" : "=a"(r0) : "r"(q) : "memory", "ecx", "edx");
            mix(r0);
            v ^= 0x5A5A;
            memcpy(q + 1, &v, 4);
        }
        uint32_t r;
        __asm__ volatile("call *%1" : "=a"(r) : "r"(q) : "memory", "ecx", "edx");
        mix(r);
    }
}

int main(struct mb_info *mbi)
{
    uint32_t rounds = bench_iters(mbi, 20);
    pte = bench_paging_on();
    /* the window at 8-10 MiB points at the frames at 10-11 MiB to begin with */
    for (uint32_t p = 0; p < NWIN; p++)
        pte[(WIN >> 12) + p] = (FRAMES + (p & 255) * 4096) | 3;
    /* the code pages and the page after them are global */
    for (uint32_t p = 0; p <= 64; p++)
        pte[(CODE >> 12) + p] |= 0x100;
    invlpg(0);
    wr_cr3(rd_cr(3));
    /* a second directory: the same tables, and one 4 MiB page at 16 MiB */
    uint32_t *pd = (uint32_t *)(rd_cr(3) & ~0xFFFu);
    for (unsigned i = 0; i < 1024; i++)
        pd2[i] = pd[i];
    pd2[BIG >> 22] = 0x00400000u | 0x83;    /* PS, RW, P */
    uint32_t cr3a = rd_cr(3), cr3b = (uint32_t)pd2;
    for (uint32_t round = 0; round < rounds; round++) {
        uint32_t r = rnd();
        edits();
        orders();
        strings();
        code(round);
        if (r & 1) {            /* WP toggled around supervisor writes to read-only pages */
            wr_cr0(rd_cr(0) ^ 0x10000u);
            touch(WIN + (r >> 4) % NWIN * 4096, 1, r);
        }
        if (r & 2)              /* PGE toggled: global pages kept or flushed */
            wr_cr4(rd_cr(4) ^ 0x80u);
        if (r & 4) {            /* PSE on, the other directory, a 4 MiB page */
            wr_cr4(rd_cr(4) | 0x10u);
            wr_cr3(cr3b);
            touch(BIG + (r & 0x3FFFFC), r >> 3 & 1, r);
            touch(BIG + (r >> 9 & 0x3FFFFC), 0, r);
            code(round);
            wr_cr3(cr3a);
        } else {
            wr_cr3(r & 8 ? cr3a : cr3b);    /* a CR3 reload */
            code(round);
            wr_cr3(cr3a);
        }
    }
    wr_cr0(rd_cr(0) | 0x10000u);
    rt_printf("tlbstress: %u rounds, checksum %08x\n", rounds, sum);
    return 0;
}
