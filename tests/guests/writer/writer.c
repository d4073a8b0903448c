/* The sector writer for the kill campaign (scripts/kill-campaign): writes
 * sequence-numbered sectors to the disk in order, one ATA WRITE SECTORS
 * command each, and prints "seq N" once the command for sector N has
 * completed (BSY and DRQ clear, no ERR). Between two sectors it walks a
 * buffer with paging on, so a traced run fills trace chunks steadily.
 *
 * Sector N (LBA N) holds: "VMSCOPE-SEQ\0", u32 N, u32 ~N, then bytes
 * (N * 131 + i) & 0xFF up to 512. A killed run's image must hold every
 * sector up to the last number printed, and nothing but blank after the
 * written prefix (tests/devices/seqdisk.py checks it).
 *
 * Command line: count=N (sectors, default 2048) work=W (buffer passes
 * between sectors, default 4). ATA PIO; the guest sleeps (HLT) until the
 * command's IRQ 14, so the disk's busy time costs no instructions. Exit
 * status 0 after the last sector; 1 when the disk refuses a command. */
#include "guest/rt/rt.h"

#define ATA 0x1F0
#define ATA_CTL 0x3F6

static uint32_t pd[1024] __attribute__((aligned(4096)));
static volatile unsigned disk_irqs;

void disk_irq(void)
{
    disk_irqs++;
    (void)inb(ATA + 7);             /* acknowledges INTRQ */
    outb(0xA0, 0x20);
    outb(0x20, 0x20);
}
void disk_irq_entry(void);
__asm__(".text\n.globl disk_irq_entry\ndisk_irq_entry:\npushal\ncld\ncall disk_irq\npopal\niret\n");

/* The PICs at vectors 0x20 and 0x28, only IRQ 14 (through the cascade). */
static void pic_init(void)
{
    outb(0x20, 0x11); outb(0xA0, 0x11);
    outb(0x21, 0x20); outb(0xA1, 0x28);
    outb(0x21, 0x04); outb(0xA1, 0x02);
    outb(0x21, 0x01); outb(0xA1, 0x01);
    outb(0x21, (uint8_t)~(1u << 2));
    outb(0xA1, (uint8_t)~(1u << 6));
    rt_set_gate(0x2E, disk_irq_entry, 0, 0);
}

/* Sleep until IRQ 14 has come since BEFORE (STI's shadow covers the HLT). */
static void wait_irq(unsigned before)
{
    while (disk_irqs == before)
        __asm__ volatile("sti; hlt; cli");
}
static uint8_t buf[64 * 4096] __attribute__((aligned(4096)));
static uint8_t sector[512];

static const char *arg(const char *cl, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = cl; *p; p++)
        if ((p == cl || p[-1] == ' ') && strncmp(p, key, k) == 0)
            return p + k;
    return NULL;
}

static uint32_t atou(const char *s, uint32_t dflt)
{
    if (!s || *s < '0' || *s > '9')
        return dflt;
    uint32_t v = 0;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (uint32_t)(*s++ - '0');
    return v;
}

/* Identity-map the first 64 MiB with 4 MiB pages and turn paging on. */
static void paging_on(void)
{
    for (uint32_t i = 0; i < 16; i++)
        pd[i] = (i << 22) | 0x83;           /* P RW PS */
    __asm__ volatile("mov %%cr4, %%eax; orl $0x10, %%eax; mov %%eax, %%cr4" ::: "eax");
    __asm__ volatile("mov %0, %%cr3" :: "r"(pd));
    __asm__ volatile("mov %%cr0, %%eax; orl $0x80000000, %%eax; mov %%eax, %%cr0" ::: "eax");
}

/* Wait until the drive is not busy; returns its status (read from the
 * status register, which also acknowledges a pending interrupt). */
static uint8_t ata_wait(void)
{
    uint8_t st;
    while ((st = inb(ATA + 7)) & 0x80)
        ;
    return st;
}

static uint32_t ata_sectors(void)
{
    unsigned before = disk_irqs;
    outb(ATA + 6, 0xA0);
    outb(ATA + 7, 0xEC);                    /* IDENTIFY DEVICE */
    wait_irq(before);
    uint8_t st = ata_wait();
    if ((st & 0x89) != 0x08)
        return 0;
    uint16_t id[256];
    for (int i = 0; i < 256; i++)
        id[i] = inw(ATA);
    return id[60] | (uint32_t)id[61] << 16;
}

/* WRITE SECTORS of one sector at LBA; returns the final status. */
static uint8_t ata_write1(uint32_t lba, const uint8_t *p)
{
    ata_wait();
    outb(ATA + 6, (uint8_t)(0xE0 | (lba >> 24)));
    outb(ATA + 2, 1);
    outb(ATA + 3, (uint8_t)lba);
    outb(ATA + 4, (uint8_t)(lba >> 8));
    outb(ATA + 5, (uint8_t)(lba >> 16));
    outb(ATA + 7, 0x30);
    uint8_t st = ata_wait();
    if ((st & 0x89) != 0x08)
        return st;
    unsigned before = disk_irqs;
    for (int i = 0; i < 256; i++)
        outw(ATA, (uint16_t)(p[2 * i] | p[2 * i + 1] << 8));
    wait_irq(before);                       /* the command completes */
    return ata_wait();
}

static void fill(uint32_t n)
{
    static const char magic[12] = "VMSCOPE-SEQ";
    memcpy(sector, magic, sizeof magic);
    uint32_t w[2] = { n, ~n };
    memcpy(sector + 12, w, sizeof w);
    for (unsigned i = 20; i < 512; i++)
        sector[i] = (uint8_t)(n * 131 + i);
}

/* Touch every page of buf PASSES times (reads and writes). */
static uint32_t work(uint32_t passes, uint32_t salt)
{
    uint32_t sum = salt;
    for (uint32_t p = 0; p < passes; p++)
        for (uint32_t off = 0; off < sizeof buf; off += 512) {
            sum = sum * 31 + buf[off];
            buf[off + (p & 7)] = (uint8_t)sum;
        }
    return sum;
}

int main(struct mb_info *mbi)
{
    const char *cl = (mbi->flags & 4) ? (const char *)mbi->cmdline : "";
    uint32_t count = atou(arg(cl, "count="), 2048);
    uint32_t passes = atou(arg(cl, "work="), 4);
    paging_on();
    pic_init();
    uint32_t n = ata_sectors();
    if (count > n)
        count = n;
    rt_printf("writer: %u sectors\n", count);
    uint32_t sum = 0;
    for (uint32_t s = 0; s < count; s++) {
        sum = work(passes, sum);
        fill(s);
        uint8_t st = ata_write1(s, sector);
        if (st & 0x21) {
            rt_printf("writer: sector %u failed, status %02x error %02x\n", s, st, inb(ATA + 1));
            return 1;
        }
        rt_printf("seq %u\n", s);
    }
    rt_printf("writer: done (%08x)\n", sum);
    return 0;
}
