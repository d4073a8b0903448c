/* 16550A UART driven through its ports: the 115200 8N1 FIFO setup of a
 * Linux-style driver, transmit to a file, receive from --input-string,
 * --input-file and stdin with interrupts, loopback and modem status. */
#include "devtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COM1 0x3F8

/* 115200 8N1, FIFO with trigger level FCR_TRIGGER, interrupts IER. */
static void uart_setup(struct machine *m, uint8_t fcr, uint8_t ier)
{
    dt_out(m, COM1 + 1, 0x00);
    dt_out(m, COM1 + 3, 0x80);
    dt_out(m, COM1 + 0, 0x01);
    dt_out(m, COM1 + 1, 0x00);
    dt_out(m, COM1 + 3, 0x03);
    dt_out(m, COM1 + 2, fcr);
    dt_out(m, COM1 + 4, 0x0B);          /* DTR, RTS, OUT2 */
    dt_out(m, COM1 + 1, ier);
}

static char *temp_path(const char *tag)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/vmscope-uart-%s-XXXXXX", tag);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    return path;
}

static void transmit_to_file(void **state)
{
    char *path = temp_path("tx");
    struct vm_options opt = { .serial = path };
    struct machine *m = dt_machine(&opt);
    uart_setup(m, 0xC7, 0x00);
    assert_int_equal(dt_in(m, COM1 + 5), 0x60);     /* THRE, TEMT */
    assert_int_equal(dt_in(m, COM1 + 2), 0xC1);     /* FIFOs on, nothing pending */
    dt_out(m, COM1 + 3, 0x83);
    assert_int_equal(dt_in(m, COM1 + 0), 0x01);     /* divisor reads back */
    assert_int_equal(dt_in(m, COM1 + 1), 0x00);
    dt_out(m, COM1 + 3, 0x03);
    for (const char *p = "hello, 16550\n"; *p; p++) {
        while (!(dt_in(m, COM1 + 5) & 0x20))
            ;
        dt_out(m, COM1, (uint8_t)*p);
    }
    dt_out(m, COM1 + 7, 0x5A);
    assert_int_equal(dt_in(m, COM1 + 7), 0x5A);
    assert_int_equal(m->dev.uart.tx_bytes, 13);
    machine_free(m);
    FILE *f = fopen(path, "r");
    char buf[64] = "";
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    unlink(path);
    assert_string_equal(buf, "hello, 16550\n");
}

/* Run until INPUT_LEN bytes were read through IRQ4, or TIMEOUT_NS passes.
 * Returns the count; the bytes go to OUT and each IIR seen to IIRS. */
static size_t receive_irq(struct machine *m, char *out, size_t want, uint64_t timeout_ns,
                          uint8_t *iirs)
{
    uint64_t end = m->clock.cycles + clock_ns_to_cycles(&m->clock, timeout_ns);
    size_t n = 0, k = 0;
    while (n < want && m->clock.cycles < end) {
        dt_run_until(m, m->clock.next < end ? m->clock.next : end);
        int v;
        while ((v = dt_take(m)) >= 0) {
            assert_int_equal(v, 0x24);
            uint8_t iir;
            while (!((iir = dt_in(m, COM1 + 2)) & 1)) {
                if (iirs)
                    iirs[k++] = iir;
                while (dt_in(m, COM1 + 5) & 1)
                    out[n++] = (char)dt_in(m, COM1);
            }
            dt_eoi(m, v);
        }
    }
    out[n] = 0;
    return n;
}

static void receive_trigger1(void **state)
{
    struct vm_options opt = { .input_string = "abc" };
    struct machine *m = dt_machine(&opt);
    dt_pic_remap(m, 1u << 4);
    uart_setup(m, 0x07, 0x01);          /* FIFO, trigger 1, receive interrupts */
    char buf[16];
    uint8_t iirs[16] = {0};
    assert_int_equal(receive_irq(m, buf, 3, 100000000, iirs), 3);
    assert_string_equal(buf, "abc");
    assert_int_equal(iirs[0], 0xC4);    /* received data available */
    assert_int_equal(m->dev.uart.rx_bytes, 3);
    machine_free(m);
}

static void receive_timeout_below_trigger(void **state)
{
    struct vm_options opt = { .input_string = "hello" };
    struct machine *m = dt_machine(&opt);
    dt_pic_remap(m, 1u << 4);
    uart_setup(m, 0xC7, 0x01);          /* trigger 14: five bytes never reach it */
    char buf[16];
    uint8_t iirs[16] = {0};
    assert_int_equal(receive_irq(m, buf, 5, 100000000, iirs), 5);
    assert_string_equal(buf, "hello");
    assert_int_equal(iirs[0], 0xCC);    /* character timeout */
    machine_free(m);
}

static void flow_control_no_overrun(void **state)
{
    char input[41];
    for (int i = 0; i < 40; i++)
        input[i] = (char)('A' + i % 26);
    input[40] = 0;
    struct vm_options opt = { .input_string = input };
    struct machine *m = dt_machine(&opt);
    uart_setup(m, 0xC7, 0x00);
    dt_run_ns(m, 50000000);             /* 50 ms: far more than 40 characters' time */
    assert_int_equal(m->dev.uart.rx_count, 16);
    char got[41];
    int n = 0;
    uint64_t end = m->clock.cycles + clock_ns_to_cycles(&m->clock, 100000000);
    while (n < 40 && m->clock.cycles < end) {
        uint8_t lsr = dt_in(m, COM1 + 5);
        assert_int_equal(lsr & 0x02, 0);    /* never an overrun */
        if (lsr & 1)
            got[n++] = (char)dt_in(m, COM1);
        else
            dt_run_ns(m, 10000);
    }
    got[n] = 0;
    assert_string_equal(got, input);
    machine_free(m);
}

static void non_fifo_mode(void **state)
{
    struct vm_options opt = { .input_string = "xy" };
    struct machine *m = dt_machine(&opt);
    uart_setup(m, 0x00, 0x00);
    assert_int_equal(dt_in(m, COM1 + 2), 0x01);     /* no FIFO bits */
    dt_run_ns(m, 10000000);
    assert_int_equal(m->dev.uart.rx_count, 1);      /* one holding register */
    assert_int_equal(dt_in(m, COM1), 'x');
    dt_run_ns(m, 10000000);
    assert_int_equal(dt_in(m, COM1), 'y');
    assert_int_equal(dt_in(m, COM1 + 5) & 1, 0);
    machine_free(m);
}

static void thre_interrupt(void **state)
{
    char *path = temp_path("thre");
    struct vm_options opt = { .serial = path };
    struct machine *m = dt_machine(&opt);
    dt_pic_remap(m, 1u << 4);
    uart_setup(m, 0xC7, 0x00);
    assert_false(m->intr);
    dt_out(m, COM1 + 1, 0x02);          /* enable THRE with THR empty: pending at once */
    assert_int_equal(dt_take(m), 0x24);
    assert_int_equal(dt_in(m, COM1 + 2), 0xC2);
    assert_int_equal(dt_in(m, COM1 + 2), 0xC1);     /* the IIR read cleared it */
    dt_eoi(m, 0x24);
    dt_out(m, COM1, 'x');               /* sent at once: THR empty again */
    assert_int_equal(dt_take(m), 0x24);
    assert_int_equal(dt_in(m, COM1 + 2), 0xC2);
    dt_eoi(m, 0x24);
    machine_free(m);
    unlink(path);
}

static void loopback_and_modem_status(void **state)
{
    char *path = temp_path("loop");
    struct vm_options opt = { .serial = path, .input_string = "zzz" };
    struct machine *m = dt_machine(&opt);
    uart_setup(m, 0xC7, 0x00);
    assert_int_equal(dt_in(m, COM1 + 6) & 0xF0, 0xB0);
    /* Linux's autoconfig: loopback with RTS and OUT2 reads CTS and DCD. */
    dt_out(m, COM1 + 4, 0x10 | 0x0A);
    assert_int_equal(dt_in(m, COM1 + 6) & 0xF0, 0x90);
    dt_in(m, COM1 + 6);
    dt_out(m, COM1 + 4, 0x1F);
    assert_int_equal(dt_in(m, COM1 + 6), 0xF0 | 0x02);  /* DSR came up: DDSR */
    assert_int_equal(dt_in(m, COM1 + 6), 0xF0);         /* deltas cleared by the read */
    dt_run_ns(m, 5000000);              /* the input waits while in loopback */
    assert_int_equal(dt_in(m, COM1 + 5) & 1, 0);
    dt_out(m, COM1, 'Q');
    assert_int_equal(dt_in(m, COM1 + 5) & 1, 1);
    assert_int_equal(dt_in(m, COM1), 'Q');
    /* Overrun: 17 bytes into a 16-byte FIFO. */
    for (int i = 0; i < 17; i++)
        dt_out(m, COM1, (uint8_t)('a' + i));
    assert_int_equal(dt_in(m, COM1 + 5) & 0x03, 0x03);
    assert_int_equal(dt_in(m, COM1 + 5) & 0x02, 0);     /* OE clears on read */
    assert_int_equal(m->dev.uart.tx_bytes, 0);
    dt_out(m, COM1 + 2, 0xC7);          /* clear the receive FIFO */
    dt_out(m, COM1 + 4, 0x0B);          /* leave loopback: the input flows */
    dt_run_ns(m, 10000000);
    assert_int_equal(dt_in(m, COM1), 'z');
    machine_free(m);
    unlink(path);
}

static void input_file(void **state)
{
    char *path = temp_path("in");
    FILE *f = fopen(path, "w");
    fputs("from a file", f);
    fclose(f);
    struct vm_options opt = { .input_file = path };
    struct machine *m = dt_machine(&opt);
    dt_pic_remap(m, 1u << 4);
    uart_setup(m, 0x07, 0x01);
    char buf[32];
    assert_int_equal(receive_irq(m, buf, 11, 100000000, NULL), 11);
    assert_string_equal(buf, "from a file");
    machine_free(m);
    unlink(path);
    struct vm_options bad = { .mem = 16u << 20, .input_file = "/nonexistent/input" };
    char err[256] = "";
    assert_null(machine_new(&bad, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/input"));
}

/* Arrival cycles of --input-string bytes are the same in every run. */
static void deterministic_arrival(void **state)
{
    uint64_t when[2][8];
    for (int k = 0; k < 2; k++) {
        struct vm_options opt = { .input_string = "12345678" };
        struct machine *m = dt_machine(&opt);
        uart_setup(m, 0x07, 0x00);
        for (int i = 0; i < 8; i++) {
            while (!(dt_in(m, COM1 + 5) & 1))
                dt_run_until(m, m->clock.next);
            when[k][i] = m->clock.cycles;
            dt_in(m, COM1);
        }
        machine_free(m);
    }
    assert_memory_equal(when[0], when[1], sizeof when[0]);
    /* One character time at 115200 baud apart: 10 bits = 86.8 us. */
    assert_int_equal(when[0][1] - when[0][0], 10ull * 100000000 / 115200);
}

/* stdin is read without blocking: nothing yet is not an error, and what
 * arrives later is delivered; end of file ends the polling. */
static void stdin_nonblocking(void **state)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    int saved = dup(0);
    dup2(p[0], 0);
    close(p[0]);
    struct vm_options opt = { .mem = 16u << 20 };
    char err[256] = "";
    struct machine *m = machine_new(&opt, err, sizeof err);
    assert_non_null(m);
    uart_setup(m, 0x07, 0x00);
    dt_run_ns(m, 20000000);             /* nothing written yet: the run goes on */
    assert_int_equal(dt_in(m, COM1 + 5) & 1, 0);
    assert_int_equal(write(p[1], "ok", 2), 2);
    close(p[1]);
    char got[4] = "";
    int n = 0;
    for (int i = 0; i < 1000 && n < 2; i++) {
        dt_run_ns(m, 1000000);
        while (dt_in(m, COM1 + 5) & 1)
            got[n++] = (char)dt_in(m, COM1);
    }
    assert_string_equal(got, "ok");
    dt_run_ns(m, 20000000);
    assert_int_equal(m->dev.uart.src, UART_IN_NONE);   /* end of file seen */
    assert_int_equal(m->clock.t[m->dev.uart.rx_timer].when, CLOCK_NEVER);
    machine_free(m);
    dup2(saved, 0);
    close(saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transmit_to_file),
        cmocka_unit_test(receive_trigger1),
        cmocka_unit_test(receive_timeout_below_trigger),
        cmocka_unit_test(flow_control_no_overrun),
        cmocka_unit_test(non_fifo_mode),
        cmocka_unit_test(thre_interrupt),
        cmocka_unit_test(loopback_and_modem_status),
        cmocka_unit_test(input_file),
        cmocka_unit_test(deterministic_arrival),
        cmocka_unit_test(stdin_nonblocking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
