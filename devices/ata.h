/* ATA disk: the primary channel's master (command block 0x1F0-0x1F7,
 * control block 0x3F6, IRQ14), PIO only, backed by a raw image file.
 * ATA/ATAPI-6 (T13/1410D rev. 3b): §6 (register and protocol overview),
 * §7 (register descriptions: Device Control §7.9, Status §7.15), §8 (commands:
 * IDENTIFY DEVICE §8.15, READ SECTORS §8.27, READ MULTIPLE §8.22, SET
 * MULTIPLE MODE §8.39, WRITE SECTORS §8.49, FLUSH CACHE §8.10), §9.2-9.5
 * (PIO data-in, data-out and non-data protocols, software reset). */
#ifndef VMSCOPE_DEVICES_ATA_H
#define VMSCOPE_DEVICES_ATA_H

#include "devices/disk_image.h"

#include <stdbool.h>
#include <stdint.h>

struct machine;
struct vm_options;

#define ATA_SECTOR DISK_SECTOR
#define ATA_MAX_MULT 16         /* sectors per DRQ block in READ/WRITE MULTIPLE */

enum ata_phase {
    ATA_IDLE,       /* ready for a command */
    ATA_BUSY,       /* BSY: waiting for the `next` step's clock event */
    ATA_DATA_IN,    /* DRQ: the host reads the buffer */
    ATA_DATA_OUT,   /* DRQ: the host fills the buffer */
    ATA_RESET,      /* SRST held */
};

/* What the clock event does when a BSY period ends. */
enum ata_step {
    ATA_STEP_NONE,
    ATA_STEP_READ_BLOCK,    /* read the next block into the buffer, DRQ, interrupt */
    ATA_STEP_WRITE_DONE,    /* a block was written: DRQ for the next or complete */
    ATA_STEP_COMPLETE,      /* a non-data command ends: interrupt */
    ATA_STEP_IDENTIFY,      /* IDENTIFY data ready: DRQ, interrupt */
    ATA_STEP_ABORT,         /* the command failed: ERR/ABRT, interrupt */
};

struct ata {
    /* The image */
    bool present;           /* a disk is attached (--disk) */
    bool readonly;          /* --disk-readonly: writes abort */
    struct disk_image img;  /* the image file (written through, or under --disk-snapshot) */
    uint64_t sectors;       /* capacity (file size rounded up to a sector, at most 2^48 - 1) */
    uint16_t cyls;          /* CHS geometry: cyls x 16 heads x 63 sectors, as QEMU guesses */

    /* Task file (the "current" and previous "HOB" bytes of the LBA48 FIFOs) */
    uint8_t feature, count, lba_lo, lba_mid, lba_hi;
    uint8_t hob_feature, hob_count, hob_lba_lo, hob_lba_mid, hob_lba_hi;
    uint8_t device;         /* bit 4 DEV, bit 6 LBA, bits 0-3 head / LBA 27:24 */
    uint8_t status, error;
    uint8_t devctl;         /* bit 1 nIEN, bit 2 SRST, bit 7 HOB */
    bool intrq;             /* INTRQ asserted (cleared by a Status read) */

    /* Command in progress */
    uint8_t cmd;
    enum ata_phase phase;
    enum ata_step next;
    bool lba48;             /* the command uses 48-bit addresses */
    uint64_t lba;           /* next sector to transfer */
    uint32_t left;          /* sectors still to transfer */
    unsigned block;         /* sectors in the current DRQ block */
    unsigned mult;          /* SET MULTIPLE MODE count, 0 = disabled */
    unsigned pos;           /* byte offset in buf during DRQ */
    bool first_block;       /* the write's first block still owes the seek */
    uint64_t head_lba;      /* where the head is (after the last sector accessed) */
    int timer;
    uint8_t buf[ATA_SECTOR * ATA_MAX_MULT];

    /* Accounting */
    uint64_t read_cmds, read_sectors, write_cmds, write_sectors, flushes, errors;
};

/* Open the image of OPT (--disk, --disk-size, --disk-readonly,
 * --disk-snapshot) and register the ports. Returns false with one line in ERR when the image cannot be
 * used. */
bool ata_init(struct machine *m, struct ata *a, const struct vm_options *opt,
              char *err, unsigned errlen);
/* Make every written sector durable in the image file. */
void ata_flush(struct ata *a);
void ata_free(struct ata *a);

#endif
