/* Inside the CPU: the decoded instruction, handler signature, register and
 * flag helpers, and the memory-access path (segment check -> mmu -> bus).
 * Only the files of cpu/ include this. */
#ifndef VMSCOPE_CPU_CPU_IMPL_H
#define VMSCOPE_CPU_CPU_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emu/machine.h"
#include "mmu/mmu_inline.h"

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
/* Every raise path ends in the longjmp to cpu_run, whose ASan interceptor
 * unpoisons the skipped frames' stack. Instrumented, each noreturn call on
 * the way would do it again first (a sigaltstack call and a shadow memset:
 * up to four per guest page fault, a sixth of the CPU fuzz target's time). */
#define NORETURN    __attribute__((noreturn, cold, no_sanitize_address))
/* The operand path: inlined into every handler even where GCC's size
 * heuristics would not (a call per access costs more than the code). */
#define HOT_INLINE  static inline __attribute__((always_inline))

struct insn;
typedef void (*insn_fn)(struct machine *m, const struct insn *i);

/* One decoded instruction. Decoding happens once (cpu/decode.c); handlers
 * never re-read instruction bytes. */
struct insn {
    insn_fn fn;         /* handler */
    uint32_t disp;      /* displacement of the memory operand; relative target */
    uint32_t imm;       /* immediate (sign-extended where the encoding says) */
    uint16_t imm2;      /* second immediate: ENTER level, far pointer selector */
    uint16_t flags;     /* I_* */
    uint8_t len;        /* bytes, 1..15 */
    uint8_t op;         /* opcode byte (the byte after 0F for the 0F map) */
    uint8_t reg;        /* ModRM reg field, or the register in the opcode */
    uint8_t rm;         /* ModRM rm register when the operand is a register */
    uint8_t base;       /* effective address base register, 8 = none */
    uint8_t index;      /* effective address index register, 8 = none */
    uint8_t scale;      /* index shift, 0..3 */
    uint8_t seg;        /* segment of the memory operand (S_*) */
    uint8_t cycles;     /* base cost from cpu/cycles.c */
    uint8_t sub;        /* handler-specific selector (condition code, ALU op) */
};

/* An instruction whose bytes cross a page, decoded (cpu/exec.c's
 * fetch_uncached): LEN bytes (0: none), FIRST of them on the first page. */
#define CPU_XINSN 8
struct cpu_xinsn {
    struct insn insn;
    uint8_t bytes[15];
    uint8_t len, first;
    bool code32;
};

/* insn.flags */
#define I_O16    0x0001u    /* 16-bit operand size */
#define I_A16    0x0002u    /* 16-bit address size */
#define I_MEM    0x0004u    /* ModRM names memory (mod != 3) */
#define I_REP    0x0008u    /* F3 prefix */
#define I_REPNE  0x0010u    /* F2 prefix */
#define I_LOCK   0x0020u    /* F0 prefix */
#define I_SEGOVR 0x0040u    /* a segment override prefix was present */
#define I_END    0x0080u    /* ends a decoded block (control transfer, mode change) */
#define I_0F     0x0100u    /* two-byte opcode */

/* cpu.slow: reasons for the slow path around an instruction */
#define SLOW_TF      0x01u  /* EFLAGS.TF set: single-step trap */
#define SLOW_SHADOW  0x02u  /* STI / MOV SS shadow active */
#define SLOW_SMC     0x04u  /* the executing block was invalidated */
#define SLOW_ITRACE  0x08u  /* --itrace on */
#define SLOW_HALT    0x10u  /* HLT executed: leave the loop */
#define SLOW_IRQ     0x20u  /* INTR is up: check IF and the shadow before each instruction */
#define SLOW_STEP    0x40u  /* TF was set when this instruction began: #DB after it */
#define SLOW_SSLOAD  0x80u  /* this instruction loaded SS: no single-step #DB after it */
#define SLOW_MMU     0x100u /* the MMU's fast-path answers may have changed (mmu.gen
                             * moved), or a device was accessed: leave the block */

/* Set slow bits: the run loop looks at them after this instruction. */
static inline void cpu_slow_set(struct cpu *c, uint32_t bits)
{
    c->slow |= bits;
    c->lim = 0;
}

/* Exception kinds (cpu.exc_kind) */
enum { EXC_FAULT, EXC_TRAP, EXC_SOFT, EXC_EXT };

/* Vectors */
enum {
    VEC_DE = 0, VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_OF = 4, VEC_BR = 5,
    VEC_UD = 6, VEC_NM = 7, VEC_DF = 8, VEC_TS = 10, VEC_NP = 11, VEC_SS = 12,
    VEC_GP = 13, VEC_PF = 14, VEC_MF = 16, VEC_AC = 17, VEC_MC = 18,
};

/* CR0 bits the CPU uses beyond mmu.h's */
#define CR0_MP (1u << 1)
#define CR0_EM (1u << 2)
#define CR0_TS (1u << 3)
#define CR0_ET (1u << 4)
#define CR0_NE (1u << 5)
#define CR0_AM (1u << 18)
#define CR0_NW (1u << 29)
#define CR0_CD (1u << 30)
#define CR4_TSD (1u << 2)
#define CR4_DE  (1u << 3)

/* ---- exceptions (cpu/except.c) ---- */

/* Raise a fault: EIP goes back to the instruction's start. Never returns. */
NORETURN void cpu_fault(struct machine *m, unsigned vec, uint32_t err);
NORETURN void cpu_fault_noerr(struct machine *m, unsigned vec);
/* #PF from the MMU's last decision (CR2 and error code). */
NORETURN void cpu_page_fault(struct machine *m);
/* INT n / INT3 / INTO: a software interrupt with the next EIP pushed. */
NORETURN void cpu_soft_int(struct machine *m, unsigned vec, bool int_n);
/* A trap with no DPL check and the next EIP pushed: INT1/ICEBP, the
 * single-step #DB. */
NORETURN void cpu_trap(struct machine *m, unsigned vec);
/* Deliver the exception recorded in cpu.exc_* (called after the longjmp). */
void cpu_deliver_pending(struct machine *m);
/* Deliver external interrupt VEC between instructions. */
void cpu_deliver_ext(struct machine *m, unsigned vec);
/* Stop the run: EFLAGS.VM, CR0.PE cleared, ... Never returns. */
NORETURN void cpu_out_of_scope(struct machine *m, const char *what);

#define UD(m) cpu_fault_noerr(m, VEC_UD)
#define GP0(m) cpu_fault(m, VEC_GP, 0)

/* ---- registers ---- */

static inline uint32_t reg32(struct machine *m, unsigned n) { return m->cpu.r[n]; }
static inline uint32_t reg16(struct machine *m, unsigned n) { return m->cpu.r[n] & 0xFFFF; }
static inline uint32_t reg8(struct machine *m, unsigned n)
{
    return (m->cpu.r[n & 3] >> ((n & 4) << 1)) & 0xFF;
}
static inline void set_reg32(struct machine *m, unsigned n, uint32_t v) { m->cpu.r[n] = v; }
static inline void set_reg16(struct machine *m, unsigned n, uint32_t v)
{
    m->cpu.r[n] = (m->cpu.r[n] & 0xFFFF0000u) | (v & 0xFFFF);
}
static inline void set_reg8(struct machine *m, unsigned n, uint32_t v)
{
    unsigned sh = (n & 4) << 1;
    m->cpu.r[n & 3] = (m->cpu.r[n & 3] & ~(0xFFu << sh)) | ((v & 0xFF) << sh);
}
/* Size-generic (SZ = 1, 2, 4; constant at each call site). */
static inline uint32_t getreg(struct machine *m, unsigned n, unsigned sz)
{
    return sz == 4 ? reg32(m, n) : sz == 2 ? reg16(m, n) : reg8(m, n);
}
static inline void setreg(struct machine *m, unsigned n, unsigned sz, uint32_t v)
{
    if (sz == 4) set_reg32(m, n, v);
    else if (sz == 2) set_reg16(m, n, v);
    else set_reg8(m, n, v);
}
static inline uint32_t szmask(unsigned sz) { return sz == 4 ? 0xFFFFFFFFu : sz == 2 ? 0xFFFFu : 0xFFu; }
static inline unsigned szsb(unsigned sz) { return sz * 8 - 1; }

/* ---- lazy flags (cpu/flags.c) ---- */

enum {
    LF_NONE = 0,    /* eflags holds every arithmetic flag */
    LF_ADD,         /* res = a + b (+ carry) */
    LF_SUB,         /* res = a - b (- borrow) */
    LF_INC,         /* res = a + 1, CF in eflags */
    LF_DEC,         /* res = a - 1, CF in eflags */
    LF_RES,         /* SF ZF PF from res; CF AF OF are bits of lf_a */
};
#define ARITH_FLAGS (EFLAGS_CF | EFLAGS_PF | EFLAGS_AF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_OF)

static inline void lf_set(struct machine *m, unsigned op, unsigned sz, uint32_t a, uint32_t b, uint32_t res)
{
    struct cpu *c = &m->cpu;
    c->lf_op = (uint8_t)op;
    c->lf_sb = (uint8_t)szsb(sz);
    c->lf_a = a;
    c->lf_b = b;
    c->lf_res = res;
}
/* SF ZF PF from RES; CF, AF, OF given as EFLAGS bits in COA. */
static inline void lf_result(struct machine *m, unsigned sz, uint32_t res, uint32_t coa)
{
    lf_set(m, LF_RES, sz, coa, 0, res);
}

/* The carries out of each bit of A + B = R, the borrows of A - B = R, and
 * their signed overflows: the flag is the bit at the sign position (lf_sb);
 * AF is bit 4 of A ^ B ^ R. */
static inline uint32_t lf_add_carries(uint32_t a, uint32_t b, uint32_t r) { return (a & b) | ((a | b) & ~r); }
static inline uint32_t lf_sub_borrows(uint32_t a, uint32_t b, uint32_t r) { return (~a & b) | (~(a ^ b) & r); }
static inline uint32_t lf_add_overflows(uint32_t a, uint32_t b, uint32_t r) { return (a ^ r) & (b ^ r); }
static inline uint32_t lf_sub_overflows(uint32_t a, uint32_t b, uint32_t r) { return (a ^ b) & (a ^ r); }

static inline uint32_t lf_cf(const struct cpu *c)
{
    uint32_t a = c->lf_a, b = c->lf_b, r = c->lf_res;
    switch (c->lf_op) {
    case LF_ADD: return (lf_add_carries(a, b, r) >> c->lf_sb) & 1;
    case LF_SUB: return (lf_sub_borrows(a, b, r) >> c->lf_sb) & 1;
    case LF_RES: return a & 1;
    default:     return c->eflags & 1;
    }
}
static inline bool lf_zf(const struct cpu *c)
{
    return c->lf_op ? c->lf_res == 0 : (c->eflags & EFLAGS_ZF) != 0;
}
static inline bool lf_sf(const struct cpu *c)
{
    return c->lf_op ? (c->lf_res >> c->lf_sb) & 1 : (c->eflags & EFLAGS_SF) != 0;
}
static inline bool lf_of(const struct cpu *c)
{
    uint32_t a = c->lf_a, b = c->lf_b, r = c->lf_res;
    switch (c->lf_op) {
    case LF_ADD: case LF_INC: return (lf_add_overflows(a, b, r) >> c->lf_sb) & 1;
    case LF_SUB: case LF_DEC: return (lf_sub_overflows(a, b, r) >> c->lf_sb) & 1;
    case LF_RES: return (a >> 11) & 1;
    default:     return (c->eflags & EFLAGS_OF) != 0;
    }
}
static inline bool lf_pf(const struct cpu *c)
{
    return c->lf_op ? !__builtin_parity(c->lf_res & 0xFF) : (c->eflags & EFLAGS_PF) != 0;
}
static inline bool lf_af(const struct cpu *c)
{
    switch (c->lf_op) {
    case LF_NONE: return (c->eflags & EFLAGS_AF) != 0;
    case LF_RES:  return (c->lf_a >> 4) & 1;
    default:      return ((c->lf_a ^ c->lf_b ^ c->lf_res) >> 4) & 1;
    }
}

/* Materialize the arithmetic flags into eflags (lf_op becomes LF_NONE). */
void flags_materialize(struct machine *m);
/* Replace the arithmetic and system flags: the whole register. */
static inline void flags_write(struct machine *m, uint32_t v)
{
    m->cpu.eflags = v;
    m->cpu.lf_op = LF_NONE;
}
/* Set CF and OF only (rotates), keeping the other arithmetic flags: while
 * they are lazy, SF ZF PF stay with the result and AF is taken once (an
 * LF_RES state), so nothing is materialized. */
static inline void flags_set_cf_of(struct machine *m, unsigned cf, unsigned of)
{
    struct cpu *c = &m->cpu;
    uint32_t co = (cf ? EFLAGS_CF : 0) | (of ? EFLAGS_OF : 0);
    if (c->lf_op == LF_NONE) {
        c->eflags = (c->eflags & ~(EFLAGS_CF | EFLAGS_OF)) | co;
        return;
    }
    c->lf_a = co | (lf_af(c) ? EFLAGS_AF : 0);
    c->lf_op = LF_RES;
}
static inline void flags_set_cf(struct machine *m, unsigned cf)
{
    flags_set_cf_of(m, cf, lf_of(&m->cpu));
}
/* Evaluate condition code CC (0..15, the low nibble of Jcc). cond_of is the
 * inline form, for handlers specialised on a constant CC. */
bool cond_eval(struct machine *m, unsigned cc);
HOT_INLINE bool cond_of(const struct cpu *c, unsigned cc)
{
    bool r;
    switch (cc >> 1) {
    case 0: r = lf_of(c); break;                                /* O */
    case 1: r = lf_cf(c); break;                                /* B */
    case 2: r = lf_zf(c); break;                                /* Z */
    case 3: r = lf_cf(c) || lf_zf(c); break;                    /* BE */
    case 4: r = lf_sf(c); break;                                /* S */
    case 5: r = lf_pf(c); break;                                /* P */
    case 6: r = lf_sf(c) != lf_of(c); break;                    /* L */
    default: r = lf_zf(c) || lf_sf(c) != lf_of(c); break;       /* LE */
    }
    return r ^ (cc & 1);
}
/* Recompute cpu.slow after EFLAGS.TF or IF may have changed. */
void cpu_update_slow(struct machine *m);

/* ---- segments and effective addresses ---- */

HOT_INLINE uint32_t insn_ea(struct machine *m, const struct insn *i)
{
    const uint32_t *r = m->cpu.r;
    uint32_t ea = r[i->base] + (r[i->index] << i->scale) + i->disp;
    return (i->flags & I_A16) ? ea & 0xFFFF : ea;
}

NORETURN void seg_fault(struct machine *m, unsigned s);

/* Do the SZ bytes at OFF lie in segment G's range for a read or a write? */
HOT_INLINE bool seg_fits(const struct cpu_seg *g, bool write, uint32_t off, unsigned sz)
{
    uint32_t lo = write ? g->wlo : g->rlo, hi = write ? g->whi : g->rhi;
    return off >= lo && (uint64_t)off + sz - 1 <= hi;
}
HOT_INLINE uint32_t seg_rd_lin(struct machine *m, unsigned s, uint32_t off, unsigned sz)
{
    const struct cpu_seg *g = &m->cpu.seg[s];
    if (unlikely(!seg_fits(g, false, off, sz)))
        seg_fault(m, s);
    return g->base + off;
}
HOT_INLINE uint32_t seg_wr_lin(struct machine *m, unsigned s, uint32_t off, unsigned sz)
{
    const struct cpu_seg *g = &m->cpu.seg[s];
    if (unlikely(!seg_fits(g, true, off, sz)))
        seg_fault(m, s);
    return g->base + off;
}

/* ---- linear memory (cpu/mem.c for the slow halves) ---- */

uint32_t lin_read_slow(struct machine *m, uint32_t lin, unsigned sz, unsigned kind, unsigned cpl);
void lin_write_slow(struct machine *m, uint32_t lin, unsigned sz, unsigned kind, unsigned cpl, uint32_t v);
/* A write is about to land in RAM frame FRAME at PADDR (SZ bytes) that holds
 * decoded code. */
void icache_code_write(struct machine *m, uint32_t paddr, unsigned sz);

/* One translation of LIN (its page holds the whole access): the physical
 * address in *PHYS and a host pointer to it, NULL when not RAM. Raises #PF.
 * The MMU's mmu_access (same counts, cycles and trace as the model). */
HOT_INLINE uint8_t *xlate(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys)
{
    uint8_t *host;
    if (unlikely(!mmu_access(m, lin, kind, cpl, phys, &host)))
        cpu_page_fault(m);
    return host;
}

/* Read SZ bytes at linear LIN with access KIND (| MMU_IMPLICIT) at CPL. */
HOT_INLINE uint32_t lin_read(struct machine *m, uint32_t lin, unsigned sz, unsigned kind, unsigned cpl)
{
    if (likely((lin & 0xFFF) <= 0x1000 - sz)) {
        uint32_t phys;
        uint8_t *p = xlate(m, lin, kind, cpl, &phys);
        if (likely(p != NULL))
            return load_le(p, sz);
        return bus_read(m, phys, sz);
    }
    return lin_read_slow(m, lin, sz, kind, cpl);
}

HOT_INLINE void lin_write(struct machine *m, uint32_t lin, unsigned sz, unsigned kind, unsigned cpl, uint32_t v)
{
    if (likely((lin & 0xFFF) <= 0x1000 - sz)) {
        uint32_t phys;
        uint8_t *p = xlate(m, lin, kind, cpl, &phys);
        if (likely(p != NULL)) {
            if (unlikely(m->bus.code_frames[phys >> 12]))
                icache_code_write(m, phys, sz);
            store_le(p, sz, v);
            return;
        }
        bus_write(m, phys, sz, v);
        return;
    }
    lin_write_slow(m, lin, sz, kind, cpl, v);
}

/* Data accesses through segment S at offset OFF, at the current CPL. */
HOT_INLINE uint32_t mem_read(struct machine *m, unsigned s, uint32_t off, unsigned sz)
{
    return lin_read(m, seg_rd_lin(m, s, off, sz), sz, MMU_READ, m->cpu.cpl);
}
HOT_INLINE void mem_write(struct machine *m, unsigned s, uint32_t off, unsigned sz, uint32_t v)
{
    lin_write(m, seg_wr_lin(m, s, off, sz), sz, MMU_WRITE, m->cpu.cpl, v);
}

/* A read-modify-write: one write-kind translation (two if split). */
struct rmw {
    uint8_t *p;         /* host pointer when in RAM and not split */
    uint32_t phys0;     /* physical address of the first byte */
    uint32_t phys1;     /* of the first byte on the second page, when split */
    unsigned first;     /* bytes on the first page (== size when not split) */
    unsigned sz;
};

void rmw_begin_slow(struct machine *m, uint32_t lin, unsigned sz, struct rmw *w);
uint32_t rmw_read_slow(struct machine *m, const struct rmw *w);
void rmw_write_slow(struct machine *m, const struct rmw *w, uint32_t v);

HOT_INLINE uint32_t rmw_read(struct machine *m, unsigned s, uint32_t off, unsigned sz, struct rmw *w)
{
    uint32_t lin = seg_wr_lin(m, s, off, sz);
    w->sz = sz;
    if (likely((lin & 0xFFF) <= 0x1000 - sz)) {
        w->p = xlate(m, lin, MMU_WRITE, m->cpu.cpl, &w->phys0);
        w->first = sz;
        if (likely(w->p != NULL))
            return load_le(w->p, sz);
        return bus_read(m, w->phys0, sz);
    }
    rmw_begin_slow(m, lin, sz, w);
    return rmw_read_slow(m, w);
}
HOT_INLINE void rmw_write(struct machine *m, const struct rmw *w, uint32_t v)
{
    if (likely(w->p != NULL)) {
        if (unlikely(m->bus.code_frames[w->phys0 >> 12]))
            icache_code_write(m, w->phys0, w->sz);
        store_le(w->p, w->sz, v);
        return;
    }
    rmw_write_slow(m, w, v);
}

/* The operand path with no call in it, for handlers whose fast case should
 * need no stack frame: the fast-path entry (mmu_fast_peek) of SZ bytes at
 * OFF through segment S for access KIND, with their host address in *HOST,
 * nothing recorded yet (the caller records the hit when
 * it commits, mmu_fast_peeked); NULL (nothing changed) when anything needs the full path: a
 * limit, a page crossing, no fast-path entry, not RAM, a trace or hit cost,
 * code on the page of a write. The handler then tail-calls its general form. */
HOT_INLINE const struct mmu_fast *mem_fast_entry(struct machine *m, unsigned s, uint32_t off, unsigned sz,
                                                 unsigned kind, uint8_t **host)
{
    const struct cpu_seg *g = &m->cpu.seg[s];
    /* (a flat segment's limit check is the page check below) */
    if (!(g->flat & (kind == MMU_WRITE ? SEG_FLAT_W : SEG_FLAT_R)) && unlikely(!seg_fits(g, kind == MMU_WRITE, off, sz)))
        return NULL;
    uint32_t lin = g->base + off;
    if (unlikely((lin & 0xFFF) > 0x1000 - sz))
        return NULL;
    return mmu_fast_peek(m, lin, kind, m->cpu.cpl, host);
}
/* mem_fast_entry with its hit recorded: the host address, or NULL. */
HOT_INLINE uint8_t *mem_fast(struct machine *m, unsigned s, uint32_t off, unsigned sz, unsigned kind)
{
    uint8_t *p;
    const struct mmu_fast *f = mem_fast_entry(m, s, off, sz, kind, &p);
    if (!f)
        return NULL;
    mmu_fast_peeked(f);
    return p;
}

/* N accesses of kind KIND at CPL that together cover the BYTES bytes at
 * linear LIN (descriptor halves, a frame's stack slots), answered by one
 * fast-path entry: the host address of LIN with the N hits recorded (N hits
 * in a row on one entry leave the replacement state one leaves, and a peeked
 * entry's hits need no cycles or trace), or NULL, nothing recorded, when the
 * bytes cross a page or the entry does not answer: the caller then makes the
 * accesses one by one. */
HOT_INLINE uint8_t *lin_fast_run(struct machine *m, uint32_t lin, unsigned bytes, unsigned kind, unsigned cpl,
                                 unsigned n)
{
    uint8_t *p;
    if ((lin & 0xFFF) > 0x1000 - bytes)
        return NULL;
    const struct mmu_fast *f = mmu_fast_peek(m, lin, kind, cpl, &p);
    if (!f)
        return NULL;
    mmu_fast_hits(f, n);
    return p;
}

/* Handlers with a frameless fast case: NAME tries FAST (which returns true
 * when it did the work) and otherwise tail-calls NAME_gen, the general form
 * written with the ordinary operand helpers. */
#define FAST_HANDLER(name, fast, general) \
    static __attribute__((noinline, cold)) void name##_gen(struct machine *m, const struct insn *i) { general; } \
    void name(struct machine *m, const struct insn *i) \
    { \
        if (likely(fast)) \
            return; \
        name##_gen(m, i); \
    }

/* read_E and write_E for FAST_HANDLER: false when the full path must run. */
HOT_INLINE bool read_E_fast(struct machine *m, const struct insn *i, unsigned sz, uint32_t *v)
{
    if (!(i->flags & I_MEM)) {
        *v = getreg(m, i->rm, sz);
        return true;
    }
    uint8_t *p = mem_fast(m, i->seg, insn_ea(m, i), sz, MMU_READ);
    if (!p)
        return false;
    *v = load_le(p, sz);
    return true;
}
HOT_INLINE bool write_E_fast(struct machine *m, const struct insn *i, unsigned sz, uint32_t v)
{
    if (!(i->flags & I_MEM)) {
        setreg(m, i->rm, sz, v);
        return true;
    }
    uint8_t *p = mem_fast(m, i->seg, insn_ea(m, i), sz, MMU_WRITE);
    if (!p)
        return false;
    store_le(p, sz, v);
    return true;
}
/* Load register REG (SZ bytes, SET as set_reg32/16/8) from r/m, or store it. */
#define LOAD_HANDLER(name, sz, expr_of_v) \
    FAST_HANDLER(name, ({ uint32_t v; read_E_fast(m, i, sz, &v) && (expr_of_v, true); }), \
                 ({ uint32_t v = read_E(m, i, sz); expr_of_v; }))
#define STORE_HANDLER(name, sz, val) FAST_HANDLER(name, write_E_fast(m, i, sz, val), write_E(m, i, sz, val))

/* The 32-bit addressing memory forms of a handler, picked by decode.c
 * (memforms): NAME_bd for an operand with no index (the address is one
 * add), NAME_bis for one with an index. The fast case does USE with host
 * pointer p; anything else tail-calls NAME's general form (NAME_gen, from
 * FAST_HANDLER). */
#define MEM_FORM(fname, name, ea, sz, kind, use) \
    void fname(struct machine *m, const struct insn *i) \
    { \
        uint8_t *p = mem_fast(m, i->seg, ea, sz, kind); \
        if (likely(p != NULL)) { \
            use; \
            return; \
        } \
        name##_gen(m, i); \
    }
#define MEM32_HANDLERS(name, sz, kind, use) \
    MEM_FORM(name##_bd, name, m->cpu.r[i->base] + i->disp, sz, kind, use) \
    MEM_FORM(name##_bis, name, m->cpu.r[i->base] + (m->cpu.r[i->index] << i->scale) + i->disp, sz, kind, use)

/* The ModRM r/m operand of size SZ: register or memory. */
HOT_INLINE uint32_t read_E(struct machine *m, const struct insn *i, unsigned sz)
{
    if (i->flags & I_MEM)
        return mem_read(m, i->seg, insn_ea(m, i), sz);
    return getreg(m, i->rm, sz);
}
HOT_INLINE void write_E(struct machine *m, const struct insn *i, unsigned sz, uint32_t v)
{
    if (i->flags & I_MEM)
        mem_write(m, i->seg, insn_ea(m, i), sz, v);
    else
        setreg(m, i->rm, sz, v);
}

/* ---- stack (cpu/mem.c) ---- */

/* Stack width from SS.B */
static inline bool ss32(struct machine *m) { return (m->cpu.seg[S_SS].flags >> 14) & 1; }
static inline uint32_t sp_mask(struct machine *m) { return ss32(m) ? 0xFFFFFFFFu : 0xFFFFu; }
static inline void set_sp(struct machine *m, uint32_t v)
{
    if (ss32(m)) m->cpu.r[R_ESP] = v;
    else set_reg16(m, R_ESP, v);
}
void push(struct machine *m, unsigned sz, uint32_t v);
uint32_t pop(struct machine *m, unsigned sz);
/* push and pop for FAST_HANDLER: false (nothing changed) when the full path
 * must run, a 16-bit stack (SS.B=0) included. */
HOT_INLINE bool push_fast(struct machine *m, unsigned sz, uint32_t v)
{
    if (unlikely(!ss32(m)))
        return false;
    uint32_t sp = m->cpu.r[R_ESP] - sz;
    uint8_t *p = mem_fast(m, S_SS, sp, sz, MMU_WRITE);
    if (!p)
        return false;
    store_le(p, sz, v);
    m->cpu.r[R_ESP] = sp;
    return true;
}
HOT_INLINE bool pop_fast(struct machine *m, unsigned sz, uint32_t *v)
{
    if (unlikely(!ss32(m)))
        return false;
    uint32_t sp = m->cpu.r[R_ESP];
    uint8_t *p = mem_fast(m, S_SS, sp, sz, MMU_READ);
    if (!p)
        return false;
    *v = load_le(p, sz);
    m->cpu.r[R_ESP] = sp + sz;
    return true;
}
/* Read the value SZ bytes at stack offset ESP+DELTA without moving ESP. */
uint32_t stack_peek(struct machine *m, unsigned sz, uint32_t delta);
/* The N slots of SZ bytes at stack offset ESP+DELTA, +SZ, ... read as N
 * stack_peeks would (one translation each), when one fast-path entry answers
 * them all and the whole run lies in SS's range and in one page: true with
 * V[k] the k-th slot. False, nothing read or recorded, otherwise: the caller
 * then makes its stack_peeks (a 2-byte selector's slot is read here whole,
 * which the segment check above allows). */
bool stack_peek_run(struct machine *m, unsigned sz, uint32_t delta, unsigned n, uint32_t *v);

/* ---- segmentation (cpu/seg.c) ---- */

/* Descriptor flags field (descriptor bits 40-55 as stored in cpu_seg.flags) */
#define DF_TYPE  0x000Fu
#define DF_A     0x0001u    /* accessed */
#define DF_S     0x0010u    /* code/data (1) or system (0) */
#define DF_DPL   0x0060u
#define DF_P     0x0080u
#define DF_DB    0x4000u
#define DF_G     0x8000u
#define DF_CODE  0x0008u    /* type bit 3 for S=1 */
#define DF_CONF  0x0004u    /* code: conforming; data: expand-down */
#define DF_RW    0x0002u    /* code: readable; data: writable */
static inline unsigned df_dpl(uint32_t f) { return (f >> 5) & 3; }

/* Load segment register S (not CS) with selector SEL, every protected-mode
 * check made (SDM vol. 3A §5.4-5.7, MOV/POP/LDS pseudocode). */
void seg_load(struct machine *m, unsigned s, uint16_t sel);
/* Set a segment cache directly (reset, Multiboot entry) and derive ranges. */
void seg_set_cache(struct cpu_seg *g, uint16_t sel, uint32_t base, uint32_t limit, uint32_t flags);
/* Derive rlo/rhi/wlo/whi from the cache (S is the register index). */
void seg_derive(struct cpu_seg *g, unsigned s);
/* Read the 8-byte descriptor for SEL from the GDT/LDT. Returns false when
 * SEL is outside the table (the caller picks the exception). */
bool desc_read(struct machine *m, uint16_t sel, uint32_t *lo, uint32_t *hi);
/* The two halves of the 8-byte descriptor (or gate) at linear LIN: two
 * implicit supervisor reads, low half first. */
void desc_read_lin(struct machine *m, uint32_t lin, uint32_t *lo, uint32_t *hi);
void desc_set_accessed(struct machine *m, uint16_t sel, uint32_t hi);
uint32_t desc_base(uint32_t lo, uint32_t hi);
uint32_t desc_limit(uint32_t lo, uint32_t hi);
static inline uint32_t desc_flags(uint32_t hi) { return (hi >> 8) & 0xF0FF; }
/* Privilege changes (cpu/except.c): TSS stack lookup, inner SS checks, and
 * a checked multi-slot push to a given stack. */
void tss_stack(struct machine *m, unsigned dpl, uint16_t *ss, uint32_t *esp, uint32_t ext);
void inner_stack_check(struct machine *m, uint16_t sssel, unsigned dpl, uint32_t ext, struct cpu_seg *out,
                       uint32_t *hi_out);
uint32_t stack_push_frame(struct machine *m, const struct cpu_seg *ss, uint32_t sp, unsigned cpl,
                          const uint32_t *v, unsigned n, unsigned sz, uint32_t sserr);
/* Far transfers and returns (cpu/ops_far.c) */
void far_jump(struct machine *m, uint16_t sel, uint32_t off, bool o16);
void far_call(struct machine *m, uint16_t sel, uint32_t off, bool o16);
/* MOV CR0 semantics (checks, PE clear is out of scope, MMU copy). */
void cpu_write_cr0(struct machine *m, uint32_t v);
/* Set CPL and the derived state after a CS change. */
void cpu_set_cpl(struct machine *m, unsigned cpl);

/* ---- I/O permission (cpu/ops_io.c) ---- */
void io_check(struct machine *m, uint16_t port, unsigned sz);

/* ---- decoder (cpu/decode.c) ---- */

/* Decode one instruction from BUF (AVAIL bytes) as CODE32 or 16-bit code.
 * Returns the length, 0 if more bytes are needed, -2 if longer than 15. An
 * undefined encoding decodes to a handler that raises #UD. */
int decode_insn(struct insn *i, const uint8_t *buf, unsigned avail, bool code32);

/* ---- cycles (cpu/cycles.c) ---- */
unsigned cycles_of(const struct insn *i, unsigned map, unsigned opcode, unsigned group_reg);

/* ---- itrace (cpu/itrace.c) ---- */
/* Before an instruction: remember where it is and the registers. */
void cpu_itrace_begin(struct machine *m);
/* After it (or when it faulted, FAULT names what happened): print one line
 * to F if the instruction is in the traced range and lines remain. */
void cpu_itrace_insn(struct machine *m, FILE *f, const char *fault);
void cpu_itrace_free(struct machine *m);

#endif
