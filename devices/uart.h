/* 16550A UART (COM1, 0x3F8, IRQ4). National Semiconductor PC16550D datasheet
 * (June 1995): table II "Summary of registers", table IV "Interrupt control
 * functions", "FIFO interrupt mode operation", "Loopback".
 *
 * Transmit goes to stdout or --serial FILE. Receive comes from
 * --input-string, --input-file or stdin (a terminal, a pipe or a file, as
 * QEMU's -serial stdio). With --tty, stdin is the terminal in raw mode
 * (emu/console.h) and Ctrl-A starts an escape as in QEMU's multiplexer:
 * Ctrl-A x ends the run (status 10), Ctrl-A a or Ctrl-A Ctrl-A sends one
 * Ctrl-A, Ctrl-A h lists them; every other byte, Ctrl-C included, goes to
 * the guest. */
#ifndef VMSCOPE_DEVICES_UART_H
#define VMSCOPE_DEVICES_UART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct machine;
struct vm_options;

#define UART_FIFO 16

enum uart_source {
    UART_IN_NONE,       /* nothing more will arrive */
    UART_IN_BUFFER,     /* --input-string / --input-file, held in memory */
    UART_IN_FD,         /* stdin, read without blocking */
};

struct uart {
    /* Transmit sink */
    FILE *out;
    bool out_owned;         /* we opened it and must close it */

    /* Registers */
    uint8_t ier;            /* interrupt enable (low 4 bits) */
    uint8_t lcr;            /* line control; bit 7 DLAB */
    uint8_t mcr;            /* modem control (low 5 bits); bit 4 loopback */
    uint8_t lsr;            /* line status error bits (OE, PE, FE, BI); DR/THRE/TEMT derived */
    uint8_t msr;            /* modem status: lines in bits 4-7, deltas in 0-3 */
    uint8_t scr;            /* scratch */
    uint8_t fcr;            /* FIFO control as written: bit 0 enable, bits 6-7 trigger */
    uint16_t divisor;       /* DLM:DLL */

    /* Receiver */
    uint8_t rx[UART_FIFO];  /* receive FIFO (one byte deep when FIFOs are off) */
    unsigned rx_head, rx_count;
    bool thr_ipending;      /* THRE interrupt pending (cleared by IIR read or THR write) */
    bool timeout_ipending;  /* character timeout interrupt pending */

    /* Input */
    enum uart_source src;
    uint8_t *in_buf;        /* UART_IN_BUFFER: all of it; UART_IN_FD: what was read */
    size_t in_len, in_pos;  /* bytes held, bytes already delivered */
    size_t in_cap;          /* UART_IN_FD: size of in_buf */
    int in_fd;              /* UART_IN_FD: the descriptor (0) */
    bool tty;               /* --tty: Ctrl-A escapes on input, output flushed while idle */
    bool tty_escape;        /* --tty: the last byte read was Ctrl-A */
    uint64_t rx_ready;      /* cycle from which the next input byte may arrive */
    int rx_timer;           /* delivers input bytes at the line's pace */
    int timeout_timer;      /* character timeout */

    /* Accounting */
    uint64_t tx_bytes;      /* bytes transmitted to the sink */
    uint64_t rx_bytes;      /* bytes delivered to the receiver */
};

bool uart_init(struct machine *m, struct uart *u, const struct vm_options *opt,
               char *err, unsigned errlen);
void uart_flush(struct uart *u);
void uart_free(struct uart *u);

#endif
