/* ATA disk driven through its ports as a driver does: IDENTIFY, then LBA28
 * multi-sector writes and reads with interrupts, multiple mode, LBA48,
 * errors, soft reset, nIEN; and the image file's handling (creation,
 * read-only, bad images, data written through at once). */
#include "devtest.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_BSY 0x80
#define ST_DRDY 0x40

static char img[64];

static void make_image(uint64_t bytes)
{
    snprintf(img, sizeof img, "/tmp/vmscope-ata-XXXXXX");
    int fd = mkstemp(img);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)bytes), 0);
    close(fd);
}

static struct machine *disk_machine(bool readonly)
{
    struct vm_options opt = { .disk = img, .disk_readonly = readonly };
    struct machine *m = dt_machine(&opt);
    dt_pic_remap(m, 1u << 14);
    return m;
}

/* Wait (in virtual time) for IRQ14; acknowledge it the way a handler does
 * (read Status, EOI). Returns the status read. */
static uint8_t wait_irq(struct machine *m)
{
    uint64_t end = m->clock.cycles + clock_ns_to_cycles(&m->clock, 100000000);
    while (!m->intr && m->clock.cycles < end)
        dt_run_until(m, m->clock.next < end ? m->clock.next : end);
    int v = dt_take(m);
    assert_int_equal(v, 0x2E);
    uint8_t st = dt_in(m, 0x1F7);
    dt_eoi(m, v);
    return st;
}

static void set_lba28(struct machine *m, uint32_t lba, uint8_t count)
{
    dt_out(m, 0x1F6, (uint8_t)(0xE0 | (lba >> 24)));
    dt_out(m, 0x1F2, count);
    dt_out(m, 0x1F3, (uint8_t)lba);
    dt_out(m, 0x1F4, (uint8_t)(lba >> 8));
    dt_out(m, 0x1F5, (uint8_t)(lba >> 16));
}

static void fill(uint16_t *buf, uint32_t lba, unsigned words, uint16_t seed)
{
    for (unsigned i = 0; i < words; i++)
        buf[i] = (uint16_t)(lba * 7 + i * 13 + seed);
}

/* WRITE SECTORS of N sectors from BUF at LBA, as a driver does: DRQ for
 * the first block, an interrupt for each further one and the completion. */
static void write_sectors(struct machine *m, uint32_t lba, uint8_t n, const uint16_t *buf)
{
    set_lba28(m, lba, n);
    dt_out(m, 0x1F7, 0x30);
    for (int s = 0; s < n; s++) {
        uint8_t st = s == 0 ? dt_in(m, 0x3F6) : wait_irq(m);
        assert_int_equal(st & (ST_BSY | ST_DRQ), ST_DRQ);
        for (int i = 0; i < 256; i++)
            dt_outw(m, 0x1F0, buf[s * 256 + i]);
    }
    assert_int_equal(wait_irq(m), 0x50);        /* completion */
}

/* READ SECTORS of N sectors at LBA into BUF: an interrupt per sector. */
static void read_sectors(struct machine *m, uint32_t lba, uint8_t n, uint16_t *buf)
{
    set_lba28(m, lba, n);
    dt_out(m, 0x1F7, 0x20);
    for (int s = 0; s < n; s++) {
        assert_int_equal(wait_irq(m), 0x58);
        for (int i = 0; i < 256; i++)
            buf[s * 256 + i] = dt_inw(m, 0x1F0);
    }
    assert_int_equal(dt_in(m, 0x3F6), 0x50);    /* no interrupt after the last block */
}

static void identify(void **state)
{
    make_image(10u << 20);
    struct machine *m = disk_machine(false);
    assert_int_equal(dt_in(m, 0x1F7), 0x50);
    dt_out(m, 0x1F7, 0xEC);
    assert_true(dt_in(m, 0x3F6) & ST_BSY);
    uint8_t st = wait_irq(m);
    assert_int_equal(st, 0x58);         /* DRDY, DSC, DRQ */
    uint16_t w[256];
    for (int i = 0; i < 256; i++)
        w[i] = dt_inw(m, 0x1F0);
    assert_int_equal(dt_in(m, 0x1F7), 0x50);
    char model[41];
    for (int i = 0; i < 20; i++) {
        model[2 * i] = (char)(w[27 + i] >> 8);
        model[2 * i + 1] = (char)w[27 + i];
    }
    model[40] = 0;
    assert_string_equal(model, "VMSCOPE HARDDISK                        ");
    assert_int_equal(w[60] | (uint32_t)w[61] << 16, 20480);
    assert_int_equal(w[100] | (uint32_t)w[101] << 16, 20480);
    assert_true(w[49] & 0x0200);        /* LBA */
    assert_true(w[83] & 0x0400);        /* LBA48 */
    assert_int_equal(w[1], 20);         /* cylinders of 16 x 63 */
    assert_int_equal(w[3], 16);
    assert_int_equal(w[6], 63);
    uint8_t sum = 0;
    for (int i = 0; i < 256; i++)
        sum = (uint8_t)(sum + (w[i] & 0xFF) + (w[i] >> 8));
    assert_int_equal(w[255] & 0xFF, 0xA5);
    assert_int_equal(sum, 0);
    machine_free(m);
    unlink(img);
}

static void write_read_lba28(void **state)
{
    make_image(1u << 20);
    struct machine *m = disk_machine(false);
    static uint16_t out[8 * 256], in[8 * 256];
    fill(out, 100, 8 * 256, 1);
    write_sectors(m, 100, 8, out);
    assert_int_equal(dt_in(m, 0x1F2), 0);       /* count and address advanced, as QEMU */
    assert_int_equal(dt_in(m, 0x1F3), 108);
    read_sectors(m, 100, 8, in);
    assert_false(m->intr);
    assert_memory_equal(in, out, sizeof out);
    assert_int_equal(m->dev.ata.read_sectors, 8);
    assert_int_equal(m->dev.ata.write_sectors, 8);
    machine_free(m);
    /* The file holds the sectors where QEMU would put them. */
    FILE *f = fopen(img, "rb");
    fseek(f, 100 * 512, SEEK_SET);
    assert_int_equal(fread(in, 1, sizeof in, f), sizeof in);
    fclose(f);
    assert_memory_equal(in, out, sizeof out);
    unlink(img);
}

static void multiple_and_32bit(void **state)
{
    make_image(1u << 20);
    struct machine *m = disk_machine(false);
    dt_out(m, 0x1F2, 4);
    dt_out(m, 0x1F7, 0xC6);             /* SET MULTIPLE MODE 4 */
    assert_int_equal(wait_irq(m), 0x50);
    static uint16_t out[10 * 256], in[10 * 256];
    fill(out, 7, 10 * 256, 2);
    set_lba28(m, 7, 10);
    dt_out(m, 0x1F7, 0xC5);             /* WRITE MULTIPLE: blocks of 4, 4, 2 */
    unsigned done = 0, blocks = 0;
    while (done < 10) {
        uint8_t st = blocks == 0 ? dt_in(m, 0x3F6) : wait_irq(m);
        assert_true(st & ST_DRQ);
        unsigned n = 10 - done < 4 ? 10 - done : 4;
        for (unsigned i = 0; i < n * 128; i++) {
            uint32_t v = out[done * 256 + 2 * i] | (uint32_t)out[done * 256 + 2 * i + 1] << 16;
            bus_out(m, 0x1F0, 4, v);
        }
        done += n;
        blocks++;
    }
    assert_int_equal(wait_irq(m), 0x50);
    assert_int_equal(blocks, 3);
    set_lba28(m, 7, 10);
    dt_out(m, 0x1F7, 0xC4);             /* READ MULTIPLE */
    done = 0;
    blocks = 0;
    while (done < 10) {
        assert_int_equal(wait_irq(m), 0x58);
        unsigned n = 10 - done < 4 ? 10 - done : 4;
        for (unsigned i = 0; i < n * 256; i++)
            in[done * 256 + i] = dt_inw(m, 0x1F0);
        done += n;
        blocks++;
    }
    assert_int_equal(blocks, 3);
    assert_memory_equal(in, out, sizeof out);
    /* Bad multiple counts abort; 0 disables, and READ MULTIPLE then aborts. */
    dt_out(m, 0x1F2, 3);
    dt_out(m, 0x1F7, 0xC6);
    assert_int_equal(wait_irq(m), 0x41);
    assert_int_equal(dt_in(m, 0x1F1), 0x04);
    dt_out(m, 0x1F2, 0);
    dt_out(m, 0x1F7, 0xC6);
    assert_int_equal(wait_irq(m), 0x50);
    set_lba28(m, 7, 1);
    dt_out(m, 0x1F7, 0xC4);
    assert_int_equal(wait_irq(m), 0x41);
    machine_free(m);
    unlink(img);
}

static void lba48(void **state)
{
    make_image(20u << 20);
    struct machine *m = disk_machine(false);
    uint64_t lba = 40000;
    static uint16_t out[3 * 256], in[3 * 256];
    fill(out, 40000, 3 * 256, 3);
    /* The EXT commands: high bytes first (they become the HOB bytes). */
    dt_out(m, 0x1F6, 0x40);
    dt_out(m, 0x1F2, 0); dt_out(m, 0x1F2, 3);
    dt_out(m, 0x1F3, (uint8_t)(lba >> 24)); dt_out(m, 0x1F3, (uint8_t)lba);
    dt_out(m, 0x1F4, 0); dt_out(m, 0x1F4, (uint8_t)(lba >> 8));
    dt_out(m, 0x1F5, 0); dt_out(m, 0x1F5, (uint8_t)(lba >> 16));
    dt_out(m, 0x3F6, 0x80);             /* HOB: read back the high bytes */
    assert_int_equal(dt_in(m, 0x1F2), 0);
    dt_out(m, 0x3F6, 0x00);
    assert_int_equal(dt_in(m, 0x1F2), 3);
    dt_out(m, 0x1F7, 0x34);             /* WRITE SECTORS EXT */
    for (int s = 0; s < 3; s++) {
        if (s)
            assert_int_equal(wait_irq(m), 0x58);
        for (int i = 0; i < 256; i++)
            dt_outw(m, 0x1F0, out[s * 256 + i]);
    }
    assert_int_equal(wait_irq(m), 0x50);
    dt_out(m, 0x1F6, 0x40);
    dt_out(m, 0x1F2, 0); dt_out(m, 0x1F2, 3);
    dt_out(m, 0x1F3, 0); dt_out(m, 0x1F3, (uint8_t)lba);
    dt_out(m, 0x1F4, 0); dt_out(m, 0x1F4, (uint8_t)(lba >> 8));
    dt_out(m, 0x1F5, 0); dt_out(m, 0x1F5, (uint8_t)(lba >> 16));
    dt_out(m, 0x1F7, 0x24);             /* READ SECTORS EXT */
    for (int s = 0; s < 3; s++) {
        assert_int_equal(wait_irq(m), 0x58);
        for (int i = 0; i < 256; i++)
            in[s * 256 + i] = dt_inw(m, 0x1F0);
    }
    assert_memory_equal(in, out, sizeof out);
    /* READ NATIVE MAX ADDRESS EXT */
    dt_out(m, 0x1F6, 0x40);
    dt_out(m, 0x1F7, 0x27);
    assert_int_equal(wait_irq(m), 0x50);
    uint32_t max = dt_in(m, 0x1F3) | dt_in(m, 0x1F4) << 8 | (uint32_t)dt_in(m, 0x1F5) << 16;
    assert_int_equal(max, 40959);
    /* FLUSH CACHE EXT */
    dt_out(m, 0x1F7, 0xEA);
    assert_int_equal(wait_irq(m), 0x50);
    assert_int_equal(m->dev.ata.flushes, 1);
    machine_free(m);
    unlink(img);
}

static void errors_abort(void **state)
{
    make_image(1u << 20);               /* 2048 sectors */
    struct machine *m = disk_machine(false);
    set_lba28(m, 2048, 1);              /* past the end */
    dt_out(m, 0x1F7, 0x20);
    assert_int_equal(wait_irq(m), ST_DRDY | ST_ERR);
    assert_int_equal(dt_in(m, 0x1F1), 0x04);    /* ABRT */
    /* Running past the end: the last sector comes, then the error (as QEMU). */
    set_lba28(m, 2047, 2);
    dt_out(m, 0x1F7, 0x20);
    assert_int_equal(wait_irq(m), 0x58);
    for (int i = 0; i < 256; i++)
        dt_inw(m, 0x1F0);
    assert_int_equal(wait_irq(m), ST_DRDY | ST_ERR);
    assert_int_equal(dt_in(m, 0x1F3), 0x00);    /* the address advanced past 2047 */
    /* A write past the end fails once its block has been sent. */
    set_lba28(m, 2048, 1);
    dt_out(m, 0x1F7, 0x30);
    assert_true(dt_in(m, 0x3F6) & ST_DRQ);
    for (int i = 0; i < 256; i++)
        dt_outw(m, 0x1F0, 0x1234);
    assert_int_equal(wait_irq(m), ST_DRDY | ST_ERR);
    dt_out(m, 0x1F7, 0xF0);             /* not a command */
    assert_int_equal(wait_irq(m), 0x41);
    assert_int_equal(dt_in(m, 0x1F1), 0x04);
    dt_out(m, 0x1F7, 0x00);             /* NOP aborts */
    assert_int_equal(wait_irq(m), 0x41);
    dt_out(m, 0x1F7, 0xC8);             /* READ DMA: no DMA here */
    assert_int_equal(wait_irq(m), 0x41);
    /* CHS sector 0 does not exist. */
    dt_out(m, 0x1F6, 0xA0);
    dt_out(m, 0x1F3, 0);
    dt_out(m, 0x1F2, 1);
    dt_out(m, 0x1F7, 0x20);
    assert_int_equal(wait_irq(m), 0x41);
    /* CHS cylinder 1, head 2, sector 3 is LBA (1*16+2)*63+2. */
    dt_out(m, 0x1F6, 0xA2);
    dt_out(m, 0x1F3, 3);
    dt_out(m, 0x1F4, 1);
    dt_out(m, 0x1F5, 0);
    dt_out(m, 0x1F7, 0x20);
    assert_int_equal(wait_irq(m), 0x58);
    assert_int_equal(m->dev.ata.lba, (1 * 16 + 2) * 63 + 2);
    for (int i = 0; i < 256; i++)
        dt_inw(m, 0x1F0);
    assert_int_equal(dt_in(m, 0x1F3), 4);       /* advanced in CHS form */
    assert_int_equal(m->dev.ata.errors, 7);
    machine_free(m);
    unlink(img);
}

/* A command for a sector far past the end (the last 28-bit LBA, the last
 * 48-bit LBA) aborts as promptly as one just past it: the drive's seek is
 * bounded by its last cylinder (it once took the seek time of the whole
 * distance, hours of virtual time: the hostile guest's ata case found it). */
static void far_lba_aborts_promptly(void **state)
{
    make_image(1u << 20);               /* 2048 sectors */
    struct machine *m = disk_machine(false);
    set_lba28(m, 0x0FFFFFFF, 1);
    dt_out(m, 0x1F7, 0x20);
    assert_int_equal(wait_irq(m), ST_DRDY | ST_ERR);    /* within wait_irq's 100 ms */
    dt_out(m, 0x1F6, 0x40);             /* LBA48: 0xFFFFFFFFFFFF, 1 sector */
    for (int r = 0x1F2; r <= 0x1F5; r++)
        dt_out(m, (uint16_t)r, r == 0x1F2 ? 0 : 0xFF);
    dt_out(m, 0x1F2, 1);
    for (int r = 0x1F3; r <= 0x1F5; r++)
        dt_out(m, (uint16_t)r, 0xFF);
    dt_out(m, 0x1F7, 0x24);
    assert_int_equal(wait_irq(m), ST_DRDY | ST_ERR);
    set_lba28(m, 0x0FFFFFFF, 1);
    dt_out(m, 0x1F7, 0x30);             /* a write: data first, then the error */
    for (int i = 0; i < 256; i++)
        dt_outw(m, 0x1F0, 0x1234);
    assert_int_equal(wait_irq(m), ST_DRDY | ST_ERR);
    machine_free(m);
    unlink(img);
}

static void readonly_write_aborts(void **state)
{
    make_image(1u << 20);
    chmod(img, 0444);
    struct vm_options rw = { .mem = 16u << 20, .disk = img, .input_string = "" };
    char err[256] = "";
    if (geteuid() != 0) {               /* root may write anything */
        assert_null(machine_new(&rw, err, sizeof err));
        assert_non_null(strstr(err, "cannot open disk image for writing"));
    }
    struct machine *m = disk_machine(true);
    set_lba28(m, 0, 1);
    dt_out(m, 0x1F7, 0x30);
    assert_int_equal(wait_irq(m), 0x41);
    assert_int_equal(dt_in(m, 0x1F1), 0x04);
    set_lba28(m, 0, 1);
    dt_out(m, 0x1F7, 0x20);             /* reads still work */
    assert_int_equal(wait_irq(m), 0x58);
    machine_free(m);
    unlink(img);
}

static void soft_reset_and_nien(void **state)
{
    make_image(1u << 20);
    struct machine *m = disk_machine(false);
    set_lba28(m, 5, 2);
    dt_out(m, 0x1F7, 0x20);
    dt_out(m, 0x3F6, 0x04);             /* SRST in the middle of the command */
    assert_true(dt_in(m, 0x3F6) & ST_BSY);
    dt_run_ns(m, 10000000);
    assert_false(m->intr);              /* the command is gone */
    dt_out(m, 0x3F6, 0x00);
    assert_int_equal(dt_in(m, 0x3F6), 0x50);
    assert_int_equal(wait_irq(m), 0x50);        /* one interrupt per reset, as QEMU */
    assert_int_equal(dt_in(m, 0x1F1), 0x01);    /* diagnostic code: passed */
    assert_int_equal(dt_in(m, 0x1F2), 1);       /* ATA signature */
    assert_int_equal(dt_in(m, 0x1F3), 1);
    assert_int_equal(dt_in(m, 0x1F4), 0);
    assert_int_equal(dt_in(m, 0x1F5), 0);
    /* nIEN: the command completes without an interrupt; polling works. */
    dt_out(m, 0x3F6, 0x02);
    set_lba28(m, 5, 1);
    dt_out(m, 0x1F7, 0x20);
    dt_run_ns(m, 10000000);
    assert_false(m->intr);
    assert_int_equal(dt_in(m, 0x3F6), 0x58);
    for (int i = 0; i < 256; i++)
        dt_inw(m, 0x1F0);
    /* A pending INTRQ reaches the PIC when nIEN is cleared. */
    dt_out(m, 0x1F7, 0xE7);
    dt_run_ns(m, 10000000);
    assert_false(m->intr);
    dt_out(m, 0x3F6, 0x00);
    assert_int_equal(dt_take(m), 0x2E);
    /* The absent slave: Status reads 0 and commands are ignored. */
    dt_out(m, 0x1F6, 0xB0);
    assert_int_equal(dt_in(m, 0x1F7), 0);
    dt_out(m, 0x1F7, 0xEC);
    dt_run_ns(m, 10000000);
    dt_out(m, 0x1F6, 0xA0);
    assert_int_equal(dt_in(m, 0x1F7), 0x50);
    machine_free(m);
    unlink(img);
}

static void no_disk_reads_zero(void **state)
{
    struct machine *m = dt_machine(NULL);
    for (uint16_t p = 0x1F1; p <= 0x1F7; p++)
        assert_int_equal(dt_in(m, p), 0);
    assert_int_equal(dt_in(m, 0x3F6), 0);
    dt_out(m, 0x1F7, 0xEC);
    assert_int_equal(dt_in(m, 0x1F7), 0);
    machine_free(m);
}

static void image_errors(void **state)
{
    char err[256];
    struct vm_options opt = { .mem = 16u << 20, .input_string = "" };
    /* Smaller than a sector. */
    make_image(100);
    opt.disk = img;
    err[0] = 0;
    assert_null(machine_new(&opt, err, sizeof err));
    assert_non_null(strstr(err, "smaller than one sector"));
    unlink(img);
    /* Missing, without --disk-size. */
    opt.disk = "/tmp/vmscope-ata-does-not-exist.img";
    unlink(opt.disk);
    err[0] = 0;
    assert_null(machine_new(&opt, err, sizeof err));
    assert_non_null(strstr(err, "cannot open disk image"));
    /* A directory. */
    opt.disk = "/tmp";
    err[0] = 0;
    assert_null(machine_new(&opt, err, sizeof err));
    assert_true(strlen(err) > 0);
    /* Missing, with --disk-size: created with that size. */
    opt.disk = "/tmp/vmscope-ata-created.img";
    unlink(opt.disk);
    opt.disk_size = 3u << 20;
    struct machine *m = machine_new(&opt, err, sizeof err);
    assert_non_null(m);
    assert_int_equal(m->dev.ata.sectors, 6144);
    machine_free(m);
    struct stat st;
    assert_int_equal(stat(opt.disk, &st), 0);
    assert_int_equal(st.st_size, 3u << 20);
    unlink(opt.disk);
    /* A size that is not a multiple of a sector rounds up, like QEMU. */
    make_image(1000);
    opt.disk = img;
    opt.disk_size = 0;
    m = machine_new(&opt, err, sizeof err);
    assert_non_null(m);
    assert_int_equal(m->dev.ata.sectors, 2);
    machine_free(m);
    unlink(img);
}

/* A block is in the file as soon as its last word is written: before the
 * drive even reports completion, and without any flush. */
static void written_through_at_once(void **state)
{
    make_image(1u << 20);
    struct machine *m = disk_machine(false);
    set_lba28(m, 9, 1);
    dt_out(m, 0x1F7, 0x30);
    for (int i = 0; i < 256; i++)
        dt_outw(m, 0x1F0, 0xBEEF);
    assert_true(dt_in(m, 0x3F6) & ST_BSY);
    int fd = open(img, O_RDONLY);
    uint16_t w[256];
    assert_int_equal(pread(fd, w, 512, 9 * 512), 512);
    close(fd);
    for (int i = 0; i < 256; i++)
        assert_int_equal(w[i], 0xBEEF);
    machine_free(m);
    unlink(img);
}

/* Entries of the directory PATH besides . and .. */
static int dir_entries(const char *path)
{
    DIR *d = opendir(path);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)); )
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

/* --disk-snapshot: writes read back within the run, from the overlay where
 * written and from the image elsewhere (one command spanning both); the
 * image is opened read-only and never changes; the overlay is an unlinked
 * file in $TMPDIR, visible in no directory. */
static void snapshot_overlay(void **state)
{
    static uint16_t orig[4 * 256], out[2 * 256], in[4 * 256];
    make_image(1u << 20);
    fill(orig, 10, 4 * 256, 3);
    int fd = open(img, O_WRONLY);
    assert_int_equal(pwrite(fd, orig, sizeof orig, 10 * 512), (ssize_t)sizeof orig);
    close(fd);
    struct stat before, after;
    assert_int_equal(stat(img, &before), 0);
    char tmpdir[] = "/tmp/vmscope-ata-tmpdir-XXXXXX";
    assert_non_null(mkdtemp(tmpdir));
    const char *old_tmpdir = getenv("TMPDIR");
    char *saved = old_tmpdir ? strdup(old_tmpdir) : NULL;
    setenv("TMPDIR", tmpdir, 1);
    struct vm_options opt = { .disk = img, .disk_snapshot = true };
    struct machine *m = dt_machine(&opt);
    dt_pic_remap(m, 1u << 14);
    assert_int_equal(fcntl(m->dev.ata.img.fd, F_GETFL) & O_ACCMODE, O_RDONLY);
    assert_true(m->dev.ata.img.overlay_fd >= 0);
    assert_int_equal(dir_entries(tmpdir), 0);   /* no name for the overlay */
    char link[64], target[512];
    snprintf(link, sizeof link, "/proc/self/fd/%d", m->dev.ata.img.overlay_fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    assert_true(n > 0);
    target[n] = 0;
    assert_non_null(strstr(target, tmpdir));
    assert_non_null(strstr(target, "(deleted)"));
    fill(out, 11, 2 * 256, 9);
    write_sectors(m, 11, 2, out);
    read_sectors(m, 10, 4, in);
    assert_memory_equal(in, orig, 512);                         /* 10: the image */
    assert_memory_equal(in + 256, out, sizeof out);             /* 11-12: the overlay */
    assert_memory_equal(in + 3 * 256, orig + 3 * 256, 512);     /* 13: the image */
    assert_int_equal(m->dev.ata.write_sectors, 2);
    machine_free(m);
    fd = open(img, O_RDONLY);
    assert_int_equal(pread(fd, in, sizeof in, 10 * 512), (ssize_t)sizeof in);
    close(fd);
    assert_memory_equal(in, orig, sizeof orig);
    assert_int_equal(stat(img, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
    assert_int_equal(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
    assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
    assert_int_equal(rmdir(tmpdir), 0);         /* nothing left behind */
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    unlink(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(identify),
        cmocka_unit_test(write_read_lba28),
        cmocka_unit_test(multiple_and_32bit),
        cmocka_unit_test(lba48),
        cmocka_unit_test(errors_abort),
        cmocka_unit_test(far_lba_aborts_promptly),
        cmocka_unit_test(readonly_write_aborts),
        cmocka_unit_test(soft_reset_and_nien),
        cmocka_unit_test(no_disk_reads_zero),
        cmocka_unit_test(image_errors),
        cmocka_unit_test(written_through_at_once),
        cmocka_unit_test(snapshot_overlay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
