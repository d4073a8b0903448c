/* COM1 console driver, polled (PC16550D datasheet: THR at +0, LSR at +5
 * with THRE = bit 5). No receive side: the guest reads no input. */
#include <console.h>
#include <io.h>

#define COM1 0x3F8
#define UART_LSR_THRE 0x20

/* Program 115200 8N1, FIFOs on, no interrupts. Call once at boot. */
void serial_init(void)
{
    outb(COM1 + 1, 0x00);       /* IER: no interrupts */
    outb(COM1 + 3, 0x80);       /* LCR: DLAB to set the divisor */
    outb(COM1 + 0, 0x01);       /* divisor 1 = 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);       /* 8 data bits, no parity, 1 stop */
    outb(COM1 + 2, 0xC7);       /* FIFO enabled and cleared */
    outb(COM1 + 4, 0x03);       /* DTR, RTS */
}

/* Send one byte when the transmitter holding register is empty. */
static void serial_putc(char c)
{
    while (!(inb(COM1 + 5) & UART_LSR_THRE))
        ;
    outb(COM1, (u8)c);
}

void serial_write(const char *s, size_t n)
{
    u32 flags;
    local_irq_save(flags);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            serial_putc('\r');
        serial_putc(s[i]);
    }
    local_irq_restore(flags);
}
