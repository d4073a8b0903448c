/* The page cache's hash table and page locks (Linux 2.4's mm/filemap.c).
 *
 * Every cached page is in page_hash_table under hash(mapping, index), on a
 * chain threaded through next_hash/pprev_hash, and on its mapping's list.
 * Sleepers waiting for a page lock wait on one of PAGE_WAIT_TABLE_SIZE
 * queues chosen by the page's address (as later 2.4 kernels hash them, so
 * struct page carries no queue); a wake-up wakes the whole queue and every
 * sleeper re-checks its own page. */
#include <kernel.h>
#include <io.h>
#include <mm.h>
#include <pagemap.h>
#include <sched.h>
#include <wait.h>

#define PAGE_HASH_BITS 10
#define PAGE_HASH_SIZE (1u << PAGE_HASH_BITS)
#define PAGE_WAIT_TABLE_SIZE 64

static struct page *page_hash_table[PAGE_HASH_SIZE];
static wait_queue_head_t page_wait_table[PAGE_WAIT_TABLE_SIZE];
static int page_wait_ready;

static struct page **page_hash(struct address_space *mapping, unsigned long index)
{
    unsigned long h = ((unsigned long)mapping >> 4) + index * 0x9E3779B1ul;
    return &page_hash_table[(h >> (32 - PAGE_HASH_BITS)) & (PAGE_HASH_SIZE - 1)];
}

static wait_queue_head_t *page_waitqueue(struct page *page)
{
    if (!page_wait_ready) {
        for (int i = 0; i < PAGE_WAIT_TABLE_SIZE; i++)
            init_waitqueue_head(&page_wait_table[i]);
        page_wait_ready = 1;
    }
    return &page_wait_table[page_to_pfn(page) % PAGE_WAIT_TABLE_SIZE];
}

struct page *find_get_page(struct address_space *mapping, unsigned long index)
{
    for (struct page *p = *page_hash(mapping, index); p; p = p->next_hash)
        if (p->mapping == mapping && p->index == index) {
            get_page(p);
            return p;
        }
    return NULL;
}

void add_to_page_cache_locked(struct page *page, struct address_space *mapping, unsigned long index)
{
    if (!PageLocked(page) || page->mapping)
        panic("add_to_page_cache_locked: frame %lu is %s", page_to_pfn(page),
              page->mapping ? "in a cache already" : "not locked");
    struct page **p = page_hash(mapping, index);
    get_page(page);
    page->mapping = mapping;
    page->index = index;
    page->next_hash = *p;
    if (*p)
        (*p)->pprev_hash = &page->next_hash;
    *p = page;
    page->pprev_hash = p;
    list_add(&page->list, &mapping->pages);
    mapping->nrpages++;
}

void __remove_inode_page(struct page *page)
{
    struct address_space *mapping = page->mapping;
    if (!mapping)
        panic("__remove_inode_page: frame %lu is in no cache", page_to_pfn(page));
    if (page->next_hash)
        page->next_hash->pprev_hash = page->pprev_hash;
    *page->pprev_hash = page->next_hash;
    page->next_hash = NULL;
    page->pprev_hash = NULL;
    list_del_init(&page->list);
    mapping->nrpages--;
    page->mapping = NULL;
}

void lock_page(struct page *page)
{
    while (TryLockPage(page))
        wait_event(*page_waitqueue(page), !PageLocked(page));
}

void unlock_page(struct page *page)
{
    ClearPageLaunder(page);
    if (!test_and_clear_bit(PG_locked, &page->flags))
        panic("unlock_page: frame %lu was not locked", page_to_pfn(page));
    wake_up(page_waitqueue(page));
}

void wait_on_page(struct page *page)
{
    wait_event(*page_waitqueue(page), !PageLocked(page));
}
