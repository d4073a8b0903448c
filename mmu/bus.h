/* The physical side: RAM, MMIO regions and the port I/O table.
 *
 * Physical addresses outside RAM and MMIO read as all ones and ignore writes,
 * as on a PC; unclaimed ports do the same (as under QEMU). Nothing here aborts
 * because of what a guest does. */
#ifndef VMSCOPE_MMU_BUS_H
#define VMSCOPE_MMU_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;

/* Access widths a port handler declares it takes whole (bit per size). */
#define PIO_W8  1u
#define PIO_W16 2u
#define PIO_W32 4u

typedef uint32_t (*pio_read_fn)(struct machine *m, void *dev, uint16_t port, unsigned size);
typedef void (*pio_write_fn)(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val);
typedef uint32_t (*mmio_read_fn)(struct machine *m, void *dev, uint32_t off, unsigned size);
typedef void (*mmio_write_fn)(struct machine *m, void *dev, uint32_t off, unsigned size, uint32_t val);

struct pio_handler {
    uint16_t base, len;     /* claimed range [base, base+len) */
    unsigned widths;        /* PIO_W* the handler takes whole */
    void *dev;
    pio_read_fn read;       /* NULL: reads all ones */
    pio_write_fn write;     /* NULL: writes ignored */
};

struct mmio_region {
    uint32_t base, len;
    void *dev;
    mmio_read_fn read;
    mmio_write_fn write;
};

#define BUS_MAX_PIO  32
#define BUS_MAX_MMIO 8

struct bus {
    uint8_t *ram;                   /* guest RAM, ram_size bytes, host-allocated */
    uint32_t ram_size;              /* bytes, multiple of 4 KiB */
    size_t ram_map_len;             /* bytes mapped for ram (ram_size rounded up) */
    uint8_t *pio_map;               /* 65536 entries: handler index + 1, 0 = unclaimed */
    unsigned npio;
    struct pio_handler pio[BUS_MAX_PIO];
    unsigned nmmio;
    struct mmio_region mmio[BUS_MAX_MMIO];
    /* Self-modifying code: one byte per RAM frame, nonzero while the CPU
     * holds decoded instructions from that frame. A write to such a frame
     * calls code_write (set by the CPU) before it lands. */
    uint8_t *code_frames;
    void (*code_write)(struct machine *m, uint32_t frame);
};

/* Allocate RAM (zeroed) and the port map. Returns false when out of memory. */
bool bus_init(struct bus *b, uint32_t ram_size);
void bus_free(struct bus *b);

/* Register a port range at machine build time. Accesses wider than a
 * declared width are split into bytes only when the handler declares PIO_W8
 * alone; otherwise the handler gets the access whole. Returns false if full
 * or overlapping. */
bool bus_register_pio(struct bus *b, uint16_t base, uint16_t len, unsigned widths,
                      void *dev, pio_read_fn read, pio_write_fn write);
bool bus_register_mmio(struct bus *b, uint32_t base, uint32_t len, void *dev,
                       mmio_read_fn read, mmio_write_fn write);

uint32_t bus_in(struct machine *m, uint16_t port, unsigned size);
void bus_out(struct machine *m, uint16_t port, unsigned size, uint32_t val);

/* Physical accesses of 1, 2 or 4 bytes that do not cross a 4 KiB frame
 * (callers split). Little-endian. */
uint32_t bus_read(struct machine *m, uint32_t paddr, unsigned size);
void bus_write(struct machine *m, uint32_t paddr, unsigned size, uint32_t val);

/* Host pointer to RAM at PADDR valid for LEN bytes, or NULL (outside RAM or MMIO). */
static inline uint8_t *bus_ram_ptr(struct bus *b, uint32_t paddr, uint32_t len)
{
    if (paddr >= b->ram_size || len > b->ram_size - paddr)
        return NULL;
    return b->ram + paddr;
}

/* Copy to/from physical memory for loaders and debuggers (no SMC hooks on read,
 * hooks on write). Bytes outside RAM read as 0xFF and are dropped on write. */
void bus_copy_in(struct machine *m, uint32_t paddr, const void *src, size_t len);
void bus_copy_out(struct machine *m, uint32_t paddr, void *dst, size_t len);

#endif
