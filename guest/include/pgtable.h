/* Two-level i386 page tables (Linux's asm-i386/pgtable-2level.h and
 * pgtable.h): a page directory of 1024 PDEs, each pointing at a page table
 * of 1024 PTEs, each mapping one 4 KiB page. */
#ifndef VMSCOPE_GUEST_PGTABLE_H
#define VMSCOPE_GUEST_PGTABLE_H

#include <kernel.h>
#include <page.h>
#include <io.h>

#define PGDIR_SHIFT 22
#define PTRS_PER_PGD 1024
#define PTRS_PER_PTE 1024
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define PGDIR_MASK (~(PGDIR_SIZE - 1))
#define USER_PTRS_PER_PGD (TASK_SIZE / PGDIR_SIZE)    /* 768 */

#define _PAGE_PRESENT  0x001
#define _PAGE_RW       0x002
#define _PAGE_USER     0x004
#define _PAGE_PWT      0x008
#define _PAGE_PCD      0x010
#define _PAGE_ACCESSED 0x020
#define _PAGE_DIRTY    0x040
#define _PAGE_PSE      0x080   /* PDE: 4 MiB page */
#define _PAGE_GLOBAL   0x100
#define _PAGE_PROTNONE 0x080   /* PTE with P=0: PROT_NONE page, still "present" to us */

#define _PAGE_TABLE  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define _KERNPG_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _PAGE_CHG_MASK (PAGE_MASK | _PAGE_ACCESSED | _PAGE_DIRTY)

typedef struct { unsigned long pte_low; } pte_t;
typedef struct { unsigned long pgd; } pgd_t;
typedef struct { unsigned long pgprot; } pgprot_t;

#define pte_val(x) ((x).pte_low)
#define pgd_val(x) ((x).pgd)
#define pgprot_val(x) ((x).pgprot)
#define __pte(x) ((pte_t){ (x) })
#define __pgd(x) ((pgd_t){ (x) })
#define __pgprot(x) ((pgprot_t){ (x) })

#define PAGE_NONE      __pgprot(_PAGE_PROTNONE | _PAGE_ACCESSED)
#define PAGE_SHARED    __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_COPY      __pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_READONLY  __pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define __PAGE_KERNEL  (_PAGE_PRESENT | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED)
extern unsigned long __supported_pte_mask;      /* _PAGE_GLOBAL when PGE is on */
#define PAGE_KERNEL    __pgprot(__PAGE_KERNEL | (__supported_pte_mask & _PAGE_GLOBAL))

/* protection_map[vm_flags & 0xf]: VM_READ|VM_WRITE|VM_EXEC|VM_SHARED to PTE
 * bits. Private writable mappings get PAGE_COPY (read-only) so that the first
 * write goes through do_wp_page. */
extern pgprot_t protection_map[16];

extern pgd_t swapper_pg_dir[PTRS_PER_PGD];

#define pgd_index(a) (((a) >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1))
#define pte_index(a) (((a) >> PAGE_SHIFT) & (PTRS_PER_PTE - 1))
#define pgd_offset(mm, a) ((mm)->pgd + pgd_index(a))
#define pgd_offset_k(a) (swapper_pg_dir + pgd_index(a))

static inline int pgd_none(pgd_t p) { return !pgd_val(p); }
static inline int pgd_present(pgd_t p) { return pgd_val(p) & _PAGE_PRESENT; }
static inline pte_t *pgd_page_table(pgd_t p) { return (pte_t *)__va(pgd_val(p) & PAGE_MASK); }
static inline pte_t *pte_offset(pgd_t *pgd, unsigned long a) { return pgd_page_table(*pgd) + pte_index(a); }

static inline int pte_none(pte_t p) { return !pte_val(p); }
static inline int pte_present(pte_t p) { return pte_val(p) & (_PAGE_PRESENT | _PAGE_PROTNONE); }
static inline int pte_write(pte_t p) { return pte_val(p) & _PAGE_RW; }
static inline int pte_dirty(pte_t p) { return pte_val(p) & _PAGE_DIRTY; }
static inline int pte_young(pte_t p) { return pte_val(p) & _PAGE_ACCESSED; }
static inline pte_t pte_wrprotect(pte_t p) { return __pte(pte_val(p) & ~_PAGE_RW); }
static inline pte_t pte_mkwrite(pte_t p) { return __pte(pte_val(p) | _PAGE_RW); }
static inline pte_t pte_mkdirty(pte_t p) { return __pte(pte_val(p) | _PAGE_DIRTY); }
static inline pte_t pte_mkyoung(pte_t p) { return __pte(pte_val(p) | _PAGE_ACCESSED); }
static inline pte_t pte_modify(pte_t p, pgprot_t prot)
{
    return __pte((pte_val(p) & _PAGE_CHG_MASK) | pgprot_val(prot));
}
static inline unsigned long pte_pfn(pte_t p) { return pte_val(p) >> PAGE_SHIFT; }
static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot) { return __pte((pfn << PAGE_SHIFT) | pgprot_val(prot)); }
static inline void set_pte(pte_t *ptep, pte_t v) { *ptep = v; }
static inline void pte_clear(pte_t *ptep) { pte_val(*ptep) = 0; }
static inline void set_pgd(pgd_t *pgdp, pgd_t v) { *pgdp = v; }

/* TLB flushes (Linux's asm-i386/pgalloc.h). The local CPU only: no SMP. */
static inline void __flush_tlb_one(unsigned long addr)
{
    __asm__ volatile("invlpg (%0)" :: "r"(addr) : "memory");
}
/* Reload CR3: drops every non-global entry. */
static inline void __flush_tlb(void) { write_cr3(read_cr3()); }
/* Drop global entries too: toggle CR4.PGE (when enabled). */
void __flush_tlb_all(void);

#endif
