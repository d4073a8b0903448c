/* Data movement: MOV (all forms), LEA, XCHG, CBW/CWDE/CWD/CDQ, LAHF/SAHF,
 * XLAT, SALC, MOVZX/MOVSX, CMPXCHG, XADD, CMPXCHG8B, and the far-pointer
 * loads LDS/LES/LFS/LGS/LSS. Intel SDM vol. 2 for each mnemonic. */
#include "cpu/ops.h"

/* ---- MOV ---- */

STORE_HANDLER(op_mov_EbGb, 1, reg8(m, i->reg))
STORE_HANDLER(op_mov_EwGw, 2, reg16(m, i->reg))
STORE_HANDLER(op_mov_EdGd, 4, reg32(m, i->reg))
LOAD_HANDLER(op_mov_GbEb, 1, set_reg8(m, i->reg, v))
LOAD_HANDLER(op_mov_GwEw, 2, set_reg16(m, i->reg, v))
LOAD_HANDLER(op_mov_GdEd, 4, set_reg32(m, i->reg, v))
MEM32_HANDLERS(op_mov_EdGd, 4, MMU_WRITE, store_le(p, 4, reg32(m, i->reg)))
MEM32_HANDLERS(op_mov_GdEd, 4, MMU_READ, set_reg32(m, i->reg, load_le(p, 4)))
MEM32_HANDLERS(op_mov_EbGb, 1, MMU_WRITE, store_le(p, 1, reg8(m, i->reg)))
/* register-only forms, picked by the decoder */
void op_mov_EdGd_r(struct machine *m, const struct insn *i) { set_reg32(m, i->rm, reg32(m, i->reg)); }
void op_mov_GdEd_r(struct machine *m, const struct insn *i) { set_reg32(m, i->reg, reg32(m, i->rm)); }
void op_mov_EbGb_r(struct machine *m, const struct insn *i) { set_reg8(m, i->rm, reg8(m, i->reg)); }
void op_mov_GbEb_r(struct machine *m, const struct insn *i) { set_reg8(m, i->reg, reg8(m, i->rm)); }
void op_movzx_GdEb_r(struct machine *m, const struct insn *i) { set_reg32(m, i->reg, reg8(m, i->rm)); }
void op_movzx_GdEw_r(struct machine *m, const struct insn *i) { set_reg32(m, i->reg, reg16(m, i->rm)); }
void op_mov_rbIb(struct machine *m, const struct insn *i) { set_reg8(m, i->reg, i->imm); }
void op_mov_rwIw(struct machine *m, const struct insn *i) { set_reg16(m, i->reg, i->imm); }
void op_mov_rdId(struct machine *m, const struct insn *i) { set_reg32(m, i->reg, i->imm); }
STORE_HANDLER(op_mov_EbIb, 1, i->imm)
STORE_HANDLER(op_mov_EwIw, 2, i->imm)
STORE_HANDLER(op_mov_EdId, 4, i->imm)

/* moffs: the offset is in disp, the segment DS unless overridden */
void op_mov_ALOb(struct machine *m, const struct insn *i) { set_reg8(m, R_EAX, mem_read(m, i->seg, i->disp, 1)); }
void op_mov_AXOw(struct machine *m, const struct insn *i) { set_reg16(m, R_EAX, mem_read(m, i->seg, i->disp, 2)); }
void op_mov_EAXOd(struct machine *m, const struct insn *i) { set_reg32(m, R_EAX, mem_read(m, i->seg, i->disp, 4)); }
void op_mov_ObAL(struct machine *m, const struct insn *i) { mem_write(m, i->seg, i->disp, 1, reg8(m, R_EAX)); }
void op_mov_OwAX(struct machine *m, const struct insn *i) { mem_write(m, i->seg, i->disp, 2, reg16(m, R_EAX)); }
void op_mov_OdEAX(struct machine *m, const struct insn *i) { mem_write(m, i->seg, i->disp, 4, reg32(m, R_EAX)); }

/* MOV r/m, Sreg: a 32-bit register destination gets the selector
 * zero-extended (P6 family, SDM vol. 2 "MOV"); memory takes 16 bits. */
void op_mov_EwSw(struct machine *m, const struct insn *i)
{
    if (i->reg > S_GS)
        UD(m);
    uint32_t sel = m->cpu.seg[i->reg].sel;
    if (!(i->flags & I_MEM) && !(i->flags & I_O16))
        set_reg32(m, i->rm, sel);
    else
        write_E(m, i, 2, sel);
}

/* MOV Sreg, r/m: CS is #UD; SS starts the one-instruction shadow. */
void op_mov_SwEw(struct machine *m, const struct insn *i)
{
    if (i->reg == S_CS || i->reg > S_GS)
        UD(m);
    uint16_t sel = (uint16_t)read_E(m, i, 2);
    seg_load(m, i->reg, sel);
    if (i->reg == S_SS) {
        m->cpu.shadow = 2;
        cpu_slow_set(&m->cpu, SLOW_SHADOW | SLOW_SSLOAD);
    }
}

void op_lea_GwM(struct machine *m, const struct insn *i) { set_reg16(m, i->reg, insn_ea(m, i)); }
void op_lea_GdM(struct machine *m, const struct insn *i) { set_reg32(m, i->reg, insn_ea(m, i)); }

/* ---- XCHG: a memory operand is one read-modify-write (implicitly locked) ---- */

static inline void xchg_E(struct machine *m, const struct insn *i, unsigned sz)
{
    uint32_t g = getreg(m, i->reg, sz);
    if (i->flags & I_MEM) {
        struct rmw w;
        uint32_t v = rmw_read(m, i->seg, insn_ea(m, i), sz, &w);
        rmw_write(m, &w, g);
        setreg(m, i->reg, sz, v);
    } else {
        uint32_t v = getreg(m, i->rm, sz);
        setreg(m, i->rm, sz, g);
        setreg(m, i->reg, sz, v);
    }
}
void op_xchg_EbGb(struct machine *m, const struct insn *i) { xchg_E(m, i, 1); }
void op_xchg_EwGw(struct machine *m, const struct insn *i) { xchg_E(m, i, 2); }
void op_xchg_EdGd(struct machine *m, const struct insn *i) { xchg_E(m, i, 4); }

void op_xchg_AXrw(struct machine *m, const struct insn *i)
{
    uint32_t v = reg16(m, i->reg);
    set_reg16(m, i->reg, reg16(m, R_EAX));
    set_reg16(m, R_EAX, v);
}
void op_xchg_EAXrd(struct machine *m, const struct insn *i)
{
    uint32_t v = reg32(m, i->reg);
    set_reg32(m, i->reg, reg32(m, R_EAX));
    set_reg32(m, R_EAX, v);
}
void op_nop(struct machine *m, const struct insn *i) { (void)m; (void)i; }

/* ---- conversions ---- */

void op_cbw(struct machine *m, const struct insn *i) { set_reg16(m, R_EAX, (uint32_t)(int8_t)reg8(m, R_EAX)); }
void op_cwde(struct machine *m, const struct insn *i) { set_reg32(m, R_EAX, (uint32_t)(int16_t)reg16(m, R_EAX)); }
void op_cwd(struct machine *m, const struct insn *i) { set_reg16(m, R_EDX, (reg16(m, R_EAX) & 0x8000) ? 0xFFFF : 0); }
void op_cdq(struct machine *m, const struct insn *i) { set_reg32(m, R_EDX, (reg32(m, R_EAX) & 0x80000000u) ? 0xFFFFFFFFu : 0); }

/* LAHF: AH = SF ZF 0 AF 0 PF 1 CF */
void op_lahf(struct machine *m, const struct insn *i)
{
    set_reg8(m, 4, (cpu_get_eflags(m) & 0xD5) | 2);
}

void op_sahf(struct machine *m, const struct insn *i)
{
    flags_materialize(m);
    m->cpu.eflags = (m->cpu.eflags & ~0xD5u) | (reg8(m, 4) & 0xD5);
}

void op_xlat(struct machine *m, const struct insn *i)
{
    uint32_t off = reg32(m, R_EBX) + reg8(m, R_EAX);
    if (i->flags & I_A16)
        off &= 0xFFFF;
    set_reg8(m, R_EAX, mem_read(m, i->seg, off, 1));
}

/* SALC (D6): AL = CF ? FF : 00. Undocumented; every P6 executes it. */
void op_salc(struct machine *m, const struct insn *i)
{
    set_reg8(m, R_EAX, lf_cf(&m->cpu) ? 0xFF : 0);
}

void op_movzx_GwEb(struct machine *m, const struct insn *i) { set_reg16(m, i->reg, read_E(m, i, 1)); }
LOAD_HANDLER(op_movzx_GdEb, 1, set_reg32(m, i->reg, v))
MEM32_HANDLERS(op_movzx_GdEb, 1, MMU_READ, set_reg32(m, i->reg, load_le(p, 1)))
void op_movzx_GwEw(struct machine *m, const struct insn *i) { set_reg16(m, i->reg, read_E(m, i, 2)); }
LOAD_HANDLER(op_movzx_GdEw, 2, set_reg32(m, i->reg, v))
void op_movsx_GwEb(struct machine *m, const struct insn *i) { set_reg16(m, i->reg, (uint32_t)(int8_t)read_E(m, i, 1)); }
LOAD_HANDLER(op_movsx_GdEb, 1, set_reg32(m, i->reg, (uint32_t)(int8_t)v))
void op_movsx_GwEw(struct machine *m, const struct insn *i) { set_reg16(m, i->reg, (uint32_t)(int16_t)read_E(m, i, 2)); }
LOAD_HANDLER(op_movsx_GdEw, 2, set_reg32(m, i->reg, (uint32_t)(int16_t)v))

/* ---- CMPXCHG / XADD ---- */

/* CMPXCHG: flags as CMP accumulator, destination. A memory destination is
 * written in both cases (with its own value when unequal), as on P6. */
static inline void cmpxchg_E(struct machine *m, const struct insn *i, unsigned sz)
{
    uint32_t acc = getreg(m, R_EAX, sz), src = getreg(m, i->reg, sz);
    struct rmw w;
    uint32_t d = (i->flags & I_MEM) ? rmw_read(m, i->seg, insn_ea(m, i), sz, &w) : getreg(m, i->rm, sz);
    lf_set(m, LF_SUB, sz, acc, d, (acc - d) & szmask(sz));
    uint32_t nd = acc == d ? src : d;
    if (i->flags & I_MEM)
        rmw_write(m, &w, nd);
    else
        setreg(m, i->rm, sz, nd);
    if (acc != d)
        setreg(m, R_EAX, sz, d);
}
void op_cmpxchg_EbGb(struct machine *m, const struct insn *i) { cmpxchg_E(m, i, 1); }
void op_cmpxchg_EwGw(struct machine *m, const struct insn *i) { cmpxchg_E(m, i, 2); }
void op_cmpxchg_EdGd(struct machine *m, const struct insn *i) { cmpxchg_E(m, i, 4); }

static inline void xadd_E(struct machine *m, const struct insn *i, unsigned sz)
{
    uint32_t s = getreg(m, i->reg, sz);
    struct rmw w;
    uint32_t d = (i->flags & I_MEM) ? rmw_read(m, i->seg, insn_ea(m, i), sz, &w) : getreg(m, i->rm, sz);
    uint32_t r = (d + s) & szmask(sz);
    lf_set(m, LF_ADD, sz, d, s, r);
    if (i->flags & I_MEM) {
        rmw_write(m, &w, r);
        setreg(m, i->reg, sz, d);
    } else {
        setreg(m, i->reg, sz, d);
        setreg(m, i->rm, sz, r);
    }
}
void op_xadd_EbGb(struct machine *m, const struct insn *i) { xadd_E(m, i, 1); }
void op_xadd_EwGw(struct machine *m, const struct insn *i) { xadd_E(m, i, 2); }
void op_xadd_EdGd(struct machine *m, const struct insn *i) { xadd_E(m, i, 4); }

/* CMPXCHG8B m64: one 8-byte read-modify-write (two translations if split). */
void op_cmpxchg8b(struct machine *m, const struct insn *i)
{
    uint32_t lin = seg_wr_lin(m, i->seg, insn_ea(m, i), 8);
    unsigned first = 0x1000 - (lin & 0xFFF);
    uint32_t p0, p1 = 0;
    if (!mmu_translate(m, lin, MMU_WRITE, m->cpu.cpl, &p0))
        cpu_page_fault(m);
    if (first < 8 && !mmu_translate(m, lin + first, MMU_WRITE, m->cpu.cpl, &p1))
        cpu_page_fault(m);
    uint8_t b[8];
    for (unsigned k = 0; k < 8; k++)
        b[k] = (uint8_t)bus_read(m, k < first ? p0 + k : p1 + (k - first), 1);
    uint64_t v, want = ((uint64_t)reg32(m, R_EDX) << 32) | reg32(m, R_EAX);
    memcpy(&v, b, 8);
    uint64_t nv = v == want ? ((uint64_t)reg32(m, R_ECX) << 32) | reg32(m, R_EBX) : v;
    for (unsigned k = 0; k < 8; k++)
        bus_write(m, k < first ? p0 + k : p1 + (k - first), 1, (uint32_t)(nv >> (8 * k)) & 0xFF);
    flags_materialize(m);
    if (v == want) {
        m->cpu.eflags |= EFLAGS_ZF;
    } else {
        m->cpu.eflags &= ~EFLAGS_ZF;
        set_reg32(m, R_EAX, (uint32_t)v);
        set_reg32(m, R_EDX, (uint32_t)(v >> 32));
    }
}

/* ---- far pointer loads: the segment register first, then the offset register ---- */

static inline void load_far(struct machine *m, const struct insn *i, unsigned s, unsigned sz)
{
    uint32_t ea = insn_ea(m, i);
    uint32_t off = mem_read(m, i->seg, ea, sz);
    uint32_t aoff = ea + sz;
    if (i->flags & I_A16)
        aoff &= 0xFFFF;
    uint16_t sel = (uint16_t)mem_read(m, i->seg, aoff, 2);
    seg_load(m, s, sel);
    setreg(m, i->reg, sz, off);
}
void op_les_w(struct machine *m, const struct insn *i) { load_far(m, i, S_ES, 2); }
void op_les_d(struct machine *m, const struct insn *i) { load_far(m, i, S_ES, 4); }
void op_lds_w(struct machine *m, const struct insn *i) { load_far(m, i, S_DS, 2); }
void op_lds_d(struct machine *m, const struct insn *i) { load_far(m, i, S_DS, 4); }
void op_lss_w(struct machine *m, const struct insn *i) { load_far(m, i, S_SS, 2); }
void op_lss_d(struct machine *m, const struct insn *i) { load_far(m, i, S_SS, 4); }
void op_lfs_w(struct machine *m, const struct insn *i) { load_far(m, i, S_FS, 2); }
void op_lfs_d(struct machine *m, const struct insn *i) { load_far(m, i, S_FS, 4); }
void op_lgs_w(struct machine *m, const struct insn *i) { load_far(m, i, S_GS, 2); }
void op_lgs_d(struct machine *m, const struct insn *i) { load_far(m, i, S_GS, 4); }
