/* RAM, MMIO dispatch and the port I/O table (see bus.h).
 * PC behaviour for unclaimed space: reads return all ones, writes vanish. */
#include "mmu/bus.h"
#include "emu/machine.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Guest RAM is anonymous memory, zero and allocated by the host as it is
 * touched, in huge pages where the host allows them: a guest that touches
 * pages at random (a TLB-miss workload) would otherwise spend its time in
 * the host's own TLB misses. RAM smaller than a huge page keeps 4 KiB
 * pages: a huge page is zeroed whole at the first touch, 2 MiB for a
 * machine that may touch a few pages (the CPU fuzz target builds a 1 MiB
 * machine per program). */
#define RAM_ALIGN (2u << 20)

static uint8_t *ram_alloc(uint32_t size, size_t *len)
{
    bool huge = size >= RAM_ALIGN;
    *len = huge ? ((size_t)size + RAM_ALIGN - 1) & ~(size_t)(RAM_ALIGN - 1) : (size ? size : 1);
    void *p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (huge)
        madvise(p, *len, MADV_HUGEPAGE);   /* a hint: failure leaves 4 KiB pages */
#endif
    return p;
}

bool bus_init(struct bus *b, uint32_t ram_size)
{
    memset(b, 0, sizeof *b);
    b->ram_size = ram_size;
    b->ram = ram_alloc(ram_size, &b->ram_map_len);
    b->pio_map = calloc(65536, 1);
    b->code_frames = calloc(ram_size / 4096 + 1, 1);
    if (!b->ram || !b->pio_map || !b->code_frames) {
        bus_free(b);
        return false;
    }
    return true;
}

void bus_free(struct bus *b)
{
    if (b->ram)
        munmap(b->ram, b->ram_map_len);
    free(b->pio_map);
    free(b->code_frames);
    b->ram = b->pio_map = b->code_frames = NULL;
}

bool bus_register_pio(struct bus *b, uint16_t base, uint16_t len, unsigned widths,
                      void *dev, pio_read_fn read, pio_write_fn write)
{
    if (b->npio >= BUS_MAX_PIO || len == 0 || (uint32_t)base + len > 65536)
        return false;
    for (uint32_t p = base; p < (uint32_t)base + len; p++)
        if (b->pio_map[p])
            return false;
    struct pio_handler *h = &b->pio[b->npio++];
    *h = (struct pio_handler){ base, len, widths, dev, read, write };
    for (uint32_t p = base; p < (uint32_t)base + len; p++)
        b->pio_map[p] = (uint8_t)b->npio;
    return true;
}

bool bus_register_mmio(struct bus *b, uint32_t base, uint32_t len, void *dev,
                       mmio_read_fn read, mmio_write_fn write)
{
    if (b->nmmio >= BUS_MAX_MMIO || len == 0)
        return false;
    b->mmio[b->nmmio++] = (struct mmio_region){ base, len, dev, read, write };
    return true;
}

static const uint32_t ones[5] = { 0, 0xFF, 0xFFFF, 0xFFFFFF, 0xFFFFFFFF };

/* Width a handler takes whole for this access, or 0 if it must be split. */
static bool pio_takes_whole(const struct pio_handler *h, unsigned size)
{
    if (h->widths & (size == 4 ? PIO_W32 : size == 2 ? PIO_W16 : PIO_W8))
        return true;
    return h->widths != PIO_W8; /* only byte-only devices get split accesses */
}

static uint32_t pio_in1(struct machine *m, uint16_t port, unsigned size)
{
    unsigned idx = m->bus.pio_map[port];
    if (!idx)
        return ones[size];
    struct pio_handler *h = &m->bus.pio[idx - 1];
    return h->read ? h->read(m, h->dev, port, size) & ones[size] : ones[size];
}

uint32_t bus_in(struct machine *m, uint16_t port, unsigned size)
{
    unsigned idx = m->bus.pio_map[port];
    if (idx && pio_takes_whole(&m->bus.pio[idx - 1], size))
        return pio_in1(m, port, size);
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= pio_in1(m, (uint16_t)(port + i), 1) << (8 * i);
    return v;
}

static void pio_out1(struct machine *m, uint16_t port, unsigned size, uint32_t val)
{
    unsigned idx = m->bus.pio_map[port];
    if (!idx)
        return;
    struct pio_handler *h = &m->bus.pio[idx - 1];
    if (h->write)
        h->write(m, h->dev, port, size, val & ones[size]);
}

void bus_out(struct machine *m, uint16_t port, unsigned size, uint32_t val)
{
    unsigned idx = m->bus.pio_map[port];
    if (idx && pio_takes_whole(&m->bus.pio[idx - 1], size)) {
        pio_out1(m, port, size, val);
        return;
    }
    for (unsigned i = 0; i < size; i++)
        pio_out1(m, (uint16_t)(port + i), 1, (val >> (8 * i)) & 0xFF);
}

static struct mmio_region *mmio_find(struct bus *b, uint32_t paddr)
{
    for (unsigned i = 0; i < b->nmmio; i++)
        if (paddr - b->mmio[i].base < b->mmio[i].len)
            return &b->mmio[i];
    return NULL;
}

uint32_t bus_read(struct machine *m, uint32_t paddr, unsigned size)
{
    struct bus *b = &m->bus;
    if (paddr < b->ram_size && size <= b->ram_size - paddr) {
        const uint8_t *p = b->ram + paddr;
        switch (size) {
        case 1: return p[0];
        case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
        default: { uint32_t v; memcpy(&v, p, 4); return v; }
        }
    }
    struct mmio_region *r = mmio_find(b, paddr);
    if (r && r->read) {
        /* a device may ask for attention: the CPU looks after this instruction */
        mmu_notify(&m->mmu);
        return r->read(m, r->dev, paddr - r->base, size) & ones[size];
    }
    return ones[size];
}

void bus_write(struct machine *m, uint32_t paddr, unsigned size, uint32_t val)
{
    struct bus *b = &m->bus;
    if (paddr < b->ram_size && size <= b->ram_size - paddr) {
        uint32_t frame = paddr >> 12;
        if (b->code_frames[frame] && b->code_write)
            b->code_write(m, frame);
        memcpy(b->ram + paddr, &val, size);  /* little-endian host */
        return;
    }
    struct mmio_region *r = mmio_find(b, paddr);
    if (r && r->write) {
        mmu_notify(&m->mmu);     /* as for reads */
        r->write(m, r->dev, paddr - r->base, size, val & ones[size]);
    }
}

void bus_copy_in(struct machine *m, uint32_t paddr, const void *src, size_t len)
{
    const uint8_t *s = src;
    for (size_t i = 0; i < len; i++)
        bus_write(m, (uint32_t)(paddr + i), 1, s[i]);
}

void bus_copy_out(struct machine *m, uint32_t paddr, void *dst, size_t len)
{
    uint8_t *d = dst;
    for (size_t i = 0; i < len; i++)
        d[i] = (uint8_t)bus_read(m, (uint32_t)(paddr + i), 1);
}
