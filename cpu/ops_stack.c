/* Stack instructions: PUSH/POP (registers, immediates, memory, segment
 * registers), PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE. Intel SDM vol. 2 for
 * each mnemonic. The stack is SS:ESP, or SS:SP when SS.B is clear.
 *
 * Each handler writes or reads all its stack slots before it changes a
 * register, so a fault in the middle leaves the instruction restartable. */
#include "cpu/ops.h"

void op_push_rw(struct machine *m, const struct insn *i) { push(m, 2, reg16(m, i->reg)); }
FAST_HANDLER(op_push_rd, push_fast(m, 4, reg32(m, i->reg)), push(m, 4, reg32(m, i->reg)))

void op_pop_rw(struct machine *m, const struct insn *i)
{
    uint32_t v = pop(m, 2);
    set_reg16(m, i->reg, v);
}

FAST_HANDLER(op_pop_rd, ({ uint32_t v; pop_fast(m, 4, &v) && (set_reg32(m, i->reg, v), true); }),
             ({ uint32_t v = pop(m, 4); set_reg32(m, i->reg, v); }))

void op_push_Iw(struct machine *m, const struct insn *i) { push(m, 2, i->imm & 0xFFFF); }
void op_push_Id(struct machine *m, const struct insn *i) { push(m, 4, i->imm); }
void op_push_Ew(struct machine *m, const struct insn *i) { push(m, 2, read_E(m, i, 2)); }
void op_push_Ed(struct machine *m, const struct insn *i) { push(m, 4, read_E(m, i, 4)); }

/* POP r/m: an ESP-based address is computed with ESP already incremented. */
static void pop_E(struct machine *m, const struct insn *i, unsigned sz)
{
    uint32_t v = stack_peek(m, sz, 0);
    uint32_t oldsp = m->cpu.r[R_ESP];
    if (i->flags & I_MEM) {
        set_sp(m, oldsp + sz);
        uint32_t ea = insn_ea(m, i);
        m->cpu.r[R_ESP] = oldsp;
        mem_write(m, i->seg, ea, sz, v);
        set_sp(m, oldsp + sz);
    } else {
        set_sp(m, oldsp + sz);
        setreg(m, i->rm, sz, v);
    }
}
void op_pop_Ew(struct machine *m, const struct insn *i) { pop_E(m, i, 2); }
void op_pop_Ed(struct machine *m, const struct insn *i) { pop_E(m, i, 4); }

/* 06 0E 16 1E: ES CS SS DS; 0F A0/A8: FS GS */
static unsigned sreg_of(const struct insn *i)
{
    return (i->flags & I_0F) ? S_FS + ((i->op >> 3) & 1) : (i->op >> 3) & 3;
}

/* A 32-bit push of a segment register writes 16 bits and moves ESP by 4
 * (Bochs PUSH32_Sw; the SDM allows it). */
static void push_sreg(struct machine *m, const struct insn *i, unsigned sz)
{
    uint32_t sp = (m->cpu.r[R_ESP] - sz) & sp_mask(m);
    mem_write(m, S_SS, sp, 2, m->cpu.seg[sreg_of(i)].sel);
    set_sp(m, sp);
}
void op_push_sreg_w(struct machine *m, const struct insn *i) { push_sreg(m, i, 2); }
void op_push_sreg_d(struct machine *m, const struct insn *i) { push_sreg(m, i, 4); }

static void pop_sreg(struct machine *m, const struct insn *i, unsigned sz)
{
    unsigned s = sreg_of(i);
    uint16_t sel = (uint16_t)stack_peek(m, 2, 0);
    seg_load(m, s, sel);
    set_sp(m, m->cpu.r[R_ESP] + sz);
    if (s == S_SS) {
        m->cpu.shadow = 2;
        cpu_slow_set(&m->cpu, SLOW_SHADOW | SLOW_SSLOAD);
    }
}
void op_pop_sreg_w(struct machine *m, const struct insn *i) { pop_sreg(m, i, 2); }
void op_pop_sreg_d(struct machine *m, const struct insn *i) { pop_sreg(m, i, 4); }

/* PUSHA: EAX ECX EDX EBX (original ESP) EBP ESI EDI */
static void pusha(struct machine *m, unsigned sz)
{
    uint32_t mask = sp_mask(m), sp = m->cpu.r[R_ESP];
    for (unsigned k = 0; k < 8; k++)
        mem_write(m, S_SS, (sp - (k + 1) * sz) & mask, sz, getreg(m, k, sz));
    set_sp(m, sp - 8 * sz);
}
void op_pusha_w(struct machine *m, const struct insn *i) { pusha(m, 2); }
void op_pusha_d(struct machine *m, const struct insn *i) { pusha(m, 4); }

/* POPA: EDI ESI EBP (skip) EBX EDX ECX EAX */
static void popa(struct machine *m, unsigned sz)
{
    uint32_t mask = sp_mask(m), sp = m->cpu.r[R_ESP], v[8];
    for (unsigned k = 0; k < 8; k++)
        v[7 - k] = mem_read(m, S_SS, (sp + k * sz) & mask, sz);
    for (unsigned k = 0; k < 8; k++)
        if (k != R_ESP)
            setreg(m, k, sz, v[k]);
    set_sp(m, sp + 8 * sz);
}
void op_popa_w(struct machine *m, const struct insn *i) { popa(m, 2); }
void op_popa_d(struct machine *m, const struct insn *i) { popa(m, 4); }

/* PUSHF: the image has VM and RF clear. */
void op_pushf_w(struct machine *m, const struct insn *i) { push(m, 2, cpu_get_eflags(m) & 0xFFFF); }
void op_pushf_d(struct machine *m, const struct insn *i)
{
    push(m, 4, cpu_get_eflags(m) & ~(EFLAGS_VM | EFLAGS_RF));
}

/* POPF in protected mode (SDM vol. 2 "POPF"): IOPL changes only at CPL 0,
 * IF only when CPL <= IOPL; VM, VIF, VIP never change; RF is cleared. */
static void popf(struct machine *m, unsigned sz)
{
    uint32_t v = stack_peek(m, sz, 0);
    uint32_t old = cpu_get_eflags(m);
    uint32_t mask = EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_TF |
                    EFLAGS_IF | EFLAGS_DF | EFLAGS_OF | EFLAGS_IOPL | EFLAGS_NT |
                    EFLAGS_AC | EFLAGS_ID;
    unsigned iopl = (old >> 12) & 3;
    if (m->cpu.cpl > 0)
        mask &= ~EFLAGS_IOPL;
    if (m->cpu.cpl > iopl)
        mask &= ~EFLAGS_IF;
    if (sz == 2)
        mask &= 0xFFFF;
    set_sp(m, m->cpu.r[R_ESP] + sz);
    flags_write(m, (((old & ~mask) | (v & mask)) & ~EFLAGS_RF) | 2);
    cpu_update_slow(m);
}
void op_popf_w(struct machine *m, const struct insn *i) { popf(m, 2); }
void op_popf_d(struct machine *m, const struct insn *i) { popf(m, 4); }

/* ENTER imm16, imm8: nesting level mod 32 (SDM vol. 2 "ENTER"). */
static void enter(struct machine *m, const struct insn *i, unsigned sz)
{
    unsigned level = i->imm2 & 31;
    uint32_t mask = sp_mask(m), sp = m->cpu.r[R_ESP], bp = m->cpu.r[R_EBP];
    sp = (sp - sz) & mask;
    mem_write(m, S_SS, sp, sz, getreg(m, R_EBP, sz));
    uint32_t frame = sp;
    if (level > 0) {
        for (unsigned k = 1; k < level; k++) {
            uint32_t v = mem_read(m, S_SS, (bp - k * sz) & mask, sz);
            sp = (sp - sz) & mask;
            mem_write(m, S_SS, sp, sz, v);
        }
        sp = (sp - sz) & mask;
        mem_write(m, S_SS, sp, sz, frame);
        m->clock.cycles += level == 1 ? 3 : 3 + 3 * level;
    }
    sp = (sp - (i->imm & 0xFFFF)) & mask;
    setreg(m, R_EBP, sz, frame);
    set_sp(m, sp);
}
void op_enter_w(struct machine *m, const struct insn *i) { enter(m, i, 2); }
void op_enter_d(struct machine *m, const struct insn *i) { enter(m, i, 4); }

/* LEAVE: ESP = EBP (SP = BP on a 16-bit stack), then pop EBP. */
static void leave(struct machine *m, unsigned sz)
{
    uint32_t bp = m->cpu.r[R_EBP] & sp_mask(m);
    uint32_t v = mem_read(m, S_SS, bp, sz);
    set_sp(m, bp + sz);
    setreg(m, R_EBP, sz, v);
}
void op_leave_w(struct machine *m, const struct insn *i) { leave(m, 2); }
void op_leave_d(struct machine *m, const struct insn *i) { leave(m, 4); }
