/* Inside the x87: the stack, the prologue every ESC instruction runs, the
 * rules that turn an operation's exception flags into the status word, and
 * the memory operands. Only cpu/fpu.c and cpu/ops_fpu*.c include this. */
#ifndef VMSCOPE_CPU_FPU_IMPL_H
#define VMSCOPE_CPU_FPU_IMPL_H

#include "cpu/cpu_impl.h"
#include "cpu/fpu.h"

/* The handlers of cpu/ops_fpu*.c, one descriptor per encoding: the memory
 * forms by ESC & 7 and ModRM.reg (x87_mem), the register forms by ESC & 7
 * and the low six ModRM bits (x87_reg). cpu/fpu_tab.c. */
struct x87desc {
    insn_fn fn;
    uint8_t cycles;     /* i486 clock count (cpu/cycles.c's rules) */
};
extern const struct x87desc x87_mem[64];
extern const struct x87desc x87_reg[512];

/* ---- the register stack ---- */

static inline unsigned st_phys(const struct fpu *f, unsigned i) { return (f->top + i) & 7; }
static inline struct fx80 st_get(const struct fpu *f, unsigned i) { return f->st[st_phys(f, i)]; }
static inline bool st_empty(const struct fpu *f, unsigned i) { return (f->empty >> st_phys(f, i)) & 1; }
static inline void st_set(struct fpu *f, unsigned i, struct fx80 v)
{
    unsigned p = st_phys(f, i);
    f->st[p] = v;
    f->empty &= (uint8_t)~(1u << p);
}
static inline void st_free(struct fpu *f, unsigned i) { f->empty |= (uint8_t)(1u << st_phys(f, i)); }
static inline void fpu_push(struct fpu *f, struct fx80 v)
{
    f->top = (f->top - 1) & 7;
    st_set(f, 0, v);
}
static inline void fpu_pop(struct fpu *f)
{
    st_free(f, 0);
    f->top = (f->top + 1) & 7;
}
static inline void fpu_clear_c1(struct fpu *f) { f->sw &= (uint16_t)~FSW_C1; }
static inline void fpu_set_cc(struct fpu *f, unsigned cc)
{
    f->sw = (uint16_t)((f->sw & ~FSW_CC) | cc);
}

/* The context of one operation from the control word. */
static inline struct fx_env fpu_env(const struct fpu *f)
{
    static const uint8_t prec[4] = { 24, 64, 53, 64 };  /* PC = 01 is reserved: extended */
    struct fx_env e = { (uint8_t)((f->cw >> 10) & 3), prec[(f->cw >> 8) & 3], (uint8_t)(f->cw & 0x3F), 0 };
    return e;
}

/* ---- the prologue (cpu/fpu.c) ---- */

/* #NM when CR0.EM or CR0.TS is set; then, for a waiting instruction, a
 * pending unmasked exception (ES): #MF with CR0.NE=1, else FERR# (IRQ 13)
 * and the instruction goes on (SDM vol. 1 §8.7, vol. 3A §2.5). */
void fpu_prepare(struct machine *m, bool wait);
/* Record the last instruction pointer, its opcode and, for a memory form,
 * the operand pointer (non-control instructions). */
void fpu_note(struct machine *m, const struct insn *i);

/* The prologue of most ESC handlers: fpu_prepare (a waiting instruction),
 * fpu_note, C1 cleared; returns the FPU. */
static inline struct fpu *fpu_begin(struct machine *m, const struct insn *i)
{
    fpu_prepare(m, true);
    fpu_note(m, i);
    fpu_clear_c1(&m->cpu.fpu);
    return &m->cpu.fpu;
}

/* Apply an operation's flags EX (FX_*) to the status word, as the x87 does:
 * IE and ZE hide everything else but a stack fault, an unmasked DE stops
 * the operation, PE records C1. Returns the unmasked exceptions that forbid
 * writing the result: IE, ZE, DE, and, for a store to memory (STORE), OE
 * and UE (a register destination takes the bias-adjusted result instead). */
unsigned fpu_exception(struct machine *m, unsigned ex, bool store);
/* Stack faults (IE with SF; C1 = 1 for overflow, 0 for underflow) with
 * their masked responses: FLD to a full ST(7) pushes the indefinite; an
 * empty operand gives the indefinite in ST(STNR), popped when POP. */
void fpu_stack_overflow(struct machine *m);
void fpu_stack_underflow(struct machine *m, unsigned stnr, bool pop);
static inline bool fpu_ie_masked(const struct fpu *f) { return f->cw & FX_IE; }

/* ---- memory operands (cpu/fpu.c) ---- */

/* LEN bytes at the instruction's memory operand + DELTA: every page is
 * translated before any byte moves (one translation per page). */
void fpu_read_mem(struct machine *m, const struct insn *i, uint32_t delta, void *buf, unsigned len);
void fpu_write_mem(struct machine *m, const struct insn *i, uint32_t delta, const void *buf, unsigned len);
struct fx80 fpu_read_m80(struct machine *m, const struct insn *i, uint32_t delta);

#endif
