/* 16550A UART (see uart.h). PC16550D datasheet, table II (registers) and
 * table IV (interrupt priorities).
 *
 * Transmitting takes no time: a byte written to THR reaches the sink at
 * once, THR is empty again and THRE/TEMT always read 1 (QEMU behaves the
 * same; a guest spinning on THRE costs nothing).
 *
 * Receiving is paced by virtual time: input bytes enter the receive FIFO
 * one character time apart (10 bit times at the programmed divisor), and
 * only while the FIFO has room, as QEMU's character backends deliver
 * (nothing is lost to overrun, so one scripted input gives the same bytes
 * under both). Bytes from --input-string or --input-file arrive at the same
 * cycles every run. Bytes from stdin arrive when they arrive: stdin is
 * polled without blocking, every character time while bytes come and every
 * STDIN_POLL_NS of virtual time while none do. In FIFO mode the character
 * timeout interrupt fires 4 character times after the last FIFO activity.
 *
 * The interrupt output goes to IRQ4 whatever MCR.OUT2 says: on a PC board
 * OUT2 gates it, but QEMU does not model the gate and guests must behave the
 * same on both. */
#include "devices/uart.h"
#include "devices/pic.h"
#include "emu/machine.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UART_BASE 0x3F8
#define UART_IRQ 4
#define UART_CLOCK 115200u          /* 1.8432 MHz / 16: baud at divisor 1 */
#define STDIN_POLL_NS 1000000u      /* 1 ms of virtual time between idle polls */
#define STDIN_CHUNK 4096

#define LCR_DLAB 0x80
#define IER_ERBFI 0x01              /* received data available */
#define IER_ETBEI 0x02              /* THR empty */
#define IER_ELSI 0x04               /* receiver line status */
#define IER_EDSSI 0x08              /* modem status */
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_ERRORS 0x1E             /* OE, PE, FE, BI */
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define LSR_FIFOERR 0x80
#define MCR_LOOP 0x10
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define IIR_NONE 0x01
#define IIR_MSR 0x00
#define IIR_THRE 0x02
#define IIR_RDA 0x04
#define IIR_RLS 0x06
#define IIR_TIMEOUT 0x0C
#define MSR_NORMAL 0xB0             /* DCD, DSR, CTS asserted, as QEMU's stdio backend */

static bool uart_fifo_on(const struct uart *u)
{
    return u->fcr & FCR_ENABLE;
}

static unsigned uart_rx_capacity(const struct uart *u)
{
    return uart_fifo_on(u) ? UART_FIFO : 1;
}

static unsigned uart_rx_trigger(const struct uart *u)
{
    static const unsigned level[4] = { 1, 4, 8, 14 };
    return uart_fifo_on(u) ? level[u->fcr >> 6] : 1;
}

/* Cycles one character (start, 8 data, stop bits) takes at the divisor. */
static uint64_t uart_char_cycles(const struct machine *m, const struct uart *u)
{
    uint64_t div = u->divisor ? u->divisor : 1;
    return 10 * div * m->clock.mhz * 1000000u / UART_CLOCK;
}

/* Interrupt identification (table IV priorities), without the FIFO bits. */
static uint8_t uart_iir(const struct uart *u)
{
    if ((u->ier & IER_ELSI) && (u->lsr & LSR_ERRORS))
        return IIR_RLS;
    if ((u->ier & IER_ERBFI) && u->rx_count && u->rx_count >= uart_rx_trigger(u))
        return IIR_RDA;
    if ((u->ier & IER_ERBFI) && u->timeout_ipending)
        return IIR_TIMEOUT;
    if ((u->ier & IER_ETBEI) && u->thr_ipending)
        return IIR_THRE;
    if ((u->ier & IER_EDSSI) && (u->msr & 0x0F))
        return IIR_MSR;
    return IIR_NONE;
}

static void uart_update_irq(struct machine *m, struct uart *u)
{
    pic_set_irq(m, UART_IRQ, uart_iir(u) != IIR_NONE);
}

/* (Re)arm the character timeout: 4 character times after now, while the
 * FIFO holds bytes. */
static void uart_arm_timeout(struct machine *m, struct uart *u)
{
    if (uart_fifo_on(u) && u->rx_count)
        clock_timer_set(&m->clock, u->timeout_timer, m->clock.cycles + 4 * uart_char_cycles(m, u));
    else
        clock_timer_cancel(&m->clock, u->timeout_timer);
}

/* A byte reaches the receiver; when there is no room it is lost (overrun). */
static void uart_receive(struct machine *m, struct uart *u, uint8_t byte)
{
    if (u->rx_count >= uart_rx_capacity(u)) {
        u->lsr |= LSR_OE;
    } else {
        u->rx[(u->rx_head + u->rx_count) % UART_FIFO] = byte;
        u->rx_count++;
        u->rx_bytes++;
    }
    u->timeout_ipending = false;
    uart_arm_timeout(m, u);
    uart_update_irq(m, u);
}

/* Ask for the next input byte when it may arrive. */
static void uart_rx_kick(struct machine *m, struct uart *u)
{
    if (u->src == UART_IN_NONE || (u->mcr & MCR_LOOP) || u->rx_count >= uart_rx_capacity(u))
        return;
    uint64_t when = u->rx_ready > m->clock.cycles ? u->rx_ready : m->clock.cycles;
    if (when < m->clock.t[u->rx_timer].when)
        clock_timer_set(&m->clock, u->rx_timer, when);
}

#define TTY_ESCAPE 0x01             /* Ctrl-A, QEMU's escape character */

/* --tty: act on the escapes among the N bytes at BUF (the state carries
 * over from the previous read) and keep the bytes meant for the guest at
 * the front of BUF. Returns how many those are. */
static size_t uart_tty_filter(struct machine *m, struct uart *u, uint8_t *buf, size_t n)
{
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = buf[i];
        if (!u->tty_escape) {
            if (c == TTY_ESCAPE)
                u->tty_escape = true;
            else
                buf[kept++] = c;
            continue;
        }
        u->tty_escape = false;
        switch (c) {
        case 'a':
        case TTY_ESCAPE:
            buf[kept++] = TTY_ESCAPE;
            break;
        case 'x':
            machine_stop(m, STOP_SIGNAL, 10, "ended by Ctrl-A x");
            break;
        case 'h':
        case '?':
            fprintf(stderr, "\r\nC-a x    end the run (exit status 10; disk and trace flushed)\r\n"
                            "C-a a    send C-a to the guest\r\nC-a C-a  send C-a to the guest\r\n");
            break;
        default:                    /* unknown escapes are dropped, as QEMU does */
            break;
        }
    }
    return kept;
}

/* Refill the stdin buffer without blocking. Returns false when nothing is
 * there yet; at end of file the source becomes UART_IN_NONE. */
static bool uart_read_fd(struct machine *m, struct uart *u)
{
    struct pollfd pfd = { .fd = u->in_fd, .events = POLLIN };
    int r = poll(&pfd, 1, 0);
    if (r <= 0)
        return false;
    if (pfd.revents & POLLNVAL) {
        u->src = UART_IN_NONE;
        return false;
    }
    ssize_t n = read(u->in_fd, u->in_buf, u->in_cap);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return false;
    if (n <= 0) {
        u->src = UART_IN_NONE;  /* end of input (or an error: nothing more will come) */
        return false;
    }
    u->in_len = u->tty ? uart_tty_filter(m, u, u->in_buf, (size_t)n) : (size_t)n;
    u->in_pos = 0;
    return u->in_len > 0;
}

static void uart_rx_timer_cb(struct machine *m, void *opaque)
{
    struct uart *u = opaque;
    if (u->src == UART_IN_NONE || (u->mcr & MCR_LOOP) || u->rx_count >= uart_rx_capacity(u))
        return;     /* uart_rx_kick restarts delivery when that changes */
    if (u->in_pos >= u->in_len) {
        if (u->src == UART_IN_BUFFER) {
            u->src = UART_IN_NONE;
            return;
        }
        if (u->tty)
            fflush(u->out);         /* a prompt or an echo reaches the terminal within a poll */
        if (!uart_read_fd(m, u)) {
            if (u->src != UART_IN_NONE)
                clock_timer_set(&m->clock, u->rx_timer,
                                m->clock.cycles + clock_ns_to_cycles(&m->clock, STDIN_POLL_NS));
            return;
        }
    }
    uart_receive(m, u, u->in_buf[u->in_pos++]);
    u->rx_ready = m->clock.cycles + uart_char_cycles(m, u);
    uart_rx_kick(m, u);
}

static void uart_timeout_cb(struct machine *m, void *opaque)
{
    struct uart *u = opaque;
    if (uart_fifo_on(u) && u->rx_count) {
        u->timeout_ipending = true;
        uart_update_irq(m, u);
    }
}

/* Modem status lines (MSR bits 4-7): from MCR in loopback, else fixed. */
static uint8_t uart_msr_lines(const struct uart *u)
{
    if (!(u->mcr & MCR_LOOP))
        return MSR_NORMAL;
    return (uint8_t)((u->mcr & 0x02) << 3 |     /* CTS = RTS */
                     (u->mcr & 0x01) << 5 |     /* DSR = DTR */
                     (u->mcr & 0x04) << 4 |     /* RI = OUT1 */
                     (u->mcr & 0x08) << 4);     /* DCD = OUT2 */
}

static void uart_set_msr_lines(struct uart *u, uint8_t lines)
{
    uint8_t old = u->msr & 0xF0, delta = 0;
    if ((old ^ lines) & 0x10) delta |= 0x01;            /* DCTS */
    if ((old ^ lines) & 0x20) delta |= 0x02;            /* DDSR */
    if ((old & 0x40) && !(lines & 0x40)) delta |= 0x04; /* TERI: RI trailing edge */
    if ((old ^ lines) & 0x80) delta |= 0x08;            /* DDCD */
    u->msr = (uint8_t)(lines | (u->msr & 0x0F) | delta);
}

static uint32_t uart_read(struct machine *m, void *dev, uint16_t port, unsigned size)
{
    struct uart *u = dev;
    uint8_t v;
    switch (port - UART_BASE) {
    case 0:
        if (u->lcr & LCR_DLAB)
            return u->divisor & 0xFF;
        v = 0;
        if (u->rx_count) {
            v = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % UART_FIFO;
            u->rx_count--;
        }
        u->timeout_ipending = false;
        uart_arm_timeout(m, u);
        uart_update_irq(m, u);
        uart_rx_kick(m, u);
        return v;
    case 1:
        return (u->lcr & LCR_DLAB) ? u->divisor >> 8 : u->ier;
    case 2:
        v = uart_iir(u);
        if (v == IIR_THRE) {
            u->thr_ipending = false;    /* reading IIR clears the THRE source */
            uart_update_irq(m, u);
        }
        return v | (uart_fifo_on(u) ? 0xC0 : 0);
    case 3:
        return u->lcr;
    case 4:
        return u->mcr;
    case 5:
        v = (uint8_t)(u->lsr | LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0));
        if (u->lsr & LSR_ERRORS) {
            u->lsr &= (uint8_t)~LSR_ERRORS;
            uart_update_irq(m, u);
        }
        return v;
    case 6:
        v = u->msr;
        if (u->msr & 0x0F) {
            u->msr &= 0xF0;
            uart_update_irq(m, u);
        }
        return v;
    default:
        return u->scr;
    }
}

static void uart_transmit(struct machine *m, struct uart *u, uint8_t v)
{
    u->thr_ipending = false;
    uart_update_irq(m, u);
    if (u->mcr & MCR_LOOP) {
        uart_receive(m, u, v);
    } else {
        fputc(v, u->out);
        if (v == '\n')
            fflush(u->out);
        u->tx_bytes++;
    }
    u->thr_ipending = true;         /* THR is empty again: a new THRE interrupt */
    uart_update_irq(m, u);
}

static void uart_write(struct machine *m, void *dev, uint16_t port, unsigned size, uint32_t val)
{
    struct uart *u = dev;
    uint8_t v = (uint8_t)val;
    switch (port - UART_BASE) {
    case 0:
        if (u->lcr & LCR_DLAB)
            u->divisor = (uint16_t)((u->divisor & 0xFF00) | v);
        else
            uart_transmit(m, u, v);
        break;
    case 1:
        if (u->lcr & LCR_DLAB) {
            u->divisor = (uint16_t)((u->divisor & 0x00FF) | v << 8);
            break;
        }
        if ((v ^ u->ier) & IER_ETBEI)
            u->thr_ipending = v & IER_ETBEI;    /* enabling it with THR empty raises it */
        u->ier = v & 0x0F;
        uart_update_irq(m, u);
        break;
    case 2: {
        bool was_on = uart_fifo_on(u);
        bool on = v & FCR_ENABLE;
        if (on != was_on || (on && (v & FCR_CLEAR_RX))) {
            u->rx_count = 0;
            u->rx_head = 0;
            u->timeout_ipending = false;
            u->lsr &= (uint8_t)~LSR_FIFOERR;
        }
        u->fcr = on ? (v & 0xC9) : 0;
        uart_arm_timeout(m, u);
        uart_update_irq(m, u);
        uart_rx_kick(m, u);
        break;
    }
    case 3:
        u->lcr = v;
        break;
    case 4:
        u->mcr = v & 0x1F;
        uart_set_msr_lines(u, uart_msr_lines(u));
        uart_update_irq(m, u);
        uart_rx_kick(m, u);
        break;
    case 7:
        u->scr = v;
        break;
    default:                        /* LSR and MSR: writes are for factory test */
        break;
    }
}

/* Load all of PATH for --input-file. */
static bool uart_slurp(const char *path, uint8_t **buf, size_t *len, char *err, unsigned errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open --input-file: %s", path, strerror(errno));
        return false;
    }
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap)
            break;
        uint8_t *nb = realloc(b, cap * 2);
        if (!nb) {
            free(b);
            b = NULL;
            break;
        }
        b = nb;
        cap *= 2;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!b || bad) {
        free(b);
        snprintf(err, errlen, "%s: cannot read --input-file", path);
        return false;
    }
    *buf = b;
    *len = n;
    return true;
}

bool uart_init(struct machine *m, struct uart *u, const struct vm_options *opt,
               char *err, unsigned errlen)
{
    memset(u, 0, sizeof *u);
    /* Reset values as QEMU's 16550A: 9600 baud, OUT2 set, DCD/DSR/CTS. */
    u->divisor = 12;
    u->mcr = 0x08;
    u->msr = MSR_NORMAL;
    u->out = stdout;
    u->in_fd = -1;
    if (opt->input_string) {
        u->in_len = strlen(opt->input_string);
        u->in_buf = malloc(u->in_len + 1);
        if (!u->in_buf) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        memcpy(u->in_buf, opt->input_string, u->in_len);
        u->src = UART_IN_BUFFER;
    } else if (opt->input_file) {
        if (!uart_slurp(opt->input_file, &u->in_buf, &u->in_len, err, errlen))
            return false;
        u->src = UART_IN_BUFFER;
    } else {
        u->in_cap = STDIN_CHUNK;
        u->in_buf = malloc(u->in_cap);
        if (!u->in_buf) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        u->in_fd = 0;
        u->src = UART_IN_FD;
        u->tty = opt->tty;
    }
    if (opt->serial) {
        u->out = fopen(opt->serial, "w");
        if (!u->out) {
            snprintf(err, errlen, "%s: cannot open serial output: %s", opt->serial, strerror(errno));
            return false;
        }
        u->out_owned = true;
    }
    u->rx_timer = clock_timer_new(&m->clock, "uart-rx", uart_rx_timer_cb, u);
    u->timeout_timer = clock_timer_new(&m->clock, "uart-timeout", uart_timeout_cb, u);
    if (u->rx_timer < 0 || u->timeout_timer < 0) {
        snprintf(err, errlen, "uart: no clock timer left");
        return false;
    }
    bus_register_pio(&m->bus, UART_BASE, 8, PIO_W8, u, uart_read, uart_write);
    /* The first byte may arrive one character time after power-on. */
    u->rx_ready = uart_char_cycles(m, u);
    uart_rx_kick(m, u);
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
    free(u->in_buf);
    u->in_buf = NULL;
}
