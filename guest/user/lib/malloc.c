/* malloc on brk (K&R style): blocks carry a header with their size; free
 * blocks sit on an address-ordered list and merge with free neighbours.
 * The heap grows with sbrk in steps of at least 16 KiB and never shrinks. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct header {
    struct header *next;    /* next free block (free list only) */
    size_t size;            /* block size in units, header included */
} header_t;

#define UNIT sizeof(header_t)
#define MIN_GROW (16384 / UNIT)

static header_t base, *freep;

/* Grow the heap by at least nunits (16 KiB minimum) and put the new
 * block on the free list. NULL when brk refuses. */
static header_t *morecore(size_t nunits)
{
    if (nunits < MIN_GROW)
        nunits = MIN_GROW;
    char *p = sbrk(nunits * UNIT);
    if (p == (char *)-1)
        return NULL;
    header_t *h = (header_t *)p;
    h->size = nunits;
    free(h + 1);
    return freep;
}

void *malloc(size_t n)
{
    if (!n)
        return NULL;
    size_t nunits = (n + UNIT - 1) / UNIT + 1;
    if (!freep) {
        base.next = freep = &base;
        base.size = 0;
    }
    header_t *prev = freep;
    for (header_t *p = prev->next;; prev = p, p = p->next) {
        if (p->size >= nunits) {
            if (p->size == nunits) {
                prev->next = p->next;
            } else {
                p->size -= nunits;
                p += p->size;
                p->size = nunits;
            }
            freep = prev;
            return p + 1;
        }
        if (p == freep && !(p = morecore(nunits)))
            return NULL;
    }
}

void *calloc(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        return NULL;
    void *p = malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void free(void *ap)
{
    if (!ap)
        return;
    header_t *bp = (header_t *)ap - 1, *p;
    for (p = freep; !(bp > p && bp < p->next); p = p->next)
        if (p >= p->next && (bp > p || bp < p->next))
            break;
    if (bp + bp->size == p->next) {
        bp->size += p->next->size;
        bp->next = p->next->next;
    } else {
        bp->next = p->next;
    }
    if (p + p->size == bp) {
        p->size += bp->size;
        p->next = bp->next;
    } else {
        p->next = bp;
    }
    freep = p;
}
