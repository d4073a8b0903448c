/* Page tables of user address spaces and the fault paths (Linux 2.4's
 * mm/memory.c): handle_mm_fault and its cases, do_anonymous_page (zero-fill,
 * the shared zero page for reads), do_no_page (vm_ops->nopage), do_wp_page
 * (copy-on-write), and the page-table walkers fork, munmap and exit use. */
#include <kernel.h>
#include <annotate.h>
#include <mm.h>
#include <sched.h>
#include <fs.h>
#include <swap.h>

void flush_tlb_mm(struct mm_struct *mm)
{
    if (mm == current->active_mm)
        __flush_tlb();
}

void flush_tlb_page(struct vm_area_struct *vma, unsigned long addr)
{
    if (vma->vm_mm == current->active_mm)
        __flush_tlb_one(addr);
}

/* One page: INVLPG. More: reload CR3 (cheaper than a loop of INVLPG). */
void flush_tlb_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
    if (mm != current->active_mm)
        return;
    if (end - start <= PAGE_SIZE)
        __flush_tlb_one(start);
    else
        __flush_tlb();
}

/* Every TLB entry, global ones included. */
void flush_tlb_all(void)
{
    __flush_tlb_all();
}

/* Make the PTE for address point at a zeroed page table, allocating it.
 * Returns the PTE, or NULL when out of memory. */
pte_t *pte_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address)
{
    if (pgd_none(*pgd)) {
        struct page *page = alloc_page(GFP_PGTABLE);
        if (!page)
            return NULL;
        if (!pgd_none(*pgd)) {          /* filled while we slept */
            __free_page(page);
            return pte_offset(pgd, address);
        }
        memset(page_address(page), 0, PAGE_SIZE);
        page->flags |= 1UL << PG_pgtable;
        pgtable_pages++;
        set_pgd(pgd, __pgd(page_to_pfn(page) << PAGE_SHIFT | _PAGE_TABLE));
    }
    return pte_offset(pgd, address);
}

/* Free the page table of one PDE; panics if a PTE is still in use. */
static void free_pte_table(pgd_t *pgd)
{
    pte_t *table = pgd_page_table(*pgd);
    for (int i = 0; i < PTRS_PER_PTE; i++)
        if (!pte_none(table[i]))
            panic("clear_page_tables: PTE %d still maps %08lx", i, pte_val(table[i]));
    struct page *page = virt_to_page(table);
    page->flags &= ~(1UL << PG_pgtable);
    set_pgd(pgd, __pgd(0));
    pgtable_pages--;
    __free_page(page);
}

/* Free the page tables of user PDEs [first, first+nr). Their PTEs must be
 * clear already. */
void clear_page_tables(struct mm_struct *mm, unsigned first, unsigned nr)
{
    if (first + nr > USER_PTRS_PER_PGD)
        panic("clear_page_tables: PDE %u..%u reaches the kernel", first, first + nr);
    for (unsigned i = first; i < first + nr; i++)
        if (!pgd_none(mm->pgd[i]))
            free_pte_table(&mm->pgd[i]);
}

/* Drop a mapped page's reference; a swap-cache page that only the cache
 * holds afterwards, and whose slot nothing else names, goes too
 * (free_page_and_swap_cache). */
static void free_page_and_swap_cache(struct page *page)
{
    if (PageSwapCache(page) && page_count(page) == 2 && !TryLockPage(page)) {
        swp_entry_t entry = { page->index };
        if (swap_count(entry) == 1) {
            delete_from_swap_cache(page);
            put_page(page);             /* the cache's reference */
        }
        unlock_page(page);
    }
    put_page(page);
}

/* Unmap [address, address+size) of mm: clear the PTEs, drop the pages
 * (frames whose last reference goes return to the buddy allocator) and the
 * swap entries (slots whose last reference goes are free), flush. */
void zap_page_range(struct mm_struct *mm, unsigned long address, unsigned long size)
{
    unsigned long end = address + size;
    pte_t *pte;
    for (unsigned long a = address; (pte = pte_range_next(mm, &a, end)); a += PAGE_SIZE) {
        pte_t entry = *pte;
        if (pte_none(entry))
            continue;
        pte_clear(pte);
        if (!pte_present(entry)) {
            free_swap_and_cache(pte_to_swp_entry(entry));
            continue;
        }
        struct page *page = pte_page(entry);
        if (VALID_PAGE(page) && !PageReserved(page)) {
            mm->rss--;
            if (pte_dirty(entry) && page->mapping && page->mapping->inode)
                set_page_dirty(page);   /* a shared file page written through us */
            free_page_and_swap_cache(page);
        }
    }
    flush_tlb_range(mm, address, end);
}

/* Copy src's PTEs for vma into dst (fork). Private writable pages become
 * read-only in both, each page's count goes up: the first write in either
 * process will go through do_wp_page. A swap entry gets one more reference
 * to its slot. Returns 0 or -ENOMEM. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
    int cow = (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
    pte_t *src_pte;
    for (unsigned long a = vma->vm_start; (src_pte = pte_range_next(src, &a, vma->vm_end)); a += PAGE_SIZE) {
        if (!pte_none(*src_pte)) {
            /* the table first: allocating may sleep, and reclaim may
             * change the source PTE meanwhile, so read it after */
            pte_t *dst_pte = pte_alloc(dst, pgd_offset(dst, a), a);
            if (!dst_pte)
                return -ENOMEM;
            src_pte = pte_offset(pgd_offset(src, a), a);
            pte_t pte = *src_pte;
            if (pte_none(pte)) {
                /* gone while we slept */
            } else if (!pte_present(pte)) {
                swap_duplicate(pte_to_swp_entry(pte));
                set_pte(dst_pte, pte);
            } else {
                struct page *page = pte_page(pte);
                if (VALID_PAGE(page) && !PageReserved(page)) {
                    if (cow && pte_write(pte)) {
                        set_pte(src_pte, pte_wrprotect(pte));
                        pte = *src_pte;
                    }
                    get_page(page);
                    dst->rss++;
                }
                set_pte(dst_pte, pte);
            }
        }
    }
    return 0;
}

/* Set a PTE that was present and flush its stale TLB entry. */
static void establish_pte(struct vm_area_struct *vma, unsigned long address, pte_t *ptep, pte_t entry)
{
    set_pte(ptep, entry);
    flush_tlb_page(vma, address);
}

/* Count one more resident page for mm (and the task's peak). */
static void rss_grew(struct mm_struct *mm)
{
    mm->rss++;
    if (mm->rss > current->ru.ru_maxrss)
        current->ru.ru_maxrss = mm->rss;
}

/* A fresh private page joins the LRU lists as just used. */
static void new_user_page(struct page *page)
{
    lru_cache_add(page);
    mark_page_accessed(page);
}

/* First touch of anonymous memory. A read maps the shared zero page
 * read-only; a write gets a fresh zeroed frame. */
static int do_anonymous_page(struct mm_struct *mm, struct vm_area_struct *vma, pte_t *page_table,
                             int write_access, unsigned long addr)
{
    struct task_struct *tsk = current;
    pte_t entry = pte_wrprotect(mk_pte(ZERO_PAGE(addr), vma->vm_page_prot));
    struct page *page = ZERO_PAGE(addr);
    if (write_access) {
        page = alloc_page(GFP_HIGHUSER);
        if (!page)
            return -1;
        memset(page_address(page), 0, PAGE_SIZE);
        if (!pte_none(*page_table)) {   /* someone else filled it while we slept */
            __free_page(page);
            return 1;
        }
        rss_grew(mm);
        new_user_page(page);
        entry = pte_mkwrite(pte_mkdirty(mk_pte(page, vma->vm_page_prot)));
        tsk->ru.ru_nzfod++;
    } else {
        tsk->ru.ru_nzeropage++;
    }
    set_pte(page_table, entry);
    annot_zero_fill(tsk->pid, addr & PAGE_MASK, page_to_pfn(page));
    return 1;
}

/* First touch of a page backed by vm_ops->nopage. */
static int do_no_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
                      int write_access, pte_t *page_table)
{
    if (!vma->vm_ops || !vma->vm_ops->nopage)
        return do_anonymous_page(mm, vma, page_table, write_access, address);
    int major = 0;
    struct page *new_page = vma->vm_ops->nopage(vma, address & PAGE_MASK, write_access, &major);
    if (new_page == NOPAGE_ANONYMOUS)
        return do_anonymous_page(mm, vma, page_table, write_access, address);
    if (new_page == NOPAGE_SIGBUS)
        return 0;
    if (!new_page)
        return -1;
    if (!pte_none(*page_table)) {       /* filled while nopage slept */
        put_page(new_page);
        return 1;
    }
    /* nopage gave a cache page (a file's, or a shared-memory object's).
     * Shared: mapped as it is (vm_page_prot says whether writable). Private:
     * mapped read-only, so a write copies it; a write fault now copies it
     * at once, and the copy joins the lists as anonymous memory. */
    pte_t entry = mk_pte(new_page, vma->vm_page_prot);
    if (!(vma->vm_flags & VM_SHARED)) {
        if (write_access) {
            struct page *copy = alloc_page(GFP_HIGHUSER);
            if (!copy) {
                put_page(new_page);
                return -1;
            }
            if (!pte_none(*page_table)) {   /* filled while we slept */
                __free_page(copy);
                put_page(new_page);
                return 1;
            }
            memcpy(page_address(copy), page_address(new_page), PAGE_SIZE);
            annot_cow_copy(current->pid, address & PAGE_MASK, page_to_pfn(new_page), page_to_pfn(copy));
            put_page(new_page);
            new_page = copy;
            new_user_page(copy);
            entry = pte_mkwrite(pte_mkdirty(mk_pte(copy, vma->vm_page_prot)));
        } else {
            entry = pte_wrprotect(entry);
        }
    }
    rss_grew(mm);
    set_pte(page_table, entry);
    return major ? 2 : 1;
}

/* Write to a present, write-protected page of a writable VMA: break COW.
 * If the page has one user it is made writable in place (a swap-cache
 * page leaves the cache first, so a cached page never changes under its
 * slot copy); otherwise (or if it is the zero page) the process gets its
 * own copy. */
static int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
                      pte_t *page_table, pte_t pte)
{
    struct task_struct *tsk = current;
    struct page *old_page = pte_page(pte);
    if (!VALID_PAGE(old_page))
        panic("do_wp_page: bogus PTE %08lx at %08lx", pte_val(pte), address);
    if (PageSwapCache(old_page) && exclusive_swap_page(old_page) && !TryLockPage(old_page)) {
        delete_from_swap_cache(old_page);
        put_page(old_page);             /* the cache's reference */
        set_page_use(old_page, ANNOT_USE_ANON);
        unlock_page(old_page);
    }
    if (!PageReserved(old_page) && !PageSwapCache(old_page) && page_count(old_page) == 1) {
        establish_pte(vma, address, page_table, pte_mkyoung(pte_mkdirty(pte_mkwrite(pte))));
        tsk->ru.ru_nreuse++;
        annot_cow_reuse(tsk->pid, address & PAGE_MASK, page_to_pfn(old_page));
        return 1;
    }
    get_page(old_page);                 /* keep it while allocating may sleep */
    struct page *new_page = alloc_page(GFP_HIGHUSER);
    if (!new_page) {
        put_page(old_page);
        return -1;
    }
    if (pte_val(*page_table) != pte_val(pte)) {
        /* reclaim unmapped it while we slept: let the fault happen again */
        __free_page(new_page);
        put_page(old_page);
        return 1;
    }
    if (old_page == ZERO_PAGE(address)) {
        memset(page_address(new_page), 0, PAGE_SIZE);
        tsk->ru.ru_nzfod++;
        annot_zero_fill(tsk->pid, address & PAGE_MASK, page_to_pfn(new_page));
    } else {
        memcpy(page_address(new_page), page_address(old_page), PAGE_SIZE);
        tsk->ru.ru_ncow++;
        annot_cow_copy(tsk->pid, address & PAGE_MASK, page_to_pfn(old_page), page_to_pfn(new_page));
    }
    if (PageReserved(old_page))
        rss_grew(mm);
    new_user_page(new_page);
    establish_pte(vma, address, page_table,
                  pte_mkwrite(pte_mkdirty(mk_pte(new_page, vma->vm_page_prot))));
    put_page(old_page);                 /* ours */
    free_page_and_swap_cache(old_page); /* the PTE's */
    return 1;
}

/* A fault on a swap PTE: find the page in the swap cache, or read it (and
 * a few slots around it) from the disk and wait. The PTE is checked again
 * after every sleep: reclaim or another fault may have changed it. A read
 * maps the page read-only and leaves it cached (so it can be evicted again
 * without a write); a write takes it for itself when no one else has it. */
static int do_swap_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
                        pte_t *page_table, pte_t orig_pte, int write_access)
{
    struct task_struct *tsk = current;
    swp_entry_t entry = pte_to_swp_entry(orig_pte);
    unsigned long vpage = address >> PAGE_SHIFT;
    int ret = 1, read = 0;
    struct page *page = lookup_swap_cache(entry);
    if (!page) {
        swapin_readahead(entry);
        page = swapin_page(entry, vpage, mm->pid, &read);
        if (!page)
            return pte_val(*page_table) != pte_val(orig_pte) ? 1 : -1;
    }
    if (read) {
        ret = 2;
        vmstat.pgmajfault++;
        tsk->ru.ru_nswapin++;
        annot_major_fault(mm->pid, vpage, 0);
    } else {
        annot_swap_hit(mm->pid, vpage, page_to_pfn(page));
        tsk->ru.ru_nswapcache++;
    }
    lock_page(page);                    /* waits for the read */
    if (pte_val(*page_table) != pte_val(orig_pte)) {
        unlock_page(page);
        put_page(page);
        return 1;
    }
    if (!Page_Uptodate(page)) {
        unlock_page(page);
        put_page(page);
        return 0;                       /* the disk failed: SIGBUS */
    }
    mark_page_accessed(page);
    swap_free(entry);                   /* the PTE's reference to the slot */
    pte_t pte = mk_pte(page, vma->vm_page_prot);
    if (write_access && exclusive_swap_page(page)) {
        delete_from_swap_cache(page);
        put_page(page);                 /* the cache's reference */
        set_page_use(page, ANNOT_USE_ANON);
        pte = pte_mkwrite(pte_mkdirty(pte));
    } else {
        pte = pte_wrprotect(pte);
    }
    unlock_page(page);
    rss_grew(mm);
    set_pte(page_table, pte);           /* our reference is the PTE's */
    return ret;
}

int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma,
                    unsigned long address, int write_access)
{
    pgd_t *pgd = pgd_offset(mm, address);
    pte_t *pte = pte_alloc(mm, pgd, address);
    if (!pte)
        return -1;
    pte_t entry = *pte;
    if (!pte_present(entry)) {
        if (pte_none(entry))
            return do_no_page(mm, vma, address, write_access, pte);
        return do_swap_page(mm, vma, address, pte, entry, write_access);
    }
    if (write_access) {
        if (!pte_write(entry))
            return do_wp_page(mm, vma, address, pte, entry);
        entry = pte_mkdirty(entry);
    }
    /* The PTE allowed the access: the TLB held a stale entry. */
    current->ru.ru_nspurious++;
    establish_pte(vma, address, pte, pte_mkyoung(entry));
    return 1;
}

/* Rewrite the present PTEs of [start, end) with newprot (mprotect) and
 * flush; the zero page is never made writable. */
void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end,
                       pgprot_t newprot)
{
    struct mm_struct *mm = vma->vm_mm;
    pte_t *pte;
    for (unsigned long a = start; (pte = pte_range_next(mm, &a, end)); a += PAGE_SIZE) {
        if (pte_present(*pte)) {
            pte_t entry = pte_modify(*pte, newprot);
            /* a page that was the zero page or shared COW stays read-only */
            if (pte_page(*pte) == ZERO_PAGE(a))
                entry = pte_wrprotect(entry);
            set_pte(pte, entry);
        }
    }
    flush_tlb_range(mm, start, end);
}
