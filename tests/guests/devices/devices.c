/* End-to-end device test guest: the PC devices the guest kernel relies on,
 * driven with interrupts the way a kernel does, printing the same lines
 * under QEMU and under vmscope (timing-dependent values only on `model:`
 * lines).
 *
 * Command line (after the file name):
 *   (empty)              the full test: PIC, PIT ticks, RTC/CMOS, UART echo of
 *                        the scripted input until a line "end", disk pattern
 *                        write and read-back with every transfer command,
 *                        disk errors, soft reset, nIEN polling, UART loopback
 *   mode=write seed=N    fill the whole disk with pattern N, printing
 *                        "wrote L" after each command (L sectors so far)
 *   mode=verify seed=N   read the whole disk and check pattern N
 *   mode=tty             for `vmscope run --tty` (tests/emu/tty_test.py): print
 *                        "tty: ready", then "rx XX" for each byte received;
 *                        byte 's' sleeps 100 timer ticks (1 s) and prints
 *                        "slept"; 't' triple-faults; 'q' ends with status 0
 * Exit status: 0 when everything checked out. */
#include "guest/rt/rt.h"
#include "trace/annot.h"

#define COM1 0x3F8
#define ATA 0x1F0
#define ATA_CTL 0x3F6
#define LATCH_100HZ 11932

/* --- interrupt entry: save registers, call the C handler, return --- */
#define IRQ_STUB(name)                                                      \
    void name##_entry(void);                                                \
    __asm__(".text\n.globl " #name "_entry\n" #name "_entry:\n"             \
            "pushal\ncld\ncall " #name "\npopal\niret\n");

static volatile unsigned ticks, uart_irqs, disk_irqs, spurious;
static volatile uint8_t disk_status;

static char rxbuf[256];
static volatile unsigned rx_head, rx_tail;

void timer_irq(void)
{
    ticks++;
    outb(0x20, 0x20);
}

static void uart_drain(void)
{
    while (inb(COM1 + 5) & 1) {
        char c = (char)inb(COM1);
        if (((rx_head + 1) & 255) != rx_tail) {
            rxbuf[rx_head] = c;
            rx_head = (rx_head + 1) & 255;
        }
    }
}

void uart_irq(void)
{
    uart_irqs++;
    while (!(inb(COM1 + 2) & 1))
        uart_drain();
    outb(0x20, 0x20);
}

void disk_irq(void)
{
    disk_irqs++;
    disk_status = inb(ATA + 7);     /* acknowledges INTRQ */
    outb(0xA0, 0x20);
    outb(0x20, 0x20);
}

void spurious_irq(void)
{
    spurious++;                     /* IRQ7: no EOI for a spurious interrupt */
}

IRQ_STUB(timer_irq)
IRQ_STUB(uart_irq)
IRQ_STUB(disk_irq)
IRQ_STUB(spurious_irq)

static void sti(void) { __asm__ volatile("sti"); }
static void cli(void) { __asm__ volatile("cli"); }

/* Sleep until an interrupt has been handled (race-free: STI's shadow
 * covers the HLT). Call with interrupts disabled; returns with them
 * disabled. */
static void wait_for_interrupt(void)
{
    __asm__ volatile("sti; hlt; cli");
}

/* --- PIC and PIT --- */

static void pic_init(void)
{
    outb(0x20, 0x11); outb(0xA0, 0x11);
    outb(0x21, 0x20); outb(0xA1, 0x28);
    outb(0x21, 0x04); outb(0xA1, 0x02);
    outb(0x21, 0x01); outb(0xA1, 0x01);
    outb(0x21, (uint8_t)~(1u << 0 | 1u << 2 | 1u << 4));
    outb(0xA1, (uint8_t)~(1u << 6));
    rt_set_gate(0x20, timer_irq_entry, 0, 0);
    rt_set_gate(0x24, uart_irq_entry, 0, 0);
    rt_set_gate(0x27, spurious_irq_entry, 0, 0);
    rt_set_gate(0x2E, disk_irq_entry, 0, 0);
}

static void pit_init(void)
{
    outb(0x43, 0x34);               /* channel 0, LSB/MSB, mode 2 */
    outb(0x40, LATCH_100HZ & 0xFF);
    outb(0x40, LATCH_100HZ >> 8);
}

static int test_timer(void)
{
    outb(0x43, 0xE2);               /* read-back: status of channel 0 */
    uint8_t status = inb(0x40);
    rt_printf("pit: channel 0 mode %u, access %u\n", (status >> 1) & 7, (status >> 4) & 3);
    outb(0x43, 0x00);
    unsigned c = inb(0x40);
    c |= (unsigned)inb(0x40) << 8;
    int ok = c >= 1 && c <= LATCH_100HZ;
    rt_printf("pit: latched count within 1..%u: %s\n", LATCH_100HZ, ok ? "yes" : "no");
    cli();
    unsigned start = ticks;
    while (ticks - start < 10)
        wait_for_interrupt();
    sti();
    rt_printf("timer: 10 ticks counted\n");
    return ok ? 0 : 1;
}

/* --- CMOS --- */

static uint8_t cmos(uint8_t r)
{
    outb(0x70, r);
    return inb(0x71);
}

static int bcd_ok(uint8_t v, unsigned lo, unsigned hi)
{
    unsigned d = (v >> 4) * 10 + (v & 15);
    return (v & 15) < 10 && (v >> 4) < 10 && d >= lo && d <= hi;
}

static int test_rtc(void)
{
    while (cmos(0x0A) & 0x80)       /* wait out an update in progress */
        ;
    uint8_t sec = cmos(0), min = cmos(2), hour = cmos(4), day = cmos(7), mon = cmos(8),
            year = cmos(9), cent = cmos(0x32);
    int ok = bcd_ok(sec, 0, 59) && bcd_ok(min, 0, 59) && bcd_ok(hour, 0, 23) &&
             bcd_ok(day, 1, 31) && bcd_ok(mon, 1, 12) && bcd_ok(year, 0, 99) && bcd_ok(cent, 19, 21);
    rt_printf("rtc: register B %02x, date and time valid BCD: %s\n", cmos(0x0B), ok ? "yes" : "no");
    rt_printf("model: rtc %02x%02x-%02x-%02x %02x:%02x:%02x\n", cent, year, mon, day, hour, min, sec);
    rt_printf("cmos: base %u KiB, extended %u KiB\n", cmos(0x15) | cmos(0x16) << 8,
              cmos(0x30) | cmos(0x31) << 8);
    return ok ? 0 : 1;
}

/* --- UART --- */

/* Next input line into LINE (without the newline); leading '#' are
 * skipped (a loader may eat the first byte of input before the guest
 * resets the FIFO). Returns 0, or -1 after ~5 s with nothing. */
static int read_line(char *line, unsigned max)
{
    unsigned n = 0, idle = 0;
    cli();
    for (;;) {
        uart_drain();               /* polls too, in case an interrupt is owed */
        while (rx_tail != rx_head) {
            char c = rxbuf[rx_tail];
            rx_tail = (rx_tail + 1) & 255;
            idle = 0;
            if (c == '\r')
                continue;
            if (c == '\n') {
                line[n] = 0;
                sti();
                return 0;
            }
            if (c == '#' && n == 0)
                continue;
            if (n + 1 < max)
                line[n++] = c;
        }
        unsigned t = ticks;
        wait_for_interrupt();
        if (ticks != t && ++idle > 500) {
            sti();
            return -1;
        }
    }
}

static int test_uart_echo(void)
{
    outb(COM1 + 2, 0x81);           /* FIFO on (kept), receive trigger level 8 */
    outb(COM1 + 4, 0x0B);           /* DTR, RTS, OUT2 */
    outb(COM1 + 1, 0x01);           /* received-data interrupts */
    char line[128];
    int lines = 0;
    while (read_line(line, sizeof line) == 0) {
        if (strcmp(line, "end") == 0)
            break;
        rt_printf("echo: %s\n", line);
        lines++;
    }
    outb(COM1 + 1, 0x00);
    rt_printf("uart: %d lines echoed, receive interrupts seen: %s\n", lines, uart_irqs ? "yes" : "no");
    return lines > 0 && uart_irqs ? 0 : 1;
}

static int test_uart_loopback(void)
{
    outb(COM1 + 7, 0xA5);
    int ok = inb(COM1 + 7) == 0xA5;
    outb(COM1 + 4, 0x1A);           /* loopback, RTS, OUT2 */
    ok &= (inb(COM1 + 6) & 0xF0) == 0x90;
    outb(COM1 + 2, 0x87);           /* clear the receive FIFO */
    outb(COM1, 'L');
    ok &= (inb(COM1 + 5) & 1) && inb(COM1) == 'L';
    outb(COM1 + 4, 0x0B);
    rt_printf("uart: scratch and loopback %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}

/* --- ATA --- */

static uint32_t disk_sectors;

static uint16_t pattern(uint32_t lba, unsigned i, uint32_t seed)
{
    uint32_t x = lba * 0x9E3779B1u ^ (i + 1) * 0x85EBCA77u ^ seed * 0xC2B2AE3Du;
    x ^= x >> 15;
    x *= 0x2C1B3C6Du;
    return (uint16_t)(x ^ x >> 16);
}

static void ata_wait_ready(void)
{
    while (inb(ATA_CTL) & 0x80)
        ;
}

/* Wait for IRQ14 and return the status its handler read. */
static uint8_t ata_wait_irq(unsigned before)
{
    cli();
    while (disk_irqs == before)
        wait_for_interrupt();
    sti();
    return disk_status;
}

static void ata_regs(uint32_t lba, unsigned count, int ext)
{
    if (ext) {
        outb(ATA + 6, 0x40);
        outb(ATA + 2, (uint8_t)(count >> 8));
        outb(ATA + 3, (uint8_t)(lba >> 24));
        outb(ATA + 4, 0);
        outb(ATA + 5, 0);
        outb(ATA + 2, (uint8_t)count);
        outb(ATA + 3, (uint8_t)lba);
        outb(ATA + 4, (uint8_t)(lba >> 8));
        outb(ATA + 5, (uint8_t)(lba >> 16));
    } else {
        outb(ATA + 6, (uint8_t)(0xE0 | (lba >> 24)));
        outb(ATA + 2, (uint8_t)count);
        outb(ATA + 3, (uint8_t)lba);
        outb(ATA + 4, (uint8_t)(lba >> 8));
        outb(ATA + 5, (uint8_t)(lba >> 16));
    }
}

static void insw(uint16_t *p, unsigned n)
{
    __asm__ volatile("rep insw" : "+D"(p), "+c"(n) : "d"(ATA) : "memory");
}

static void outsw(const uint16_t *p, unsigned n)
{
    __asm__ volatile("rep outsw" : "+S"(p), "+c"(n) : "d"(ATA) : "memory");
}

/* A non-data command; returns the status at its interrupt. */
static uint8_t ata_simple(uint8_t cmd)
{
    unsigned before = disk_irqs;
    outb(ATA + 7, cmd);
    return ata_wait_irq(before);
}

static uint16_t sector[16 * 256];

static int ata_identify(void)
{
    unsigned before = disk_irqs;
    outb(ATA + 6, 0xA0);
    outb(ATA + 7, 0xEC);
    uint8_t st = ata_wait_irq(before);
    if ((st & 0x89) != 0x08) {
        rt_printf("disk: IDENTIFY failed, status %02x\n", st);
        return 1;
    }
    insw(sector, 256);
    char model[41];
    for (int i = 0; i < 20; i++) {
        model[2 * i] = (char)(sector[27 + i] >> 8);
        model[2 * i + 1] = (char)sector[27 + i];
    }
    model[40] = 0;
    for (int i = 39; i >= 0 && model[i] == ' '; i--)
        model[i] = 0;
    disk_sectors = sector[60] | (uint32_t)sector[61] << 16;
    uint32_t s48 = sector[100] | (uint32_t)sector[101] << 16;
    rt_printf("model: disk model '%s'\n", model);
    rt_printf("disk: %u sectors (LBA48 %u), LBA %s, LBA48 %s, status after data %02x\n",
              disk_sectors, s48, sector[49] & 0x200 ? "yes" : "no",
              sector[83] & 0x400 ? "yes" : "no", inb(ATA_CTL));
    return disk_sectors ? 0 : 1;
}

/* Transfer COUNT sectors at LBA with CMD (one of the READ or WRITE
 * commands), BLOCK sectors per interrupt. Returns the final status. */
static uint8_t ata_transfer(uint8_t cmd, uint32_t lba, unsigned count, unsigned block, int write,
                            uint16_t *buf)
{
    int ext = cmd == 0x24 || cmd == 0x34 || cmd == 0x29 || cmd == 0x39;
    unsigned before = disk_irqs;
    ata_regs(lba, count, ext);
    outb(ATA + 7, cmd);
    for (unsigned done = 0; done < count;) {
        unsigned n = count - done < block ? count - done : block;
        uint8_t st;
        if (write && done == 0) {
            ata_wait_ready();
            st = inb(ATA_CTL);
        } else {
            st = ata_wait_irq(before);
        }
        before = disk_irqs;
        if ((st & 0x89) != 0x08)
            return st;
        if (write)
            outsw(buf + done * 256, n * 256);
        else
            insw(buf + done * 256, n * 256);
        done += n;
    }
    if (write)
        return ata_wait_irq(before);
    ata_wait_ready();
    return inb(ATA_CTL);
}

static const uint8_t write_cmds[3] = { 0x30, 0xC5, 0x34 };   /* SECTORS, MULTIPLE, SECTORS EXT */
static const uint8_t read_cmds[4] = { 0x20, 0xC4, 0x24, 0x29 }; /* ..., READ MULTIPLE EXT */

static void fill_pattern(uint32_t lba, unsigned n, uint32_t seed)
{
    for (unsigned s = 0; s < n; s++)
        for (unsigned i = 0; i < 256; i++)
            sector[s * 256 + i] = pattern(lba + s, i, seed);
}

/* Write pattern SEED over the whole disk in chunks of 16, rotating through
 * the write commands; PROGRESS prints after each command. */
static int disk_write_all(uint32_t seed, int progress)
{
    for (uint32_t lba = 0, k = 0; lba < disk_sectors; lba += 16, k++) {
        unsigned n = disk_sectors - lba < 16 ? disk_sectors - lba : 16;
        uint8_t cmd = write_cmds[k % 3];
        fill_pattern(lba, n, seed);
        uint8_t st = ata_transfer(cmd, lba, n, cmd == 0xC5 ? 16 : 1, 1, sector);
        if (st & 0x01) {
            rt_printf("disk: write %02x at %u failed, status %02x error %02x\n", cmd, lba, st, inb(ATA + 1));
            return 1;
        }
        if (progress)
            rt_printf("wrote %u\n", lba + n);
    }
    return 0;
}

static uint32_t sum;

static int disk_verify_all(uint32_t seed)
{
    unsigned bad = 0;
    sum = 2166136261u;              /* FNV-1a over the words read */
    for (uint32_t lba = 0, k = 0; lba < disk_sectors; lba += 16, k++) {
        unsigned n = disk_sectors - lba < 16 ? disk_sectors - lba : 16;
        uint8_t cmd = read_cmds[k % 4];
        uint8_t st = ata_transfer(cmd, lba, n, cmd == 0xC4 || cmd == 0x29 ? 16 : 1, 0, sector);
        if (st & 0x01) {
            rt_printf("disk: read %02x at %u failed, status %02x error %02x\n", cmd, lba, st, inb(ATA + 1));
            return 1;
        }
        for (unsigned s = 0; s < n; s++) {
            for (unsigned i = 0; i < 256; i++) {
                uint16_t w = sector[s * 256 + i];
                if (w != pattern(lba + s, i, seed) && bad++ < 3)
                    rt_printf("disk: sector %u word %u is %04x, not %04x\n", lba + s, i, w,
                              pattern(lba + s, i, seed));
                sum = (sum ^ w) * 16777619u;
            }
        }
    }
    rt_printf("disk: verified %u sectors, %u bad words, checksum %08x\n", disk_sectors, bad, sum);
    return bad ? 1 : 0;
}

static int disk_errors_and_reset(void)
{
    int fails = 0;
    /* Past the end of the disk: ERR with ABRT. */
    ata_regs(disk_sectors, 1, 0);
    uint8_t st = ata_simple(0x20);
    rt_printf("disk: read past the end: status %02x error %02x\n", st, inb(ATA + 1));
    fails += !(st & 0x01);
    /* Across the end: the last sector arrives, then the error. */
    st = ata_transfer(0x20, disk_sectors - 1, 2, 1, 0, sector);
    rt_printf("disk: read across the end: status %02x error %02x, last sector %s\n", st,
              inb(ATA + 1), sector[0] == pattern(disk_sectors - 1, 0, 1) ? "delivered" : "missing");
    fails += !(st & 0x01);
    st = ata_simple(0xF0);
    rt_printf("disk: unknown command: status %02x error %02x\n", st, inb(ATA + 1));
    fails += !(st & 0x01);
    /* Soft reset: BSY while SRST is held, then the ATA signature. */
    outb(ATA_CTL, 0x04);
    int busy = (inb(ATA_CTL) & 0x80) != 0;
    outb(ATA_CTL, 0x00);
    ata_wait_ready();
    /* QEMU finishes the reset in a bottom half, maybe before SRST drops. */
    rt_printf("model: disk busy while SRST held: %s\n", busy ? "yes" : "no");
    rt_printf("disk: soft reset: status %02x, error %02x, signature %02x %02x %02x %02x\n",
              inb(ATA_CTL), inb(ATA + 1), inb(ATA + 2), inb(ATA + 3), inb(ATA + 4), inb(ATA + 5));
    /* nIEN: poll a read of sector 0 with interrupts off at the drive. */
    outb(ATA_CTL, 0x02);
    unsigned before = disk_irqs;
    ata_regs(0, 1, 0);
    outb(ATA + 7, 0x20);
    ata_wait_ready();
    st = inb(ATA + 7);
    insw(sector, 256);
    int same = 1;
    for (unsigned i = 0; i < 256; i++)
        same &= sector[i] == pattern(0, i, 1);
    for (volatile int d = 0; d < 100000; d++)
        ;
    rt_printf("disk: polled read with nIEN: status %02x, data %s, interrupts %u\n", st,
              same ? "good" : "BAD", disk_irqs - before);
    fails += !same || disk_irqs != before;
    outb(ATA_CTL, 0x00);
    /* 0 disables multiple mode, after which READ MULTIPLE aborts. */
    outb(ATA + 2, 0);
    st = ata_simple(0xC6);
    ata_regs(0, 1, 0);
    uint8_t st2 = ata_simple(0xC4);
    rt_printf("disk: multiple mode off: %02x, READ MULTIPLE then: %02x\n", st, st2);
    outb(ATA + 2, 16);
    ata_simple(0xC6);
    return fails;
}

static int test_disk(void)
{
    int fails = ata_identify();
    if (fails)
        return fails;
    outb(ATA + 2, 16);
    uint8_t st = ata_simple(0xC6);  /* SET MULTIPLE MODE 16 */
    rt_printf("disk: set multiple 16: status %02x\n", st);
    fails += disk_write_all(1, 0);
    st = ata_simple(0xE7);          /* FLUSH CACHE */
    rt_printf("disk: flush: status %02x\n", st);
    fails += disk_verify_all(1);
    fails += disk_errors_and_reset();
    rt_printf("model: disk interrupts %u\n", disk_irqs);
    return fails;
}

/* --- mode=tty: a byte echo for the host terminal tests --- */

static int tty_echo(void)
{
    outb(COM1 + 2, 0x01);           /* FIFO on, receive trigger level 1 */
    outb(COM1 + 4, 0x0B);
    outb(COM1 + 1, 0x01);
    rt_printf("tty: ready\n");
    cli();
    for (;;) {
        uart_drain();
        while (rx_tail != rx_head) {
            uint8_t c = (uint8_t)rxbuf[rx_tail];
            rx_tail = (rx_tail + 1) & 255;
            rt_printf("rx %02x\n", c);
            if (c == 'q') {
                rt_printf("tty: bye\n");
                return 0;
            }
            if (c == 's') {
                unsigned start = ticks;
                while (ticks - start < 100)
                    wait_for_interrupt();
                rt_printf("slept\n");
            }
            if (c == 't') {
                static const struct { uint16_t limit; uint32_t base; } __attribute__((packed)) none;
                __asm__ volatile("lidt %0; int3" : : "m"(none));
            }
        }
        wait_for_interrupt();
    }
}

/* --- annotation port: under QEMU the write goes nowhere --- */

static void annotate_mark(unsigned label)
{
    static struct annot_mark rec;
    rec.h.kind = ANNOT_MARK;
    rec.h.size = sizeof rec;
    rec.h.pid = 0;
    rec.label = label;
    outl(ANNOT_PORT, (uint32_t)&rec);
}

/* --- main --- */

static const char *arg(const char *cl, const char *key)
{
    size_t k = strlen(key);
    for (const char *p = cl; *p; p++)
        if ((p == cl || p[-1] == ' ') && strncmp(p, key, k) == 0)
            return p + k;
    return NULL;
}

static uint32_t atou(const char *s)
{
    uint32_t v = 0;
    while (s && *s >= '0' && *s <= '9')
        v = v * 10 + (uint32_t)(*s++ - '0');
    return v;
}

int main(struct mb_info *mbi)
{
    const char *cl = (mbi->flags & 4) ? (const char *)mbi->cmdline : "";
    while (*cl && *cl != ' ')       /* skip the kernel's file name */
        cl++;
    pic_init();
    pit_init();
    sti();
    const char *mode = arg(cl, "mode=");
    uint32_t seed = atou(arg(cl, "seed="));
    if (mode && strncmp(mode, "write", 5) == 0) {
        if (ata_identify())
            return 1;
        return disk_write_all(seed, 1);
    }
    if (mode && strncmp(mode, "tty", 3) == 0)
        return tty_echo();
    if (mode && strncmp(mode, "verify", 6) == 0) {
        if (ata_identify())
            return 1;
        return disk_verify_all(seed);
    }
    rt_printf("vmscope device test guest\n");
    annotate_mark(1);
    int fails = 0;
    fails += test_timer();
    fails += test_rtc();
    fails += test_uart_echo();
    fails += test_disk();
    fails += test_uart_loopback();
    annotate_mark(2);
    rt_printf("model: spurious IRQ7 %u\n", spurious);
    rt_printf("devices: %s\n", fails ? "FAILED" : "all passed");
    return fails ? 1 : 0;
}
