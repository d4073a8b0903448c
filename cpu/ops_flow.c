/* Near control transfers and software interrupts: Jcc, JMP, CALL, RET,
 * LOOP/LOOPE/LOOPNE/JCXZ, INT3/INT n/INTO/INT1, BOUND. Intel SDM vol. 2.
 *
 * A near target outside the CS limit is #GP(0) before anything changes; a
 * 16-bit operand size truncates the target to 16 bits. EIP already points
 * at the next instruction when a handler runs. */
#include "cpu/ops.h"

static inline void jump_near(struct machine *m, uint32_t target, bool o16)
{
    if (o16)
        target &= 0xFFFF;
    if (unlikely(target > m->cpu.seg[S_CS].limit))
        GP0(m);
    m->cpu.eip = target;
}

/* Jcc, one handler per condition (the opcode tables pick it by the low
 * nibble), so the hottest branch of most loops costs no dispatch on the
 * condition. */
#define JCC(cc) \
    void op_jcc_##cc(struct machine *m, const struct insn *i) \
    { \
        if (cond_of(&m->cpu, 0x##cc)) { \
            jump_near(m, m->cpu.eip + i->imm, i->flags & I_O16); \
            m->clock.cycles += 2; \
        } \
    }
JCC(0) JCC(1) JCC(2) JCC(3) JCC(4) JCC(5) JCC(6) JCC(7)
JCC(8) JCC(9) JCC(A) JCC(B) JCC(C) JCC(D) JCC(E) JCC(F)

void op_jmp_rel(struct machine *m, const struct insn *i)
{
    jump_near(m, m->cpu.eip + i->imm, i->flags & I_O16);
}

/* The fast cases take 32-bit operands on a 32-bit stack (the general forms
 * the rest): the sizes are constants and no register is saved. */
static inline bool call_rel_fast(struct machine *m, const struct insn *i)
{
    uint32_t ret = m->cpu.eip, target = ret + i->imm;
    if ((i->flags & I_O16) || target > m->cpu.seg[S_CS].limit || !push_fast(m, 4, ret))
        return false;
    m->cpu.eip = target;
    return true;
}

static inline bool ret_fast(struct machine *m, const struct insn *i)
{
    uint32_t sp = m->cpu.r[R_ESP];
    uint8_t *p;
    if ((i->flags & I_O16) || !ss32(m))
        return false;
    const struct mmu_fast *f = mem_fast_entry(m, S_SS, sp, 4, MMU_READ, &p);
    if (!f)
        return false;
    uint32_t target = load_le(p, 4);
    if (target > m->cpu.seg[S_CS].limit)
        return false;   /* the general form raises #GP */
    mmu_fast_peeked(f);
    m->cpu.r[R_ESP] = sp + 4;
    m->cpu.eip = target;
    return true;
}

static void call_rel_gen(struct machine *m, const struct insn *i);
void op_call_rel(struct machine *m, const struct insn *i)
{
    if (likely(call_rel_fast(m, i)))
        return;
    call_rel_gen(m, i);
}

static __attribute__((noinline, cold)) void call_rel_gen(struct machine *m, const struct insn *i)
{
    bool o16 = i->flags & I_O16;
    uint32_t ret = m->cpu.eip, target = ret + i->imm;
    if (o16)
        target &= 0xFFFF;
    if (target > m->cpu.seg[S_CS].limit)
        GP0(m);
    push(m, o16 ? 2 : 4, ret);
    m->cpu.eip = target;
}

static void ret_near(struct machine *m, const struct insn *i, uint32_t extra)
{
    unsigned sz = (i->flags & I_O16) ? 2 : 4;
    uint32_t target = stack_peek(m, sz, 0);
    if (target > m->cpu.seg[S_CS].limit)
        GP0(m);
    set_sp(m, m->cpu.r[R_ESP] + sz + extra);
    m->cpu.eip = target;
}
FAST_HANDLER(op_ret, ret_fast(m, i), ret_near(m, i, 0))
void op_ret_Iw(struct machine *m, const struct insn *i) { ret_near(m, i, i->imm & 0xFFFF); }

void op_jmp_Ew(struct machine *m, const struct insn *i) { jump_near(m, read_E(m, i, 2), true); }
void op_jmp_Ed(struct machine *m, const struct insn *i) { jump_near(m, read_E(m, i, 4), false); }

static void call_E(struct machine *m, const struct insn *i, unsigned sz)
{
    uint32_t target = read_E(m, i, sz);
    if (target > m->cpu.seg[S_CS].limit)
        GP0(m);
    push(m, sz, m->cpu.eip);
    m->cpu.eip = target;
}
void op_call_Ew(struct machine *m, const struct insn *i) { call_E(m, i, 2); }
void op_call_Ed(struct machine *m, const struct insn *i) { call_E(m, i, 4); }

/* LOOPcc count register: CX or ECX by address size. */
static inline bool loop_dec(struct machine *m, const struct insn *i)
{
    if (i->flags & I_A16) {
        uint32_t cx = (reg16(m, R_ECX) - 1) & 0xFFFF;
        set_reg16(m, R_ECX, cx);
        return cx != 0;
    }
    return --m->cpu.r[R_ECX] != 0;
}

static inline void loop_jump(struct machine *m, const struct insn *i, unsigned extra)
{
    jump_near(m, m->cpu.eip + i->imm, i->flags & I_O16);
    m->clock.cycles += extra;
}

void op_loop(struct machine *m, const struct insn *i)
{
    if (loop_dec(m, i))
        loop_jump(m, i, 1);
}
void op_loope(struct machine *m, const struct insn *i)
{
    if (loop_dec(m, i) && lf_zf(&m->cpu))
        loop_jump(m, i, 3);
}
void op_loopne(struct machine *m, const struct insn *i)
{
    if (loop_dec(m, i) && !lf_zf(&m->cpu))
        loop_jump(m, i, 3);
}
void op_jcxz(struct machine *m, const struct insn *i)
{
    uint32_t c = (i->flags & I_A16) ? reg16(m, R_ECX) : reg32(m, R_ECX);
    if (c == 0)
        loop_jump(m, i, 3);
}

void op_int3(struct machine *m, const struct insn *i) { cpu_soft_int(m, VEC_BP, false); }
void op_int_Ib(struct machine *m, const struct insn *i) { cpu_soft_int(m, i->imm & 0xFF, true); }

void op_into(struct machine *m, const struct insn *i)
{
    if (lf_of(&m->cpu))
        cpu_soft_int(m, VEC_OF, false);
}

/* BOUND r, m16&16 / m32&32: #BR (a fault) when the index is out of range. */
static void bound(struct machine *m, const struct insn *i, unsigned sz)
{
    uint32_t ea = insn_ea(m, i), hi_ea = ea + sz;
    if (i->flags & I_A16)
        hi_ea &= 0xFFFF;
    int32_t lo = (int32_t)mem_read(m, i->seg, ea, sz), hi = (int32_t)mem_read(m, i->seg, hi_ea, sz);
    int32_t idx = (int32_t)getreg(m, i->reg, sz);
    if (sz == 2) {
        lo = (int16_t)lo;
        hi = (int16_t)hi;
        idx = (int16_t)idx;
    }
    if (idx < lo || idx > hi)
        cpu_fault_noerr(m, VEC_BR);
}
void op_bound_w(struct machine *m, const struct insn *i) { bound(m, i, 2); }
void op_bound_d(struct machine *m, const struct insn *i) { bound(m, i, 4); }
