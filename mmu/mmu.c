/* Paging: Intel SDM vol. 3A §4.3 (32-bit paging), §4.6 (access rights),
 * §4.7 (page-fault exceptions), §4.8 (A/D flags).
 * First version: architectural walk on every access, no TLB model yet. */
#include "mmu/mmu.h"
#include "emu/machine.h"

#include <string.h>

bool mmu_init(struct machine *m, const char *tlb_spec, const char *cycles_spec,
              char *err, unsigned errlen)
{
    (void)tlb_spec; (void)cycles_spec; (void)err; (void)errlen;
    memset(&m->mmu, 0, sizeof m->mmu);
    return true;
}

void mmu_free(struct machine *m) { (void)m; }

static void mmu_update_paging(struct mmu *u)
{
    u->paging = (u->cr0 & CR0_PG) && (u->cr0 & CR0_PE);
}

void mmu_set_cr0(struct machine *m, uint32_t cr0) { m->mmu.cr0 = cr0; mmu_update_paging(&m->mmu); }
void mmu_set_cr3(struct machine *m, uint32_t cr3) { m->mmu.cr3 = cr3; }
void mmu_set_cr4(struct machine *m, uint32_t cr4) { m->mmu.cr4 = cr4; }
void mmu_invlpg(struct machine *m, uint32_t lin) { (void)m; (void)lin; }

static bool walk(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl,
                 uint32_t *phys, bool commit)
{
    struct mmu *u = &m->mmu;
    unsigned k = kind & MMU_KIND_MASK;
    bool user = cpl == 3 && !(kind & MMU_IMPLICIT);
    bool write = k == MMU_WRITE;
    uint32_t err = (write ? PF_W : 0) | (user ? PF_U : 0);
    uint32_t pde_addr = (u->cr3 & 0xFFFFF000u) | ((lin >> 20) & 0xFFC);
    uint32_t pde = bus_read(m, pde_addr, 4);
    if (!(pde & 1))
        goto fault;
    bool big = (pde & 0x80) && (u->cr4 & CR4_PSE);
    if (big && (pde & 0x003FE000u)) {
        err |= PF_P | PF_RSVD;
        goto fault_err;
    }
    uint32_t pte_addr = 0, pte = pde, rw = pde & 2, us = pde & 4;
    if (!big) {
        pte_addr = (pde & 0xFFFFF000u) | ((lin >> 10) & 0xFFC);
        pte = bus_read(m, pte_addr, 4);
        if (!(pte & 1))
            goto fault;
        if (pte & 0x80) {
            err |= PF_P | PF_RSVD;
            goto fault_err;
        }
        rw &= pte;
        us &= pte;
    }
    if (user && !us)
        { err |= PF_P; goto fault_err; }
    if (write && !rw && (user || (u->cr0 & CR0_WP)))
        { err |= PF_P; goto fault_err; }
    if (commit) {
        if (!(pde & 0x20) || (big && write && !(pde & 0x40)))
            bus_write(m, pde_addr, 4, pde | 0x20 | (big && write ? 0x40 : 0));
        if (!big && (!(pte & 0x20) || (write && !(pte & 0x40))))
            bus_write(m, pte_addr, 4, pte | 0x20 | (write ? 0x40 : 0));
    }
    *phys = big ? (pde & 0xFFC00000u) | (lin & 0x3FFFFF) : (pte & 0xFFFFF000u) | (lin & 0xFFF);
    return true;
fault:
    ;
fault_err:
    if (commit) {
        u->fault_addr = lin;
        u->fault_err = err;
        u->stats.faults++;
    }
    return false;
}

bool mmu_translate(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys)
{
    if (!m->mmu.paging) {
        m->mmu.stats.unpaged++;
        *phys = lin;
        return true;
    }
    m->mmu.stats.translations++;
    m->mmu.stats.walks++;
    return walk(m, lin, kind, cpl, phys, true);
}

bool mmu_probe(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys)
{
    if (!m->mmu.paging) {
        *phys = lin;
        return true;
    }
    return walk(m, lin, kind, cpl, phys, false);
}

bool mmu_read(struct machine *m, uint32_t lin, unsigned size, unsigned kind, unsigned cpl, uint32_t *val)
{
    uint32_t p0, p1;
    unsigned first = 4096 - (lin & 0xFFF);
    if (!mmu_translate(m, lin, kind, cpl, &p0))
        return false;
    if (size <= first) {
        *val = bus_read(m, p0, size);
        return true;
    }
    if (!mmu_translate(m, lin + first, kind, cpl, &p1))
        return false;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= bus_read(m, i < first ? p0 + i : p1 + (i - first), 1) << (8 * i);
    *val = v;
    return true;
}

bool mmu_write(struct machine *m, uint32_t lin, unsigned size, unsigned kind, unsigned cpl, uint32_t val)
{
    uint32_t p0, p1 = 0;
    unsigned first = 4096 - (lin & 0xFFF);
    if (!mmu_translate(m, lin, kind, cpl, &p0))
        return false;
    if (size <= first) {
        bus_write(m, p0, size, val);
        return true;
    }
    if (!mmu_translate(m, lin + first, kind, cpl, &p1))
        return false;
    for (unsigned i = 0; i < size; i++)
        bus_write(m, i < first ? p0 + i : p1 + (i - first), 1, (val >> (8 * i)) & 0xFF);
    return true;
}

void mmu_summary(struct machine *m, FILE *f)
{
    const struct mmu_stats *s = &m->mmu.stats;
    if (s->translations)
        fprintf(f, "paging:       %llu translations, %llu walks, %llu page faults\n",
                (unsigned long long)s->translations, (unsigned long long)s->walks,
                (unsigned long long)s->faults);
}
