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
    for (;;) {
        uint32_t cnt = sreg_val(m, a16, R_ECX);
        if (cnt == 0)
            return;
        string_once(m, i, kind, sz, a16, d);
        cnt--;
        if (a16)
            set_reg16(m, R_ECX, cnt);
        else
            c->r[R_ECX] = cnt;
        m->clock.cycles += rep_each[kind];
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
