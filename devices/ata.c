/* ATA disk, PIO (see ata.h). ATA/ATAPI-6, T13/1410D.
 *
 * Timing model, in virtual time (clock_ns_to_cycles):
 *   command overhead   ATA_CMD_NS     from the command write to the first
 *                                     step (every command, failing or not)
 *   seek               0 when the command starts at the sector after the
 *                      last one accessed, else ATA_SEEK_NS plus
 *                      ATA_STROKE_NS x distance / capacity
 *   transfer           ATA_SECTOR_NS per sector (PIO mode 4, 16.7 MB/s)
 * A read is BSY for overhead + seek + its first block's transfer, then DRQ
 * with an interrupt; each further block is BSY for its transfer, then DRQ
 * and an interrupt; after the last block the drive is ready without an
 * interrupt (§9.4, PIO data-in). A write asks for its first block at once
 * (DRQ, no interrupt); each block, once the host has written it, goes to the
 * backing store at that moment (disk_image.h: written through, it is in the
 * file even if the run is killed the next instant; under --disk-snapshot it
 * is in the overlay), then the drive is BSY for (the first block:
 * overhead + seek +) the transfer, and interrupts with DRQ for the next
 * block or with the completion (§9.5, PIO data-out). Non-data commands are
 * BSY for the overhead (plus a seek for SEEK and READ VERIFY) and interrupt.
 *
 * Where ATA-6 leaves room, we do what QEMU 7.2 does, so a guest sees the
 * same registers on both (measured under QEMU): an unsupported command, or
 * a block whose sectors lie beyond the end of the disk (checked as the
 * transfer reaches each block), ends with ERR and ABRT (status 0x41, error
 * 0x04);
 * the address and count registers advance past each transferred block;
 * CHS addresses use the geometry QEMU guesses (16 heads, 63 sectors),
 * which INITIALIZE DEVICE PARAMETERS does not change; multiple mode starts
 * at 16 sectors; a software reset ends with an interrupt; with the slave
 * selected (there is none) Status reads 0; with no disk attached every
 * register reads 0. */
#include "devices/ata.h"
#include "devices/pic.h"
#include "emu/machine.h"
#include "trace/emit.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#define ATA_IRQ 14
#define ATA_HEADS 16
#define ATA_SPT 63

#define ATA_CMD_NS 20000u           /* 20 us command overhead */
#define ATA_SEEK_NS 500000u         /* 0.5 ms to start any seek */
#define ATA_STROKE_NS 4500000u      /* full stroke adds 4.5 ms */
#define ATA_SECTOR_NS 30000u        /* 30 us per sector */

/* Status (§7.15) and error (§7.11) bits. */
#define ST_ERR  0x01
#define ST_DRQ  0x08
#define ST_DSC  0x10
#define ST_DRDY 0x40
#define ST_BSY  0x80
#define ER_ABRT 0x04
#define ER_UNC  0x40
/* Device control (§7.9). */
#define DC_NIEN 0x02
#define DC_SRST 0x04
#define DC_HOB  0x80
#define DEV_DEV 0x10
#define DEV_LBA 0x40

#define ST_READY (ST_DRDY | ST_DSC)

static void ata_update_irq(struct machine *m, struct ata *a)
{
    pic_set_irq(m, ATA_IRQ, a->present && a->intrq && !(a->devctl & DC_NIEN));
}

static void ata_raise(struct machine *m, struct ata *a)
{
    a->intrq = true;
    ata_update_irq(m, a);
}

/* Go BSY until NS from now, then run STEP. */
static void ata_busy(struct machine *m, struct ata *a, enum ata_step step, uint64_t ns)
{
    a->phase = ATA_BUSY;
    a->next = step;
    a->status = ST_BSY | ST_DSC;
    clock_timer_set(&m->clock, a->timer, m->clock.cycles + clock_ns_to_cycles(&m->clock, ns));
}

static uint64_t ata_seek_ns(const struct ata *a, uint64_t lba)
{
    if (lba >= a->sectors)      /* past the end: the heads stop at the last cylinder */
        lba = a->sectors ? a->sectors - 1 : 0;
    if (lba == a->head_lba)
        return 0;
    uint64_t dist = lba > a->head_lba ? lba - a->head_lba : a->head_lba - lba;
    return ATA_SEEK_NS + (uint64_t)((unsigned __int128)ATA_STROKE_NS * dist / a->sectors);
}

/* The command's starting address, or false for an invalid CHS address. */
static bool ata_get_lba(const struct ata *a, uint64_t *lba)
{
    if (a->lba48) {
        *lba = (uint64_t)a->hob_lba_hi << 40 | (uint64_t)a->hob_lba_mid << 32 |
               (uint64_t)a->hob_lba_lo << 24 | (uint64_t)a->lba_hi << 16 |
               (uint64_t)a->lba_mid << 8 | a->lba_lo;
    } else if (a->device & DEV_LBA) {
        *lba = (uint64_t)(a->device & 0x0F) << 24 | (uint64_t)a->lba_hi << 16 |
               (uint64_t)a->lba_mid << 8 | a->lba_lo;
    } else {
        unsigned cyl = (unsigned)a->lba_hi << 8 | a->lba_mid, head = a->device & 0x0F;
        if (a->lba_lo == 0 || a->lba_lo > ATA_SPT)
            return false;
        *lba = ((uint64_t)cyl * ATA_HEADS + head) * ATA_SPT + a->lba_lo - 1u;
    }
    return true;
}

/* Write LBA back into the address registers in the command's form. */
static void ata_set_lba(struct ata *a, uint64_t lba)
{
    if (a->lba48) {
        a->lba_lo = (uint8_t)lba; a->lba_mid = (uint8_t)(lba >> 8); a->lba_hi = (uint8_t)(lba >> 16);
        a->hob_lba_lo = (uint8_t)(lba >> 24); a->hob_lba_mid = (uint8_t)(lba >> 32);
        a->hob_lba_hi = (uint8_t)(lba >> 40);
    } else if (a->device & DEV_LBA) {
        a->lba_lo = (uint8_t)lba; a->lba_mid = (uint8_t)(lba >> 8); a->lba_hi = (uint8_t)(lba >> 16);
        a->device = (uint8_t)((a->device & 0xF0) | ((lba >> 24) & 0x0F));
    } else {
        uint64_t cyl = lba / (ATA_HEADS * ATA_SPT), r = lba % (ATA_HEADS * ATA_SPT);
        a->lba_mid = (uint8_t)cyl; a->lba_hi = (uint8_t)(cyl >> 8);
        a->device = (uint8_t)((a->device & 0xF0) | (r / ATA_SPT));
        a->lba_lo = (uint8_t)(r % ATA_SPT + 1);
    }
}

static uint32_t ata_get_count(const struct ata *a)
{
    if (a->lba48) {
        uint32_t n = (uint32_t)a->hob_count << 8 | a->count;
        return n ? n : 65536;
    }
    return a->count ? a->count : 256;
}

static void ata_set_count(struct ata *a, uint32_t n)
{
    a->count = (uint8_t)n;
    if (a->lba48)
        a->hob_count = (uint8_t)(n >> 8);
}

/* The device signature (§9.12): count 1, LBA 1, 0, 0 for an ATA device. */
static void ata_signature(struct ata *a)
{
    a->count = 1;
    a->lba_lo = 1;
    a->lba_mid = 0;
    a->lba_hi = 0;
    a->device &= 0xF0;
}

/* Finish the command with ERR and ABRT (and an interrupt). */
static void ata_abort_now(struct machine *m, struct ata *a, uint8_t error)
{
    a->phase = ATA_IDLE;
    a->next = ATA_STEP_NONE;
    a->status = ST_DRDY | ST_ERR;
    a->error = error;
    a->errors++;
    ata_raise(m, a);
}

static void ata_complete(struct machine *m, struct ata *a)
{
    a->phase = ATA_IDLE;
    a->next = ATA_STEP_NONE;
    a->status = ST_READY;
    ata_raise(m, a);
}

static bool ata_is_multiple(uint8_t cmd)
{
    return cmd == 0xC4 || cmd == 0x29 || cmd == 0xC5 || cmd == 0x39;
}

static unsigned ata_block_len(const struct ata *a)
{
    unsigned per = ata_is_multiple(a->cmd) ? a->mult : 1;
    return a->left < per ? a->left : per;
}

/* Whether the current block lies on the disk. Like QEMU, the range is
 * checked block by block as the transfer reaches it, so a READ SECTORS
 * that runs past the end delivers the sectors before the end and then
 * fails, and a write fails after the host has sent the offending block. */
static bool ata_block_in_range(const struct ata *a)
{
    return a->lba < a->sectors && a->block <= a->sectors - a->lba;
}

static void ata_host_error(struct machine *m, struct ata *a, const char *what)
{
    machine_stop(m, STOP_HOST_ERROR, 2, "disk: %s sectors %" PRIu64 "-%" PRIu64 " of the image: %s",
                 what, a->lba, a->lba + a->block - 1, strerror(errno));
    ata_abort_now(m, a, ER_ABRT | ER_UNC);
}

static void ata_put_string(uint16_t *w, const char *s, unsigned words)
{
    size_t n = strlen(s);
    for (unsigned i = 0; i < words; i++) {
        uint8_t hi = 2 * i < n ? (uint8_t)s[2 * i] : ' ';
        uint8_t lo = 2 * i + 1 < n ? (uint8_t)s[2 * i + 1] : ' ';
        w[i] = (uint16_t)(hi << 8 | lo);    /* first character in the high byte */
    }
}

/* IDENTIFY DEVICE data (§8.15, table 27) into the buffer. */
static void ata_identify(struct ata *a)
{
    uint16_t w[256] = {0};
    uint64_t lba28 = a->sectors < 0x0FFFFFFF ? a->sectors : 0x0FFFFFFF;
    uint32_t chs = (uint32_t)a->cyls * ATA_HEADS * ATA_SPT;
    w[0] = 0x0040;                          /* fixed device, not removable */
    w[1] = a->cyls;
    w[3] = ATA_HEADS;
    w[6] = ATA_SPT;
    ata_put_string(&w[10], "VMS00001", 10);                 /* serial number */
    ata_put_string(&w[23], VMSCOPE_VERSION, 4);             /* firmware revision */
    ata_put_string(&w[27], "VMSCOPE HARDDISK", 20);         /* model number */
    w[47] = 0x8000 | ATA_MAX_MULT;          /* READ/WRITE MULTIPLE: up to 16 sectors */
    w[49] = 0x0A00;                         /* LBA, IORDY supported; no DMA */
    w[50] = 0x4000;
    w[51] = 0x0200;                         /* PIO mode 2 timing (obsolete word) */
    w[53] = 0x0003;                         /* words 54-58 and 64-70 valid */
    w[54] = a->cyls;
    w[55] = ATA_HEADS;
    w[56] = ATA_SPT;
    w[57] = (uint16_t)chs;
    w[58] = (uint16_t)(chs >> 16);
    w[59] = a->mult ? (uint16_t)(0x0100 | a->mult) : 0;
    w[60] = (uint16_t)lba28;
    w[61] = (uint16_t)(lba28 >> 16);
    w[64] = 0x0003;                         /* PIO modes 3 and 4 */
    w[65] = w[66] = w[67] = w[68] = 120;    /* cycle times, ns */
    w[80] = 0x007E;                         /* ATA-1 to ATA-6 */
    w[82] = 0x0000;
    w[83] = 0x7400;                         /* 48-bit, FLUSH CACHE, FLUSH CACHE EXT */
    w[84] = 0x4000;
    w[86] = 0x3400;                         /* the same, enabled */
    w[87] = 0x4000;
    w[100] = (uint16_t)a->sectors;
    w[101] = (uint16_t)(a->sectors >> 16);
    w[102] = (uint16_t)(a->sectors >> 32);
    w[103] = (uint16_t)(a->sectors >> 48);
    w[255] = 0x00A5;                        /* integrity word (§8.15.61): signature */
    uint8_t sum = 0;
    for (unsigned i = 0; i < 255; i++)
        sum = (uint8_t)(sum + (w[i] & 0xFF) + (w[i] >> 8));
    sum = (uint8_t)(sum + 0xA5);
    w[255] |= (uint16_t)((uint8_t)-sum << 8);
    for (unsigned i = 0; i < 256; i++) {
        a->buf[2 * i] = (uint8_t)w[i];
        a->buf[2 * i + 1] = (uint8_t)(w[i] >> 8);
    }
}

/* Start DRQ for a block of data in. */
static void ata_data_in(struct machine *m, struct ata *a)
{
    a->phase = ATA_DATA_IN;
    a->pos = 0;
    a->status = ST_READY | ST_DRQ;
    ata_raise(m, a);
}

/* The clock event ending a BSY period. */
static void ata_timer_cb(struct machine *m, void *opaque)
{
    struct ata *a = opaque;
    if (a->phase != ATA_BUSY)
        return;
    switch (a->next) {
    case ATA_STEP_READ_BLOCK:
        a->block = ata_block_len(a);
        if (!ata_block_in_range(a)) {
            ata_abort_now(m, a, ER_ABRT);
            break;
        }
        if (!disk_image_read(&a->img, a->lba, a->block, a->buf)) {
            ata_host_error(m, a, "cannot read");
            return;
        }
        a->read_sectors += a->block;
        a->head_lba = a->lba + a->block;
        ata_data_in(m, a);
        break;
    case ATA_STEP_IDENTIFY:
        ata_identify(a);
        a->block = 1;
        a->left = 1;
        ata_data_in(m, a);
        break;
    case ATA_STEP_WRITE_DONE:
        a->lba += a->block;
        a->left -= a->block;
        ata_set_lba(a, a->lba);
        ata_set_count(a, a->left);
        if (!a->left) {
            ata_complete(m, a);
            break;
        }
        a->block = ata_block_len(a);
        a->phase = ATA_DATA_OUT;
        a->pos = 0;
        a->status = ST_READY | ST_DRQ;
        ata_raise(m, a);
        break;
    case ATA_STEP_COMPLETE:
        ata_complete(m, a);
        break;
    case ATA_STEP_ABORT:
    case ATA_STEP_NONE:
        ata_abort_now(m, a, ER_ABRT);
        break;
    }
}

/* The host has read the whole block. */
static void ata_block_read(struct machine *m, struct ata *a)
{
    if (a->cmd == 0xEC) {       /* IDENTIFY */
        a->phase = ATA_IDLE;
        a->status = ST_READY;
        return;
    }
    a->lba += a->block;
    a->left -= a->block;
    ata_set_lba(a, a->lba);
    ata_set_count(a, a->left);
    if (!a->left) {
        a->phase = ATA_IDLE;
        a->status = ST_READY;   /* no interrupt after the last block */
        return;
    }
    ata_busy(m, a, ATA_STEP_READ_BLOCK, (uint64_t)ata_block_len(a) * ATA_SECTOR_NS);
}

/* The host has written the whole block: it goes to the file now. */
static void ata_block_written(struct machine *m, struct ata *a)
{
    if (!ata_block_in_range(a)) {
        ata_abort_now(m, a, ER_ABRT);
        return;
    }
    if (!disk_image_write(&a->img, a->lba, a->block, a->buf)) {
        ata_host_error(m, a, "cannot write");
        return;
    }
    a->write_sectors += a->block;
    a->head_lba = a->lba + a->block;
    uint64_t ns = (uint64_t)a->block * ATA_SECTOR_NS;
    if (a->first_block) {
        ns += ATA_CMD_NS + ata_seek_ns(a, a->lba);
        a->first_block = false;
    }
    ata_busy(m, a, ATA_STEP_WRITE_DONE, ns);
}

/* Check the range of a data command and note it; false: abort. */
static bool ata_start_transfer(struct machine *m, struct ata *a, bool write)
{
    uint64_t lba;
    if (ata_is_multiple(a->cmd) && !a->mult)
        return false;
    if (!ata_get_lba(a, &lba))
        return false;
    uint32_t n = ata_get_count(a);
    if (write && a->readonly)
        return false;
    a->lba = lba;
    a->left = n;
    if (write)
        a->write_cmds++;
    else
        a->read_cmds++;
    if (m->trace)
        trace_emit_disk(m->trace, m->clock.cycles, lba, n, write ? TR_DISK_WRITE : TR_DISK_READ);
    return true;
}

static bool ata_set_features(struct ata *a)
{
    switch (a->feature) {
    case 0x03:                                  /* set transfer mode: PIO only */
        return a->count < 0x10;
    case 0x02: case 0x82:                       /* write cache on/off */
    case 0xAA: case 0x55:                       /* read look-ahead on/off */
    case 0x66: case 0xCC:                       /* keep/revert to power-on defaults */
        return true;
    default:
        return false;
    }
}

static void ata_command(struct machine *m, struct ata *a, uint8_t cmd)
{
    a->cmd = cmd;
    a->error = 0;
    a->lba48 = cmd == 0x24 || cmd == 0x29 || cmd == 0x34 || cmd == 0x39 ||
               cmd == 0x42 || cmd == 0x27;
    a->intrq = false;
    ata_update_irq(m, a);
    uint64_t lba;
    switch (cmd) {
    case 0xEC:                                  /* IDENTIFY DEVICE */
        ata_busy(m, a, ATA_STEP_IDENTIFY, ATA_CMD_NS);
        return;
    case 0x20: case 0x21:                       /* READ SECTORS */
    case 0x24:                                  /* READ SECTORS EXT */
    case 0xC4: case 0x29:                       /* READ MULTIPLE (EXT) */
        if (!ata_start_transfer(m, a, false))
            break;
        a->block = ata_block_len(a);
        ata_busy(m, a, ATA_STEP_READ_BLOCK,
                 ATA_CMD_NS + ata_seek_ns(a, a->lba) + (uint64_t)a->block * ATA_SECTOR_NS);
        return;
    case 0x30: case 0x31:                       /* WRITE SECTORS */
    case 0x34:                                  /* WRITE SECTORS EXT */
    case 0xC5: case 0x39:                       /* WRITE MULTIPLE (EXT) */
        if (!ata_start_transfer(m, a, true))
            break;
        a->block = ata_block_len(a);
        a->first_block = true;
        a->phase = ATA_DATA_OUT;
        a->pos = 0;
        a->status = ST_READY | ST_DRQ;          /* the first block needs no interrupt */
        return;
    case 0x40: case 0x41: case 0x42:            /* READ VERIFY SECTORS (EXT) */
        if (!ata_get_lba(a, &lba) || lba >= a->sectors || ata_get_count(a) > a->sectors - lba)
            break;
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS + ata_seek_ns(a, lba));
        a->head_lba = lba + ata_get_count(a);
        ata_set_lba(a, a->head_lba);
        ata_set_count(a, 0);
        return;
    case 0x70:                                  /* SEEK */
        if (!ata_get_lba(a, &lba) || lba >= a->sectors)
            break;
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS + ata_seek_ns(a, lba));
        a->head_lba = lba;
        return;
    case 0xC6:                                  /* SET MULTIPLE MODE */
        if (a->count > ATA_MAX_MULT || (a->count & (a->count - 1)))
            break;
        a->mult = a->count;
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS);
        return;
    case 0xE7: case 0xEA:                       /* FLUSH CACHE (EXT) */
        ata_flush(a);
        a->flushes++;
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS);
        return;
    case 0xEF:                                  /* SET FEATURES */
        if (!ata_set_features(a))
            break;
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS);
        return;
    case 0x91:                                  /* INITIALIZE DEVICE PARAMETERS */
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS);
        return;
    case 0xE5:                                  /* CHECK POWER MODE: active */
        a->count = 0xFF;
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS);
        return;
    case 0xE0: case 0xE1: case 0xE2: case 0xE3: /* STANDBY/IDLE (IMMEDIATE) */
    case 0x94: case 0x95: case 0x96: case 0x97:
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS);
        return;
    case 0x90:                                  /* EXECUTE DEVICE DIAGNOSTIC */
        ata_signature(a);
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS);
        a->error = 0x01;                        /* device 0 passed, no device 1 */
        return;
    case 0xF8: case 0x27:                       /* READ NATIVE MAX ADDRESS (EXT) */
        ata_set_lba(a, a->sectors - 1);
        ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS);
        return;
    default:
        if (cmd >= 0x10 && cmd <= 0x1F) {       /* RECALIBRATE */
            ata_busy(m, a, ATA_STEP_COMPLETE, ATA_CMD_NS + ata_seek_ns(a, 0));
            a->head_lba = 0;
            return;
        }
        break;                                  /* NOP, DMA, PACKET, unknown: abort */
    }
    ata_busy(m, a, ATA_STEP_ABORT, ATA_CMD_NS);
}

/* Data port: SIZE bytes of the DRQ block (reads 0 outside DRQ). */
static uint32_t ata_data_read(struct machine *m, struct ata *a, unsigned size)
{
    if (a->phase != ATA_DATA_IN)
        return 0;
    unsigned end = a->block * ATA_SECTOR;
    uint32_t v = 0;
    for (unsigned i = 0; i < size && a->pos < end; i++)
        v |= (uint32_t)a->buf[a->pos++] << (8 * i);
    if (a->pos >= end)
        ata_block_read(m, a);
    return v;
}

static void ata_data_write(struct machine *m, struct ata *a, unsigned size, uint32_t v)
{
    if (a->phase != ATA_DATA_OUT)
        return;
    unsigned end = a->block * ATA_SECTOR;
    for (unsigned i = 0; i < size && a->pos < end; i++)
        a->buf[a->pos++] = (uint8_t)(v >> (8 * i));
    if (a->pos >= end)
        ata_block_written(m, a);
}

static uint32_t ata_cmd_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    struct ata *a = dev;
    if (!a->present)
        return 0;
    unsigned reg = port - 0x1F0;
    if (reg == 0)
        return ata_data_read(m, a, size);
    bool slave = a->device & DEV_DEV, hob = a->devctl & DC_HOB;
    switch (reg) {
    case 1: return slave ? 0 : hob ? a->hob_feature : a->error;
    case 2: return hob ? a->hob_count : a->count;
    case 3: return hob ? a->hob_lba_lo : a->lba_lo;
    case 4: return hob ? a->hob_lba_mid : a->lba_mid;
    case 5: return hob ? a->hob_lba_hi : a->lba_hi;
    case 6: return a->device;
    default:
        if (slave)
            return 0;
        if (a->intrq) {
            a->intrq = false;       /* reading Status acknowledges the interrupt */
            ata_update_irq(m, a);
        }
        return a->status;
    }
}

static void ata_cmd_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct ata *a = dev;
    unsigned reg = port - 0x1F0;
    uint8_t v = (uint8_t)val;
    if (reg == 0) {
        if (a->present)
            ata_data_write(m, a, size, val);
        return;
    }
    a->devctl &= (uint8_t)~DC_HOB;     /* a command block write clears HOB */
    switch (reg) {
    case 1: a->hob_feature = a->feature; a->feature = v; break;
    case 2: a->hob_count = a->count; a->count = v; break;
    case 3: a->hob_lba_lo = a->lba_lo; a->lba_lo = v; break;
    case 4: a->hob_lba_mid = a->lba_mid; a->lba_mid = v; break;
    case 5: a->hob_lba_hi = a->lba_hi; a->lba_hi = v; break;
    case 6: a->device = v | 0xA0; break;
    default:
        /* No device, the absent slave, or busy: the command is ignored. */
        if (!a->present || (a->device & DEV_DEV) || a->phase != ATA_IDLE)
            break;
        ata_command(m, a, v);
        break;
    }
}

static uint32_t ata_ctl_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    struct ata *a = dev;
    if (!a->present || (a->device & DEV_DEV))
        return 0;
    return a->status;   /* Alternate Status: no side effect */
}

static void ata_ctl_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct ata *a = dev;
    uint8_t v = (uint8_t)val, old = a->devctl;
    a->devctl = v & (DC_NIEN | DC_SRST | DC_HOB);
    if ((v & DC_SRST) && !(old & DC_SRST)) {            /* software reset begins */
        clock_timer_cancel(&m->clock, a->timer);
        a->phase = ATA_RESET;
        a->next = ATA_STEP_NONE;
        a->status = (uint8_t)((a->status | ST_BSY) & ~ST_DRQ);
        a->intrq = false;
    } else if (!(v & DC_SRST) && (old & DC_SRST)) {     /* and ends (§9.2) */
        a->phase = ATA_IDLE;
        a->status = ST_READY;
        a->error = 0x01;
        a->mult = ATA_MAX_MULT;
        ata_signature(a);
        a->intrq = true;        /* QEMU interrupts once per reset; ATA-6 does not ask it */
    }
    ata_update_irq(m, a);
}

static bool ata_open(struct ata *a, const struct vm_options *opt, char *err, unsigned errlen)
{
    struct disk_image_mode mode = { .create_size = opt->disk_size, .readonly = opt->disk_readonly,
                                    .snapshot = opt->disk_snapshot };
    if (!disk_image_open(&a->img, opt->disk, &mode, err, errlen))
        return false;
    a->sectors = a->img.sectors;
    if (a->sectors > (1ull << 48) - 1)
        a->sectors = (1ull << 48) - 1;
    uint64_t cyls = a->sectors / (ATA_HEADS * ATA_SPT);
    a->cyls = (uint16_t)(cyls > 16383 ? 16383 : cyls < 2 ? 2 : cyls);
    return true;
}

bool ata_init(struct machine *m, struct ata *a, const struct vm_options *opt,
              char *err, unsigned errlen)
{
    memset(a, 0, sizeof *a);
    a->img.fd = a->img.overlay_fd = -1;
    if (opt->disk) {
        if (!ata_open(a, opt, err, errlen))
            return false;
        a->present = true;
        a->readonly = opt->disk_readonly;
    }
    a->status = ST_READY;
    a->device = 0xA0;
    a->mult = ATA_MAX_MULT;
    a->timer = clock_timer_new(&m->clock, "ata", ata_timer_cb, a);
    if (a->timer < 0) {
        snprintf(err, errlen, "ata: no clock timer left");
        return false;
    }
    bus_register_pio(&m->bus, 0x1F0, 1, PIO_W16 | PIO_W32, a, ata_cmd_read, ata_cmd_write);
    bus_register_pio(&m->bus, 0x1F1, 7, PIO_W8, a, ata_cmd_read, ata_cmd_write);
    bus_register_pio(&m->bus, 0x3F6, 1, PIO_W8, a, ata_ctl_read, ata_ctl_write);
    return true;
}

void ata_flush(struct ata *a)
{
    if (a->present)
        disk_image_flush(&a->img);
}

void ata_free(struct ata *a)
{
    if (!a->present)
        return;     /* the image is only open while a disk is attached */
    disk_image_close(&a->img);
    a->present = false;
}
