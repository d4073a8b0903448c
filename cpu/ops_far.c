/* Far control transfers: JMP/CALL far (direct and indirect) through code
 * segments and call gates, RETF, IRET. Intel SDM vol. 2 "CALL", "JMP",
 * "RET", "IRET" (protected-mode pseudocode); vol. 3A §5.8 (privilege level
 * checks for control transfers, call gates, stack switching).
 *
 * Out of scope (DESIGN.md): a far JMP/CALL to a TSS or task gate raises
 * #GP(selector); IRET with NT=1 raises #GP(0); an IRET that would set
 * EFLAGS.VM ends the run with status 12. Everything is checked and every
 * stack slot written before a register changes. */
#include "cpu/ops.h"

static NORETURN void gp_sel(struct machine *m, uint16_t sel) { cpu_fault(m, VEC_GP, sel & 0xFFFC); }
static NORETURN void np_sel(struct machine *m, uint16_t sel) { cpu_fault(m, VEC_NP, sel & 0xFFFC); }

static void load_cs(struct machine *m, uint16_t sel, uint32_t lo, uint32_t hi, unsigned cpl)
{
    desc_set_accessed(m, sel, hi);
    seg_set_cache(&m->cpu.seg[S_CS], (uint16_t)((sel & 0xFFFC) | cpl), desc_base(lo, hi),
                  desc_limit(lo, hi), desc_flags(hi) | DF_A);
    cpu_set_cpl(m, cpl);
}

/* Check a code-segment target reached directly (not through a gate). */
static void check_code_direct(struct machine *m, uint16_t sel, uint32_t hi)
{
    uint32_t f = desc_flags(hi);
    unsigned dpl = df_dpl(f), cpl = m->cpu.cpl;
    if (f & DF_CONF) {
        if (dpl > cpl)
            gp_sel(m, sel);
    } else if ((sel & 3) > cpl || dpl != cpl) {
        gp_sel(m, sel);
    }
    if (!(f & DF_P))
        np_sel(m, sel);
}

/* Read the gate at SEL (already fetched as LO/HI) and its target code
 * descriptor; returns the target selector and offset. */
static uint16_t gate_target(struct machine *m, uint16_t sel, uint32_t glo, uint32_t ghi,
                            uint32_t *off, uint32_t *lo, uint32_t *hi)
{
    uint32_t gf = desc_flags(ghi);
    unsigned gdpl = df_dpl(gf);
    if (gdpl < m->cpu.cpl || gdpl < (sel & 3u))
        gp_sel(m, sel);
    if (!(gf & DF_P))
        np_sel(m, sel);
    uint16_t tsel = (uint16_t)(glo >> 16);
    *off = (gf & 0x8) ? (ghi & 0xFFFF0000u) | (glo & 0xFFFF) : glo & 0xFFFF;
    if ((tsel & 0xFFFC) == 0)
        GP0(m);
    if (!desc_read(m, tsel, lo, hi))
        gp_sel(m, tsel);
    uint32_t f = desc_flags(*hi);
    if (!(f & DF_S) || !(f & DF_CODE) || df_dpl(f) > m->cpu.cpl)
        gp_sel(m, tsel);
    if (!(f & DF_P))
        np_sel(m, tsel);
    return tsel;
}

static bool is_task_type(uint32_t f)
{
    unsigned t = f & 0x1F;
    return t == 0x01 || t == 0x03 || t == 0x05 || t == 0x09 || t == 0x0B;
}

/* The descriptor of a far JMP's or CALL's selector SEL, in *LO and *HI:
 * true for a code segment it may go to directly, false for a call gate;
 * anything else raises #GP (a TSS or task gate too: see the top). */
static bool far_desc(struct machine *m, uint16_t sel, uint32_t *lo, uint32_t *hi)
{
    if ((sel & 0xFFFC) == 0)
        GP0(m);
    if (!desc_read(m, sel, lo, hi))
        gp_sel(m, sel);
    uint32_t f = desc_flags(*hi);
    if ((f & DF_S) && (f & DF_CODE)) {
        check_code_direct(m, sel, *hi);
        return true;
    }
    if ((f & DF_S) || is_task_type(f) || ((f & 0x1F) != 0x04 && (f & 0x1F) != 0x0C))
        gp_sel(m, sel);
    return false;
}

void far_jump(struct machine *m, uint16_t sel, uint32_t off, bool o16)
{
    uint32_t lo, hi;
    if (far_desc(m, sel, &lo, &hi)) {
        if (o16)
            off &= 0xFFFF;
        if (off > desc_limit(lo, hi))
            GP0(m);
        load_cs(m, sel, lo, hi, m->cpu.cpl);
        m->cpu.eip = off;
        return;
    }
    /* JMP through a call gate: no privilege change */
    uint32_t tlo, thi, toff;
    uint16_t tsel = gate_target(m, sel, lo, hi, &toff, &tlo, &thi);
    uint32_t tf = desc_flags(thi);
    if (!(tf & DF_CONF) && df_dpl(tf) != m->cpu.cpl)
        gp_sel(m, tsel);
    if (toff > desc_limit(tlo, thi))
        GP0(m);
    load_cs(m, tsel, tlo, thi, m->cpu.cpl);
    m->cpu.eip = toff;
}

void far_call(struct machine *m, uint16_t sel, uint32_t off, bool o16)
{
    struct cpu *c = &m->cpu;
    uint32_t lo, hi;
    if (far_desc(m, sel, &lo, &hi)) {
        unsigned sz = o16 ? 2 : 4;
        if (o16)
            off &= 0xFFFF;
        if (off > desc_limit(lo, hi))
            GP0(m);
        uint32_t v[2] = { c->seg[S_CS].sel, c->eip };
        uint32_t nsp = stack_push_frame(m, &c->seg[S_SS], c->r[R_ESP], c->cpl, v, 2, sz, 0);
        load_cs(m, sel, lo, hi, c->cpl);
        set_sp(m, nsp);
        c->eip = off;
        return;
    }
    uint32_t f = desc_flags(hi);      /* a call gate */
    uint32_t tlo, thi, toff;
    uint16_t tsel = gate_target(m, sel, lo, hi, &toff, &tlo, &thi);
    uint32_t tf = desc_flags(thi);
    unsigned dpl = df_dpl(tf), gsz = (f & 0x8) ? 4 : 2;
    if (toff > desc_limit(tlo, thi))
        GP0(m);

    if (!(tf & DF_CONF) && dpl < c->cpl) {
        /* to an inner level: new stack from the TSS, parameters copied */
        uint16_t sssel;
        uint32_t esp, sshi;
        struct cpu_seg ss;
        tss_stack(m, dpl, &sssel, &esp, 0);
        inner_stack_check(m, sssel, dpl, 0, &ss, &sshi);
        unsigned count = hi & 0x1F;
        uint32_t v[2 + 31 + 2];
        unsigned n = 0;
        v[n++] = c->seg[S_SS].sel;
        v[n++] = c->r[R_ESP];
        for (unsigned k = count; k > 0; k--)
            v[n++] = stack_peek(m, gsz, (k - 1) * gsz);
        v[n++] = c->seg[S_CS].sel;
        v[n++] = c->eip;
        uint32_t nsp = stack_push_frame(m, &ss, esp, dpl, v, n, gsz, sssel & 0xFFFC);
        desc_set_accessed(m, sssel, sshi);
        load_cs(m, tsel, tlo, thi, dpl);
        c->seg[S_SS] = ss;
        if (ss.flags & DF_DB)
            c->r[R_ESP] = nsp;
        else
            set_reg16(m, R_ESP, nsp);
        c->eip = toff;
        return;
    }
    uint32_t v[2] = { c->seg[S_CS].sel, c->eip };
    uint32_t nsp = stack_push_frame(m, &c->seg[S_SS], c->r[R_ESP], c->cpl, v, 2, gsz, 0);
    load_cs(m, tsel, tlo, thi, c->cpl);
    set_sp(m, nsp);
    c->eip = toff;
}

void op_jmpf_Ap(struct machine *m, const struct insn *i) { far_jump(m, i->imm2, i->imm, i->flags & I_O16); }
void op_callf_Ap(struct machine *m, const struct insn *i) { far_call(m, i->imm2, i->imm, i->flags & I_O16); }

static void far_ptr(struct machine *m, const struct insn *i, uint16_t *sel, uint32_t *off)
{
    unsigned sz = (i->flags & I_O16) ? 2 : 4;
    uint32_t ea = insn_ea(m, i), ea2 = ea + sz;
    if (i->flags & I_A16)
        ea2 &= 0xFFFF;
    *off = mem_read(m, i->seg, ea, sz);
    *sel = (uint16_t)mem_read(m, i->seg, ea2, 2);
}

void op_jmpf_Ep(struct machine *m, const struct insn *i)
{
    uint16_t sel;
    uint32_t off;
    far_ptr(m, i, &sel, &off);
    far_jump(m, sel, off, i->flags & I_O16);
}

void op_callf_Ep(struct machine *m, const struct insn *i)
{
    uint16_t sel;
    uint32_t off;
    far_ptr(m, i, &sel, &off);
    far_call(m, sel, off, i->flags & I_O16);
}

/* Data segment registers the outer level may not use become null
 * (SDM vol. 2 "RET", "IRET": returning to an outer privilege level). */
static void null_outer_segs(struct machine *m)
{
    static const unsigned segs[] = { S_ES, S_DS, S_FS, S_GS };
    for (unsigned k = 0; k < 4; k++) {
        struct cpu_seg *g = &m->cpu.seg[segs[k]];
        uint32_t f = g->flags;
        bool data_or_nc = !(f & DF_CODE) || !(f & DF_CONF);
        if ((f & DF_S) && data_or_nc && df_dpl(f) < m->cpu.cpl)
            seg_set_cache(g, 0, 0, 0, 0);
    }
}

/* Checks of the CS selector popped by RETF/IRET (return to RPL >= CPL). */
static void check_return_cs(struct machine *m, uint16_t sel, uint32_t *lo, uint32_t *hi)
{
    if ((sel & 0xFFFC) == 0)
        GP0(m);
    if (!desc_read(m, sel, lo, hi))
        gp_sel(m, sel);
    uint32_t f = desc_flags(*hi);
    unsigned rpl = sel & 3, dpl = df_dpl(f);
    if (!(f & DF_S) || !(f & DF_CODE) || rpl < m->cpu.cpl)
        gp_sel(m, sel);
    if ((f & DF_CONF) ? dpl > rpl : dpl != rpl)
        gp_sel(m, sel);
    if (!(f & DF_P))
        np_sel(m, sel);
}

/* Checks of the SS selector popped when returning to outer level RPL. */
static void check_return_ss(struct machine *m, uint16_t sssel, unsigned rpl, struct cpu_seg *out)
{
    uint32_t lo, hi;
    if ((sssel & 0xFFFC) == 0)
        GP0(m);
    if (!desc_read(m, sssel, &lo, &hi))
        gp_sel(m, sssel);
    uint32_t f = desc_flags(hi);
    if ((sssel & 3) != rpl || !(f & DF_S) || (f & DF_CODE) || !(f & DF_RW) || df_dpl(f) != rpl)
        gp_sel(m, sssel);
    if (!(f & DF_P))
        cpu_fault(m, VEC_SS, sssel & 0xFFFC);
    desc_set_accessed(m, sssel, hi);
    seg_set_cache(out, sssel, desc_base(lo, hi), desc_limit(lo, hi), f | DF_A);
}

static void retf(struct machine *m, const struct insn *i, uint32_t extra)
{
    struct cpu *c = &m->cpu;
    unsigned sz = (i->flags & I_O16) ? 2 : 4;
    uint32_t off = stack_peek(m, sz, 0);
    uint16_t sel = (uint16_t)stack_peek(m, 2, sz);
    uint32_t lo, hi;
    check_return_cs(m, sel, &lo, &hi);
    unsigned rpl = sel & 3;
    if (off > desc_limit(lo, hi))
        GP0(m);
    if (rpl == c->cpl) {
        load_cs(m, sel, lo, hi, rpl);
        set_sp(m, c->r[R_ESP] + 2 * sz + extra);
        c->eip = off;
        return;
    }
    m->clock.cycles += 20;
    uint32_t nesp = stack_peek(m, sz, 2 * sz + extra);
    uint16_t nss = (uint16_t)stack_peek(m, 2, 3 * sz + extra);
    struct cpu_seg ss;
    check_return_ss(m, nss, rpl, &ss);
    load_cs(m, sel, lo, hi, rpl);
    c->seg[S_SS] = ss;
    if (sz == 2)
        nesp &= 0xFFFF;
    set_sp(m, nesp + extra);
    c->eip = off;
    null_outer_segs(m);
}

void op_retf(struct machine *m, const struct insn *i) { retf(m, i, 0); }
void op_retf_Iw(struct machine *m, const struct insn *i) { retf(m, i, i->imm & 0xFFFF); }

/* EFLAGS as IRET may change them at the (old) CPL. */
static uint32_t iret_flags(struct machine *m, uint32_t oldf, uint32_t nf, unsigned sz, unsigned cpl)
{
    uint32_t mask = EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_TF |
                    EFLAGS_DF | EFLAGS_OF | EFLAGS_NT | EFLAGS_RF | EFLAGS_AC | EFLAGS_ID;
    if (cpl <= ((oldf >> 12) & 3))
        mask |= EFLAGS_IF;
    if (cpl == 0)
        mask |= EFLAGS_IOPL | EFLAGS_VIF | EFLAGS_VIP;
    if (sz == 2)
        mask &= 0xFFFF;
    return ((oldf & ~mask) | (nf & mask)) | 2;
}

void op_iret(struct machine *m, const struct insn *i)
{
    struct cpu *c = &m->cpu;
    uint32_t oldf = cpu_get_eflags(m);
    if (oldf & EFLAGS_NT)
        GP0(m);     /* task return: hardware task switching is not modelled */
    unsigned sz = (i->flags & I_O16) ? 2 : 4;
    uint32_t v[3];
    if (!stack_peek_run(m, sz, 0, 3, v)) {
        v[0] = stack_peek(m, sz, 0);
        v[1] = stack_peek(m, 2, sz);
        v[2] = stack_peek(m, sz, 2 * sz);
    }
    uint32_t off = v[0], nf = v[2];
    uint16_t sel = (uint16_t)v[1];
    if (sz == 4 && (nf & EFLAGS_VM) && c->cpl == 0)
        cpu_out_of_scope(m, "IRET to virtual-8086 mode (EFLAGS.VM set)");
    uint32_t lo, hi;
    check_return_cs(m, sel, &lo, &hi);
    unsigned rpl = sel & 3, oldcpl = c->cpl;
    if (sz == 2)
        off &= 0xFFFF;
    if (off > desc_limit(lo, hi))
        GP0(m);
    uint32_t flags = iret_flags(m, oldf, nf, sz, oldcpl);
    if (rpl == oldcpl) {
        load_cs(m, sel, lo, hi, rpl);
        set_sp(m, c->r[R_ESP] + 3 * sz);
    } else {
        m->clock.cycles += 21;
        if (!stack_peek_run(m, sz, 3 * sz, 2, v)) {
            v[0] = stack_peek(m, sz, 3 * sz);
            v[1] = stack_peek(m, 2, 4 * sz);
        }
        uint32_t nesp = v[0];
        uint16_t nss = (uint16_t)v[1];
        struct cpu_seg ss;
        check_return_ss(m, nss, rpl, &ss);
        load_cs(m, sel, lo, hi, rpl);
        c->seg[S_SS] = ss;
        if (sz == 2)
            set_reg16(m, R_ESP, nesp);
        else
            c->r[R_ESP] = nesp;
        null_outer_segs(m);
    }
    c->eip = off;
    flags_write(m, flags);
    cpu_update_slow(m);
}
