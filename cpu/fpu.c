/* The x87's state and the rules every ESC instruction shares: FNINIT's
 * state, the status and tag words, #NM and pending exceptions (#MF or
 * FERR#), the last-instruction pointers, the status-word rules of
 * exceptions and stack faults, and memory operands.
 *
 * Intel SDM vol. 1 §8.1 (state), §8.1.3.4 and §8.6 (stack faults), §8.4
 * (the tag word), §8.7 (unmasked exceptions pending until the next waiting
 * instruction), appendix D (FERR# and IRQ 13 when CR0.NE=0); vol. 3A §2.5
 * (CR0.EM, TS, MP, NE). Where the SDM leaves a detail open (what C1 holds
 * after an unmasked overflow to memory, which pointers FNSTENV stores) the
 * behaviour is Bochs's, which equals the hardware's on the cases measured
 * (issue 17). */
#include "cpu/fpu_impl.h"

void fpu_reset(struct fpu *f)
{
    f->cw = 0x037F;
    f->sw = 0;
    f->top = 0;
    f->empty = 0xFF;
    f->fop = 0;
    f->fcs = f->fds = 0;
    f->fip = f->fdp = 0;
}

uint16_t fpu_status_word(const struct fpu *f)
{
    return (uint16_t)((f->sw & ~0x3800u) | ((unsigned)f->top << 11));
}

uint16_t fpu_tag_word(const struct fpu *f)
{
    uint16_t t = 0;
    for (unsigned p = 0; p < 8; p++)
        t |= (uint16_t)(((f->empty >> p) & 1 ? 3u : fx_tag(f->st[p])) << (2 * p));
    return t;
}

void fpu_dump(const struct fpu *f, FILE *out)
{
    fprintf(out, "FCW=%04x FSW=%04x FTW=%04x TOP=%u FOP=%03x FIP=%04x:%08x FDP=%04x:%08x\n", f->cw,
            fpu_status_word(f), fpu_tag_word(f), f->top, f->fop, f->fcs, f->fip, f->fds, f->fdp);
    for (unsigned i = 0; i < 8; i++) {
        unsigned p = (f->top + i) & 7;
        const struct fx80 *r = &f->st[p];
        static const char *const tags[4] = { "valid", "zero", "special", "empty" };
        unsigned tag = (f->empty >> p) & 1 ? 3 : fx_tag(*r);
        fprintf(out, "ST%u=R%u %04x:%016llx %s\n", i, p, r->se, (unsigned long long)r->sig, tags[tag]);
    }
}

void fpu_prepare(struct machine *m, bool wait)
{
    struct cpu *c = &m->cpu;
    if (c->cr0 & (CR0_EM | CR0_TS))
        cpu_fault_noerr(m, VEC_NM);
    if (wait && (c->fpu.sw & FSW_ES)) {
        if (c->cr0 & CR0_NE)
            cpu_fault_noerr(m, VEC_MF);
        machine_ferr(m);
    }
}

void fpu_note(struct machine *m, const struct insn *i)
{
    struct cpu *c = &m->cpu;
    c->fpu.fop = i->imm2;
    c->fpu.fcs = c->seg[S_CS].sel;
    c->fpu.fip = c->insn_eip;
    if (i->flags & I_MEM) {
        c->fpu.fds = c->seg[i->seg].sel;
        c->fpu.fdp = insn_ea(m, i);
    }
}

unsigned fpu_exception(struct machine *m, unsigned ex, bool store)
{
    struct fpu *f = &m->cpu.fpu;
    ex &= FX_EXC | FX_SF | FX_C1;
    unsigned old = f->sw;
    unsigned unmasked = ex & ~f->cw & FX_EXC;
    if (ex & (FX_IE | FX_ZE))
        unmasked &= FX_IE | FX_ZE;
    if (unmasked)
        f->sw |= FSW_ES | FSW_B;
    if (ex & FX_IE) {
        f->sw |= (uint16_t)ex;
        if ((ex & FX_SF) && !(ex & FX_C1))
            f->sw &= (uint16_t)~FSW_C1;
        return unmasked;
    }
    if (ex & FX_ZE) {
        f->sw |= FX_ZE;
        return unmasked;
    }
    if (ex & FX_DE) {
        f->sw |= FX_DE;
        if (unmasked & FX_DE)
            return FX_DE;
    }
    f->sw |= (uint16_t)ex;
    if ((ex & FX_PE) && !(ex & FX_C1))
        f->sw &= (uint16_t)~FSW_C1;
    unmasked &= ~FX_PE;
    if (unmasked & (FX_UE | FX_OE)) {
        if (!store) {
            unmasked &= ~(FX_UE | FX_OE);
        } else {
            /* nothing is stored: no C1, and PE only if it was set before */
            f->sw &= (uint16_t)~FSW_C1;
            if (!(old & FX_PE))
                f->sw &= (uint16_t)~FX_PE;
        }
    }
    return unmasked;
}

void fpu_stack_overflow(struct machine *m)
{
    struct fpu *f = &m->cpu.fpu;
    if (fpu_ie_masked(f))
        fpu_push(f, fx_indefinite);
    fpu_exception(m, FX_IE | FX_SF | FX_C1, false);
}

void fpu_stack_underflow(struct machine *m, unsigned stnr, bool pop)
{
    struct fpu *f = &m->cpu.fpu;
    if (fpu_ie_masked(f)) {
        st_set(f, stnr, fx_indefinite);
        if (pop)
            fpu_pop(f);
    }
    fpu_exception(m, FX_IE | FX_SF, false);
}

/* Translate the pages of LEN bytes at the memory operand + DELTA. */
static unsigned fpu_pages(struct machine *m, const struct insn *i, uint32_t delta, unsigned len, bool write,
                          uint32_t *lin, uint32_t phys[2])
{
    uint32_t off = insn_ea(m, i) + delta;
    if (i->flags & I_A16)
        off &= 0xFFFF;
    *lin = write ? seg_wr_lin(m, i->seg, off, len) : seg_rd_lin(m, i->seg, off, len);
    unsigned kind = write ? MMU_WRITE : MMU_READ, first = 0x1000 - (*lin & 0xFFF);
    if (!mmu_translate(m, *lin, kind, m->cpu.cpl, &phys[0]))
        cpu_page_fault(m);
    if (first < len && !mmu_translate(m, *lin + first, kind, m->cpu.cpl, &phys[1]))
        cpu_page_fault(m);
    return first < len ? first : len;
}

void fpu_read_mem(struct machine *m, const struct insn *i, uint32_t delta, void *buf, unsigned len)
{
    uint32_t lin, phys[2];
    unsigned first = fpu_pages(m, i, delta, len, false, &lin, phys);
    uint8_t *b = buf;
    for (unsigned k = 0; k < len; k++)
        b[k] = (uint8_t)bus_read(m, k < first ? phys[0] + k : phys[1] + (k - first), 1);
}

void fpu_write_mem(struct machine *m, const struct insn *i, uint32_t delta, const void *buf, unsigned len)
{
    uint32_t lin, phys[2];
    unsigned first = fpu_pages(m, i, delta, len, true, &lin, phys);
    const uint8_t *b = buf;
    for (unsigned k = 0; k < len; k++)
        bus_write(m, k < first ? phys[0] + k : phys[1] + (k - first), 1, b[k]);
}

struct fx80 fpu_read_m80(struct machine *m, const struct insn *i, uint32_t delta)
{
    uint8_t b[10];
    fpu_read_mem(m, i, delta, b, 10);
    struct fx80 r;
    memcpy(&r.sig, b, 8);
    r.se = (uint16_t)(b[8] | b[9] << 8);
    return r;
}
