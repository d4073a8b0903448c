/* Port I/O: IN/OUT and the protection check shared with INS/OUTS.
 * Intel SDM vol. 1 §18.5 (I/O privilege level), §18.5.2 (I/O permission bit
 * map); vol. 2 "IN", "OUT".
 *
 * When CPL > IOPL every bit for the accessed ports must be clear in the
 * 32-bit TSS's I/O bitmap, else #GP(0). The bitmap is read as two bytes at
 * TSS + iomap_base + port/8 (both within the TSS limit), implicitly at
 * supervisor level. Devices are reached only through bus_in/bus_out; an OUT
 * that ends the run (isa-debug-exit) sets m->stop and m->attn, and the
 * execution loop returns before the next instruction. */
#include "cpu/ops.h"

void io_check(struct machine *m, uint16_t port, unsigned sz)
{
    struct cpu *c = &m->cpu;
    unsigned iopl = (c->eflags >> 12) & 3;
    if (c->cpl <= iopl)
        return;
    m->clock.cycles += 20;
    unsigned type = c->tr.flags & 0x1F;
    if ((type != 0x09 && type != 0x0B) || c->tr.limit < 0x67)
        GP0(m);
    uint32_t base = lin_read(m, c->tr.base + 0x66, 2, MMU_READ | MMU_IMPLICIT, 0);
    uint32_t at = base + port / 8u;
    if (at + 1 > c->tr.limit)
        GP0(m);
    uint32_t bits = lin_read(m, c->tr.base + at, 2, MMU_READ | MMU_IMPLICIT, 0);
    if ((bits >> (port & 7)) & ((1u << sz) - 1))
        GP0(m);
}

static inline void do_in(struct machine *m, uint16_t port, unsigned sz)
{
    io_check(m, port, sz);
    setreg(m, R_EAX, sz, bus_in(m, port, sz));
}

static inline void do_out(struct machine *m, uint16_t port, unsigned sz)
{
    io_check(m, port, sz);
    bus_out(m, port, sz, getreg(m, R_EAX, sz));
}

void op_in_ALIb(struct machine *m, const struct insn *i) { do_in(m, (uint16_t)(i->imm & 0xFF), 1); }
void op_in_AXIb(struct machine *m, const struct insn *i) { do_in(m, (uint16_t)(i->imm & 0xFF), 2); }
void op_in_EAXIb(struct machine *m, const struct insn *i) { do_in(m, (uint16_t)(i->imm & 0xFF), 4); }
void op_out_IbAL(struct machine *m, const struct insn *i) { do_out(m, (uint16_t)(i->imm & 0xFF), 1); }
void op_out_IbAX(struct machine *m, const struct insn *i) { do_out(m, (uint16_t)(i->imm & 0xFF), 2); }
void op_out_IbEAX(struct machine *m, const struct insn *i) { do_out(m, (uint16_t)(i->imm & 0xFF), 4); }
void op_in_ALDX(struct machine *m, const struct insn *i) { do_in(m, (uint16_t)reg16(m, R_EDX), 1); }
void op_in_AXDX(struct machine *m, const struct insn *i) { do_in(m, (uint16_t)reg16(m, R_EDX), 2); }
void op_in_EAXDX(struct machine *m, const struct insn *i) { do_in(m, (uint16_t)reg16(m, R_EDX), 4); }
void op_out_DXAL(struct machine *m, const struct insn *i) { do_out(m, (uint16_t)reg16(m, R_EDX), 1); }
void op_out_DXAX(struct machine *m, const struct insn *i) { do_out(m, (uint16_t)reg16(m, R_EDX), 2); }
void op_out_DXEAX(struct machine *m, const struct insn *i) { do_out(m, (uint16_t)reg16(m, R_EDX), 4); }
