/* String instructions: MOVS CMPS STOS LODS SCAS INS OUTS, with REP/REPE/
 * REPNE. Intel SDM vol. 2 "REP/REPE/REPZ/REPNE/REPNZ" and each mnemonic.
 *
 * The source is seg:ESI (DS unless overridden), the destination ES:EDI;
 * the address size picks SI/DI/CX or ESI/EDI/ECX. Each iteration makes its
 * own accesses (and translations). A repeated instruction is restartable at
 * any iteration: registers advance after each complete iteration, and when
 * the run must yield (clock deadline, attention, a pending interrupt, single
 * step) with iterations left, EIP goes back to the instruction so it resumes
 * where it stopped.
 *
 * Runs of iterations that stay inside one page per operand go through
 * string_bulk when the fast path answers every operand's page: each of those
 * iterations would be, for the model, first-level hits on the same entries,
 * so they are recorded in bulk (mmu_fast_hits: the same translations, hits,
 * cycles and replacement order) and the data moves through host pointers;
 * with a trace, their records are written as a batch, the same records in
 * the same order. Anything else (a page crossing, a
 * segment limit, a code page, a debugger watchpoint, a pending event) takes
 * one iteration at a time.
 *
 * Cycles (i486, protected mode): REP MOVS 12+3n, REP STOS 7+4n, REP LODS
 * 7+4n, REP CMPS 7+7n, REP SCAS 7+5n, REP INS 10+8n, REP OUTS 11+5n. */
#include "cpu/ops.h"

enum { ST_MOVS, ST_CMPS, ST_STOS, ST_LODS, ST_SCAS, ST_INS, ST_OUTS };

static const uint8_t rep_base[] = { 12, 7, 7, 7, 7, 10, 11 };
static const uint8_t rep_each[] = { 3, 7, 4, 4, 5, 8, 5 };

static inline uint32_t sreg_val(struct machine *m, bool a16, unsigned r)
{
    return a16 ? reg16(m, r) : reg32(m, r);
}

static inline void sreg_add(struct machine *m, bool a16, unsigned r, int32_t d)
{
    if (a16)
        set_reg16(m, r, reg16(m, r) + (uint32_t)d);
    else
        m->cpu.r[r] += (uint32_t)d;
}

/* One iteration. */
static inline void string_once(struct machine *m, const struct insn *i, unsigned kind, unsigned sz,
                               bool a16, int32_t d)
{
    uint32_t si = sreg_val(m, a16, R_ESI), di = sreg_val(m, a16, R_EDI), v, w2;
    struct rmw w;
    switch (kind) {
    case ST_MOVS:
        v = mem_read(m, i->seg, si, sz);
        mem_write(m, S_ES, di, sz, v);
        sreg_add(m, a16, R_ESI, d);
        sreg_add(m, a16, R_EDI, d);
        break;
    case ST_CMPS:
        v = mem_read(m, i->seg, si, sz);
        w2 = mem_read(m, S_ES, di, sz);
        lf_set(m, LF_SUB, sz, v, w2, (v - w2) & szmask(sz));
        sreg_add(m, a16, R_ESI, d);
        sreg_add(m, a16, R_EDI, d);
        break;
    case ST_STOS:
        mem_write(m, S_ES, di, sz, getreg(m, R_EAX, sz));
        sreg_add(m, a16, R_EDI, d);
        break;
    case ST_LODS:
        setreg(m, R_EAX, sz, mem_read(m, i->seg, si, sz));
        sreg_add(m, a16, R_ESI, d);
        break;
    case ST_SCAS:
        v = getreg(m, R_EAX, sz);
        w2 = mem_read(m, S_ES, di, sz);
        lf_set(m, LF_SUB, sz, v, w2, (v - w2) & szmask(sz));
        sreg_add(m, a16, R_EDI, d);
        break;
    case ST_INS:
        io_check(m, (uint16_t)reg16(m, R_EDX), sz);
        /* the destination faults before the port is read */
        rmw_read(m, S_ES, di, sz, &w);
        rmw_write(m, &w, bus_in(m, (uint16_t)reg16(m, R_EDX), sz));
        sreg_add(m, a16, R_EDI, d);
        break;
    default: /* ST_OUTS */
        io_check(m, (uint16_t)reg16(m, R_EDX), sz);
        v = mem_read(m, i->seg, si, sz);
        sreg_add(m, a16, R_ESI, d);
        bus_out(m, (uint16_t)reg16(m, R_EDX), sz, v);
        break;
    }
}

/* Iterations of a D-stepped SZ-byte operand at LIN that stay in its page. */
static inline uint32_t page_iters(uint32_t lin, unsigned sz, int32_t d)
{
    uint32_t off = lin & 0xFFF;
    if (off > 0x1000 - sz)
        return 0;
    return d > 0 ? (0x1000 - off) / sz : off / sz + 1;
}

/* The host pointer of an operand for N iterations through segment S from
 * offset OFF, or NULL when a limit, a page or the TLB says no. Lowers *N to
 * the iterations that stay in the page. The page answers through its
 * fast-path entry (*F, whose hits the caller records with mmu_fast_hits:
 * the source's then the destination's, which leaves the replacement order
 * the iterations one by one would leave). */
static uint8_t *bulk_operand(struct machine *m, unsigned s, uint32_t off, unsigned sz, int32_t d,
                             unsigned kind, uint32_t *n, const struct mmu_fast **f, uint64_t *tkey)
{
    const struct cpu_seg *g = &m->cpu.seg[s];
    uint32_t lin = g->base + off;
    uint32_t k = page_iters(lin, sz, d);
    if (k < *n)
        *n = k;
    if (*n < 2)
        return NULL;
    /* the run's bytes: from its lowest offset, span + sz of them (under a
     * page, so no wrap but below offset 0 going down) */
    uint32_t span = (*n - 1) * sz;
    if ((d < 0 && span > off) || !seg_fits(g, kind == MMU_WRITE, d > 0 ? off : off - span, span + sz))
        return NULL;
    *f = mmu_fast_find(&m->mmu, lin, kind, m->cpu.cpl);
    if (!*f)
        return NULL;
    uint8_t *host = mmu_fast_host(*f, lin);
    if (!host || (kind == MMU_WRITE && m->bus.code_frames[mmu_fast_phys(*f, lin) >> 12]))
        return NULL;
    *tkey = mmu_fast_tkey(*f, kind, m->cpu.cpl);
    return host;
}

/* Up to CNT iterations of a repeated MOVS/STOS/LODS/CMPS/SCAS at once (see
 * the top of the file). Returns how many were done, 0 when the next one must
 * go alone. Registers, flags, counts and the clock end as if each had run. */
static uint32_t string_bulk(struct machine *m, const struct insn *i, unsigned kind, unsigned sz, int32_t d,
                            uint32_t cnt)
{
    struct cpu *c = &m->cpu;
    if (m->attn || (c->slow & SLOW_TF) || (m->intr && (c->eflags & EFLAGS_IF)))
        return 0;
    uint32_t n = cnt;
    const struct mmu_fast *hs = NULL, *hd = NULL;
    uint8_t *src = NULL, *dst = NULL;
    bool use_s = kind == ST_MOVS || kind == ST_CMPS || kind == ST_LODS;
    bool use_d = kind != ST_LODS;
    unsigned dkind = kind == ST_MOVS || kind == ST_STOS ? MMU_WRITE : MMU_READ;
    /* the destination's page may lower n after the source's was checked:
     * a shorter run of the source stays valid */
    uint64_t keys[2];           /* trace keys and first linear addresses, in access order */
    uint32_t lins[2];
    unsigned nk = 0;
    if (use_s) {
        if (!(src = bulk_operand(m, i->seg, c->r[R_ESI], sz, d, MMU_READ, &n, &hs, &keys[nk])))
            return 0;
        lins[nk++] = c->seg[i->seg].base + c->r[R_ESI];
    }
    if (use_d) {
        if (!(dst = bulk_operand(m, S_ES, c->r[R_EDI], sz, d, dkind, &n, &hd, &keys[nk])))
            return 0;
        lins[nk++] = c->seg[S_ES].base + c->r[R_EDI];
    }
    /* the clock deadline: the one-at-a-time loop stops after the first
     * iteration that reaches run_until */
    unsigned ntr = use_s + use_d;
    uint64_t each = rep_each[kind] + (uint64_t)ntr * m->mmu.cost.hit;
    if (m->clock.cycles < c->run_until) {
        uint64_t left = (c->run_until - m->clock.cycles + each - 1) / each;
        if (left < n)
            n = (uint32_t)left;
    } else {
        n = 1;
    }
    if (n < 2)
        return 0;

    intptr_t step = d;
    uint32_t k = n;
    uint32_t a = 0, b = 0;
    switch (kind) {
    case ST_MOVS: {
        uint8_t *s0 = d > 0 ? src : src - (size_t)(n - 1) * sz, *d0 = d > 0 ? dst : dst - (size_t)(n - 1) * sz;
        size_t bytes = (size_t)n * sz;
        /* memmove equals the element-by-element copy unless the destination
         * runs into source bytes not yet read */
        if (d0 + bytes <= s0 || s0 + bytes <= d0 || (d > 0 ? dst <= src : dst >= src))
            memmove(d0, s0, bytes);
        else
            for (uint32_t j = 0; j < n; j++)
                store_le(dst + (intptr_t)j * step, sz, load_le(src + (intptr_t)j * step, sz));
        break;
    }
    case ST_STOS: {
        uint32_t v = getreg(m, R_EAX, sz);
        uint8_t *d0 = d > 0 ? dst : dst - (size_t)(n - 1) * sz;
        if (sz == 1)
            memset(d0, (int)v, n);
        else
            for (uint32_t j = 0; j < n; j++)
                store_le(d0 + (size_t)j * sz, sz, v);
        break;
    }
    case ST_LODS:
        setreg(m, R_EAX, sz, load_le(src + (intptr_t)(n - 1) * step, sz));
        break;
    case ST_CMPS:
    case ST_SCAS: {
        bool want_eq = (i->flags & I_REP) != 0;     /* REPE goes on while equal */
        uint32_t av = getreg(m, R_EAX, sz);
        /* offsets, not moving pointers: SCAS has no source (src is NULL),
         * and a pointer stepped past the run's last element may leave RAM */
        for (k = 0; k < n;) {
            intptr_t o = (intptr_t)k * step;
            a = kind == ST_CMPS ? load_le(src + o, sz) : av;
            b = load_le(dst + o, sz);
            k++;
            if ((a == b) != want_eq)
                break;
        }
        lf_set(m, LF_SUB, sz, a, b, (a - b) & szmask(sz));
        break;
    }
    }
    if (hs)
        mmu_fast_hits(hs, k);
    if (hd)
        mmu_fast_hits(hd, k);
    if (m->trace)
        mmu_trace_repeats(m, keys, lins, nk, d, k, m->clock.cycles, each);
    m->clock.cycles += (uint64_t)k * each;
    if (use_s)
        c->r[R_ESI] += (uint32_t)((int64_t)k * d);
    if (use_d)
        c->r[R_EDI] += (uint32_t)((int64_t)k * d);
    c->r[R_ECX] = cnt - k;
    return k;
}

static inline void string_op(struct machine *m, const struct insn *i, unsigned kind, unsigned sz)
{
    struct cpu *c = &m->cpu;
    bool a16 = (i->flags & I_A16) != 0;
    int32_t d = (c->eflags & EFLAGS_DF) ? -(int32_t)sz : (int32_t)sz;
    if (!(i->flags & (I_REP | I_REPNE))) {
        string_once(m, i, kind, sz, a16, d);
        return;
    }
    m->clock.cycles = m->clock.cycles - i->cycles + rep_base[kind];
    bool bulk = !a16 && kind < ST_INS;
    for (;;) {
        uint32_t cnt = sreg_val(m, a16, R_ECX);
        if (cnt == 0)
            return;
        uint32_t done = bulk ? string_bulk(m, i, kind, sz, d, cnt) : 0;
        if (done) {
            cnt -= done;
        } else {
            string_once(m, i, kind, sz, a16, d);
            cnt--;
            if (a16)
                set_reg16(m, R_ECX, cnt);
            else
                c->r[R_ECX] = cnt;
            m->clock.cycles += rep_each[kind];
        }
        if (cnt == 0)
            return;
        if (kind == ST_CMPS || kind == ST_SCAS) {
            bool zf = lf_zf(c);
            if ((i->flags & I_REP) ? !zf : zf)
                return;
        }
        if (m->clock.cycles >= c->run_until || m->attn || (c->slow & SLOW_TF) ||
            (m->intr && (c->eflags & EFLAGS_IF))) {
            c->eip = c->insn_eip;
            return;
        }
    }
}

void op_movsb(struct machine *m, const struct insn *i) { string_op(m, i, ST_MOVS, 1); }
void op_movsw(struct machine *m, const struct insn *i) { string_op(m, i, ST_MOVS, 2); }
void op_movsd(struct machine *m, const struct insn *i) { string_op(m, i, ST_MOVS, 4); }
void op_cmpsb(struct machine *m, const struct insn *i) { string_op(m, i, ST_CMPS, 1); }
void op_cmpsw(struct machine *m, const struct insn *i) { string_op(m, i, ST_CMPS, 2); }
void op_cmpsd(struct machine *m, const struct insn *i) { string_op(m, i, ST_CMPS, 4); }
void op_stosb(struct machine *m, const struct insn *i) { string_op(m, i, ST_STOS, 1); }
void op_stosw(struct machine *m, const struct insn *i) { string_op(m, i, ST_STOS, 2); }
void op_stosd(struct machine *m, const struct insn *i) { string_op(m, i, ST_STOS, 4); }
void op_lodsb(struct machine *m, const struct insn *i) { string_op(m, i, ST_LODS, 1); }
void op_lodsw(struct machine *m, const struct insn *i) { string_op(m, i, ST_LODS, 2); }
void op_lodsd(struct machine *m, const struct insn *i) { string_op(m, i, ST_LODS, 4); }
void op_scasb(struct machine *m, const struct insn *i) { string_op(m, i, ST_SCAS, 1); }
void op_scasw(struct machine *m, const struct insn *i) { string_op(m, i, ST_SCAS, 2); }
void op_scasd(struct machine *m, const struct insn *i) { string_op(m, i, ST_SCAS, 4); }
void op_insb(struct machine *m, const struct insn *i) { string_op(m, i, ST_INS, 1); }
void op_insw(struct machine *m, const struct insn *i) { string_op(m, i, ST_INS, 2); }
void op_insd(struct machine *m, const struct insn *i) { string_op(m, i, ST_INS, 4); }
void op_outsb(struct machine *m, const struct insn *i) { string_op(m, i, ST_OUTS, 1); }
void op_outsw(struct machine *m, const struct insn *i) { string_op(m, i, ST_OUTS, 2); }
void op_outsd(struct machine *m, const struct insn *i) { string_op(m, i, ST_OUTS, 4); }
