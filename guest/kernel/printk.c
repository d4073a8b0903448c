/* printk, panic and powering the machine off (DESIGN.md "Ending a run"). */
#include <kernel.h>
#include <console.h>
#include <io.h>

int vprintk(const char *fmt, va_list ap)
{
    char buf[512];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n >= (int)sizeof buf)
        n = sizeof buf - 1;
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
