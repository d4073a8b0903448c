/* The ATA disk driver: primary channel, master, PIO, interrupt-driven
 * (Linux 2.4's drivers/ide/ide-disk.c and ide-probe.c, reduced).
 * ATA/ATAPI-6 (T13/1410D): §7 registers (Status §7.15, Device Control
 * §7.9), §8.15 IDENTIFY DEVICE, §8.22 READ MULTIPLE, §8.39 SET MULTIPLE
 * MODE, §8.50 WRITE MULTIPLE, §9.4-9.5 PIO data-in and data-out.
 *
 * Probe (process context, IRQ 14 still masked, polled): select the master,
 * clear nIEN ourselves (no BIOS did it under vmscope), IDENTIFY, check LBA
 * support and read the LBA28 capacity, SET MULTIPLE MODE 16. The model and
 * serial strings are not printed: they differ between emulators.
 *
 * Transfers: one request at a time, LBA28, READ/WRITE MULTIPLE so a page
 * (8 sectors) moves in one DRQ block. A read interrupts when each block is
 * ready; a write supplies its first block at once, then each interrupt
 * means the block before it is on the disk. ERR or DF in the status ends
 * the request with the error register, which the caller sees as -EIO. */
#include <kernel.h>
#include <blkdev.h>
#include <io.h>
#include <irq.h>
#include <sched.h>

#define IDE_DATA    0x1F0
#define IDE_ERROR   0x1F1
#define IDE_NSECTOR 0x1F2
#define IDE_LBA0    0x1F3
#define IDE_LBA1    0x1F4
#define IDE_LBA2    0x1F5
#define IDE_SELECT  0x1F6
#define IDE_STATUS  0x1F7
#define IDE_COMMAND 0x1F7
#define IDE_CONTROL 0x3F6   /* write: device control; read: alternate status */
#define IDE_IRQ 14

#define ERR_STAT  0x01
#define DRQ_STAT  0x08
#define DF_STAT   0x20
#define READY_STAT 0x40
#define BUSY_STAT 0x80

#define WIN_IDENTIFY   0xEC
#define WIN_SETMULT    0xC6
#define WIN_MULTREAD   0xC4
#define WIN_MULTWRITE  0xC5

#define IDE_MULT 16             /* sectors per DRQ block */

unsigned long disk_capacity;
static struct request *ide_current; /* the request the drive is working on */

/* Poll the alternate status (which leaves INTRQ alone) until BSY clears,
 * for at most ticks jiffies. Returns the status, or 0xFF on timeout. */
static u8 ide_wait_not_busy(unsigned long ticks)
{
    unsigned long until = jiffies + ticks;
    for (;;) {
        u8 st = inb(IDE_CONTROL);
        if (!(st & BUSY_STAT))
            return st;
        if ((long)(jiffies - until) >= 0)
            return 0xFF;
    }
}

/* The same with interrupts off (no jiffies): at most spins reads. */
static u8 ide_spin_not_busy(unsigned long spins)
{
    while (spins--) {
        u8 st = inb(IDE_CONTROL);
        if (!(st & BUSY_STAT))
            return st;
    }
    return 0xFF;
}

/* Load the task file for sector count n (1..256) at LBA28 lba, then the command. */
static void ide_command(u8 cmd, unsigned long lba, unsigned n)
{
    outb(IDE_NSECTOR, (u8)n);           /* 256 is written as 0 */
    outb(IDE_LBA0, (u8)lba);
    outb(IDE_LBA1, (u8)(lba >> 8));
    outb(IDE_LBA2, (u8)(lba >> 16));
    outb(IDE_SELECT, 0xE0 | ((lba >> 24) & 0x0F));
    outb(IDE_COMMAND, cmd);
}

/* Sectors in the next DRQ block of rq. */
static unsigned long ide_block(const struct request *rq)
{
    return min(rq->nr_sectors - rq->done, (unsigned long)IDE_MULT);
}

/* Finish the request in service with its outcome and start the next. */
static void ide_end(int uptodate)
{
    struct request *rq = ide_current;
    ide_current = NULL;
    end_request(rq, uptodate);
    do_ide_request();
}

/* The request failed: keep the drive's error register for the caller. */
static void ide_error(u8 status)
{
    ide_current->errors = 0x100 | (status & ERR_STAT ? inb(IDE_ERROR) : 0);
    ide_end(0);
}

void do_ide_request(void)
{
    u32 flags;
    local_irq_save(flags);
    while (!ide_current) {
        struct request *rq = blk_next_request();
        if (!rq)
            break;
        if (!disk_capacity || rq->sector + rq->nr_sectors > (1UL << 28)) {
            rq->errors = 0x100;
            end_request(rq, 0);         /* no disk, or beyond what LBA28 can name */
            continue;
        }
        ide_current = rq;
        if (rq->cmd == READ) {
            ide_command(WIN_MULTREAD, rq->sector, rq->nr_sectors);
            break;
        }
        ide_command(WIN_MULTWRITE, rq->sector, rq->nr_sectors);
        u8 st = ide_spin_not_busy(1000000);   /* DRQ comes at once (§9.5) */
        if ((st & (ERR_STAT | DF_STAT)) || !(st & DRQ_STAT)) {
            ide_error(st);              /* starts the next one itself */
            break;
        }
        unsigned long n = ide_block(rq);
        outsl(IDE_DATA, rq->buffer, n * SECTOR_SIZE / 4);
        rq->done = n;
    }
    local_irq_restore(flags);
}

/* IRQ 14: a block is ready (read) or was written (write), or the command
 * failed. Reading the status register acknowledges the interrupt. */
static void ide_intr(unsigned irq, struct pt_regs *regs)
{
    u8 st = inb(IDE_STATUS);
    struct request *rq = ide_current;
    if (!rq)
        return;                         /* nothing in service: spurious */
    if (st & (ERR_STAT | DF_STAT)) {
        ide_error(st);
        return;
    }
    if (rq->cmd == READ) {
        if (!(st & DRQ_STAT)) {
            ide_error(st);
            return;
        }
        unsigned long n = ide_block(rq);
        insl(IDE_DATA, rq->buffer + rq->done * SECTOR_SIZE, n * SECTOR_SIZE / 4);
        rq->done += n;
        if (rq->done == rq->nr_sectors)
            ide_end(1);
        return;
    }
    if (rq->done == rq->nr_sectors) {
        ide_end(1);                     /* the last block is on the disk */
        return;
    }
    if (!(st & DRQ_STAT)) {
        ide_error(st);
        return;
    }
    unsigned long n = ide_block(rq);
    outsl(IDE_DATA, rq->buffer + rq->done * SECTOR_SIZE, n * SECTOR_SIZE / 4);
    rq->done += n;
}

int ide_init(void)
{
    static u16 id[256];
    outb(IDE_SELECT, 0xA0);             /* master */
    u8 st = inb(IDE_STATUS);
    if (st == 0x00 || st == 0xFF) {
        printk("hda: no disk\n");
        return 0;
    }
    outb(IDE_CONTROL, 0x08);            /* nIEN = 0: the drive may interrupt */
    if (ide_wait_not_busy(HZ) == 0xFF) {
        printk("hda: not ready\n");
        return 0;
    }
    outb(IDE_COMMAND, WIN_IDENTIFY);
    st = ide_wait_not_busy(2 * HZ);
    if (st == 0xFF || (st & ERR_STAT) || !(st & DRQ_STAT)) {
        inb(IDE_STATUS);
        printk("hda: IDENTIFY failed (status %02x)\n", st);
        return 0;
    }
    for (int i = 0; i < 256; i++)
        id[i] = inw(IDE_DATA);
    inb(IDE_STATUS);                    /* acknowledge the interrupt */
    if (!(id[49] & (1u << 9))) {
        printk("hda: no LBA support, not used\n");
        return 0;
    }
    unsigned long sectors = id[60] | (unsigned long)id[61] << 16;
    outb(IDE_NSECTOR, IDE_MULT);
    outb(IDE_SELECT, 0xE0);
    outb(IDE_COMMAND, WIN_SETMULT);
    st = ide_wait_not_busy(HZ);
    inb(IDE_STATUS);
    if (st == 0xFF || (st & ERR_STAT)) {
        printk("hda: SET MULTIPLE MODE failed (status %02x)\n", st);
        return 0;
    }
    disk_capacity = sectors;
    printk("hda: %lu sectors (%lu MiB), LBA28, %d sectors per interrupt\n",
           sectors, sectors >> 11, IDE_MULT);
    request_irq(IDE_IRQ, ide_intr);
    return 1;
}
