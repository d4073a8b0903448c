/* printk, panic and powering the machine off (DESIGN.md "Ending a run"). */
#include <kernel.h>
#include <console.h>
#include <io.h>

/* The kernel log: everything printk printed, for syslog (dmesg). A ring:
 * log_end counts every byte ever logged; the oldest are overwritten. */
static char log_buf[LOG_BUF_LEN];
static unsigned long log_end, log_start, log_read;    /* log_start: after a clear; log_read: syslog(2) */

static int log_line_start = 1;       /* the next byte begins a line: it gets "<4>" */

static void log_store(const char *s, int n)
{
    for (int i = 0; i < n; i++) {
        if (log_line_start)             /* 2.4's default message level, as syslog(2) gives it */
            for (const char *p = "<4>"; *p; p++)
                log_buf[log_end++ % LOG_BUF_LEN] = *p;
        log_buf[log_end++ % LOG_BUF_LEN] = s[i];
        log_line_start = s[i] == '\n';
    }
    if (log_end - log_start > LOG_BUF_LEN)
        log_start = log_end - LOG_BUF_LEN;
    if (log_end - log_read > LOG_BUF_LEN)
        log_read = log_end - LOG_BUF_LEN;
}

unsigned long log_buf_unread(void)
{
    return log_end - (log_read > log_start ? log_read : log_start);
}

void log_buf_clear(void)
{
    log_start = log_end;
}

unsigned long log_buf_copy(char *dst, unsigned long len, int consume)
{
    unsigned long from = consume ? (log_read > log_start ? log_read : log_start) : log_start;
    unsigned long avail = log_end - from;
    if (!consume && avail > len)
        from = log_end - len;           /* READ_ALL: the last len bytes */
    unsigned long n = min(len, log_end - from);
    for (unsigned long i = 0; i < n; i++)
        dst[i] = log_buf[(from + i) % LOG_BUF_LEN];
    if (consume)
        log_read = from + n;
    return n;
}

int vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n >= (int)sizeof buf)
        n = sizeof buf - 1;
    if (strncmp(buf, "model:", 6))      /* emulator notes are no log messages */
        log_store(buf, n);
    serial_write(buf, n);
    return n;
}

int printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}

void machine_power_off(u32 status)
{
    static const char word[] = "Shutdown";
    cli();
    outl(0xF4, status);                 /* isa-debug-exit: QEMU and vmscope stop here */
    for (const char *p = word; *p; p++)
        outb(0x8900, (u8)*p);           /* Bochs */
    for (;;)
        __asm__ volatile("cli; hlt");
}

void machine_halt_nostatus(void)
{
    static const char word[] = "Shutdown";
    static const struct { u16 limit; u32 base; } __attribute__((packed)) no_idt = { 0, 0 };
    cli();
    for (const char *p = word; *p; p++)
        outb(0x8900, (u8)*p);           /* vmscope (power-off, status 0) and Bochs */
    /* QEMU ignores that port: a triple fault ends it (-no-reboot), also 0 */
    __asm__ volatile("lidt %0; int3" :: "m"(no_idt));
    for (;;)
        __asm__ volatile("cli; hlt");
}

void panic(const char *fmt, ...)
{
    va_list ap;
    cli();
    printk("Kernel panic: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    machine_power_off(EXIT_PANIC);
}
