/* The execution loop, CPU construction and the Multiboot entry state.
 *
 * Per instruction: one fetch translation of the instruction's page (two when
 * its bytes cross a page: DESIGN.md "What one translation is"), a decoded
 * instruction from the cache (or decoded on the spot), the base cycle cost,
 * the handler. Rare work (interrupts, the STI/MOV SS shadow, single-step,
 * self-modifying code, --itrace) sets a bit of cpu.slow, which also zeroes
 * cpu.lim, the clock bound the block loop compares with after each
 * instruction. Exceptions longjmp to the single setjmp in cpu_run.
 *
 * Reset and Multiboot state: Intel SDM vol. 3A §9.1 table 9-1; Multiboot
 * specification 0.6.96 §3.2 (machine state on entry). */
#include "cpu/cpu_impl.h"
#include "cpu/icache.h"

#include <stdlib.h>
#include <string.h>

bool cpu_init(struct machine *m)
{
    struct cpu *c = &m->cpu;
    c->icache = icache_new(m->bus.ram_size >> 12);
    c->scratch = calloc(1, sizeof *c->scratch);
    c->xinsn = calloc(CPU_XINSN, sizeof *c->xinsn);
    if (!c->icache || !c->scratch || !c->xinsn) {
        cpu_free(m);
        return false;
    }
    if (m->opt.mem_prealloc)
        memset(c->icache->arena, 0, ICACHE_ARENA);  /* resident now, not as blocks are decoded */
    m->bus.code_write = icache_frame_write;
    m->mmu.notify = &c->slow;
    m->mmu.notify_bits = SLOW_MMU;
    m->mmu.notify_stop = &c->lim;
    c->exc_vec = -1;
    c->exc_delivering = -1;
    cpu_multiboot_entry(m, 0, 0, 0);
    return true;
}

void cpu_free(struct machine *m)
{
    struct cpu *c = &m->cpu;
    icache_free(c->icache);
    free(c->scratch);
    free(c->xinsn);
    cpu_itrace_free(m);
    m->mmu.notify = &m->mmu.notify_dummy;
    m->mmu.notify_stop = &m->mmu.notify_stop_dummy;
    c->icache = NULL;
    c->scratch = NULL;
    c->xinsn = NULL;
}

void cpu_multiboot_entry(struct machine *m, uint32_t eip, uint32_t eax, uint32_t ebx)
{
    struct cpu *c = &m->cpu;
    memset(c->r, 0, sizeof c->r);
    c->r[R_EAX] = eax;
    c->r[R_EBX] = ebx;
    c->eip = eip;
    flags_write(m, 0x2);
    /* flat 4 GiB: code execute/read accessed, data read/write accessed,
     * both present, DPL 0, 32-bit, 4 KiB granularity */
    seg_set_cache(&c->seg[S_CS], 0x08, 0, 0xFFFFFFFFu, 0xC09B);
    for (unsigned s = 0; s < 6; s++)
        if (s != S_CS)
            seg_set_cache(&c->seg[s], 0x10, 0, 0xFFFFFFFFu, 0xC093);
    seg_set_cache(&c->ldtr, 0, 0, 0xFFFF, 0x0082);
    seg_set_cache(&c->tr, 0, 0, 0xFFFF, 0x008B);
    c->gdtr = (struct cpu_dtr){ 0, 0xFFFF };
    c->idtr = (struct cpu_dtr){ 0, 0xFFFF };
    c->cr2 = 0;
    memset(c->dr, 0, sizeof c->dr);
    c->dr[6] = 0xFFFF0FF0u;
    c->dr[7] = 0x400;
    c->cpl = 0;
    c->halted = false;
    c->shadow = 0;
    c->step_trap = false;
    c->slow &= SLOW_ITRACE;
    c->exc_vec = -1;
    c->exc_delivering = -1;
    c->tsc_offset = 0;
    fpu_reset(&c->fpu);
    mmu_set_cr0(m, CR0_PE | CR0_ET);
    mmu_set_cr3(m, 0);
    mmu_set_cr4(m, 0);
}

/* Record the fetches the loop deferred (see cpu.h): INFLIGHT is 1 when an
 * instruction whose fetch was deferred is still in flight (it raised an
 * exception, or it fetches from a second page). The deferred fetches are
 * hits on one entry of a structure that nothing else looked up since the
 * first of them, so recording them now leaves the replacement state as
 * recording each in its turn would have. */
static void fetch_sync(struct machine *m, unsigned inflight)
{
    struct cpu *c = &m->cpu;
    if (c->fetch_later.hits) {
        uint64_t n = c->insns + inflight - c->fetch_base;
        if (n)
            mmu_later_count(c->fetch_later, n);
        c->fetch_later.hits = NULL;
    }
}

/* N code bytes at PHYS: RAM's copied, anything else read as the bus reads it. */
static void read_code(struct machine *m, uint32_t phys, uint8_t *buf, unsigned n)
{
    const uint8_t *p = bus_ram_ptr(&m->bus, phys, n);
    if (p) {
        memcpy(buf, p, n);
        return;
    }
    for (unsigned k = 0; k < n; k++)
        buf[k] = (uint8_t)bus_read(m, phys + k, 1);
}

/* Decode the instruction at LIN (first page at PHYS) outside the cache:
 * code that is not RAM, or whose bytes cross into the next page (the second
 * page is translated only then). An instruction that crosses is kept in
 * cpu.xinsn with its bytes: the loop comes here on every execution of it,
 * and when the bytes are the same it is not decoded again (a decoded
 * instruction depends on its bytes and the code size alone). */
static const struct insn *fetch_uncached(struct machine *m, uint32_t lin, uint32_t phys, bool code32)
{
    uint8_t buf[16];
    unsigned first = 0x1000 - (lin & 0xFFF);
    unsigned n = first < 15 ? first : 15;
    read_code(m, phys, buf, n);
    struct cpu_xinsn *x = &m->cpu.xinsn[(phys ^ (phys >> 5)) & (CPU_XINSN - 1)];
    bool known = x->len && x->code32 == code32 && x->first == n && memcmp(x->bytes, buf, n) == 0;
    /* (known: these first-page bytes decoded before as an instruction that goes on) */
    if (!known) {
        int len = decode_insn(m->cpu.scratch, buf, n, code32);
        if (len > 0)
            return m->cpu.scratch;
        if (len < 0)
            GP0(m);     /* longer than 15 bytes */
    }
    uint32_t phys2;
    /* the first page's deferred hits come before the second page's
     * lookup (the run loop then looks the next fetch up afresh) */
    fetch_sync(m, 1);
    if (!mmu_translate(m, lin + first, MMU_FETCH, m->cpu.cpl, &phys2))
        cpu_page_fault(m);
    read_code(m, phys2, buf + n, 15 - n);
    if (known && memcmp(x->bytes + n, buf + n, x->len - n) == 0)
        return &x->insn;
    x->len = 0;
    int len = decode_insn(&x->insn, buf, 15, code32);
    if (len < 0)
        GP0(m);     /* longer than 15 bytes */
    memcpy(x->bytes, buf, 15);
    x->len = (uint8_t)len;
    x->first = (uint8_t)n;
    x->code32 = code32;
    return &x->insn;
}

/* How the run loop records a fetch answered by its fetch entry without a
 * lookup. */
enum {
    FETCH_NOW,          /* counted (and traced) now: the entry's structure answers data too */
    FETCH_LATER,        /* counted later (cpu.fetch_later); only the clock moves now */
    FETCH_LATER_TRACED, /* counted later, its trace record made now from the key kept */
};

/* A fetch answered by fetch entry FE without a lookup (DEFER as above; FKEY
 * its trace key with FETCH_LATER_TRACED): the hit's cycles for the caller to
 * charge with the instruction's when its count is deferred, else 0. */
static inline __attribute__((always_inline)) uint64_t fetch_again(struct machine *m, const struct mmu_fast *fe, uint32_t lin, unsigned defer,
                                                            uint64_t fkey, uint64_t hit)
{
    if (likely(defer == FETCH_LATER))
        return hit;
    if (defer == FETCH_LATER_TRACED) {
        /* at the clock before the hit's cycles, as mmu_fast_count records it */
        mmu_emit_hit(m, m->clock.cycles, fkey, lin);
        return hit;
    }
    mmu_fast_count(m, fe, lin, MMU_FETCH, m->cpu.cpl);
    return 0;
}

/* Before an instruction, when cpu.slow is set (SLOW_IRQ: the INTR line is
 * up; every rise of INTR also sets m->attn, so the loop re-enters and
 * cpu_run sets SLOW_IRQ).
 * Returns true when control moved (an interrupt was delivered) or the
 * decoded block must be dropped. */
static bool pre_insn(struct machine *m)
{
    struct cpu *c = &m->cpu;
    bool drop = false;
    c->slow &= ~SLOW_MMU;   /* the loop compares mmu.gen itself here */
    if (c->slow & SLOW_SMC) {
        c->slow &= ~SLOW_SMC;
        drop = true;
    }
    if ((c->slow & SLOW_IRQ) && (!m->intr || !(c->eflags & EFLAGS_IF)))
        c->slow &= ~SLOW_IRQ;   /* STI, POPF, IRET and delivery set it again */
    if ((c->slow & SLOW_IRQ) && (c->eflags & EFLAGS_IF) && c->shadow == 0) {
        c->halted = false;
        c->insn_eip = c->eip;
        cpu_deliver_ext(m, machine_intr_ack(m));
        return true;
    }
    /* The single-step trap follows TF as it was when the instruction began
     * (SDM vol. 3A 17.3.1.4): a POPF that sets TF traps after the next
     * instruction, one that clears it still traps after itself. SLOW_STEP
     * keeps post_insn running even when the instruction clears TF. */
    c->step_trap = (c->eflags & EFLAGS_TF) != 0;
    if (c->step_trap)
        cpu_slow_set(c, SLOW_STEP);
    if (c->slow & SLOW_ITRACE)
        cpu_itrace_begin(m);
    return drop;
}

/* After an instruction, when cpu.slow is set. Returns POST_* bits. */
#define POST_DROP 1     /* drop the decoded block */
#define POST_STOP 2     /* leave the loop (HLT) */
static unsigned post_insn(struct machine *m)
{
    struct cpu *c = &m->cpu;
    unsigned r = 0;
    if (c->slow & SLOW_ITRACE)
        cpu_itrace_insn(m, c->itrace_out, NULL);
    if (c->slow & SLOW_SMC) {
        c->slow &= ~SLOW_SMC;
        r |= POST_DROP;
    }
    if (c->slow & SLOW_HALT) {
        c->slow &= ~SLOW_HALT;
        r |= POST_STOP;
    }
    if (c->slow & SLOW_SHADOW) {
        if (c->shadow > 0)
            c->shadow--;
        if (c->shadow == 0)
            c->slow &= ~SLOW_SHADOW;
    }
    bool ssload = c->slow & SLOW_SSLOAD;
    c->slow &= ~(SLOW_STEP | SLOW_SSLOAD);
    if (c->step_trap) {
        c->step_trap = false;
        /* MOV SS / POP SS hold debug exceptions until after the next
         * instruction (SDM vol. 3A 6.8.3), whose own trap then reports */
        if (!ssload) {
            c->dr[6] |= 0x4000;     /* DR6.BS */
            cpu_trap(m, VEC_DB);
        }
    }
    return r;
}

/* The block that follows B at PHYS, from B's successor slots or the cache.
 * Slots are written only while the arena has not been flushed since B was
 * found (a flush reuses B's memory). */
static __attribute__((noinline)) struct cpu_block *next_block_slow(struct machine *m, struct cpu_block *b,
                                                                    uint32_t phys, bool code32)
{
    struct cpu_icache *ic = m->cpu.icache;
    uint64_t epoch = ic->flushes;
    struct cpu_block *n = icache_lookup(m, phys, code32);
    if (b && n && epoch == ic->flushes && b->valid) {
        b->succ[1] = b->succ[0];
        b->succ[0] = n;
    }
    return n;
}

/* The block at PHYS among B's successor slots, or NULL. */
static inline struct cpu_block *succ_of(const struct cpu_block *b, uint32_t phys, bool code32)
{
    struct cpu_block *n = b->succ[0];
    if (n && n->phys == phys && n->valid && n->code32 == code32)
        return n;
    n = b->succ[1];
    if (n && n->phys == phys && n->valid && n->code32 == code32)
        return n;
    return NULL;
}

static inline struct cpu_block *next_block(struct machine *m, struct cpu_block *b, uint32_t phys, bool code32)
{
    struct cpu_block *n = b ? succ_of(b, phys, code32) : NULL;
    return n ? n : next_block_slow(m, b, phys, code32);
}

/* Run the instructions of a block from I (at EIP, LEN bytes long, its fetch
 * charged FCOST cycles) while nothing needs the run loop: up to STOP (the
 * block's end, or sooner; the ones after I need no limit check), while the
 * clock is below cpu.lim (0 while a slow bit is set: cpu_slow_set,
 * mmu_notify), and while control goes to the next one. Each next fetch is a
 * hit on FE (fetch_again). Returns the instruction after the last one run,
 * NULL when control moved. (Attention is looked at between blocks: the
 * instructions that can raise it, port I/O, end theirs, and device memory
 * sets SLOW_MMU; mmu.gen moving sets SLOW_MMU.) */
static inline __attribute__((always_inline)) const struct insn *
run_insns(struct machine *m, const struct insn *i, const struct insn *stop, uint32_t eip, unsigned len,
          uint64_t fcost, const struct mmu_fast *fe, uint32_t cs_base, unsigned defer, uint64_t fkey, uint64_t hitc)
{
    struct cpu *c = &m->cpu;
    for (;;) {
        c->eip = eip + len;
        m->clock.cycles += i->cycles + fcost;
        i->fn(m, i);
        c->insns++;
        if (c->eip != eip + len)
            return NULL;
        if (++i == stop || m->clock.cycles >= c->lim)
            return i;
        eip += len;
        c->insn_eip = eip;
        len = i->len;
        fcost = fetch_again(m, fe, cs_base + eip, defer, fkey, hitc);
    }
}

static void run_loop(struct machine *m, uint64_t until)
{
    struct cpu *c = &m->cpu;
    struct mmu *u = &m->mmu;
    const struct insn *i = NULL, *end = NULL;
    struct cpu_block *blk = NULL;   /* the block i is in; NULL when uncached or dropped */
    /* The fetch entry of the current block's page, the MMU generation and
     * CPL it was found with: while gen is unchanged, a fetch on its page is
     * a hit on it that changes nothing, counted without a lookup. When its
     * structure answers fetches only, the count itself waits
     * (cpu.fetch_later) and only the clock moves per instruction, with the
     * trace record made from the key kept in fkey. */
    const struct mmu_fast *fe = NULL;
    uint64_t fgen = mmu_fast_gen(u) - 1;
    unsigned fcpl = 0;
    unsigned defer = FETCH_NOW;
    uint64_t fkey = 0;
    /* The inner loop runs the block's instructions up to iend: all of them
     * when the block lies inside the CS limit (and the fetch entry holds). */
    const struct insn *iend = NULL;
    /* CS as of the current block: a CS change (far transfer, IRET,
     * delivery) always ends the block, so these are reloaded with it */
    uint32_t cs_base = c->seg[S_CS].base, cs_limit = c->seg[S_CS].limit;
    const uint64_t hitc = u->cost.hit;  /* a fetch hit's cycles (fixed while the machine runs) */

    if (c->halted && !(m->intr && (c->eflags & EFLAGS_IF)))
        return;
    c->lim = c->slow ? 0 : until;
    while (likely(!m->attn && m->clock.cycles < until)) {
        if (unlikely(c->slow)) {
            c->between = true;
            bool moved = pre_insn(m);
            c->between = false;
            if (!c->slow)
                c->lim = until;
            if (moved) {
                i = NULL;
                blk = NULL;
                continue;
            }
        }
        uint32_t eip = c->eip, phys;
        uint64_t fcost = 0;
        c->insn_eip = eip;
        if (!i) {
            cs_base = c->seg[S_CS].base;
            cs_limit = c->seg[S_CS].limit;
        }
        if (unlikely(eip > cs_limit)) {
            c->between = true;  /* this instruction's fetch never happened */
            GP0(m);
        }
        uint32_t lin = cs_base + eip;
        if (likely(i != NULL && mmu_fast_gen(u) == fgen)) {
            fcost = fetch_again(m, fe, lin, defer, fkey, hitc);
        } else if (!i && mmu_fast_gen(u) == fgen && mmu_fast_covers(fe, lin) && c->cpl == fcpl) {
            /* a jump within the page: the same entry answers */
            fcost = fetch_again(m, fe, lin, defer, fkey, hitc);
            phys = mmu_fast_phys(fe, lin);
            goto new_block;
        } else {
            fetch_sync(m, 0);
            if (unlikely(!mmu_translate_fast(m, lin, MMU_FETCH, c->cpl, &phys)))
                cpu_page_fault(m);
            fe = mmu_fast_find(u, lin, MMU_FETCH, c->cpl);
            fgen = fe ? mmu_fast_gen(u) : mmu_fast_gen(u) - 1;
            fcpl = c->cpl;
            /* deferred: while gen stays, nothing but these fetches looks up
             * fe's structure (fetch_uncached syncs before its second page) */
            defer = !fe || !mmu_fast_private(fe) ? FETCH_NOW : m->trace ? FETCH_LATER_TRACED : FETCH_LATER;
            if (defer != FETCH_NOW) {
                if (defer == FETCH_LATER_TRACED)
                    fkey = mmu_fast_tkey(fe, MMU_FETCH, fcpl);
                c->fetch_later = mmu_fast_later(fe);
                c->fetch_base = c->insns + 1;   /* this fetch is recorded already */
            }
            /* a block goes on only while its page stays mapped where it was */
            if (i && (phys >> 12) != (blk->phys >> 12))
                i = NULL;
            if (!i) {
            new_block:;
                bool code32 = (c->seg[S_CS].flags & DF_DB) != 0;
                blk = next_block(m, blk, phys, code32);
                if (blk) {
                    i = blk->insn;
                    end = i + blk->n;
                } else {
                    /* its bytes may run onto a page that faults: the
                     * deferred fetch's hit is charged before, as the model
                     * charges it when the first page is looked up */
                    m->clock.cycles += fcost;
                    fcost = 0;
                    i = fetch_uncached(m, lin, phys, code32);
                    end = i + 1;
                    fgen = mmu_fast_gen(u) - 1;  /* the next fetch is looked up afresh */
                }
            }
            /* from i on, the block's bytes end at its page offset end */
            iend = end;
            if (unlikely(cs_limit != 0xFFFFFFFFu) && blk &&
                (uint64_t)eip + (blk->phys + blk->bytes - phys) - 1 > cs_limit)
                iend = i + 1;   /* the limit cuts the block: one at a time here */
        }
        unsigned len = i->len;
        if (unlikely((uint64_t)eip + len - 1 > cs_limit)) {
            m->clock.cycles += fcost;
            GP0(m);
        }
        /* the instructions of the block while nothing needs the loop above;
         * the ones after the first need no limit check (iend) */
        const struct insn *stop = fe && iend > i ? iend : i + 1;
        for (;;) {
            if (likely(defer == FETCH_LATER))   /* (the common case, specialized) */
                i = run_insns(m, i, stop, eip, len, fcost, fe, cs_base, FETCH_LATER, fkey, hitc);
            else
                i = run_insns(m, i, stop, eip, len, fcost, fe, cs_base, defer, fkey, hitc);
            /* Control moved. When the loop above would go straight on to a
             * block from blk's successor slots (nothing slow, no attention,
             * within the bound, a flat CS with the base of this block's, the
             * fetch entry still answering for the new EIP's page and CPL),
             * that block runs from here: the same steps with fewer tests.
             * (A goto into that path instead, one piece for both, cost
             * 1-3 host instructions more per guest instruction on every
             * bench guest: docs/performance.md, 2026-12-07.) */
            if (i || c->slow || m->attn || m->clock.cycles >= until || !blk)
                break;
            const struct cpu_seg *cs = &c->seg[S_CS];
            eip = c->eip;
            lin = cs_base + eip;
            if (cs->limit != 0xFFFFFFFFu || cs->base != cs_base || mmu_fast_gen(u) != fgen ||
                c->cpl != fcpl || !mmu_fast_covers(fe, lin))
                break;
            struct cpu_block *n = succ_of(blk, mmu_fast_phys(fe, lin), (cs->flags & DF_DB) != 0);
            if (!n || (uint64_t)eip + n->insn[0].len - 1 > 0xFFFFFFFFu)
                break;
            c->insn_eip = eip;
            c->lim = until;
            cs_limit = 0xFFFFFFFFu;
            fcost = fetch_again(m, fe, lin, defer, fkey, hitc);
            blk = n;
            i = n->insn;
            end = iend = stop = i + n->n;
            len = i->len;
        }
        if (i == end)
            i = NULL;
        if (unlikely(c->slow)) {
            /* SLOW_MMU alone: the outer loop finds the fetch entry again */
            if (c->slow == SLOW_MMU) {
                c->slow = 0;
            } else {
                c->slow &= ~SLOW_MMU;
                c->between = true;
                unsigned r = post_insn(m);
                c->between = false;
                if (r & POST_DROP) {
                    i = NULL;
                    blk = NULL;
                }
                if (r & POST_STOP)
                    goto out;
                if (c->slow)
                    continue;
            }
        }
        c->lim = until;     /* no slow bit is set now */
    }
out:
    fetch_sync(m, 0);
}

void cpu_run(struct machine *m, uint64_t until)
{
    struct cpu *c = &m->cpu;
    if (m->stop != STOP_NONE)
        return;
    c->run_until = until;
    c->in_run = true;
    if (m->intr)
        cpu_slow_set(c, SLOW_IRQ);
    if (setjmp(c->jb) != 0) {
        /* an exception was raised: deliver it (a fault in delivery comes
         * back here through the same setjmp) */
        fetch_sync(m, !c->between);
        c->between = false;
        c->step_trap = false;
        c->slow &= ~(SLOW_STEP | SLOW_SSLOAD);
        if (c->slow & SLOW_ITRACE)
            cpu_itrace_insn(m, c->itrace_out, "exception");
        if (m->stop == STOP_NONE)
            cpu_deliver_pending(m);
    }
    if (m->stop == STOP_NONE)
        run_loop(m, until);
    c->in_run = false;
}
