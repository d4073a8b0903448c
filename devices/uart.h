/* 16550A UART (COM1, 0x3F8, IRQ4). National Semiconductor PC16550D datasheet.
 * Transmit goes to stdout or --serial FILE. */
#ifndef VMSCOPE_DEVICES_UART_H
#define VMSCOPE_DEVICES_UART_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct machine;
struct vm_options;

struct uart {
    FILE *out;              /* transmit sink */
    bool out_owned;
    uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
    uint64_t tx_bytes;      /* bytes transmitted, for the summary */
};

bool uart_init(struct machine *m, struct uart *u, const struct vm_options *opt,
               char *err, unsigned errlen);
void uart_flush(struct uart *u);
void uart_free(struct uart *u);

#endif
