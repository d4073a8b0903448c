/* Paging and the TLB model: every guest access goes cpu -> mmu -> bus.
 *
 * Intel SDM vol. 3A ch. 4 (32-bit paging, PSE, PGE, WP). One call of
 * mmu_translate is one translation as DESIGN.md defines it: one lookup of
 * one linear page for one access. It charges its cycles to the clock, counts
 * itself in the TLB statistics and emits its trace record. */
#ifndef VMSCOPE_MMU_MMU_H
#define VMSCOPE_MMU_MMU_H

#include <stdbool.h>
#include <stdint.h>

struct machine;

/* Access kinds (low bits) and flags. */
enum mmu_kind { MMU_FETCH = 0, MMU_READ = 1, MMU_WRITE = 2 };
#define MMU_KIND_MASK 3u
#define MMU_IMPLICIT  4u    /* descriptor tables, TSS, interrupt-delivery pushes */

/* #PF error code bits (SDM vol. 3A §4.7). */
#define PF_P    1u
#define PF_W    2u
#define PF_U    4u
#define PF_RSVD 8u

/* CR bits the MMU cares about. */
#define CR0_PE (1u << 0)
#define CR0_WP (1u << 16)
#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4)
#define CR4_PGE (1u << 7)

struct mmu_stats {
    uint64_t unpaged;       /* accesses with CR0.PG=0: not translations */
    uint64_t translations;  /* lookups (paged) */
    uint64_t walks;         /* page walks started (misses and D-bit assists) */
    uint64_t faults;        /* #PF raised */
};

struct tlb_model;           /* mmu/tlb.h: geometry, policy, state, statistics */

struct mmu {
    uint32_t cr0, cr3, cr4;         /* paging-relevant copies, set through mmu_set_cr* */
    bool paging;                    /* CR0.PG && CR0.PE */
    uint32_t fault_addr;            /* CR2 of the last #PF this MMU decided */
    uint32_t fault_err;             /* its error code */
    struct mmu_stats stats;
    struct tlb_model *tlb;          /* NULL until mmu_init */
    bool fastpath;                  /* host-pointer fast path allowed */
};

/* Build the MMU with a TLB SPEC and cycle SPEC (NULL: defaults). Returns false
 * and writes one line to ERR when a spec is malformed. */
bool mmu_init(struct machine *m, const char *tlb_spec, const char *cycles_spec,
              char *err, unsigned errlen);
void mmu_free(struct machine *m);

/* Control-register changes with their architectural flush effects. */
void mmu_set_cr0(struct machine *m, uint32_t cr0);
void mmu_set_cr3(struct machine *m, uint32_t cr3);
void mmu_set_cr4(struct machine *m, uint32_t cr4);
void mmu_invlpg(struct machine *m, uint32_t lin);

/* One translation of LIN for KIND (| MMU_IMPLICIT) at privilege CPL. On success
 * stores the physical address and returns true. On a page fault stores CR2
 * and the error code in m->mmu.fault_addr/fault_err and returns false: the
 * caller raises #PF. With paging off, counts an unpaged access. */
bool mmu_translate(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys);

/* Debugger view: the same walk with no statistics, no A/D writes, no cycles,
 * no trace and no TLB change. */
bool mmu_probe(struct machine *m, uint32_t lin, unsigned kind, unsigned cpl, uint32_t *phys);

/* Linear accesses of 1, 2 or 4 bytes; an access that spans two pages
 * translates both before touching memory, so a fault changes nothing.
 * Return false on #PF (see mmu_translate). */
bool mmu_read(struct machine *m, uint32_t lin, unsigned size, unsigned kind, unsigned cpl, uint32_t *val);
bool mmu_write(struct machine *m, uint32_t lin, unsigned size, unsigned kind, unsigned cpl, uint32_t val);

/* One line per subsystem fact for the end-of-run summary. */
#include <stdio.h>
void mmu_summary(struct machine *m, FILE *f);
/* Every TLB set and way with its entry and replacement state (inspection). */
void mmu_dump_tlb(struct machine *m, FILE *f);

#endif
