/* Descriptor-table instructions: LGDT LIDT SGDT SIDT LLDT LTR SLDT STR, and
 * the descriptor probes LAR LSL VERR VERW ARPL. Intel SDM vol. 2 for each;
 * vol. 3A §3.5.1 (GDTR/IDTR), §7.2.4 (TR), §5.10 (pointer validation).
 *
 * The probes never fault on a bad selector: they clear ZF. 16-bit operand
 * size LGDT/LIDT loads a 24-bit base; SGDT/SIDT store the whole base (Bochs).
 * SLDT/STR to a 32-bit register zero-extend (P6). */
#include "cpu/ops.h"

static inline void need_cpl0(struct machine *m)
{
    if (m->cpu.cpl != 0)
        GP0(m);
}

static void load_dtr(struct machine *m, const struct insn *i, struct cpu_dtr *d)
{
    need_cpl0(m);
    uint32_t ea = insn_ea(m, i), ea2 = ea + 2;
    if (i->flags & I_A16)
        ea2 &= 0xFFFF;
    uint32_t limit = mem_read(m, i->seg, ea, 2);
    uint32_t base = mem_read(m, i->seg, ea2, 4);
    if (i->flags & I_O16)
        base &= 0x00FFFFFF;
    d->limit = (uint16_t)limit;
    d->base = base;
}

static void store_dtr(struct machine *m, const struct insn *i, const struct cpu_dtr *d)
{
    uint32_t ea = insn_ea(m, i), ea2 = ea + 2;
    if (i->flags & I_A16)
        ea2 &= 0xFFFF;
    /* check both parts before writing either */
    seg_wr_lin(m, i->seg, ea, 2);
    seg_wr_lin(m, i->seg, ea2, 4);
    mem_write(m, i->seg, ea, 2, d->limit);
    mem_write(m, i->seg, ea2, 4, d->base);
}

void op_lgdt(struct machine *m, const struct insn *i) { load_dtr(m, i, &m->cpu.gdtr); }
void op_lidt(struct machine *m, const struct insn *i) { load_dtr(m, i, &m->cpu.idtr); }
void op_sgdt(struct machine *m, const struct insn *i) { store_dtr(m, i, &m->cpu.gdtr); }
void op_sidt(struct machine *m, const struct insn *i) { store_dtr(m, i, &m->cpu.idtr); }

static void store_sel(struct machine *m, const struct insn *i, uint16_t sel)
{
    if (!(i->flags & I_MEM) && !(i->flags & I_O16))
        set_reg32(m, i->rm, sel);
    else
        write_E(m, i, 2, sel);
}

void op_sldt(struct machine *m, const struct insn *i) { store_sel(m, i, m->cpu.ldtr.sel); }
void op_str(struct machine *m, const struct insn *i) { store_sel(m, i, m->cpu.tr.sel); }

/* LLDT: a null selector leaves LDTR unusable; otherwise an LDT descriptor
 * (system type 2) in the GDT. */
void op_lldt(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    uint16_t sel = (uint16_t)read_E(m, i, 2);
    uint32_t lo, hi;
    if ((sel & 0xFFFC) == 0) {
        seg_set_cache(&m->cpu.ldtr, sel, 0, 0, 0);
        return;
    }
    if ((sel & 4) || !desc_read(m, sel, &lo, &hi))
        cpu_fault(m, VEC_GP, sel & 0xFFFC);
    uint32_t f = desc_flags(hi);
    if ((f & 0x1F) != 0x02)
        cpu_fault(m, VEC_GP, sel & 0xFFFC);
    if (!(f & DF_P))
        cpu_fault(m, VEC_NP, sel & 0xFFFC);
    seg_set_cache(&m->cpu.ldtr, sel, desc_base(lo, hi), desc_limit(lo, hi), f);
}

/* LTR: an available TSS (type 1 or 9) in the GDT; marks it busy. */
void op_ltr(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    uint16_t sel = (uint16_t)read_E(m, i, 2);
    uint32_t lo, hi;
    if ((sel & 0xFFFC) == 0)
        GP0(m);
    if ((sel & 4) || !desc_read(m, sel, &lo, &hi))
        cpu_fault(m, VEC_GP, sel & 0xFFFC);
    uint32_t f = desc_flags(hi);
    if ((f & 0x1F) != 0x01 && (f & 0x1F) != 0x09)
        cpu_fault(m, VEC_GP, sel & 0xFFFC);
    if (!(f & DF_P))
        cpu_fault(m, VEC_NP, sel & 0xFFFC);
    lin_write(m, m->cpu.gdtr.base + (sel & ~7u) + 5, 1, MMU_WRITE | MMU_IMPLICIT, 0, ((hi >> 8) | 2) & 0xFF);
    seg_set_cache(&m->cpu.tr, sel, desc_base(lo, hi), desc_limit(lo, hi), f | 2);
}

/* ---- LAR LSL VERR VERW ---- */

static void set_zf(struct machine *m, bool zf)
{
    flags_materialize(m);
    if (zf)
        m->cpu.eflags |= EFLAGS_ZF;
    else
        m->cpu.eflags &= ~EFLAGS_ZF;
}

/* The descriptor of SEL if it is visible at CPL/RPL (conforming code is
 * exempt from the privilege test), else false. */
static bool probe(struct machine *m, uint16_t sel, uint32_t *lo, uint32_t *hi)
{
    if ((sel & 0xFFFC) == 0 || !desc_read(m, sel, lo, hi))
        return false;
    uint32_t f = desc_flags(*hi);
    bool conforming = (f & DF_S) && (f & DF_CODE) && (f & DF_CONF);
    unsigned dpl = df_dpl(f), rpl = sel & 3;
    return conforming || (dpl >= m->cpu.cpl && dpl >= rpl);
}

/* System types LAR accepts: TSS (1 3 9 B), LDT (2), call gates (4 C),
 * task gate (5). LSL accepts the TSS and LDT types only. */
static bool lar_type_ok(uint32_t f)
{
    if (f & DF_S)
        return true;
    switch (f & 0xF) {
    case 1: case 2: case 3: case 4: case 5: case 9: case 0xB: case 0xC: return true;
    default: return false;
    }
}

static bool lsl_type_ok(uint32_t f)
{
    if (f & DF_S)
        return true;
    switch (f & 0xF) {
    case 1: case 2: case 3: case 9: case 0xB: return true;
    default: return false;
    }
}

static void lar(struct machine *m, const struct insn *i, unsigned sz)
{
    uint32_t lo, hi;
    uint16_t sel = (uint16_t)read_E(m, i, 2);
    if (!probe(m, sel, &lo, &hi) || !lar_type_ok(desc_flags(hi))) {
        set_zf(m, false);
        return;
    }
    setreg(m, i->reg, sz, sz == 2 ? hi & 0xFF00 : hi & 0x00FFFF00u);
    set_zf(m, true);
}
void op_lar_w(struct machine *m, const struct insn *i) { lar(m, i, 2); }
void op_lar_d(struct machine *m, const struct insn *i) { lar(m, i, 4); }

static void lsl(struct machine *m, const struct insn *i, unsigned sz)
{
    uint32_t lo, hi;
    uint16_t sel = (uint16_t)read_E(m, i, 2);
    if (!probe(m, sel, &lo, &hi) || !lsl_type_ok(desc_flags(hi))) {
        set_zf(m, false);
        return;
    }
    setreg(m, i->reg, sz, desc_limit(lo, hi));
    set_zf(m, true);
}
void op_lsl_w(struct machine *m, const struct insn *i) { lsl(m, i, 2); }
void op_lsl_d(struct machine *m, const struct insn *i) { lsl(m, i, 4); }

static void verify(struct machine *m, const struct insn *i, bool write)
{
    uint32_t lo, hi;
    uint16_t sel = (uint16_t)read_E(m, i, 2);
    bool ok = probe(m, sel, &lo, &hi);
    uint32_t f = desc_flags(hi);
    if (ok) {
        if (!(f & DF_S))
            ok = false;
        else if (write)
            ok = !(f & DF_CODE) && (f & DF_RW);
        else
            ok = !(f & DF_CODE) || (f & DF_RW);
    }
    set_zf(m, ok);
}
void op_verr(struct machine *m, const struct insn *i) { verify(m, i, false); }
void op_verw(struct machine *m, const struct insn *i) { verify(m, i, true); }

/* ARPL Ew, Gw: raise the RPL of the destination to the source's. */
void op_arpl(struct machine *m, const struct insn *i)
{
    uint32_t src = reg16(m, i->reg);
    if (i->flags & I_MEM) {
        struct rmw w;
        uint32_t d = rmw_read(m, i->seg, insn_ea(m, i), 2, &w);
        if ((d & 3) < (src & 3)) {
            rmw_write(m, &w, (d & ~3u) | (src & 3));
            set_zf(m, true);
        } else {
            set_zf(m, false);
        }
        return;
    }
    uint32_t d = reg16(m, i->rm);
    if ((d & 3) < (src & 3)) {
        set_reg16(m, i->rm, (d & ~3u) | (src & 3));
        set_zf(m, true);
    } else {
        set_zf(m, false);
    }
}
