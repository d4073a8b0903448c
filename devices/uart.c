/* 16550A UART, transmit side (PC16550D datasheet, register map table 2).
 * The transmitter is always empty: a byte written to THR reaches the sink at
 * once, so LSR reads THRE|TEMT. */
#include "devices/uart.h"
#include "emu/machine.h"

#include <errno.h>
#include <string.h>

#define UART_BASE 0x3F8
#define LCR_DLAB 0x80
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

static uint32_t uart_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    struct uart *u = dev;
    switch (port - UART_BASE) {
    case 0: return (u->lcr & LCR_DLAB) ? u->dll : 0;
    case 1: return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
    case 2: return 0x01 | ((u->fcr & 1) ? 0xC0 : 0);    /* no interrupt pending */
    case 3: return u->lcr;
    case 4: return u->mcr;
    case 5: return LSR_THRE | LSR_TEMT;
    case 6: return 0xB0;                                /* DCD, DSR, CTS */
    default: return u->scr;
    }
}

static void uart_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct uart *u = dev;
    uint8_t v = (uint8_t)val;
    switch (port - UART_BASE) {
    case 0:
        if (u->lcr & LCR_DLAB) {
            u->dll = v;
        } else {
            fputc(v, u->out);
            u->tx_bytes++;
        }
        break;
    case 1:
        if (u->lcr & LCR_DLAB) u->dlm = v; else u->ier = v & 0x0F;
        break;
    case 2: u->fcr = v; break;
    case 3: u->lcr = v; break;
    case 4: u->mcr = v & 0x1F; break;
    case 7: u->scr = v; break;
    default: break;
    }
}

bool uart_init(struct machine *m, struct uart *u, const struct vm_options *opt,
               char *err, unsigned errlen)
{
    memset(u, 0, sizeof *u);
    u->out = stdout;
    if (opt->serial) {
        u->out = fopen(opt->serial, "w");
        if (!u->out) {
            snprintf(err, errlen, "%s: cannot open serial output: %s", opt->serial, strerror(errno));
            return false;
        }
        u->out_owned = true;
    }
    bus_register_pio(&m->bus, UART_BASE, 8, PIO_W8, u, uart_read, uart_write);
    return true;
}

void uart_flush(struct uart *u)
{
    if (u->out)
        fflush(u->out);
}

void uart_free(struct uart *u)
{
    if (u->out_owned && u->out)
        fclose(u->out);
    else
        uart_flush(u);
    u->out = NULL;
}
