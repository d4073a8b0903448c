/* System and model-specific instructions: HLT, flag instructions, CPUID,
 * RDTSC, RDMSR/WRMSR, MOV to/from control and debug registers, CLTS, LMSW,
 * SMSW, INVD/WBINVD/INVLPG, UD. Intel SDM vol. 2 per mnemonic;
 * vol. 3A §2.5 (control registers), §17.2 (debug registers).
 *
 * The modelled CPU (DESIGN.md): CPUID family 6 with FPU, TSC, CX8, CMOV,
 * PSE, PGE, MSR and nothing else; the TSC is the only MSR; CR4 has TSD, PSE
 * and PGE. ESC and WAIT are the x87's (cpu/ops_fpu*.c). */
#include "cpu/ops.h"

static inline void need_cpl0(struct machine *m)
{
    if (m->cpu.cpl != 0)
        GP0(m);
}

void op_hlt(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    m->cpu.halted = true;
    cpu_slow_set(&m->cpu, SLOW_HALT);
}

/* CLI/STI: CPL <= IOPL, else #GP(0). STI delays interrupts one instruction. */
void op_cli(struct machine *m, const struct insn *i)
{
    if (m->cpu.cpl > ((m->cpu.eflags >> 12) & 3))
        GP0(m);
    m->cpu.eflags &= ~EFLAGS_IF;
}

void op_sti(struct machine *m, const struct insn *i)
{
    struct cpu *c = &m->cpu;
    if (c->cpl > ((c->eflags >> 12) & 3))
        GP0(m);
    if (!(c->eflags & EFLAGS_IF)) {
        c->shadow = 2;
        cpu_slow_set(c, SLOW_SHADOW);
    }
    c->eflags |= EFLAGS_IF;
    cpu_update_slow(m);
}

void op_cmc(struct machine *m, const struct insn *i) { flags_set_cf(m, !lf_cf(&m->cpu)); }
void op_clc(struct machine *m, const struct insn *i) { flags_set_cf(m, 0); }
void op_stc(struct machine *m, const struct insn *i) { flags_set_cf(m, 1); }
void op_cld(struct machine *m, const struct insn *i) { m->cpu.eflags &= ~EFLAGS_DF; }
void op_std(struct machine *m, const struct insn *i) { m->cpu.eflags |= EFLAGS_DF; }

/* CPUID: "GenuineIntel", family 6 model 5 stepping 2 (QEMU's pentium2). */
#define CPUID_SIGNATURE 0x00000652u
#define CPUID_FEATURES  ((1u << 0) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 8) | (1u << 13) | (1u << 15))

void op_cpuid(struct machine *m, const struct insn *i)
{
    uint32_t *r = m->cpu.r;
    if (r[R_EAX] == 0) {
        r[R_EAX] = 1;
        r[R_EBX] = 0x756E6547;  /* "Genu" */
        r[R_EDX] = 0x49656E69;  /* "ineI" */
        r[R_ECX] = 0x6C65746E;  /* "ntel" */
        return;
    }
    /* Leaf 1, and (as Intel parts do) any leaf above the maximum. */
    r[R_EAX] = CPUID_SIGNATURE;
    r[R_EBX] = 0;
    r[R_ECX] = 0;
    r[R_EDX] = CPUID_FEATURES;
}

static inline uint64_t tsc_now(struct machine *m)
{
    return m->clock.cycles + m->cpu.tsc_offset;
}

void op_rdtsc(struct machine *m, const struct insn *i)
{
    if ((m->mmu.cr4 & CR4_TSD) && m->cpu.cpl != 0)
        GP0(m);
    uint64_t t = tsc_now(m);
    set_reg32(m, R_EAX, (uint32_t)t);
    set_reg32(m, R_EDX, (uint32_t)(t >> 32));
}

#define MSR_TSC 0x10u

void op_rdmsr(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    if (reg32(m, R_ECX) != MSR_TSC)
        GP0(m);
    uint64_t t = tsc_now(m);
    set_reg32(m, R_EAX, (uint32_t)t);
    set_reg32(m, R_EDX, (uint32_t)(t >> 32));
}

void op_wrmsr(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    if (reg32(m, R_ECX) != MSR_TSC)
        GP0(m);
    uint64_t v = ((uint64_t)reg32(m, R_EDX) << 32) | reg32(m, R_EAX);
    m->cpu.tsc_offset = v - m->clock.cycles;
}

/* ---- control registers ---- */

#define CR0_VALID (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM | \
                   CR0_NW | CR0_CD | CR0_PG)
#define CR4_VALID (CR4_TSD | CR4_PSE | CR4_PGE)

void cpu_write_cr0(struct machine *m, uint32_t v)
{
    v = (v & CR0_VALID) | CR0_ET;
    if ((v & CR0_PG) && !(v & CR0_PE))
        GP0(m);
    if ((v & CR0_NW) && !(v & CR0_CD))
        GP0(m);
    if (!(v & CR0_PE))
        cpu_out_of_scope(m, "CR0.PE cleared (real mode is not modelled)");
    mmu_set_cr0(m, v);
}

void op_mov_CdRd(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    struct cpu *c = &m->cpu;
    uint32_t v = reg32(m, i->rm);
    switch (i->reg) {
    case 0:
        m->clock.cycles += 13;
        cpu_write_cr0(m, v);
        break;
    case 2:
        c->cr2 = v;
        break;
    case 3:
        mmu_set_cr3(m, v & 0xFFFFF018u);
        break;
    case 4:
        if (v & ~CR4_VALID)
            GP0(m);
        mmu_set_cr4(m, v);
        break;
    default:
        UD(m);
    }
}

void op_mov_RdCd(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    const struct cpu *c = &m->cpu;
    uint32_t v;
    switch (i->reg) {
    case 0: v = m->mmu.cr0; break;
    case 2: v = c->cr2; break;
    case 3: v = m->mmu.cr3; break;
    case 4: v = m->mmu.cr4; break;
    default: UD(m);
    }
    set_reg32(m, i->rm, v);
}

/* Debug registers are stored; breakpoints are not armed. DR4/DR5 alias
 * DR6/DR7 (CR4.DE is not modelled). */
void op_mov_DdRd(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    uint32_t v = reg32(m, i->rm);
    unsigned n = i->reg;
    if (n == 4 || n == 5)
        n += 2;
    if (n == 6)
        v = (v & 0x0000E00Fu) | 0xFFFF0FF0u;
    else if (n == 7)
        v = (v & 0xFFFF2BFFu) | 0x400u;
    m->cpu.dr[n] = v;
}

void op_mov_RdDd(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    unsigned n = i->reg;
    if (n == 4 || n == 5)
        n += 2;
    set_reg32(m, i->rm, m->cpu.dr[n]);
}

void op_clts(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    mmu_set_cr0(m, m->mmu.cr0 & ~CR0_TS);
}

/* LMSW loads PE MP EM TS; it cannot clear PE. */
void op_lmsw(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    uint32_t v = read_E(m, i, 2) & 0xF;
    cpu_write_cr0(m, (m->mmu.cr0 & ~0xEu) | v | CR0_PE);
}

/* SMSW: a 32-bit register gets all of CR0 (P6, Bochs); otherwise 16 bits. */
void op_smsw(struct machine *m, const struct insn *i)
{
    if (!(i->flags & I_MEM) && !(i->flags & I_O16))
        set_reg32(m, i->rm, m->mmu.cr0);
    else
        write_E(m, i, 2, m->mmu.cr0 & 0xFFFF);
}

void op_invd(struct machine *m, const struct insn *i) { need_cpl0(m); }
void op_wbinvd(struct machine *m, const struct insn *i) { need_cpl0(m); }

void op_invlpg(struct machine *m, const struct insn *i)
{
    need_cpl0(m);
    mmu_invlpg(m, m->cpu.seg[i->seg].base + insn_ea(m, i));
}

void op_ud(struct machine *m, const struct insn *i) { UD(m); }
void op_nop_Ev(struct machine *m, const struct insn *i) { (void)m; (void)i; }
void op_int1(struct machine *m, const struct insn *i) { cpu_trap(m, VEC_DB); }
