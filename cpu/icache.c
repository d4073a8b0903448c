/* Decoded-instruction cache (see icache.h).
 *
 * Blocks are decoded from RAM once and kept in a bump arena; a full arena
 * flushes everything (no block is freed while the CPU may hold a pointer
 * into it: flushes happen only at lookup time). Each RAM frame that holds
 * decoded code has a byte bitmap and sets bus.code_frames[frame], so a write
 * that lands on a decoded byte (through the CPU's own fast path, which knows
 * the address, or through the bus callback, which knows only the frame)
 * invalidates the frame's blocks and tells the execution loop to refetch. */
#include "cpu/icache.h"

#include <stdlib.h>
#include <sys/mman.h>

struct cpu_icache *icache_new(uint32_t nframes)
{
    struct cpu_icache *ic = calloc(1, sizeof *ic);
    if (!ic)
        return NULL;
    ic->nframes = nframes;
    ic->pages = calloc(nframes ? nframes : 1, sizeof *ic->pages);
    ic->live = calloc(nframes ? nframes : 1, sizeof *ic->live);
    /* Anonymous memory, as guest RAM is: pages become resident as blocks
     * are decoded, and a machine that decodes little (a short run, a fuzz
     * input) costs little to build and free, under ASan too (whose malloc
     * poisons and unpoisons every byte of a block this size). */
    void *a = mmap(NULL, ICACHE_ARENA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ic->arena = a == MAP_FAILED ? NULL : a;
    if (!ic->pages || !ic->live || !ic->arena) {
        icache_free(ic);
        return NULL;
    }
    return ic;
}

/* A dropped frame's codepage goes to the spare list, not back to malloc. */
static void spare_put(struct cpu_icache *ic, struct cpu_codepage *p)
{
    p->next_spare = ic->spare;
    ic->spare = p;
}

/* A zeroed codepage: a spare one if there is one. */
static struct cpu_codepage *codepage_new(struct cpu_icache *ic)
{
    struct cpu_codepage *p = ic->spare;
    if (!p)
        return calloc(1, sizeof *p);
    ic->spare = p->next_spare;
    memset(p, 0, sizeof *p);
    return p;
}

static void drop_frame(struct machine *m, uint32_t frame)
{
    struct cpu_icache *ic = m->cpu.icache;
    struct cpu_codepage *p = ic->pages[frame];
    if (!p)
        return;
    for (struct cpu_block *b = p->blocks; b; b = b->pnext)
        b->valid = false;
    ic->pages[frame] = NULL;
    m->bus.code_frames[frame] = 0;
    uint32_t last = ic->live[--ic->nlive];
    if (last != frame) {
        ic->live[p->live_idx] = last;
        ic->pages[last]->live_idx = p->live_idx;
    }
    spare_put(ic, p);
    ic->invalidations++;
    cpu_slow_set(&m->cpu, SLOW_SMC);
}

void icache_free(struct cpu_icache *ic)
{
    if (!ic)
        return;
    if (ic->pages)
        for (uint32_t k = 0; k < ic->nlive; k++)
            free(ic->pages[ic->live[k]]);
    while (ic->spare) {
        struct cpu_codepage *p = ic->spare;
        ic->spare = p->next_spare;
        free(p);
    }
    free(ic->pages);
    free(ic->live);
    if (ic->arena)
        munmap(ic->arena, ICACHE_ARENA);
    free(ic);
}

void icache_flush(struct machine *m)
{
    struct cpu_icache *ic = m->cpu.icache;
    for (uint32_t k = 0; k < ic->nlive; k++) {
        uint32_t f = ic->live[k];
        spare_put(ic, ic->pages[f]);
        ic->pages[f] = NULL;
        m->bus.code_frames[f] = 0;
    }
    ic->nlive = 0;
    memset(ic->hash, 0, sizeof ic->hash);
    ic->used = 0;
    ic->flushes++;
    cpu_slow_set(&m->cpu, SLOW_SMC);
}

void icache_frame_write(struct machine *m, uint32_t frame)
{
    if (frame < m->cpu.icache->nframes)
        drop_frame(m, frame);
}

void icache_code_write(struct machine *m, uint32_t paddr, unsigned sz)
{
    struct cpu_icache *ic = m->cpu.icache;
    uint32_t frame = paddr >> 12;
    struct cpu_codepage *p = frame < ic->nframes ? ic->pages[frame] : NULL;
    if (!p) {
        m->bus.code_frames[frame] = 0;
        return;
    }
    for (uint32_t a = paddr & 0xFFF, e = a + sz; a < e && a < 4096; a++) {
        if ((p->bits[a >> 6] >> (a & 63)) & 1) {
            drop_frame(m, frame);
            return;
        }
    }
}

/* Arena bytes for a block header and N instructions (16-byte aligned). */
static inline size_t block_size(unsigned n)
{
    return (sizeof(struct cpu_block) + n * sizeof(struct insn) + 15) & ~(size_t)15;
}

static inline uint32_t hash_of(uint32_t phys)
{
    return (phys * 0x9E3779B1u) >> (32 - ICACHE_HASH_BITS);
}

/* Link B, starting at PHYS, into the hash and into page P's list. */
static struct cpu_block *publish(struct cpu_icache *ic, struct cpu_codepage *p, struct cpu_block *b,
                                 uint32_t phys, bool code32)
{
    b->phys = phys;
    b->code32 = code32;
    b->valid = true;
    b->succ[0] = b->succ[1] = NULL;
    b->pnext = p->blocks;
    p->blocks = b;
    uint32_t h = hash_of(phys);
    b->hnext = ic->hash[h];
    ic->hash[h] = b;
    return b;
}

/* A view of the tail of a block of page P that has an instruction starting
 * at PHYS, or NULL. The same bytes decode the same way from either start
 * (decoding reads the page from PHYS on, up to the page's end), so the view
 * runs what a block decoded at PHYS would, up to the other's end. */
static struct cpu_block *view(struct cpu_icache *ic, struct cpu_codepage *p, uint32_t phys, bool code32)
{
    for (struct cpu_block *d = p->decoded; d; d = d->bnext) {
        if (d->code32 != code32 || phys <= d->phys || phys >= d->phys + d->bytes)
            continue;
        uint32_t a = d->phys;
        unsigned k = 0;
        while (a < phys)
            a += d->insn[k++].len;
        if (a != phys)
            continue;
        size_t size = block_size(0);
        if (ic->used + size > ICACHE_ARENA)
            return NULL;    /* build flushes, then decodes */
        struct cpu_block *b = (struct cpu_block *)(ic->arena + ic->used);
        ic->used += size;
        b->n = (uint16_t)(d->n - k);
        b->bytes = (uint16_t)(d->phys + d->bytes - phys);
        b->insn = d->insn + k;
        b->bnext = NULL;
        ic->views++;
        return publish(ic, p, b, phys, code32);
    }
    return NULL;
}

static struct cpu_block *build(struct machine *m, uint32_t phys, bool code32)
{
    struct cpu_icache *ic = m->cpu.icache;
    uint32_t frame = phys >> 12;
    const uint8_t *page = bus_ram_ptr(&m->bus, phys & ~0xFFFu, 4096);
    if (!page || frame >= ic->nframes)
        return NULL;
    size_t need = block_size(ICACHE_BLOCK_MAX);
    unsigned off = phys & 0xFFF, start = off, n = 0;
    struct cpu_codepage *p = ic->pages[frame];
    if (p && ((p->bits[off >> 6] >> (off & 63)) & 1)) {
        struct cpu_block *v = view(ic, p, phys, code32);
        if (v)
            return v;
    }
    if (ic->used + need > ICACHE_ARENA) {
        icache_flush(m);
        p = NULL;
    }
    struct cpu_block *b = (struct cpu_block *)(ic->arena + ic->used);
    b->insn = (struct insn *)(b + 1);
    while (n < ICACHE_BLOCK_MAX && off < 4096) {
        int len = decode_insn(&b->insn[n], page + off, 4096 - off, code32);
        if (len <= 0)
            break;  /* crosses the page or too long: executed uncached */
        off += (unsigned)len;
        if (b->insn[n++].flags & I_END)
            break;
    }
    if (n == 0)
        return NULL;
    if (!p) {
        p = codepage_new(ic);
        if (!p)
            return NULL;
        ic->pages[frame] = p;
        p->live_idx = ic->nlive;
        ic->live[ic->nlive++] = frame;
        m->bus.code_frames[frame] = 1;
    }
    for (unsigned a = start; a < off; a++)
        p->bits[a >> 6] |= 1ull << (a & 63);
    ic->used += block_size(n);
    b->n = (uint16_t)n;
    b->bytes = (uint16_t)(off - start);
    b->bnext = p->decoded;
    p->decoded = b;
    ic->builds++;
    return publish(ic, p, b, phys, code32);
}

struct cpu_block *icache_lookup(struct machine *m, uint32_t phys, bool code32)
{
    struct cpu_icache *ic = m->cpu.icache;
    struct cpu_block **pp = &ic->hash[hash_of(phys)], *b;
    while ((b = *pp) != NULL) {
        if (!b->valid) {
            *pp = b->hnext;     /* unlink dead blocks as we pass */
            continue;
        }
        if (b->phys == phys && b->code32 == code32)
            return b;
        pp = &b->hnext;
    }
    return build(m, phys, code32);
}
